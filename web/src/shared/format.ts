/**
 * Numbers, changes, dates and periods the way Vietnamese documents write them, and what a rise
 * in a figure means: the rules live in src/domain (vn-format.ts, direction.ts) so the server's
 * briefings and board PDFs write a figure as the screen does; the web app imports them from here.
 */
export * from '../../../src/domain/vn-format.ts';
// What a rise means, for the tiles, tables, rankings and the map's scale (one rule, in src/domain).
export {
  DIRECTION_NAMES,
  directionOf,
  goodEnd,
  judgeChange,
  judgeMove,
  judgementWord,
  type FigureDirection,
  type Judgement,
  type Movement,
} from '../../../src/domain/direction.ts';
