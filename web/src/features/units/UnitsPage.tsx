import { useEffect, useId, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import {
  api,
  ApiError,
  query,
  type Me,
  type OrgUnit,
  type OrgUnitDetail,
  type OrgUnitList,
  type UnitLink,
  type Version,
} from '../../api.ts';
import { formatDate, typeName, useI18n, type I18n, type MessageKey } from '../../shared/i18n.ts';
import { plainClick, useGo } from '../../shared/nav.tsx';
import { ErrorBox, Loading } from '../../shared/ui.tsx';

/** The units page: it was the home page before the overview took its place. */
export const UNITS_PATH = '/don-vi';

const ROOT = 'VN';
const SEARCH_DEBOUNCE_MS = 250;
const SEARCH_LIMIT = 50;

/** What the address bar holds: ?v=<version>&u=<unit code>&q=<search>. */
interface Route {
  v?: string;
  u?: string;
  q?: string;
}

function clean(next: Route): Route {
  const r: Route = {};
  if (next.v) r.v = next.v;
  if (next.u) r.u = next.u;
  if (next.q) r.q = next.q;
  return r;
}

const sameRoute = (a: Route, b: Route) => a.v === b.v && a.u === b.u && a.q === b.q;

/** The versions of the unit tree: they change only with a new tree. */
export function useVersions() {
  return useQuery({
    queryKey: ['versions'],
    queryFn: ({ signal }) => api<{ items: Version[] }>('/api/versions', { signal }),
    select: (r) => r.items,
    staleTime: Infinity,
  });
}

function routeUrl(r: Route): string {
  return location.pathname + query({ v: r.v, u: r.u, q: r.q });
}

/** A link that navigates inside the app but still works as a link (new tab, copy address). */
function AppLink({
  to,
  onGo,
  className,
  children,
  ...rest
}: {
  to: Route;
  onGo: (r: Route) => void;
  className?: string;
  children: ReactNode;
  'aria-current'?: 'page';
  'data-testid'?: string;
}) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    if (!plainClick(e)) return;
    e.preventDefault();
    onGo(to);
  };
  return (
    <a href={routeUrl(to)} onClick={click} className={className} {...rest}>
      {children}
    </a>
  );
}

function maxLevel(v: Version | undefined): number {
  if (!v) return 3;
  return Math.max(...Object.keys(v.counts).map(Number));
}

/** "cấp tỉnh", "cấp huyện", "cấp xã": in the 2025 tree, level 2 is the commune level. */
function levelKey(max: number, level: number, title = false): MessageKey {
  if (level <= 0) return 'levelNation';
  if (level === 1) return title ? 'levelTitle1' : 'level1';
  if (level === 2 && max >= 3) return title ? 'levelTitle2District' : 'level2District';
  return title ? 'levelTitle3' : 'level3';
}

function versionLabel(i: I18n, v: Version): string {
  const n = v.counts['1'] ?? 0;
  const key: MessageKey =
    v.id === '2022'
      ? 'version2022'
      : v.id === '2025-03'
        ? 'version202503'
        : v.id === '2025'
          ? 'version2025'
          : 'versionOther';
  return i.t(key, { n, name: v.name });
}

/** "Quận 1 · Thành phố Hồ Chí Minh": the unit's ancestors, nearest first, without the nation. */
function placeLine(u: OrgUnit): string {
  return u.ancestors
    .filter((a) => a.level > 0)
    .map((a) => a.fullName)
    .reverse()
    .join(' · ');
}

export function UnitsPage({ me }: { me: Me }) {
  const i = useI18n();
  const { t } = i;
  const versionsQ = useVersions();
  const versions = versionsQ.data;
  const versionsError = versionsQ.error;
  const route = clean(useSearch({ from: '/don-vi/$' }));
  // What this page last asked the address to show: a different route came from Back/Forward.
  const routeRef = useRef(route);
  const [text, setText] = useState(route.q ?? '');
  const focusUnit = useRef(false);
  const versionId = useId();
  const searchId = useId();

  useEffect(() => {
    if (sameRoute(route, routeRef.current)) return;
    routeRef.current = route;
    setText(route.q ?? '');
  }, [route.v, route.u, route.q]);

  const go = useGo();
  const navigate = (next: Route, mode: 'push' | 'replace' = 'push') => {
    const r = clean(next);
    routeRef.current = r;
    go(routeUrl(r), { replace: mode === 'replace' });
  };

  const current = versions?.find((v) => v.current) ?? versions?.[versions.length - 1];
  const version = versions?.find((v) => v.id === route.v) ?? current;
  const home = version && version.id === me.scope.version ? me.scope.code : ROOT;
  const unitCode = route.u ?? home;
  const q = route.q ?? '';

  // Debounced search as the user types: the address bar follows without new history entries.
  useEffect(() => {
    const wanted = text.trim();
    if (wanted === (routeRef.current.q ?? '')) return;
    const timer = setTimeout(
      () => navigate({ ...routeRef.current, q: wanted }, 'replace'),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [text]);

  const goUnit = (r: Route) => {
    focusUnit.current = true;
    setText('');
    navigate({ v: r.v, u: r.u });
  };

  if (versionsError) {
    return (
      <div className="page">
        <ErrorBox error={versionsError} />
      </div>
    );
  }
  if (!versions || !version) {
    return (
      <div className="page">
        <Loading />
      </div>
    );
  }

  const max = maxLevel(version);
  const levels = Object.keys(version.counts)
    .map(Number)
    .filter((l) => l > 0)
    .sort((a, b) => a - b);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t('unitsTitle')}</h1>
          <p className="muted">{t('unitsIntro')}</p>
        </div>
      </div>

      <div className="toolbar card">
        <div className="field field-version">
          <label htmlFor={versionId}>{t('version')}</label>
          <select
            id={versionId}
            value={version.id}
            data-testid="version-select"
            onChange={(e) => navigate({ v: e.target.value, q: routeRef.current.q })}
          >
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {versionLabel(i, v)}
              </option>
            ))}
          </select>
          <p className="hint">
            {version.validUntil
              ? t('validRange', {
                  from: formatDate(version.validFrom),
                  until: formatDate(version.validUntil),
                })
              : t('validFrom', { from: formatDate(version.validFrom) })}
            {version.current ? <span className="current-badge">{t('versionCurrent')}</span> : null}
          </p>
        </div>
        <div className="field field-search">
          <label htmlFor={searchId}>{t('search')}</label>
          <div className="search-box">
            <span className="search-icon" aria-hidden="true" />
            <input
              id={searchId}
              type="search"
              autoComplete="off"
              spellCheck={false}
              placeholder={t('searchPlaceholder')}
              aria-describedby={`${searchId}-hint`}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setText('');
              }}
            />
            {text && (
              <button
                type="button"
                className="search-clear"
                aria-label={t('clearSearch')}
                onClick={() => setText('')}
              >
                ×
              </button>
            )}
          </div>
          <p className="hint hint-search" id={`${searchId}-hint`}>
            {t('searchHint')}
          </p>
        </div>
      </div>

      <section className="stats" aria-label={t('totals')} data-testid="totals">
        {levels.map((l) => (
          <div className="stat" key={l}>
            <span className="stat-value">{i.n(version.counts[String(l)] ?? 0)}</span>
            <span className="stat-label">{t(levelKey(max, l, true))}</span>
          </div>
        ))}
      </section>

      {q ? (
        <SearchResults version={version} q={q} max={max} onGo={goUnit} />
      ) : (
        <Browse
          key={version.id}
          version={version}
          code={unitCode}
          max={max}
          focusOnLoad={focusUnit}
          onGo={goUnit}
          home={me.scope.code !== ROOT ? { v: me.scope.version, u: me.scope.code } : undefined}
        />
      )}
    </div>
  );
}

function SearchResults({
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
  const searchQ = useQuery({
    queryKey: ['orgunits', 'search', version.id, q],
    queryFn: ({ signal }) =>
      api<OrgUnitList>('/api/orgunits' + query({ version: version.id, q, limit: SEARCH_LIMIT }), {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
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

function Browse({
  version,
  code,
  max,
  focusOnLoad,
  onGo,
  home,
}: {
  version: Version;
  code: string;
  max: number;
  focusOnLoad: { current: boolean };
  onGo: (r: Route) => void;
  home: Route | undefined;
}) {
  const i = useI18n();
  const { t, n, lang } = i;
  const titleRef = useRef<HTMLHeadingElement>(null);
  // The unit shown stays until the next one has come (`stale` below).
  const browseQ = useQuery({
    queryKey: ['orgunits', 'browse', version.id, code],
    queryFn: ({ signal }) => {
      const v = version.id;
      return Promise.all([
        api<OrgUnitDetail>(`/api/orgunits/${encodeURIComponent(code)}` + query({ version: v }), {
          signal,
        }),
        api<OrgUnitList>(
          `/api/orgunits/${encodeURIComponent(code)}/children` + query({ version: v, limit: 1000 }),
          { signal },
        ),
      ]);
    },
    placeholderData: keepPreviousData,
  });
  const error = browseQ.isFetching ? null : browseQ.error;
  const [unit, children] = (error ? undefined : browseQ.data) ?? [null, null];

  useEffect(() => {
    if (unit && unit.code === code && focusOnLoad.current) {
      focusOnLoad.current = false;
      titleRef.current?.focus();
    }
  }, [unit, code, focusOnLoad]);

  if (error) {
    return (
      <ErrorBox error={error} testId="browse-error">
        <div className="alert-actions">
          {home && !(home.u === code && home.v === version.id) ? (
            <AppLink to={home} onGo={onGo} className="btn">
              {t('backToMyUnit')}
            </AppLink>
          ) : code !== ROOT ? (
            <AppLink to={{ v: version.id, u: ROOT }} onGo={onGo} className="btn">
              Việt Nam
            </AppLink>
          ) : null}
          {error instanceof ApiError && error.status >= 400 && error.status < 500 ? null : (
            <button type="button" className="btn" onClick={() => void browseQ.refetch()}>
              {t('retry')}
            </button>
          )}
        </div>
      </ErrorBox>
    );
  }
  if (!unit || !children) return <Loading />;
  const stale = unit.code !== code;

  const crumbs = [...unit.ancestors, unit];
  // Units above the user's own scope cannot be opened: show them as plain text.
  const scopeIndex = home?.v === version.id ? crumbs.findIndex((c) => c.code === home.u) : -1;
  const childLevel = unit.level + 1;
  const link = (l: UnitLink) => (
    <li key={`${l.version}/${l.code}`}>
      <AppLink to={{ v: l.version, u: l.code }} onGo={onGo}>
        {l.fullName}
      </AppLink>{' '}
      <span className="muted">
        ({l.part === 'full' ? t('partFull') : t('partPartial')} ·{' '}
        {t('inVersion', { v: versionShort(l.version) })})
      </span>
    </li>
  );
  const belowLevels = Object.entries(unit.countsBelow)
    .map(([l, c]) => [Number(l), c] as const)
    .sort((a, b) => a[0] - b[0]);

  return (
    <div className="browse" aria-busy={stale} style={stale ? { opacity: 0.6 } : undefined}>
      <nav aria-label={t('breadcrumb')} className="breadcrumb" data-testid="breadcrumb">
        <ol>
          {crumbs.map((c, idx) => (
            <li key={c.code}>
              {idx === crumbs.length - 1 ? (
                <span aria-current="page">{c.fullName}</span>
              ) : idx < scopeIndex ? (
                <span className="crumb-out">{c.fullName}</span>
              ) : (
                <AppLink to={{ v: version.id, u: c.code }} onGo={onGo}>
                  {c.fullName}
                </AppLink>
              )}
            </li>
          ))}
        </ol>
      </nav>

      <div className="browse-grid">
        <section className="card detail" aria-labelledby="unit-title" data-testid="unit-detail">
          <p className="eyebrow">{t('details')}</p>
          <h2 id="unit-title" ref={titleRef} tabIndex={-1}>
            {unit.fullName}
          </h2>
          <dl className="facts">
            <div>
              <dt>{t('code')}</dt>
              <dd className="code">{unit.code}</dd>
            </div>
            <div>
              <dt>{t('type')}</dt>
              <dd>{typeName(lang, unit.type)}</dd>
            </div>
            <div>
              <dt>{t('level')}</dt>
              <dd>{t(levelKey(max, unit.level, true))}</dd>
            </div>
            {unit.nameEn && !/^\d+$/.test(unit.nameEn) ? (
              <div>
                <dt>{t('nameEn')}</dt>
                <dd lang="en">{unit.nameEn}</dd>
              </div>
            ) : null}
            {unit.ancestors.length > 0 ? (
              <div>
                <dt>{t('parent')}</dt>
                <dd>{unit.ancestors[unit.ancestors.length - 1]?.fullName}</dd>
              </div>
            ) : null}
          </dl>
          {unit.renamedBy ? (
            <p className="note">
              {t('renamedBy', {
                decree: unit.renamedBy.decree,
                date: formatDate(unit.renamedBy.effective),
              })}
            </p>
          ) : null}
          {belowLevels.length > 0 ? (
            <>
              <h3 className="sub-title">{t('countsBelow')}</h3>
              <ul className="mini-stats" data-testid="counts-below">
                {belowLevels.map(([l, c]) => (
                  <li key={l}>
                    <span className="mini-value">{n(c)}</span> <span>{t(levelKey(max, l))}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {unit.formedFrom.length > 0 ? (
            <>
              <h3 className="sub-title">{t('formedFrom')}</h3>
              <ul className="links" data-testid="formed-from">
                {unit.formedFrom.map(link)}
              </ul>
            </>
          ) : null}
          {unit.wentInto.length > 0 ? (
            <>
              <h3 className="sub-title">{t('wentInto')}</h3>
              <ul className="links" data-testid="went-into">
                {unit.wentInto.map(link)}
              </ul>
            </>
          ) : null}
        </section>

        <section className="card children" aria-labelledby="children-title" data-testid="children">
          <h2 id="children-title" className="section-title">
            {t('children')}
            {children.total > 0 ? (
              <span className="count-pill">
                {t('unitsBelow', { n: children.total, level: t(levelKey(max, childLevel)) })}
              </span>
            ) : null}
          </h2>
          {children.items.length === 0 ? (
            <p className="empty">{t('noChildren')}</p>
          ) : (
            <ul className="list">
              {children.items.map((c) => {
                const count = childLevel < max ? c.childCount : undefined;
                return (
                  <li key={c.code}>
                    <AppLink
                      to={{ v: version.id, u: c.code }}
                      onGo={onGo}
                      className="row"
                      data-testid="child"
                    >
                      <span className="row-main">
                        <span className="row-title">{c.fullName}</span>
                        <span className="row-sub">
                          {typeName(lang, c.type)} · {t('code')} {c.code}
                        </span>
                      </span>
                      <span className="row-meta">
                        {count !== undefined ? (
                          <span className="tag">
                            {t('unitsBelow', { n: count, level: t(levelKey(max, childLevel + 1)) })}
                          </span>
                        ) : null}
                        {childLevel < max ? (
                          <span className="chevron" aria-hidden="true">
                            ›
                          </span>
                        ) : null}
                      </span>
                    </AppLink>
                  </li>
                );
              })}
            </ul>
          )}
          {children.total > children.items.length ? (
            <p className="hint">{t('resultsShown', { n: n(children.items.length) })}</p>
          ) : null}
        </section>
      </div>
    </div>
  );
}

function versionShort(id: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(id);
  if (m) return `${m[2]}/${m[1]}`;
  return id === '2025' ? '07/2025' : id;
}
