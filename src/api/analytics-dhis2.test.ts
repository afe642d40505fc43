import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/** DHIS2's analytics parameters beyond dimensions: co, aggregationType, decimals, id schemes. */

const metadata = {
  breakdowns: [
    {
      code: 'AGE_G',
      uid: 'AgeGroup001',
      nameVi: 'Nhóm tuổi',
      nameEn: 'Age group',
      options: [
        { code: 'YOUNG', uid: 'AgeYoung001', nameVi: 'Trẻ', nameEn: 'Young' },
        { code: 'OLD', uid: 'AgeOld00001', nameVi: 'Già', nameEn: 'Old' },
      ],
    },
  ],
  dataElements: [
    {
      code: 'VISITS',
      uid: 'Visits00001',
      nameVi: 'Lượt khám',
      nameEn: 'Visits',
      sector: 'covid',
      valueType: 'number',
      aggTime: 'sum',
      breakdown: 'AGE_G',
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
  ],
  indicators: [
    {
      code: 'VISITS_PER_BED',
      nameVi: 'Lượt khám mỗi giường',
      nameEn: 'Visits per bed',
      sector: 'covid',
      formula: '#{VISITS} / #{BEDS}',
    },
  ],
};

const at = (dataElement: string, period: string, orgUnit: string, value: number, coc?: string) => ({
  dataElement,
  period,
  orgUnit,
  value: String(value),
  ...(coc ? { categoryOptionCombo: coc } : {}),
});

type Grid = { headers: { name: string }[]; rows: string[][]; metaData: Record<string, unknown> };

for (const engine of testEngines()) {
  describe(`DHIS2 analytics parameters on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    const grid = async (query: string) => {
      const r = await admin.get(`/api/analytics?${query}`);
      assert.equal(r.status, 200, `${query}: ${r.text}`);
      const json = r.json as Grid;
      const names = json.headers.map((h) => h.name);
      return {
        json,
        rows: json.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]]))),
      };
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const r = await admin.post('/api/data/import', {
        dataValues: [
          // Two wards of Ba Đình (01/001), three days of January 2022.
          at('VISITS', '20220103', '00001', 10, 'YOUNG'),
          at('VISITS', '20220103', '00001', 4, 'OLD'),
          at('VISITS', '20220104', '00001', 7, 'YOUNG'),
          at('VISITS', '20220104', '00004', 1, 'OLD'),
          at('VISITS', '20220105', '00004', 3, 'YOUNG'),
          at('BEDS', '20220103', '00001', 20),
          at('BEDS', '20220105', '00001', 22),
          at('BEDS', '20220104', '00004', 5),
        ],
      });
      assert.equal(r.status, 200, r.text);
    });
    after(() => t.close());

    it('splits an element by breakdown option with dimension=co', async () => {
      const { rows, json } = await grid(
        'dimension=dx:VISITS&dimension=co&dimension=pe:202201&filter=ou:001',
      );
      assert.deepEqual(rows.map((r) => [r.dx, r.co, r.pe, r.value]).sort(), [
        ['VISITS', 'OLD', '202201', '5'],
        ['VISITS', 'YOUNG', '202201', '20'],
      ]);
      const dims = json.metaData.dimensions as Record<string, string[]>;
      assert.deepEqual([...dims.co!].sort(), ['OLD', 'YOUNG']);
      // By uid: the options' uids, and DHIS2's default combo for an element without breakdown.
      const byUid = await grid(
        'dimension=dx:VISITS;BEDS&dimension=co&dimension=pe:202201&filter=ou:001&outputIdScheme=UID',
      );
      assert.deepEqual(byUid.rows.map((r) => [r.dx, r.co, r.value]).sort(), [
        ['Beds0000001', 'HllvX50cXC0', '27'],
        ['Visits00001', 'AgeOld00001', '5'],
        ['Visits00001', 'AgeYoung001', '20'],
      ]);
      const refused = await admin.get(
        '/api/analytics?dimension=dx:VISITS_PER_BED&dimension=co&dimension=pe:202201',
      );
      assert.equal(refused.status, 400);
    });

    it('applies aggregationType instead of the element’s own rule', async () => {
      const value = async (type: string, dx = 'VISITS') =>
        (await grid(`dimension=dx:${dx}&filter=pe:202201&filter=ou:001&aggregationType=${type}`))
          .rows[0]?.value;
      assert.equal(await value('SUM'), '25');
      assert.equal(await value('COUNT'), '5');
      assert.equal(await value('MAX'), '10');
      assert.equal(await value('MIN'), '1');
      // Average over time and units: 25 over 5 values.
      assert.equal(await value('AVERAGE'), '5');
      // A stock by default (each ward's last: 22 and 5); summed over time when asked.
      assert.equal(await value('DEFAULT', 'BEDS'), '27');
      assert.equal(await value('SUM', 'BEDS'), '47');
      const bad = await admin.get(
        '/api/analytics?dimension=dx:VISITS&dimension=pe:202201&aggregationType=MEDIAN',
      );
      assert.equal(bad.status, 400);
      assert.match(bad.text, /MEDIAN/);
    });

    it('rounds to decimals and names units and items by the scheme asked', async () => {
      const q = 'dimension=dx:VISITS_PER_BED&dimension=pe:202201&dimension=ou:001';
      assert.equal((await grid(q)).rows[0]!.value, String(Math.round((25 / 27) * 1e6) / 1e6));
      assert.equal((await grid(`${q}&decimals=2`)).rows[0]!.value, '0.93');
      assert.equal((await grid(`${q}&decimals=0`)).rows[0]!.value, '1');
      const named = await grid(`${q}&outputOrgUnitIdScheme=NAME`);
      assert.match(named.rows[0]!.ou!, /Ba Đình/);
      const items = named.json.metaData.items as Record<string, { name: string }>;
      assert.ok(items[named.rows[0]!.ou!], 'the unit named in the items too');
      // Items asked by uid are answered by uid; by code when the scheme says so.
      const byUid = await grid('dimension=dx:Visits00001&dimension=pe:202201&filter=ou:001');
      assert.equal(byUid.rows[0]!.dx, 'Visits00001');
      const byCode = await grid(
        'dimension=dx:Visits00001&dimension=pe:202201&filter=ou:001&outputIdScheme=CODE',
      );
      assert.equal(byCode.rows[0]!.dx, 'VISITS');
      assert.equal((await admin.get(`/api/analytics?${q}&decimals=abc`)).status, 400);
    });

    it('answers rawData (stored values, each at its unit and day) and dataValueSet forms', async () => {
      for (const path of ['/api/analytics/rawData', '/api/41/analytics/rawData.json']) {
        const r = await admin.get(`${path}?dimension=dx:VISITS,pe:202201,ou:001&dimension=co`);
        assert.equal(r.status, 200, r.text);
        const json = r.json as Grid;
        assert.deepEqual(
          json.headers.map((h) => h.name),
          ['dx', 'co', 'pe', 'ou', 'value'],
        );
        assert.deepEqual(json.rows, [
          ['VISITS', 'OLD', '20220103', '00001', '4'],
          ['VISITS', 'YOUNG', '20220103', '00001', '10'],
          ['VISITS', 'YOUNG', '20220104', '00001', '7'],
          ['VISITS', 'OLD', '20220104', '00004', '1'],
          ['VISITS', 'YOUNG', '20220105', '00004', '3'],
        ]);
      }
      const indicator = await admin.get(
        '/api/analytics/rawData?dimension=dx:VISITS_PER_BED&dimension=pe:202201&dimension=ou:001',
      );
      assert.equal(indicator.status, 400);
      const set = await admin.get(
        '/api/analytics/dataValueSet.json?dimension=dx:VISITS;BEDS&dimension=pe:202201&dimension=ou:001',
      );
      assert.equal(set.status, 200, set.text);
      assert.deepEqual((set.json as { dataValues: Record<string, string>[] }).dataValues, [
        { dataElement: 'VISITS', period: '202201', orgUnit: '001', value: '25' },
        { dataElement: 'BEDS', period: '202201', orgUnit: '001', value: '27' },
      ]);
      // Another unit's scope is refused, as for the grid.
      await t.services.auth.createUser('system', {
        username: 'hcm-viewer-raw',
        password: 'Viewer-pw-1234',
        role: 'viewer',
        scope: { version: '2022', code: '79' },
      });
      const viewer = ApiClient.for(t.services);
      await viewer.login('hcm-viewer-raw', 'Viewer-pw-1234');
      const out = await viewer.get(
        '/api/analytics/rawData?dimension=dx:VISITS&dimension=pe:202201&dimension=ou:001',
      );
      assert.equal(out.status, 403, out.text);
      const own = await viewer.get(
        '/api/analytics/rawData?dimension=dx:VISITS&dimension=pe:202201&dimension=ou:USER_ORGUNIT',
      );
      assert.equal(own.status, 200, own.text);
      assert.deepEqual((own.json as Grid).rows, [], 'nothing of Hà Nội under Hồ Chí Minh City');
    });
  });
}
