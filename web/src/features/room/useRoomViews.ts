import { useMemo } from 'react';
import { formatPeriod, type Lang } from '../../shared/format.ts';
import { alertUnder, itemOf, type Catalogue } from './data.ts';
import type { OverviewT } from './messages.ts';
import { buildRegions } from './regions.ts';
import type { Selection } from './selection.ts';
import type { ResolvedPeriod } from './state.ts';
import { itemName, type TileModel } from './Tiles.tsx';
import type { RoomData } from './useRoomData.ts';

/** What the panels show, from the selection and the answers: names, tiles, regions, rows. */
export function useRoomViews(
  sel: Selection,
  d: RoomData,
  cat: Catalogue,
  lang: Lang,
  t: OverviewT,
  dark: boolean,
) {
  const { tileCodes, mapCode, period, version } = sel;
  const { unit, place, alerts, geoQ, mapQ, tilesQ, allMode, frameInScope, provinceNames } = d;
  const mapItem = itemOf(cat, mapCode);
  const mapName = itemName(lang, mapItem, mapCode);
  const periodLabel = formatPeriod(lang, period.period);
  const previousLabel = previousText(t, period);

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
  return { mapItem, mapName, periodLabel, previousLabel, tileModels, regionsModel };
}

function previousText(t: OverviewT, p: ResolvedPeriod): string {
  if (p.period.type === 'day') return t('vsPreviousDay');
  if (p.period.type === 'month') return t('vsPreviousMonth');
  if (p.period.type === 'range' && p.days) return t('vsPreviousDays', { n: p.days });
  return t('vsPrevious');
}
