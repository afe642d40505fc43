import type { Schemas } from '../../shared/api/client.ts';
import { GRID_COLUMNS, GRID_ROWS_MAX } from '../../../../src/domain/board.ts';

/** A board as the builder holds it, and the pure rules of its grid (issue 19). */

export type Board = Schemas['Board'];
export type BoardItem = Schemas['BoardListItem'];
export type Panel = Schemas['BoardPanel'];
export type PanelKind = Panel['kind'];
export type PanelUnit = Schemas['BoardUnit'];
export type Share = Schemas['BoardShare'];
export type Variables = Schemas['BoardVariables'];
export type Grid = Schemas['GridPosition'];

export { GRID_COLUMNS };

export const PANEL_KINDS: readonly PanelKind[] = [
  'tile',
  'map',
  'trend',
  'ranking',
  'pivot',
  'breakdown',
  'alerts',
  'directive',
  'text',
];

/** What the builder edits: the board without its sharing and bookkeeping. */
export interface Draft {
  uid?: string;
  name: string;
  description: string;
  version?: string;
  variables: Variables;
  panels: Panel[];
}

export function emptyDraft(): Draft {
  return {
    name: '',
    description: '',
    variables: { unit: 'my_unit', period: 'THIS_MONTH' },
    panels: [],
  };
}

export function draftOf(b: Board): Draft {
  return {
    uid: b.uid,
    name: b.name,
    description: b.description,
    ...(b.version ? { version: b.version } : {}),
    variables: { ...b.variables },
    panels: b.panels.map((p) => p.panel),
  };
}

/** The board's shares as a write takes them (the tree of a unit is the board's). */
export function sharesOf(b: Board): Share[] {
  return b.shares.map((s) => ({
    kind: s.kind,
    access: s.access,
    ...(s.unit ? { unit: s.unit } : {}),
    ...(s.role ? { role: s.role as Share['role'] } : {}),
    ...(s.user ? { user: s.user } : {}),
  }));
}

/** Every figure the board shows, once (its live refresh listens to them). */
export function figuresOf(panels: readonly Panel[]): string[] {
  return [...new Set(panels.flatMap((p) => p.figures))];
}

/** The rows the board's panels reach down to. */
export function rowsOf(panels: readonly { grid: Grid }[]): number {
  return Math.max(1, ...panels.map((p) => p.grid.y + p.grid.h));
}

const overlaps = (a: Grid, b: Grid) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** The first place, row by row, where a w×h panel covers no other. */
export function freeSpot(panels: readonly { grid: Grid }[], w: number, h: number): Grid {
  const width = Math.min(w, GRID_COLUMNS);
  for (let y = 0; y < GRID_ROWS_MAX - h; y++)
    for (let x = 0; x + width <= GRID_COLUMNS; x++) {
      const g = { x, y, w: width, h };
      if (!panels.some((p) => overlaps(p.grid, g))) return g;
    }
  return { x: 0, y: rowsOf(panels), w: width, h };
}

/** A new id for a panel of `kind`, unique in the board. */
export function newPanelId(panels: readonly Panel[], kind: PanelKind): string {
  const taken = new Set(panels.map((p) => p.id));
  for (let i = 1; ; i++) if (!taken.has(`${kind}-${i}`)) return `${kind}-${i}`;
}

/** The size a new panel of a kind starts at. */
const SIZES: Record<PanelKind, [number, number]> = {
  tile: [3, 2],
  map: [6, 6],
  trend: [6, 4],
  ranking: [4, 5],
  pivot: [6, 4],
  breakdown: [4, 4],
  alerts: [6, 4],
  directive: [4, 3],
  text: [4, 2],
};

/** A panel of `kind` with its usual settings, at the first free place. */
export function newPanel(panels: readonly Panel[], kind: PanelKind): Panel {
  const [w, h] = SIZES[kind];
  const base = {
    id: newPanelId(panels, kind),
    grid: freeSpot(panels, w, h),
    figures: [] as string[],
    units: ['$unit'] as PanelUnit[],
    periods: ['$period'],
  };
  switch (kind) {
    case 'tile':
      return { ...base, kind, options: { compare: ['previous'] } };
    case 'map':
      return { ...base, kind, units: ['children'], options: { style: 'choropleth' } };
    case 'trend':
      return { ...base, kind, periods: ['LAST_12_MONTHS'], options: {} };
    case 'ranking':
      return { ...base, kind, units: ['children'], options: { order: 'desc', limit: 10 } };
    case 'pivot':
      return { ...base, kind, options: { rows: ['ou'], columns: ['dx'] } };
    case 'breakdown':
      return { ...base, kind, options: {} };
    case 'alerts':
      return { ...base, kind, periods: [], options: { limit: 10 } };
    case 'directive':
      return { ...base, kind, units: [], periods: [], options: { directive: 1 } };
    case 'text':
      return { ...base, kind, units: [], periods: [], options: { text: '' } };
  }
}

/** A panel turned into another kind: what both kinds share is kept, the options start afresh. */
export function withKind(p: Panel, kind: PanelKind, panels: readonly Panel[]): Panel {
  if (p.kind === kind) return p;
  const fresh = newPanel(panels, kind);
  return {
    ...fresh,
    id: p.id,
    grid: p.grid,
    ...(p.title ? { title: p.title } : {}),
    figures: kind === 'text' || kind === 'directive' ? [] : p.figures,
  };
}

/** What a panel still lacks before the server would take it (a message key), or null. */
export function panelProblem(
  p: Panel,
):
  | 'needsFigure'
  | 'needsText'
  | 'needsDirective'
  | 'needsRows'
  | 'bothRowsColumns'
  | 'offGrid'
  | null {
  if (p.grid.x + p.grid.w > GRID_COLUMNS) return 'offGrid';
  switch (p.kind) {
    case 'text':
      return p.options.text.trim() ? null : 'needsText';
    case 'directive':
      return p.options.directive > 0 ? null : 'needsDirective';
    case 'alerts':
      return null;
    case 'pivot':
      if (p.options.rows.length === 0) return 'needsRows';
      if (p.options.rows.some((r) => p.options.columns.includes(r))) return 'bothRowsColumns';
      return p.figures.length ? null : 'needsFigure';
    default:
      return p.figures.length ? null : 'needsFigure';
  }
}

/** The panels in reading order: by row, then column (a phone shows them so, one per row). */
export function readingOrder<P extends { grid: Grid }>(panels: readonly P[]): P[] {
  return [...panels].sort((a, b) => a.grid.y - b.grid.y || a.grid.x - b.grid.x);
}

/** How tall a panel stands on a phone, in rows of the phone's grid. */
export function phoneRows(kind: PanelKind, h: number): number {
  if (kind === 'tile') return 2;
  if (kind === 'text') return Math.min(Math.max(h, 2), 4);
  if (kind === 'map') return 7;
  return Math.min(Math.max(h, 4), 6);
}

/** A layout item of the grid, keyed by the panel's id. */
export interface LayoutBox {
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The panels' boxes given back by the grid, applied to the panels. */
export function applyLayout(panels: readonly Panel[], layout: readonly LayoutBox[]): Panel[] {
  const byId = new Map(layout.map((l) => [l.i, l]));
  return panels.map((p) => {
    const l = byId.get(p.id);
    if (!l) return p;
    const grid = { x: l.x, y: l.y, w: l.w, h: l.h };
    const same = grid.x === p.grid.x && grid.y === p.grid.y && grid.w === p.grid.w;
    return same && grid.h === p.grid.h ? p : { ...p, grid };
  });
}

/**
 * A wall's row height: the board's rows fill the height left under its header, each gap
 * `margin` px and the same above and below; never below 8 px.
 */
export function wallRowHeight(rows: number, height: number, margin: number): number {
  const n = Math.max(1, rows);
  return Math.max(8, Math.floor((height - margin * (n + 1)) / n));
}

/** A panel's name as the builder lists it: its title, or its kind and figures. */
export function panelLabel(
  p: Panel,
  kindName: string,
  figureName: (code: string) => string = (c) => c,
): string {
  if (p.title) return p.title;
  return p.figures.length ? `${kindName}: ${p.figures.map(figureName).join(', ')}` : kindName;
}
