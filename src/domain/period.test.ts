import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors.ts';
import {
  addDays,
  comparePeriods,
  formatPeriodEn,
  formatPeriodVi,
  isoWeeksInYear,
  isRelativePeriod,
  nextPeriod,
  parsePeriod,
  parsePeriodList,
  periodContaining,
  periodsWithin,
  periodTypeOrder,
  previousPeriod,
  relativePeriods,
  RELATIVE_PERIOD_KEYWORDS,
  samePeriodLastYear,
  sortPeriods,
  toAdxPeriod,
  toDhis2Id,
  toDhis2PeriodItem,
  yearToDate,
  DHIS2_PERIOD_TYPES,
  PERIOD_TYPE_NAMES,
  PERIOD_TYPES_FINEST_FIRST,
  periodTypeFromDhis2,
  type FixedPeriodType,
  type Period,
  type RelativePeriodOptions,
} from './period.ts';

const ids = (ps: Period[]): string[] => ps.map((p) => p.id);

/** Asserts fn throws AppError validation_failed with these messages and details. */
function refuses(fn: () => unknown, vi: string | RegExp, en: string | RegExp, period?: string) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'validation_failed');
    assert.equal(e.status, 400);
    if (typeof vi === 'string') assert.equal(e.messages.vi, vi);
    else assert.match(e.messages.vi, vi);
    if (typeof en === 'string') assert.equal(e.messages.en, en);
    else assert.match(e.messages.en, en);
    if (period !== undefined) assert.deepEqual(e.details, { period });
    return true;
  });
}

describe('ISO weeks across year ends', () => {
  it('2020 has 53 ISO weeks; 2020-W53 exists and ends 2021-01-03', () => {
    assert.equal(isoWeeksInYear(2020), 53);
    assert.deepEqual(parsePeriod('2020-W53'), {
      type: 'week',
      id: '2020-W53',
      start: '2020-12-28',
      end: '2021-01-03',
    });
  });
  it('2021-W01 starts on Monday 2021-01-04', () => {
    const w = parsePeriod('2021-W01');
    assert.equal(w.start, '2021-01-04');
    assert.equal(w.end, '2021-01-10');
    assert.equal(periodContaining('2021-01-03', 'week').id, '2020-W53');
    assert.equal(periodContaining('2021-01-01', 'week').id, '2020-W53');
  });
  it('2025-12-29 is in 2026-W01 and 2024-12-30 is in 2025-W01', () => {
    assert.equal(periodContaining('2025-12-29', 'week').id, '2026-W01');
    assert.equal(periodContaining('2025-12-28', 'week').id, '2025-W52');
    assert.equal(periodContaining('2024-12-30', 'week').id, '2025-W01');
    assert.equal(parsePeriod('2025-W01').start, '2024-12-30');
    assert.equal(parsePeriod('2026-W01').start, '2025-12-29');
  });
  it('knows which years have 53 weeks', () => {
    const long = [2015, 2020, 2026, 2032].map(isoWeeksInYear);
    assert.deepEqual(long, [53, 53, 53, 53]);
    assert.deepEqual([2021, 2022, 2024, 2025].map(isoWeeksInYear), [52, 52, 52, 52]);
  });
  it('refuses 2021-W53: 2021 has only 52 ISO weeks', () => {
    refuses(
      () => parsePeriod('2021-W53'),
      'Kỳ báo cáo không hợp lệ: 2021-W53 (năm 2021 chỉ có 52 tuần ISO)',
      'Invalid period: 2021-W53 (2021 has only 52 ISO weeks)',
      '2021-W53',
    );
    refuses(() => parsePeriod('2021W53'), /năm 2021 chỉ có 52 tuần ISO/, /52 ISO weeks/);
    refuses(() => parsePeriod('tuần 53/2021'), /năm 2021 chỉ có 52 tuần ISO/, /52 ISO weeks/);
    refuses(() => parsePeriod('2020-W54'), /năm 2020 chỉ có 53 tuần ISO/, /53 ISO weeks/);
    refuses(() => parsePeriod('2022W0'), /tuần phải từ 01/, /week must be 1/);
  });
});

describe('parsePeriod: canonical ids', () => {
  const cases: [string, Period][] = [
    ['2022-01-20', { type: 'day', id: '2022-01-20', start: '2022-01-20', end: '2022-01-20' }],
    ['2022-W05', { type: 'week', id: '2022-W05', start: '2022-01-31', end: '2022-02-06' }],
    ['2022-01', { type: 'month', id: '2022-01', start: '2022-01-01', end: '2022-01-31' }],
    ['2022-Q1', { type: 'quarter', id: '2022-Q1', start: '2022-01-01', end: '2022-03-31' }],
    ['2022-S1', { type: 'half', id: '2022-S1', start: '2022-01-01', end: '2022-06-30' }],
    ['2022-S2', { type: 'half', id: '2022-S2', start: '2022-07-01', end: '2022-12-31' }],
    ['2022', { type: 'year', id: '2022', start: '2022-01-01', end: '2022-12-31' }],
    [
      '2022-01-01/2022-08-31',
      { type: 'range', id: '2022-01-01/2022-08-31', start: '2022-01-01', end: '2022-08-31' },
    ],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${input}`, () => assert.deepEqual(parsePeriod(input), expected));
  }
  it('knows month lengths and leap Februaries', () => {
    assert.equal(parsePeriod('2024-02').end, '2024-02-29');
    assert.equal(parsePeriod('2023-02').end, '2023-02-28');
    assert.equal(parsePeriod('2000-02').end, '2000-02-29');
    assert.equal(parsePeriod('1900-02').end, '1900-02-28');
    assert.equal(parsePeriod('2022-Q2').end, '2022-06-30');
    assert.equal(parsePeriod('2024-02-29').id, '2024-02-29');
  });
  it('is lenient on case and spaces', () => {
    assert.equal(parsePeriod(' 2022-q1 ').id, '2022-Q1');
    assert.equal(parsePeriod('2022-w5').id, '2022-W05');
    assert.equal(parsePeriod('2022-H2').id, '2022-S2');
  });
});

describe('parsePeriod: DHIS2 ids', () => {
  const cases: [string, string][] = [
    ['20220120', '2022-01-20'],
    ['2022W5', '2022-W05'],
    ['2022W05', '2022-W05'],
    ['2020W53', '2020-W53'],
    ['202201', '2022-01'],
    ['202212', '2022-12'],
    ['2022Q1', '2022-Q1'],
    ['2022Q4', '2022-Q4'],
    ['2022S1', '2022-S1'],
    ['2022S2', '2022-S2'],
    ['2022', '2022'],
  ];
  for (const [input, id] of cases) {
    it(`reads ${input} as ${id}`, () => assert.equal(parsePeriod(input).id, id));
  }
  it('writes DHIS2 ids back', () => {
    for (const [input] of cases) {
      if (input === '2022W05') continue;
      assert.equal(toDhis2Id(parsePeriod(input)), input);
    }
    assert.equal(toDhis2Id(parsePeriod('2022-W05')), '2022W5');
    assert.equal(toDhis2Id(parsePeriod('2020-W53')), '2020W53');
  });
  it('has no DHIS2 id for a range and says so', () => {
    refuses(
      () => toDhis2Id(parsePeriod('2022-01-29/2022-02-05')),
      'Kỳ từ 29/01/2022 đến 05/02/2022 là một khoảng ngày, DHIS2 không có mã kỳ cho khoảng ngày',
      '2022-01-29/2022-02-05 is a date range; DHIS2 has no period id for a range',
      '2022-01-29/2022-02-05',
    );
  });
});

describe('parsePeriod: ISO 8601 start/duration (ADX)', () => {
  const cases: [string, string, Period['type']][] = [
    ['2022-01-20/P1D', '2022-01-20', 'day'],
    ['2022-01-31/P7D', '2022-W05', 'week'],
    ['2022-01-31/P1W', '2022-W05', 'week'],
    ['2022-01-01/P1M', '2022-01', 'month'],
    ['2022-04-01/P3M', '2022-Q2', 'quarter'],
    ['2022-07-01/P6M', '2022-S2', 'half'],
    ['2022-01-01/P1Y', '2022', 'year'],
    ['2022-01-01/P12M', '2022', 'year'],
    // DHIS2's other types, as its ADX reads them.
    ['2022-01-26/P7D', '2022-WedW05', 'week_wed'],
    ['2021-12-30/P7D', '2022-ThuW01', 'week_thu'],
    ['2021-12-31/P7D', '2022-FriW01', 'week_fri'],
    ['2022-01-01/P7D', '2022-SatW01', 'week_sat'],
    ['2022-01-02/P1W', '2022-SunW01', 'week_sun'],
    ['2022-01-17/P14D', '2022-BiW02', 'biweek'],
    ['2022-03-01/P2M', '2022-B02', 'bimonth'],
    ['2022-02-01/P3M', '2022-NovQ2', 'quarter_nov'],
    ['2021-11-01/P3M', '2022-NovQ1', 'quarter_nov'],
    ['2022-04-01/P6M', '2022-AprilS1', 'half_apr'],
    ['2022-10-01/P6M', '2022-AprilS2', 'half_apr'],
    ['2021-11-01/P6M', '2022-NovS1', 'half_nov'],
    ['2022-07-01/P1Y', '2022-July', 'fy_jul'],
    ['2022-04-01/P12M', '2022-April', 'fy_apr'],
    ['2021-11-01/P1Y', '2022-Nov', 'fy_nov'],
    // Not aligned: a range.
    ['2022-02-01/P7D', '2022-02-01/2022-02-07', 'range'], // a Tuesday
    ['2022-01-10/P14D', '2022-01-10/2022-01-23', 'range'], // ISO week 2: not a bi-week's start
    ['2022-01-15/P1M', '2022-01-15/2022-02-14', 'range'],
    ['2022-02-01/P2M', '2022-02-01/2022-03-31', 'range'],
    ['2022-03-01/P3M', '2022-03-01/2022-05-31', 'range'],
    ['2022-02-01/P6M', '2022-02-01/2022-07-31', 'range'],
    ['2022-06-01/P1Y', '2022-06-01/2023-05-31', 'range'],
    ['2022-01-01/P8M', '2022-01-01/2022-08-31', 'range'],
    ['2022-01-29/P8D', '2022-01-29/2022-02-05', 'range'],
  ];
  for (const [input, id, type] of cases) {
    it(`reads ${input} as ${type} ${id}`, () => {
      const p = parsePeriod(input);
      assert.equal(p.id, id);
      assert.equal(p.type, type);
    });
  }
  it('writes ADX start/duration and reads it back', () => {
    for (const id of [
      ...['2022-01-20', '2022-W05', '2022-01', '2022-Q3', '2022-S2', '2022'],
      ...['2022WedW5', '2022ThuW52', '2022FriW1', '2022SatW1', '2020SunW53', '2020BiW27'],
      ...['202206B', '2022NovQ1', '2022NovQ4', '2022AprilS2', '2022NovS1', '2022NovS2'],
      ...['2022Feb', '2022April', '2022July', '2022Aug', '2022Sep', '2022Oct', '2022Nov'],
    ]) {
      const p = parsePeriod(id);
      assert.deepEqual(parsePeriod(toAdxPeriod(p)), p);
    }
    assert.equal(toAdxPeriod(parsePeriod('2022-01')), '2022-01-01/P1M');
    assert.equal(toAdxPeriod(parsePeriod('2022WedW1')), '2021-12-29/P7D');
    assert.equal(toAdxPeriod(parsePeriod('2022BiW1')), '2022-01-03/P14D');
    assert.equal(toAdxPeriod(parsePeriod('202202B')), '2022-03-01/P2M');
    assert.equal(toAdxPeriod(parsePeriod('2022NovS2')), '2022-05-01/P6M');
    assert.equal(toAdxPeriod(parsePeriod('2022Nov')), '2021-11-01/P1Y');
    assert.equal(toAdxPeriod(parsePeriod('2022-01-29/2022-02-05')), '2022-01-29/P8D');
  });
  it('refuses a zero duration', () => {
    refuses(() => parsePeriod('2022-01-01/P0D'), /độ dài kỳ/, /duration/, '2022-01-01/P0D');
  });
});

describe('parsePeriod: Vietnamese', () => {
  const cases: [string, string][] = [
    ['ngày 20/01/2022', '2022-01-20'],
    ['Ngày 20/1/2022', '2022-01-20'],
    ['20/01/2022', '2022-01-20'],
    ['20-01-2022', '2022-01-20'],
    ['tuần 5/2022', '2022-W05'],
    ['tuần 05 năm 2022', '2022-W05'],
    ['Tuần 53/2020', '2020-W53'],
    ['tháng 01/2022', '2022-01'],
    ['tháng 1/2022', '2022-01'],
    ['tháng 1 năm 2022', '2022-01'],
    ['Tháng 12 / 2021', '2021-12'],
    ['quý I/2022', '2022-Q1'],
    ['quý 1/2022', '2022-Q1'],
    ['Quý IV năm 2021', '2021-Q4'],
    ['QUÝ III/2022', '2022-Q3'],
    ['quy ii/2022', '2022-Q2'],
    ['6 tháng đầu năm 2020', '2020-S1'],
    ['6 tháng cuối năm 2020', '2020-S2'],
    ['8 tháng đầu năm 2021', '2021-01-01/2021-08-31'],
    ['9 tháng đầu năm 2024', '2024-01-01/2024-09-30'],
    ['2 tháng đầu năm 2024', '2024-01-01/2024-02-29'],
    ['3 tháng cuối năm 2021', '2021-10-01/2021-12-31'],
    ['năm 2022', '2022'],
    ['Năm  2022', '2022'],
    ['từ 29/01/2022 đến 05/02/2022', '2022-01-29/2022-02-05'],
    ['Từ ngày 29/01/2022 đến ngày 05/02/2022', '2022-01-29/2022-02-05'],
    ['từ 2022-01-29 đến 2022-02-05', '2022-01-29/2022-02-05'],
  ];
  for (const [input, id] of cases) {
    it(`reads "${input}" as ${id}`, () => assert.equal(parsePeriod(input).id, id));
  }
  it('ignores diacritics, case and extra spaces', () => {
    assert.equal(parsePeriod('  THANG   1   NAM 2022 ').id, '2022-01');
    assert.equal(parsePeriod('6 thang dau nam 2020').id, '2020-S1');
    assert.equal(parsePeriod('QUY IV NAM 2021').id, '2021-Q4');
    assert.equal(parsePeriod('tu 29/01/2022 den 05/02/2022').id, '2022-01-29/2022-02-05');
    // Composed and decomposed Unicode alike.
    assert.equal(parsePeriod('tháng 1/2022'.normalize('NFD')).id, '2022-01');
  });
});

describe('parsePeriod refuses malformed or impossible periods', () => {
  it('2022-13: no month 13', () => {
    refuses(
      () => parsePeriod('2022-13'),
      'Kỳ báo cáo không hợp lệ: 2022-13 (tháng 13 không tồn tại, tháng phải từ 1 đến 12)',
      'Invalid period: 2022-13 (month must be 1–12)',
      '2022-13',
    );
    refuses(() => parsePeriod('202213'), /tháng 13 không tồn tại/, /month must be 1–12/, '202213');
    refuses(() => parsePeriod('tháng 0/2022'), /tháng 0 không tồn tại/, /month must be 1–12/);
  });
  it('2022-02-30: not on the calendar', () => {
    refuses(
      () => parsePeriod('2022-02-30'),
      'Kỳ báo cáo không hợp lệ: 2022-02-30 (không có ngày 30/02/2022 trên lịch)',
      'Invalid period: 2022-02-30 (2022-02-30 is not a calendar date)',
      '2022-02-30',
    );
    refuses(() => parsePeriod('20230229'), /không có ngày 29\/02\/2023/, /not a calendar date/);
    refuses(() => parsePeriod('31/04/2022'), /không có ngày 31\/04\/2022/, /not a calendar date/);
  });
  it('2022Q5: no fifth quarter', () => {
    refuses(
      () => parsePeriod('2022Q5'),
      'Kỳ báo cáo không hợp lệ: 2022Q5 (quý phải từ I đến IV)',
      'Invalid period: 2022Q5 (quarter must be 1–4)',
      '2022Q5',
    );
    refuses(() => parsePeriod('quý V/2022'), /quý phải từ I đến IV/, /quarter must be 1–4/);
    refuses(() => parsePeriod('2022-Q0'), /quý phải từ I đến IV/, /quarter must be 1–4/);
  });
  it('2022S3: a year has two halves', () => {
    refuses(
      () => parsePeriod('2022S3'),
      'Kỳ báo cáo không hợp lệ: 2022S3 (nửa năm phải là S1 – 6 tháng đầu năm, hoặc S2 – 6 tháng cuối năm)',
      'Invalid period: 2022S3 (half-year must be S1 or S2)',
      '2022S3',
    );
  });
  it('a range whose end is before its start', () => {
    refuses(
      () => parsePeriod('2022-02-05/2022-01-29'),
      'Kỳ báo cáo không hợp lệ: 2022-02-05/2022-01-29 (ngày kết thúc 29/01/2022 trước ngày bắt đầu 05/02/2022)',
      'Invalid period: 2022-02-05/2022-01-29 (end 2022-01-29 is before start 2022-02-05)',
      '2022-02-05/2022-01-29',
    );
    refuses(
      () => parsePeriod('từ 05/02/2022 đến 29/01/2022'),
      /ngày kết thúc 29\/01\/2022 trước ngày bắt đầu 05\/02\/2022/,
      /end 2022-01-29 is before start 2022-02-05/,
    );
  });
  it('a range with an impossible date', () => {
    refuses(() => parsePeriod('2022-01-01/2022-02-30'), /30\/02\/2022/, /2022-02-30/);
  });
  it('an empty string', () => {
    refuses(() => parsePeriod(''), 'Chưa nhập kỳ báo cáo', 'No period given', '');
    refuses(() => parsePeriod('   '), 'Chưa nhập kỳ báo cáo', 'No period given', '   ');
  });
  it('garbage', () => {
    for (const s of ['hello', '2022-1-5', '22-01', 'tháng/2022', '2022W', 'Q1', '12345', 'năm']) {
      refuses(
        () => parsePeriod(s),
        `Kỳ báo cáo không hợp lệ: ${s} (không nhận ra cách viết kỳ báo cáo)`,
        `Invalid period: ${s} (unrecognised period format)`,
        s,
      );
    }
  });
  it('"N tháng đầu năm" needs 1 to 12 months; years are four digits from 1000', () => {
    refuses(() => parsePeriod('13 tháng đầu năm 2021'), /số tháng phải từ 1 đến 12/, /1–12/);
    refuses(() => parsePeriod('0999'), /năm 999 ngoài khoảng 1000–9999/, /outside 1000–9999/);
  });
});

describe('Vietnamese and English labels', () => {
  const cases: [string, string, string][] = [
    ['2022-01-20', 'ngày 20/01/2022', '20 Jan 2022'],
    ['2022-W05', 'tuần 05/2022', 'week 5 of 2022'],
    ['2020-W53', 'tuần 53/2020', 'week 53 of 2020'],
    ['2022-01', 'tháng 01/2022', 'January 2022'],
    ['2022-Q1', 'quý I/2022', 'Q1 2022'],
    ['2021-Q4', 'quý IV/2021', 'Q4 2021'],
    ['2020-S1', '6 tháng đầu năm 2020', 'first half of 2020'],
    ['2020-S2', '6 tháng cuối năm 2020', 'second half of 2020'],
    ['2022', 'năm 2022', '2022'],
    ['2021-01-01/2021-08-31', '8 tháng đầu năm 2021', 'January–August 2021'],
    ['2024-01-01/2024-02-29', '2 tháng đầu năm 2024', 'January–February 2024'],
    ['2022-01-29/2022-02-05', 'từ 29/01/2022 đến 05/02/2022', '29 Jan 2022 – 5 Feb 2022'],
    // Not "first N months": does not start on 1 January, or ends mid-month, or one month only.
    ['2021-02-01/2021-08-31', 'từ 01/02/2021 đến 31/08/2021', '1 Feb 2021 – 31 Aug 2021'],
    ['2021-01-01/2021-08-30', 'từ 01/01/2021 đến 30/08/2021', '1 Jan 2021 – 30 Aug 2021'],
    ['2021-01-01/2021-01-31', 'từ 01/01/2021 đến 31/01/2021', '1 Jan 2021 – 31 Jan 2021'],
    ['2021-01-01/2022-08-31', 'từ 01/01/2021 đến 31/08/2022', '1 Jan 2021 – 31 Aug 2022'],
  ];
  for (const [id, vi, en] of cases) {
    it(`${id}: "${vi}" / "${en}"`, () => {
      const p = parsePeriod(id);
      assert.equal(formatPeriodVi(p), vi);
      assert.equal(formatPeriodEn(p), en);
    });
  }
  it('round trips: the Vietnamese label parses back to the same period', () => {
    for (const [id] of cases) {
      const p = parsePeriod(id);
      assert.deepEqual(parsePeriod(formatPeriodVi(p)), p, id);
    }
    for (const vi of [
      'tháng 01/2022',
      'quý I/2022',
      '6 tháng đầu năm 2020',
      '8 tháng đầu năm 2021',
    ]) {
      assert.equal(formatPeriodVi(parsePeriod(vi)), vi);
    }
  });
});

describe('same period last year', () => {
  const cases: [string, string][] = [
    ['2022-01-20', '2021-01-20'],
    ['2024-02-29', '2023-02-28'], // leap day
    ['2025-02-28', '2024-02-28'],
    ['2022-W05', '2021-W05'],
    ['2026-W53', '2025-W52'],
    ['2021-W01', '2020-W01'],
    ['2022-01', '2021-01'],
    ['2022-Q1', '2021-Q1'],
    ['2022-S2', '2021-S2'],
    ['2022', '2021'],
    ['2021-01-01/2021-08-31', '2020-01-01/2020-08-31'],
    ['2025-01-01/2025-02-28', '2024-01-01/2024-02-29'], // "first 2 months" keeps its shape
    ['2024-01-01/2024-02-29', '2023-01-01/2023-02-28'],
    ['2022-01-29/2022-02-05', '2021-01-29/2021-02-05'],
  ];
  for (const [id, expected] of cases) {
    it(`${id} → ${expected}`, () => assert.equal(samePeriodLastYear(parsePeriod(id)).id, expected));
  }
  it('week 53 becomes week 52 when the year before has 52 weeks', () => {
    assert.equal(isoWeeksInYear(2020), 53);
    assert.equal(samePeriodLastYear(parsePeriod('2020-W53')).id, '2019-W52');
    assert.equal(samePeriodLastYear(parsePeriod('2021-W52')).id, '2020-W52');
  });
});

describe('previous and next period', () => {
  const cases: [string, string][] = [
    ['2022-01-01', '2021-12-31'],
    ['2024-03-01', '2024-02-29'],
    ['2021-W01', '2020-W53'],
    ['2025-W01', '2024-W52'],
    ['2022-01', '2021-12'],
    ['2022-03', '2022-02'],
    ['2022-Q1', '2021-Q4'],
    ['2022-S1', '2021-S2'],
    ['2022-S2', '2022-S1'],
    ['2022', '2021'],
    ['2022-01-29/2022-02-05', '2022-01-21/2022-01-28'],
    ['2024-03-01/2024-03-31', '2024-01-30/2024-02-29'],
  ];
  for (const [id, expected] of cases) {
    it(`before ${id}: ${expected}`, () => {
      const p = parsePeriod(id);
      assert.equal(previousPeriod(p).id, expected);
      assert.deepEqual(nextPeriod(previousPeriod(p)), p);
    });
  }
  it('the previous range has the same length', () => {
    const prev = previousPeriod(parsePeriod('2021-01-01/2021-08-31'));
    assert.equal(prev.type, 'range');
    assert.equal(prev.id, '2020-05-03/2020-12-31'); // 243 days, like 1 January – 31 August 2021
  });
});

describe('year to date', () => {
  const cases: [string, string][] = [
    ['2022-03-15', '2022-01-01/2022-03-15'],
    ['2024-02-29', '2024-01-01/2024-02-29'],
    ['2022-08', '2022-01-01/2022-08-31'],
    ['2022-Q2', '2022-01-01/2022-06-30'],
    ['2022-S2', '2022-01-01/2022-12-31'],
    ['2022-W05', '2022-01-01/2022-02-06'],
    ['2020-W53', '2021-01-01/2021-01-03'], // the year of the week's last day
    ['2022-01-29/2022-02-05', '2022-01-01/2022-02-05'],
  ];
  for (const [id, expected] of cases) {
    it(`${id} → ${expected}`, () => {
      const ytd = yearToDate(parsePeriod(id));
      assert.equal(ytd.type, 'range');
      assert.equal(ytd.id, expected);
    });
  }
  it('a year is its own year to date', () => {
    assert.deepEqual(yearToDate(parsePeriod('2022')), parsePeriod('2022'));
  });
  it('YTD of a month is "N tháng đầu năm"', () => {
    assert.equal(formatPeriodVi(yearToDate(parsePeriod('tháng 8/2021'))), '8 tháng đầu năm 2021');
  });
});

describe('periodContaining', () => {
  it('finds the day, week, month, quarter, half and year of a date', () => {
    const got = (['day', 'week', 'month', 'quarter', 'half', 'year'] as const).map(
      (t) => periodContaining('2022-08-15', t).id,
    );
    assert.deepEqual(got, ['2022-08-15', '2022-W33', '2022-08', '2022-Q3', '2022-S2', '2022']);
  });
  it('refuses a bad date and the range type', () => {
    refuses(() => periodContaining('2022-02-30', 'month'), /30\/02\/2022/, /not a calendar/);
    refuses(() => periodContaining('2022-08-15', 'range'), /Khoảng ngày/, /not a calendar period/);
  });
  it('does not depend on the machine time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Ho_Chi_Minh']) {
        process.env.TZ = tz;
        assert.equal(periodContaining('2025-12-29', 'week').id, '2026-W01');
        assert.equal(parsePeriod('2020-W53').end, '2021-01-03');
        assert.equal(previousPeriod(parsePeriod('2024-03-01')).id, '2024-02-29');
        assert.equal(parsePeriod('2022-01').end, '2022-01-31');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('periodsWithin', () => {
  it('the 31 days of 2022-01', () => {
    const days = periodsWithin(parsePeriod('2022-01'), 'day');
    assert.equal(days.length, 31);
    assert.equal(days[0]?.id, '2022-01-01');
    assert.equal(days[30]?.id, '2022-01-31');
  });
  it('the 3 months of 2022-Q1, the 2 quarters of a half, the 12 months of a year', () => {
    assert.deepEqual(ids(periodsWithin(parsePeriod('2022-Q1'), 'month')), [
      '2022-01',
      '2022-02',
      '2022-03',
    ]);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2022-S2'), 'quarter')), ['2022-Q3', '2022-Q4']);
    assert.equal(periodsWithin(parsePeriod('2022'), 'month').length, 12);
    assert.equal(periodsWithin(parsePeriod('2024'), 'day').length, 366);
  });
  it('weeks are those whose Thursday lies in the period', () => {
    const w2020 = periodsWithin(parsePeriod('2020'), 'week');
    assert.equal(w2020.length, 53);
    assert.equal(w2020[0]?.id, '2020-W01');
    assert.equal(w2020[52]?.id, '2020-W53');
    assert.equal(periodsWithin(parsePeriod('2021'), 'week').length, 52);
    // January 2021: 2020-W53 has its Thursday on 31 Dec 2020, so it is left out.
    const jan = ids(periodsWithin(parsePeriod('2021-01'), 'week'));
    assert.deepEqual(jan, ['2021-W01', '2021-W02', '2021-W03', '2021-W04']);
    // December 2020 keeps W53 (Thursday 2020-12-31).
    assert.equal(ids(periodsWithin(parsePeriod('2020-12'), 'week')).at(-1), '2020-W53');
  });
  it('months wholly inside a range; a coarser type gives nothing', () => {
    const r = parsePeriod('2022-01-15/2022-04-30');
    assert.deepEqual(ids(periodsWithin(r, 'month')), ['2022-02', '2022-03', '2022-04']);
    assert.deepEqual(periodsWithin(parsePeriod('2022-W05'), 'month'), []);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2022-01'), 'month')), ['2022-01']);
  });
});

describe('ordering', () => {
  it('periodTypeOrder: day < week < month < quarter < half < year; range last', () => {
    const order = (['day', 'week', 'month', 'quarter', 'half', 'year'] as const).map(
      periodTypeOrder,
    );
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
    assert.equal(new Set(order).size, 6);
    assert.deepEqual(
      PERIOD_TYPES_FINEST_FIRST.map(periodTypeOrder),
      PERIOD_TYPES_FINEST_FIRST.map((_, i) => i),
    );
    assert.equal(periodTypeOrder('range'), PERIOD_TYPES_FINEST_FIRST.length);
  });
  it("PERIOD_TYPES_FINEST_FIRST follows DHIS2's frequency order", () => {
    const lengths = PERIOD_TYPES_FINEST_FIRST.map((t) => DHIS2_PERIOD_TYPES[t].frequencyOrder);
    assert.deepEqual(
      lengths,
      [...lengths].sort((a, b) => a - b),
    );
  });
  it('sorts chronologically, shorter first on the same start', () => {
    const mixed = ['2022', '2022-Q1', '2021-12', '2022-01', '2022-01-01', '2021-W52', '2022-S1'];
    assert.deepEqual(ids(sortPeriods(mixed.map(parsePeriod))), [
      '2021-12',
      '2021-W52', // 2021-12-27 – 2022-01-02
      '2022-01-01',
      '2022-01',
      '2022-Q1',
      '2022-S1',
      '2022',
    ]);
    assert.equal(comparePeriods(parsePeriod('2022-01'), parsePeriod('2022-01')), 0);
    assert.ok(comparePeriods(parsePeriod('2022-02'), parsePeriod('2022-01')) > 0);
  });
});

describe('relative periods (DHIS2 keywords)', () => {
  const today = '2021-08-15'; // a Sunday, in 2021-W32
  const rel = (k: string, t = today) => ids(relativePeriods(k, t));

  it('days', () => {
    assert.deepEqual(rel('TODAY'), ['2021-08-15']);
    assert.deepEqual(rel('YESTERDAY'), ['2021-08-14']);
    assert.deepEqual(rel('LAST_7_DAYS'), [
      '2021-08-08',
      '2021-08-09',
      '2021-08-10',
      '2021-08-11',
      '2021-08-12',
      '2021-08-13',
      '2021-08-14',
    ]);
    assert.equal(rel('LAST_14_DAYS').length, 14);
    assert.equal(rel('LAST_30_DAYS')[0], '2021-07-16');
    assert.equal(rel('LAST_30_DAYS').at(-1), '2021-08-14');
    assert.deepEqual(rel('YESTERDAY', '2024-03-01'), ['2024-02-29']);
  });
  it('weeks', () => {
    assert.deepEqual(rel('THIS_WEEK'), ['2021-W32']);
    assert.deepEqual(rel('LAST_WEEK'), ['2021-W31']);
    assert.deepEqual(rel('LAST_4_WEEKS'), ['2021-W28', '2021-W29', '2021-W30', '2021-W31']);
    assert.equal(rel('LAST_12_WEEKS')[0], '2021-W20');
    const w52 = rel('LAST_52_WEEKS');
    assert.equal(w52.length, 52);
    assert.equal(w52[0], '2020-W33'); // 2020 has 53 weeks
    assert.ok(w52.includes('2020-W53'));
    assert.deepEqual(rel('LAST_WEEK', '2021-01-06'), ['2020-W53']);
  });
  it('months: LAST_3_MONTHS on 2021-08-15 is 202105, 202106, 202107', () => {
    assert.deepEqual(rel('THIS_MONTH'), ['2021-08']);
    assert.deepEqual(rel('LAST_MONTH'), ['2021-07']);
    assert.deepEqual(rel('LAST_3_MONTHS'), ['2021-05', '2021-06', '2021-07']);
    assert.deepEqual(relativePeriods('LAST_3_MONTHS', today).map(toDhis2Id), [
      '202105',
      '202106',
      '202107',
    ]);
    assert.deepEqual(rel('LAST_6_MONTHS'), [
      '2021-02',
      '2021-03',
      '2021-04',
      '2021-05',
      '2021-06',
      '2021-07',
    ]);
    const m12 = rel('LAST_12_MONTHS');
    assert.equal(m12.length, 12);
    assert.equal(m12[0], '2020-08');
    assert.equal(m12[11], '2021-07');
    const thisYear = rel('MONTHS_THIS_YEAR');
    assert.equal(thisYear.length, 12);
    assert.equal(thisYear[0], '2021-01');
    assert.equal(thisYear[11], '2021-12');
    assert.deepEqual(rel('LAST_MONTH', '2022-01-01'), ['2021-12']);
  });
  it('quarters, halves, years', () => {
    assert.deepEqual(rel('THIS_QUARTER'), ['2021-Q3']);
    assert.deepEqual(rel('LAST_QUARTER'), ['2021-Q2']);
    assert.deepEqual(rel('LAST_4_QUARTERS'), ['2020-Q3', '2020-Q4', '2021-Q1', '2021-Q2']);
    assert.deepEqual(rel('QUARTERS_THIS_YEAR'), ['2021-Q1', '2021-Q2', '2021-Q3', '2021-Q4']);
    assert.deepEqual(rel('THIS_SIX_MONTH'), ['2021-S2']);
    assert.deepEqual(rel('LAST_SIX_MONTH'), ['2021-S1']);
    assert.deepEqual(rel('LAST_SIX_MONTH', '2021-03-01'), ['2020-S2']);
    assert.deepEqual(rel('THIS_YEAR'), ['2021']);
    assert.deepEqual(rel('LAST_YEAR'), ['2020']);
    assert.deepEqual(rel('LAST_5_YEARS'), ['2016', '2017', '2018', '2019', '2020']);
  });
  it('YEAR_TO_DATE is one range from 1 January to today', () => {
    assert.deepEqual(relativePeriods('YEAR_TO_DATE', today), [
      { type: 'range', id: '2021-01-01/2021-08-15', start: '2021-01-01', end: '2021-08-15' },
    ]);
    assert.deepEqual(rel('YEAR_TO_DATE', '2022-01-01'), ['2022-01-01/2022-01-01']);
  });
  it('every keyword resolves on a fixed today', () => {
    assert.equal(RELATIVE_PERIOD_KEYWORDS.length, 46); // DHIS2's 45 and YEAR_TO_DATE
    for (const k of RELATIVE_PERIOD_KEYWORDS) {
      assert.ok(isRelativePeriod(k));
      assert.ok(relativePeriods(k, today).length > 0, k);
    }
  });
  it('isRelativePeriod', () => {
    assert.equal(isRelativePeriod('LAST_12_MONTHS'), true);
    assert.equal(isRelativePeriod(' last_12_months '), true);
    assert.equal(isRelativePeriod('202201'), false);
    assert.equal(isRelativePeriod('LAST_13_MONTHS'), false);
    assert.equal(isRelativePeriod('constructor'), false);
    assert.equal(isRelativePeriod('__proto__'), false);
  });
  it('refuses an unknown keyword or a bad today', () => {
    refuses(
      () => relativePeriods('LAST_13_MONTHS', today),
      'Kỳ tương đối không hợp lệ: LAST_13_MONTHS',
      'Unknown relative period: LAST_13_MONTHS',
      'LAST_13_MONTHS',
    );
    refuses(() => relativePeriods('constructor', today), /constructor/, /constructor/);
    refuses(() => relativePeriods('TODAY', '2021-02-29'), /29\/02\/2021/, /not a calendar/);
  });
});

describe('parsePeriodList (DHIS2 dimension)', () => {
  it('mixes fixed and relative periods, deduplicated, in order', () => {
    const list = parsePeriodList('202201;LAST_12_MONTHS;2022Q1', '2022-03-10');
    assert.deepEqual(ids(list), [
      '2022-01',
      '2021-03',
      '2021-04',
      '2021-05',
      '2021-06',
      '2021-07',
      '2021-08',
      '2021-09',
      '2021-10',
      '2021-11',
      '2021-12',
      '2022-02',
      '2022-Q1',
    ]);
  });
  it('accepts "pe:", spaces, Vietnamese items and drops empty items', () => {
    const list = parsePeriodList('pe: 2022-01 ; tháng 1/2022;;quý I/2022; THIS_YEAR', '2022-03-10');
    assert.deepEqual(ids(list), ['2022-01', '2022-Q1', '2022']);
  });
  it('refuses an empty list and names a bad item', () => {
    refuses(() => parsePeriodList('', '2022-03-10'), 'Chưa nhập kỳ báo cáo', 'No period given');
    refuses(
      () => parsePeriodList('202201;2022Q5', '2022-03-10'),
      /2022Q5 \(quý phải từ I đến IV\)/,
      /quarter must be 1–4/,
      '2022Q5',
    );
  });
});

describe("DHIS2's other period types", () => {
  // [DHIS2 id, canonical id, type, start, end]; dates as dhis2-core's parser and ADX tests give them.
  const cases: [string, string, FixedPeriodType, string, string][] = [
    ['2022WedW1', '2022-WedW01', 'week_wed', '2021-12-29', '2022-01-04'],
    ['2022WedW5', '2022-WedW05', 'week_wed', '2022-01-26', '2022-02-01'],
    ['2022ThuW1', '2022-ThuW01', 'week_thu', '2021-12-30', '2022-01-05'],
    ['2022FriW1', '2022-FriW01', 'week_fri', '2021-12-31', '2022-01-06'],
    ['2022SatW1', '2022-SatW01', 'week_sat', '2022-01-01', '2022-01-07'],
    ['2024SatW2', '2024-SatW02', 'week_sat', '2024-01-06', '2024-01-12'],
    ['2022SunW1', '2022-SunW01', 'week_sun', '2022-01-02', '2022-01-08'],
    ['2020SunW53', '2020-SunW53', 'week_sun', '2020-12-27', '2021-01-02'],
    ['2022BiW1', '2022-BiW01', 'biweek', '2022-01-03', '2022-01-16'],
    ['2022BiW3', '2022-BiW03', 'biweek', '2022-01-31', '2022-02-13'],
    ['2020BiW27', '2020-BiW27', 'biweek', '2020-12-28', '2021-01-10'],
    ['202201B', '2022-B01', 'bimonth', '2022-01-01', '2022-02-28'],
    ['202401B', '2024-B01', 'bimonth', '2024-01-01', '2024-02-29'],
    ['202206B', '2022-B06', 'bimonth', '2022-11-01', '2022-12-31'],
    ['2022NovQ1', '2022-NovQ1', 'quarter_nov', '2021-11-01', '2022-01-31'],
    ['2022NovQ2', '2022-NovQ2', 'quarter_nov', '2022-02-01', '2022-04-30'],
    ['2022NovQ4', '2022-NovQ4', 'quarter_nov', '2022-08-01', '2022-10-31'],
    ['2022AprilS1', '2022-AprilS1', 'half_apr', '2022-04-01', '2022-09-30'],
    ['2022AprilS2', '2022-AprilS2', 'half_apr', '2022-10-01', '2023-03-31'],
    ['2022NovS1', '2022-NovS1', 'half_nov', '2021-11-01', '2022-04-30'],
    ['2022NovS2', '2022-NovS2', 'half_nov', '2022-05-01', '2022-10-31'],
    ['2022Feb', '2022-Feb', 'fy_feb', '2022-02-01', '2023-01-31'],
    ['2022April', '2022-April', 'fy_apr', '2022-04-01', '2023-03-31'],
    ['2022July', '2022-July', 'fy_jul', '2022-07-01', '2023-06-30'],
    ['2022Aug', '2022-Aug', 'fy_aug', '2022-08-01', '2023-07-31'],
    ['2022Sep', '2022-Sep', 'fy_sep', '2022-09-01', '2023-08-31'],
    ['2022Oct', '2022-Oct', 'fy_oct', '2022-10-01', '2023-09-30'],
    ['2022Nov', '2022-Nov', 'fy_nov', '2021-11-01', '2022-10-31'],
  ];
  for (const [dhis2, id, type, start, end] of cases) {
    it(`${dhis2} is ${type} ${start} – ${end}, canonical ${id}`, () => {
      const p: Period = { type, id, start, end };
      assert.deepEqual(parsePeriod(dhis2), p);
      assert.deepEqual(parsePeriod(id), p);
      assert.deepEqual(parsePeriod(dhis2.toLowerCase()), p);
      assert.equal(toDhis2Id(p), dhis2);
      assert.deepEqual(periodContaining(start, type), p);
      // The second week of BiW27 is the next year's BiW1 (see below).
      if (!dhis2.endsWith('BiW27')) assert.deepEqual(periodContaining(end, type), p);
    });
  }
  it('reads week numbers with or without a leading zero, as DHIS2 does', () => {
    assert.equal(parsePeriod('2022WedW05').id, '2022-WedW05');
    assert.equal(parsePeriod('2022BiW03').id, '2022-BiW03');
    assert.equal(parsePeriod('2022-SunW5').id, '2022-SunW05');
    assert.equal(toDhis2Id(parsePeriod('2022-SunW05')), '2022SunW5');
  });
  it("reads the web library's November quarters and halves, named by their first year", () => {
    // @dhis2/multi-calendar-dates writes 2021NovemberQ1 for the server's 2022NovQ1.
    assert.deepEqual(parsePeriod('2021NovemberQ1'), parsePeriod('2022NovQ1'));
    assert.deepEqual(parsePeriod('2021NovemberQ4'), parsePeriod('2022NovQ4'));
    assert.deepEqual(parsePeriod('2021NovemberS2'), parsePeriod('2022NovS2'));
  });
  it('refuses weeks, bi-weeks and parts that do not exist', () => {
    refuses(
      () => parsePeriod('2021WedW53'),
      'Kỳ báo cáo không hợp lệ: 2021WedW53 (năm 2021 chỉ có 52 tuần bắt đầu thứ Tư)',
      'Invalid period: 2021WedW53 (2021 has only 52 weeks starting on Wednesday)',
      '2021WedW53',
    );
    refuses(() => parsePeriod('2022SunW0'), /tuần phải từ 01/, /week must be 1/);
    refuses(
      () => parsePeriod('2021BiW27'),
      'Kỳ báo cáo không hợp lệ: 2021BiW27 (năm 2021 có 26 kỳ 2 tuần, số kỳ phải từ 1 đến 26)',
      'Invalid period: 2021BiW27 (bi-week must be 1–26 in 2021)',
      '2021BiW27',
    );
    refuses(() => parsePeriod('202207B'), /kỳ 2 tháng phải từ 01 đến 06/, /bi-month must be 1–6/);
    refuses(() => parsePeriod('2022-B00'), /kỳ 2 tháng/, /bi-month must be 1–6/);
    refuses(() => parsePeriod('2022NovQ5'), /quý phải từ I đến IV/, /quarter must be 1–4/);
    refuses(() => parsePeriod('2022AprilS3'), /kỳ 6 tháng phải là S1 hoặc S2/, /S1 or S2/);
    refuses(() => parsePeriod('2022NovS0'), /kỳ 6 tháng phải là S1 hoặc S2/, /S1 or S2/);
    for (const s of [
      '2022TueW1',
      '2022MonW1',
      '2022Dec',
      '2022Mar',
      '2022Apr',
      '2022Jul',
      '2022B',
    ]) {
      refuses(() => parsePeriod(s), /không nhận ra/, /unrecognised period format/, s);
    }
  });
  it('names each type as DHIS2 does, and back', () => {
    for (const t of PERIOD_TYPES_FINEST_FIRST) {
      assert.equal(periodTypeFromDhis2(DHIS2_PERIOD_TYPES[t].name), t);
      assert.ok(PERIOD_TYPE_NAMES[t].vi && PERIOD_TYPE_NAMES[t].en, t);
    }
    assert.equal(periodTypeFromDhis2('weeklywednesday'), 'week_wed');
    assert.equal(periodTypeFromDhis2(' FinancialNov '), 'fy_nov');
    assert.equal(periodTypeFromDhis2('SixMonthlyApril'), 'half_apr');
    assert.equal(periodTypeFromDhis2('TwoYearly'), undefined);
    assert.equal(DHIS2_PERIOD_TYPES.bimonth.isoFormat, 'yyyyMMB');
  });
  it('every type, 2019–2027: consecutive periods tile the calendar and every id reads back', () => {
    for (const type of PERIOD_TYPES_FINEST_FIRST) {
      let p = periodContaining('2019-01-01', type);
      let count = 0;
      while (p.start <= '2027-12-31') {
        assert.deepEqual(parsePeriod(p.id), p, p.id);
        assert.deepEqual(parsePeriod(toDhis2Id(p)), p, p.id);
        assert.deepEqual(parsePeriod(toAdxPeriod(p)), p, p.id);
        assert.ok(formatPeriodVi(p) && formatPeriodEn(p), p.id);
        const next = nextPeriod(p);
        assert.deepEqual(previousPeriod(next), p, p.id);
        assert.ok(next.id > p.id, `${next.id} after ${p.id}`);
        // Bi-week 27 overlaps the next year's bi-week 1; every other period ends the day before
        // the next one starts.
        if (!p.id.endsWith('BiW27')) assert.equal(addDays(p.end, 1), next.start, p.id);
        p = next;
        count++;
      }
      assert.ok(count > 0, type);
    }
  });
});

describe("labels of DHIS2's other types", () => {
  const cases: [string, string, string][] = [
    ['2022WedW5', 'tuần 05/2022 (bắt đầu thứ Tư)', 'week 5 of 2022 (from Wednesday)'],
    ['2020SunW53', 'tuần 53/2020 (bắt đầu Chủ nhật)', 'week 53 of 2020 (from Sunday)'],
    ['2022BiW3', 'tuần 05–06/2022', 'weeks 5–6 of 2022'],
    ['2020BiW27', 'tuần 53/2020–01/2021', 'week 53 of 2020 – week 1 of 2021'],
    ['202201B', 'tháng 01–02/2022', 'January–February 2022'],
    ['2022NovQ1', 'quý tháng 11/2021–01/2022', 'quarter November 2021–January 2022'],
    ['2022AprilS2', '6 tháng 10/2022–03/2023', 'six months October 2022–March 2023'],
    ['2022NovS2', '6 tháng 05–10/2022', 'six months May–October 2022'],
    ['2022April', 'năm tài chính 04/2022–03/2023', 'financial year April 2022–March 2023'],
    ['2022Nov', 'năm tài chính 11/2021–10/2022', 'financial year November 2021–October 2022'],
  ];
  for (const [id, vi, en] of cases) {
    it(`${id}: "${vi}" / "${en}"`, () => {
      const p = parsePeriod(id);
      assert.equal(formatPeriodVi(p), vi);
      assert.equal(formatPeriodEn(p), en);
    });
  }
});

describe("arithmetic on DHIS2's other types", () => {
  it('the same period last year', () => {
    const cases: [string, string][] = [
      ['2022WedW5', '2021-WedW05'],
      ['2020SunW53', '2019-SunW52'], // 2019 has 52 weeks from Sunday
      ['2022BiW3', '2021-BiW03'],
      ['2021BiW1', '2020-BiW01'],
      ['2021BiW26', '2020-BiW26'],
      ['2020BiW27', '2019-BiW26'],
      ['202203B', '2021-B03'],
      ['2022NovQ1', '2021-NovQ1'],
      ['2022AprilS2', '2021-AprilS2'],
      ['2022NovS1', '2021-NovS1'],
      ['2022April', '2021-April'],
      ['2022Nov', '2021-Nov'],
    ];
    for (const [id, expected] of cases) {
      assert.equal(samePeriodLastYear(parsePeriod(id)).id, expected, id);
    }
  });
  it('previous periods across year ends', () => {
    const cases: [string, string][] = [
      ['2022WedW1', '2021-WedW52'],
      ['2021SunW1', '2020-SunW53'],
      ['2021BiW1', '2020-BiW27'],
      ['2020BiW27', '2020-BiW26'],
      ['2022BiW1', '2021-BiW26'],
      ['202201B', '2021-B06'],
      ['2022NovQ1', '2021-NovQ4'],
      ['2022NovQ2', '2022-NovQ1'],
      ['2022AprilS1', '2021-AprilS2'],
      ['2022NovS1', '2021-NovS2'],
      ['2022July', '2021-July'],
    ];
    for (const [id, expected] of cases) {
      assert.equal(previousPeriod(parsePeriod(id)).id, expected, id);
    }
  });
  it('bi-week 27 of a 53-week year: ISO week 53 and the next week, as DHIS2 makes it', () => {
    assert.equal(periodContaining('2020-12-28', 'biweek').id, '2020-BiW27');
    assert.equal(periodContaining('2021-01-03', 'biweek').id, '2020-BiW27');
    assert.equal(periodContaining('2021-01-04', 'biweek').id, '2021-BiW01');
    assert.equal(nextPeriod(parsePeriod('2020BiW27')).id, '2021-BiW01');
  });
  it('periods within: by the fourth day for weeks and bi-weeks, wholly inside otherwise', () => {
    const y2020 = parsePeriod('2020');
    assert.equal(periodsWithin(y2020, 'biweek').length, 27);
    assert.equal(periodsWithin(y2020, 'biweek').at(-1)?.id, '2020-BiW27');
    assert.equal(periodsWithin(parsePeriod('2021'), 'biweek')[0]?.id, '2021-BiW01');
    assert.equal(periodsWithin(parsePeriod('2021'), 'biweek').length, 26);
    assert.equal(periodsWithin(y2020, 'week_sun').length, 53);
    assert.equal(periodsWithin(parsePeriod('2022'), 'week_wed')[0]?.id, '2022-WedW01');
    assert.deepEqual(ids(periodsWithin(parsePeriod('2022'), 'bimonth')), [
      '2022-B01',
      '2022-B02',
      '2022-B03',
      '2022-B04',
      '2022-B05',
      '2022-B06',
    ]);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2022'), 'quarter_nov')), [
      '2022-NovQ2',
      '2022-NovQ3',
      '2022-NovQ4',
    ]);
    const fy = parsePeriod('2022April');
    assert.deepEqual(ids(periodsWithin(fy, 'quarter')), [
      '2022-Q2',
      '2022-Q3',
      '2022-Q4',
      '2023-Q1',
    ]);
    assert.deepEqual(ids(periodsWithin(fy, 'half_apr')), ['2022-AprilS1', '2022-AprilS2']);
    assert.equal(periodsWithin(fy, 'month').length, 12);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2022Nov'), 'half_nov')), [
      '2022-NovS1',
      '2022-NovS2',
    ]);
    assert.equal(periodsWithin(parsePeriod('2022Nov'), 'quarter_nov').length, 4);
    assert.deepEqual(periodsWithin(parsePeriod('2022'), 'fy_apr'), []);
  });
  it('sorts with the other types: by start, shorter first', () => {
    const mixed = ['2022April', '2022Q2', '202202B', '2022NovQ2', '2022AprilS1', '202204'];
    assert.deepEqual(ids(sortPeriods(mixed.map(parsePeriod))), [
      '2022-NovQ2', // 2022-02-01 – 2022-04-30
      '2022-B02', // 2022-03-01 – 2022-04-30
      '2022-04',
      '2022-Q2',
      '2022-AprilS1',
      '2022-April',
    ]);
  });
});

describe("DHIS2's free range in analytics: pe:2021-01-01_2021-03-31", () => {
  const q1: Period = {
    type: 'range',
    id: '2021-01-01/2021-03-31',
    start: '2021-01-01',
    end: '2021-03-31',
  };
  it('reads both of DHIS2 forms as a range', () => {
    assert.deepEqual(parsePeriod('2021-01-01_2021-03-31'), q1);
    assert.deepEqual(parsePeriod('20210101_20210331'), q1);
    assert.deepEqual(parsePeriodList('pe:2021-01-01_2021-03-31;202101', '2022-03-10'), [
      q1,
      parsePeriod('202101'),
    ]);
  });
  it('writes it back for analytics; other periods by their DHIS2 id', () => {
    assert.equal(toDhis2PeriodItem(q1), '2021-01-01_2021-03-31');
    assert.equal(toDhis2PeriodItem(parsePeriod('2022NovQ1')), '2022NovQ1');
  });
  it('refuses a reversed or impossible range', () => {
    refuses(() => parsePeriod('2021-03-31_2021-01-01'), /trước ngày bắt đầu/, /before start/);
    refuses(() => parsePeriod('20210230_20210331'), /30\/02\/2021/, /not a calendar date/);
  });
});

describe('relative periods DHIS2 added (hand-checked on 2021-08-15, a Sunday in 2021-W32)', () => {
  const today = '2021-08-15';
  const rel = (k: string, options: RelativePeriodOptions = {}) =>
    ids(relativePeriods(k, today, options));
  const range = (from: number, to: number, f: (i: number) => string) =>
    Array.from({ length: to - from + 1 }, (_, i) => f(from + i));

  it('days: LAST_3_, LAST_60_, LAST_90_, LAST_180_DAYS end yesterday', () => {
    assert.deepEqual(rel('LAST_3_DAYS'), ['2021-08-12', '2021-08-13', '2021-08-14']);
    for (const [k, n, first] of [
      ['LAST_60_DAYS', 60, '2021-06-16'],
      ['LAST_90_DAYS', 90, '2021-05-17'],
      ['LAST_180_DAYS', 180, '2021-02-16'],
    ] as const) {
      const days = rel(k);
      assert.equal(days.length, n, k);
      assert.equal(days[0], first, k);
      assert.equal(days.at(-1), '2021-08-14', k);
    }
  });
  it('bi-weeks: this one holds ISO weeks 31–32', () => {
    assert.deepEqual(relativePeriods('THIS_BIWEEK', today), [
      { type: 'biweek', id: '2021-BiW16', start: '2021-08-02', end: '2021-08-15' },
    ]);
    assert.deepEqual(rel('LAST_BIWEEK'), ['2021-BiW15']);
    assert.deepEqual(rel('LAST_4_BIWEEKS'), [
      '2021-BiW12',
      '2021-BiW13',
      '2021-BiW14',
      '2021-BiW15',
    ]);
    // As DHIS2, from the bi-week holding the day two weeks ago: on 2021-01-05, in 2021BiW1, that
    // is 2020BiW26, not 2020BiW27 (which overlaps 2021BiW1).
    assert.deepEqual(ids(relativePeriods('LAST_BIWEEK', '2021-01-05')), ['2020-BiW26']);
    assert.deepEqual(ids(relativePeriods('LAST_4_BIWEEKS', '2021-01-12')), [
      '2020-BiW24',
      '2020-BiW25',
      '2020-BiW26',
      '2020-BiW27',
    ]);
  });
  it('weeks of this year', () => {
    assert.deepEqual(
      rel('WEEKS_THIS_YEAR'),
      range(1, 52, (i) => `2021-W${String(i).padStart(2, '0')}`),
    );
    assert.equal(rel('WEEKS_THIS_YEAR', {}).length, 52);
    assert.equal(ids(relativePeriods('WEEKS_THIS_YEAR', '2020-03-01')).length, 53);
  });
  it('bi-months', () => {
    assert.deepEqual(rel('THIS_BIMONTH'), ['2021-B04']);
    assert.deepEqual(rel('LAST_BIMONTH'), ['2021-B03']);
    assert.deepEqual(rel('LAST_6_BIMONTHS'), [
      '2020-B04',
      '2020-B05',
      '2020-B06',
      '2021-B01',
      '2021-B02',
      '2021-B03',
    ]);
    assert.deepEqual(
      rel('BIMONTHS_THIS_YEAR'),
      range(1, 6, (i) => `2021-B0${i}`),
    );
    assert.deepEqual(ids(relativePeriods('LAST_BIMONTH', '2021-02-28')), ['2020-B06']);
  });
  it('last year by months and quarters; last two halves; ten years', () => {
    assert.deepEqual(
      rel('MONTHS_LAST_YEAR'),
      range(1, 12, (i) => `2020-${String(i).padStart(2, '0')}`),
    );
    assert.deepEqual(rel('QUARTERS_LAST_YEAR'), ['2020-Q1', '2020-Q2', '2020-Q3', '2020-Q4']);
    assert.deepEqual(rel('LAST_2_SIXMONTHS'), ['2020-S2', '2021-S1']);
    assert.deepEqual(rel('LAST_10_YEARS'), range(2011, 2020, String));
    assert.deepEqual(ids(relativePeriods('MONTHS_LAST_YEAR', '2024-02-29')).slice(0, 2), [
      '2023-01',
      '2023-02',
    ]);
  });
  it('financial years: October by default, as in DHIS2', () => {
    assert.deepEqual(relativePeriods('THIS_FINANCIAL_YEAR', today), [
      { type: 'fy_oct', id: '2020-Oct', start: '2020-10-01', end: '2021-09-30' },
    ]);
    assert.deepEqual(rel('LAST_FINANCIAL_YEAR'), ['2019-Oct']);
    assert.deepEqual(
      rel('LAST_5_FINANCIAL_YEARS'),
      range(2015, 2019, (y) => `${y}-Oct`),
    );
    assert.deepEqual(
      rel('LAST_10_FINANCIAL_YEARS'),
      range(2010, 2019, (y) => `${y}-Oct`),
    );
    assert.deepEqual(ids(relativePeriods('THIS_FINANCIAL_YEAR', '2021-10-01')), ['2021-Oct']);
  });
  it('financial years and weeks as the settings choose', () => {
    assert.deepEqual(rel('THIS_FINANCIAL_YEAR', { financialYearType: 'fy_apr' }), ['2021-April']);
    assert.deepEqual(rel('LAST_FINANCIAL_YEAR', { financialYearType: 'fy_jul' }), ['2020-July']);
    // 2021Nov runs November 2020 – October 2021.
    assert.deepEqual(rel('THIS_FINANCIAL_YEAR', { financialYearType: 'fy_nov' }), ['2021-Nov']);
    const wed = { weekType: 'week_wed' } as const;
    assert.deepEqual(relativePeriods('THIS_WEEK', today, wed), [
      { type: 'week_wed', id: '2021-WedW33', start: '2021-08-11', end: '2021-08-17' },
    ]);
    assert.deepEqual(rel('LAST_4_WEEKS', wed), [
      '2021-WedW29',
      '2021-WedW30',
      '2021-WedW31',
      '2021-WedW32',
    ]);
    assert.equal(rel('WEEKS_THIS_YEAR', { weekType: 'week_sun' })[0], '2021-SunW01');
    // The settings do not change the other keywords.
    assert.deepEqual(rel('THIS_BIWEEK', wed), ['2021-BiW16']);
    assert.deepEqual(rel('THIS_YEAR', { financialYearType: 'fy_apr' }), ['2021']);
  });
  it('parsePeriodList passes the settings on', () => {
    const list = parsePeriodList('THIS_FINANCIAL_YEAR;2022April', today, {
      financialYearType: 'fy_apr',
    });
    assert.deepEqual(ids(list), ['2021-April', '2022-April']);
  });
});
