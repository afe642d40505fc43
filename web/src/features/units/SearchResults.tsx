import type { Version } from '../../shared/api/types.ts';
import { useI18n } from '../../shared/i18n.ts';
import { ErrorBox } from '../../shared/ui.tsx';
import { AppLink } from './AppLink.tsx';
import { levelKey, placeLine } from './levels.ts';
import { useUnitSearch } from './queries.ts';
import type { Route } from './route.ts';

/** The units whose name (or a former name) matches the search. */
export function SearchResults({
  version,
  q,
  max,
  onGo,
}: {
  version: Version;
  q: string;
  max: number;
  onGo: (r: Route) => void;
}) {
  const { t } = useI18n();
  // The last answer stays, dimmed, while the next one is on its way.
  const searchQ = useUnitSearch(version.id, q);
  const busy = searchQ.isFetching;
  const error = busy ? null : searchQ.error;
  const result = searchQ.data ?? null;

  return (
    <section
      className="card results"
      aria-labelledby="results-title"
      data-testid="search-results"
      aria-busy={busy}
    >
      <h2 id="results-title" className="section-title" aria-live="polite">
        {busy
          ? t('searching')
          : error
            ? t('search')
            : result
              ? t('resultsCount', { n: result.total })
              : ''}
        {!busy && result && result.total > result.items.length ? (
          <span className="muted"> ({t('resultsShown', { n: result.items.length })})</span>
        ) : null}
      </h2>
      {error ? <ErrorBox error={error} /> : null}
      {!busy && result && result.items.length === 0 ? (
        <p className="empty">{t('noResults', { q })}</p>
      ) : null}
      {result && result.items.length > 0 ? (
        <ul className="list" style={busy ? { opacity: 0.6 } : undefined}>
          {result.items.map((u) => (
            <li key={u.code}>
              <AppLink
                to={{ v: version.id, u: u.code }}
                onGo={onGo}
                className="row"
                data-testid="search-result"
              >
                <span className="row-main">
                  <span className="row-title">{u.fullName}</span>
                  {placeLine(u) ? <span className="row-sub">{placeLine(u)}</span> : null}
                  {u.matchedName ? (
                    <span className="row-former">
                      {t(u.matchedName.source === 'former' ? 'formerly' : 'renamedFrom', {
                        name: u.matchedName.name,
                      })}
                    </span>
                  ) : null}
                </span>
                <span className="row-meta">
                  <span className="tag">{t(levelKey(max, u.level, true))}</span>
                  <span className="code">
                    <span className="sr-only">{t('code')} </span>
                    {u.code}
                  </span>
                </span>
              </AppLink>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
