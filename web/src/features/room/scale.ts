/**
 * The map's colour classes: five classes by quantile (so one big city does not leave every
 * other unit in the palest colour), with breaks rounded to two significant digits so the legend
 * reads "1.200 – 2.400" rather than "1.187,33 – 2.401,9". Pure.
 */

/** Light blue to dark blue: ordered, readable for colour-blind eyes, dark enough for AA text. */
export const PALETTE_LIGHT = ['#deebf7', '#a9cce8', '#6aaed6', '#3182bd', '#08519c'];
/** On the dark wall screen: from deep teal to bright yellow, brightest for the largest. */
export const PALETTE_DARK = ['#1d4e6b', '#1f7a8c', '#3aa68d', '#93cf6b', '#f1e85c'];

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
