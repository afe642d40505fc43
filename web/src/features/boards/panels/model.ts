/**
 * A board panel's figures as its views draw them (issue 19): pure, no DOM, so node's test runner
 * checks it (model.test.ts).
 */
import type { Schemas } from '../../../shared/api/client.ts';
import {
  formatCompact,
  formatValue,
  goodEnd,
  type FigureDirection,
  type Lang,
} from '../../../shared/format.ts';
import type { Cell, GeoEntry } from '../../room/data.ts';
import type { Region } from '../../room/mapOption.ts';
import { classOf, coloursFor, makeScale, paletteFor } from '../../room/scale.ts';

export type BoardPanel = Schemas['BoardPanel'];
export type PanelProblem = Schemas['PanelProblem'];
export type PanelKind = BoardPanel['kind'];
/** What `POST /api/boards/panel-data` answers (src/contract/board.ts). */
export type PanelData = Schemas['PanelData'];
export type PanelFigure = PanelData['figures'][number];
export type PanelUnit = PanelData['units'][number];

/** The nation's code: its map of every commune has this parent. */
const ROOT = 'VN';

/** How a figure's values are written: its unit and decimals (from the catalogue). */
export interface FigureFormat {
  unit: string | null;
  decimals?: number;
}

/** A value with its unit, every digit (`compact`: 91,32 triệu). */
export function valueOf(
  lang: Lang,
  v: number | null | undefined,
  f: FigureFormat | undefined,
  compact = false,
): string {
  return formatValue(lang, v, f?.unit, { decimals: f?.decimals, compact });
}

/** A panel's title: its own, else its figures' names ("Số ca dương tính, Số ca tử vong"). */
export function panelTitle(panel: BoardPanel, names: string[], fallback: string): string {
  const own = panel.title?.trim();
  if (own) return own;
  return names.length > 0 ? names.join(', ') : fallback;
}

/** "14:05": when the figures were read, in Viet Nam's time (UTC+7). */
export function timeOf(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  return new Date(t.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);
}

/** The cells by figure, period and unit. */
export function cellIndex(
  cells: readonly Cell[],
): (dx: string, pe: string, ou: string) => Cell | undefined {
  const m = new Map(cells.map((c) => [`${c.dx}|${c.pe}|${c.ou}`, c]));
  return (dx, pe, ou) => m.get(`${dx}|${pe}|${ou}`);
}

/**
 * One cell per figure and unit, for the views of one value (tile, map, ranking, bars): the
 * server counts a panel's several periods as one (an analytics period filter), so their cells
 * carry the combined period's id, not one of the panel's.
 */
export function unitCellIndex(
  cells: readonly Cell[],
): (dx: string, ou: string) => Cell | undefined {
  const m = new Map(cells.map((c) => [`${c.dx}|${c.ou}`, c]));
  return (dx, ou) => m.get(`${dx}|${ou}`);
}

/** "tháng 11/2026", or "tháng 09/2026 – tháng 11/2026" for several periods counted as one. */
export function periodsLabel(periods: readonly { label: string }[]): string {
  const first = periods[0]?.label ?? '';
  const last = periods.at(-1)?.label ?? '';
  return periods.length > 1 ? `${first} – ${last}` : first;
}

/**
 * Where each page of a wall's pivot starts, its rows this high (px) in a box `room` high: one
 * page when they all fit and nothing else says pages turn (`numbered`); else as many rows as fit
 * above the page's number (`label` high) on each page, one at least.
 */
export function rowPageStarts(
  heights: readonly number[],
  room: number,
  label: number,
  numbered = false,
): number[] {
  const sum = heights.reduce((a, h) => a + h, 0);
  if (!numbered && sum <= room + 0.5) return [0];
  const starts = [0];
  let used = 0;
  heights.forEach((h, i) => {
    if (used > 0 && used + h > room - label + 0.5) {
      starts.push(i);
      used = 0;
    }
    used += h;
  });
  return starts;
}

/**
 * Header cells of a pivot's rows (or columns): `headers[i]` is row i's item for each dimension;
 * the answer's `[i][d]` is how many rows the header of dimension d starts at row i spans, 0 where
 * it continues the one above (the same items on dimensions 0…d as the row before).
 */
export function headerSpans(headers: readonly (readonly { id: string }[])[]): number[][] {
  const same = (a: number, b: number, d: number) => {
    for (let k = 0; k <= d; k++) if (headers[a]?.[k]?.id !== headers[b]?.[k]?.id) return false;
    return true;
  };
  return headers.map((row, i) =>
    row.map((_, d) => {
      if (i > 0 && same(i, i - 1, d)) return 0;
      let n = 1;
      while (i + n < headers.length && same(i + n, i, d)) n++;
      return n;
    }),
  );
}

/**
 * The boundary map for a panel's units: the one of their common parent at their level; units of
 * several parents at the communes' level, the map of every commune. None: the units are listed.
 */
export function mapEntryFor(
  entries: readonly GeoEntry[],
  units: readonly Pick<PanelUnit, 'level' | 'parent'>[],
  version: string,
): GeoEntry | undefined {
  const first = units[0];
  if (!first) return undefined;
  const level = first.level;
  const parents = new Set(units.map((u) => u.parent));
  const parent = parents.size === 1 ? first.parent : ROOT;
  return entries.find((e) => e.version === version && e.level === level && e.parent === parent);
}

export interface MapModel {
  regions: Region[];
  legend: { colour: string; label: string }[];
  /** What the colour means: more is worse, better, or only more. */
  legendNote: 'legendMoreWorse' | 'legendMoreBetter' | 'legendMore';
  hasNoData: boolean;
  hasOutOfScope: boolean;
}

/** The legend's classes: "< 1.200", "1.200 – 2.400", "≥ 2.400". */
export function legendOf(
  lang: Lang,
  scale: { min: number; breaks: number[] },
  colours: string[],
): { colour: string; label: string }[] {
  const f = (v: number) => formatCompact(lang, v, { decimals: 2 });
  return [scale.min, ...scale.breaks].map((lo, i) => {
    const hi = scale.breaks[i];
    return {
      colour: colours[i]!,
      label: hi === undefined ? `≥ ${f(lo)}` : i === 0 ? `< ${f(hi)}` : `${f(lo)} – ${f(hi)}`,
    };
  });
}

/**
 * The map's regions: every unit of the boundary map, coloured by the figure where it is one of
 * the panel's units (the others are drawn grey, out of the panel), with the colours of what a
 * rise means (src/domain/direction.ts) and a rank among the units with a value.
 */
export function mapModel({
  lang,
  features,
  units,
  values,
  direction,
  format,
  dark,
  words,
}: {
  lang: Lang;
  features: readonly { properties: { code: string; name: string } }[];
  units: readonly Pick<PanelUnit, 'code' | 'name'>[];
  /** The figure's value by unit code. */
  values: Map<string, number | null>;
  direction: FigureDirection | undefined;
  format: FigureFormat | undefined;
  dark: boolean;
  /** Tooltip words: no value, out of the panel, "Hạng 3/34". */
  words: { noValue: string; outOfScope: string; rank: (rank: number, total: number) => string };
}): MapModel {
  const names = new Map(units.map((u) => [u.code, u.name]));
  const inScope = (code: string) => names.size === 0 || names.has(code);
  const valued = features
    .map((f) => f.properties.code)
    .filter((c) => inScope(c) && values.get(c) != null)
    .sort((a, b) => values.get(b)! - values.get(a)!);
  const rankOf = new Map(valued.map((c, i) => [c, i + 1]));
  const scale = makeScale(valued.map((c) => values.get(c)!));
  const end = goodEnd(direction);
  const colours = scale ? coloursFor(scale, paletteFor(end, dark)) : [];
  const regions: Region[] = features.map((f) => {
    const code = f.properties.code;
    const name = names.get(code) ?? f.properties.name;
    const scoped = inScope(code);
    const value = scoped ? (values.get(code) ?? null) : null;
    const rank = rankOf.get(code);
    const tooltip = [name];
    if (!scoped) tooltip.push(words.outOfScope);
    else if (value === null) tooltip.push(words.noValue);
    else {
      tooltip.push(valueOf(lang, value, format));
      if (rank) tooltip.push(words.rank(rank, valued.length));
    }
    return {
      code,
      name,
      value,
      colour: scale && value !== null ? colours[classOf(scale, value)] : undefined,
      inScope: scoped,
      alert: false,
      current: false,
      tooltip,
      short:
        value === null
          ? undefined
          : format?.unit === '%'
            ? `${formatCompact(lang, value, { decimals: 1 })}%`
            : formatCompact(lang, value, { decimals: 1 }),
    };
  });
  return {
    regions,
    legend: scale ? legendOf(lang, scale, colours) : [],
    legendNote:
      end === 'low' ? 'legendMoreWorse' : end === 'high' ? 'legendMoreBetter' : 'legendMore',
    hasNoData: regions.some((r) => r.inScope && r.value === null),
    hasOutOfScope: regions.some((r) => !r.inScope),
  };
}

/** The units in the ranking's order (`desc`: highest first), those without a value last. */
export function rankUnits<U extends { code: string; name: string }>(
  units: readonly U[],
  valueOfUnit: (code: string) => number | null | undefined,
  order: 'desc' | 'asc',
): { unit: U; rank: number | undefined; value: number | null }[] {
  const sign = order === 'desc' ? -1 : 1;
  const withValue = units
    .map((unit) => ({ unit, value: valueOfUnit(unit.code) ?? null }))
    .sort(
      (a, b) =>
        (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) ||
        (a.value !== null && b.value !== null ? sign * (a.value - b.value) : 0) ||
        a.unit.name.localeCompare(b.unit.name, 'vi'),
    );
  return withValue.map((r, i) => ({ ...r, rank: r.value === null ? undefined : i + 1 }));
}

/** A directive's progress: the share of its tasks done, 0–100 (none without tasks). */
export function doneShare(counts: { total: number; done: number }): number | null {
  return counts.total > 0 ? Math.round((counts.done / counts.total) * 100) : null;
}
