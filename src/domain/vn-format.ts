/**
 * Numbers the way Vietnamese documents write them (1.383; 91,32; 14,1%), with the English forms
 * (1,383; 91.32). Shared by the server (the briefing's sentences, issue 18) and the web app
 * (web/src/shared/format.ts re-exports these), so a figure reads the same on paper and on screen.
 * Pure: node 20's full ICU gives "1.234,5" for vi-VN.
 */

export type Lang = 'vi' | 'en';

const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

/** Formatters are costly to build and the overview formats hundreds of numbers a render. */
const cache = new Map<string, Intl.NumberFormat>();
function nf(lang: Lang, min: number, max: number): Intl.NumberFormat {
  const key = `${lang}|${min}|${max}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE[lang], {
      minimumFractionDigits: min,
      maximumFractionDigits: max,
    });
    cache.set(key, f);
  }
  return f;
}

/** Decimals worth showing: none for thousands, one for hundreds, two below. */
function autoDecimals(n: number): number {
  const a = Math.abs(n);
  return a >= 1000 ? 0 : a >= 100 ? 1 : 2;
}

export interface NumberOptions {
  /** At most this many decimals (default: 0 from 1,000 up, 1 from 100, else 2). */
  decimals?: number;
  /** Always this many decimals, e.g. 2 for "91,30". */
  fixed?: number;
}

/** 1.383 · 91,32 · 11.496 (vi); 1,383 · 91.32 (en). */
export function formatNumber(lang: Lang, n: number, opts: NumberOptions = {}): string {
  if (!Number.isFinite(n)) return '–';
  const max = opts.fixed ?? opts.decimals ?? autoDecimals(n);
  const out = nf(lang, opts.fixed ?? 0, max).format(n);
  return out === '-0' ? '0' : out;
}

/** 14,1% (vi) · 14.1% (en): no space before %, as in Vietnamese official writing. */
export function formatPercent(lang: Lang, n: number, decimals = 1): string {
  if (!Number.isFinite(n)) return '–';
  return `${formatNumber(lang, n, { decimals })}%`;
}

/**
 * A computed change's decimals: one, as the briefings print (14,1%), or two where one would
 * print a round number that the second decimal qualifies (7,03%, not 7%).
 */
export function changeDecimals(pct: number): number {
  const a = Math.abs(pct);
  const one = Math.round(a * 10) / 10;
  return one === Math.round(one) && Math.round(a * 100) !== Math.round(one * 100) ? 2 : 1;
}

/** The decimals a printed number was written with (10,29 → 2), at most two. */
export function printedDecimals(n: number): number {
  const m = /\.(\d+)/.exec(String(n));
  return Math.min(2, m ? m[1]!.length : 0);
}
