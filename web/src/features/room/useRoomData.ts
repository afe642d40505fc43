import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me, Version } from '../../shared/api/types.ts';
import {
  analytics,
  loadCatalogue,
  loadGeo,
  loadGeoIndex,
  loadVersions,
  openAlerts,
  unitChildren,
  unitDetail,
  type Catalogue,
  type GeoEntry,
} from './data.ts';
import { frameOf, hasUnitsBelow, type Place } from './place.ts';
import { ROOT, type Selection } from './selection.ts';

/** The overview's queries: all under `room`, the figures (live-refreshed) under one key. */
export const BOOT_KEY = ['room', 'boot'] as const;
export const FIGURES_KEY = ['room', 'figures'] as const;
export const ALERTS_KEY = ['room', 'alerts'] as const;

export interface Boot {
  cat: Catalogue;
  versions: Version[];
  geo: GeoEntry[];
}

/** What the overview needs before anything else; read once (they change rarely). */
export function useRoomBoot(): { boot?: Boot; error: unknown; retry: () => void } {
  const client = useQueryClient();
  const once = { staleTime: Infinity } as const;
  const catQ = useQuery({
    queryKey: [...BOOT_KEY, 'catalogue'],
    queryFn: () => loadCatalogue(),
    ...once,
  });
  const versionsQ = useQuery({
    queryKey: [...BOOT_KEY, 'versions'],
    queryFn: () => loadVersions(),
    ...once,
  });
  const geoQ = useQuery({
    queryKey: [...BOOT_KEY, 'geo'],
    // Without boundaries the overview still works, with lists instead of maps.
    queryFn: () => loadGeoIndex().catch((): GeoEntry[] => []),
    ...once,
  });
  const boot = useMemo(
    () =>
      catQ.data && versionsQ.data && geoQ.data
        ? { cat: catQ.data, versions: versionsQ.data, geo: geoQ.data }
        : undefined,
    [catQ.data, versionsQ.data, geoQ.data],
  );
  return {
    boot,
    error: catQ.error ?? versionsQ.error,
    // Back to "loading", as on the first visit, while the reads run again.
    retry: () => void client.resetQueries({ queryKey: BOOT_KEY }),
  };
}

/**
 * Where we are and the figures the screen shows. The unit is asked first, then (in parallel with
 * the figures and the boundaries) the units of its frame; the tiles and the trend need only the
 * code, so they do not wait for the unit's details.
 */
export type RoomData = ReturnType<typeof useRoomData>;

export function useRoomData(sel: Selection, all: boolean, me: Me, geo: GeoEntry[]) {
  const { version, unitCode, rootScope, resolved, period, tileCodes, mapCode } = sel;

  // --- The unit, its frame and the frame's units ---------------------------------------------
  const unitQ = useQuery({
    queryKey: ['room', 'unit', version, unitCode],
    queryFn: ({ signal }) => unitDetail(unitCode, version, signal),
  });
  const unit = unitQ.data;
  const frame = unit ? frameOf(unit) : undefined;
  const frameHasUnits = !!unit && (frame !== unit || hasUnitsBelow(unit));
  const childrenQ = useQuery({
    queryKey: ['room', 'children', version, frame?.code, frameHasUnits],
    queryFn: ({ signal }) =>
      frameHasUnits ? unitChildren(frame!.code, version, signal) : Promise.resolve([]),
    enabled: !!frame,
  });
  const place: Place | undefined =
    unit && frame && childrenQ.data ? { unit, frame, children: childrenQ.data } : undefined;
  const frameInScope =
    !!frame &&
    (rootScope || (me.scope.version === version && frame.path.includes(`/${me.scope.code}/`)));

  // --- The map: the frame's boundaries, or every commune of the country ---------------------
  const allEntry = geo.find((e) => e.version === version && e.parent === ROOT && e.level === 2);
  const allMode = all && !!allEntry && frame?.code === ROOT && rootScope;
  const mapEntry = frame
    ? allMode
      ? allEntry
      : geo.find(
          (e) => e.version === version && e.parent === frame.code && e.level === frame.level + 1,
        )
    : undefined;
  const geoQ = useQuery({
    queryKey: ['room', 'geo', mapEntry?.href],
    queryFn: () => loadGeo(mapEntry!),
    enabled: !!mapEntry,
    staleTime: Infinity,
  });
  // On the map of every commune, a commune is named with its province.
  const provincesQ = useQuery({
    queryKey: ['room', 'children', version, ROOT, true],
    queryFn: ({ signal }) => unitChildren(ROOT, version, signal),
    enabled: allMode,
  });
  const provinceNames = useMemo(
    () => new Map((provincesQ.data ?? []).map((p) => [p.code, p.fullName])),
    [provincesQ.data],
  );

  // --- Figures (keyed by the address's period: none asked for a mistyped one) ---------------
  const tilesQ = useQuery({
    queryKey: [...FIGURES_KEY, 'tiles', tileCodes, resolved?.id, unitCode, version],
    queryFn: ({ signal }) => analytics(tileCodes, [period.id], [unitCode], version, signal),
    enabled: !!resolved,
  });
  const regionLevel = allMode ? 2 : (frame?.level ?? 0) + 1;
  const mapOu = !frame
    ? null
    : frameInScope
      ? [frame.code, `LEVEL-${regionLevel + 1}`] // DHIS2 counts levels from 1 at the nation
      : place
        ? place.children.map((c) => c.code)
        : null;
  const mapQ = useQuery({
    queryKey: [...FIGURES_KEY, 'map', mapCode, resolved?.id, mapOu, version],
    queryFn: ({ signal }) => analytics([mapCode], [period.id], mapOu!, version, signal),
    enabled: !!(frame && resolved && mapCode && mapOu && mapOu.length),
  });
  const trendPe = period.trend.map((p) => p.id);
  const trendQ = useQuery({
    queryKey: [...FIGURES_KEY, 'trend', mapCode, resolved && trendPe, unitCode, version],
    queryFn: ({ signal }) => analytics([mapCode], trendPe, [unitCode], version, signal),
    enabled: !!(resolved && mapCode),
  });
  const alertsQ = useQuery({ queryKey: ALERTS_KEY, queryFn: ({ signal }) => openAlerts(signal) });
  const alerts = useMemo(
    () => (alertsQ.data ?? []).filter((a) => a.unit.version === version),
    [alertsQ.data, version],
  );

  return {
    unitQ,
    childrenQ,
    unit,
    frame,
    place,
    frameInScope,
    allEntry,
    allMode,
    mapEntry,
    geoQ,
    provinceNames,
    tilesQ,
    mapQ,
    mapOu,
    trendQ,
    trendPe,
    alertsQ,
    alerts,
  };
}

/** "Updated at" follows the figures' answers (a refresh with the same figures included). */
export function useUpdatedAt(dataUpdatedAt: number): Date | undefined {
  const [updatedAt, setUpdatedAt] = useState<Date>();
  useEffect(() => {
    if (dataUpdatedAt) setUpdatedAt(new Date());
  }, [dataUpdatedAt]);
  return updatedAt;
}
