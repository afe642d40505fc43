import type { ReactNode } from 'react';
import type { Lang } from '../../shared/format.ts';
import { shownError } from '../../shared/query.ts';
import { AlertsSection } from './AlertsSection.tsx';
import { itemOf, type Catalogue } from './data.ts';
import { MapPanel } from './MapPanel.tsx';
import { fileSlug, PanelMenu } from './PanelMenu.tsx';
import type { OverviewT } from './messages.ts';
import { RankingPanel } from './RankingPanel.tsx';
import type { Selection } from './selection.ts';
import type { OverviewState } from './state.ts';
import { TrendPanel } from './TrendPanel.tsx';
import type { RoomData } from './useRoomData.ts';
import type { UpdateState } from './useRoomState.ts';
import type { useRoomViews } from './useRoomViews.ts';

/** The room's four panels, laid out by the screen or by the wall's grid. */
export interface RoomPanels {
  map: ReactNode;
  ranking: ReactNode;
  trend: ReactNode;
  alerts: ReactNode;
}

/** The map, the ranking, the trend and the alerts of what the room looks at. */
export function roomPanels({
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
}: {
  sel: Selection;
  d: RoomData;
  views: ReturnType<typeof useRoomViews>;
  cat: Catalogue;
  state: OverviewState;
  update: UpdateState;
  /** Open a unit; its address; its `ou` in the address (none for the user's own unit). */
  go: (code: string) => void;
  goHref: (code: string) => string;
  ouOf: (code: string) => string | undefined;
  onRegion: (code: string) => void;
  lang: Lang;
  t: OverviewT;
}): RoomPanels {
  const { period, version } = sel;
  const { unit, frame, place, allMode, alerts, mapQ, trendQ, geoQ } = d;
  const { mapItem, mapName, periodLabel, previousLabel, regionsModel } = views;
  const dark = state.wall;
  // A wall is looked at, not used: no menus there.
  const menu = (
    panel: string,
    kind: string,
    query: Parameters<typeof PanelMenu>[0]['query'],
    png?: string,
  ) =>
    state.wall ? undefined : (
      <PanelMenu
        t={t}
        lang={lang}
        panel={panel}
        file={fileSlug(kind, mapName, period.id)}
        query={query}
        png={png}
      />
    );
  const mapQuery = d.mapOu
    ? { dx: [sel.mapCode], pe: [period.id], ou: d.mapOu, version }
    : undefined;
  return {
    map: (
      <MapPanel
        lang={lang}
        t={t}
        unit={unit}
        frame={frame}
        version={version}
        allMode={allMode}
        mapEntry={d.mapEntry}
        geo={geoQ.data}
        geoError={shownError(geoQ)}
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
        menu={menu(t('mapTitle', { indicator: mapName }), t('fileMap'), mapQuery, '#ffffff')}
      />
    ),
    ranking: (
      <RankingPanel
        mapName={mapName}
        loading={!mapQ.data && mapQ.isFetching}
        error={shownError(mapQ)}
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
        menu={menu(
          t('rankingTitle', { indicator: mapName }),
          t('fileRanking'),
          mapQuery && { ...mapQuery, changes: true },
        )}
      />
    ),
    trend: (
      <TrendPanel
        lang={lang}
        t={t}
        unitName={unit?.fullName}
        period={period}
        answer={trendQ.data}
        error={shownError(trendQ)}
        item={mapItem}
        mapName={mapName}
        dark={dark}
        big={state.wall}
        menu={menu(
          t('trendTitle', { indicator: mapName }),
          t('fileTrend'),
          { dx: [sel.mapCode], pe: d.trendPe, ou: [sel.unitCode], version },
          '#ffffff',
        )}
      />
    ),
    alerts: (
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
    ),
  };
}
