import { formatNumber, formatPeriod } from '../../shared/format.ts';
import { useQualityText } from './messages.ts';
import type { Outlier } from './queries.ts';

/** DHIS2's period id (202406, 20240615) as Opsroom's, for a readable label. */
function periodOf(pe: string): string {
  if (/^\d{6}$/.test(pe)) return `${pe.slice(0, 4)}-${pe.slice(4)}`;
  if (/^\d{8}$/.test(pe)) return `${pe.slice(0, 4)}-${pe.slice(4, 6)}-${pe.slice(6)}`;
  return pe;
}

/** The outliers found: a table; on a phone each row is a card (styles.css, `.dq-table`). */
export function OutlierTable({ rows }: { rows: Outlier[] }) {
  const { lang, t } = useQualityText();
  const num = (v: number | undefined) => (v === undefined ? '–' : formatNumber(lang, v));
  return (
    <div className="table-wrap dq-table-wrap" tabIndex={0} aria-labelledby="dq-outliers">
      <table className="dir-table dq-table" data-testid="dq-outliers-table">
        <thead>
          <tr>
            <th scope="col">{t('element')}</th>
            <th scope="col">{t('unit')}</th>
            <th scope="col">{t('period')}</th>
            <th scope="col" className="num">
              {t('value')}
            </th>
            <th scope="col" className="num">
              {t('median')}
            </th>
            <th scope="col" className="num">
              {t('score')}
            </th>
            <th scope="col">{t('scaleSlip')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr key={`${o.de}|${o.ou}|${o.pe}|${o.coc}|${o.aoc}`}>
              <th scope="row" data-label={t('element')}>
                {o.deName}
              </th>
              <td data-label={t('unit')}>{o.ouName}</td>
              <td data-label={t('period')} data-pe={o.pe}>
                {formatPeriod(lang, periodOf(o.pe))}
              </td>
              <td className="num" data-label={t('value')}>
                {num(o.value)}
              </td>
              <td className="num" data-label={t('median')}>
                {num(o.median)}
              </td>
              <td className="num" data-label={t('score')}>
                {num(o.zScore)}
              </td>
              <td data-label={t('scaleSlip')}>
                {o.scaleSlip ? (
                  <span className="tag tag-warn" title={t('scaleSlip')}>
                    ⚠ {t('scaleSlip')}
                  </span>
                ) : (
                  <span className="muted">–</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
