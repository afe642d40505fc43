/**
 * Numbers, changes, dates and periods the way Vietnamese documents write them (91,32 triệu;
 * 11.496 tỷ đồng; 1.383; 14,1%; ▲ 14,1%; 20/01/2022; tháng 01/2022), with the English forms for
 * the English switch. Shared by the server (the briefing's sentences, issue 18; the board's PDF,
 * issue 19) and the web app (web/src/shared/format.ts re-exports these), so a figure reads the
 * same on paper and on screen. Pure: node 20's full ICU gives "1.234,5" for vi-VN.
 */
import { formatPeriodEn, formatPeriodVi, parsePeriod, type Period } from './period.ts';
import {
  judgeMove,
  judgementWord,
  type FigureDirection,
  type Judgement,
  type Movement,
} from './direction.ts';

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

const MAGNITUDES: Record<Lang, [number, string][]> = {
  vi: [
    [1e9, 'tỷ'],
    [1e6, 'triệu'],
  ],
  en: [
    [1e9, 'billion'],
    [1e6, 'million'],
  ],
};

/** A unit that already carries a magnitude ("triệu thuê bao", "tỷ đồng") is not scaled again. */
const SCALED_UNIT = /^(nghìn|ngàn|triệu|tỷ)\b/i;

/**
 * Large numbers with a word: 91,32 triệu · 8,4 tỷ (vi); 91.32 million (en). Below a million the
 * number is written out (1.383; 250.000), as the ministry's reports do.
 */
export function formatCompact(lang: Lang, n: number, opts: NumberOptions = {}): string {
  if (!Number.isFinite(n)) return '–';
  for (const [size, word] of MAGNITUDES[lang]) {
    if (Math.abs(n) >= size) {
      const scaled = n / size;
      const decimals = opts.decimals ?? (Math.abs(scaled) >= 100 ? 0 : 2);
      return `${formatNumber(lang, scaled, { decimals })} ${word}`;
    }
  }
  return formatNumber(lang, n, opts);
}

/** English names of the units the metadata writes in Vietnamese; others are shown as they are. */
const UNIT_EN: Record<string, string> = {
  '%': '%',
  ca: 'cases',
  'chứng thư số': 'certificates',
  'cơ quan': 'agencies',
  hạng: '',
  'hồ sơ': 'applications',
  lượt: '',
  'mạng xã hội': 'social networks',
  mẫu: 'samples',
  mục: 'items',
  người: 'people',
  'nền tảng': 'platforms',
  'phản ánh': 'reports',
  sở: 'departments',
  'sự cố': 'incidents',
  'thuê bao': 'subscriptions',
  'tin, bài': 'articles',
  triệu: 'million',
  'triệu SIM': 'million SIMs',
  'triệu bưu gửi': 'million items',
  'triệu cuộc gọi': 'million calls',
  'triệu gói, kiện': 'million parcels',
  'triệu lượt': 'million',
  'triệu thuê bao': 'million subscriptions',
  'triệu tin nhắn': 'million messages',
  'triệu tài khoản': 'million accounts',
  trường: 'schools',
  'trường hợp': 'cases',
  tấn: 'tonnes',
  tỉnh: 'provinces',
  'tỷ lượt thuê bao': 'billion deliveries',
  'tỷ tin nhắn': 'billion messages',
  'tỷ đồng': 'billion VND',
  điểm: 'points',
  đài: 'stations',
  'địa chỉ IP': 'IP addresses',
  đợt: 'campaigns',
  'ứng dụng': 'apps',
};

/** The unit in the language shown: "tỷ đồng" → "billion VND"; unknown units stay as written. */
export function unitLabel(lang: Lang, unit: string | null | undefined): string {
  if (!unit) return '';
  if (lang === 'vi') return unit;
  return UNIT_EN[unit] ?? unit;
}

/**
 * A value with its unit: 11.496 tỷ đồng · 91,32 triệu thuê bao · 8,4 triệu lượt · 14,1% (vi);
 * 11,496 billion VND · 14.1% (en). `compact: false` writes every digit.
 */
export function formatValue(
  lang: Lang,
  n: number | null | undefined,
  unit?: string | null,
  opts: NumberOptions & { compact?: boolean } = {},
): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const u = unitLabel(lang, unit);
  if (unit === '%') return formatPercent(lang, n, opts.decimals ?? 1);
  const scaledUnit = unit ? SCALED_UNIT.test(unit) : false;
  const num =
    opts.compact === false || scaledUnit
      ? formatNumber(lang, n, opts)
      : formatCompact(lang, n, opts);
  return u ? `${num} ${u}` : num;
}

export type Direction = Movement;

export interface ChangeText {
  direction: Direction;
  /** The arrow alone, for a coloured mark. */
  arrow: '▲' | '▼' | '■';
  /** "▲ 14,1%" */
  text: string;
  /** Whether the move is good or bad news for the figure (its `direction`); neutral if unsaid. */
  judgement: Judgement;
  /** The word colour stands for: "xấu" / "worse", "tốt" / "better"; '' when neutral. */
  verdict: string;
  /** The move alone in words: "tăng 14,1%" · "không đổi". */
  move: string;
  /**
   * Words for a screen reader and for those who do not read colour: "tăng 14,1%", with the
   * verdict when there is one: "tăng 14,1%, xấu" · "up 14.1%, worse".
   */
  words: string;
}

/**
 * A percentage change with its arrow: ▲ 14,1% · ▼ 2,3% · ■ 0%; judged by what a rise in the
 * figure means (`figure`: its element's or indicator's direction), so that a rise in positive
 * cases reads "xấu" and colours red, a rise in tests "tốt" and green (src/domain/direction.ts).
 */
export function formatChange(
  lang: Lang,
  pct: number,
  decimals = 1,
  figure?: FigureDirection | null,
): ChangeText {
  const rounded = Number(pct.toFixed(decimals));
  const direction: Direction = rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat';
  const arrow = direction === 'up' ? '▲' : direction === 'down' ? '▼' : '■';
  const size = formatPercent(lang, Math.abs(rounded), decimals);
  const verb =
    lang === 'vi'
      ? { up: 'tăng', down: 'giảm', flat: 'không đổi' }[direction]
      : { up: 'up', down: 'down', flat: 'unchanged' }[direction];
  const judgement = judgeMove(figure, direction);
  const verdict = judgementWord(lang, judgement);
  const move = direction === 'flat' ? verb : `${verb} ${size}`;
  return {
    direction,
    arrow,
    text: `${arrow} ${size}`,
    judgement,
    verdict,
    move,
    words: verdict ? `${move}, ${verdict}` : move,
  };
}

/** 20/01/2022 (vi) · 20 Jan 2022 (en), from 'YYYY-MM-DD' or a longer ISO timestamp. */
export function formatDate(lang: Lang, iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  if (lang === 'vi') return `${d}/${mo}/${y}`;
  const month = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ][Number(mo) - 1];
  return `${Number(d)} ${month} ${y}`;
}

/** 14:05 20/01/2022 (vi) · 20 Jan 2022, 14:05 (en), in Viet Nam's time (UTC+7). */
export function formatDateTime(lang: Lang, at: string | Date): string {
  const t = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(t.getTime())) return String(at);
  const vn = new Date(t.getTime() + 7 * 3_600_000).toISOString();
  const time = vn.slice(11, 16);
  const date = formatDate(lang, vn.slice(0, 10));
  return lang === 'vi' ? `${time} ${date}` : `${date}, ${time}`;
}

/** tháng 01/2022 · quý I/2022 · ngày 20/01/2022 (vi); January 2022 · Q1 2022 (en). */
export function formatPeriod(lang: Lang, period: string | Period): string {
  let p: Period;
  try {
    p = typeof period === 'string' ? parsePeriod(period) : period;
  } catch {
    // only a string fails to parse
    return typeof period === 'string' ? period : period.id;
  }
  return lang === 'vi' ? formatPeriodVi(p) : formatPeriodEn(p);
}

/** A short label for a chart axis: 20/01 for days, 01/2022 for months (vi); 20 Jan, Jan 2022. */
export function formatPeriodShort(lang: Lang, period: string | Period): string {
  let p: Period;
  try {
    p = typeof period === 'string' ? parsePeriod(period) : period;
  } catch {
    // only a string fails to parse
    return typeof period === 'string' ? period : period.id;
  }
  if (p.type === 'day') {
    const [, m, d] = p.start.split('-');
    return lang === 'vi' ? `${d}/${m}` : formatDate('en', p.start).split(' ').slice(0, 2).join(' ');
  }
  if (p.type === 'month') {
    const [y, m] = p.start.split('-');
    return lang === 'vi' ? `${m}/${y}` : formatPeriod('en', p).replace(/^(\w{3})\w*/, '$1');
  }
  return formatPeriod(lang, p);
}

/** Today in Viet Nam (UTC+7), 'YYYY-MM-DD'. */
export function vnToday(now: Date | number = Date.now()): string {
  return new Date(Number(now) + 7 * 3_600_000).toISOString().slice(0, 10);
}
