/**
 * Reporting periods, modelled on DHIS2: days, weeks (ISO weeks from Monday, and weeks from
 * Wednesday, Thursday, Friday, Saturday or Sunday), bi-weeks, months, bi-months, quarters (also
 * from November), half-years (also from April and November), years, financial years (from
 * February, April, July, August, September, October or November) and free date ranges. Pure:
 * every date is a plain calendar date written 'YYYY-MM-DD' and all arithmetic is done on day
 * numbers in UTC, so the machine's time zone never matters.
 *
 * Canonical ids: day 2022-01-20, ISO week 2022-W05, week from Wednesday 2022-WedW05 (ThuW, FriW,
 * SatW, SunW alike), bi-week 2022-BiW03, month 2022-01, bi-month 2022-B01, quarter 2022-Q1,
 * November quarter 2022-NovQ1, half-year 2022-S1, April half 2022-AprilS1, November half
 * 2022-NovS1, year 2022, financial years 2022-April (Feb, July, Aug, Sep, Oct, Nov alike), range
 * 2022-01-01/2022-08-31.
 *
 * `parsePeriod` also reads DHIS2 ids (20220120, 2022W5, 2022WedW5, 2022BiW3, 202201, 202201B,
 * 2022Q1, 2022NovQ1, 2022S1, 2022AprilS1, 2022NovS1, 2022, 2022April, 2022Nov…), DHIS2's analytics
 * range 2021-01-01_2021-03-31, ISO 8601 start/duration as ADX writes it (2022-01-01/P1M) and the
 * way Vietnamese documents write periods ("tháng 01/2022", "quý I/2022", "6 tháng đầu năm 2020",
 * "từ 29/01/2022 đến 05/02/2022").
 *
 * DHIS2's rules, read in dhis2-core (PeriodTypeEnum, Period.Input, DateUnitPeriodTypeParser and
 * the *PeriodType classes) and checked against DHIS2's own period library in
 * period.dhis2.test.ts:
 * - A week from day D belongs to the year holding at least 4 of its days, so week 1 is the one
 *   holding 4 January (ISO 8601 for Monday weeks). 2022WedW1 is 2021-12-29 – 2022-01-04.
 * - Bi-week n is ISO weeks 2n-1 and 2n. In a year of 53 ISO weeks, BiW27 is ISO week 53 and the
 *   next year's week 1, overlapping that year's BiW1, as in DHIS2.
 * - November types are named by the year they end in: 2022NovQ1 is November 2021 – January 2022,
 *   2022NovS1 November 2021 – April 2022, 2022Nov November 2021 – October 2022. The other
 *   financial years and April halves by the year they start in: 2022April is April 2022 – March
 *   2023, 2022AprilS2 October 2022 – March 2023.
 *
 * Periods passed to the functions below should come from this module: they are read from their
 * `type` and `start` (and `end` for ranges).
 */
import { AppError } from './errors.ts';

/** Weeks of 7 days: ISO weeks (Monday) and weeks starting on another day. */
export const WEEK_TYPES = [
  'week',
  'week_wed',
  'week_thu',
  'week_fri',
  'week_sat',
  'week_sun',
] as const;
export type WeekType = (typeof WEEK_TYPES)[number];

/** Financial years, by the month they start in. */
export const FINANCIAL_YEAR_TYPES = [
  'fy_feb',
  'fy_apr',
  'fy_jul',
  'fy_aug',
  'fy_sep',
  'fy_oct',
  'fy_nov',
] as const;
export type FinancialYearType = (typeof FINANCIAL_YEAR_TYPES)[number];

/**
 * Every fixed period type, finest (shortest) first; a range has no place in this order. The
 * stored `type` of a period is one of these or 'range'.
 */
export const PERIOD_TYPES_FINEST_FIRST = [
  'day',
  ...WEEK_TYPES,
  'biweek',
  'month',
  'bimonth',
  'quarter',
  'quarter_nov',
  'half',
  'half_apr',
  'half_nov',
  'year',
  ...FINANCIAL_YEAR_TYPES,
] as const;
export type FixedPeriodType = (typeof PERIOD_TYPES_FINEST_FIRST)[number];

/** Every value a period's `type` takes: the fixed types, finest first, then 'range'. */
export const ALL_PERIOD_TYPES = [...PERIOD_TYPES_FINEST_FIRST, 'range'] as const;
export type PeriodType = (typeof ALL_PERIOD_TYPES)[number];

/** Types counted in whole months. */
type MonthsType = Exclude<FixedPeriodType, 'day' | WeekType | 'biweek'>;

export interface Period {
  type: PeriodType;
  /** Canonical id, e.g. 2022-W05. */
  id: string;
  /** First day, inclusive, 'YYYY-MM-DD'. */
  start: string;
  /** Last day, inclusive, 'YYYY-MM-DD'. */
  end: string;
}

/**
 * Opsroom's own calendar period types, finest first: those its data sets were first limited to
 * and alert rules still are.
 */
export const CALENDAR_PERIOD_TYPES = ['day', 'week', 'month', 'quarter', 'half', 'year'] as const;
export type CalendarPeriodType = (typeof CALENDAR_PERIOD_TYPES)[number];

const TYPE_ORDER = Object.fromEntries(ALL_PERIOD_TYPES.map((t, i) => [t, i])) as Record<
  PeriodType,
  number
>;

/**
 * Position in PERIOD_TYPES_FINEST_FIRST: day < week < week_wed … < biweek < month < bimonth <
 * quarter < … < year < financial years; range sorts last.
 */
export function periodTypeOrder(type: PeriodType): number {
  return TYPE_ORDER[type];
}

/** Whether s is a fixed period type (day, week_wed, fy_apr…). */
export function isFixedPeriodType(s: string): s is FixedPeriodType {
  return (PERIOD_TYPES_FINEST_FIRST as readonly string[]).includes(s);
}

/** DHIS2's description of each period type, as GET /api/periodTypes gives it. */
export interface Dhis2PeriodType {
  /** PeriodTypeEnum name: Weekly, WeeklyWednesday, BiMonthly, FinancialApril… */
  name: string;
  isoFormat: string;
  isoDuration: string;
  /** Approximate length in days, DHIS2's ordering key. */
  frequencyOrder: number;
}

const dhis2Type = (name: string, isoFormat: string, isoDuration: string, frequencyOrder: number) =>
  ({ name, isoFormat, isoDuration, frequencyOrder }) satisfies Dhis2PeriodType;

export const DHIS2_PERIOD_TYPES: Record<FixedPeriodType, Dhis2PeriodType> = {
  day: dhis2Type('Daily', 'yyyyMMdd', 'P1D', 1),
  week: dhis2Type('Weekly', 'yyyyWn', 'P7D', 7),
  week_wed: dhis2Type('WeeklyWednesday', 'yyyyWedWn', 'P7D', 7),
  week_thu: dhis2Type('WeeklyThursday', 'yyyyThuWn', 'P7D', 7),
  week_fri: dhis2Type('WeeklyFriday', 'yyyyFriWn', 'P7D', 7),
  week_sat: dhis2Type('WeeklySaturday', 'yyyySatWn', 'P7D', 7),
  week_sun: dhis2Type('WeeklySunday', 'yyyySunWn', 'P7D', 7),
  biweek: dhis2Type('BiWeekly', 'yyyyBiWn', 'P14D', 14),
  month: dhis2Type('Monthly', 'yyyyMM', 'P1M', 30),
  bimonth: dhis2Type('BiMonthly', 'yyyyMMB', 'P2M', 61),
  quarter: dhis2Type('Quarterly', 'yyyyQn', 'P3M', 91),
  quarter_nov: dhis2Type('QuarterlyNov', 'yyyyNovQn', 'P3M', 91),
  half: dhis2Type('SixMonthly', 'yyyySn', 'P6M', 182),
  half_apr: dhis2Type('SixMonthlyApril', 'yyyyAprilSn', 'P6M', 182),
  half_nov: dhis2Type('SixMonthlyNov', 'yyyyNovSn', 'P6M', 182),
  year: dhis2Type('Yearly', 'yyyy', 'P1Y', 365),
  fy_feb: dhis2Type('FinancialFeb', 'yyyyFeb', 'P1Y', 365),
  fy_apr: dhis2Type('FinancialApril', 'yyyyApril', 'P1Y', 365),
  fy_jul: dhis2Type('FinancialJuly', 'yyyyJuly', 'P1Y', 365),
  fy_aug: dhis2Type('FinancialAug', 'yyyyAug', 'P1Y', 365),
  fy_sep: dhis2Type('FinancialSep', 'yyyySep', 'P1Y', 365),
  fy_oct: dhis2Type('FinancialOct', 'yyyyOct', 'P1Y', 365),
  fy_nov: dhis2Type('FinancialNov', 'yyyyNov', 'P1Y', 365),
};

/** The type DHIS2 names so (Weekly, weeklywednesday, FinancialApril…), case-insensitive. */
export function periodTypeFromDhis2(name: string): FixedPeriodType | undefined {
  const key = name.trim().toLowerCase();
  return PERIOD_TYPES_FINEST_FIRST.find((t) => DHIS2_PERIOD_TYPES[t].name.toLowerCase() === key);
}

/** How each type is named in a sentence: "báo cáo theo tuần (bắt đầu thứ Tư)". */
export const PERIOD_TYPE_NAMES: Record<PeriodType, { vi: string; en: string }> = {
  day: { vi: 'ngày', en: 'daily' },
  week: { vi: 'tuần', en: 'weekly' },
  week_wed: { vi: 'tuần (bắt đầu thứ Tư)', en: 'weekly (from Wednesday)' },
  week_thu: { vi: 'tuần (bắt đầu thứ Năm)', en: 'weekly (from Thursday)' },
  week_fri: { vi: 'tuần (bắt đầu thứ Sáu)', en: 'weekly (from Friday)' },
  week_sat: { vi: 'tuần (bắt đầu thứ Bảy)', en: 'weekly (from Saturday)' },
  week_sun: { vi: 'tuần (bắt đầu Chủ nhật)', en: 'weekly (from Sunday)' },
  biweek: { vi: '2 tuần', en: 'bi-weekly' },
  month: { vi: 'tháng', en: 'monthly' },
  bimonth: { vi: '2 tháng', en: 'bi-monthly' },
  quarter: { vi: 'quý', en: 'quarterly' },
  quarter_nov: { vi: 'quý (bắt đầu tháng 11)', en: 'quarterly (from November)' },
  half: { vi: '6 tháng', en: 'half-yearly' },
  half_apr: { vi: '6 tháng (bắt đầu tháng 4)', en: 'six-monthly (from April)' },
  half_nov: { vi: '6 tháng (bắt đầu tháng 11)', en: 'six-monthly (from November)' },
  year: { vi: 'năm', en: 'yearly' },
  fy_feb: { vi: 'năm tài chính (từ tháng 2)', en: 'financial year (from February)' },
  fy_apr: { vi: 'năm tài chính (từ tháng 4)', en: 'financial year (from April)' },
  fy_jul: { vi: 'năm tài chính (từ tháng 7)', en: 'financial year (from July)' },
  fy_aug: { vi: 'năm tài chính (từ tháng 8)', en: 'financial year (from August)' },
  fy_sep: { vi: 'năm tài chính (từ tháng 9)', en: 'financial year (from September)' },
  fy_oct: { vi: 'năm tài chính (từ tháng 10)', en: 'financial year (from October)' },
  fy_nov: { vi: 'năm tài chính (từ tháng 11)', en: 'financial year (from November)' },
  range: { vi: 'khoảng ngày', en: 'by date range' },
};

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

// ---------------------------------------------------------------------------------------------
// Weeks: a week from weekday D belongs to the year holding at least 4 of its days, i.e. the year
// of its fourth day; week 1 is the one holding 4 January.

interface WeekSpec {
  /** ISO weekday the week starts on, Monday 1 … Sunday 7. */
  weekday: number;
  /** Between the year and the number in ids: 2022W5, 2022WedW5. */
  tag: string;
  dayVi: string;
  dayEn: string;
}

const WEEKS: Record<WeekType, WeekSpec> = {
  week: { weekday: 1, tag: 'W', dayVi: 'thứ Hai', dayEn: 'Monday' },
  week_wed: { weekday: 3, tag: 'WedW', dayVi: 'thứ Tư', dayEn: 'Wednesday' },
  week_thu: { weekday: 4, tag: 'ThuW', dayVi: 'thứ Năm', dayEn: 'Thursday' },
  week_fri: { weekday: 5, tag: 'FriW', dayVi: 'thứ Sáu', dayEn: 'Friday' },
  week_sat: { weekday: 6, tag: 'SatW', dayVi: 'thứ Bảy', dayEn: 'Saturday' },
  week_sun: { weekday: 7, tag: 'SunW', dayVi: 'Chủ nhật', dayEn: 'Sunday' },
};

const WEEK_TAGS: Record<string, WeekType> = {
  wedw: 'week_wed',
  thuw: 'week_thu',
  friw: 'week_fri',
  satw: 'week_sat',
  sunw: 'week_sun',
};

function isWeekType(t: PeriodType): t is WeekType {
  return Object.hasOwn(WEEKS, t);
}

/** The day a week of this type starts on, on or before day n. */
function weekStartOn(type: WeekType, n: number): number {
  return n - ((weekday(n) - WEEKS[type].weekday + 7) % 7);
}

/** First day of week 1 of a week year: the week holding 4 January. */
function week1Start(type: WeekType, year: number): number {
  return weekStartOn(type, dayNumber(year, 1, 4));
}

function weeksInYear(type: WeekType, year: number): number {
  return (week1Start(type, year + 1) - week1Start(type, year)) / 7;
}

/** 52 or 53. */
export function isoWeeksInYear(isoYear: number): number {
  return weeksInYear('week', isoYear);
}

/** Week year and number of the week of this type holding day n. */
function weekOf(type: WeekType, n: number): [number, number] {
  const start = weekStartOn(type, n);
  const year = Number(isoOf(start + 3).slice(0, 4));
  return [year, (start - week1Start(type, year)) / 7 + 1];
}

/** 26, or 27 in a year of 53 ISO weeks. */
function biweeksInYear(isoYear: number): number {
  return Math.ceil(isoWeeksInYear(isoYear) / 2);
}

// ---------------------------------------------------------------------------------------------
// Types counted in months. A type's periods of "year" Y start at month `anchor` of year
// Y + `shift` and follow each other every `length` months, 12 / length of them: November types
// are named by the year they end in (shift -1), the others by the year they start in.

interface MonthsSpec {
  length: number;
  anchor: number;
  shift: number;
  /** Ids of period i of year y. */
  dhis2: (y: string, i: number) => string;
  id: (y: string, i: number) => string;
}

/** Ids of period i of year y: `${y}-${tag(i)}` canonical, `${y}${dhis2Tag(i)}` DHIS2's. */
const months = (
  length: number,
  anchor: number,
  shift: number,
  tag: (i: number) => string,
  dhis2Tag = tag,
): MonthsSpec => ({
  length,
  anchor,
  shift,
  dhis2: (y, i) => y + dhis2Tag(i),
  id: (y, i) => `${y}-${tag(i)}`,
});

const MONTHS: Record<MonthsType, MonthsSpec> = {
  month: months(1, 1, 0, pad2),
  bimonth: months(
    2,
    1,
    0,
    (i) => `B${pad2(i)}`,
    (i) => `${pad2(i)}B`,
  ),
  quarter: months(3, 1, 0, (i) => `Q${i}`),
  quarter_nov: months(3, 11, -1, (i) => `NovQ${i}`),
  half: months(6, 1, 0, (i) => `S${i}`),
  half_apr: months(6, 4, 0, (i) => `AprilS${i}`),
  half_nov: months(6, 11, -1, (i) => `NovS${i}`),
  year: { length: 12, anchor: 1, shift: 0, dhis2: (y) => y, id: (y) => y },
  fy_feb: months(12, 2, 0, () => 'Feb'),
  fy_apr: months(12, 4, 0, () => 'April'),
  fy_jul: months(12, 7, 0, () => 'July'),
  fy_aug: months(12, 8, 0, () => 'Aug'),
  fy_sep: months(12, 9, 0, () => 'Sep'),
  fy_oct: months(12, 10, 0, () => 'Oct'),
  fy_nov: months(12, 11, -1, () => 'Nov'),
};

/** Financial years by the lower-case word after the year in their ids. */
const FY_WORDS: Record<string, FinancialYearType> = {
  feb: 'fy_feb',
  april: 'fy_apr',
  july: 'fy_jul',
  aug: 'fy_aug',
  sep: 'fy_sep',
  oct: 'fy_oct',
  nov: 'fy_nov',
};

function isMonthsType(t: PeriodType): t is MonthsType {
  return Object.hasOwn(MONTHS, t);
}

/** Months counted from year 0: y * 12 + (m - 1). */
const monthIndex = (y: number, m: number) => y * 12 + m - 1;

/** Year and number of the period of a months type starting at or holding month index k. */
function monthsOf(type: MonthsType, k: number): [number, number] {
  const { length, anchor, shift } = MONTHS[type];
  // Months from month `anchor` of year 0 to the start of the period holding k.
  const offset = Math.floor((k - (anchor - 1)) / length) * length;
  const cycleYear = Math.floor(offset / 12);
  return [cycleYear - shift, (offset - cycleYear * 12) / length + 1];
}

// ---------------------------------------------------------------------------------------------
// Constructors (arguments assumed valid)

function mkDay(iso: string): Period {
  return { type: 'day', id: iso, start: iso, end: iso };
}

function mkWeekOf(type: WeekType, year: number, week: number): Period {
  const start = week1Start(type, year) + 7 * (week - 1);
  return {
    type,
    id: `${pad4(year)}-${WEEKS[type].tag}${pad2(week)}`,
    start: isoOf(start),
    end: isoOf(start + 6),
  };
}

function mkBiweek(isoYear: number, n: number): Period {
  const start = week1Start('week', isoYear) + 14 * (n - 1);
  return {
    type: 'biweek',
    id: `${pad4(isoYear)}-BiW${pad2(n)}`,
    start: isoOf(start),
    end: isoOf(start + 13),
  };
}

function mkMonths(type: MonthsType, y: number, i: number): Period {
  const { length, anchor, shift } = MONTHS[type];
  const first = monthIndex(y + shift, anchor) + (i - 1) * length;
  const last = first + length - 1;
  const [ey, em] = [Math.floor(last / 12), (last % 12) + 1];
  return {
    type,
    id: MONTHS[type].id(pad4(y), i),
    start: isoDate(Math.floor(first / 12), (first % 12) + 1, 1),
    end: isoDate(ey, em, daysInMonth(ey, em)),
  };
}

function monthSpan(y: number, first: number, last: number): { start: string; end: string } {
  return { start: isoDate(y, first, 1), end: isoDate(y, last, daysInMonth(y, last)) };
}

function mkMonth(y: number, m: number): Period {
  return mkMonths('month', y, m);
}

function mkHalf(y: number, h: number): Period {
  return mkMonths('half', y, h);
}

function mkYear(y: number): Period {
  return mkMonths('year', y, 1);
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

function checkedWeek(input: string, y: number, w: number, type: WeekType = 'week'): Period {
  checkYear(input, y);
  const weeks = weeksInYear(type, y);
  if (w < 1) throw invalid(input, `tuần phải từ 01 trở lên`, `week must be 1 or more`);
  if (w > weeks) {
    const { dayVi, dayEn } = WEEKS[type];
    throw type === 'week'
      ? invalid(input, `năm ${y} chỉ có ${weeks} tuần ISO`, `${y} has only ${weeks} ISO weeks`)
      : invalid(
          input,
          `năm ${y} chỉ có ${weeks} tuần bắt đầu ${dayVi}`,
          `${y} has only ${weeks} weeks starting on ${dayEn}`,
        );
  }
  return mkWeekOf(type, y, w);
}

function checkedBiweek(input: string, y: number, n: number): Period {
  checkYear(input, y);
  const count = biweeksInYear(y);
  if (n < 1 || n > count) {
    throw invalid(
      input,
      `năm ${y} có ${count} kỳ 2 tuần, số kỳ phải từ 1 đến ${count}`,
      `bi-week must be 1–${count} in ${y}`,
    );
  }
  return mkBiweek(y, n);
}

function checkedMonth(input: string, y: number, m: number): Period {
  checkYear(input, y);
  if (m < 1 || m > 12) {
    throw invalid(input, `tháng ${m} không tồn tại, tháng phải từ 1 đến 12`, `month must be 1–12`);
  }
  return mkMonth(y, m);
}

function checkedBimonth(input: string, y: number, b: number): Period {
  checkYear(input, y);
  if (!(b >= 1 && b <= 6)) {
    throw invalid(input, 'kỳ 2 tháng phải từ 01 đến 06', 'bi-month must be 1–6');
  }
  return mkMonths('bimonth', y, b);
}

function checkedQuarter(input: string, y: number, q: number, type: MonthsType = 'quarter'): Period {
  checkYear(input, y);
  if (!(q >= 1 && q <= 4)) {
    throw invalid(input, 'quý phải từ I đến IV', 'quarter must be 1–4');
  }
  return mkMonths(type, y, q);
}

function checkedHalf(input: string, y: number, h: number, type: MonthsType = 'half'): Period {
  checkYear(input, y);
  if (h !== 1 && h !== 2) {
    throw type === 'half'
      ? invalid(
          input,
          'nửa năm phải là S1 – 6 tháng đầu năm, hoặc S2 – 6 tháng cuối năm',
          'half-year must be S1 or S2',
        )
      : invalid(input, 'kỳ 6 tháng phải là S1 hoặc S2', 'six-month period must be S1 or S2');
  }
  return mkMonths(type, y, h);
}

function checkedFinancialYear(input: string, y: number, type: FinancialYearType): Period {
  checkYear(input, y);
  return mkMonths(type, y, 1);
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

/** The type counted in months whose periods last `length` months and may start in month m. */
function monthsTypeStarting(length: number, m: number): MonthsType | undefined {
  return (Object.keys(MONTHS) as MonthsType[]).find(
    (t) => MONTHS[t].length === length && (m - MONTHS[t].anchor + 12) % length === 0,
  );
}

/** Week types by the weekday they start on. */
const WEEK_BY_DAY = Object.fromEntries(WEEK_TYPES.map((t) => [WEEKS[t].weekday, t])) as Partial<
  Record<number, WeekType>
>;

/**
 * ISO start + duration (ADX): 2022-01-01/P1M. A start and length that make a period of one of
 * the fixed types, as DHIS2's ADX reads them (P7D from a Wednesday is a week from Wednesday, P3M
 * from 1 February a November quarter, P1Y from 1 July a July financial year), become that
 * period; anything else a range.
 */
function fromDuration(input: string, startIso: string, n: number, unit: string): Period {
  const start = checkedIsoDate(input, startIso);
  if (n < 1) throw invalid(input, 'độ dài kỳ phải từ 1 trở lên', 'duration must be at least 1');
  const [y, m, d] = ymd(start);
  const s = dayNumberOf(start);
  if (unit === 'd' || unit === 'w') {
    const days = unit === 'd' ? n : 7 * n;
    if (days === 1) return mkDay(start);
    const weekType = WEEK_BY_DAY[weekday(s)];
    if (days === 7 && weekType) {
      const [wy, w] = weekOf(weekType, s);
      return mkWeekOf(weekType, wy, w);
    }
    if (days === 14 && weekday(s) === 1) {
      const b = periodContaining(start, 'biweek');
      if (b.start === start) return b;
    }
    return mkRange(start, isoOf(s + days - 1));
  }
  const months = unit === 'm' ? n : 12 * n;
  const type = d === 1 ? monthsTypeStarting(months, m) : undefined;
  if (type) {
    const [py, i] = monthsOf(type, monthIndex(y, m));
    return mkMonths(type, py, i);
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

/** yyyymmdd or yyyy-mm-dd, checked. */
function compactOrIsoDate(input: string, s: string): string {
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (compact)
    return checkedDate(input, Number(compact[1]), Number(compact[2]), Number(compact[3]));
  return checkedIsoDate(input, s);
}

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
  if ((m = /^(\d{4})-b(\d{1,2})$/.exec(s))) return checkedBimonth(input, num(1), num(2));
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

  // DHIS2, and the canonical forms of the types DHIS2 added (the same with a dash after the year).
  if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
    return mkDay(checkedDate(input, num(1), num(2), num(3)));
  }
  if ((m = /^(\d{4})w(\d{1,2})$/.exec(s))) return checkedWeek(input, num(1), num(2));
  if ((m = /^(\d{4})-?(wedw|thuw|friw|satw|sunw)(\d{1,2})$/.exec(s))) {
    return checkedWeek(input, num(1), num(3), WEEK_TAGS[m[2] ?? ''] ?? 'week');
  }
  if ((m = /^(\d{4})-?biw(\d{1,2})$/.exec(s))) return checkedBiweek(input, num(1), num(2));
  if ((m = /^(\d{4})(\d{2})$/.exec(s))) return checkedMonth(input, num(1), num(2));
  if ((m = /^(\d{4})(\d{2})b$/.exec(s))) return checkedBimonth(input, num(1), num(2));
  if ((m = /^(\d{4})q(\d+)$/.exec(s))) return checkedQuarter(input, num(1), num(2));
  if ((m = /^(\d{4})-?novq(\d+)$/.exec(s))) {
    return checkedQuarter(input, num(1), num(2), 'quarter_nov');
  }
  if ((m = /^(\d{4})s(\d+)$/.exec(s))) return checkedHalf(input, num(1), num(2));
  if ((m = /^(\d{4})-?aprils(\d+)$/.exec(s))) return checkedHalf(input, num(1), num(2), 'half_apr');
  if ((m = /^(\d{4})-?novs(\d+)$/.exec(s))) return checkedHalf(input, num(1), num(2), 'half_nov');
  if ((m = /^(\d{4})-?(feb|april|july|aug|sep|oct|nov)$/.exec(s))) {
    return checkedFinancialYear(input, num(1), FY_WORDS[m[2] ?? ''] ?? 'fy_oct');
  }
  // DHIS2's web period library (@dhis2/multi-calendar-dates) names November quarters and
  // halves by the year they start in: 2021NovemberQ1 is the server's 2022NovQ1.
  if ((m = /^(\d{4})novemberq(\d+)$/.exec(s))) {
    return checkedQuarter(input, num(1) + 1, num(2), 'quarter_nov');
  }
  if ((m = /^(\d{4})novembers(\d+)$/.exec(s))) {
    return checkedHalf(input, num(1) + 1, num(2), 'half_nov');
  }
  if ((m = /^(\d{4})$/.exec(s))) {
    checkYear(input, num(1));
    return mkYear(num(1));
  }
  // DHIS2 analytics' free range: 2021-01-01_2021-03-31 or 20210101_20210331.
  if ((m = /^(\d{4}-\d{2}-\d{2}|\d{8})_(\d{4}-\d{2}-\d{2}|\d{8})$/.exec(s))) {
    return checkedRange(
      input,
      compactOrIsoDate(input, m[1] ?? ''),
      compactOrIsoDate(input, m[2] ?? ''),
    );
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

/** English month names, January first. */
export const MONTHS_EN = [
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

/** The months a period spans: 01–02/2022, 11/2021–01/2022. */
function viMonths(p: Period): string {
  const [sy, sm] = ymd(p.start);
  const [ey, em] = ymd(p.end);
  return sy === ey
    ? `${pad2(sm)}–${pad2(em)}/${pad4(ey)}`
    : `${pad2(sm)}/${pad4(sy)}–${pad2(em)}/${pad4(ey)}`;
}

/** January–February 2022, November 2021–January 2022. */
function enMonths(p: Period): string {
  const [sy, sm] = ymd(p.start);
  const [ey, em] = ymd(p.end);
  return sy === ey
    ? `${MONTHS_EN[sm - 1]}–${MONTHS_EN[em - 1]} ${ey}`
    : `${MONTHS_EN[sm - 1]} ${sy}–${MONTHS_EN[em - 1]} ${ey}`;
}

/** For a range from 1 January to the last day of month N ≥ 2 of the same year: N. */
function firstMonthsCount(p: Period): number | null {
  const [sy, sm, sd] = ymd(p.start);
  const [ey, em, ed] = ymd(p.end);
  if (sy !== ey || sm !== 1 || sd !== 1 || em < 2 || ed !== daysInMonth(ey, em)) return null;
  return em;
}

/**
 * The year in the period's id and its number within it: week year and week for weeks, ISO year
 * and bi-week for bi-weeks, the named year and index for types counted in months, the calendar
 * year otherwise.
 */
function yearAndIndex(p: Period): [number, number] {
  const [y, m] = ymd(p.start);
  const t = p.type;
  if (isWeekType(t)) return weekOf(t, dayNumberOf(p.start));
  if (t === 'biweek') {
    const [wy, w] = weekOf('week', dayNumberOf(p.start));
    return [wy, Math.ceil(w / 2)];
  }
  if (isMonthsType(t)) return monthsOf(t, monthIndex(y, m));
  return [y, 1];
}

/**
 * ngày 20/01/2022, tuần 05/2022, tuần 05/2022 (bắt đầu thứ Tư), tuần 05–06/2022, tháng 01/2022,
 * tháng 01–02/2022, quý I/2022, quý tháng 11/2021–01/2022, 6 tháng đầu năm 2022,
 * 6 tháng 04–09/2022, năm 2022, năm tài chính 04/2022–03/2023…
 */
export function formatPeriodVi(p: Period): string {
  const [y, i] = yearAndIndex(p);
  const t = p.type;
  switch (t) {
    case 'day':
      return `ngày ${viDate(p.start)}`;
    case 'week':
      return `tuần ${pad2(i)}/${y}`;
    case 'week_wed':
    case 'week_thu':
    case 'week_fri':
    case 'week_sat':
    case 'week_sun':
      return `tuần ${pad2(i)}/${y} (bắt đầu ${WEEKS[t].dayVi})`;
    case 'biweek': {
      if (i <= 26) return `tuần ${pad2(2 * i - 1)}–${pad2(2 * i)}/${y}`;
      return `tuần ${pad2(2 * i - 1)}/${y}–01/${y + 1}`;
    }
    case 'month':
      return `tháng ${pad2(i)}/${y}`;
    case 'bimonth':
      return `tháng ${viMonths(p)}`;
    case 'quarter':
      return `quý ${ROMAN_Q[i - 1]}/${y}`;
    case 'quarter_nov':
      return `quý tháng ${viMonths(p)}`;
    case 'half':
      return `6 tháng ${i === 1 ? 'đầu' : 'cuối'} năm ${y}`;
    case 'half_apr':
    case 'half_nov':
      return `6 tháng ${viMonths(p)}`;
    case 'year':
      return `năm ${y}`;
    case 'fy_feb':
    case 'fy_apr':
    case 'fy_jul':
    case 'fy_aug':
    case 'fy_sep':
    case 'fy_oct':
    case 'fy_nov':
      return `năm tài chính ${viMonths(p)}`;
    case 'range': {
      const n = firstMonthsCount(p);
      if (n !== null) return `${n} tháng đầu năm ${y}`;
      return `từ ${viDate(p.start)} đến ${viDate(p.end)}`;
    }
  }
}

/**
 * 20 Jan 2022, week 5 of 2022, week 5 of 2022 (from Wednesday), weeks 5–6 of 2022, January 2022,
 * January–February 2022, Q1 2022, quarter November 2021–January 2022, first half of 2022,
 * six months April–September 2022, 2022, financial year April 2022–March 2023…
 */
export function formatPeriodEn(p: Period): string {
  const [y, i] = yearAndIndex(p);
  const t = p.type;
  switch (t) {
    case 'day':
      return enDate(p.start);
    case 'week':
      return `week ${i} of ${y}`;
    case 'week_wed':
    case 'week_thu':
    case 'week_fri':
    case 'week_sat':
    case 'week_sun':
      return `week ${i} of ${y} (from ${WEEKS[t].dayEn})`;
    case 'biweek':
      if (i <= 26) return `weeks ${2 * i - 1}–${2 * i} of ${y}`;
      return `week ${2 * i - 1} of ${y} – week 1 of ${y + 1}`;
    case 'month':
      return `${MONTHS_EN[i - 1]} ${y}`;
    case 'bimonth':
      return enMonths(p);
    case 'quarter':
      return `Q${i} ${y}`;
    case 'quarter_nov':
      return `quarter ${enMonths(p)}`;
    case 'half':
      return `${i === 1 ? 'first' : 'second'} half of ${y}`;
    case 'half_apr':
    case 'half_nov':
      return `six months ${enMonths(p)}`;
    case 'year':
      return String(y);
    case 'fy_feb':
    case 'fy_apr':
    case 'fy_jul':
    case 'fy_aug':
    case 'fy_sep':
    case 'fy_oct':
    case 'fy_nov':
      return `financial year ${enMonths(p)}`;
    case 'range': {
      const n = firstMonthsCount(p);
      if (n !== null) return `January–${MONTHS_EN[n - 1]} ${y}`;
      return `${enDate(p.start)} – ${enDate(p.end)}`;
    }
  }
}

/**
 * The DHIS2 period id: 20220120, 2022W5, 2022WedW5, 2022BiW3, 202201, 202201B, 2022Q1,
 * 2022NovQ1, 2022S1, 2022AprilS1, 2022NovS1, 2022, 2022April, 2022Nov… DHIS2 has no id for a
 * free range, so a range throws AppError 'validation_failed' rather than produce an id DHIS2
 * would reject (data value sets take ranges as startDate/endDate; analytics reads
 * `toDhis2PeriodItem`'s 2022-01-01_2022-03-31).
 */
export function toDhis2Id(p: Period): string {
  const [y, i] = yearAndIndex(p);
  const t = p.type;
  if (t === 'day') return p.start.replace(/-/g, '');
  if (isWeekType(t)) return `${y}${WEEKS[t].tag}${i}`;
  if (t === 'biweek') return `${y}BiW${i}`;
  if (isMonthsType(t)) return MONTHS[t].dhis2(String(y), i);
  throw new AppError(
    'validation_failed',
    {
      vi: `Kỳ ${formatPeriodVi(p)} là một khoảng ngày, DHIS2 không có mã kỳ cho khoảng ngày`,
      en: `${p.id} is a date range; DHIS2 has no period id for a range`,
    },
    { period: p.id },
  );
}

/**
 * A period as a DHIS2 analytics `pe` item: its DHIS2 id, or for a range DHIS2's free range
 * 2022-01-01_2022-03-31.
 */
export function toDhis2PeriodItem(p: Period): string {
  return p.type === 'range' ? `${p.start}_${p.end}` : toDhis2Id(p);
}

/**
 * ISO 8601 start and duration as ADX writes it: 2022-01-01/P1M, 2022-01-31/P1D, 2022-01-03/P7D,
 * 2021-12-29/P7D for 2022WedW1, 2022-01-03/P14D for 2022BiW1, 2021-11-01/P1Y for 2022Nov.
 */
export function toAdxPeriod(p: Period): string {
  const duration =
    p.type === 'range'
      ? `P${dayNumberOf(p.end) - dayNumberOf(p.start) + 1}D`
      : DHIS2_PERIOD_TYPES[p.type].isoDuration;
  return `${p.start}/${duration}`;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/**
 * The period of a fixed type holding a date ('YYYY-MM-DD'): its day, week, bi-week, month, …
 * financial year. A range is not a calendar type. A date in ISO week 53 is in that year's BiW27,
 * as in DHIS2.
 */
export function periodContaining(date: string, type: PeriodType): Period {
  const iso = checkedIsoDate(date, date);
  const n = dayNumberOf(iso);
  const [y, m] = ymd(iso);
  if (type === 'day') return mkDay(iso);
  if (isWeekType(type)) {
    const [wy, w] = weekOf(type, n);
    return mkWeekOf(type, wy, w);
  }
  if (type === 'biweek') {
    const [wy, w] = weekOf('week', n);
    return mkBiweek(wy, Math.ceil(w / 2));
  }
  if (isMonthsType(type)) {
    const [py, i] = monthsOf(type, monthIndex(y, m));
    return mkMonths(type, py, i);
  }
  throw new AppError(
    'validation_failed',
    {
      vi: 'Khoảng ngày không phải là loại kỳ lịch (ngày, tuần, tháng, quý, 6 tháng, năm)',
      en: 'A range is not a calendar period type (day, week, month, quarter, half, year)',
    },
    { period: date, type },
  );
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
 * The same period a year earlier. Day: same date (29 Feb → 28 Feb). Weeks: same number in the
 * previous week year (W53 → W52 when that year has 52); bi-weeks alike (BiW27 → BiW26). Types
 * counted in months (month … financial year): the same number, one year back. Range: both ends
 * a year back, an end on the last day of a month staying on the last day of that month (so
 * "first N months" keeps its shape across leap years).
 */
export function samePeriodLastYear(p: Period): Period {
  const [y, i] = yearAndIndex(p);
  const t = p.type;
  if (t === 'day') return mkDay(dateLastYear(p.start));
  if (isWeekType(t)) return mkWeekOf(t, y - 1, Math.min(i, weeksInYear(t, y - 1)));
  if (t === 'biweek') return mkBiweek(y - 1, Math.min(i, biweeksInYear(y - 1)));
  if (isMonthsType(t)) return mkMonths(t, y - 1, i);
  const [ey, em, ed] = ymd(p.end);
  const end =
    ed === daysInMonth(ey, em) ? isoDate(ey - 1, em, daysInMonth(ey - 1, em)) : dateLastYear(p.end);
  return mkRange(dateLastYear(p.start), end);
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
 * The periods of `type` that make up p, in order: those lying wholly inside p, except weeks and
 * bi-weeks, which are those whose fourth day lies in p (DHIS2's rule: the Thursday of an ISO
 * week). E.g. the 31 days of 2022-01, the 3 months of 2022-Q1, the 52 or 53 weeks of a year, the
 * 26 or 27 bi-weeks. A coarser type usually gives [].
 */
export function periodsWithin(p: Period, type: PeriodType): Period[] {
  const result: Period[] = [];
  const byFourthDay = isWeekType(type) || type === 'biweek';
  let cur = periodContaining(p.start, type);
  while (cur.start <= p.end) {
    const inside = byFourthDay
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
// Relative periods (DHIS2 keywords, RelativePeriodEnum)

/** What DHIS2 takes from its system settings when it resolves relative periods. */
export interface RelativePeriodOptions {
  /**
   * The weeks of THIS_WEEK, LAST_WEEK, LAST_n_WEEKS and WEEKS_THIS_YEAR (DHIS2's "analytics
   * weekly start" setting); ISO weeks by default, as in DHIS2.
   */
  weekType?: WeekType;
  /**
   * The financial year of THIS_FINANCIAL_YEAR, LAST_FINANCIAL_YEAR, LAST_5_ and
   * LAST_10_FINANCIAL_YEARS (DHIS2's "analytics financial year start"); October by default, as
   * in DHIS2.
   */
  financialYearType?: FinancialYearType;
}

interface Today {
  date: string;
  week: WeekType;
  fy: FinancialYearType;
}

/** n periods of `type` just before the one holding `date`, oldest first. */
function lastN(date: string, type: FixedPeriodType, n: number): Period[] {
  const result: Period[] = [];
  let cur = periodContaining(date, type);
  for (let k = 0; k < n; k++) {
    cur = previousPeriod(cur);
    result.unshift(cur);
  }
  return result;
}

/**
 * The n bi-weeks DHIS2 means by LAST_n_BIWEEKS: from the one holding the day two weeks ago,
 * stepping back 14 days at a time. Around a bi-week 27, which overlaps the next year's first,
 * this differs from taking the previous bi-week: on 2021-01-05 (in 2021BiW1) the last bi-week is
 * 2020BiW26.
 */
function lastBiweeks(date: string, n: number): Period[] {
  const start = periodContaining(addDays(date, -14), 'biweek').start;
  return Array.from({ length: n }, (_, k) =>
    periodContaining(addDays(start, -14 * (n - 1 - k)), 'biweek'),
  );
}

/** The periods of `type` making up the calendar year of `date` (weeks by their fourth day). */
const ofYear = (date: string, type: FixedPeriodType) =>
  periodsWithin(periodContaining(date, 'year'), type);

const yearBefore = (date: string) => previousPeriod(periodContaining(date, 'year')).start;

const RELATIVE: Record<string, (t: Today) => Period[]> = {
  TODAY: (t) => [mkDay(t.date)],
  YESTERDAY: (t) => lastN(t.date, 'day', 1),
  LAST_3_DAYS: (t) => lastN(t.date, 'day', 3),
  LAST_7_DAYS: (t) => lastN(t.date, 'day', 7),
  LAST_14_DAYS: (t) => lastN(t.date, 'day', 14),
  LAST_30_DAYS: (t) => lastN(t.date, 'day', 30),
  LAST_60_DAYS: (t) => lastN(t.date, 'day', 60),
  LAST_90_DAYS: (t) => lastN(t.date, 'day', 90),
  LAST_180_DAYS: (t) => lastN(t.date, 'day', 180),
  THIS_WEEK: (t) => [periodContaining(t.date, t.week)],
  LAST_WEEK: (t) => lastN(t.date, t.week, 1),
  LAST_4_WEEKS: (t) => lastN(t.date, t.week, 4),
  LAST_12_WEEKS: (t) => lastN(t.date, t.week, 12),
  LAST_52_WEEKS: (t) => lastN(t.date, t.week, 52),
  WEEKS_THIS_YEAR: (t) => ofYear(t.date, t.week),
  THIS_BIWEEK: (t) => [periodContaining(t.date, 'biweek')],
  LAST_BIWEEK: (t) => lastBiweeks(t.date, 1),
  LAST_4_BIWEEKS: (t) => lastBiweeks(t.date, 4),
  THIS_MONTH: (t) => [periodContaining(t.date, 'month')],
  LAST_MONTH: (t) => lastN(t.date, 'month', 1),
  LAST_3_MONTHS: (t) => lastN(t.date, 'month', 3),
  LAST_6_MONTHS: (t) => lastN(t.date, 'month', 6),
  LAST_12_MONTHS: (t) => lastN(t.date, 'month', 12),
  MONTHS_THIS_YEAR: (t) => ofYear(t.date, 'month'),
  MONTHS_LAST_YEAR: (t) => ofYear(yearBefore(t.date), 'month'),
  THIS_BIMONTH: (t) => [periodContaining(t.date, 'bimonth')],
  LAST_BIMONTH: (t) => lastN(t.date, 'bimonth', 1),
  LAST_6_BIMONTHS: (t) => lastN(t.date, 'bimonth', 6),
  BIMONTHS_THIS_YEAR: (t) => ofYear(t.date, 'bimonth'),
  THIS_QUARTER: (t) => [periodContaining(t.date, 'quarter')],
  LAST_QUARTER: (t) => lastN(t.date, 'quarter', 1),
  LAST_4_QUARTERS: (t) => lastN(t.date, 'quarter', 4),
  QUARTERS_THIS_YEAR: (t) => ofYear(t.date, 'quarter'),
  QUARTERS_LAST_YEAR: (t) => ofYear(yearBefore(t.date), 'quarter'),
  THIS_SIX_MONTH: (t) => [periodContaining(t.date, 'half')],
  LAST_SIX_MONTH: (t) => lastN(t.date, 'half', 1),
  LAST_2_SIXMONTHS: (t) => lastN(t.date, 'half', 2),
  THIS_YEAR: (t) => [periodContaining(t.date, 'year')],
  LAST_YEAR: (t) => lastN(t.date, 'year', 1),
  LAST_5_YEARS: (t) => lastN(t.date, 'year', 5),
  LAST_10_YEARS: (t) => lastN(t.date, 'year', 10),
  THIS_FINANCIAL_YEAR: (t) => [periodContaining(t.date, t.fy)],
  LAST_FINANCIAL_YEAR: (t) => lastN(t.date, t.fy, 1),
  LAST_5_FINANCIAL_YEARS: (t) => lastN(t.date, t.fy, 5),
  LAST_10_FINANCIAL_YEARS: (t) => lastN(t.date, t.fy, 10),
  YEAR_TO_DATE: (t) => [mkRange(`${t.date.slice(0, 4)}-01-01`, t.date)],
};

/** The relative period keywords understood: DHIS2's 45 and Opsroom's YEAR_TO_DATE. */
export const RELATIVE_PERIOD_KEYWORDS: readonly string[] = Object.keys(RELATIVE);

/** Whether s is a relative period keyword (case-insensitive), e.g. LAST_12_MONTHS. */
export function isRelativePeriod(s: string): boolean {
  return Object.hasOwn(RELATIVE, s.trim().toUpperCase());
}

/**
 * The periods a DHIS2 relative keyword means on `today` ('YYYY-MM-DD'), oldest first. As in
 * DHIS2, LAST_* excludes the current period: LAST_3_MONTHS on 2021-08-15 is 2021-05…2021-07;
 * LAST_10_YEARS on 2021-08-15 is 2011…2020; MONTHS_LAST_YEAR the 12 months of last year;
 * WEEKS_THIS_YEAR the weeks of this year's week year. YEAR_TO_DATE is one range from 1 January
 * to today.
 */
export function relativePeriods(
  keyword: string,
  today: string,
  options: RelativePeriodOptions = {},
): Period[] {
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
  return fn({
    date: checkedIsoDate(today, today),
    week: options.weekType ?? 'week',
    fy: options.financialYearType ?? 'fy_oct',
  });
}

/**
 * A DHIS2 period dimension, items separated by ';' (an optional leading "pe:" is dropped):
 * fixed periods in any form parsePeriod reads (DHIS2's range 2021-01-01_2021-03-31 included)
 * and relative keywords resolved on `today`. Deduplicated by id, in order of first appearance.
 */
export function parsePeriodList(
  s: string,
  today: string,
  options: RelativePeriodOptions = {},
): Period[] {
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
    const periods = isRelativePeriod(item)
      ? relativePeriods(item, today, options)
      : [parsePeriod(item)];
    for (const p of periods) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      result.push(p);
    }
  }
  return result;
}
