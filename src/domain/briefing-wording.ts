/**
 * The briefing's sentences (issue 18): each line's figure written the way the Ministry's monthly
 * briefing prints it, and in English. Pure: the same figure always gives the same words, so an
 * issued briefing's sentences can be compared with the data later.
 *
 * Wording rules (briefing-wording.test.ts walks every one):
 * - Values are in the line's scale already and printed as given, with at most 2 decimals
 *   (222.762,5 tỷ đồng; 91,32 triệu thuê bao; 1.234.567.890.123).
 * - A missing value is "chưa có số liệu" / "no data yet", never 0; a real 0 is printed.
 * - "khoảng", "hơn", "gần" (about, over, nearly) stay before the number they qualify.
 * - A computed change is rounded to one decimal; a reported one keeps the decimals it was
 *   printed with (at most 2: "tăng 10,29%") and its qualifier, and is marked "(theo số liệu báo
 *   cáo)". A change that rounds to 0 is "tương đương …" (about the same); exactly 0 is "không
 *   thay đổi". No earlier value and none reported: nothing is said of that comparison, as the
 *   printed briefings do (the table and the export leave that column empty).
 * - Shares of the target: one decimal; an unreached target never prints 100% (99,9 at most),
 *   an exceeded one never prints 100% either (100,1 at least).
 */
import type {
  BriefingChange,
  BriefingFigure,
  BriefingOptionFigure,
  FigureQualifier,
} from './briefing-document.ts';
import { changeDecimals, formatNumber, type Lang } from './vn-format.ts';

export { changeDecimals };

export type { Lang };

export interface FigureSentences {
  vi: string;
  en: string;
}

/** At most this many decimals for a value, and for a change the source reported. */
export const VALUE_DECIMALS = 2;
/** Computed changes and shares of a target. */
export const SHARE_DECIMALS = 1;

const MISSING: Record<Lang, string> = { vi: 'chưa có số liệu', en: 'no data yet' };
const REPORTED_MARK: Record<Lang, string> = { vi: '(theo số liệu báo cáo)', en: '(as reported)' };
const QUALIFIER: Record<Lang, Record<FigureQualifier, string>> = {
  vi: { exact: '', about: 'khoảng', over: 'hơn', under: 'gần' },
  en: { exact: '', about: 'about', over: 'over', under: 'nearly' },
};

/** "khoảng" / "about"…; '' for an exact figure. */
export function qualifierWord(lang: Lang, q: FigureQualifier): string {
  return QUALIFIER[lang][q];
}

function qualified(lang: Lang, q: FigureQualifier, text: string): string {
  const word = qualifierWord(lang, q);
  return word ? `${word} ${text}` : text;
}

/** 1.234,5 · 1.234.567.890.123 (vi); 1,234.5 (en): a value as given, at most 2 decimals. */
export function formatFigureNumber(lang: Lang, n: number): string {
  return formatNumber(lang, n, { decimals: VALUE_DECIMALS });
}

/**
 * A value with its unit wording and qualifier: "khoảng 4.581.000 chứng thư số", "96,74%", "1.383"
 * (a plain count), "chưa có số liệu" (null).
 */
export function formatAmount(
  lang: Lang,
  value: number | null,
  unit: string | null,
  qualifier: FigureQualifier = 'exact',
): string {
  if (value === null || !Number.isFinite(value)) return MISSING[lang];
  const num = formatFigureNumber(lang, value);
  const text = !unit ? num : unit === '%' ? `${num}%` : `${num} ${unit}`;
  return qualified(lang, qualifier, text);
}

/**
 * The change from two values in percent, against the earlier value's size (so -100 → -50 is
 * +50%); null when either is missing or the earlier is 0 (no percent can be said).
 */
export function computeChangePct(value: number | null, earlier: number | null): number | null {
  if (value === null || earlier === null) return null;
  if (!Number.isFinite(value) || !Number.isFinite(earlier) || earlier === 0) return null;
  return ((value - earlier) / Math.abs(earlier)) * 100;
}

/**
 * "tăng 14,1% so với cùng kỳ năm 2021", "giảm khoảng 23% so với cùng kỳ năm 2021 (theo số liệu
 * báo cáo)", "không thay đổi so với tháng 12/2021"; null when there is nothing to say (no earlier
 * value and none reported).
 */
export function changePhrase(lang: Lang, c: BriefingChange | null): string | null {
  if (!c || c.source === 'none' || c.pct === null || !Number.isFinite(c.pct)) return null;
  const reported = c.source === 'reported';
  const size = formatNumber(lang, Math.abs(c.pct), {
    decimals: reported ? VALUE_DECIMALS : changeDecimals(c.pct),
  });
  const period = lang === 'vi' ? c.periodVi : c.periodEn;
  let phrase: string;
  if (size === '0') {
    // Rounded away is not "unchanged": only an exact 0 is.
    if (lang === 'vi')
      phrase = c.pct === 0 ? `không thay đổi so với ${period}` : `tương đương ${period}`;
    else phrase = c.pct === 0 ? `unchanged from ${period}` : `about the same as ${period}`;
  } else {
    const amount = qualified(lang, reported ? (c.qualifier ?? 'exact') : 'exact', `${size}%`);
    const verb = lang === 'vi' ? (c.pct > 0 ? 'tăng' : 'giảm') : c.pct > 0 ? 'up' : 'down';
    phrase = `${verb} ${amount} ${lang === 'vi' ? 'so với' : 'on'} ${period}`;
  }
  return reported ? `${phrase} ${REPORTED_MARK[lang]}` : phrase;
}

/**
 * "bằng 6,2% kế hoạch năm", "hoàn thành kế hoạch năm (đạt 100%)", "vượt kế hoạch năm (đạt
 * 104,5%)"; null without a share.
 */
export function targetPhrase(lang: Lang, target: BriefingFigure['target']): string | null {
  if (!target || target.share === null || !Number.isFinite(target.share)) return null;
  const share = target.share;
  const rounded = Math.round(share * 10) / 10;
  const pct = (n: number) => `${formatNumber(lang, n, { decimals: SHARE_DECIMALS })}%`;
  if (share < 100) {
    const shown = pct(Math.min(rounded, 99.9));
    return lang === 'vi' ? `bằng ${shown} kế hoạch năm` : `${shown} of the year’s target`;
  }
  if (share === 100) {
    return lang === 'vi'
      ? `hoàn thành kế hoạch năm (đạt ${pct(100)})`
      : `meeting the year’s target (${pct(100)})`;
  }
  const shown = pct(Math.max(rounded, 100.1));
  return lang === 'vi'
    ? `vượt kế hoạch năm (đạt ${shown})`
    : `exceeding the year’s target (${shown})`;
}

/** "lũy kế 8 tháng đầu năm 2021 ước đạt 1.992 tỷ đồng"; the year to date holds an estimate if the month does. */
export function ytdPhrase(
  lang: Lang,
  ytd: BriefingFigure['ytd'],
  unit: string | null,
  estimate: boolean,
): string | null {
  if (!ytd) return null;
  const amount = formatAmount(lang, ytd.value, unit);
  const known = ytd.value !== null && Number.isFinite(ytd.value);
  if (lang === 'vi') {
    const verb = !known ? '' : estimate ? 'ước đạt ' : 'là ';
    return `lũy kế ${ytd.periodVi} ${verb}${amount}`;
  }
  return `year to date (${ytd.periodEn}): ${known && estimate ? 'estimated at ' : ''}${amount}`;
}

/**
 * One breakdown option: "tấn công lừa đảo (phishing) 197 cuộc (tăng 5% so với tháng 12/2021)".
 * English names the unit once, on the total ("1,383 attacks, of which: phishing 197").
 */
export function optionPhrase(lang: Lang, o: BriefingOptionFigure, lineUnit: string | null): string {
  const unit = lang === 'vi' || lineUnit === '%' ? lineUnit : null;
  const label = lang === 'vi' ? o.labelVi : o.labelEn;
  const changes = [changePhrase(lang, o.yoy), changePhrase(lang, o.prev)].filter((p) => p !== null);
  const amount = formatAmount(lang, o.value, unit, o.qualifier);
  return `${label} ${amount}${changes.length ? ` (${changes.join(', ')})` : ''}`;
}

/** "tính đến ngày …" mid-sentence, whether or not the template wrote it with a capital. */
function midSentence(s: string): string {
  return /^\p{Lu}\p{Ll}/u.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

function write(lang: Lang, f: BriefingFigure): string {
  const vi = lang === 'vi';
  // English falls back to the Vietnamese wording rather than dropping "tỷ đồng" from a number.
  const unit = vi ? f.unitVi : (f.unitEn ?? f.unitVi);
  const missing = f.value === null || !Number.isFinite(f.value);
  let label = vi ? f.labelVi : f.labelEn;
  if (vi && f.periodVi) label += ` ${midSentence(f.periodVi)}`;
  if (!vi && f.periodEn) label += ` (${f.periodEn})`;

  const amount = formatAmount(lang, f.value, unit, f.qualifier);
  const head =
    !missing && f.estimate
      ? vi
        ? `${label} ước đạt ${amount}`
        : `${label}: estimated at ${amount}`
      : `${label}: ${amount}`;

  const rest = [
    changePhrase(lang, f.yoy),
    changePhrase(lang, f.prev),
    ytdPhrase(lang, f.ytd, unit, f.estimate),
    targetPhrase(lang, f.target),
    // Options without a value are left out of "trong đó"; none with one: nothing said.
    f.options.some((o) => o.value !== null)
      ? `${vi ? 'trong đó:' : 'of which:'} ${f.options
          .filter((o) => o.value !== null)
          .map((o) => optionPhrase(lang, o, unit))
          .join(', ')}`
      : null,
  ].filter((p) => p !== null);
  // After "chưa có số liệu" a comma would read as if what follows described a value.
  const tail = rest.length ? `${missing ? ';' : ','} ${rest.join(', ')}` : '';
  return `${head}${tail}.`;
}

/** A line's Vietnamese and English sentences. */
export function writeFigure(f: BriefingFigure): FigureSentences {
  return { vi: write('vi', f), en: write('en', f) };
}
