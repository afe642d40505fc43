import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { ApiError, type Me, type OrgUnit, type OrgUnitDetail, type Version } from '../../api.ts';
import {
  formatCompact,
  formatDateTime,
  formatNumber,
  formatPeriod,
  formatPeriodShort,
  formatChange,
  unitLabel,
  type Lang,
} from '../../shared/format.ts';
import { useLive, useLiveStatus } from '../../shared/live.ts';
import { useGo, usePathname, useSearchString } from '../../shared/nav.tsx';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { AlertsPanel } from './AlertsPanel.tsx';
import type { MapTheme, Region, TrendPoint } from './Charts.tsx';
import {
  alertUnder,
  analytics,
  itemOf,
  loadCatalogue,
  loadGeo,
  loadGeoIndex,
  loadVersions,
  openAlerts,
  unitChildren,
  unitDetail,
  type Alert,
  type AnalyticsAnswer,
  type Catalogue,
  type Cell,
  type GeoEntry,
  type Item,
} from './data.ts';
import { sectorName, useOverviewText, type OverviewKey, type OverviewT } from './messages.ts';
import { Ranking, type RankRow } from './Ranking.tsx';
import { classOf, coloursFor, makeScale, PALETTE_DARK, PALETTE_LIGHT } from './scale.ts';
import {
  DEFAULT_TILES,
  elementsOf,
  PRESETS,
  readState,
  resolvePeriod,
  versionOn,
  vnToday,
  writeState,
  type OverviewState,
  type Preset,
  type ResolvedPeriod,
} from './state.ts';
import { itemName, Tiles, valueText, type TileModel } from './Tiles.tsx';
import './overview.css';

// The charts (Apache ECharts) come in their own chunk: the tiles do not wait for it.
const ChoroplethMap = lazy(() =>
  import('./Charts.tsx').then((m) => ({ default: m.ChoroplethMap })),
);
const TrendChart = lazy(() => import('./Charts.tsx').then((m) => ({ default: m.TrendChart })));

/** The overview is the home screen. */
export const OVERVIEW_PATH = '/';

const ROOT = 'VN';
const PANELS = ['trend', 'ranking', 'alerts'] as const;
const WALL_ROTATE_MS = 20_000;
const LIVE_DEBOUNCE_MS = 200;

const LIGHT_MAP: MapTheme = {
  noData: '#eef1f5',
  outOfScope: '#c9ced6',
  border: '#ffffff',
  hover: '#ffd166',
  alert: '#c1121f',
  current: '#111827',
};
const DARK_MAP: MapTheme = {
  noData: '#2a3547',
  outOfScope: '#151b26',
  border: '#0b1220',
  hover: '#ffd166',
  alert: '#ff4d5a',
  current: '#ffffff',
};

// ---------------------------------------------------------------------------------------------
// Small hooks

/** The address bar as state: a new entry for a user's step, replaced for the wall's rotation. */
function useUrlState(): [
  OverviewState,
  (patch: Partial<OverviewState>, replace?: boolean) => void,
] {
  const search = useSearchString();
  const pathname = usePathname();
  const state = useMemo(() => readState(search), [search]);
  const go = useGo();
  const ref = useRef(state);
  useLayoutEffect(() => {
    ref.current = state;
  });
  const update = useCallback(
    (patch: Partial<OverviewState>, replace = false) => {
      const next = { ...ref.current, ...patch };
      ref.current = next;
      go(pathname + writeState(next), { replace });
    },
    [go, pathname],
  );
  return [state, update];
}

/** Today in Viet Nam, rolling over at midnight for a wall screen left on. */
function useToday(): string {
  const [today, setToday] = useState(vnToday);
  useEffect(() => {
    const id = setInterval(() => setToday(vnToday()), 60_000);
    return () => clearInterval(id);
  }, []);
  return today;
}

interface QueryState<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
}

/**
 * Runs `run` whenever `key` changes or `tick` moves; keeps the last answer for the same key while
 * a refresh runs (so a live update does not blank the screen). `key` null: nothing to fetch.
 */
function useQuery<T>(
  key: string | null,
  run: (signal: AbortSignal) => Promise<T>,
  tick = 0,
): QueryState<T> {
  const [st, setSt] = useState<QueryState<T> & { key: string | null }>({
    key: null,
    loading: false,
  });
  const runRef = useRef(run);
  useLayoutEffect(() => {
    runRef.current = run;
  });
  useEffect(() => {
    if (key === null) return;
    const ac = new AbortController();
    setSt((prev) => (prev.key === key ? { ...prev, loading: true } : { key, loading: true }));
    runRef.current(ac.signal).then(
      (data) => {
        if (!ac.signal.aborted) setSt({ key, data, loading: false });
      },
      (error: unknown) => {
        if (!ac.signal.aborted)
          setSt((prev) => ({
            key,
            data: prev.key === key ? prev.data : undefined,
            error,
            loading: false,
          }));
      },
    );
    return () => ac.abort();
  }, [key, tick]);
  if (key === null) return { loading: false };
  return st.key === key ? st : { loading: true };
}

// ---------------------------------------------------------------------------------------------
// The page

interface Boot {
  cat: Catalogue;
  versions: Version[];
  geo: GeoEntry[];
}

export function OverviewPage({ me }: { me: Me }) {
  const { lang, t } = useOverviewText();
  const [state, update] = useUrlState();
  const [boot, setBoot] = useState<Boot>();
  const [bootError, setBootError] = useState<unknown>();
  const [bootTry, setBootTry] = useState(0);

  useEffect(() => {
    let live = true;
    Promise.all([
      loadCatalogue(),
      loadVersions(),
      // Without boundaries the overview still works, with lists instead of maps.
      loadGeoIndex().catch(() => [] as GeoEntry[]),
    ]).then(
      ([cat, versions, geo]) => live && setBoot({ cat, versions, geo }),
      (e: unknown) => live && setBootError(e),
    );
    return () => {
      live = false;
    };
  }, [bootTry]);

  // Wall mode: the page takes the whole screen, dark; the app's header steps aside.
  useEffect(() => {
    document.documentElement.classList.toggle('wall-mode', state.wall);
    return () => document.documentElement.classList.remove('wall-mode');
  }, [state.wall]);

  if (bootError)
    return (
      <div className="page overview">
        <ErrorBox error={bootError}>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setBootError(undefined);
              setBootTry((n) => n + 1);
            }}
          >
            {t('retry')}
          </button>
        </ErrorBox>
      </div>
    );
  if (!boot)
    return (
      <div className={`page overview${state.wall ? ' wall' : ''}`}>
        <Loading />
      </div>
    );
  return <Overview me={me} boot={boot} state={state} update={update} lang={lang} t={t} />;
}

interface Place {
  unit: OrgUnitDetail;
  /** The unit whose units the map and the ranking show: the unit, or its parent for a leaf. */
  frame: { code: string; name: string; fullName: string; level: number; path: string };
  /** The frame's units within the caller's scope. */
  children: OrgUnit[];
}

function Overview({
  me,
  boot,
  state,
  update,
  lang,
  t,
}: {
  me: Me;
  boot: Boot;
  state: OverviewState;
  update: (patch: Partial<OverviewState>, replace?: boolean) => void;
  lang: Lang;
  t: OverviewT;
}) {
  const { cat, versions, geo } = boot;
  const today = useToday();

  // --- What the address asks for, checked -------------------------------------------------
  const problems: string[] = [];
  let resolved: ResolvedPeriod | undefined;
  try {
    resolved = resolvePeriod(state.pe, today);
  } catch {
    problems.push(t('errBadPeriod', { period: state.pe }));
  }
  if (state.v && !versions.some((v) => v.id === state.v))
    problems.push(t('errUnknownVersion', { version: state.v }));
  const unknown = [...new Set([...state.dx, state.map])].filter((c) => !itemOf(cat, c));
  for (const code of unknown) problems.push(t('errUnknownDx', { code }));

  let tileCodes = state.dx.filter((c) => itemOf(cat, c));
  if (tileCodes.length === 0) tileCodes = DEFAULT_TILES.filter((c) => itemOf(cat, c));
  const mapCode = itemOf(cat, state.map) ? state.map : (tileCodes[0] ?? '');
  const period = resolved ?? resolvePeriod('7d', today);
  const version =
    (state.v && versions.some((v) => v.id === state.v) ? state.v : undefined) ??
    versionOn(versions, period.period.start) ??
    me.scope.version;
  const unitCode = state.ou ?? me.scope.code;
  const rootScope = me.scope.code === ROOT;

  // --- Live: refetch what the screen shows when its elements change ------------------------
  const [tick, setTick] = useState(0);
  const [alertTick, setAlertTick] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  const needed = useMemo(
    () => new Set([...tileCodes, mapCode].flatMap((c) => elementsOf(c, cat.formulas))),
    [tileCodes.join(','), mapCode, cat],
  );
  const lastRefresh = useRef(0);
  const refresh = useCallback(() => {
    // At once for a lone import; under a stream of imports, at most one refetch per 200 ms.
    if (pending.current) return;
    const run = () => {
      pending.current = undefined;
      lastRefresh.current = Date.now();
      setTick((n) => n + 1);
    };
    const wait = lastRefresh.current + LIVE_DEBOUNCE_MS - Date.now();
    if (wait <= 0) run();
    else pending.current = setTimeout(run, wait);
  }, []);
  useEffect(() => () => clearTimeout(pending.current), []);
  useLive({
    data: (e) => {
      if (e.versions?.length && !e.versions.includes(version)) return;
      if (!e.elements || e.elements.some((x) => needed.has(x.split('.')[0]!))) refresh();
    },
    alert: () => setAlertTick((n) => n + 1),
    reset: () => {
      refresh();
      setAlertTick((n) => n + 1);
    },
  });

  // --- Where we are: the unit, its frame and the frame's units -----------------------------
  // Asked one after the other only where needed: the unit, then (in parallel with the figures
  // and the boundaries) the units of its frame.
  const unitQ = useQuery<OrgUnitDetail>(`${version}|${unitCode}`, (signal) =>
    unitDetail(unitCode, version, signal),
  );
  const unit = unitQ.data;
  const frame = unit ? frameOf(unit) : undefined;
  const frameHasUnits = !!unit && (frame !== unit || hasUnitsBelow(unit));
  const childrenQ = useQuery<OrgUnit[]>(
    frame ? `${version}|children|${frame.code}` : null,
    (signal) => (frameHasUnits ? unitChildren(frame!.code, version, signal) : Promise.resolve([])),
  );
  const place: Place | undefined =
    unit && frame && childrenQ.data ? { unit, frame, children: childrenQ.data } : undefined;
  const frameInScope =
    !!frame &&
    (rootScope || (me.scope.version === version && frame.path.includes(`/${me.scope.code}/`)));

  // The map: the frame's boundaries, or every commune of the country.
  const allEntry = geo.find((e) => e.version === version && e.parent === ROOT && e.level === 2);
  const allMode = state.all && !!allEntry && frame?.code === ROOT && rootScope;
  const mapEntry = frame
    ? allMode
      ? allEntry
      : geo.find(
          (e) => e.version === version && e.parent === frame.code && e.level === frame.level + 1,
        )
    : undefined;
  const geoQ = useQuery(mapEntry ? mapEntry.href : null, () => loadGeo(mapEntry!));
  // On the map of every commune, a commune is named with its province.
  const provincesQ = useQuery(allMode ? `provinces|${version}` : null, (signal) =>
    unitChildren(ROOT, version, signal),
  );
  const provinceNames = useMemo(
    () => new Map((provincesQ.data ?? []).map((p) => [p.code, p.fullName])),
    [provincesQ.data],
  );

  // --- Figures -------------------------------------------------------------------------------
  // The tiles and the trend need only the code: they do not wait for the unit's details.
  const tilesQ = useQuery<AnalyticsAnswer>(
    resolved ? JSON.stringify(['tiles', tileCodes, period.id, unitCode, version]) : null,
    (signal) => analytics(tileCodes, [period.id], [unitCode], version, signal),
    tick,
  );
  const regionLevel = allMode ? 2 : (frame?.level ?? 0) + 1;
  const mapOu = !frame
    ? null
    : frameInScope
      ? [frame.code, `LEVEL-${regionLevel + 1}`] // DHIS2 counts levels from 1 at the nation
      : place
        ? place.children.map((c) => c.code)
        : null;
  const mapQ = useQuery<AnalyticsAnswer>(
    frame && resolved && mapCode && mapOu && mapOu.length
      ? JSON.stringify(['map', mapCode, period.id, mapOu, version])
      : null,
    (signal) => analytics([mapCode], [period.id], mapOu!, version, signal),
    tick,
  );
  const trendQ = useQuery<AnalyticsAnswer>(
    resolved && mapCode
      ? JSON.stringify(['trend', mapCode, period.trend.map((p) => p.id), unitCode, version])
      : null,
    (signal) =>
      analytics(
        [mapCode],
        period.trend.map((p) => p.id),
        [unitCode],
        version,
        signal,
      ),
    tick,
  );
  const alertsQ = useQuery<Alert[] | null>('alerts', (signal) => openAlerts(signal), alertTick);
  const alerts = useMemo(
    () => (alertsQ.data ?? []).filter((a) => a.unit.version === version),
    [alertsQ.data, version],
  );

  // "Updated at" follows the tiles' answers.
  const [updatedAt, setUpdatedAt] = useState<Date>();
  useEffect(() => {
    if (tilesQ.data) setUpdatedAt(new Date());
  }, [tilesQ.data]);

  // The charts' code is fetched once the first questions are asked (effects run in order, so
  // the requests above are on their way), and evaluated while their answers come.
  useEffect(() => {
    void import('./Charts.tsx');
  }, []);

  // --- Wall mode: panels rotate -------------------------------------------------------------
  const [panel, setPanel] = useState(0);
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (!state.wall || paused) return;
    const id = setInterval(() => setPanel((p) => (p + 1) % PANELS.length), WALL_ROTATE_MS);
    return () => clearInterval(id);
  }, [state.wall, paused, PANELS.length]);

  // --- Derived views -------------------------------------------------------------------------
  const mapItem = itemOf(cat, mapCode);
  const mapName = itemName(lang, mapItem, mapCode);
  const periodLabel = formatPeriod(lang, period.period);
  const previousLabel = previousText(t, period);
  const dark = state.wall;

  const tileModels: TileModel[] = tileCodes.map((code) => ({
    code,
    item: itemOf(cat, code),
    cell: tilesQ.data?.items.find((c) => c.dx === code),
    alert:
      !!unit && alerts.some((a) => a.rule.subject === code && alertUnder(a, version, unit.code)),
  }));

  const regionsModel = useMemo(
    () =>
      buildRegions({
        lang,
        t,
        place,
        features: geoQ.data?.features,
        cells: mapQ.data?.items,
        item: mapItem,
        alerts,
        version,
        allMode,
        frameInScope,
        dark,
        provinceNames,
      }),
    [
      lang,
      t,
      place,
      geoQ.data,
      mapQ.data,
      mapItem,
      alerts,
      version,
      allMode,
      frameInScope,
      dark,
      provinceNames,
    ],
  );

  const trendPoints: TrendPoint[] = useMemo(() => {
    const byPe = new Map((trendQ.data?.items ?? []).map((c) => [c.pe, c.value]));
    return period.trend.map((p) => ({
      label: formatPeriodShort(lang, p),
      title: formatPeriod(lang, p),
      value: byPe.get(p.id) ?? null,
    }));
  }, [trendQ.data, period, lang]);

  // The user's own unit is the default: it needs no `ou` in the address.
  const pathname = usePathname();
  const ouOf = (code: string) => (code === me.scope.code ? undefined : code);
  const go = (code: string) => update({ ou: ouOf(code), all: false });
  const goHref = (code: string) => pathname + writeState({ ...state, ou: ouOf(code), all: false });

  const onRegion = (code: string) => {
    const r = regionsModel.regions.find((x) => x.code === code);
    if (!r || !r.inScope || code === unit?.code) return;
    go(code);
  };

  const placeError = unitQ.error ?? childrenQ.error;
  const fatal =
    placeError instanceof ApiError ? placeMessage(placeError, t, unitCode, version) : placeError;

  // --- Render ------------------------------------------------------------------------------
  const header = (
    <header className="ov-head">
      <div className="ov-title">
        <h1>{t('title')}</h1>
        <p className="ov-where" data-testid="ov-where">
          <span className="ov-unit">{unit ? unit.fullName : unitCode}</span>
          <span aria-hidden="true"> · </span>
          <span className="ov-period">{periodLabel}</span>
        </p>
      </div>
      <div className="ov-head-side">
        {state.wall && <Clock lang={lang} t={t} />}
        <LiveMark t={t} updatedAt={updatedAt} />
        {state.wall ? (
          <>
            <button
              type="button"
              className="btn btn-ghost-dark"
              aria-pressed={paused}
              onClick={() => setPaused((p) => !p)}
            >
              {paused ? t('wallPlay') : t('wallPause')}
            </button>
            <button
              type="button"
              className="btn btn-ghost-dark"
              onClick={() => update({ wall: false })}
            >
              {t('wallExit')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn ov-wall-btn"
            onClick={() => update({ wall: true })}
            data-testid="wall-button"
          >
            {t('wall')}
          </button>
        )}
      </div>
    </header>
  );

  const problemBox = problems.length > 0 && (
    <div className="alert ov-problem" role="alert" data-testid="ov-problem">
      <span className="alert-icon" aria-hidden="true">
        !
      </span>
      <div className="alert-body">
        <p>
          <strong>{t('errTitle')}</strong>
        </p>
        <ul>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
        <button type="button" className="btn" onClick={() => update(readState(''))}>
          {t('errReset')}
        </button>
      </div>
    </div>
  );

  if (fatal)
    return (
      <div className={`page overview${state.wall ? ' wall' : ''}`}>
        {header}
        {problemBox}
        <ErrorBox error={fatal} testId="ov-problem">
          <button type="button" className="btn" onClick={() => update(readState(''))}>
            {t('errReset')}
          </button>
        </ErrorBox>
      </div>
    );

  const breadcrumb = unit && (
    <Breadcrumb unit={unit} scopeCode={me.scope.code} onGo={go} href={goHref} t={t} />
  );

  const mapPanel = (
    <section className="ov-panel ov-map" aria-labelledby="ov-map-title">
      <div className="ov-panel-head">
        <h2 id="ov-map-title">{t('mapTitle', { indicator: mapName })}</h2>
        {frame && (
          <p className="muted">
            {t('mapOf', {
              unit: allMode ? t('mapAllCommunes') : frame.fullName,
              period: periodLabel,
            })}
          </p>
        )}
      </div>
      {!frame ? (
        <Loading />
      ) : !mapEntry ? (
        <p className="ov-nomap" data-testid="map-none">
          {t('mapNone', { unit: frame.fullName, version })}
        </p>
      ) : geoQ.error ? (
        <ErrorBox error={geoQ.error} />
      ) : !geoQ.data || (allMode && !mapQ.data) || !place ? (
        // Thousands of communes are drawn once, with their colours, not once bare and again.
        <Loading label={t('mapLoading')} />
      ) : (
        <Suspense fallback={<Loading label={t('mapLoading')} />}>
          <ChoroplethMap
            mapKey={`${mapEntry.version}|${mapEntry.parent}|${mapEntry.level}|${mapEntry.etag}`}
            geo={geoQ.data}
            regions={regionsModel.regions}
            theme={dark ? DARK_MAP : LIGHT_MAP}
            label={t('mapAlt', {
              units: allMode ? t('mapAllCommunes') : frame.fullName,
              indicator: mapName,
            })}
            onSelect={onRegion}
            dense={allMode}
            ready={!!mapQ.data && !mapQ.loading}
            focus={unit && frame && unit.code !== frame.code ? unit.code : undefined}
          />
        </Suspense>
      )}
      {frame && (
        <Legend
          model={regionsModel}
          t={t}
          lang={lang}
          item={mapItem}
          hasAlerts={alerts.length > 0}
        />
      )}
      {mapEntry && !state.wall && <p className="hint">{t('drillHint')}</p>}
    </section>
  );

  const rankingPanel = (
    <section className="ov-panel ov-ranking" aria-labelledby="ov-ranking-title">
      <div className="ov-panel-head">
        <h2 id="ov-ranking-title">{t('rankingTitle', { indicator: mapName })}</h2>
      </div>
      {!mapQ.data && mapQ.loading ? (
        <Loading />
      ) : mapQ.error ? (
        <ErrorBox error={mapQ.error} />
      ) : (
        <Ranking
          rows={regionsModel.rows.map((r) => ({ ...r, href: goHref(r.code) }))}
          lang={lang}
          t={t}
          item={mapItem}
          caption={t('rankingCaption', {
            unit: frame?.fullName ?? '',
            indicator: mapName,
            period: periodLabel,
          })}
          previousLabel={previousLabel}
          onOpen={go}
          // Thousands of rows would slow the page for nothing: the leaders read the top.
          limit={state.wall ? 12 : allMode ? 100 : undefined}
        />
      )}
    </section>
  );

  const trendPanel = (
    <section className="ov-panel ov-trend" aria-labelledby="ov-trend-title">
      <div className="ov-panel-head">
        <h2 id="ov-trend-title">{t('trendTitle', { indicator: mapName })}</h2>
        <p className="muted">
          {unit?.fullName} · {period.trendKind === 'days' ? t('trendDays') : t('trendMonths')}
        </p>
      </div>
      {trendQ.error ? (
        <ErrorBox error={trendQ.error} />
      ) : (
        <Suspense fallback={<Loading />}>
          <TrendChart
            points={trendPoints}
            format={(v) => valueText(lang, mapItem, v, false)}
            formatAxis={(v) => formatCompact(lang, v, { decimals: 1 })}
            colour={dark ? '#f1e85c' : '#0b57a4'}
            textColour={dark ? '#d5deea' : '#4a5565'}
            gridColour={dark ? '#2a3547' : '#e3e8ef'}
            label={t('trendTitle', { indicator: mapName })}
            big={state.wall}
          />
        </Suspense>
      )}
    </section>
  );

  const alertsPanel = (
    <section className="ov-panel ov-alerts" aria-labelledby="ov-alerts-title">
      <div className="ov-panel-head">
        <h2 id="ov-alerts-title">
          {t('alertsTitle')}
          {alerts.length > 0 && (
            <span className="count-pill">{formatNumber(lang, alerts.length)}</span>
          )}
        </h2>
      </div>
      <AlertsPanel
        alerts={alertsQ.data === null ? null : alertsQ.data ? alerts : undefined}
        lang={lang}
        t={t}
        cat={cat}
        onOpen={(a) =>
          update({
            ou: ouOf(a.unit.code),
            map: itemOf(cat, a.rule.subject) ? a.rule.subject : state.map,
            all: false,
          })
        }
        limit={state.wall ? 8 : undefined}
      />
    </section>
  );

  const tiles = (
    <Tiles
      tiles={tileModels}
      lang={lang}
      t={t}
      periodLabel={periodLabel}
      previousLabel={previousLabel}
      mapCode={mapCode}
      onShowOnMap={(code) => update({ map: code })}
      loading={tilesQ.loading}
    />
  );

  if (state.wall) {
    const current = PANELS[panel]!;
    return (
      <div className="page overview wall" data-testid="overview" data-wall="1">
        {header}
        {problemBox}
        {breadcrumb}
        {tiles}
        <div className="wall-grid">
          {mapPanel}
          <div className="wall-side">
            <div
              className="wall-dots"
              role="group"
              aria-label={t('wallPanel', { i: panel + 1, n: PANELS.length })}
            >
              {PANELS.map((p, i) => (
                <button
                  key={p}
                  type="button"
                  className={`wall-dot${i === panel ? ' on' : ''}`}
                  aria-label={t('wallPanel', { i: i + 1, n: PANELS.length })}
                  aria-pressed={i === panel}
                  onClick={() => setPanel(i)}
                />
              ))}
            </div>
            {current === 'trend' ? trendPanel : current === 'ranking' ? rankingPanel : alertsPanel}
          </div>
        </div>
      </div>
    );
  }

  return (
    <div className="page overview" data-testid="overview">
      {header}
      {problemBox}
      <Options summary={`${presetOrPeriod(t, lang, state.pe, resolved)} · ${mapName}`} t={t}>
        <Controls
          state={state}
          update={update}
          cat={cat}
          versions={versions}
          version={version}
          tileCodes={tileCodes}
          mapCode={mapCode}
          period={resolved}
          canAll={!!allEntry && frame?.code === ROOT && rootScope}
          allCount={allEntry?.features ?? 0}
          lang={lang}
          t={t}
        />
      </Options>
      {breadcrumb}
      {tiles}
      <div className="ov-grid">
        {mapPanel}
        {rankingPanel}
        {trendPanel}
        {alertsPanel}
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Parts

const PHONE = '(max-width: 640px)';

/**
 * The controls: always shown on a wider screen; on a phone folded under one line that says
 * what is chosen, so the figures come first.
 */
function Options({ summary, t, children }: { summary: string; t: OverviewT; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const mq = window.matchMedia(PHONE);
    const sync = () => {
      if (!mq.matches && ref.current) ref.current.open = true;
    };
    sync();
    mq.addEventListener('change', sync);
    return () => mq.removeEventListener('change', sync);
  }, []);
  return (
    <details className="ov-options" ref={ref}>
      <summary>
        <span className="ov-options-label">{t('options')}</span>
        <span className="ov-options-now">{summary}</span>
      </summary>
      {children}
    </details>
  );
}

function presetOrPeriod(
  t: OverviewT,
  lang: Lang,
  pe: string,
  resolved: ResolvedPeriod | undefined,
): string {
  const key: Record<Preset, OverviewKey> = {
    today: 'presetToday',
    '1d': 'presetYesterday',
    '7d': 'preset7d',
    '30d': 'preset30d',
    month: 'presetMonth',
    lastmonth: 'presetLastMonth',
  };
  if (resolved?.preset) return t(key[resolved.preset]);
  return resolved ? formatPeriod(lang, resolved.period) : pe;
}

function hasUnitsBelow(unit: OrgUnitDetail): boolean {
  return (unit.countsBelow[String(unit.level + 1)] ?? 0) > 0;
}

/** The unit whose units the map shows: the unit itself, or its parent for a unit without any. */
function frameOf(unit: OrgUnitDetail): Place['frame'] {
  const parent = unit.ancestors.at(-1);
  if (hasUnitsBelow(unit) || !parent) return unit;
  return { ...parent, path: unit.path.slice(0, unit.path.length - unit.code.length - 1) };
}

function previousText(t: OverviewT, p: ResolvedPeriod): string {
  if (p.period.type === 'day') return t('vsPreviousDay');
  if (p.period.type === 'month') return t('vsPreviousMonth');
  if (p.period.type === 'range' && p.days) return t('vsPreviousDays', { n: p.days });
  return t('vsPrevious');
}

function placeMessage(e: ApiError, t: OverviewT, code: string, version: string): Error {
  if (e.code === 'unknown_unit') return new Error(t('errUnknownUnit', { code, version }));
  if (e.code === 'unknown_version') return new Error(t('errUnknownVersion', { version }));
  if (e.code === 'out_of_scope') return new Error(t('errOutOfScope', { code }));
  return e;
}

function LiveMark({ t, updatedAt }: { t: OverviewT; updatedAt?: Date }) {
  const status = useLiveStatus();
  return (
    <p
      className={`live live-${status}`}
      aria-live="polite"
      data-testid="live"
      title={t('liveTitle')}
    >
      <span className="live-dot" aria-hidden="true" />
      <span className="live-text">
        {status === 'open' ? t('live') : status === 'lost' ? t('liveLost') : t('liveConnecting')}
      </span>
      {updatedAt && status === 'open' && (
        <span className="live-time">
          {' · '}
          {t('liveUpdated', { time: timeOf(updatedAt) })}
        </span>
      )}
    </p>
  );
}

/** 14:05 in Viet Nam. */
function timeOf(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);
}

function Clock({ lang, t }: { lang: Lang; t: OverviewT }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(id);
  }, []);
  return (
    <p className="wall-clock" aria-label={t('clock')}>
      {formatDateTime(lang, now)}
    </p>
  );
}

function Breadcrumb({
  unit,
  scopeCode,
  onGo,
  href,
  t,
}: {
  unit: OrgUnitDetail;
  scopeCode: string;
  onGo: (code: string) => void;
  href: (code: string) => string;
  t: OverviewT;
}) {
  const chain = [...unit.ancestors, unit];
  const scopeAt = chain.findIndex((u) => u.code === scopeCode);
  const click = (code: string) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onGo(code);
  };
  return (
    <nav className="breadcrumb ov-crumbs" aria-label={t('breadcrumb')} data-testid="ov-breadcrumb">
      <ol>
        {chain.map((u, i) => (
          <li key={u.code}>
            {i === chain.length - 1 ? (
              <span aria-current="page">{u.fullName}</span>
            ) : scopeAt > i ? (
              <span className="crumb-out">{u.fullName}</span>
            ) : (
              <a href={href(u.code)} onClick={click(u.code)}>
                {u.fullName}
              </a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function Controls({
  state,
  update,
  cat,
  versions,
  version,
  tileCodes,
  mapCode,
  period,
  canAll,
  allCount,
  lang,
  t,
}: {
  state: OverviewState;
  update: (patch: Partial<OverviewState>) => void;
  cat: Catalogue;
  versions: Version[];
  version: string;
  tileCodes: string[];
  mapCode: string;
  period: ResolvedPeriod | undefined;
  canAll: boolean;
  allCount: number;
  lang: Lang;
  t: OverviewT;
}) {
  const presetLabel: Record<Preset, string> = {
    today: t('presetToday'),
    '1d': t('presetYesterday'),
    '7d': t('preset7d'),
    '30d': t('preset30d'),
    month: t('presetMonth'),
    lastmonth: t('presetLastMonth'),
  };
  const isPreset = (PRESETS as readonly string[]).includes(state.pe);
  const groups = useMemo(() => groupItems(cat, lang), [cat, lang]);
  const [chosen, setChosen] = useState<string[]>(tileCodes);
  const detailsRef = useRef<HTMLDetailsElement>(null);
  const tileKey = tileCodes.join(',');
  useEffect(() => setChosen(tileKey.split(',')), [tileKey]);

  return (
    <div className="card ov-controls">
      <div className="field">
        <label htmlFor="ov-period">{t('period')}</label>
        <select id="ov-period" value={state.pe} onChange={(e) => update({ pe: e.target.value })}>
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {presetLabel[p]}
            </option>
          ))}
          {!isPreset && (
            <option value={state.pe}>
              {t('presetOther', { label: period ? formatPeriod(lang, period.period) : state.pe })}
            </option>
          )}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ov-version">{t('tree')}</label>
        <select
          id="ov-version"
          value={version}
          onChange={(e) => update({ v: e.target.value, ou: undefined, all: false })}
        >
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ov-map-by">{t('mapBy')}</label>
        <select id="ov-map-by" value={mapCode} onChange={(e) => update({ map: e.target.value })}>
          {groups.map(([sector, items]) => (
            <optgroup key={sector} label={sectorName(lang, sector)}>
              {items.map((i) => (
                <option key={i.code} value={i.code}>
                  {itemName(lang, i, i.code)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      {canAll && (
        <label className="ov-check" title={t('mapAllCommunesHint', { n: allCount })}>
          <input
            type="checkbox"
            checked={state.all}
            onChange={(e) => update({ all: e.target.checked })}
          />
          {t('mapAllCommunes')}
        </label>
      )}
      <details className="ov-choose" ref={detailsRef}>
        <summary>{t('indicators')}</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen.length === 0) return;
            const map = chosen.includes(mapCode) ? mapCode : chosen[0]!;
            update({ dx: chosen, map });
            detailsRef.current?.removeAttribute('open');
          }}
        >
          <p className="hint">{t('indicatorsHint')}</p>
          {groups.map(([sector, items]) => (
            <fieldset key={sector}>
              <legend>{sectorName(lang, sector)}</legend>
              {items.map((i) => (
                <label key={i.code} className="ov-check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(i.code)}
                    onChange={(e) =>
                      setChosen((c) =>
                        e.target.checked ? [...c, i.code] : c.filter((x) => x !== i.code),
                      )
                    }
                  />
                  {itemName(lang, i, i.code)}
                  {i.kind === 'indicator' && <span className="tag">{t('indicatorTag')}</span>}
                </label>
              ))}
            </fieldset>
          ))}
          <button type="submit" className="btn btn-primary" disabled={chosen.length === 0}>
            {t('indicatorsApply')}
          </button>
        </form>
      </details>
    </div>
  );
}

const SECTOR_ORDER = [
  'covid',
  'government',
  'telecom',
  'postal',
  'it',
  'security',
  'ict',
  'press',
  'other',
];

function groupItems(cat: Catalogue, lang: Lang): [string, Item[]][] {
  const by = new Map<string, Item[]>();
  for (const i of cat.items.values()) {
    const list = by.get(i.sector) ?? [];
    list.push(i);
    by.set(i.sector, list);
  }
  const order = (s: string) => {
    const k = SECTOR_ORDER.indexOf(s);
    return k < 0 ? SECTOR_ORDER.length : k;
  };
  return [...by.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([s, items]) => [
      s,
      items.sort((a, b) =>
        (lang === 'vi' ? a.nameVi : a.nameEn).localeCompare(
          lang === 'vi' ? b.nameVi : b.nameEn,
          lang,
        ),
      ),
    ]);
}

// ---------------------------------------------------------------------------------------------
// The map's regions, its legend and the ranking rows, from one set of values

interface RegionsModel {
  regions: Region[];
  rows: Omit<RankRow, 'href'>[];
  legend: { colour: string; label: string }[];
  hasNoData: boolean;
  hasOutOfScope: boolean;
}

function buildRegions({
  lang,
  t,
  place,
  features,
  cells,
  item,
  alerts,
  version,
  allMode,
  frameInScope,
  dark,
  provinceNames,
}: {
  lang: Lang;
  t: OverviewT;
  place: Place | undefined;
  features: { properties: { code: string; name: string; province?: string } }[] | undefined;
  cells: Cell[] | undefined;
  item: Item | undefined;
  alerts: Alert[];
  version: string;
  allMode: boolean;
  frameInScope: boolean;
  dark: boolean;
  provinceNames: Map<string, string>;
}): RegionsModel {
  const empty: RegionsModel = {
    regions: [],
    rows: [],
    legend: [],
    hasNoData: false,
    hasOutOfScope: false,
  };
  if (!place) return empty;
  const byCode = new Map(
    (cells ?? []).filter((c) => c.ou !== place.frame.code).map((c) => [c.ou, c]),
  );
  const children = new Map(place.children.map((c) => [c.code, c]));
  // The units drawn: the boundary map's, else the frame's units (a list without a map).
  const units: {
    code: string;
    name: string;
    fullName: string;
    sub?: string;
    inScope: boolean;
  }[] = features
    ? features.map((f) => {
        const child = children.get(f.properties.code);
        return {
          code: f.properties.code,
          name: child?.name ?? f.properties.name,
          fullName: child?.fullName ?? f.properties.name,
          sub:
            allMode && f.properties.province ? provinceNames.get(f.properties.province) : undefined,
          inScope: allMode || frameInScope || children.has(f.properties.code),
        };
      })
    : place.children.map((c) => ({
        code: c.code,
        name: c.name,
        fullName: c.fullName,
        inScope: true,
      }));

  // Ranks among the units in scope that have a value (the server ranks the same set).
  const valued = units
    .filter((u) => u.inScope && byCode.get(u.code)?.value != null)
    .sort((a, b) => byCode.get(b.code)!.value! - byCode.get(a.code)!.value!);
  const rankOf = new Map(valued.map((u, i) => [u.code, i + 1]));

  const scale = makeScale(valued.map((u) => byCode.get(u.code)!.value!));
  const palette = dark ? PALETTE_DARK : PALETTE_LIGHT;
  const colours = scale ? coloursFor(scale, palette) : [];
  const alerted = (code: string) => alerts.some((a) => alertUnder(a, version, code));
  const currentCode = place.unit.code;

  const regions: Region[] = units.map((u) => {
    const cell = byCode.get(u.code);
    const value = cell?.value ?? null;
    const rank = rankOf.get(u.code);
    const tooltip = [u.sub ? `${u.fullName} (${u.sub})` : u.fullName];
    if (!u.inScope) tooltip.push(t('mapOutOfScope'));
    else if (value === null) tooltip.push(t('mapNoValue'));
    else {
      tooltip.push(valueText(lang, item, value, false));
      if (cell?.pop?.pct != null) tooltip.push(`${formatChange(lang, cell.pop.pct).words}`);
      if (rank) tooltip.push(t('tooltipRank', { rank, total: valued.length }));
    }
    const alert = u.inScope && alerted(u.code);
    if (alert) tooltip.push(`⚠ ${t('alertMark')}`);
    return {
      code: u.code,
      name: u.name,
      value: u.inScope ? value : null,
      colour: scale && value !== null && u.inScope ? colours[classOf(scale, value)] : undefined,
      inScope: u.inScope,
      alert,
      current: u.code === currentCode,
      tooltip,
    };
  });

  const rows = [...units.filter((u) => u.inScope)]
    .sort(
      (a, b) =>
        (rankOf.get(a.code) ?? Infinity) - (rankOf.get(b.code) ?? Infinity) ||
        a.name.localeCompare(b.name, 'vi'),
    )
    .map((u) => {
      const cell = byCode.get(u.code);
      return {
        code: u.code,
        name: u.name,
        fullName: u.fullName,
        sub: u.sub,
        cell: cell ? { ...cell, rank: rankOf.get(u.code) } : undefined,
        alert: alerted(u.code),
        current: u.code === currentCode,
      };
    });

  const legend: { colour: string; label: string }[] = [];
  if (scale) {
    const f = (v: number) => formatCompact(lang, v, { decimals: 2 });
    const bounds = [scale.min, ...scale.breaks];
    bounds.forEach((lo, i) => {
      const hi = scale.breaks[i];
      legend.push({
        colour: colours[i]!,
        label: hi === undefined ? `≥ ${f(lo)}` : i === 0 ? `< ${f(hi)}` : `${f(lo)} – ${f(hi)}`,
      });
    });
  }
  return {
    regions,
    rows,
    legend,
    hasNoData: units.some((u) => u.inScope && byCode.get(u.code)?.value == null),
    hasOutOfScope: units.some((u) => !u.inScope),
  };
}

function Legend({
  model,
  t,
  lang,
  item,
  hasAlerts,
}: {
  model: RegionsModel;
  t: OverviewT;
  lang: Lang;
  item: Item | undefined;
  hasAlerts: boolean;
}): ReactNode {
  if (model.regions.length === 0) return null;
  return (
    <div className="legend" data-testid="legend">
      <span className="legend-title">
        {t('legend')}
        {item?.unit && unitLabel(lang, item.unit) ? ` (${unitLabel(lang, item.unit)})` : ''}:
      </span>
      <ul>
        {model.legend.map((l) => (
          <li key={l.label}>
            <span className="swatch" style={{ background: l.colour }} aria-hidden="true" />
            {l.label}
          </li>
        ))}
        {model.hasNoData && (
          <li>
            <span className="swatch swatch-nodata" aria-hidden="true" />
            {t('mapNoValue')}
          </li>
        )}
        {model.hasOutOfScope && (
          <li>
            <span className="swatch swatch-out" aria-hidden="true" />
            {t('mapOutOfScope')}
          </li>
        )}
        {hasAlerts && (
          <li>
            <span className="swatch swatch-alert" aria-hidden="true" />
            {t('legendAlert')}
          </li>
        )}
      </ul>
    </div>
  );
}
