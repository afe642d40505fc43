/**
 * The map's colour classes: five classes by quantile (so one big city does not leave every
 * other unit in the palest colour), with breaks rounded to two significant digits so the legend
 * reads "1.200 – 2.400" rather than "1.187,33 – 2.401,9". Pure: the room's and the boards' maps
 * on screen (web/src/features/room/scale.ts re-exports this) and the board's PDF draw with it.
 */

/** A region as the map draws it: its value, colour and tooltip. */
export interface Region {
  code: string;
  name: string;
  value: number | null;
  /** Fill colour; undefined: no value. */
  colour?: string;
  inScope: boolean;
  alert: boolean;
  /** The unit looked at (a commune inside its province's map). */
  current: boolean;
  /** Tooltip lines, plain text (escaped where drawn). */
  tooltip: string[];
  /** The value as a short label on the map ("1,2 tr"); undefined: none. */
  short?: string;
}

/** The map's colours around the scale. */
export interface MapTheme {
  noData: string;
  outOfScope: string;
  border: string;
  hover: string;
  alert: string;
  current: string;
  /** Text drawn on the map and the halo around it. */
  text: string;
  halo: string;
}

/** Light blue to dark blue: ordered, readable for colour-blind eyes, dark enough for AA text. */
export const PALETTE_LIGHT = ['#deebf7', '#a9cce8', '#6aaed6', '#3182bd', '#08519c'];
/** On the dark wall screen: from deep teal to bright yellow, brightest for the largest. */
export const PALETTE_DARK = ['#1d4e6b', '#1f7a8c', '#3aa68d', '#93cf6b', '#f1e85c'];

/**
 * A figure whose rise is bad (positive cases, cyberattacks): light yellow to dark red, the worst
 * darkest (ColorBrewer YlOrRd); on the wall, dim to bright, the worst brightest.
 */
export const PALETTE_BAD_LIGHT = ['#ffffb2', '#fecc5c', '#fd8d3c', '#e31a1c', '#a50f15'];
export const PALETTE_BAD_DARK = ['#4a2a2a', '#7a3030', '#b23a32', '#e8552f', '#ff9a5c'];
/** A figure whose rise is good (tests done, revenue): light to dark green (ColorBrewer YlGn). */
export const PALETTE_GOOD_LIGHT = ['#f7fcb9', '#c2e699', '#78c679', '#31a354', '#006837'];
export const PALETTE_GOOD_DARK = ['#1d3b2a', '#25603b', '#2f8a4c', '#56b95f', '#a6e27a'];

/**
 * The map's palette for a figure: red for "more is worse", green for "more is better", blue (teal
 * to yellow on the wall) when a figure is neither, so that the colour means what the tiles say.
 */
export function paletteFor(goodEnd: 'high' | 'low' | null, dark: boolean): string[] {
  if (goodEnd === 'low') return dark ? PALETTE_BAD_DARK : PALETTE_BAD_LIGHT;
  if (goodEnd === 'high') return dark ? PALETTE_GOOD_DARK : PALETTE_GOOD_LIGHT;
  return dark ? PALETTE_DARK : PALETTE_LIGHT;
}

export interface Scale {
  /** Ascending upper bounds of classes 0…n-2; the last class is open. */
  breaks: number[];
  min: number;
  max: number;
}

function nice(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const mag = Math.pow(10, Math.floor(Math.log10(Math.abs(v))) - 1);
  return Math.round(v / mag) * mag;
}

export function makeScale(values: number[], classes = 5): Scale | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const min = sorted[0]!;
  const max = sorted.at(-1)!;
  const breaks: number[] = [];
  for (let k = 1; k < classes; k++) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor((k / classes) * sorted.length))]!;
    const b = nice(q);
    if (b > min && b <= max && (breaks.length === 0 || b > breaks.at(-1)!)) breaks.push(b);
  }
  return { breaks, min, max };
}

/** Class index of a value: 0 … breaks.length. */
export function classOf(scale: Scale, v: number): number {
  let i = 0;
  while (i < scale.breaks.length && v >= scale.breaks[i]!) i++;
  return i;
}

/** Colours for the classes a scale has, spread over the palette (2 classes: lightest, darkest). */
export function coloursFor(scale: Scale, palette: string[]): string[] {
  const n = scale.breaks.length + 1;
  if (n === 1) return [palette[Math.floor(palette.length / 2)]!];
  return Array.from(
    { length: n },
    (_, i) => palette[Math.round((i * (palette.length - 1)) / (n - 1))]!,
  );
}

/** The map's colours around the scale, light and on the dark wall: the room's and the boards'. */
export const LIGHT_MAP: MapTheme = {
  noData: '#eef1f5',
  outOfScope: '#c9ced6',
  border: '#ffffff',
  hover: '#ffd166',
  alert: '#c1121f',
  current: '#111827',
  text: '#1f2937',
  halo: 'rgba(255, 255, 255, 0.85)',
};
export const DARK_MAP: MapTheme = {
  noData: '#2a3547',
  outOfScope: '#151b26',
  border: '#0b1220',
  hover: '#ffd166',
  alert: '#ff4d5a',
  current: '#ffffff',
  text: '#ffffff',
  halo: 'rgba(11, 18, 32, 0.9)',
};
