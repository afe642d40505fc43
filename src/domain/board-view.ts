/**
 * A board panel's figures as its views draw them (issue 19): titles, cells, pivot headers, map
 * colours, rankings, a directive's progress. Pure: the board on screen
 * (web/src/features/boards/panels/model.ts re-exports these) and the board's PDF
 * (src/services/board-html.ts) draw from the same rules.
 */
import type { AnalyticsCell } from '../contract/analytics.ts';
import type { BoardPanel, PanelData } from '../contract/board.ts';
import { goodEnd, type FigureDirection } from './direction.ts';
import { classOf, coloursFor, makeScale, paletteFor, type Region } from './map-scale.ts';
import { formatCompact, formatValue, type Lang } from './vn-format.ts';

type PanelUnit = PanelData['units'][number];
/** What finds a cell: its figure, period and unit. */
type CellKey = Pick<AnalyticsCell, 'dx' | 'pe' | 'ou'>;

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
export function panelTitle(
  panel: Pick<BoardPanel, 'title'>,
  names: string[],
  fallback: string,
): string {
  const own = panel.title?.trim();
  if (own) return own;
  return names.length > 0 ? names.join(', ') : fallback;
}

/** The cells by figure, period and unit. */
export function cellIndex<C extends CellKey>(
  cells: readonly C[],
): (dx: string, pe: string, ou: string) => C | undefined {
  const m = new Map(cells.map((c) => [`${c.dx}|${c.pe}|${c.ou}`, c]));
  return (dx, pe, ou) => m.get(`${dx}|${pe}|${ou}`);
}

/**
 * One cell per figure and unit, for the views of one value (tile, map, ranking, bars): the
 * server counts a panel's several periods as one (an analytics period filter), so their cells
 * carry the combined period's id, not one of the panel's.
 */
export function unitCellIndex<C extends CellKey>(
  cells: readonly C[],
): (dx: string, ou: string) => C | undefined {
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
