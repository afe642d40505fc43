import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * The five real DHIS2 files of data/dhis2-fixtures (from dhis2-core's integration tests; BSD-3,
 * see its README) imported unchanged through the API, in JSON, CSV and DXF2 XML, after the org
 * units and data elements they name were created through the API with DHIS2's uids.
 */

const FIXTURES = new URL('../../data/dhis2-fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/**
 * A three-level tree, version 2012 (in force 2012-01-01 until the 2022 tree starts), holding
 * every unit the fixtures name:
 *
 *   01 ouabcdefghA ─┬─ 001 ouabcdefghB ── 00001 ouabcdefghD
 *                   └─ 002 ouabcdefghC ── 00002 ouabcdefghE
 *   02 DiszpKrYNg8 ─── 003 BdfsJfj87js
 */
const units2012 = {
  dataset: 'DHIS2 test units (dhis2-core integration tests), as a dated tree',
  validFrom: '2012-01-01',
  validUntil: null,
  units: [
    ['01', 'province', 1, null, 'tinh', 'Tỉnh A', 'ouabcdefghA'],
    ['001', 'district', 2, '01', 'huyen', 'Huyện B', 'ouabcdefghB'],
    ['002', 'district', 2, '01', 'huyen', 'Huyện C', 'ouabcdefghC'],
    ['00001', 'commune', 3, '001', 'xa', 'Xã D', 'ouabcdefghD'],
    ['00002', 'commune', 3, '002', 'xa', 'Xã E', 'ouabcdefghE'],
    ['02', 'province', 1, null, 'tinh', 'Tỉnh DiszpKrYNg8', 'DiszpKrYNg8'],
    ['003', 'district', 2, '02', 'huyen', 'Huyện BdfsJfj87js', 'BdfsJfj87js'],
  ].map(([code, kind, level, parent, type, name, uid]) => ({
    code,
    kind,
    level,
    parent,
    type,
    name,
    fullName: name,
    uid,
  })),
};

const element = (
  code: string,
  uid: string,
  valueType: 'integer' | 'boolean' | 'text' | 'date',
) => ({
  code,
  uid,
  nameVi: `Chỉ tiêu thử ${code}`,
  nameEn: `Test element ${code}`,
  sector: 'other' as const,
  valueType,
  aggTime: valueType === 'integer' ? ('sum' as const) : ('last' as const),
});

/**
 * Value types read from the files: the B/J sets hold counts; the boolean test file's two
 * elements are booleans (DHIS2's test makes jH26dja2f31 TRUE_ONLY, a type Opsroom does not
 * have); dataValues.csv has counts for A–E, booleans for F, the text "abc" for G and the date
 * 2017-01-01 for H.
 */
const metadata = {
  dataElements: [
    element('DE_A', 'f7n9E0hX8qk', 'integer'),
    element('DE_B', 'Ix2HsbDMLea', 'integer'),
    element('DE_C', 'eY5ehpbEsB7', 'integer'),
    element('DE_F_BOOL', 'jH26dja2f30', 'boolean'),
    element('DE_G_BOOL', 'jH26dja2f31', 'boolean'),
    element('CSV_A', 'deabcdefghA', 'integer'),
    element('CSV_B', 'deabcdefghB', 'integer'),
    element('CSV_C', 'deabcdefghC', 'integer'),
    element('CSV_D', 'deabcdefghD', 'integer'),
    element('CSV_E', 'deabcdefghE', 'integer'),
    element('CSV_F_BOOL', 'deabcdefghF', 'boolean'),
    element('CSV_G_TEXT', 'deabcdefghG', 'text'),
    element('CSV_H_DATE', 'deabcdefghH', 'date'),
  ],
};

const counts = (imported: number, updated: number, ignored: number, deleted: number) => ({
  imported,
  updated,
  ignored,
  deleted,
});

interface Summary {
  status: string;
  importCount: ReturnType<typeof counts>;
  conflicts: { errorCode: string; property: string; object: string; indexes: number[] }[];
  rejectedIndexes: number[];
}

for (const engine of testEngines()) {
  describe(`DHIS2's own fixture files on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let basic: string;

    /** POSTs a raw file as a DHIS2 client would: Basic auth, no session, no CSRF header. */
    const send = async (file: string, type: string, path = '/api/dataValueSets') => {
      const res = await admin.app.request(path, {
        method: 'POST',
        headers: { 'content-type': type, authorization: basic },
        body: fixture(file),
      });
      const json = (await res.json()) as { status: string; response: Summary };
      assert.equal(res.status, 200, JSON.stringify(json));
      return json.response;
    };
    const exportAs = async (format: 'json' | 'csv' | 'xml', query: string) => {
      const res = await admin.app.request(
        `/api/dataValueSets?${query}&version=2012&format=${format}`,
        { headers: { authorization: basic } },
      );
      assert.equal(res.status, 200);
      return res.text();
    };
    const exportJson = async (query: string) =>
      (JSON.parse(await exportAs('json', query)) as { dataValues: Record<string, string>[] })
        .dataValues;
    /** Each exported value as "period orgUnit value". */
    const rows = async (query: string) =>
      (await exportJson(query)).map((v) => `${v.period} ${v.orgUnit} ${v.value}`);

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    });
    after(() => t.close());

    it('creates the units the fixtures name as a dated tree, through the API', async () => {
      const r = await admin.post('/api/orgunits/import?version=2012', units2012);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.units, 8, 'seven units and the nation above them');
      const a = await admin.get('/api/orgunits/00001?version=2012');
      assert.equal(a.status, 200);
      assert.equal(a.json.path, '/VN/01/001/00001/');
    });

    it('creates the data elements with the fixtures’ uids, through the API', async () => {
      const r = await admin.post('/api/metadata', metadata);
      assert.equal(r.status, 200, JSON.stringify(r.json));
    });

    it('dataValueSetB.xml (DXF2 XML): imports all 12 values', async () => {
      const r = await send('dataValueSetB.xml', 'application/xml');
      assert.equal(r.status, 'SUCCESS');
      assert.deepEqual(r.importCount, counts(12, 0, 0, 0));
      assert.deepEqual(r.conflicts, []);
      assert.deepEqual(await rows('dataElement=f7n9E0hX8qk'), [
        '201201 003 10002',
        '201201 02 10001',
        '201202 003 10004',
        '201202 02 10003',
      ]);
    });

    it('dataValueSetB.xml again, at DHIS2’s versioned path: nothing changes, all 12 ignored', async () => {
      const r = await send('dataValueSetB.xml', 'application/xml', '/api/40/dataValueSets');
      assert.equal(r.status, 'SUCCESS');
      assert.deepEqual(r.importCount, counts(0, 0, 12, 0));
    });

    it('dataValueSetBNewDeleted.xml after it: 4 deleted, 6 unchanged ignored, 2 new', async () => {
      // Rows 0–3 (f7n9E0hX8qk) and 8–9 (eY5ehpbEsB7, 201201) repeat dataValueSetB.xml exactly:
      // ignored. Rows 4–7 (Ix2HsbDMLea) carry deleted="true": deleted. Rows 10–11 are
      // eY5ehpbEsB7 in 201203, a period B did not have: imported. (DHIS2 ≤ 2.37 counted the six
      // unchanged rows as updated; 2.38–2.42 ignore them, as here.)
      const r = await send('dataValueSetBNewDeleted.xml', 'text/xml');
      assert.equal(r.status, 'SUCCESS');
      assert.deepEqual(r.importCount, counts(2, 0, 6, 4));
      assert.deepEqual(await rows('dataElement=Ix2HsbDMLea'), []);
      assert.deepEqual(await rows('dataElement=DE_C'), [
        '201201 003 10010',
        '201201 02 10009',
        '201202 003 10012',
        '201202 02 10011',
        '201203 003 10012',
        '201203 02 10011',
      ]);
      const again = await send('dataValueSetBNewDeleted.xml', 'application/xml');
      assert.deepEqual(
        again.importCount,
        counts(0, 0, 12, 0),
        'deleting what is already gone is ignored',
      );
    });

    it('dataValueSetJ.json (minimal JSON): updates the one value B gave 10001 to 10', async () => {
      const r = await send('dataValueSetJ.json', 'application/json');
      assert.equal(r.status, 'SUCCESS');
      assert.deepEqual(r.importCount, counts(0, 1, 0, 0));
      assert.deepEqual(await rows('dataElement=DE_A&period=201201&orgUnit=DiszpKrYNg8'), [
        '201201 02 10',
      ]);
      const again = await send('dataValueSetJ.json', 'application/json');
      assert.deepEqual(again.importCount, counts(0, 0, 1, 0));
    });

    it('dataValueSetBooleanTest.csv: normalises true/True/t/T/1 and false/False/f/F/0, rejects the rest', async () => {
      // 18 rows; "test" (rows 10 and 17) and "not true" (row 11) are no booleans. DHIS2's own
      // test, where jH26dja2f31 is TRUE_ONLY, also rejects "false" in row 16.
      const r = await send('dataValueSetBooleanTest.csv', 'text/csv');
      assert.equal(r.status, 'WARNING');
      assert.deepEqual(r.importCount, counts(15, 0, 3, 0));
      assert.deepEqual(r.rejectedIndexes, [10, 11, 17]);
      assert.deepEqual(
        r.conflicts
          .flatMap((c) => c.indexes.map((i) => `${i} ${c.errorCode} ${c.property}`))
          .sort(),
        ['10 E7619 value', '11 E7619 value', '17 E7619 value'],
      );
      assert.deepEqual(await rows('dataElement=jH26dja2f30'), [
        '201201 02 true',
        '201202 02 true',
        '201203 02 false',
        '201204 02 false',
        '201205 02 false',
        '201206 02 false',
        '201207 02 true',
        '201208 02 true',
        '201209 003 true',
        '201210 02 false',
      ]);
      assert.deepEqual(
        (await exportJson('dataElement=DE_G_BOOL')).map((v) => v.value),
        ['true', 'true', 'true', 'true', 'false'],
      );
      const uids = await exportJson('dataElement=DE_G_BOOL&idScheme=UID');
      assert.deepEqual(
        [
          uids[0]!.dataElement,
          uids[0]!.orgUnit,
          uids[0]!.categoryOptionCombo,
          uids[0]!.attributeOptionCombo,
        ],
        ['jH26dja2f31', 'DiszpKrYNg8', 'HllvX50cXC0', 'xYerKDKCefk'],
        'idScheme=UID exports DHIS2 uids, as DHIS2 does by default',
      );
      const again = await send('dataValueSetBooleanTest.csv', 'application/csv');
      assert.equal(again.status, 'WARNING');
      assert.deepEqual(again.importCount, counts(0, 0, 18, 0), '15 unchanged + 3 rejected');
    });

    it('dataValues.csv (quoted, padded header; 2017-01 periods): imports all 32 over the three-level tree', async () => {
      const r = await send('dataValues.csv', 'application/csv');
      assert.equal(r.status, 'SUCCESS', JSON.stringify(r.conflicts));
      assert.deepEqual(r.importCount, counts(32, 0, 0, 0));
      const again = await send('dataValues.csv', 'text/csv', '/api/40/dataValueSets');
      assert.deepEqual(again.importCount, counts(0, 0, 32, 0));

      assert.deepEqual(await rows('dataElement=deabcdefghA'), [
        '201701 00001 66',
        '201701 00002 1',
        '201701 001 1',
        '201701 002 5',
        '201701 01 2',
        '201702 00001 233',
      ]);
      assert.deepEqual(
        await rows('dataElement=CSV_A&orgUnit=ouabcdefghB&children=true'),
        ['201701 00001 66', '201701 001 1', '201702 00001 233'],
        'B and the commune D under it',
      );
      assert.deepEqual(
        await rows('dataElement=CSV_D&period=201701&orgUnit=ouabcdefghC&children=true'),
        ['201701 00002 32', '201701 002 4'],
      );
      assert.deepEqual(
        await rows('dataElement=CSV_F_BOOL&dataElement=CSV_G_TEXT&dataElement=CSV_H_DATE'),
        [
          '201701 01 true',
          '201702 01 false',
          '201703 01 true',
          '201701 01 abc',
          '201701 01 2017-01-01',
        ],
      );
      assert.equal(
        (await exportJson('startDate=2017-01-01&endDate=2017-12-31')).length,
        32,
        'every value of the file, and nothing else, is in 2017',
      );
    });

    it('exports the imported values as CSV and DXF2 XML too', async () => {
      const csv = await exportAs('csv', 'dataElement=deabcdefghE');
      const lines = csv.trim().split('\n');
      assert.match(lines[0]!, /^dataelement,period,orgunit,categoryoptioncombo,/);
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(',').slice(0, 6).join(',')),
        [
          'CSV_E,201705,01,default,default,1',
          'CSV_E,201706,01,default,default,2',
          'CSV_E,201707,01,default,default,4',
        ],
      );
      const xml = await exportAs('xml', 'dataElement=jH26dja2f31&period=201305');
      assert.match(xml, /<dataValueSet xmlns="http:\/\/dhis2\.org\/schema\/dxf\/2\.0">/);
      assert.match(
        xml,
        /<dataValue dataElement="DE_G_BOOL" period="201305" orgUnit="02" [^>]*value="false"/,
      );
      assert.equal(xml.match(/<dataValue /g)?.length, 1);
    });
  });
}
