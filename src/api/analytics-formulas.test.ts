import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { vnDate } from '../domain/dates.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * DHIS2's indicator language in analytics (issue 14): items by uid, the modifiers
 * .periodOffset/.yearToDate/.aggregationType, subExpression, R{…}, N{…}, [days], log/log10 —
 * each with values that only that function gives.
 *
 * Data (tree 2022; Ba Đình 001 and two of its wards, A and B; months of Q1 2022):
 *
 *   VISITS (flow, by age YOUNG/OLD)      Jan        Feb                    Mar
 *     ward A                             10 + 4     20 (PRIVATE) + 5       30
 *     ward B                             6          3                      9 + 1
 *     Ba Đình                            20         28                     40      Q1: 88
 *   BEDS (stock)
 *     ward A                             10         12                     15
 *     ward B                             5          —                      5
 *     Ba Đình (each unit's last)         15         12                     20      Q1: 20
 */

const metadata = {
  breakdowns: [
    {
      code: 'AGE',
      uid: 'AgeCombo001',
      nameVi: 'Nhóm tuổi',
      nameEn: 'Age group',
      options: [
        { code: 'YOUNG', uid: 'AgeYoung001', nameVi: 'Trẻ', nameEn: 'Young' },
        { code: 'OLD', uid: 'AgeOld00001', nameVi: 'Già', nameEn: 'Old' },
      ],
    },
  ],
  attributeOptions: [{ code: 'PRIVATE', uid: 'FundPrivat1', nameVi: 'Tư nhân', nameEn: 'Private' }],
  dataElements: [
    {
      code: 'VISITS',
      uid: 'Visits00001',
      nameVi: 'Lượt khám',
      nameEn: 'Visits',
      sector: 'covid',
      valueType: 'number',
      aggTime: 'sum',
      breakdown: 'AGE',
    },
    {
      code: 'BEDS',
      uid: 'Beds0000001',
      nameVi: 'Giường bệnh',
      nameEn: 'Beds',
      sector: 'covid',
      valueType: 'number',
      aggTime: 'last',
    },
    {
      code: 'TESTS',
      uid: 'Tests000001',
      nameVi: 'Xét nghiệm',
      nameEn: 'Tests',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
  dataSets: [
    {
      code: 'DS_MONTHLY',
      uid: 'DsMonthly01',
      nameVi: 'Báo cáo tháng cấp xã',
      nameEn: 'Commune monthly report',
      periodType: 'month',
      version: '2022',
      level: 3,
      dueDays: 10,
      elements: ['VISITS'],
    },
    {
      code: 'DS_DAILY',
      uid: 'DsDaily0001',
      nameVi: 'Báo cáo ngày cấp xã',
      nameEn: 'Commune daily report',
      periodType: 'day',
      version: '2025',
      level: 2,
      dueDays: 1,
      elements: ['TESTS'],
    },
  ],
};

/** Indicators, by code and uid: formula. */
const INDICATORS: [string, string, string][] = [
  ['GROWTH', 'GrowthInd01', '#{VISITS} - #{VISITS}.periodOffset(-1)'],
  ['YTD', 'YtdIndic001', '#{VISITS}.yearToDate()'],
  ['YOUNG_LAST_MONTH', 'YoungLast01', '#{Visits00001.AgeYoung001}.periodOffset(-1)'],
  ['PRIVATE_YOUNG', 'PrivYoung01', '#{Visits00001.AgeYoung001.FundPrivat1}'],
  ['PRIVATE_ALL', 'PrivAll0001', '#{Visits00001.*.FundPrivat1}'],
  ['BY_UID', 'ByUid000001', '#{Visits00001} + #{BEDS}'],
  ['BEDS_SUM_MINUS_LAST', 'BedsSumLst1', '#{BEDS}.aggregationType(SUM) - #{Beds0000001}'],
  ['VISITS_MAX', 'VisitsMax01', '#{VISITS}.aggregationType(MAX)'],
  ['VISITS_COUNT', 'VisitsCnt01', '#{VISITS}.aggregationType(COUNT)'],
  ['BUSY_WARDS', 'BusyWards01', 'subExpression(if(#{VISITS} > 15, 1, 0))'],
  ['BUSY_AFTER', 'BusyAfter01', 'if(#{VISITS} > 15, 1, 0)'],
  ['PER_BED_WARDS', 'PerBedWrd01', 'subExpression(#{VISITS} / #{BEDS})'],
  ['PER_BED_AVG', 'PerBedAvg01', 'subExpression(#{VISITS} / #{BEDS}).aggregationType(AVERAGE)'],
  ['WARDS_WITH_BEDS', 'WardsBeds01', 'subExpression(#{BEDS} * 0 + 1).aggregationType(COUNT)'],
  ['PER_DAY', 'PerDay00001', '#{VISITS} / [days]'],
  ['DAYS_LAST_MONTH', 'DaysLast001', '[days].periodOffset(-1)'],
  ['LOGS', 'LogsInd0001', 'log10(#{VISITS} * 5) + log(#{BEDS} + 1, 2)'],
  ['GROWTH_BEFORE', 'GrowthBef01', 'N{GrowthInd01}.periodOffset(-1)'],
  ['GROWTH_BY_UID', 'GrowthUid01', 'N{GrowthInd01} * 10'],
  ['HAD_BEDS', 'HadBeds0001', 'isNotNull(#{BEDS}.periodOffset(-1))'],
  ['RATE', 'RateInd0001', 'R{DS_MONTHLY.REPORTING_RATE}'],
  ['REPORTS', 'ReportsInd1', 'R{DsMonthly01.ACTUAL_REPORTS}'],
  ['REPORTS_EXPECTED', 'ReportsExp1', 'R{DS_MONTHLY.EXPECTED_REPORTS}'],
  ['ON_TIME', 'OnTimeInd01', 'R{DS_MONTHLY.ACTUAL_REPORTS_ON_TIME}'],
  ['RATE_ON_TIME', 'RateOnTime1', 'R{DS_MONTHLY.REPORTING_RATE_ON_TIME}'],
  ['REPORTS_BEFORE', 'ReportsBef1', 'R{DS_MONTHLY.ACTUAL_REPORTS}.periodOffset(-1)'],
  ['REPORTS_YTD', 'ReportsYtd1', 'R{DS_MONTHLY.ACTUAL_REPORTS}.yearToDate()'],
  ['DAILY_RATE', 'DailyRate01', 'R{DS_DAILY.REPORTING_RATE}'],
  ['DAILY_ON_TIME', 'DailyOnTim1', 'R{DS_DAILY.ACTUAL_REPORTS_ON_TIME}'],
  ['DAILY_EXPECTED', 'DailyExpct1', 'R{DS_DAILY.EXPECTED_REPORTS}'],
];

type Grid = { headers: { name: string }[]; rows: string[][] };

for (const engine of testEngines()) {
  describe(`DHIS2 indicator functions in analytics on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    /** Ward A and B of Ba Đình (001) in the 2022 tree, and how many wards it has. */
    let wardA: string;
    let wardB: string;
    let wardsOfBaDinh: number;
    let communesOf79: string[];
    const yesterday = vnDate(new Date(Date.now() - 86_400_000));

    /** Values by `dx pe ou`, from DHIS2's analytics grid. */
    const values = async (query: string): Promise<Record<string, number>> => {
      const r = await admin.get(`/api/analytics?${query}`);
      assert.equal(r.status, 200, `${query}: ${r.text}`);
      const json = r.json as Grid;
      const i = (n: string) => json.headers.findIndex((h) => h.name === n);
      return Object.fromEntries(
        json.rows.map((row) => [
          [row[i('dx')], row[i('pe')], row[i('ou')]].filter(Boolean).join(' '),
          Number(row[i('value')]),
        ]),
      );
    };
    const refused = async (query: string) => {
      const r = await admin.get(`/api/analytics?${query}`);
      assert.equal(r.status, 400, `${query}: ${r.text}`);
      return r.json as Record<string, unknown>;
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      const m = await admin.post('/api/metadata', metadata);
      assert.equal(m.status, 200, m.text);
      const wards = await admin.get('/api/orgunits?version=2022&parent=001&limit=1000');
      assert.equal(wards.status, 200, wards.text);
      const codes = (wards.json.items as { code: string }[]).map((u) => u.code);
      [wardA, wardB] = codes as [string, string];
      wardsOfBaDinh = codes.length;
      const communes = await admin.get('/api/orgunits?version=2025&parent=79&limit=1000');
      communesOf79 = (communes.json.items as { code: string }[]).map((u) => u.code);
      const v = (de: string, pe: string, ou: string, value: number, extra = {}) => ({
        dataElement: de,
        period: pe,
        orgUnit: ou,
        value: String(value),
        ...extra,
      });
      const young = { categoryOptionCombo: 'YOUNG' };
      const old = { categoryOptionCombo: 'OLD' };
      const r = await admin.post('/api/data/import', {
        dataValues: [
          v('VISITS', '202201', wardA, 10, young),
          v('VISITS', '202201', wardA, 4, old),
          v('VISITS', '202201', wardB, 6, young),
          v('VISITS', '202202', wardA, 20, { ...young, attributeOptionCombo: 'PRIVATE' }),
          v('VISITS', '202202', wardA, 5, old),
          v('VISITS', '202202', wardB, 3, old),
          v('VISITS', '202203', wardA, 30, young),
          v('VISITS', '202203', wardB, 9, young),
          v('VISITS', '202203', wardB, 1, old),
          v('BEDS', '202201', wardA, 10),
          v('BEDS', '202202', wardA, 12),
          v('BEDS', '202203', wardA, 15),
          v('BEDS', '202201', wardB, 5),
          v('BEDS', '202203', wardB, 5),
          // Two communes of Hồ Chí Minh City report yesterday (on time: due a day later).
          v('TESTS', yesterday, communesOf79[0]!, 7),
          v('TESTS', yesterday, communesOf79[1]!, 8),
        ],
      });
      assert.equal(r.status, 200, r.text);
      // The indicators, by uid where DHIS2 writes uids: in DHIS2's own metadata shape.
      const d = await admin.post('/api/metadata', {
        indicatorTypes: [{ id: 'IndTypeNum1', name: 'Number', factor: 1, number: true }],
        indicators: INDICATORS.map(([code, id, numerator]) => ({
          id,
          code,
          name: code,
          shortName: code,
          numerator,
          denominator: '1',
          indicatorType: { id: 'IndTypeNum1' },
        })),
      });
      assert.equal(d.status, 200, d.text);
    });
    after(() => t.close());

    const q1 = 'dimension=pe:202201;202202;202203;2022Q1&filter=ou:001';

    it('reads items by DHIS2 uid: #{uid}, #{uid.uid}, #{uid.uid.uid}, #{uid.*.uid}, N{uid}', async () => {
      const got = await values(
        `dimension=dx:BY_UID;PRIVATE_YOUNG;PRIVATE_ALL;GROWTH_BY_UID;ByUid000001&${q1}`,
      );
      assert.equal(got['BY_UID 202201'], 20 + 15);
      assert.equal(got['ByUid000001 202201'], 35); // asked by uid, answered as asked
      assert.equal(got['BY_UID 2022Q1'], 88 + 20);
      // Only February's 20 young visits are privately funded.
      assert.equal(got['PRIVATE_YOUNG 202202'], 20);
      assert.equal(got['PRIVATE_ALL 202202'], 20);
      assert.equal(got['PRIVATE_YOUNG 202201'], undefined);
      assert.equal(got['GROWTH_BY_UID 202203'], (40 - 28) * 10);
    });

    it('.periodOffset(n) reads the period n periods away, of the same type', async () => {
      const got = await values(`dimension=dx:GROWTH;YOUNG_LAST_MONTH;HAD_BEDS&${q1}`);
      assert.equal(got['GROWTH 202202'], 28 - 20);
      assert.equal(got['GROWTH 202203'], 40 - 28);
      assert.equal(got['GROWTH 202201'], 20); // December 2021 has no value: the sum keeps January's
      assert.equal(got['GROWTH 2022Q1'], 88); // the quarter before has none either
      assert.equal(got['YOUNG_LAST_MONTH 202202'], 10 + 6);
      assert.equal(got['YOUNG_LAST_MONTH 202203'], 20);
      assert.equal(got['YOUNG_LAST_MONTH 202201'], undefined);
      assert.deepEqual(
        [got['HAD_BEDS 202201'], got['HAD_BEDS 202202'], got['HAD_BEDS 2022Q1']],
        [0, 1, 0],
      );
      // A period filter shifts each of its periods: (Feb + Mar) − (Jan + Feb).
      const filtered = await values('dimension=dx:GROWTH&filter=pe:202202;202203&filter=ou:001');
      assert.equal(filtered['GROWTH'], 28 + 40 - (20 + 28));
      // By ward: each unit's own periods.
      const byWard = await values(
        `dimension=dx:GROWTH&dimension=pe:202203&dimension=ou:${wardA};${wardB}`,
      );
      assert.equal(byWard[`GROWTH 202203 ${wardA}`], 30 - 25);
      assert.equal(byWard[`GROWTH 202203 ${wardB}`], 10 - 3);
    });

    it('.yearToDate() reads from the start of the year to the end of the period', async () => {
      const got = await values(`dimension=dx:YTD&${q1}`);
      assert.deepEqual(
        [got['YTD 202201'], got['YTD 202202'], got['YTD 202203'], got['YTD 2022Q1']],
        [20, 48, 88, 88],
      );
      // Chained with an offset: the year to date of the month before.
      const r = await admin.post('/api/metadata', {
        indicators: [
          {
            code: 'YTD_BEFORE',
            nameVi: 'Lũy kế đến tháng trước',
            nameEn: 'Year to date, a month before',
            sector: 'covid',
            formula: '#{VISITS}.periodOffset(-1).yearToDate()',
          },
        ],
      });
      assert.equal(r.status, 200, r.text);
      const before = await values(`dimension=dx:YTD_BEFORE&${q1}`);
      assert.equal(before['YTD_BEFORE 202203'], 48);
      assert.equal(before['YTD_BEFORE 202202'], 20);
    });

    it('.yearToDate() of a week starts at week 1, even when week 1 begins in December', async () => {
      // ISO week 2025-W01 runs from Monday 30 December 2024.
      const youngVisit = (period: string, value: number) => ({
        dataElement: 'VISITS',
        categoryOptionCombo: 'YOUNG',
        period,
        orgUnit: wardA,
        value: String(value),
      });
      const r = await admin.post('/api/data/import', {
        dataValues: [
          { ...youngVisit('2025W1', 3) },
          { ...youngVisit('2025W2', 4) },
          { ...youngVisit('2024W52', 100) },
        ],
      });
      assert.equal(r.status, 200, r.text);
      const got = await values(`dimension=dx:YTD&dimension=pe:2025W1;2025W2&filter=ou:${wardA}`);
      assert.equal(got['YTD 2025W1'], 3);
      assert.equal(got['YTD 2025W2'], 3 + 4);
    });

    it('.aggregationType(T) reads one item with another rule, beside the same element read its own way', async () => {
      const got = await values(`dimension=dx:BEDS_SUM_MINUS_LAST;VISITS_MAX;VISITS_COUNT&${q1}`);
      // Beds are a stock: the quarter holds each ward's last (15 + 5); summed, every value.
      assert.equal(got['BEDS_SUM_MINUS_LAST 2022Q1'], 10 + 12 + 15 + 5 + 5 - (15 + 5));
      assert.equal(got['VISITS_MAX 2022Q1'], 30);
      assert.equal(got['VISITS_MAX 202201'], 10);
      assert.equal(got['VISITS_COUNT 2022Q1'], 9);
      // The item's own type wins over the question's aggregationType, which applies to the rest.
      const max = await values(`dimension=dx:BEDS_SUM_MINUS_LAST&${q1}&aggregationType=MAX`);
      assert.equal(max['BEDS_SUM_MINUS_LAST 2022Q1'], 47 - 15);
    });

    it('subExpression(…) is evaluated at each unit holding values, then totalled', async () => {
      const got = await values(
        `dimension=dx:BUSY_WARDS;BUSY_AFTER;PER_BED_WARDS;PER_BED_AVG;WARDS_WITH_BEDS&${q1}`,
      );
      // Wards with more than 15 visits: none in January (14 and 6), though Ba Đình has 20.
      assert.equal(got['BUSY_WARDS 202201'], 0);
      assert.equal(got['BUSY_AFTER 202201'], 1);
      assert.equal(got['BUSY_WARDS 202202'], 1);
      assert.equal(got['BUSY_WARDS 2022Q1'], 2); // 69 and 19 over the quarter
      // Visits per bed, ward by ward: 14/10 + 6/5; the ratio of totals would be 20/15.
      assert.equal(got['PER_BED_WARDS 202201'], 2.6);
      assert.equal(got['PER_BED_AVG 202201'], 1.3);
      // In February ward B has no beds: its ratio has no value and is left out.
      assert.equal(got['PER_BED_WARDS 202202'], Number((25 / 12).toFixed(6)));
      assert.equal(got['WARDS_WITH_BEDS 202202'], 1);
      assert.equal(got['WARDS_WITH_BEDS 202203'], 2);
      // Over the quarter each ward's visits and its last beds: 69/15 + 19/5.
      assert.equal(got['PER_BED_WARDS 2022Q1'], 8.4);
      // A unit filter totals the wards under its units, each once.
      const filtered = await values(
        `dimension=dx:BUSY_WARDS&dimension=pe:2022Q1&filter=ou:${wardA};${wardB};001`,
      );
      assert.equal(filtered['BUSY_WARDS 2022Q1'], 2);
    });

    it('[days], log, log10, isNotNull and N{…}.periodOffset', async () => {
      const got = await values(`dimension=dx:PER_DAY;DAYS_LAST_MONTH;LOGS;GROWTH_BEFORE&${q1}`);
      assert.equal(got['PER_DAY 202202'], 1); // 28 visits in 28 days
      assert.equal(got['PER_DAY 2022Q1'], Number((88 / 90).toFixed(6)));
      assert.deepEqual(
        [
          got['DAYS_LAST_MONTH 202202'],
          got['DAYS_LAST_MONTH 202203'],
          got['DAYS_LAST_MONTH 2022Q1'],
        ],
        [31, 28, 92],
      );
      assert.equal(got['LOGS 202201'], 2 + 4); // log10(20 × 5) + log2(15 + 1)
      assert.equal(got['GROWTH_BEFORE 202203'], 28 - 20); // the growth of February
      assert.equal(got['GROWTH_BEFORE 202202'], 20);
    });

    it("R{…}: a data set's reports, counted as reporting completeness counts them", async () => {
      const got = await values(
        `dimension=dx:RATE;REPORTS;REPORTS_EXPECTED;ON_TIME;RATE_ON_TIME;REPORTS_BEFORE;REPORTS_YTD&${q1}`,
      );
      // Two of Ba Đình's wards reported each month; all of them are expected to.
      assert.equal(got['REPORTS 202201'], 2);
      assert.equal(got['REPORTS_EXPECTED 202201'], wardsOfBaDinh);
      assert.equal(got['RATE 202201'], Number(((2 / wardsOfBaDinh) * 100).toFixed(6)));
      assert.equal(got['REPORTS 2022Q1'], 6);
      assert.equal(got['REPORTS_EXPECTED 2022Q1'], 3 * wardsOfBaDinh);
      // Entered years after the due date: none on time.
      assert.equal(got['ON_TIME 202201'], 0);
      assert.equal(got['RATE_ON_TIME 202201'], 0);
      assert.equal(got['REPORTS_BEFORE 202201'], 0);
      assert.equal(got['REPORTS_BEFORE 202202'], 2);
      assert.deepEqual([got['REPORTS_YTD 202202'], got['REPORTS_YTD 202203']], [4, 6]);
      // Reports entered today for yesterday, due a day later, are on time.
      const day = yesterday.replaceAll('-', ''); // DHIS2's id of the day
      const daily = await values(
        `dimension=dx:DAILY_RATE;DAILY_ON_TIME;DAILY_EXPECTED&dimension=pe:${yesterday}&filter=ou:79`,
      );
      assert.equal(daily[`DAILY_ON_TIME ${day}`], 2);
      assert.equal(daily[`DAILY_EXPECTED ${day}`], communesOf79.length);
      assert.equal(
        daily[`DAILY_RATE ${day}`],
        Number(((2 / communesOf79.length) * 100).toFixed(6)),
      );
    });

    it('R{…}: a completed registration counts as a report, without values', async () => {
      const r = await admin.post('/api/completeDataSetRegistrations', {
        completeDataSetRegistrations: [
          { dataSet: 'DsMonthly01', period: '202204', organisationUnit: '00004', completed: true },
        ],
      });
      assert.equal(r.status, 200, r.text);
      const got = await values('dimension=dx:REPORTS;RATE&dimension=pe:202204&filter=ou:001');
      assert.equal(got['REPORTS 202204'], 1);
      assert.equal(got['RATE 202204'], Number(((1 / wardsOfBaDinh) * 100).toFixed(6)));
    });

    it('refuses, saying why, reports that cannot be counted and constants Opsroom does not have', async () => {
      const week = await refused('dimension=dx:RATE&dimension=pe:2022W05&filter=ou:001');
      const m = (x: Record<string, unknown>) =>
        (x.error as { messages: { vi: string; en: string } }).messages;
      assert.match(m(week).en, /data set DS_MONTHLY reports by month; .* is shorter/);
      assert.match(m(week).vi, /bộ dữ liệu DS_MONTHLY báo cáo theo month/);
      const tree = await refused('dimension=dx:DAILY_RATE&dimension=pe:202201&filter=ou:001');
      assert.match(m(tree).en, /belongs to unit tree 2025, while the period asked uses tree 2022/);
      const r = await admin.post('/api/metadata', {
        indicators: [
          {
            code: 'WITH_CONSTANT',
            nameVi: 'Có hằng số',
            nameEn: 'With a constant',
            sector: 'covid',
            formula: '#{VISITS} * C{PERCENT}',
          },
        ],
      });
      // Refused at import already (analytics refuses one stored before, the same way).
      assert.equal(r.status, 400, r.text);
      assert.match(r.text, /Opsroom has no constants/);
      assert.match(r.text, /Opsroom không có hằng số/);
    });
  });
}
