/**
 * Reporting periods, modelled on DHIS2: days, ISO weeks, months, quarters, half-years, years
 * and free date ranges. Pure: every date is a plain calendar date written 'YYYY-MM-DD' and all
 * arithmetic is done on day numbers in UTC, so the machine's time zone never matters.
 *
 * Canonical ids: day 2022-01-20, ISO week 2022-W05, month 2022-01, quarter 2022-Q1,
 * half-year 2022-S1 / 2022-S2, year 2022, range 2022-01-01/2022-08-31.
 *
 * `parsePeriod` also reads DHIS2 ids (20220120, 2022W5, 202201, 2022Q1, 2022S1, 2022), ISO 8601
 * start/duration as ADX writes it (2022-01-01/P1M) and the way Vietnamese documents write periods
 * ("tháng 01/2022", "quý I/2022", "6 tháng đầu năm 2020", "từ 29/01/2022 đến 05/02/2022").
 *
 * Periods passed to the functions below should come from this module: they are read from their
 * `type` and `start` (and `end` for ranges).
 */
import { AppError } from './errors.ts';

export type PeriodType = 'day' | 'week' | 'month' | 'quarter' | 'half' | 'year' | 'range';

export interface Period {
  type: PeriodType;
  /** Canonical id, e.g. 2022-W05. */
  id: string;
  /** First day, inclusive, 'YYYY-MM-DD'. */
  start: string;
  /** Last day, inclusive, 'YYYY-MM-DD'. */
  end: string;
}

/** Calendar period types, finest first. A range has no place in this order. */
export const CALENDAR_PERIOD_TYPES = ['day', 'week', 'month', 'quarter', 'half', 'year'] as const;
export type CalendarPeriodType = (typeof CALENDAR_PERIOD_TYPES)[number];

const TYPE_ORDER: Record<PeriodType, number> = {
  day: 0,
  week: 1,
  month: 2,
  quarter: 3,
  half: 4,
  year: 5,
  range: 6,
};

/** day 0 < week 1 < month 2 < quarter 3 < half 4 < year 5; range sorts last (6). */
export function periodTypeOrder(type: PeriodType): number {
  return TYPE_ORDER[type];
}

// ---------------------------------------------------------------------------------------------
// Errors

function invalid(input: string, vi: string, en: string): AppError {
  return new AppError(
    'validation_failed',
    {
      vi: `Kỳ báo cáo không hợp lệ: ${input.trim()} (${vi})`,
      en: `Invalid period: ${input.trim()} (${en})`,
    },
    { period: input },
  );
}

function unrecognised(input: string): AppError {
  return invalid(input, 'không nhận ra cách viết kỳ báo cáo', 'unrecognised period format');
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on day numbers (days since 1970-01-01, UTC)

const DAY_MS = 86_400_000;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function dayNumber(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d); // unlike Date.UTC, does not read years 0–99 as 1900–1999
  return Math.round(t.getTime() / DAY_MS);
}

function isoOf(n: number): string {
  const t = new Date(n * DAY_MS);
  return `${pad4(t.getUTCFullYear())}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
}

function ymd(iso: string): [number, number, number] {
  return [Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))];
}

function dayNumberOf(iso: string): number {
  const [y, m, d] = ymd(iso);
  return dayNumber(y, m, d);
}

function isoDate(y: number, m: number, d: number): string {
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

/** The calendar day `n` days after (or before, if negative) an ISO date. */
export function addDays(iso: string, n: number): string {
  return isoOf(dayNumberOf(iso) + n);
}

/** ISO weekday, Monday 1 … Sunday 7. Day 0 (1970-01-01) was a Thursday. */
function weekday(n: number): number {
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** Monday of ISO week 1: the week holding 4 January. */
function week1Monday(isoYear: number): number {
  const jan4 = dayNumber(isoYear, 1, 4);
  return jan4 - (weekday(jan4) - 1);
}

/** 52 or 53. */
export function isoWeeksInYear(isoYear: number): number {
  return (week1Monday(isoYear + 1) - week1Monday(isoYear)) / 7;
}

function isoWeekOf(n: number): [number, number] {
  const thursday = n - (weekday(n) - 1) + 3;
  const isoYear = Number(isoOf(thursday).slice(0, 4));
  return [isoYear, Math.floor((thursday - dayNumber(isoYear, 1, 1)) / 7) + 1];
}

// ---------------------------------------------------------------------------------------------
// Constructors (arguments assumed valid)

function mkDay(iso: string): Period {
  return { type: 'day', id: iso, start: iso, end: iso };
}

function mkWeek(isoYear: number, week: number): Period {
  const monday = week1Monday(isoYear) + 7 * (week - 1);
  return {
    type: 'week',
    id: `${pad4(isoYear)}-W${pad2(week)}`,
    start: isoOf(monday),
    end: isoOf(monday + 6),
  };
}

function monthSpan(y: number, first: number, last: number): { start: string; end: string } {
  return { start: isoDate(y, first, 1), end: isoDate(y, last, daysInMonth(y, last)) };
}

function mkMonth(y: number, m: number): Period {
  return { type: 'month', id: `${pad4(y)}-${pad2(m)}`, ...monthSpan(y, m, m) };
}

function mkQuarter(y: number, q: number): Period {
  return { type: 'quarter', id: `${pad4(y)}-Q${q}`, ...monthSpan(y, 3 * q - 2, 3 * q) };
}

function mkHalf(y: number, h: number): Period {
  return { type: 'half', id: `${pad4(y)}-S${h}`, ...monthSpan(y, 6 * h - 5, 6 * h) };
}

function mkYear(y: number): Period {
  return { type: 'year', id: pad4(y), ...monthSpan(y, 1, 12) };
}

function mkRange(start: string, end: string): Period {
  return { type: 'range', id: `${start}/${end}`, start, end };
}

// ---------------------------------------------------------------------------------------------
// Validating builders: throw AppError naming `input`

function checkYear(input: string, y: number): void {
  if (!Number.isInteger(y) || y < 1000 || y > 9999) {
    throw invalid(input, `năm ${y} ngoài khoảng 1000–9999`, `year ${y} is outside 1000–9999`);
  }
}

function checkedDate(input: string, y: number, m: number, d: number): string {
  checkYear(input, y);
  if (m < 1 || m > 12) {
    throw invalid(input, `tháng ${m} không tồn tại, tháng phải từ 1 đến 12`, `month must be 1–12`);
  }
  if (d < 1 || d > daysInMonth(y, m)) {
    throw invalid(
      input,
      `không có ngày ${pad2(d)}/${pad2(m)}/${pad4(y)} trên lịch`,
      `${isoDate(y, m, d)} is not a calendar date`,
    );
  }
  return isoDate(y, m, d);
}

function checkedIsoDate(input: string, iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw unrecognised(input);
  return checkedDate(input, Number(match[1]), Number(match[2]), Number(match[3]));
}

function checkedWeek(input: string, y: number, w: number): Period {
  checkYear(input, y);
  const weeks = isoWeeksInYear(y);
  if (w < 1) throw invalid(input, `tuần phải từ 01 trở lên`, `week must be 1 or more`);
  if (w > weeks) {
    throw invalid(input, `năm ${y} chỉ có ${weeks} tuần ISO`, `${y} has only ${weeks} ISO weeks`);
  }
  return mkWeek(y, w);
}

function checkedMonth(input: string, y: number, m: number): Period {
  checkYear(input, y);
  if (m < 1 || m > 12) {
    throw invalid(input, `tháng ${m} không tồn tại, tháng phải từ 1 đến 12`, `month must be 1–12`);
  }
  return mkMonth(y, m);
}

function checkedQuarter(input: string, y: number, q: number): Period {
  checkYear(input, y);
  if (!(q >= 1 && q <= 4)) {
    throw invalid(input, 'quý phải từ I đến IV', 'quarter must be 1–4');
  }
  return mkQuarter(y, q);
}

function checkedHalf(input: string, y: number, h: number): Period {
  checkYear(input, y);
  if (h !== 1 && h !== 2) {
    throw invalid(
      input,
      'nửa năm phải là S1 – 6 tháng đầu năm, hoặc S2 – 6 tháng cuối năm',
      'half-year must be S1 or S2',
    );
  }
  return mkHalf(y, h);
}

function checkedRange(input: string, start: string, end: string): Period {
  if (end < start) {
    throw invalid(
      input,
      `ngày kết thúc ${viDate(end)} trước ngày bắt đầu ${viDate(start)}`,
      `end ${end} is before start ${start}`,
    );
  }
  return mkRange(start, end);
}

/** "N tháng đầu năm": S1 for 6, otherwise the range 1 January – end of month N. */
function firstMonths(input: string, n: number, y: number): Period {
  checkYear(input, y);
  if (n < 1 || n > 12) {
    throw invalid(input, 'số tháng phải từ 1 đến 12', 'number of months must be 1–12');
  }
  if (n === 6) return mkHalf(y, 1);
  const { start, end } = monthSpan(y, 1, n);
  return mkRange(start, end);
}

/** "N tháng cuối năm": S2 for 6, otherwise the range from month 13-N to 31 December. */
function lastMonths(input: string, n: number, y: number): Period {
  checkYear(input, y);
  if (n < 1 || n > 12) {
    throw invalid(input, 'số tháng phải từ 1 đến 12', 'number of months must be 1–12');
  }
  if (n === 6) return mkHalf(y, 2);
  const { start, end } = monthSpan(y, 13 - n, 12);
  return mkRange(start, end);
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6 };

// ---------------------------------------------------------------------------------------------
// Parsing

/** Lower case, no diacritics, đ as d, one space between words, none around / - . */
function normalise(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ ?([/.-]) ?/g, '$1');
}

/** ISO start + duration (ADX): 2022-01-01/P1M. Aligned standard lengths become their type. */
function fromDuration(input: string, startIso: string, n: number, unit: string): Period {
  const start = checkedIsoDate(input, startIso);
  if (n < 1) throw invalid(input, 'độ dài kỳ phải từ 1 trở lên', 'duration must be at least 1');
  const [y, m, d] = ymd(start);
  const s = dayNumberOf(start);
  if (unit === 'd' || unit === 'w') {
    const days = unit === 'd' ? n : 7 * n;
    if (days === 1) return mkDay(start);
    if (days === 7 && weekday(s) === 1) {
      const [wy, w] = isoWeekOf(s);
      return mkWeek(wy, w);
    }
    return mkRange(start, isoOf(s + days - 1));
  }
  const months = unit === 'm' ? n : 12 * n;
  if (d === 1) {
    if (months === 1) return mkMonth(y, m);
    if (months === 3 && m % 3 === 1) return mkQuarter(y, (m + 2) / 3);
    if (months === 6 && m % 6 === 1) return mkHalf(y, (m + 5) / 6);
    if (months === 12 && m === 1) return mkYear(y);
  }
  const total = m - 1 + months;
  const ey = y + Math.floor(total / 12);
  const em = (total % 12) + 1;
  const after = dayNumber(ey, em, Math.min(d, daysInMonth(ey, em)));
  return mkRange(start, isoOf(after - 1));
}

/** dd/mm/yyyy, also with - or . between. */
const DMY = String.raw`(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})`;
const DMY_PLAIN = String.raw`\d{1,2}[/.-]\d{1,2}[/.-]\d{4}`;
const SEP = String.raw`(?:[/-]| nam )`;

/**
 * Reads a period in any of the accepted forms (see the module comment). Throws AppError
 * 'validation_failed' with details `{ period: input }` for malformed or impossible periods.
 */
export function parsePeriod(input: string): Period {
  const s = normalise(input);
  if (s === '') {
    throw new AppError(
      'validation_failed',
      { vi: 'Chưa nhập kỳ báo cáo', en: 'No period given' },
      { period: input },
    );
  }
  let m: RegExpExecArray | null;
  const num = (i: number): number => Number(m?.[i]);

  // Canonical and ISO 8601.
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) {
    return mkDay(checkedDate(input, num(1), num(2), num(3)));
  }
  if ((m = /^(\d{4})-w(\d{1,2})$/.exec(s))) return checkedWeek(input, num(1), num(2));
  if ((m = /^(\d{4})-(\d{1,2})$/.exec(s))) return checkedMonth(input, num(1), num(2));
  if ((m = /^(\d{4})-q(\d+)$/.exec(s))) return checkedQuarter(input, num(1), num(2));
  if ((m = /^(\d{4})-[sh](\d+)$/.exec(s))) return checkedHalf(input, num(1), num(2));
  if ((m = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(s))) {
    return checkedRange(
      input,
      checkedIsoDate(input, m[1] ?? ''),
      checkedIsoDate(input, m[2] ?? ''),
    );
  }
  if ((m = /^(\d{4}-\d{2}-\d{2})\/p(\d+)([dwmy])$/.exec(s))) {
    return fromDuration(input, m[1] ?? '', num(2), m[3] ?? '');
  }

  // DHIS2.
  if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
    return mkDay(checkedDate(input, num(1), num(2), num(3)));
  }
  if ((m = /^(\d{4})w(\d{1,2})$/.exec(s))) return checkedWeek(input, num(1), num(2));
  if ((m = /^(\d{4})(\d{2})$/.exec(s))) return checkedMonth(input, num(1), num(2));
  if ((m = /^(\d{4})q(\d+)$/.exec(s))) return checkedQuarter(input, num(1), num(2));
  if ((m = /^(\d{4})s(\d+)$/.exec(s))) return checkedHalf(input, num(1), num(2));
  if ((m = /^(\d{4})$/.exec(s))) {
    checkYear(input, num(1));
    return mkYear(num(1));
  }

  // Vietnamese.
  if ((m = new RegExp(`^(?:ngay )?${DMY}$`).exec(s))) {
    return mkDay(checkedDate(input, num(3), num(2), num(1)));
  }
  if ((m = new RegExp(`^tuan (\\d{1,2})${SEP}(\\d{4})$`).exec(s))) {
    return checkedWeek(input, num(2), num(1));
  }
  if ((m = new RegExp(`^thang (\\d{1,2})${SEP}(\\d{4})$`).exec(s))) {
    return checkedMonth(input, num(2), num(1));
  }
  if ((m = new RegExp(`^quy ([ivx]+|\\d+)${SEP}(\\d{4})$`).exec(s))) {
    const q = m[1] ?? '';
    return checkedQuarter(input, num(2), /^\d+$/.test(q) ? Number(q) : (ROMAN[q] ?? NaN));
  }
  if ((m = /^(\d{1,2}) thang (dau|cuoi) nam (\d{4})$/.exec(s))) {
    return m[2] === 'dau' ? firstMonths(input, num(1), num(3)) : lastMonths(input, num(1), num(3));
  }
  if ((m = /^nam (\d{4})$/.exec(s))) {
    checkYear(input, num(1));
    return mkYear(num(1));
  }
  const day = String.raw`(?:ngay )?(${DMY_PLAIN}|\d{4}-\d{2}-\d{2})`;
  if ((m = new RegExp(`^tu ${day} den ${day}$`).exec(s))) {
    return checkedRange(input, readDate(input, m[1] ?? ''), readDate(input, m[2] ?? ''));
  }
  throw unrecognised(input);
}

/** dd/mm/yyyy (or with - .) or yyyy-mm-dd, checked. */
function readDate(input: string, s: string): string {
  const vi = new RegExp(`^${DMY}$`).exec(s);
  if (vi) return checkedDate(input, Number(vi[3]), Number(vi[2]), Number(vi[1]));
  return checkedIsoDate(input, s);
}

// ---------------------------------------------------------------------------------------------
// Labels and ids

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const ROMAN_Q = ['I', 'II', 'III', 'IV'];

function viDate(iso: string): string {
  const [y, m, d] = ymd(iso);
  return `${pad2(d)}/${pad2(m)}/${pad4(y)}`;
}

function enDate(iso: string): string {
  const [y, m, d] = ymd(iso);
  return `${d} ${(MONTHS_EN[m - 1] ?? '').slice(0, 3)} ${y}`;
}

/** For a range from 1 January to the last day of month N ≥ 2 of the same year: N. */
function firstMonthsCount(p: Period): number | null {
  const [sy, sm, sd] = ymd(p.start);
  const [ey, em, ed] = ymd(p.end);
  if (sy !== ey || sm !== 1 || sd !== 1 || em < 2 || ed !== daysInMonth(ey, em)) return null;
  return em;
}

/** The year and number within it: ISO year and week for weeks, calendar year otherwise. */
function yearAndIndex(p: Period): [number, number] {
  const [y, m] = ymd(p.start);
  switch (p.type) {
    case 'week':
      return isoWeekOf(dayNumberOf(p.start));
    case 'month':
      return [y, m];
    case 'quarter':
      return [y, (m + 2) / 3];
    case 'half':
      return [y, (m + 5) / 6];
    default:
      return [y, 1];
  }
}

/** ngày 20/01/2022, tuần 05/2022, tháng 01/2022, quý I/2022, 6 tháng đầu năm 2022, năm 2022… */
export function formatPeriodVi(p: Period): string {
  const [y, i] = yearAndIndex(p);
  switch (p.type) {
    case 'day':
      return `ngày ${viDate(p.start)}`;
    case 'week':
      return `tuần ${pad2(i)}/${y}`;
    case 'month':
      return `tháng ${pad2(i)}/${y}`;
    case 'quarter':
      return `quý ${ROMAN_Q[i - 1]}/${y}`;
    case 'half':
      return `6 tháng ${i === 1 ? 'đầu' : 'cuối'} năm ${y}`;
    case 'year':
      return `năm ${y}`;
    case 'range': {
      const n = firstMonthsCount(p);
      if (n !== null) return `${n} tháng đầu năm ${y}`;
      return `từ ${viDate(p.start)} đến ${viDate(p.end)}`;
    }
  }
}

/** 20 Jan 2022, week 5 of 2022, January 2022, Q1 2022, first half of 2022, 2022… */
export function formatPeriodEn(p: Period): string {
  const [y, i] = yearAndIndex(p);
  switch (p.type) {
    case 'day':
      return enDate(p.start);
    case 'week':
      return `week ${i} of ${y}`;
    case 'month':
      return `${MONTHS_EN[i - 1]} ${y}`;
    case 'quarter':
      return `Q${i} ${y}`;
    case 'half':
      return `${i === 1 ? 'first' : 'second'} half of ${y}`;
    case 'year':
      return String(y);
    case 'range': {
      const n = firstMonthsCount(p);
      if (n !== null) return `January–${MONTHS_EN[n - 1]} ${y}`;
      return `${enDate(p.start)} – ${enDate(p.end)}`;
    }
  }
}

/**
 * The DHIS2 period id: 20220120, 2022W5, 202201, 2022Q1, 2022S1, 2022. DHIS2 has no id for a
 * free range, so a range throws AppError 'validation_failed' rather than produce an id DHIS2
 * would reject (DHIS2 takes ranges as startDate/endDate instead).
 */
export function toDhis2Id(p: Period): string {
  const [y, i] = yearAndIndex(p);
  switch (p.type) {
    case 'day':
      return p.start.replace(/-/g, '');
    case 'week':
      return `${y}W${i}`;
    case 'month':
      return `${y}${pad2(i)}`;
    case 'quarter':
      return `${y}Q${i}`;
    case 'half':
      return `${y}S${i}`;
    case 'year':
      return String(y);
    case 'range':
      throw new AppError(
        'validation_failed',
        {
          vi: `Kỳ ${formatPeriodVi(p)} là một khoảng ngày, DHIS2 không có mã kỳ cho khoảng ngày`,
          en: `${p.id} is a date range; DHIS2 has no period id for a range`,
        },
        { period: p.id },
      );
  }
}

/** ISO 8601 start and duration as ADX writes it: 2022-01-01/P1M, 2022-01-31/P1D, 2022-01-03/P7D. */
export function toAdxPeriod(p: Period): string {
  const duration: Record<PeriodType, string> = {
    day: 'P1D',
    week: 'P7D',
    month: 'P1M',
    quarter: 'P3M',
    half: 'P6M',
    year: 'P1Y',
    range: `P${dayNumberOf(p.end) - dayNumberOf(p.start) + 1}D`,
  };
  return `${p.start}/${duration[p.type]}`;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/** The day, week, month… containing a date ('YYYY-MM-DD'). A range is not a calendar type. */
export function periodContaining(date: string, type: PeriodType): Period {
  const iso = checkedIsoDate(date, date);
  const [y, m] = ymd(iso);
  switch (type) {
    case 'day':
      return mkDay(iso);
    case 'week': {
      const [wy, w] = isoWeekOf(dayNumberOf(iso));
      return mkWeek(wy, w);
    }
    case 'month':
      return mkMonth(y, m);
    case 'quarter':
      return mkQuarter(y, Math.ceil(m / 3));
    case 'half':
      return mkHalf(y, m <= 6 ? 1 : 2);
    case 'year':
      return mkYear(y);
    case 'range':
      throw new AppError(
        'validation_failed',
        {
          vi: 'Khoảng ngày không phải là loại kỳ lịch (ngày, tuần, tháng, quý, 6 tháng, năm)',
          en: 'A range is not a calendar period type (day, week, month, quarter, half, year)',
        },
        { period: date, type },
      );
  }
}

/** The period of the same type just before; for a range, the range of the same length before. */
export function previousPeriod(p: Period): Period {
  if (p.type === 'range') {
    const length = dayNumberOf(p.end) - dayNumberOf(p.start) + 1;
    return mkRange(addDays(p.start, -length), addDays(p.start, -1));
  }
  return periodContaining(addDays(p.start, -1), p.type);
}

/** The period of the same type just after; for a range, the range of the same length after. */
export function nextPeriod(p: Period): Period {
  if (p.type === 'range') {
    const length = dayNumberOf(p.end) - dayNumberOf(p.start) + 1;
    return mkRange(addDays(p.end, 1), addDays(p.end, length));
  }
  return periodContaining(addDays(p.end, 1), p.type);
}

/** The same date a year earlier; 29 February becomes 28 February. */
function dateLastYear(iso: string): string {
  const [y, m, d] = ymd(iso);
  return isoDate(y - 1, m, Math.min(d, daysInMonth(y - 1, m)));
}

/**
 * The same period a year earlier. Day: same date (29 Feb → 28 Feb). Week: same ISO week number of
 * the previous ISO year (W53 → W52 when that year has 52). Month, quarter, half, year: one year
 * back. Range: both ends a year back, an end on the last day of a month staying on the last day
 * of that month (so "first N months" keeps its shape across leap years).
 */
export function samePeriodLastYear(p: Period): Period {
  const [y, i] = yearAndIndex(p);
  switch (p.type) {
    case 'day':
      return mkDay(dateLastYear(p.start));
    case 'week':
      return mkWeek(y - 1, Math.min(i, isoWeeksInYear(y - 1)));
    case 'month':
      return mkMonth(y - 1, i);
    case 'quarter':
      return mkQuarter(y - 1, i);
    case 'half':
      return mkHalf(y - 1, i);
    case 'year':
      return mkYear(y - 1);
    case 'range': {
      const [ey, em, ed] = ymd(p.end);
      const end =
        ed === daysInMonth(ey, em)
          ? isoDate(ey - 1, em, daysInMonth(ey - 1, em))
          : dateLastYear(p.end);
      return mkRange(dateLastYear(p.start), end);
    }
  }
}

/**
 * From 1 January to the end of p, as a range; the year is that of p's last day (so for 2020-W53,
 * which ends 2021-01-03, it is 2021-01-01/2021-01-03). A year is returned as itself.
 */
export function yearToDate(p: Period): Period {
  if (p.type === 'year') return p;
  return mkRange(`${p.end.slice(0, 4)}-01-01`, p.end);
}

/**
 * The periods of `type` that make up p, in order: those lying wholly inside p, except weeks,
 * which are the ISO weeks whose Thursday lies in p (DHIS2's rule). E.g. the 31 days of 2022-01,
 * the 3 months of 2022-Q1, the 52 or 53 weeks of a year. A coarser type usually gives [].
 */
export function periodsWithin(p: Period, type: PeriodType): Period[] {
  const result: Period[] = [];
  let cur = periodContaining(p.start, type);
  while (cur.start <= p.end) {
    const inside =
      type === 'week'
        ? addDays(cur.start, 3) >= p.start && addDays(cur.start, 3) <= p.end
        : cur.start >= p.start && cur.end <= p.end;
    if (inside) result.push(cur);
    cur = nextPeriod(cur);
  }
  return result;
}

/** Chronological: by start, then shorter first (end), then type order, then id. */
export function comparePeriods(a: Period, b: Period): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  if (a.end !== b.end) return a.end < b.end ? -1 : 1;
  const t = TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
  if (t !== 0) return t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A sorted copy. */
export function sortPeriods(periods: readonly Period[]): Period[] {
  return [...periods].sort(comparePeriods);
}

// ---------------------------------------------------------------------------------------------
// Relative periods (DHIS2 keywords)

/** n periods of `type` just before the one containing today, oldest first. */
function lastN(today: string, type: CalendarPeriodType, n: number): Period[] {
  const result: Period[] = [];
  let cur = periodContaining(today, type);
  for (let k = 0; k < n; k++) {
    cur = previousPeriod(cur);
    result.unshift(cur);
  }
  return result;
}

const RELATIVE: Record<string, (today: string) => Period[]> = {
  TODAY: (t) => [mkDay(t)],
  YESTERDAY: (t) => lastN(t, 'day', 1),
  LAST_7_DAYS: (t) => lastN(t, 'day', 7),
  LAST_14_DAYS: (t) => lastN(t, 'day', 14),
  LAST_30_DAYS: (t) => lastN(t, 'day', 30),
  THIS_WEEK: (t) => [periodContaining(t, 'week')],
  LAST_WEEK: (t) => lastN(t, 'week', 1),
  LAST_4_WEEKS: (t) => lastN(t, 'week', 4),
  LAST_12_WEEKS: (t) => lastN(t, 'week', 12),
  LAST_52_WEEKS: (t) => lastN(t, 'week', 52),
  THIS_MONTH: (t) => [periodContaining(t, 'month')],
  LAST_MONTH: (t) => lastN(t, 'month', 1),
  LAST_3_MONTHS: (t) => lastN(t, 'month', 3),
  LAST_6_MONTHS: (t) => lastN(t, 'month', 6),
  LAST_12_MONTHS: (t) => lastN(t, 'month', 12),
  MONTHS_THIS_YEAR: (t) => periodsWithin(periodContaining(t, 'year'), 'month'),
  THIS_QUARTER: (t) => [periodContaining(t, 'quarter')],
  LAST_QUARTER: (t) => lastN(t, 'quarter', 1),
  LAST_4_QUARTERS: (t) => lastN(t, 'quarter', 4),
  QUARTERS_THIS_YEAR: (t) => periodsWithin(periodContaining(t, 'year'), 'quarter'),
  THIS_SIX_MONTH: (t) => [periodContaining(t, 'half')],
  LAST_SIX_MONTH: (t) => lastN(t, 'half', 1),
  THIS_YEAR: (t) => [periodContaining(t, 'year')],
  LAST_YEAR: (t) => lastN(t, 'year', 1),
  LAST_5_YEARS: (t) => lastN(t, 'year', 5),
  YEAR_TO_DATE: (t) => [mkRange(`${t.slice(0, 4)}-01-01`, t)],
};

/** The relative period keywords understood, DHIS2's plus YEAR_TO_DATE. */
export const RELATIVE_PERIOD_KEYWORDS: readonly string[] = Object.keys(RELATIVE);

/** Whether s is a relative period keyword (case-insensitive), e.g. LAST_12_MONTHS. */
export function isRelativePeriod(s: string): boolean {
  return Object.hasOwn(RELATIVE, s.trim().toUpperCase());
}

/**
 * The periods a DHIS2 relative keyword means on `today` ('YYYY-MM-DD'), oldest first. As in
 * DHIS2, LAST_* excludes the current period: LAST_3_MONTHS on 2021-08-15 is 2021-05…2021-07.
 * YEAR_TO_DATE is one range from 1 January to today.
 */
export function relativePeriods(keyword: string, today: string): Period[] {
  const key = keyword.trim().toUpperCase();
  const fn = Object.hasOwn(RELATIVE, key) ? RELATIVE[key] : undefined;
  if (!fn) {
    throw new AppError(
      'validation_failed',
      {
        vi: `Kỳ tương đối không hợp lệ: ${keyword}`,
        en: `Unknown relative period: ${keyword}`,
      },
      { period: keyword },
    );
  }
  return fn(checkedIsoDate(today, today));
}

/**
 * A DHIS2 period dimension, items separated by ';' (an optional leading "pe:" is dropped):
 * fixed periods in any form parsePeriod reads and relative keywords resolved on `today`.
 * Deduplicated by id, in order of first appearance.
 */
export function parsePeriodList(s: string, today: string): Period[] {
  const items = s
    .trim()
    .replace(/^pe:/i, '')
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);
  if (items.length === 0) {
    throw new AppError(
      'validation_failed',
      { vi: 'Chưa nhập kỳ báo cáo', en: 'No period given' },
      { period: s },
    );
  }
  const seen = new Set<string>();
  const result: Period[] = [];
  for (const item of items) {
    const periods = isRelativePeriod(item) ? relativePeriods(item, today) : [parsePeriod(item)];
    for (const p of periods) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      result.push(p);
    }
  }
  return result;
}
