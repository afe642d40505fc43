import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
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
  attributeOptions: [
    { code: 'NCSC', nameVi: 'Trung tâm Giám sát an toàn không gian mạng', nameEn: 'NCSC' },
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
      code: 'CASES_TRACED',
      nameVi: 'Số ca truy vết',
      nameEn: 'Cases traced',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
    },
    {
      code: 'SPAM_REPORTS',
      nameVi: 'Số phản ánh tin nhắn rác',
      nameEn: 'Spam reports',
      sector: 'security',
      valueType: 'integer',
      aggTime: 'sum',
    },
    {
      code: 'ONLINE_L4_PCT',
      nameVi: 'Tỷ lệ DVC mức độ 4',
      nameEn: 'Level-4 share',
      sector: 'it',
      valueType: 'percentage',
      aggTime: 'last',
    },
  ],
  dataSets: [
    {
      code: 'COMMUNE_DAILY',
      nameVi: 'Báo cáo ngày cấp xã',
      nameEn: 'Commune daily',
      periodType: 'day',
      version: '2025',
      level: 2,
      expiryDays: 30,
      elements: ['SPAM_REPORTS'],
    },
  ],
};

for (const engine of testEngines()) {
  describe(`data value import on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let basic: string;
    const send = async (
      path: string,
      body: string | Uint8Array,
      type = 'application/json',
      auth = basic,
    ) => {
      const res = await admin.app.request(path, {
        method: 'POST',
        headers: { 'content-type': type, authorization: auth },
        body: body as BodyInit,
      });
      return { status: res.status, json: await res.json() };
    };
    const exportJson = async (query: string) => {
      const res = await admin.app.request(`/api/dataValueSets?${query}`, {
        headers: { authorization: basic },
      });
      return (await res.json()) as { dataValues: Record<string, string>[] };
    };
    const rollup = async (code: string, version: string, element: string) =>
      (
        await sql<{
          sum: number;
          n: number;
        }>`select coalesce(sum(r.sum), 0)::float as sum, coalesce(sum(r.n), 0)::int as n
          from data_value_total r join org_unit u on u.id = r.unit_id join data_element e on e.id = r.element_id
          where u.version = ${version} and u.code = ${code} and e.code = ${element}`.execute(
          t.database.db,
        )
      ).rows[0]!;

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
      const r = await admin.post('/api/metadata', metadata);
      assert.equal(r.status, 200, JSON.stringify(r.json));
    });
    after(() => t.close());

    const january = {
      dataSet: 'MIC_MONTHLY',
      period: '2022-01',
      orgUnit: 'VN',
      dataValues: [
        { dataElement: 'CYBERATTACKS', categoryOptionCombo: 'PHISHING', value: '197' },
        { dataElement: 'CYBERATTACKS', categoryOptionCombo: 'DEFACE', value: '125' },
        {
          dataElement: 'CYBERATTACKS',
          categoryOptionCombo: 'MALWARE',
          value: '1061',
          comment: 'mã độc',
        },
      ],
    };

    it('imports a JSON data value set and answers with DHIS2’s import summary', async () => {
      const r = await send('/api/dataValueSets', JSON.stringify(january));
      assert.equal(r.status, 200);
      assert.equal(r.json.response.responseType, 'ImportSummary');
      assert.equal(r.json.response.status, 'SUCCESS');
      assert.deepEqual(r.json.response.importCount, {
        imported: 3,
        updated: 0,
        ignored: 0,
        deleted: 0,
      });
      assert.equal((await rollup('VN', '2022', 'CYBERATTACKS')).sum, 1383);
    });

    it('changes nothing when the same file comes again: every row is ignored', async () => {
      const r = await send('/api/dataValueSets', JSON.stringify(january));
      assert.deepEqual(r.json.response.importCount, {
        imported: 0,
        updated: 0,
        ignored: 3,
        deleted: 0,
      });
      // A creation is the value row itself (created_at, stored_by); history holds later changes.
      const history = await sql<{
        n: number;
      }>`select count(*)::int as n from data_value_history`.execute(t.database.db);
      assert.equal(history.rows[0]!.n, 0);
    });

    it('updates a changed value, keeps its history and moves the roll-ups by the difference', async () => {
      const changed = {
        ...january,
        dataValues: [
          { dataElement: 'CYBERATTACKS', categoryOptionCombo: 'PHISHING', value: '200' },
        ],
      };
      const r = await send('/api/dataValueSets', JSON.stringify(changed));
      assert.deepEqual(r.json.response.importCount, {
        imported: 0,
        updated: 1,
        ignored: 0,
        deleted: 0,
      });
      assert.equal((await rollup('VN', '2022', 'CYBERATTACKS')).sum, 1386);
      const h = await sql<{ change: string; before_value: string; after_value: string }>`
        select change, before_value, after_value from data_value_history order by id desc limit 1`.execute(
        t.database.db,
      );
      assert.deepEqual(h.rows[0], { change: 'update', before_value: '197', after_value: '200' });
    });

    it('imports good rows and reports each bad one with its index, field, value and reason (DHIS2 default)', async () => {
      const body = {
        dataValues: [
          { dataElement: 'CASES_TRACED', period: '2022-01-20', orgUnit: '26740', value: '12' },
          { dataElement: 'NOPE', period: '2022-01-20', orgUnit: '26740', value: '1' },
          { dataElement: 'CASES_TRACED', period: '2022-13', orgUnit: '26740', value: '1' },
          { dataElement: 'CASES_TRACED', period: '2021-W53', orgUnit: '26740', value: '1' },
          { dataElement: 'CASES_TRACED', period: '2022-01-20', orgUnit: '99999', value: '1' },
          {
            dataElement: 'CASES_TRACED',
            period: '2022-01-21',
            orgUnit: '26740',
            value: 'mười hai',
          },
          {
            dataElement: 'CYBERATTACKS',
            period: '2022-01',
            orgUnit: 'VN',
            categoryOptionCombo: 'NOT_AN_OPTION',
            value: '1',
          },
          { dataElement: 'ONLINE_L4_PCT', period: '2022-01', orgUnit: 'VN', value: '120' },
        ],
      };
      const r = await send('/api/dataValueSets', JSON.stringify(body));
      assert.equal(r.status, 200);
      assert.equal(r.json.response.status, 'WARNING');
      assert.deepEqual(r.json.response.importCount, {
        imported: 1,
        updated: 0,
        ignored: 7,
        deleted: 0,
      });
      assert.deepEqual(r.json.response.rejectedIndexes, [1, 2, 3, 4, 5, 6, 7]);
      const byIndex = Object.fromEntries(
        r.json.response.conflicts.flatMap(
          (c: { errorCode: string; rows: { index: number; field: string; value: string }[] }) =>
            c.rows.map((row) => [row.index, `${c.errorCode} ${row.field}=${row.value}`]),
        ),
      );
      assert.deepEqual(byIndex, {
        1: 'E7610 dataElement=NOPE',
        2: 'E7611 period=2022-13',
        3: 'E7611 period=2021-W53',
        4: 'E7612 orgUnit=99999',
        5: 'E7619 value=mười hai',
        6: 'E7613 categoryOptionCombo=NOT_AN_OPTION',
        7: 'E7619 value=120',
      });
      const week = r.json.response.conflicts.find(
        (c: { object: string }) => c.object === '2021-W53',
      );
      assert.match(week.value, /52 tuần/);
    });

    it('refuses everything with atomic=true when one row is bad', async () => {
      const body = {
        dataValues: [
          { dataElement: 'CASES_TRACED', period: '2022-01-22', orgUnit: '26740', value: '5' },
          { dataElement: 'CASES_TRACED', period: '2022-01-23', orgUnit: '26740', value: 'x' },
        ],
      };
      const r = await send('/api/dataValueSets?atomic=true', JSON.stringify(body));
      assert.equal(r.status, 409);
      assert.equal(r.json.response.status, 'ERROR');
      assert.equal(r.json.response.importCount.imported, 0);
      const own = await send('/api/data/import', JSON.stringify(body));
      assert.equal(own.status, 409, 'Opsroom’s own import is all or nothing by default');
      const values = await exportJson(
        'dataElement=CASES_TRACED&startDate=2022-01-22&endDate=2022-01-23&version=2022',
      );
      assert.equal(values.dataValues.length, 0);
    });

    it('lands a value on the unit of the tree in force at its period', async () => {
      const body = {
        dataValues: [
          { dataElement: 'CASES_TRACED', period: '2022-02-01', orgUnit: '26740', value: '3' },
          { dataElement: 'CASES_TRACED', period: '2026-02-01', orgUnit: '26740', value: '4' },
        ],
      };
      const r = await send('/api/dataValueSets', JSON.stringify(body));
      assert.equal(r.json.response.importCount.imported, 2);
      assert.equal(
        (await rollup('760', '2022', 'CASES_TRACED')).sum,
        15,
        'Bến Nghé, Quận 1 in 2022: 12 + 3',
      );
      assert.equal(
        (await rollup('79', '2025', 'CASES_TRACED')).sum,
        4,
        'Phường Sài Gòn, Hồ Chí Minh City in 2025',
      );
    });

    it('reads CSV as people write it: header by name, spaces after commas, quoted fields', async () => {
      const csv = [
        'orgUnit, period, dataElement, value, comment',
        '26740, 2022-03-01, CASES_TRACED, 7, "ghi chú, có dấu phẩy"',
        '"26743", 20220302, CASES_TRACED, "8", ',
      ].join('\n');
      const r = await send('/api/dataValueSets', csv, 'text/csv');
      assert.deepEqual(r.json.response.importCount, {
        imported: 2,
        updated: 0,
        ignored: 0,
        deleted: 0,
      });
      const values = await exportJson(
        'dataElement=CASES_TRACED&startDate=2022-03-01&endDate=2022-03-02&orgUnit=760&children=true&version=2022',
      );
      assert.deepEqual(
        values.dataValues.map((v) => [v.orgUnit, v.period, v.value, v.comment]),
        [
          ['26740', '20220301', '7', 'ghi chú, có dấu phẩy'],
          ['26743', '20220302', '8', undefined],
        ],
      );
    });

    it('refuses a non-UTF-8 or truncated file whole', async () => {
      const latin1 = new Uint8Array([
        ...Buffer.from('dataelement,period,orgunit,value\nCASES_TRACED,20220304,26740,'),
        0xe9,
        0x0a,
      ]);
      const r = await send('/api/dataValueSets', latin1, 'text/csv');
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'file_invalid');
      assert.match(r.json.error.message, /UTF-8/);
      const truncated = await send('/api/dataValueSets', JSON.stringify(january).slice(0, 80));
      assert.equal(truncated.json.error.code, 'file_invalid');
      const xml = await send(
        '/api/dataValueSets',
        '<dataValueSet><dataValue dataElement="CASES_TRACED"',
        'application/xml',
      );
      assert.equal(xml.json.error.code, 'file_invalid');
    });

    it('removes values with deleted=true', async () => {
      const del = {
        dataValues: [
          { dataElement: 'CASES_TRACED', period: '2022-03-01', orgUnit: '26740', deleted: true },
        ],
      };
      const r = await send('/api/dataValueSets', JSON.stringify(del));
      assert.deepEqual(r.json.response.importCount, {
        imported: 0,
        updated: 0,
        ignored: 0,
        deleted: 1,
      });
      assert.equal((await rollup('760', '2022', 'CASES_TRACED')).sum, 23, '12 + 3 + 8 remain');
    });

    it('refuses a write to a locked period, and a unit outside a token’s scope', async () => {
      const old = {
        dataValues: [
          { dataElement: 'SPAM_REPORTS', period: '2025-08-01', orgUnit: '26740', value: '1' },
        ],
      };
      const r = await send('/api/dataValueSets', JSON.stringify(old));
      assert.equal(
        r.json.response.conflicts[0].errorCode,
        'E7641',
        'the data set locks 30 days after the period',
      );
      const token = await admin.post('/api/tokens', {
        name: 'hcm',
        scope: { version: '2025', code: '79' },
        permissions: ['data.write', 'data.read'],
      });
      const auth = `Bearer ${token.json.token}`;
      const body = {
        dataValues: [
          { dataElement: 'CASES_TRACED', period: '2026-11-20', orgUnit: '26740', value: '2' },
          { dataElement: 'CASES_TRACED', period: '2026-11-20', orgUnit: '00004', value: '2' },
        ],
      };
      const scoped = await send(
        '/api/dataValueSets',
        JSON.stringify(body),
        'application/json',
        auth,
      );
      assert.equal(scoped.json.response.importCount.imported, 1);
      assert.equal(scoped.json.response.conflicts[0].errorCode, 'E7620');
      assert.equal(scoped.json.response.conflicts[0].object, '00004');
    });

    it('exports what it imported, and the export imports back unchanged (JSON, CSV, XML)', async () => {
      for (const format of ['json', 'csv', 'xml'] as const) {
        const res = await admin.app.request(`/api/dataValueSets?format=${format}&version=2022`, {
          headers: { authorization: basic },
        });
        const text = await res.text();
        const type = { json: 'application/json', csv: 'text/csv', xml: 'application/xml' }[format];
        const r = await send('/api/dataValueSets?version=2022', text, type);
        assert.equal(r.status, 200, `${format}: ${JSON.stringify(r.json)}`);
        const c = r.json.response.importCount;
        assert.ok(c.ignored > 0, format);
        assert.deepEqual(
          [c.imported, c.updated, c.deleted, r.json.response.conflicts.length],
          [0, 0, 0, 0],
          `${format}: ${text.slice(0, 300)}`,
        );
      }
    });

    it('checks and counts a dry run without writing', async () => {
      const body = {
        dataValues: [
          { dataElement: 'CASES_TRACED', period: '2022-04-01', orgUnit: '26740', value: '9' },
        ],
      };
      const r = await send('/api/dataValueSets?dryRun=true', JSON.stringify(body));
      assert.equal(r.json.response.importCount.imported, 1);
      assert.equal(
        (await exportJson('dataElement=CASES_TRACED&period=20220401&version=2022')).dataValues
          .length,
        0,
      );
    });
  });
}
