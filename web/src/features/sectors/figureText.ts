import { formatNumber, formatPercent, unitLabel, type Lang } from '../../shared/format.ts';

/** How a figure's numbers and words are written on its card. */

/** The ministry prints figures to at most two decimals: 91,32 triệu; 96,74%; 1.383. */
const DECIMALS = 2;

export function valueParts(
  lang: Lang,
  value: number,
  unit: string | null,
): { num: string; unit: string } {
  if (unit === '%') return { num: formatPercent(lang, value, DECIMALS), unit: '' };
  return { num: formatNumber(lang, value, { decimals: DECIMALS }), unit: unitLabel(lang, unit) };
}

/** How the source qualified a printed number ("hơn 700.000", "giảm khoảng 23%"). */
export type Qualifier = 'about' | 'nearly' | 'over' | 'under';
export const QUALIFIER_WORDS: Record<Lang, Record<Qualifier, string>> = {
  vi: { about: 'khoảng', nearly: 'gần', over: 'hơn', under: 'dưới' },
  en: { about: 'about', nearly: 'nearly', over: 'over', under: 'under' },
};

export const joined = (v: { num: string; unit: string }) => (v.unit ? `${v.num} ${v.unit}` : v.num);

/**
 * The demo's comments read `source: "the article's words" | a note`; the page shows the words.
 * Other comments are shown as they are.
 */
export function quoteOf(note: string): string {
  const first = note.split(' | ')[0]!.trim();
  const m = /^[\w.-]+:\s*"(.*)"$/s.exec(first);
  return m ? m[1]! : first;
}

/** A name inside a sentence: "Cơ cấu theo loại tấn công mạng". */
export const midSentence = (name: string) => name.charAt(0).toLocaleLowerCase('vi') + name.slice(1);
