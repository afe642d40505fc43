import { useEffect } from 'react';
import { ApiError, type Me } from '../../api.ts';
import type { Lang } from '../../shared/format.ts';
import { usePathname } from '../../shared/nav.tsx';
import { ErrorBox } from '../../shared/ui.tsx';
import { AlertsSection } from './AlertsSection.tsx';
import { Breadcrumb } from './Breadcrumb.tsx';
import { itemOf } from './data.ts';
import { MapPanel } from './MapPanel.tsx';
import type { OverviewT } from './messages.ts';
import { placeMessage } from './place.ts';
import { RankingPanel } from './RankingPanel.tsx';
import { RoomFilters } from './RoomFilters.tsx';
import { RoomHeader } from './RoomHeader.tsx';
import { RoomProblems } from './RoomProblems.tsx';
import { ROOT, selectionOf } from './selection.ts';
import { readState, writeState, type OverviewState } from './state.ts';
import { Tiles } from './Tiles.tsx';
import { TrendPanel } from './TrendPanel.tsx';
import { useRoomData, useUpdatedAt, type Boot } from './useRoomData.ts';
import { useRoomLive } from './useRoomLive.ts';
import { useRoomViews } from './useRoomViews.ts';
import { useToday, type UpdateState } from './useRoomState.ts';
import { useWallRotation, WallGrid } from './WallMode.tsx';

/** The room once its catalogue is known: what the address asks for, read and drawn. */
export function Overview({
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
  update: UpdateState;
  lang: Lang;
  t: OverviewT;
}) {
  const { cat, versions, geo } = boot;
  const today = useToday();
  const sel = selectionOf(state, cat, versions, me, today, t);
  const { problems, resolved, period, tileCodes, mapCode, version, unitCode, rootScope } = sel;

  useRoomLive(tileCodes, mapCode, cat, version);

  const d = useRoomData(sel, state.all, me, geo);
  const { unit, frame, place, allMode, alerts, tilesQ, mapQ, trendQ, geoQ } = d;

  const updatedAt = useUpdatedAt(tilesQ.dataUpdatedAt);

  // The charts' code is fetched once the first questions are asked (effects run in order, so
  // the requests above are on their way), and evaluated while their answers come.
  useEffect(() => {
    void import('./Charts.tsx');
  }, []);

  const wall = useWallRotation(state.wall);

  const { mapItem, mapName, periodLabel, previousLabel, tileModels, regionsModel } = useRoomViews(
    sel,
    d,
    cat,
    lang,
    t,
    state.wall,
  );
  const dark = state.wall;

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

  const placeError = d.unitQ.error ?? d.childrenQ.error;
  const fatal =
    placeError instanceof ApiError ? placeMessage(placeError, t, unitCode, version) : placeError;
  const reset = () => update(readState(''));

  // --- Render ------------------------------------------------------------------------------
  const header = (
    <RoomHeader
      lang={lang}
      t={t}
      where={unit ? unit.fullName : unitCode}
      periodLabel={periodLabel}
      wall={state.wall}
      paused={wall.paused}
      onPause={wall.togglePaused}
      onWall={(on) => update({ wall: on })}
      updatedAt={updatedAt}
    />
  );
  const problemBox = <RoomProblems problems={problems} t={t} onReset={reset} />;

  if (fatal)
    return (
      <div className={`page overview${state.wall ? ' wall' : ''}`}>
        {header}
        {problemBox}
        <ErrorBox error={fatal} testId="ov-problem">
          <button type="button" className="btn" onClick={reset}>
            {t('errReset')}
          </button>
        </ErrorBox>
      </div>
    );

  const breadcrumb = unit && (
    <Breadcrumb unit={unit} scopeCode={me.scope.code} onGo={go} href={goHref} t={t} />
  );
  const mapPanel = (
    <MapPanel
      lang={lang}
      t={t}
      unit={unit}
      frame={frame}
      version={version}
      allMode={allMode}
      mapEntry={d.mapEntry}
      geo={geoQ.data}
      geoError={geoQ.error}
      values={!!mapQ.data}
      valuesReady={!!mapQ.data && !mapQ.isFetching}
      place={place}
      model={regionsModel}
      item={mapItem}
      mapName={mapName}
      periodLabel={periodLabel}
      hasAlerts={alerts.length > 0}
      dark={dark}
      wall={state.wall}
      onSelect={onRegion}
    />
  );
  const rankingPanel = (
    <RankingPanel
      mapName={mapName}
      loading={!mapQ.data && mapQ.isFetching}
      error={mapQ.error}
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
  );
  const trendPanel = (
    <TrendPanel
      lang={lang}
      t={t}
      unitName={unit?.fullName}
      period={period}
      answer={trendQ.data}
      error={trendQ.error}
      item={mapItem}
      mapName={mapName}
      dark={dark}
      big={state.wall}
    />
  );
  const alertsPanel = (
    <AlertsSection
      count={alerts.length}
      alerts={d.alertsQ.data === null ? null : d.alertsQ.data ? alerts : undefined}
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
      loading={tilesQ.isFetching}
    />
  );

  if (state.wall)
    return (
      <div className="page overview wall" data-testid="overview" data-wall="1">
        {header}
        {problemBox}
        {breadcrumb}
        {tiles}
        <WallGrid
          t={t}
          panel={wall.panel}
          onPanel={wall.setPanel}
          map={mapPanel}
          panels={{ trend: trendPanel, ranking: rankingPanel, alerts: alertsPanel }}
        />
      </div>
    );

  return (
    <div className="page overview" data-testid="overview">
      {header}
      {problemBox}
      <RoomFilters
        state={state}
        update={update}
        cat={cat}
        versions={versions}
        version={version}
        tileCodes={tileCodes}
        mapCode={mapCode}
        period={resolved}
        mapName={mapName}
        canAll={!!d.allEntry && frame?.code === ROOT && rootScope}
        allCount={d.allEntry?.features ?? 0}
        lang={lang}
        t={t}
      />
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
