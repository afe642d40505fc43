import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

const metadata = {
  breakdowns: [
    {
      code: 'ATTACK_TYPE',
      nameVi: 'Loại tấn công',
      nameEn: 'Attack type',
      options: [
        { code: 'PHISHING', nameVi: 'Lừa đảo', nameEn: 'Phishing' },
        { code: 'DEFACE', nameVi: 'Thay đổi giao diện', nameEn: 'Deface' },
        { code: 'MALWARE', nameVi: 'Mã độc', nameEn: 'Malware' },
      ],
    },
  ],
  dataElements: [
    {
      code: 'CYBERATTACKS',
      nameVi: 'Số cuộc tấn công mạng',
      nameEn: 'Cyberattacks',
      sector: 'security',
      valueType: 'integer',
      aggTime: 'sum',
      breakdown: 'ATTACK_TYPE',
    },
    {
      code: 'CERTS_ISSUED',
      nameVi: 'Chứng thư số công cộng đã cấp',
      nameEn: 'Public certificates issued',
      sector: 'security',
      valueType: 'integer',
      aggTime: 'last',
    },
    {
      code: 'MOBILE_SUBS',
      nameVi: 'Thuê bao di động',
      nameEn: 'Mobile subscribers',
      sector: 'telecom',
      valueType: 'number',
      aggTime: 'last',
    },
    {
      code: 'SMARTPHONE_SUBS',
      nameVi: 'Thuê bao smartphone',
      nameEn: 'Smartphone subscribers',
      sector: 'telecom',
      valueType: 'number',
      aggTime: 'last',
    },
    {
      code: 'CASES_TRACED',
      nameVi: 'Số ca truy vết',
      nameEn: 'Cases traced',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
  indicators: [
    {
      code: 'SMARTPHONE_SHARE',
      nameVi: 'Tỷ lệ thuê bao smartphone',
      nameEn: 'Smartphone share',
      sector: 'telecom',
      formula: '#{SMARTPHONE_SUBS} / #{MOBILE_SUBS} × 100',
      unit: '%',
    },
  ],
  targets: [
    {
      subject: { type: 'indicator', code: 'SMARTPHONE_SHARE' },
      unit: { version: '2022', code: 'VN' },
      value: 80,
      due: '2022-12-31',
    },
  ],
};

const v = (
  dataElement: string,
  period: string,
  orgUnit: string,
  value: number | string,
  extra: Record<string, string> = {},
) => ({
  dataElement,
  period,
  orgUnit,
  value: String(value),
  ...extra,
});

for (const engine of testEngines()) {
  describe(`analytics on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    const get = async (path: string, c = admin) => {
      const r = await c.get(path);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return r.json;
    };
    /** value of the first row of a DHIS2 analytics answer, by dx/pe/ou */
    const grid = (json: { headers: { name: string }[]; rows: string[][] }) => {
      const i = (n: string) => json.headers.findIndex((h) => h.name === n);
      return Object.fromEntries(
        json.rows.map((r) => [
          [r[i('dx')], r[i('pe')], r[i('ou')]].filter(Boolean).join(' '),
          Number(r[i('value')]),
        ]),
      );
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const values = [
        v('CYBERATTACKS', '202201', 'VN', 197, {
          categoryOptionCombo: 'PHISHING',
          reportedPrevPct: '5',
        }),
        v('CYBERATTACKS', '202201', 'VN', 125, { categoryOptionCombo: 'DEFACE' }),
        v('CYBERATTACKS', '202201', 'VN', 1061, { categoryOptionCombo: 'MALWARE' }),
        // The article prints both: "4.581.000 … tăng 14,1% so với cùng kỳ" against 4.014.701.
        v('CERTS_ISSUED', '202201', 'VN', 4581000),
        v('CERTS_ISSUED', '202101', 'VN', 4014701),
        // Only the change is known for the earlier month: the value carries it.
        v('MOBILE_SUBS', '202201', '79', 10, { reportedYoyPct: '2.5' }),
        v('SMARTPHONE_SUBS', '202201', '79', 9),
        v('MOBILE_SUBS', '202201', '01', 30),
        v('SMARTPHONE_SUBS', '202201', '01', 15),
        // Stocks over a quarter: the last month counts.
        v('MOBILE_SUBS', '202202', '01', 31),
        v('MOBILE_SUBS', '202203', '01', 32),
        // Daily flows in communes of Quận 1 (79/760) and Ba Đình (01/001).
        ...[1, 2, 3].flatMap((d) => [
          v('CASES_TRACED', `2022-01-0${d}`, '26740', d),
          v('CASES_TRACED', `2022-01-0${d}`, '26743', 10 * d),
          v('CASES_TRACED', `2022-01-0${d}`, '00001', 100 * d),
          v('CASES_TRACED', `2021-01-0${d}`, '26740', 1),
        ]),
      ];
      const r = await admin.post('/api/data/import', { dataValues: values });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    });
    after(() => t.close());

    it('answers DHIS2’s analytics grid: headers, rows, metaData, height, width', async () => {
      const json = await get(
        '/api/analytics?dimension=dx:CYBERATTACKS;CYBERATTACKS.PHISHING&dimension=pe:202201&filter=ou:VN',
      );
      assert.deepEqual(
        json.headers.map((h: { name: string }) => h.name),
        ['dx', 'pe', 'value'],
      );
      assert.deepEqual(grid(json), {
        'CYBERATTACKS 202201': 1383,
        'CYBERATTACKS.PHISHING 202201': 197,
      });
      assert.equal(json.height, 2);
      assert.equal(json.width, 3);
      assert.equal(json.metaData.items['202201'].name, 'tháng 01/2022');
      assert.equal(json.metaData.items.CYBERATTACKS.name, 'Số cuộc tấn công mạng');
      const versioned = await get(
        '/api/40/analytics?dimension=dx:CYBERATTACKS&dimension=pe:2022-01&dimension=ou:VN',
      );
      assert.deepEqual(grid(versioned), { 'CYBERATTACKS 202201 VN': 1383 });
    });

    it('rolls daily flows up the tree: units, levels (DHIS2 counts from the root), months', async () => {
      const json = await get(
        '/api/analytics?dimension=dx:CASES_TRACED&dimension=pe:202201&dimension=ou:VN;LEVEL-2',
      );
      assert.deepEqual(grid(json), {
        'CASES_TRACED 202201 01': 600,
        'CASES_TRACED 202201 79': 66,
      });
      const nation = await get(
        '/api/analytics?dimension=dx:CASES_TRACED&dimension=pe:2022-01-02;202201;2022Q1;2022&dimension=ou:VN',
      );
      assert.deepEqual(grid(nation), {
        'CASES_TRACED 20220102 VN': 222,
        'CASES_TRACED 202201 VN': 666,
        'CASES_TRACED 2022Q1 VN': 666,
        'CASES_TRACED 2022 VN': 666,
      });
      const wards = await get(
        '/api/analytics?dimension=dx:CASES_TRACED&dimension=pe:202201&dimension=ou:760;LEVEL-4',
      );
      assert.deepEqual(grid(wards), {
        'CASES_TRACED 202201 26740': 6,
        'CASES_TRACED 202201 26743': 60,
      });
    });

    it('takes a stock’s last value in the period, then sums over units', async () => {
      const json = await get(
        '/api/analytics?dimension=dx:MOBILE_SUBS&dimension=pe:2022Q1;202201&dimension=ou:VN;01',
      );
      assert.deepEqual(grid(json), {
        // Each unit's own last value in the quarter, then the sum: Hồ Chí Minh City's January
        // 10 (it did not report again) and Hà Nội's March 32.
        'MOBILE_SUBS 2022Q1 VN': 42,
        'MOBILE_SUBS 2022Q1 01': 32,
        'MOBILE_SUBS 202201 VN': 40,
        'MOBILE_SUBS 202201 01': 30,
      });
    });

    it('computes indicators after aggregation: a national share is the ratio of national totals', async () => {
      const json = await get(
        '/api/analytics?dimension=dx:SMARTPHONE_SHARE&dimension=pe:202201&dimension=ou:VN;79;01',
      );
      const g = grid(json);
      assert.equal(g['SMARTPHONE_SHARE 202201 VN'], 60); // (9 + 15) / (10 + 30), not the mean of 90 % and 50 %
      assert.equal(g['SMARTPHONE_SHARE 202201 79'], 90);
      assert.equal(g['SMARTPHONE_SHARE 202201 01'], 50);
    });

    it('gives the change against the same period last year: computed, or as reported', async () => {
      const r = await get(
        '/api/analytics/query?dx=CERTS_ISSUED,MOBILE_SUBS,CASES_TRACED&pe=2022-01&ou=VN,79',
      );
      const cell = (dx: string, ou: string) =>
        r.items.find((c: { dx: string; ou: string }) => c.dx === dx && c.ou === ou);
      const certs = cell('CERTS_ISSUED', 'VN');
      assert.equal(certs.yoy.source, 'computed');
      assert.equal(certs.yoy.previous, 4014701);
      assert.equal(certs.yoy.pct.toFixed(1), '14.1', 'equals the printed "tăng 14,1%"');
      assert.deepEqual(cell('MOBILE_SUBS', '79').yoy, {
        pct: 2.5,
        previous: null,
        source: 'reported',
        period: '2021-01',
      });
      assert.equal(cell('CASES_TRACED', '79').yoy.pct, ((66 - 3) / 3) * 100);
      assert.equal(r.periods[0].label, 'tháng 01/2022');
    });

    it('never counts a value twice when months, a half-year and a range of one year are stored', async () => {
      const meta = {
        dataElements: [
          {
            code: 'ICT_REVENUE',
            nameVi: 'Doanh thu công nghiệp ICT',
            nameEn: 'ICT revenue',
            sector: 'ict',
            valueType: 'number',
            aggTime: 'sum',
          },
        ],
      };
      assert.equal((await admin.post('/api/metadata', meta)).status, 200);
      const months = (year: number, n: number, value: number) =>
        Array.from({ length: n }, (_, i) =>
          v('ICT_REVENUE', `${year}${String(i + 1).padStart(2, '0')}`, 'VN', value),
        );
      const r = await admin.post('/api/data/import', {
        dataValues: [
          ...months(2021, 12, 10),
          // "6 tháng đầu năm 2021" and "8 tháng đầu năm 2021", as the briefings print them.
          v('ICT_REVENUE', '2021S1', 'VN', 65),
          v('ICT_REVENUE', '2021-01-01/2021-08-31', 'VN', 90),
          ...months(2020, 8, 8),
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const q = await get(
        '/api/analytics/query?dx=ICT_REVENUE&pe=2021,2021S1,2021Q1,2021-01-01/2021-08-31&ou=VN',
      );
      const at = (pe: string) => q.items.find((c: { pe: string }) => c.pe === pe);
      assert.equal(at('2021').value, 120, 'the twelve months, not the half-year and range too');
      assert.equal(at('2021-S1').value, 65, 'the half-year as stored');
      assert.equal(at('2021-Q1').value, 30);
      const range = at('2021-01-01/2021-08-31');
      assert.equal(range.value, 90, 'the range as stored');
      // Against January–August 2020, from its months.
      assert.deepEqual(range.yoy, {
        pct: ((90 - 64) / 64) * 100,
        previous: 64,
        source: 'computed',
        period: '2020-01-01/2020-08-31',
      });
    });

    it('keeps a breakdown option’s reported change to that option', async () => {
      const r = await get(
        '/api/analytics/query?dx=CYBERATTACKS.PHISHING,CYBERATTACKS.DEFACE&pe=2022-01&ou=VN',
      );
      const cell = (dx: string) => r.items.find((c: { dx: string }) => c.dx === dx);
      assert.equal(cell('CYBERATTACKS.PHISHING').pop?.source, 'reported');
      assert.equal(cell('CYBERATTACKS.PHISHING').pop?.pct, 5);
      assert.notEqual(cell('CYBERATTACKS.DEFACE').pop?.source, 'reported', 'not the phishing one');
    });

    it('gives the share of target and ranks units', async () => {
      const r = await get(
        '/api/analytics/query?dx=SMARTPHONE_SHARE,CASES_TRACED&pe=2022-01&ou=LEVEL-2',
      );
      const share = r.items.find(
        (c: { dx: string; ou: string }) => c.dx === 'SMARTPHONE_SHARE' && c.ou === 'VN',
      );
      assert.equal(share, undefined, 'LEVEL-2 lists provinces only');
      const vn = await get('/api/analytics/query?dx=SMARTPHONE_SHARE&pe=2022-01&ou=VN');
      assert.deepEqual(vn.items[0].target, { value: 80, due: '2022-12-31', share: 75 });
      const cases = r.items.filter(
        (c: { dx: string; value: number | null }) => c.dx === 'CASES_TRACED' && c.value !== null,
      );
      assert.deepEqual(cases.map((c: { ou: string; rank: number }) => [c.ou, c.rank]).sort(), [
        ['01', 1],
        ['79', 2],
      ]);
    });

    it('shows a value in analytics as soon as the import answers', async () => {
      await admin.post('/api/data/import', {
        dataValues: [v('CASES_TRACED', '2022-01-04', '26740', 1000)],
      });
      const json = await get(
        '/api/analytics?dimension=dx:CASES_TRACED&dimension=pe:202201&dimension=ou:79',
      );
      assert.deepEqual(grid(json), { 'CASES_TRACED 202201 79': 1066 });
    });

    it('keeps a user to their scope, and explains unknown items', async () => {
      await t.services.auth.createUser('system', {
        username: 'hcm-viewer',
        password: 'Viewer-pw-1234',
        role: 'viewer',
        scope: { version: '2022', code: '79' },
      });
      const viewer = ApiClient.for(t.services);
      await viewer.login('hcm-viewer', 'Viewer-pw-1234');
      const denied = await viewer.get(
        '/api/analytics?dimension=dx:CASES_TRACED&dimension=pe:202201&dimension=ou:VN',
      );
      assert.equal(denied.status, 403);
      const mine = await get(
        '/api/analytics?dimension=dx:CASES_TRACED&dimension=pe:202201&dimension=ou:LEVEL-2',
        viewer,
      );
      assert.deepEqual(Object.keys(grid(mine)), ['CASES_TRACED 202201 79']);
      const unknown = await admin.get('/api/analytics?dimension=dx:NOPE&dimension=pe:202201');
      assert.equal(unknown.status, 400);
      assert.match(unknown.json.error.message, /NOPE/);
      const badPeriod = await admin.get(
        '/api/analytics?dimension=dx:CASES_TRACED&dimension=pe:2021W53',
      );
      assert.equal(badPeriod.status, 400);
    });
  });
}
