import { addDays, isRelativePeriod, parsePeriod, type Period } from './period.ts';

/** Boards (issue 19): the pure rules of their layout and references. */

/** The most panels a board holds: a wall shows about a dozen; past this it is a mistake. */
export const BOARD_PANEL_MAX = 48;
/** The grid's columns (as Grafana's 24 halved: a phone stacks, a wall shows 12). */
export const GRID_COLUMNS = 12;
/** How far down a panel may start or reach, in rows. */
export const GRID_ROWS_MAX = 200;

export const PANEL_KINDS = [
  'tile',
  'map',
  'trend',
  'ranking',
  'pivot',
  'breakdown',
  'alerts',
  'directive',
  'text',
] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

/** A panel follows the board's variable by naming it. */
export const UNIT_VARIABLE = '$unit';
export const PERIOD_VARIABLE = '$period';

export interface GridBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface GridProblem {
  /** The panel's index in the board. */
  index: number;
  kind: 'off_grid' | 'overlap';
  /** For an overlap: the index of the earlier panel it covers. */
  other?: number;
  vi: string;
  en: string;
}

const overlaps = (a: GridBox, b: GridBox) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Panels outside the 12-column grid, or covering an earlier panel: each named by its index. */
export function gridProblems(boxes: readonly GridBox[]): GridProblem[] {
  const problems: GridProblem[] = [];
  boxes.forEach((b, index) => {
    if (b.x + b.w > GRID_COLUMNS || b.y + b.h > GRID_ROWS_MAX) {
      problems.push({
        index,
        kind: 'off_grid',
        vi: `Ô ${index + 1} ra ngoài lưới (x + w ≤ ${GRID_COLUMNS}, y + h ≤ ${GRID_ROWS_MAX})`,
        en: `Panel ${index + 1} lies off the grid (x + w ≤ ${GRID_COLUMNS}, y + h ≤ ${GRID_ROWS_MAX})`,
      });
      return;
    }
    const other = boxes.findIndex((o, j) => j < index && overlaps(o, b));
    if (other >= 0)
      problems.push({
        index,
        kind: 'overlap',
        other,
        vi: `Ô ${index + 1} chồng lên ô ${other + 1}`,
        en: `Panel ${index + 1} overlaps panel ${other + 1}`,
      });
  });
  return problems;
}

/** A period a panel may name: the board's variable, a relative one, or a fixed period. */
export function isBoardPeriod(s: string): boolean {
  if (s === PERIOD_VARIABLE || isRelativePeriod(s)) return true;
  try {
    parsePeriod(s);
    return true;
  } catch {
    return false;
  }
}

/** A figure: an element or indicator code, or `ELEMENT.OPTION` for one breakdown option. */
export function splitFigure(figure: string): { code: string; option?: string } {
  const dot = figure.indexOf('.');
  return dot < 0 ? { code: figure } : { code: figure.slice(0, dot), option: figure.slice(dot + 1) };
}

/**
 * Consecutive days (LAST_7_DAYS, LAST_30_DAYS…) as one date range, for the panels that show one
 * value over their periods (a tile, a map, a ranking, a breakdown): a range is compared with the
 * days before it and the same days a year earlier, as the room's "7 ngày" is, where seven
 * separate days would be added with no comparison at all. Anything else is kept as it is.
 */
export function daysAsRange(periods: readonly Period[]): Period[] {
  if (periods.length < 2 || periods.some((p) => p.type !== 'day')) return [...periods];
  const days = [...periods].sort((a, b) => a.start.localeCompare(b.start));
  const consecutive = days.every((d, i) => i === 0 || d.start === addDays(days[i - 1]!.start, 1));
  return consecutive ? [parsePeriod(`${days[0]!.start}_${days.at(-1)!.end}`)] : [...periods];
}

/**
 * Panels in reading order: by the layout's row, then its column — the first screenful first
 * (a board's panels in one answer, GET /api/boards/{id}/data).
 */
export function readingOrder<P extends { grid: { x: number; y: number } }>(
  panels: readonly P[],
): P[] {
  return [...panels].sort((a, b) => a.grid.y - b.grid.y || a.grid.x - b.grid.x);
}
