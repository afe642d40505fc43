import { z } from 'zod';
import { AppError, schemaProblems } from './errors.ts';
import {
  VN_CIVIL_SERVICE_DAYS_OFF_2026,
  VN_CIVIL_SERVICE_WEEK,
  workingCalendar,
  type WorkingCalendarSpec,
} from './working-time.ts';

/**
 * An office's working calendar as it crosses the boundary (issue 20): the API
 * (`/api/orgunits/{code}/workingCalendar`) and the CLI. The schema checks the shape, hours and
 * dates with a message in both languages; `checkedCalendar` then runs the working-time rule
 * (domain/working-time.ts) so that an office with no working hours is refused the same way.
 */

/** A year of holidays for a few decades is a few hundred dates; more is a mistake. */
export const WORKING_CALENDAR_DATES_MAX = 400;
/** Morning and afternoon, sometimes an evening shift: more than six spans a day is a mistake. */
export const WORKING_CALENDAR_SPANS_MAX = 6;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const Hhmm = z.string().refine((s) => HHMM.test(s), {
  message: 'A time of day HH:MM, 00:00 to 24:00 (07:30)',
  params: { vi: 'Giờ dạng HH:MM, từ 00:00 đến 24:00 (07:30)' },
});

/** A day's working hours: spans `['07:30', '11:30']`, each ending after it starts, in order. */
export const DayHours = z
  .array(z.tuple([Hhmm, Hhmm]))
  .max(WORKING_CALENDAR_SPANS_MAX)
  .superRefine((spans, ctx) => {
    spans.forEach(([from, to], i) => {
      if (!HHMM.test(from) || !HHMM.test(to)) return;
      if (minutes(to) <= minutes(from))
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `The span ${from}–${to} must end after it starts`,
          params: { vi: `Khoảng ${from}–${to} phải kết thúc sau khi bắt đầu` },
        });
      const before = spans[i - 1];
      if (before && HHMM.test(before[1]) && minutes(from) < minutes(before[1]))
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `The span ${from}–${to} starts before the one before it ends (${before[0]}–${before[1]}): spans are in order and do not overlap`,
          params: {
            vi: `Khoảng ${from}–${to} bắt đầu trước khi khoảng trước nó (${before[0]}–${before[1]}) kết thúc: các khoảng phải theo thứ tự, không chồng lên nhau`,
          },
        });
    });
  })
  .meta({
    description: "A day's working hours, local time: spans [from, to) in order, not overlapping",
    example: [
      ['07:30', '11:30'],
      ['13:00', '17:00'],
    ],
  });

const isoDate = (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)).toISOString().slice(0, 10) === s;
};

const IsoDate = z.string().refine(isoDate, {
  message: 'A date YYYY-MM-DD (2026-09-02)',
  params: { vi: 'Ngày dạng YYYY-MM-DD (2026-09-02)' },
});

const Dates = z
  .array(IsoDate)
  .max(WORKING_CALENDAR_DATES_MAX)
  .superRefine((dates, ctx) => {
    const seen = new Set<string>();
    dates.forEach((d, i) => {
      if (seen.has(d))
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `${d} is given twice`,
          params: { vi: `Ngày ${d} được ghi hai lần` },
        });
      seen.add(d);
    });
  });

/** The spec as PUT takes it: `WorkingCalendarSpec` (domain/working-time.ts). */
export const WorkingCalendarSpecInput = z
  .strictObject({
    week: z
      .strictObject({
        mon: DayHours,
        tue: DayHours,
        wed: DayHours,
        thu: DayHours,
        fri: DayHours,
        sat: DayHours,
        sun: DayHours,
      })
      .meta({ description: 'Working hours of each day of the week; `[]` is a day off' }),
    holidays: Dates.default([]).meta({
      description: 'Whole days off (public holidays and the days the government adds)',
      example: ['2026-09-01', '2026-09-02'],
    }),
    extraWorkingDays: Dates.default([]).meta({
      description: 'Days worked although the week has them off (compensating Saturdays)',
      example: ['2026-08-22'],
    }),
    extraDayHours: DayHours.optional().meta({
      description: "Hours of an extra working day; Monday's when not given",
    }),
  })
  .meta({
    description:
      "An office's working time: its week, holidays and compensating working days (Viet Nam's time, UTC+7)",
  });
export type WorkingCalendarSpecInput = z.input<typeof WorkingCalendarSpecInput>;

/** The calendar every office has until one of it or above it sets its own. */
export const NATIONAL_WORKING_CALENDAR: WorkingCalendarSpec = {
  week: VN_CIVIL_SERVICE_WEEK,
  ...VN_CIVIL_SERVICE_DAYS_OFF_2026,
};

/**
 * A spec read by the schema and checked by the working-time rule: `validation_failed` with
 * every problem for a bad shape, hour or date; `working_time_invalid` for a calendar the rule
 * refuses (no working hours at all, a day both off and worked). Returns the spec as stored.
 */
export function checkedCalendarSpec(input: unknown): WorkingCalendarSpec {
  const r = WorkingCalendarSpecInput.safeParse(input);
  if (!r.success) {
    const issues = schemaProblems(r.error);
    const first = issues[0]!;
    throw new AppError(
      'validation_failed',
      {
        vi: `Lịch làm việc không hợp lệ: ${first.path || 'body'} — ${first.vi}`,
        en: `Invalid working calendar: ${first.path || 'body'} — ${first.en}`,
      },
      { issues },
    );
  }
  const spec: WorkingCalendarSpec = {
    week: r.data.week,
    holidays: [...r.data.holidays].sort(),
    extraWorkingDays: [...r.data.extraWorkingDays].sort(),
    ...(r.data.extraDayHours ? { extraDayHours: r.data.extraDayHours } : {}),
  };
  workingCalendar(spec);
  return spec;
}
