import type { Lang } from '../../shared/format.ts';
import { AppLink } from '../../shared/nav.tsx';
import type { BriefingSummary } from './data.ts';
import type { BriefingT } from './messages.ts';
import { briefingPath } from './paths.ts';
import { StatusTag } from './StatusTag.tsx';

/** The nation's code, shown by name; other units by their code (the list gives no name). */
const ROOT = 'VN';

export function scopeName(lang: Lang, unit: string): string {
  return unit === ROOT ? (lang === 'vi' ? 'Toàn quốc' : 'Nationwide') : unit;
}

/** The briefings: a table on a desk, one block per briefing on a phone (briefings.css). */
export function BriefingTable({
  items,
  lang,
  t,
}: {
  items: BriefingSummary[];
  lang: Lang;
  t: BriefingT;
}) {
  if (items.length === 0)
    return (
      <p className="card brf-empty" role="status" data-testid="briefing-list-empty">
        {t('listEmpty')}
      </p>
    );
  return (
    <div className="card brf-list-wrap">
      <table className="brf-list" data-testid="briefing-list">
        <caption className="sr-only">{t('listCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('colTitle')}</th>
            <th scope="col">{t('colPeriod')}</th>
            <th scope="col">{t('colScope')}</th>
            <th scope="col">{t('colStatus')}</th>
            <th scope="col">{t('colNumber')}</th>
            <th scope="col">{t('colRevision')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((b) => (
            <tr key={b.id} data-testid={`briefing-row-${b.id}`}>
              <th scope="row" data-label={t('colTitle')}>
                <AppLink to={briefingPath(b.id)}>{b.titleVi}</AppLink>
              </th>
              <td data-label={t('colPeriod')}>{lang === 'vi' ? b.periodLabelVi : b.period}</td>
              <td data-label={t('colScope')}>
                {scopeName(lang, b.unit)} <span className="muted">({b.version})</span>
              </td>
              <td data-label={t('colStatus')}>
                <StatusTag status={b.status} t={t} />
              </td>
              <td data-label={t('colNumber')}>{b.number ?? '–'}</td>
              <td data-label={t('colRevision')}>
                {b.revision === 0 ? t('original') : t('revisionN', { n: b.revision })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
