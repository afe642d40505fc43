import { formatChange, formatCompact, goodEnd, type Lang } from '../../shared/format.ts';
import type { Region } from './Charts.tsx';
import { carriedText } from './carried.ts';
import { alertUnder, type Alert, type Cell, type Item } from './data.ts';
import type { OverviewT } from './messages.ts';
import type { Place } from './place.ts';
import type { RankRow } from './Ranking.tsx';
import { classOf, coloursFor, makeScale, paletteFor } from './scale.ts';
import { valueText } from './Tiles.tsx';

// The map's regions, its legend and the ranking rows, from one set of values

export interface RegionsModel {
  regions: Region[];
  rows: Omit<RankRow, 'href'>[];
  legend: { colour: string; label: string }[];
  /** What the colour means: more is worse, better, or only more. */
  legendNote: string;
  hasNoData: boolean;
  hasOutOfScope: boolean;
}

export function buildRegions({
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
    legendNote: '',
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
  const end = goodEnd(item?.direction);
  const palette = paletteFor(end, dark);
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
      if (cell?.pop?.pct != null)
        tooltip.push(formatChange(lang, cell.pop.pct, 1, item?.direction).words);
      if (rank) tooltip.push(t('tooltipRank', { rank, total: valued.length }));
      if (cell?.carried) {
        const c = carriedText(lang, t, cell.carried);
        tooltip.push(`${c.icon} ${c.label}`);
      }
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
      short:
        value === null
          ? undefined
          : item?.unit === '%'
            ? `${formatCompact(lang, value, { decimals: 1 })}%`
            : formatCompact(lang, value, { decimals: 1 }),
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
    legendNote: t(
      end === 'low' ? 'legendMoreWorse' : end === 'high' ? 'legendMoreBetter' : 'legendMore',
      { shade: t(dark ? 'legendBrighter' : 'legendDarker') },
    ),
    hasNoData: units.some((u) => u.inScope && byCode.get(u.code)?.value == null),
    hasOutOfScope: units.some((u) => !u.inScope),
  };
}
