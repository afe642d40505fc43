import { useEffect, useRef, useState } from 'react';
import { useSearch } from '@tanstack/react-router';
import type { Me } from '../../shared/api/types.ts';
import { useI18n } from '../../shared/i18n.ts';
import { useGo } from '../../shared/nav.tsx';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { Browse } from './Browse.tsx';
import { levelKey, maxLevel } from './levels.ts';
import { useVersions } from './queries.ts';
import { clean, ROOT, routeUrl, sameRoute, type Route } from './route.ts';
import { SearchResults } from './SearchResults.tsx';
import { UnitsToolbar } from './UnitsToolbar.tsx';

// Its path lives apart (route.ts), so that the header can name it without loading the page.
export { UNITS_PATH } from './route.ts';

const SEARCH_DEBOUNCE_MS = 250;

export { useVersions };

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

      <UnitsToolbar
        versions={versions}
        version={version}
        onVersion={(v) => navigate({ v, q: routeRef.current.q })}
        text={text}
        onText={setText}
      />

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
