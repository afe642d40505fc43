/**
 * A board panel's figures as its views draw them (issue 19): pure, no DOM, so node's test runner
 * checks it (model.test.ts). The rules the board's PDF shares live in src/domain/board-view.ts.
 */
import type { Schemas } from '../../../shared/api/client.ts';
import type { GeoEntry } from '../../room/data.ts';

// The same on screen and on paper (src/services/board-html.ts): one place, src/domain.
export {
  cellIndex,
  doneShare,
  headerSpans,
  legendOf,
  mapModel,
  panelTitle,
  periodsLabel,
  rankUnits,
  unitCellIndex,
  valueOf,
  type FigureFormat,
  type MapModel,
} from '../../../../../src/domain/board-view.ts';

export type BoardPanel = Schemas['BoardPanel'];
export type PanelProblem = Schemas['PanelProblem'];
export type PanelKind = BoardPanel['kind'];
/** What `POST /api/boards/panel-data` answers (src/contract/board.ts). */
export type PanelData = Schemas['PanelData'];
export type PanelFigure = PanelData['figures'][number];
export type PanelUnit = PanelData['units'][number];

/** The nation's code: its map of every commune has this parent. */
const ROOT = 'VN';

/** "14:05": when the figures were read, in Viet Nam's time (UTC+7). */
export function timeOf(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  return new Date(t.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);
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
