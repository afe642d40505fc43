/**
 * DHIS2's own period library, @dhis2/multi-calendar-dates (what DHIS2's web apps use to list and
 * name periods), as an oracle for period.ts: every period it generates for 2019–2027, of every
 * period type the DHIS2 server has, must read in Opsroom to the same first and last day, and
 * Opsroom must write DHIS2's id for it.
 *
 * Where the library and the DHIS2 server disagree, the server wins (it is what Opsroom stands in
 * for, and what files exported from DHIS2 carry); the disagreements are asserted below, each
 * with the dhis2-core source that decides it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  addDays,
  parsePeriod,
  periodContaining,
  periodsWithin,
  relativePeriods,
  toAdxPeriod,
  toDhis2Id,
  type FixedPeriodType,
  type Period,
} from './period.ts';

interface FixedPeriod {
  periodType: string;
  id: string;
  startDate: string;
  endDate: string;
}

interface Dhis2PeriodLibrary {
  generateFixedPeriods(o: {
    year: number;
    periodType: string;
    calendar: 'gregory';
    locale?: string;
    yearsCount?: number;
  }): FixedPeriod[];
  getFixedPeriodByDate(o: { periodType: string; date: string; calendar: 'gregory' }): FixedPeriod;
  createFixedPeriodFromPeriodId(o: { periodId: string; calendar: 'gregory' }): FixedPeriod;
}

// The library's ES module build does not load in Node (its imports have no file extensions),
// so the CommonJS build is loaded with require.
const dhis2 = createRequire(import.meta.url)('@dhis2/multi-calendar-dates') as Dhis2PeriodLibrary;

/** The library's name for each of the DHIS2 server's period types. */
const LIBRARY_TYPES: Record<FixedPeriodType, string> = {
  day: 'DAILY',
  week: 'WEEKLY',
  week_wed: 'WEEKLYWED',
  week_thu: 'WEEKLYTHU',
  week_fri: 'WEEKLYFRI',
  week_sat: 'WEEKLYSAT',
  week_sun: 'WEEKLYSUN',
  biweek: 'BIWEEKLY',
  month: 'MONTHLY',
  bimonth: 'BIMONTHLY',
  quarter: 'QUARTERLY',
  quarter_nov: 'QUARTERLYNOV',
  half: 'SIXMONTHLY',
  half_apr: 'SIXMONTHLYAPR',
  half_nov: 'SIXMONTHLYNOV',
  year: 'YEARLY',
  fy_feb: 'FYFEB',
  fy_apr: 'FYAPR',
  fy_jul: 'FYJUL',
  fy_aug: 'FYAUG',
  fy_sep: 'FYSEP',
  fy_oct: 'FYOCT',
  fy_nov: 'FYNOV',
};
const TYPES = Object.keys(LIBRARY_TYPES) as FixedPeriodType[];
const YEARLY = new Set<FixedPeriodType>(TYPES.filter((t) => t === 'year' || t.startsWith('fy_')));
const FIRST = 2019;
const LAST = 2027;

/** Every period the library generates for FIRST…LAST (yearly types: those starting then). */
function generated(type: FixedPeriodType): FixedPeriod[] {
  const periodType = LIBRARY_TYPES[type];
  if (YEARLY.has(type)) {
    const count = LAST - FIRST + 1;
    return dhis2.generateFixedPeriods({
      year: LAST,
      periodType,
      calendar: 'gregory',
      locale: 'en',
      yearsCount: count,
    });
  }
  const all: FixedPeriod[] = [];
  for (let year = FIRST; year <= LAST; year++) {
    all.push(
      ...dhis2.generateFixedPeriods({ year, periodType, calendar: 'gregory', locale: 'en' }),
    );
  }
  return all;
}

/**
 * The DHIS2 server's id for a period the library generated. They differ for the November types:
 * the library names them by the year they start in (2021NovemberQ1, 2021NovemberS1, 2021Nov for
 * November 2021 on), the server by the year they end in (2022NovQ1, 2022NovS1, 2022Nov):
 * dhis2-core QuarterlyNovemberPeriodType, SixMonthlyNovemberPeriodType and
 * FinancialNovemberPeriodType.getIsoDate (`year + 1`), DateUnitPeriodTypeParser, and
 * AdxPeriodTest ("2025NovS1" is 2024-11-01/P6M, "2025Nov" 2024-11-01/P1Y).
 */
function serverId(type: FixedPeriodType, p: FixedPeriod): string {
  const year = Number(p.id.slice(0, 4));
  if (type === 'quarter_nov') return p.id.replace(/^\d{4}NovemberQ/, `${year + 1}NovQ`);
  if (type === 'half_nov') return p.id.replace(/^\d{4}NovemberS/, `${year + 1}NovS`);
  if (type === 'fy_nov') return `${year + 1}Nov`;
  return p.id;
}

const span = (p: { start: string; end: string }) => `${p.start} – ${p.end}`;
const libSpan = (p: FixedPeriod) => `${p.startDate} – ${p.endDate}`;

describe('@dhis2/multi-calendar-dates as oracle: every period of every type, 2019–2027', () => {
  for (const type of TYPES) {
    it(`${LIBRARY_TYPES[type]}: same dates, DHIS2's id, and the same list as Opsroom's`, () => {
      const periods = generated(type);
      assert.ok(periods.length > 0);
      for (const lp of periods) {
        const id = serverId(type, lp);
        const p = parsePeriod(id);
        assert.equal(p.type, type, id);
        assert.equal(span(p), libSpan(lp), id);
        assert.equal(toDhis2Id(p), id);
        // The period holding its first day is itself; its canonical id and ADX form read back.
        assert.deepEqual(periodContaining(lp.startDate, type), p, id);
        assert.deepEqual(parsePeriod(p.id), p, id);
        assert.deepEqual(parsePeriod(toAdxPeriod(p)), p, id);
        if (type !== 'fy_nov') {
          // The library's own id reads to the same dates (2021NovemberQ1 included).
          assert.equal(span(parsePeriod(lp.id)), libSpan(lp), lp.id);
        }
      }
      // No period is missing: the library's list is Opsroom's list over the same span (for
      // weeks and bi-weeks, the week years FIRST…LAST).
      const first = parsePeriod(
        serverId(
          type,
          periods.reduce((a, b) => (a.startDate < b.startDate ? a : b)),
        ),
      );
      const last = parsePeriod(
        serverId(
          type,
          periods.reduce((a, b) => (a.startDate > b.startDate ? a : b)),
        ),
      );
      const ours: Period[] = [];
      for (let p = first; p.start <= last.start; p = periodContaining(addDays(p.end, 1), type)) {
        ours.push(p);
      }
      const theirs = periods.map((lp) => serverId(type, lp)).sort();
      const oursIds = ours
        .map(toDhis2Id)
        .filter((id) => type !== 'biweek' || !id.endsWith('BiW27'));
      assert.deepEqual(oursIds.sort(), theirs);
    });
  }

  it('FYNOV: the library calls November 2021 – October 2022 "2021Nov"; the server "2022Nov"', () => {
    const lib = dhis2.createFixedPeriodFromPeriodId({ periodId: '2021Nov', calendar: 'gregory' });
    assert.equal(libSpan(lib), '2021-11-01 – 2022-10-31');
    // Opsroom reads a DHIS2 id as the server does (a file exported from DHIS2 carries these).
    assert.equal(span(parsePeriod('2022Nov')), '2021-11-01 – 2022-10-31');
    assert.equal(span(parsePeriod('2021Nov')), '2020-11-01 – 2021-10-31');
    assert.equal(toAdxPeriod(parsePeriod('2022Nov')), '2021-11-01/P1Y');
  });

  it('BIWEEKLY: a 53-week year has a 27th bi-week on the server, which the library omits', () => {
    // dhis2-core DateUnitPeriodTypeParser accepts BiW n while 2n-1 ≤ the year's ISO weeks, and
    // BiWeeklyAbstractPeriodType.createPeriod starts a bi-week on every odd ISO week, 53 included.
    const years = [2020, 2026];
    for (const year of years) {
      const lib = dhis2.generateFixedPeriods({
        year,
        periodType: 'BIWEEKLY',
        calendar: 'gregory',
      });
      assert.equal(lib.length, 26);
      assert.equal(periodsWithin(parsePeriod(String(year)), 'biweek').length, 27);
      const b27 = parsePeriod(`${year}BiW27`);
      assert.equal(b27.start, addDays(lib.at(-1)?.endDate ?? '', 1));
      assert.equal(b27.end, addDays(b27.start, 13));
    }
  });
});

describe('@dhis2/multi-calendar-dates as oracle: the period holding a date', () => {
  // A few dates around year ends and in the middle, of years with 52 and 53 ISO weeks.
  const dates = ['2020-01-01', '2020-06-15', '2020-12-30', '2021-01-03', '2021-01-04'];
  dates.push('2021-10-31', '2021-11-01', '2022-02-28', '2026-12-31', '2027-01-01');
  for (const type of TYPES) {
    it(`${LIBRARY_TYPES[type]}`, () => {
      for (const date of dates) {
        const ours = periodContaining(date, type);
        if (toDhis2Id(ours).endsWith('BiW27')) {
          // ISO week 53 (2020-12-28 – 2021-01-03, 2026-12-28 – 2027-01-03): the library answers
          // the next year's BiW1, which does not hold the date; the server's createPeriod starts
          // a bi-week there (2020BiW27, 2026BiW27).
          assert.ok(ours.start <= date && date <= addDays(ours.start, 6), date);
          continue;
        }
        const lp = dhis2.getFixedPeriodByDate({
          periodType: LIBRARY_TYPES[type],
          date,
          calendar: 'gregory',
        });
        assert.equal(span(ours), libSpan(lp), `${type} ${date}`);
        assert.equal(toDhis2Id(ours), serverId(type, lp), `${type} ${date}`);
      }
    });
  }
});

describe("dhis2-core's own expectations", () => {
  it('ADX periods (AdxPeriodTest): start/duration to DHIS2 ids and back', () => {
    const parse: [string, string][] = [
      ['2024-01-01/P1D', '20240101'],
      ['2024-01-01/P7D', '2024W1'],
      ['2024-01-03/P7D', '2024WedW1'],
      ['2024-01-04/P7D', '2024ThuW1'],
      ['2024-01-06/P7D', '2024SatW2'],
      ['2024-01-07/P7D', '2024SunW2'],
      ['2024-01-01/P14D', '2024BiW1'],
      ['2024-01-15/P14D', '2024BiW2'],
      ['2024-05-01/P1M', '202405'],
      ['2024-01-01/P2M', '202401B'],
      ['2024-04-01/P3M', '2024Q2'],
      ['2024-07-01/P6M', '2024S2'],
      ['2024-04-01/P6M', '2024AprilS1'],
      ['2024-10-01/P6M', '2024AprilS2'],
      ['2024-11-01/P6M', '2025NovS1'],
      ['2025-05-01/P6M', '2025NovS2'],
      ['2024-01-01/P1Y', '2024'],
      ['2024-04-01/P1Y', '2024April'],
      ['2024-07-01/P1Y', '2024July'],
      ['2024-10-01/P1Y', '2024Oct'],
      ['2024-11-01/P1Y', '2025Nov'],
    ];
    for (const [adx, id] of parse) assert.equal(toDhis2Id(parsePeriod(adx)), id, adx);
    const serialize: [string, string][] = [
      ['2022W1', '2022-01-03/P7D'],
      ['2022WedW1', '2021-12-29/P7D'],
      ['2022ThuW1', '2021-12-30/P7D'],
      ['2022SatW1', '2022-01-01/P7D'],
      ['2022SunW1', '2022-01-02/P7D'],
      ['2022BiW2', '2022-01-17/P14D'],
      ['202202B', '2022-03-01/P2M'],
      ['2022AprilS2', '2022-10-01/P6M'],
      ['2022NovS2', '2022-05-01/P6M'],
      ['2022July', '2022-07-01/P1Y'],
      ['2022Nov', '2021-11-01/P1Y'],
    ];
    for (const [id, adx] of serialize) assert.equal(toAdxPeriod(parsePeriod(id)), adx, id);
  });

  it('relative periods (RelativePeriodsTest), ISO weeks and October financial years', () => {
    const got = (k: string, today: string) => relativePeriods(k, today).map(span);
    assert.deepEqual(got('LAST_3_DAYS', '2001-07-04'), [
      '2001-07-01 – 2001-07-01',
      '2001-07-02 – 2001-07-02',
      '2001-07-03 – 2001-07-03',
    ]);
    assert.deepEqual(got('THIS_BIWEEK', '2001-01-15'), ['2001-01-15 – 2001-01-28']);
    assert.deepEqual(got('LAST_BIWEEK', '2001-01-15'), ['2001-01-01 – 2001-01-14']);
    assert.deepEqual(got('LAST_4_BIWEEKS', '2002-01-01'), [
      '2001-11-05 – 2001-11-18',
      '2001-11-19 – 2001-12-02',
      '2001-12-03 – 2001-12-16',
      '2001-12-17 – 2001-12-30',
    ]);
    assert.deepEqual(got('THIS_BIMONTH', '2001-07-15'), ['2001-07-01 – 2001-08-31']);
    assert.deepEqual(got('LAST_BIMONTH', '2001-07-15'), ['2001-05-01 – 2001-06-30']);
    assert.deepEqual(got('LAST_2_SIXMONTHS', '2001-01-01'), [
      '2000-01-01 – 2000-06-30',
      '2000-07-01 – 2000-12-31',
    ]);
    const years = got('LAST_10_YEARS', '2001-01-01');
    assert.equal(years.length, 10);
    assert.equal(years[0], '1991-01-01 – 1991-12-31');
    assert.equal(years[9], '2000-01-01 – 2000-12-31');
    const fys = got('LAST_10_FINANCIAL_YEARS', '2001-01-01');
    assert.equal(fys.length, 10);
    assert.equal(fys[0], '1990-10-01 – 1991-09-30');
    assert.equal(fys[9], '1999-10-01 – 2000-09-30');
    assert.deepEqual(got('LAST_WEEK', '2012-01-20'), ['2012-01-09 – 2012-01-15']);
    assert.deepEqual(got('LAST_4_WEEKS', '2010-05-04'), [
      '2010-04-05 – 2010-04-11',
      '2010-04-12 – 2010-04-18',
      '2010-04-19 – 2010-04-25',
      '2010-04-26 – 2010-05-02',
    ]);
  });

  it('THIS_WEEK under each weekly start setting (RelativePeriodsTest)', () => {
    const thisWeek = (weekType: Parameters<typeof relativePeriods>[2] & object) =>
      relativePeriods('THIS_WEEK', '2001-04-01', weekType).map(span);
    assert.deepEqual(thisWeek({}), ['2001-03-26 – 2001-04-01']);
    assert.deepEqual(thisWeek({ weekType: 'week_wed' }), ['2001-03-28 – 2001-04-03']);
    assert.deepEqual(thisWeek({ weekType: 'week_thu' }), ['2001-03-29 – 2001-04-04']);
    assert.deepEqual(thisWeek({ weekType: 'week_fri' }), ['2001-03-30 – 2001-04-05']);
    assert.deepEqual(thisWeek({ weekType: 'week_sat' }), ['2001-03-31 – 2001-04-06']);
    assert.deepEqual(thisWeek({ weekType: 'week_sun' }), ['2001-04-01 – 2001-04-07']);
  });
});
