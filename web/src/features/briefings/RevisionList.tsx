import type { Lang } from '../../shared/format.ts';
import { formatDateTime } from '../../shared/format.ts';
import { AppLink } from '../../shared/nav.tsx';
import type { BriefingSummary } from './data.ts';
import type { BriefingT } from './messages.ts';
import { briefingPath } from './paths.ts';
import { StatusTag } from './StatusTag.tsx';

/** Every revision of the series, the one shown marked; shown only when there is more than one. */
export function RevisionList({
  items,
  current,
  lang,
  t,
}: {
  items: BriefingSummary[];
  current: number;
  lang: Lang;
  t: BriefingT;
}) {
  if (items.length < 2) return null;
  return (
    <nav className="card brf-revisions brf-no-print" aria-labelledby="brf-rev-title">
      <h2 id="brf-rev-title">{t('revisions')}</h2>
      <ol data-testid="briefing-revisions">
        {items.map((r) => {
          const name = r.revision === 0 ? t('original') : t('revisionN', { n: r.revision });
          return (
            <li key={r.id}>
              {r.id === current ? (
                <span aria-current="page">
                  {name} {t('current')}
                </span>
              ) : (
                <AppLink to={briefingPath(r.id)}>{name}</AppLink>
              )}{' '}
              <StatusTag status={r.status} t={t} />
              {r.number && <span className="muted"> · {r.number}</span>}
              {r.issuedAt && <span className="muted"> · {formatDateTime(lang, r.issuedAt)}</span>}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
