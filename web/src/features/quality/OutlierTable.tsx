import { Fragment, useState } from 'react';
import { formatNumber, formatPeriod } from '../../shared/format.ts';
import { BaselineChart, periodOf } from './BaselineChart.tsx';
import { useQualityText } from './messages.ts';
import type { Outlier } from './queries.ts';

/** The outliers found: a table; on a phone each row is a card (styles.css, `.dq-table`). */
export function OutlierTable({ rows }: { rows: Outlier[] }) {
  const { lang, t } = useQualityText();
  const num = (v: number | undefined) => (v === undefined ? '–' : formatNumber(lang, v));
  const [open, setOpen] = useState<string | null>(null);
  const keyOf = (o: Outlier) => `${o.de}|${o.ou}|${o.pe}|${o.coc}|${o.aoc}`;
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
            <Fragment key={keyOf(o)}>
              <tr>
                <th scope="row" data-label={t('element')}>
                  {o.deName}
                  {o.baseline !== undefined && (
                    <button
                      type="button"
                      className="btn dq-baseline-toggle"
                      aria-expanded={open === keyOf(o)}
                      onClick={() => setOpen(open === keyOf(o) ? null : keyOf(o))}
                    >
                      {open === keyOf(o) ? t('baselineHide') : t('baselineShow')}
                    </button>
                  )}
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
              {open === keyOf(o) && (
                <tr className="dq-baseline-row">
                  <td colSpan={7}>
                    <BaselineChart outlier={o} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
