import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { csvRows, libreOfficeConvert, SKIP_DOCUMENTS } from '../test/documents.ts';
import { ApiClient } from '../test/http.ts';

/** DHIS2's analytics.csv and analytics.xlsx (issue 19): the grid's figures, as files. */

const metadata = {
  dataElements: [
    {
      code: 'VISITS',
      nameVi: 'Lượt khám bệnh',
      nameEn: 'Visits',
      sector: 'covid',
      valueType: 'number',
      aggTime: 'sum',
    },
    {
      code: 'BEDS',
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

const at = (dataElement: string, period: string, orgUnit: string, value: number) => ({
  dataElement,
  period,
  orgUnit,
  value: String(value),
});

type Grid = { headers: { name: string }[]; rows: string[][] };

const QUERY = 'dimension=dx:VISITS;BEDS;VISITS_PER_BED&dimension=pe:202201&dimension=ou:001;002';

for (const engine of testEngines()) {
  describe(`DHIS2 analytics as CSV and XLSX on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const r = await admin.post('/api/data/import', {
        dataValues: [
          at('VISITS', '20220103', '00001', 10),
          at('VISITS', '20220104', '00004', 15),
          at('BEDS', '20220105', '00001', 20),
          at('BEDS', '20220104', '00004', 7),
          at('VISITS', '20220103', '00037', 1234567),
          at('BEDS', '20220103', '00037', 3),
        ],
      });
      assert.equal(r.status, 200, r.text);
    });
    after(() => t.close());

    /** The JSON grid's cells, as "dx|pe|ou" → value. */
    const jsonCells = async (query: string) => {
      const r = await admin.get(`/api/analytics?${query}`);
      assert.equal(r.status, 200, r.text);
      const g = r.json as Grid;
      assert.deepEqual(
        g.headers.map((h) => h.name),
        ['dx', 'pe', 'ou', 'value'],
      );
      return new Map(g.rows.map((x) => [x.slice(0, 3).join('|'), x[3]]));
    };

    it('writes the JSON form’s cells as CSV: a header row, one row a cell', async () => {
      const expected = await jsonCells(QUERY);
      assert.ok(expected.size >= 5, `cells: ${[...expected.keys()].join(', ')}`);
      const r = await admin.download(`/api/analytics.csv?${QUERY}`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(r.headers.get('content-disposition') ?? '', /^attachment/);
      const [head, ...rows] = csvRows(new TextDecoder().decode(r.bytes));
      // DHIS2's columns, in English unless Vietnamese is asked for.
      assert.deepEqual(head, ['Data', 'Period', 'Organisation unit', 'Value']);
      assert.deepEqual(
        new Map(rows.map((x) => [x.slice(0, 3).join('|'), x[3]])),
        expected,
        'the same cells and values as /api/analytics',
      );
      // The same through DHIS2's versioned path.
      const v = await admin.download(`/api/41/analytics.csv?${QUERY}`);
      assert.equal(v.status, 200);
      assert.deepEqual(v.bytes, r.bytes);
    });

    it('names figures, periods and units in Vietnamese with outputIdScheme=NAME and lang=vi', async () => {
      const r = await admin.download(
        `/api/analytics.csv?dimension=dx:VISITS&dimension=pe:202201&dimension=ou:001&outputIdScheme=NAME&lang=vi`,
      );
      assert.equal(r.status, 200);
      const rows = csvRows(new TextDecoder().decode(r.bytes));
      assert.deepEqual(rows[0], ['Chỉ tiêu', 'Kỳ', 'Đơn vị', 'Giá trị']);
      assert.equal(rows.length, 2);
      const [dx, pe, ou, value] = rows[1]!;
      assert.equal(dx, 'Lượt khám bệnh');
      assert.match(pe!, /2022/);
      assert.notEqual(pe, '202201', 'the period by name');
      assert.match(ou!, /Ba Đình/);
      assert.equal(value, '25');
    });

    it(
      'writes an XLSX that LibreOffice reads back: heading, numbers as numbers, diacritics intact',
      { skip: SKIP_DOCUMENTS },
      async () => {
        const expected = await jsonCells(QUERY);
        const r = await admin.download(`/api/analytics.xlsx?${QUERY}&lang=vi`);
        assert.equal(r.status, 200);
        assert.equal(
          r.headers.get('content-type'),
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        );
        // The same question gives the same bytes (the zip's times are the period's, not now).
        const again = await admin.download(`/api/analytics.xlsx?${QUERY}&lang=vi`);
        assert.deepEqual(again.bytes, r.bytes);
        // Values unformatted (as stored, not as shown), UTF-8, ';' between fields.
        const files = await libreOfficeConvert(
          r.bytes,
          'a.xlsx',
          'csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false',
        );
        const rows = csvRows([...files.values()][0]!.toString('utf8'), ';');
        assert.match(rows[0]![0]!, /^Chỉ tiêu: Lượt khám bệnh; Giường bệnh; Lượt khám mỗi giường/);
        assert.match(rows[1]![0]!, /^Kỳ: /);
        assert.match(rows[2]![0]!, /^Đơn vị: .*Ba Đình/);
        const headAt = rows.findIndex((x) => x[0] === 'Chỉ tiêu');
        assert.deepEqual(rows[headAt]!.slice(0, 4), ['Chỉ tiêu', 'Kỳ', 'Đơn vị', 'Giá trị']);
        const cells = rows.slice(headAt + 1).filter((x) => x[0]);
        assert.equal(cells.length, expected.size);
        for (const x of cells) {
          const want = expected.get(x.slice(0, 3).join('|'));
          assert.ok(want !== undefined, `a cell of the JSON form: ${x.join('|')}`);
          // A decimal comes back with the vi-VN comma (the cell's number format names the locale).
          assert.equal(Number(x[3]!.replace(',', '.')), Number(want), `${x.join('|')}`);
        }
        assert.ok(
          cells.some((x) => x[3] === '1234567'),
          'a large number written as a number, without separators',
        );
      },
    );

    it('refuses a unit outside the caller’s scope as the JSON form does', async () => {
      await t.services.auth.createUser('system', {
        username: 'hcm-viewer-export',
        password: 'Viewer-pw-1234',
        role: 'viewer',
        scope: { version: '2022', code: '79' },
      });
      const viewer = ApiClient.for(t.services);
      await viewer.login('hcm-viewer-export', 'Viewer-pw-1234');
      const q = 'dimension=dx:VISITS&dimension=pe:202201&dimension=ou:001';
      const asJson = await viewer.get(`/api/analytics?${q}`);
      assert.equal(asJson.status, 403);
      for (const format of ['csv', 'xlsx']) {
        const r = await viewer.get(`/api/analytics.${format}?${q}`);
        assert.equal(r.status, 403, `${format}: ${r.text}`);
        assert.equal(r.text, asJson.text, `${format}: the same refusal`);
        assert.doesNotMatch(r.text, /Lượt khám|25/);
      }
    });

    it('refuses a dimension it does not know with a clear error', async () => {
      for (const format of ['csv', 'xlsx']) {
        const r = await admin.get(
          `/api/analytics.${format}?dimension=dx:VISITS&dimension=pe:202201&dimension=zz:1&lang=vi`,
        );
        assert.equal(r.status, 400, r.text);
        assert.match((r.json as { message: string }).message, /Chiều "zz" chưa được hỗ trợ/);
        const en = await admin.get(
          `/api/analytics.${format}?dimension=dx:VISITS&dimension=pe:202201&dimension=zz:1`,
        );
        assert.match((en.json as { message: string }).message, /Dimension "zz" is not supported/);
        const unknown = await admin.get(
          `/api/analytics.${format}?dimension=dx:NO_SUCH&dimension=pe:202201&dimension=ou:001`,
        );
        assert.ok(unknown.status >= 400 && unknown.status < 500, unknown.text);
      }
    });
  });
}
