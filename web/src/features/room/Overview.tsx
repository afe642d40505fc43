import { useEffect } from 'react';
import { ApiError } from '../../shared/api/client.ts';
import type { Me } from '../../shared/api/types.ts';
import type { Lang } from '../../shared/format.ts';
import { usePathname } from '../../shared/nav.tsx';
import { shownError } from '../../shared/query.ts';
import { ErrorBox } from '../../shared/ui.tsx';
import { Breadcrumb } from './Breadcrumb.tsx';
import type { OverviewT } from './messages.ts';
import { fileSlug, PanelMenu } from './PanelMenu.tsx';
import { placeMessage } from './place.ts';
import { RoomFilters } from './RoomFilters.tsx';
import { RoomHeader } from './RoomHeader.tsx';
import { roomPanels } from './RoomPanels.tsx';
import { RoomProblems } from './RoomProblems.tsx';
import { LatestBriefing } from '../briefings/LatestBriefing.tsx';
import { ROOT, selectionOf } from './selection.ts';
import { readState, writeState, type OverviewState } from './state.ts';
import { Tiles } from './Tiles.tsx';
import { useRoomData, useUpdatedAt, type Boot } from './useRoomData.ts';
import { useRoomLive } from './useRoomLive.ts';
import { loadCharts } from './useCharts.ts';
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
  const { problems, resolved, tileCodes, mapCode, version, unitCode, rootScope } = sel;

  useRoomLive(tileCodes, mapCode, cat);

  const d = useRoomData(sel, state.all, me, geo);
  const { unit, frame, tilesQ } = d;

  const updatedAt = useUpdatedAt(tilesQ.dataUpdatedAt);

  // The charts' code is fetched once the first questions are asked (effects run in order, so
  // the requests above are on their way), and evaluated while their answers come.
  useEffect(() => {
    void loadCharts();
  }, []);

  const wall = useWallRotation(state.wall);

  const views = useRoomViews(sel, d, cat, lang, t, state.wall);
  const { mapName, periodLabel, previousLabel, tileModels, regionsModel } = views;

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

  const placeError = shownError(d.unitQ) ?? shownError(d.childrenQ);
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
  const panels = roomPanels({
    sel,
    d,
    views,
    cat,
    state,
    update,
    go,
    goHref,
    ouOf,
    onRegion,
    lang,
    t,
  });
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
          map={panels.map}
          panels={{ trend: panels.trend, ranking: panels.ranking, alerts: panels.alerts }}
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
      <LatestBriefing />
      <div className="tiles-bar">
        <PanelMenu
          t={t}
          lang={lang}
          panel={t('tilesLabel')}
          file={fileSlug(t('fileTiles'), sel.period.id)}
          query={{
            dx: tileCodes,
            pe: [sel.period.id],
            ou: [unitCode],
            version,
            changes: true,
          }}
        />
      </div>
      {tiles}
      <div className="ov-grid">
        {panels.map}
        {panels.ranking}
        {panels.trend}
        {panels.alerts}
      </div>
    </div>
  );
}
