/**
 * Numbers, changes, dates and periods the way Vietnamese documents write them (91,32 triệu;
 * 11.496 tỷ đồng; 1.383; 14,1%; ▲ 14,1%; 20/01/2022; tháng 01/2022), with the English forms for
 * the English switch. Pure: no DOM, so node's test runner checks it (web/src/shared/format.test.ts).
 */
import {
  formatPeriodEn,
  formatPeriodVi,
  parsePeriod,
  type Period,
} from '../../../src/domain/period.ts';
import {
  changeDecimals,
  formatNumber,
  formatPercent,
  printedDecimals,
  type Lang,
  type NumberOptions,
} from '../../../src/domain/vn-format.ts';
import {
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

// The number forms live in src/domain so the server writes the briefing's figures the same way.
export {
  changeDecimals,
  formatNumber,
  formatPercent,
  printedDecimals,
  type Lang,
  type NumberOptions,
};
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
};

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
