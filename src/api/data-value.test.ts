import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    {
      // Named by the imports below: their values are checked against it (period type, element, unit).
      code: 'MIC_MONTHLY',
      nameVi: 'Báo cáo tháng của Bộ TT&TT',
      nameEn: 'MIC monthly',
      periodType: 'month',
      version: '2025',
      level: 0,
      elements: ['CYBERATTACKS'],
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
        'E7640',
        'the data set locks 30 days after the period (DHIS2: past expiry days)',
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
      assert.equal(
        scoped.json.response.conflicts[0].errorCode,
        'E7617',
        'DHIS2: unit not in the hierarchy of the user',
      );
      assert.equal(scoped.json.response.conflicts[0].object, '00004');
    });

    it('exports what it imported, and the export imports back unchanged (JSON, CSV, XML, ADX)', async () => {
      for (const format of ['json', 'csv', 'xml', 'adx'] as const) {
        const res = await admin.app.request(`/api/dataValueSets?format=${format}&version=2022`, {
          headers: { authorization: basic },
        });
        const text = await res.text();
        const type = {
          json: 'application/json',
          csv: 'text/csv',
          xml: 'application/xml',
          adx: 'application/adx+xml',
        }[format];
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

/**
 * Values exchanged as DHIS2 exchanges them (issue 14): its value types and zero significance,
 * its default combos, the file's storedBy, units read in the tree of each period on export,
 * and ADX.
 */
const dhis2Metadata = {
  breakdowns: [
    {
      code: 'SEX',
      uid: 'sexxxxxxxxx',
      nameVi: 'Giới tính',
      nameEn: 'Sex',
      options: [
        { code: 'F', uid: 'FFFFFFFFFFF', nameVi: 'Nữ', nameEn: 'Female' },
        { code: 'M', uid: 'MMMMMMMMMMM', nameVi: 'Nam', nameEn: 'Male' },
      ],
    },
  ],
  attributeOptions: [{ code: 'PARTNER', uid: 'partnerAAAA', nameVi: 'Đối tác', nameEn: 'Partner' }],
  dataElements: [
    ['BOOL_ZI', 'boolean', 'last'],
    ['TICK', 'true_only', 'last'],
    ['COUNT_ZI', 'integer', 'sum'],
    ['AVG_ZI', 'number', 'average'],
    ['NOTE_TEXT', 'text', 'last'],
  ]
    .map(([code, valueType, aggTime]) => ({
      code: code!,
      nameVi: `Chỉ tiêu ${code}`,
      nameEn: `Element ${code}`,
      sector: 'other',
      valueType,
      aggTime,
      // As DHIS2's test metadata has it (createDataElement): zeros not significant.
      zeroSignificant: false,
    }))
    .concat([
      {
        code: 'BY_SEX',
        nameVi: 'Số người theo giới tính',
        nameEn: 'People by sex',
        sector: 'other',
        valueType: 'integer',
        aggTime: 'sum',
        zeroSignificant: false,
        breakdown: 'SEX',
      } as never,
    ]),
};

for (const engine of testEngines()) {
  describe(`data values as DHIS2 exchanges them on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let basic: string;
    const send = async (body: string, type = 'application/json', query = '') => {
      const res = await admin.app.request(`/api/dataValueSets${query}`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: basic },
        body,
      });
      return { status: res.status, json: await res.json() };
    };
    const get = async (query: string, headers: Record<string, string> = {}) =>
      admin.app.request(`/api/dataValueSets?${query}`, {
        headers: { authorization: basic, ...headers },
      });
    const exported = async (query: string) =>
      ((await (await get(query)).json()) as { dataValues: Record<string, string>[] }).dataValues;
    const values = async (query: string) =>
      (await exported(query)).map((v) => `${v.period} ${v.orgUnit} ${v.value}`);
    const rows = (dataValues: Record<string, string>[]) => JSON.stringify({ dataValues });
    const conflictsOf = (r: { json: { response: { conflicts: unknown[] } } }) =>
      (
        r.json.response.conflicts as {
          errorCode: string;
          rows: { index: number; field: string }[];
        }[]
      ).flatMap((c) => c.rows.map((x) => `${x.index} ${c.errorCode} ${x.field}`));

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
      const r = await admin.post('/api/metadata', dhis2Metadata);
      assert.equal(r.status, 200, JSON.stringify(r.json));
    });
    after(() => t.close());

    it('keeps a boolean false or 0 whatever the zero significance; TRUE_ONLY takes only true', async () => {
      const r = await send(
        rows([
          { dataElement: 'BOOL_ZI', period: '202201', orgUnit: 'VN', value: 'false' },
          { dataElement: 'BOOL_ZI', period: '202202', orgUnit: 'VN', value: '0' },
          { dataElement: 'TICK', period: '202201', orgUnit: 'VN', value: 'true' },
          { dataElement: 'TICK', period: '202202', orgUnit: 'VN', value: '1' },
          { dataElement: 'TICK', period: '202203', orgUnit: 'VN', value: 'false' },
        ]),
      );
      assert.equal(r.json.response.status, 'WARNING');
      assert.deepEqual(r.json.response.importCount, {
        imported: 4,
        updated: 0,
        ignored: 1,
        deleted: 0,
      });
      assert.deepEqual(conflictsOf(r), ['4 E7619 value']);
      assert.deepEqual(await values('dataElement=BOOL_ZI'), ['202201 VN false', '202202 VN false']);
      assert.deepEqual(await values('dataElement=TICK'), ['202201 VN true', '202202 VN true']);
    });

    it('does not store zeros of numeric elements whose zeros are not significant, as DHIS2 2.42', async () => {
      const stored = await send(
        rows([
          { dataElement: 'COUNT_ZI', period: '202201', orgUnit: 'VN', value: '5' },
          { dataElement: 'COUNT_ZI', period: '202203', orgUnit: 'VN', value: '7' },
        ]),
      );
      assert.equal(stored.json.response.importCount.imported, 2);
      const zeros = await send(
        rows([
          // A zero for a stored value removes it (DHIS2 deletes it: counted deleted) …
          { dataElement: 'COUNT_ZI', period: '202201', orgUnit: 'VN', value: '0' },
          // … a new zero is not stored (ignored) …
          { dataElement: 'COUNT_ZI', period: '202202', orgUnit: 'VN', value: '0' },
          // … and an averaged element keeps its zeros (they count in the average).
          { dataElement: 'AVG_ZI', period: '202201', orgUnit: 'VN', value: '0' },
        ]),
      );
      assert.equal(zeros.json.response.status, 'SUCCESS');
      assert.deepEqual(zeros.json.response.importCount, {
        imported: 1,
        updated: 0,
        ignored: 1,
        deleted: 1,
      });
      assert.deepEqual(await values('dataElement=COUNT_ZI'), ['202203 VN 7']);
      assert.deepEqual(await values('dataElement=AVG_ZI'), ['202201 VN 0']);
      const create = await send(
        rows([{ dataElement: 'COUNT_ZI', period: '202203', orgUnit: 'VN', value: '0' }]),
        'application/json',
        '?importStrategy=CREATE',
      );
      assert.deepEqual(
        create.json.response.importCount,
        { imported: 0, updated: 0, ignored: 1, deleted: 0 },
        'CREATE leaves a stored value alone',
      );
      assert.deepEqual(await values('dataElement=COUNT_ZI'), ['202203 VN 7']);
    });

    it('reads DHIS2’s default combo HllvX50cXC0 (or "default") as no breakdown and no attribute, and writes it', async () => {
      const r = await send(
        rows([
          {
            dataElement: 'COUNT_ZI',
            period: '202204',
            orgUnit: 'VN',
            categoryOptionCombo: 'HllvX50cXC0',
            attributeOptionCombo: 'HllvX50cXC0',
            value: '4',
          },
          {
            dataElement: 'COUNT_ZI',
            period: '202205',
            orgUnit: 'VN',
            categoryOptionCombo: 'default',
            attributeOptionCombo: 'default',
            value: '5',
          },
          // Opsroom's exports before migration 0011 named the default attribute so.
          {
            dataElement: 'COUNT_ZI',
            period: '202206',
            orgUnit: 'VN',
            attributeOptionCombo: 'xYerKDKCefk',
            value: '6',
          },
          {
            dataElement: 'BY_SEX',
            period: '202204',
            orgUnit: 'VN',
            categoryOptionCombo: 'FFFFFFFFFFF',
            attributeOptionCombo: 'partnerAAAA',
            value: '9',
          },
        ]),
      );
      assert.deepEqual(r.json.response.conflicts, []);
      assert.equal(r.json.response.importCount.imported, 4);
      const uids = await exported(
        'dataElement=COUNT_ZI&dataElement=BY_SEX&period=202204&idScheme=UID',
      );
      assert.deepEqual(
        uids.map((v) => [v.dataElement, v.categoryOptionCombo, v.attributeOptionCombo]),
        [
          ['BY_SEX', 'FFFFFFFFFFF', 'partnerAAAA'],
          ['COUNT_ZI', 'HllvX50cXC0', 'HllvX50cXC0'],
        ],
        'the default combo’s uid for both, as DHIS2 writes them',
      );
    });

    it('keeps the storedBy the file gives; the history and the audit name the importer', async () => {
      const r = await send(
        rows([
          {
            dataElement: 'COUNT_ZI',
            period: '202207',
            orgUnit: 'VN',
            value: '1',
            storedBy: 'john',
          },
          { dataElement: 'COUNT_ZI', period: '202208', orgUnit: 'VN', value: '2' },
          {
            dataElement: 'COUNT_ZI',
            period: '202209',
            orgUnit: 'VN',
            value: '3',
            storedBy: 'x'.repeat(256),
          },
        ]),
      );
      assert.deepEqual(conflictsOf(r), ['2 E7637 storedBy']);
      const by = async () =>
        (await exported('dataElement=COUNT_ZI&startDate=2022-07-01&endDate=2022-08-31')).map(
          (v) => `${v.period} ${v.storedBy}`,
        );
      assert.deepEqual(await by(), ['202207 john', '202208 admin']);
      const csv = [
        'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby',
        'COUNT_ZI,202207,VN,,,10,mary',
      ].join('\n');
      const update = await send(csv, 'text/csv');
      assert.equal(update.json.response.importCount.updated, 1);
      assert.deepEqual(await by(), ['202207 mary', '202208 admin']);
      const history = await sql<{ changed_by: string; after_value: string }>`
        select changed_by, after_value from data_value_history order by id desc limit 1`.execute(
        t.database.db,
      );
      assert.deepEqual(history.rows[0], { changed_by: 'admin', after_value: '10' });
      const audit = await sql<{ actor_name: string }>`
        select actor_name from audit_event where action = 'data.import' order by id desc limit 1`.execute(
        t.database.db,
      );
      assert.equal(audit.rows[0]!.actor_name, 'admin');
    });

    it('reads the units asked for in the tree in force at each period on export, as imports do', async () => {
      const r = await send(
        rows([
          { dataElement: 'COUNT_ZI', period: '20220301', orgUnit: '26740', value: '11' },
          { dataElement: 'COUNT_ZI', period: '20260301', orgUnit: '26740', value: '12' },
        ]),
      );
      assert.equal(r.json.response.importCount.imported, 2);
      // District 760 (Quận 1) is in the 2022 tree only: read there for 2022's periods.
      assert.deepEqual(
        await values('dataElement=COUNT_ZI&orgUnit=760&children=true&period=20220301'),
        ['20220301 26740 11'],
      );
      // 79 is in every tree: each value under the unit of its own period's tree.
      assert.deepEqual(
        await values(
          'dataElement=COUNT_ZI&orgUnit=79&children=true&startDate=2022-03-01&endDate=2026-03-31',
        ),
        ['20220301 26740 11', '20260301 26740 12'],
      );
      // Naming a tree still reads that tree only.
      assert.deepEqual(
        await values(
          'dataElement=COUNT_ZI&orgUnit=26740&version=2022&startDate=2022-01-01&endDate=2026-12-31',
        ),
        ['20220301 26740 11'],
      );
      const unknown = await get('dataElement=COUNT_ZI&orgUnit=99999');
      assert.equal(unknown.status, 404);
    });

    it('imports and exports ADX (application/adx+xml): ISO 8601 periods, the breakdown as a category, text in <annotation>', async () => {
      const adx = `<adx xmlns="urn:ihe:qrph:adx:2015">
  <group period="2023-01-01/P1M" orgUnit="VN">
    <dataValue dataElement="BY_SEX" SEX="F" value="3"/>
    <dataValue dataElement="BY_SEX" categoryOptionCombo="MMMMMMMMMMM" value="4"/>
    <dataValue dataElement="NOTE_TEXT" value="0"><annotation>ghi chú &amp; số</annotation></dataValue>
  </group>
  <group period="2023-01-01/P3M" orgUnit="VN" attributeOptionCombo="PARTNER">
    <dataValue dataElement="COUNT_ZI" value="8" storedBy="adx-client"/>
  </group>
</adx>`;
      const r = await send(adx, 'application/adx+xml');
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.deepEqual(r.json.response.conflicts, []);
      assert.equal(r.json.response.importCount.imported, 4);
      assert.deepEqual(
        (
          await exported(
            'dataElement=BY_SEX&dataElement=NOTE_TEXT&dataElement=COUNT_ZI&startDate=2023-01-01&endDate=2023-03-31',
          )
        ).map(
          (v) =>
            `${v.dataElement} ${v.period} ${v.categoryOptionCombo} ${v.attributeOptionCombo} ${v.value} ${v.storedBy}`,
        ),
        [
          'BY_SEX 202301 F default 3 admin',
          'BY_SEX 202301 M default 4 admin',
          'COUNT_ZI 2023Q1 default PARTNER 8 adx-client',
          'NOTE_TEXT 202301 default default ghi chú & số admin',
        ],
      );
      const res = await get(
        'dataElement=BY_SEX&dataElement=NOTE_TEXT&dataElement=COUNT_ZI&startDate=2023-01-01&endDate=2023-03-31',
        { accept: 'application/adx+xml' },
      );
      assert.match(res.headers.get('content-type')!, /^application\/adx\+xml/);
      const text = await res.text();
      assert.match(text, /<adx xmlns="urn:ihe:qrph:adx:2015">/);
      assert.match(text, /<group period="2023-01-01\/P1M" orgUnit="VN">/);
      assert.match(
        text,
        /<group period="2023-01-01\/P3M" orgUnit="VN" attributeOptionCombo="PARTNER">/,
      );
      assert.match(text, /<dataValue dataElement="BY_SEX" categoryOptionCombo="F" value="3"\/>/);
      assert.match(
        text,
        /<dataValue dataElement="NOTE_TEXT" value="0"><annotation>ghi chú &amp; số<\/annotation><\/dataValue>/,
      );
      const again = await send(text, 'application/adx+xml');
      assert.deepEqual(again.json.response.importCount, {
        imported: 0,
        updated: 0,
        ignored: 4,
        deleted: 0,
      });
      const dtd = await send(
        '<!DOCTYPE adx [<!ENTITY x "y">]><adx xmlns="urn:ihe:qrph:adx:2015"/>',
        'application/adx+xml',
      );
      assert.equal(dtd.status, 400);
      assert.equal(dtd.json.error.code, 'file_invalid');
    });

    it('imports an .adx.xml file by its name (the CLI’s way)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'opsroom-adx-'));
      const file = join(dir, 'values.adx.xml');
      writeFileSync(
        file,
        '<adx xmlns="urn:ihe:qrph:adx:2015"><group period="2023-02-01/P1M" orgUnit="VN"><dataValue dataElement="COUNT_ZI" value="21"/></group></adx>',
      );
      try {
        const s = await t.services.dataValues.importFile('system', file, { atomic: true });
        assert.equal(s.status, 'SUCCESS', JSON.stringify(s.conflicts));
        assert.equal(s.importCount.imported, 1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      assert.deepEqual(await values('dataElement=COUNT_ZI&period=202302'), ['202302 VN 21']);
    });
  });
}
