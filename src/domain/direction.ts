/**
 * Whether a rise in a figure is good news, bad news or neither (issue 19): a rise in positive
 * cases or cyberattacks is bad, a rise in tests done or revenue good, a count of press agencies
 * neither. Every element and indicator says it (`direction`, default neutral); the tiles, tables,
 * rankings and the map's colour scale read it through the functions here, so that the rule is
 * written once. Pure: the web app imports it as it is.
 */
import type { Lang } from './vn-format.ts';

export const DIRECTIONS = ['rise_good', 'rise_bad', 'neutral'] as const;
/** What a rise in the figure means. */
export type FigureDirection = (typeof DIRECTIONS)[number];
export const DEFAULT_DIRECTION: FigureDirection = 'neutral';

/** Which way a value moved (the arrow ▲ ▼ ■). */
export type Movement = 'up' | 'down' | 'flat';
/** What the move means for the people the figure counts. */
export type Judgement = 'good' | 'bad' | 'neutral';

/** The direction as given, or neutral when unknown (an element of an older server, a typo). */
export function directionOf(d: string | null | undefined): FigureDirection {
  return (DIRECTIONS as readonly string[]).includes(d ?? '') ? (d as FigureDirection) : 'neutral';
}

/** A rise in a "rise_bad" figure is bad, a fall good; no move, or a neutral figure, is neutral. */
export function judgeMove(direction: string | null | undefined, movement: Movement): Judgement {
  const d = directionOf(direction);
  if (d === 'neutral' || movement === 'flat') return 'neutral';
  return (movement === 'up') === (d === 'rise_good') ? 'good' : 'bad';
}

/** The same for a signed change (a difference or a percentage): its sign is the movement. */
export function judgeChange(direction: string | null | undefined, change: number): Judgement {
  if (!Number.isFinite(change)) return 'neutral';
  return judgeMove(direction, change > 0 ? 'up' : change < 0 ? 'down' : 'flat');
}

/**
 * Which end of a scale is the good one: 'high' for rise_good, 'low' for rise_bad, null for a
 * neutral figure (a map's scale then has no good end: one hue, not green to red; a ranking says
 * only "highest first").
 */
export function goodEnd(direction: string | null | undefined): 'high' | 'low' | null {
  const d = directionOf(direction);
  return d === 'rise_good' ? 'high' : d === 'rise_bad' ? 'low' : null;
}

/** The word that says what colour says, so that colour is never the only sign. */
export const JUDGEMENT_WORDS: Record<Lang, Record<Judgement, string>> = {
  vi: { good: 'tốt', bad: 'xấu', neutral: '' },
  en: { good: 'better', bad: 'worse', neutral: '' },
};

/** The word for a judgement, '' for neutral (nothing to add to the arrow). */
export function judgementWord(lang: Lang, j: Judgement): string {
  return JUDGEMENT_WORDS[lang][j];
}

/** How each direction is named where a person reads it (a ranking's note, a metadata screen). */
export const DIRECTION_NAMES: Record<Lang, Record<FigureDirection, string>> = {
  vi: { rise_good: 'tăng là tốt', rise_bad: 'tăng là xấu', neutral: 'không đánh giá tốt/xấu' },
  en: {
    rise_good: 'higher is better',
    rise_bad: 'higher is worse',
    neutral: 'neither good nor bad',
  },
};
