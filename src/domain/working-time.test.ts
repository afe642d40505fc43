import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Holidays from 'date-holidays';
import { vnDate, vnTime } from './dates.ts';
import { AppError } from './errors.ts';
import {
  addWorkingTime,
  isWorkingTime,
  VN_CIVIL_SERVICE_DAYS_OFF_2026,
  VN_CIVIL_SERVICE_WEEK,
  workingCalendar,
  workingTimeBetween,
  type WorkingAmount,
  type WorkingCalendar,
} from './working-time.ts';

/** Hà Nội's civil-service week with 2026's days off as the government set them. */
const office2026 = workingCalendar({
  week: VN_CIVIL_SERVICE_WEEK,
  ...VN_CIVIL_SERVICE_DAYS_OFF_2026,
});
const weekOnly = workingCalendar();

/** The deadline as Viet Nam's wall clock reads it: 2026-03-09 15:00. */
function vn(t: Date): string {
  const local = new Date(t.getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}
const add = (cal: WorkingCalendar, start: string, amount: WorkingAmount) =>
  vn(addWorkingTime(cal, vnTime(start), amount));

function throwsProblem(fn: () => unknown, problem: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'working_time_invalid');
    assert.equal(e.status, 422);
    assert.equal((e.details as { problem: string }).problem, problem);
    assert.ok(e.messages.vi.startsWith('Lịch làm việc hoặc thời hạn không hợp lệ'));
    return true;
  });
}

describe('working hours', () => {
  it('8 working hours from Friday 15:00 end on Monday 15:00 (2 h Friday, lunch not counted)', () => {
    // Friday 6 March 2026: 15:00–17:00 (2 h), Monday 08:00–12:00 (4 h), 13:00–15:00 (2 h).
    assert.equal(add(weekOnly, '2026-03-06T15:00', { hours: 8 }), '2026-03-09 15:00');
    assert.equal(
      workingTimeBetween(weekOnly, vnTime('2026-03-06T15:00'), vnTime('2026-03-09T15:00')),
      480,
    );
  });

  it('ends at the close of a span rather than the next opening', () => {
    assert.equal(add(weekOnly, '2026-03-09T08:00', { hours: 8 }), '2026-03-09 17:00');
    assert.equal(add(weekOnly, '2026-03-09T08:00', { hours: 4 }), '2026-03-09 12:00');
    assert.equal(add(weekOnly, '2026-03-09T08:00', { minutes: 241 }), '2026-03-09 13:01');
  });

  it('a report sent at night, at lunch or on a Sunday waits for the office to open', () => {
    // iHanoi's urgent case: 4 working hours.
    assert.equal(add(weekOnly, '2026-03-10T22:00', { hours: 4 }), '2026-03-11 12:00');
    assert.equal(add(weekOnly, '2026-03-10T06:30', { hours: 4 }), '2026-03-10 12:00');
    assert.equal(add(weekOnly, '2026-03-10T12:30', { hours: 1 }), '2026-03-10 14:00');
    assert.equal(add(weekOnly, '2026-03-08T10:00', { hours: 8 }), '2026-03-09 17:00');
    assert.equal(add(weekOnly, '2026-03-10T17:00', { hours: 1 }), '2026-03-11 09:00');
    // Nothing to count: the moment the office opens.
    assert.equal(add(weekOnly, '2026-03-08T10:00', { hours: 0 }), '2026-03-09 08:00');
  });

  it('skips National Day: from Friday 28 August 2026 to Thursday 3 September', () => {
    // Off Saturday 29 August – Wednesday 2 September (31 August swapped for 22 August).
    assert.equal(add(office2026, '2026-08-28T15:00', { hours: 8 }), '2026-09-03 15:00');
    // The office's week alone would have answered on Monday.
    assert.equal(add(weekOnly, '2026-08-28T15:00', { hours: 8 }), '2026-08-31 15:00');
  });

  it('skips 30 April and 1 May 2026 (Thursday and Friday)', () => {
    assert.equal(add(office2026, '2026-04-29T13:00', { hours: 8 }), '2026-05-04 12:00');
    // Hùng Kings' day fell on Sunday 26 April: Monday 27 April is off in its place.
    assert.equal(add(office2026, '2026-04-24T16:00', { hours: 2 }), '2026-04-28 09:00');
  });

  it('counts a compensating Saturday (22 August 2026) as a working day', () => {
    assert.ok(isWorkingTime(office2026, vnTime('2026-08-22T09:00')));
    assert.ok(!isWorkingTime(weekOnly, vnTime('2026-08-22T09:00')));
    assert.equal(add(office2026, '2026-08-21T15:00', { hours: 8 }), '2026-08-22 15:00');
    assert.equal(add(weekOnly, '2026-08-21T15:00', { hours: 8 }), '2026-08-24 15:00');
    // Its hours can be set apart from the week's: a Saturday morning only.
    const mornings = workingCalendar({
      ...VN_CIVIL_SERVICE_DAYS_OFF_2026,
      extraDayHours: [['07:30', '11:30']],
    });
    assert.equal(add(mornings, '2026-08-21T15:00', { hours: 8 }), '2026-08-24 10:00');
  });

  it('tells working time from time off', () => {
    const cases: [string, boolean][] = [
      ['2026-03-09T07:59', false],
      ['2026-03-09T08:00', true],
      ['2026-03-09T11:59', true],
      ['2026-03-09T12:00', false],
      ['2026-03-09T13:00', true],
      ['2026-03-09T16:59', true],
      ['2026-03-09T17:00', false],
      ['2026-03-07T10:00', false], // Saturday
      ['2026-02-18T10:00', false], // Tết
      ['2026-02-23T10:00', true], // the first day back
    ];
    for (const [t, working] of cases)
      assert.equal(isWorkingTime(office2026, vnTime(t)), working, t);
  });
});

describe('working days', () => {
  it('"within 5 working days" across Tết 2026 (14–22 February off)', () => {
    // Received Thursday 12 February (not counted): Friday 13 is day 1, then Tết; Monday 23 to
    // Thursday 26 are days 2–5; the deadline is the close of Thursday 26 February.
    assert.equal(add(office2026, '2026-02-12T10:00', { days: 5 }), '2026-02-26 17:00');
    assert.equal(add(weekOnly, '2026-02-12T10:00', { days: 5 }), '2026-02-19 17:00');
  });

  it('does not count the day of receipt; after hours the next working day is that day', () => {
    assert.equal(add(weekOnly, '2026-03-06T16:59', { days: 5 }), '2026-03-13 17:00');
    assert.equal(add(weekOnly, '2026-03-06T17:00', { days: 5 }), '2026-03-16 17:00');
    assert.equal(add(weekOnly, '2026-03-07T09:00', { days: 5 }), '2026-03-16 17:00');
    assert.equal(add(weekOnly, '2026-03-09T07:00', { days: 1 }), '2026-03-10 17:00');
    assert.equal(add(weekOnly, '2026-03-09T07:00', { days: 0 }), '2026-03-09 17:00');
    // Received on a Tết day: the day of receipt is Monday 23 February.
    assert.equal(add(office2026, '2026-02-17T09:00', { days: 1 }), '2026-02-24 17:00');
  });

  it('the 2026 days off hold every statutory day that date-holidays computes (lunar dates too)', () => {
    // date-holidays as an outside oracle for the lunar calendar: Tết on 17 February 2026 and
    // Hùng Kings' day on 26 April. Every statutory day on a weekday must be off in our data; one
    // on a weekend must have its day off on the next working day.
    const statutory = new Holidays('VN')
      .getHolidays(2026)
      .filter((h) => h.type === 'public')
      .flatMap((h) => {
        const days: string[] = [];
        for (let t = h.start.getTime(); t < h.end.getTime(); t += 86_400_000)
          days.push(vnDate(new Date(t)));
        return days;
      });
    assert.ok(statutory.includes('2026-02-17') && statutory.includes('2026-04-26'));
    for (const day of statutory) {
      const noon = vnTime(`${day}T10:00`);
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6) assert.ok(!isWorkingTime(office2026, noon), day);
    }
    assert.ok(!isWorkingTime(office2026, vnTime('2026-04-27T10:00')));
    // Our holidays are the statutory weekdays plus the three the government placed: the
    // Monday for Hùng Kings' Sunday, National Day's second day and the swapped 31 August.
    const placed = VN_CIVIL_SERVICE_DAYS_OFF_2026.holidays.filter((d) => !statutory.includes(d));
    assert.deepEqual(placed, ['2026-04-27', '2026-08-31', '2026-09-01']);
  });
});

describe('workingTimeBetween agrees with addWorkingTime', () => {
  // Whole minutes from 2025-12-01 to 2027-01-31, across all of 2026's days off.
  const startArb = fc
    .integer({ min: 0, max: 427 * 24 * 60 })
    .map((m) => new Date(vnTime('2025-12-01T00:00').getTime() + m * 60_000));

  it('the working minutes to a deadline are the minutes asked for', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 20 * 480 }), (start, minutes) => {
        const end = addWorkingTime(office2026, start, { minutes });
        assert.equal(workingTimeBetween(office2026, start, end), minutes);
        assert.ok(end.getTime() >= start.getTime());
        // The deadline is the end of a counted minute: the minute before it was worked.
        if (minutes > 0) assert.ok(isWorkingTime(office2026, new Date(end.getTime() - 60_000)));
      }),
      { numRuns: 1000, seed: 20 },
    );
  });

  it('n working days after receipt are n full days after the rest of the day of receipt', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 30 }), (start, days) => {
        const end = addWorkingTime(office2026, start, { days });
        const restOfDay = workingTimeBetween(
          office2026,
          start,
          addWorkingTime(office2026, start, { days: 0 }),
        );
        assert.equal(workingTimeBetween(office2026, start, end), restOfDay + days * 480);
        assert.ok(
          !isWorkingTime(office2026, end) && isWorkingTime(office2026, new Date(end.getTime() - 1)),
        );
      }),
      { numRuns: 500, seed: 61 },
    );
  });

  it('is additive and signed', () => {
    fc.assert(
      fc.property(startArb, startArb, startArb, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        assert.equal(
          workingTimeBetween(office2026, a, b) + workingTimeBetween(office2026, b, c),
          workingTimeBetween(office2026, a, c),
        );
        assert.equal(workingTimeBetween(office2026, c, a), -workingTimeBetween(office2026, a, c));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('errors', () => {
  it('refuses a calendar with no working hours at all', () => {
    const none = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    throwsProblem(() => workingCalendar({ week: none }), 'no_working_time');
  });

  it('a calendar whose working time has run out answers an error, not a loop', () => {
    // Only one working Saturday, in 2025: nothing after it.
    const once = workingCalendar({
      week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      extraWorkingDays: ['2025-08-23'],
      extraDayHours: [['08:00', '12:00']],
    });
    throwsProblem(() => addWorkingTime(once, vnTime('2026-01-05T09:00'), { hours: 1 }), 'too_far');
    throwsProblem(() => addWorkingTime(once, vnTime('2026-01-05T09:00'), { days: 1 }), 'too_far');
    // Every day of 2026 off: the hour is worked on Friday 1 January 2027.
    const year = Array.from({ length: 365 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    );
    const closed = workingCalendar({ holidays: year });
    assert.equal(add(closed, '2026-03-09T09:00', { hours: 1 }), '2027-01-01 09:00');
  });

  it('refuses 10,000 working days, and a gap of more than ten years', () => {
    throwsProblem(
      () => addWorkingTime(office2026, vnTime('2026-03-09T09:00'), { days: 10_000 }),
      'too_far',
    );
    throwsProblem(
      () => addWorkingTime(office2026, vnTime('2026-03-09T09:00'), { hours: 1e7 }),
      'too_far',
    );
    throwsProblem(
      () => workingTimeBetween(office2026, vnTime('2000-01-01'), vnTime('2026-01-01')),
      'too_far',
    );
  });

  it('refuses bad amounts, instants and data', () => {
    const t = vnTime('2026-03-09T09:00');
    throwsProblem(() => addWorkingTime(office2026, t, { hours: -1 }), 'bad_amount');
    throwsProblem(() => addWorkingTime(office2026, t, { hours: Number.NaN }), 'bad_amount');
    throwsProblem(() => addWorkingTime(office2026, t, { days: 1.5 }), 'bad_amount');
    throwsProblem(
      () => addWorkingTime(office2026, new Date(Number.NaN), { days: 1 }),
      'bad_instant',
    );
    throwsProblem(() => workingCalendar({ holidays: ['2026-02-30'] }), 'bad_date');
    throwsProblem(() => workingCalendar({ holidays: ['2/9/2026'] }), 'bad_date');
    throwsProblem(
      () => workingCalendar({ week: { ...VN_CIVIL_SERVICE_WEEK, mon: [['13:00', '12:00']] } }),
      'bad_hours',
    );
    throwsProblem(
      () =>
        workingCalendar({
          week: {
            ...VN_CIVIL_SERVICE_WEEK,
            mon: [
              ['08:00', '12:00'],
              ['11:00', '17:00'],
            ],
          },
        }),
      'bad_hours',
    );
    throwsProblem(
      () => workingCalendar({ week: { ...VN_CIVIL_SERVICE_WEEK, mon: [['8h', '12:00']] } }),
      'bad_hours',
    );
    throwsProblem(
      () => workingCalendar({ holidays: ['2026-08-22'], extraWorkingDays: ['2026-08-22'] }),
      'holiday_and_working_day',
    );
  });
});
