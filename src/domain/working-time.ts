/**
 * Working time (issue 20): deadlines for citizens' reports counted in an office's working hours
 * and working days, with holidays and compensating Saturdays given as data the office can edit.
 * Pure: no clock, no I/O. docs/decisions.md "Working time for citizens' reports (issue 20)".
 *
 * Time is Viet Nam's (Asia/Ho_Chi_Minh): a fixed UTC+7, no daylight saving since 1975, so a
 * day's hours are found by shifting the instant by 7 hours — the same wall clock as `vnDate`
 * and `vnTime` (dates.ts) give, without formatting a date per day in the loops below.
 *
 * What the amounts mean:
 *
 * - **Working hours** (`{ hours }`, `{ minutes }`): only minutes inside the working hours of
 *   working days count. Counting starts at the start if it is working time, otherwise at the
 *   next working minute (a report sent at night, at lunch, on a Sunday or a holiday waits for
 *   the office to open). The deadline is the instant the last counted minute ends, so 8 hours
 *   from Monday 08:00 is Monday 17:00, not Tuesday 08:00.
 * - **Working days** (`{ days: n }`): "within n working days" ends when the office closes on
 *   the n-th working day after the day of receipt. The day of receipt is not counted (Civil
 *   Code 2015, art. 147: a period counted in days starts on the day after the event) and the
 *   period ends at the end of its last day (art. 148); for an office answering a citizen that
 *   end is the close of its working hours. A report received outside working hours is received
 *   at the next working minute, so one sent on Friday evening or on Saturday has Monday as its
 *   day of receipt. `{ days: 0 }` is the close of the day of receipt.
 *
 * Bounded: nothing is looked for more than ten years of calendar days after the start (or
 * between two instants), and an office with no working hours at all is refused when built;
 * both are `working_time_invalid` errors, never a loop that does not end.
 */
import { AppError, type Message } from './errors.ts';

/** A stretch of working hours in a day, local time: `['08:00', '12:00']` (end excluded). */
export type HoursSpan = readonly [from: string, to: string];

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** An office's working time, as data it can edit (stored and sent as JSON). */
export interface WorkingCalendarSpec {
  /** The working hours of each day of the week; a day without hours is a day off. */
  week: Readonly<Record<Weekday, readonly HoursSpan[]>>;
  /** Whole days off (ISO dates, Viet Nam's): public holidays and the days the government adds. */
  holidays: readonly string[];
  /** Days worked although the week has them off (ISO dates): compensating Saturdays. */
  extraWorkingDays: readonly string[];
  /** The hours of an extra working day; the week's Monday hours when not given. */
  extraDayHours?: readonly HoursSpan[];
}

const CIVIL_SERVICE_DAY: readonly HoursSpan[] = [
  ['08:00', '12:00'],
  ['13:00', '17:00'],
];

/**
 * Viet Nam's civil-service week: 40 hours, Monday to Friday, 08:00–12:00 and 13:00–17:00.
 * Provinces set their own hours (Hồ Chí Minh City opens at 07:30); an office edits them.
 */
export const VN_CIVIL_SERVICE_WEEK: WorkingCalendarSpec['week'] = {
  mon: CIVIL_SERVICE_DAY,
  tue: CIVIL_SERVICE_DAY,
  wed: CIVIL_SERVICE_DAY,
  thu: CIVIL_SERVICE_DAY,
  fri: CIVIL_SERVICE_DAY,
  sat: [],
  sun: [],
};

/**
 * The civil service's days off in 2026 as the government set them, a starting point that an
 * office edits. Labour Code 2019 art. 112 gives the statutory days; the Prime Minister's
 * decision of 13 October 2025 on the Ministry of Home Affairs' proposal places Tết and
 * National Day:
 * - 1 January (Thursday).
 * - Tết Bính Ngọ: Saturday 14 to Sunday 22 February (27th of the last lunar month to the 6th
 *   of the first), five statutory days (16–20 February) and four weekend days. Reported by
 *   the Government's portal: en.baochinhphu.vn, "Prime Minister approves 9-day Lunar New Year
 *   holiday in 2026", 14 October 2025; also Viet Nam News, 3 October 2025.
 * - Hùng Kings' day (10th of the third lunar month) falls on Sunday 26 April: the day off is
 *   Monday 27 April (art. 112(3), the next working day; Thanh Niên, 23 February 2026).
 * - 30 April and 1 May: Thursday and Friday.
 * - National Day: 1–2 September (the statutory two days), and Monday 31 August swapped with
 *   Saturday 22 August, which is worked: off from Saturday 29 August to Wednesday 2 September
 *   (VNA, "2026 Lunar New Year holiday to span nine days", 14 October 2025).
 */
export const VN_CIVIL_SERVICE_DAYS_OFF_2026: Pick<
  WorkingCalendarSpec,
  'holidays' | 'extraWorkingDays'
> = {
  holidays: [
    '2026-01-01',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-04-27',
    '2026-04-30',
    '2026-05-01',
    '2026-08-31',
    '2026-09-01',
    '2026-09-02',
  ],
  extraWorkingDays: ['2026-08-22'],
};

/** A calendar checked and made ready to count with (`workingCalendar`). */
export interface WorkingCalendar {
  readonly spec: WorkingCalendarSpec;
  /** Working spans of each weekday, 0 = Sunday, in ms after local midnight. */
  readonly byWeekday: readonly (readonly Span[])[];
  readonly extraDay: readonly Span[];
  /** Local day numbers (days since 1970-01-01). */
  readonly holidays: ReadonlySet<number>;
  readonly extraWorkingDays: ReadonlySet<number>;
}

export type WorkingAmount = { hours: number } | { minutes: number } | { days: number };

interface Span {
  readonly from: number;
  readonly to: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Viet Nam's offset from UTC, fixed (no daylight saving). */
const VN_OFFSET = 7 * HOUR;
/** How far any count may look: ten years of calendar days. */
export const WORKING_TIME_HORIZON_DAYS = 3653;
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Checks an office's calendar and prepares it; throws `working_time_invalid` when it is wrong. */
export function workingCalendar(spec: Partial<WorkingCalendarSpec> = {}): WorkingCalendar {
  const full: WorkingCalendarSpec = {
    week: spec.week ?? VN_CIVIL_SERVICE_WEEK,
    holidays: spec.holidays ?? [],
    extraWorkingDays: spec.extraWorkingDays ?? [],
    ...(spec.extraDayHours ? { extraDayHours: spec.extraDayHours } : {}),
  };
  const byWeekday = WEEKDAYS.map((day) => spans(full.week[day] ?? [], day));
  const extraDay = spans(full.extraDayHours ?? full.week.mon, 'extraDayHours');
  const holidays = new Set(full.holidays.map((d) => dayNumber(d, 'holidays')));
  const extraWorkingDays = new Set(
    full.extraWorkingDays.map((d) => dayNumber(d, 'extraWorkingDays')),
  );
  for (const d of extraWorkingDays)
    if (holidays.has(d))
      throw invalid(
        'holiday_and_working_day',
        {
          vi: `ngày ${isoOf(d)} vừa là ngày nghỉ vừa là ngày làm việc bù`,
          en: `${isoOf(d)} is both a holiday and an extra working day`,
        },
        { date: isoOf(d) },
      );
  if (byWeekday.every((s) => s.length === 0) && (extraWorkingDays.size === 0 || !extraDay.length))
    throw invalid('no_working_time', {
      vi: 'lịch không có giờ làm việc nào',
      en: 'the calendar has no working hours at all',
    });
  return { spec: full, byWeekday, extraDay, holidays, extraWorkingDays };
}

/** Whether the office is at work at instant `t` (a span's end is not working time). */
export function isWorkingTime(calendar: WorkingCalendar, t: Date): boolean {
  const local = localMs(t);
  const day = Math.floor(local / DAY);
  const inDay = local - day * DAY;
  return spansOn(calendar, day).some((s) => s.from <= inDay && inDay < s.to);
}

/**
 * The deadline `amount` of working time after `start` (see the head of this file for what
 * hours and days mean). Throws `working_time_invalid` for a negative or non-finite amount, a
 * fractional number of days, or a deadline more than ten years of calendar days away.
 */
export function addWorkingTime(
  calendar: WorkingCalendar,
  start: Date,
  amount: WorkingAmount,
): Date {
  const from = localMs(start);
  if ('days' in amount) {
    const n = amount.days;
    if (!Number.isInteger(n) || n < 0) throw badAmount(amount);
    if (n > WORKING_TIME_HORIZON_DAYS) throw tooFar(start);
    const received = firstWorkingInstant(calendar, from, start);
    let day = Math.floor(received / DAY);
    for (let counted = 0; counted < n;) {
      day += 1;
      if (day - Math.floor(from / DAY) > WORKING_TIME_HORIZON_DAYS) throw tooFar(start);
      if (spansOn(calendar, day).length) counted += 1;
    }
    // The n-th day (or the day of receipt) has working hours: the office closes at its last.
    const close = spansOn(calendar, day).at(-1)?.to ?? 0;
    return fromLocal(day * DAY + close);
  }
  const ms = 'hours' in amount ? amount.hours * HOUR : amount.minutes * MINUTE;
  if (!Number.isFinite(ms) || ms < 0) throw badAmount(amount);
  if (ms === 0) return fromLocal(firstWorkingInstant(calendar, from, start));
  let left = ms;
  const firstDay = Math.floor(from / DAY);
  for (let day = firstDay; day - firstDay <= WORKING_TIME_HORIZON_DAYS; day++) {
    for (const s of spansOn(calendar, day)) {
      const begin = Math.max(day * DAY + s.from, from);
      const end = day * DAY + s.to;
      if (end <= begin) continue;
      if (left <= end - begin) return fromLocal(begin + left);
      left -= end - begin;
    }
  }
  throw tooFar(start);
}

/**
 * Working minutes from `a` to `b` (negative when `b` is before `a`): the time an office had to
 * answer, for "answered on time" and the median time to answer. May be fractional when the
 * instants are not on whole minutes. Throws `working_time_invalid` beyond ten years.
 */
export function workingTimeBetween(calendar: WorkingCalendar, a: Date, b: Date): number {
  if (b.getTime() < a.getTime()) return -workingTimeBetween(calendar, b, a);
  const from = localMs(a);
  const to = localMs(b);
  const firstDay = Math.floor(from / DAY);
  const lastDay = Math.floor(to / DAY);
  if (lastDay - firstDay > WORKING_TIME_HORIZON_DAYS) throw tooFar(a);
  let ms = 0;
  for (let day = firstDay; day <= lastDay; day++)
    for (const s of spansOn(calendar, day)) {
      const begin = Math.max(day * DAY + s.from, from);
      const end = Math.min(day * DAY + s.to, to);
      if (end > begin) ms += end - begin;
    }
  return ms / MINUTE;
}

// ---------------------------------------------------------------------------------------------

function spansOn(calendar: WorkingCalendar, day: number): readonly Span[] {
  if (calendar.holidays.has(day)) return [];
  if (calendar.extraWorkingDays.has(day)) return calendar.extraDay;
  // Day 0, 1970-01-01, was a Thursday.
  return calendar.byWeekday[(((day + 4) % 7) + 7) % 7] ?? [];
}

/** The first working instant at or after local time `from` (the moment a report is received). */
function firstWorkingInstant(calendar: WorkingCalendar, from: number, start: Date): number {
  const firstDay = Math.floor(from / DAY);
  for (let day = firstDay; day - firstDay <= WORKING_TIME_HORIZON_DAYS; day++)
    for (const s of spansOn(calendar, day))
      if (day * DAY + s.to > from) return Math.max(day * DAY + s.from, from);
  throw tooFar(start);
}

function localMs(t: Date): number {
  const ms = t.getTime();
  if (!Number.isFinite(ms))
    throw invalid('bad_instant', { vi: 'thời điểm không hợp lệ', en: 'an invalid instant' });
  return ms + VN_OFFSET;
}
const fromLocal = (local: number) => new Date(local - VN_OFFSET);
const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

function dayNumber(iso: string, field: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== iso)
    throw invalid(
      'bad_date',
      {
        vi: `"${iso}" (${field}) không phải ngày dạng YYYY-MM-DD`,
        en: `"${iso}" (${field}) is not a YYYY-MM-DD date`,
      },
      { field, value: iso },
    );
  return ms / DAY;
}

function minutesOf(hhmm: string, field: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (!m || min > 59 || h > 24 || (h === 24 && min > 0))
    throw invalid(
      'bad_hours',
      {
        vi: `"${hhmm}" (${field}) không phải giờ dạng HH:MM`,
        en: `"${hhmm}" (${field}) is not an HH:MM time`,
      },
      { field, value: hhmm },
    );
  return h * 60 + min;
}

/** A day's spans in ms, checked: each ends after it starts, in order, not overlapping. */
function spans(hours: readonly HoursSpan[], field: string): Span[] {
  const out = hours.map(([a, b]) => ({
    from: minutesOf(a, field) * MINUTE,
    to: minutesOf(b, field) * MINUTE,
  }));
  out.forEach((s, i) => {
    const before = out[i - 1];
    if (s.to <= s.from || (before && s.from < before.to))
      throw invalid(
        'bad_hours',
        {
          vi: `giờ làm việc của ${field} phải theo thứ tự, không chồng lên nhau, giờ kết thúc sau giờ bắt đầu`,
          en: `the working hours of ${field} must be in order, not overlapping, each ending after it starts`,
        },
        { field, hours },
      );
  });
  return out;
}

function invalid(problem: string, why: Message, details: Record<string, unknown> = {}): AppError {
  return new AppError(
    'working_time_invalid',
    {
      vi: `Lịch làm việc hoặc thời hạn không hợp lệ: ${why.vi}`,
      en: `Invalid working calendar or deadline: ${why.en}`,
    },
    { problem, ...details },
  );
}

function badAmount(amount: WorkingAmount): AppError {
  return invalid(
    'bad_amount',
    {
      vi: 'thời hạn phải là số giờ, số phút không âm hoặc số nguyên ngày làm việc không âm',
      en: 'a deadline is a non-negative number of hours or minutes, or a whole number of working days',
    },
    { amount },
  );
}

function tooFar(start: Date): AppError {
  return invalid(
    'too_far',
    {
      vi: `không tìm được trong vòng ${WORKING_TIME_HORIZON_DAYS} ngày (10 năm) kể từ ${isoOf(Math.floor(localMs(start) / DAY))}; lịch có quá ít giờ làm việc hoặc thời hạn quá dài`,
      en: `not found within ${WORKING_TIME_HORIZON_DAYS} days (10 years) of ${isoOf(Math.floor(localMs(start) / DAY))}; the calendar has too little working time or the deadline is too long`,
    },
    { start: start.toISOString() },
  );
}
