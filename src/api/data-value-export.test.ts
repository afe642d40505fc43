import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { actionsOfRole, type Actor } from '../domain/access.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

// Loaded where used: before the fix there was no such function, and the API checks ran first.
const cli = () => import('../cli/export.ts');

/**
 * Exports past the old silent cap of 1,000,000 values, a limit only when asked (and said), and
 * CSV cells a spreadsheet would run neutralised.
 */

const metadata = {
  dataElements: [
    {
      code: 'EXPORT_BIG',
      nameVi: 'Giá trị xuất nhiều',
      nameEn: 'Many exported values',
      sector: 'it',
      valueType: 'integer',
      aggTime: 'sum',
    },
    {
      code: 'EXPORT_LIM',
      nameVi: 'Giá trị có giới hạn',
      nameEn: 'Limited values',
      sector: 'it',
      valueType: 'integer',
      aggTime: 'sum',
    },
    {
      code: 'EXPORT_NUM',
      nameVi: 'Số có dấu',
      nameEn: 'Signed number',
      sector: 'it',
      valueType: 'number',
      aggTime: 'sum',
    },
    {
      code: 'EXPORT_TEXT',
      nameVi: 'Ghi chú',
      nameEn: 'Note',
      sector: 'it',
      valueType: 'text',
      aggTime: 'last',
    },
  ],
};

const ADMIN: Actor = {
  kind: 'user',
  id: 'test',
  name: 'test',
  role: 'admin',
  permissions: actionsOfRole('admin'),
  scope: { version: '2022', code: 'VN', path: '/VN/' },
};

/**
 * More than the old cap on the server engine. On PGlite a million values take minutes to make
 * and read, so it exports fewer, over many pages (the CLI with pages of 500 rows): the same
 * code, with nothing in it that counts to a cap.
 */
const manyOn = (engine: string) => (engine === 'postgres' ? 1_000_123 : 33_000);

/** Lines in a body, counted as the bytes arrive (the body is never held whole). */
async function countLines(body: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of body) {
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  }
  return n;
}

for (const engine of testEngines()) {
  describe(`data value export on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let basic: string;
    const get = (path: string) =>
      admin.app.request(path, { headers: { authorization: basic } }) as Promise<Response>;
    const send = async (path: string, body: string, type: string) => {
      const res = await admin.app.request(path, {
        method: 'POST',
        headers: { 'content-type': type, authorization: basic },
        body,
      });
      return { status: res.status, json: await res.json() };
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
      const r = await admin.post('/api/metadata', metadata);
      assert.equal(r.status, 200, JSON.stringify(r.json));
    });
    after(() => t.close());

    it(`exports all ${manyOn(engine)} values${engine === 'postgres' ? ', past the old cap of 1,000,000,' : ''} through the API and the CLI`, async () => {
      const MANY = manyOn(engine);
      // Generated in SQL: 100 days × the units of the 2022 tree, cut at MANY.
      await sql`insert into period (pid, type, start_date, end_date)
        select to_char(d, 'YYYY-MM-DD'), 'day', d::date, d::date
        from generate_series('2021-01-01'::date, '2021-04-10'::date, '1 day') d
        on conflict (pid) do nothing`.execute(t.database.db);
      await sql`insert into data_value (unit_id, element_id, period_id, option_id, attribute_id,
          value, text_value, stored_by)
        select u.id, e.id, p.id, o.id, a.id, 7, '7', 'test'
        from org_unit u
        cross join period p
        cross join (select id from data_element where code = 'EXPORT_BIG') e
        cross join (select id from breakdown_option where code = 'default') o
        cross join (select id from attribute_option where code = 'default') a
        where u.version = '2022' and p.pid between '2021-01-01' and '2021-04-10'
        limit ${MANY}`.execute(t.database.db);
      const stored = await sql<{ n: number }>`select count(*)::int as n from data_value`.execute(
        t.database.db,
      );
      assert.equal(stored.rows[0]!.n, MANY);

      const res = await get('/api/dataValueSets?format=csv&dataElement=EXPORT_BIG');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('opsroom-limit'), null, 'no limit was asked');
      assert.equal(
        await countLines(res.body as unknown as AsyncIterable<Uint8Array>),
        MANY + 1,
        'every value and the header line',
      );

      const file = join(tmpdir(), `opsroom-export-test-${process.pid}-${engine}.csv`);
      try {
        const out = createWriteStream(file);
        const r = await (
          await cli()
        ).exportToStream(
          t.services,
          ADMIN,
          {
            format: 'csv',
            dataElements: ['EXPORT_BIG'],
            pageSize: engine === 'postgres' ? undefined : 500,
          },
          out,
        );
        assert.equal(r.count, MANY);
        assert.equal(r.truncated, false);
        assert.equal(await countLines(createReadStream(file)), MANY + 1);
      } finally {
        rmSync(file, { force: true });
      }
    });

    it('applies a limit only when asked, and says so (header, JSON field, CLI message)', async () => {
      const six = {
        dataValues: [1, 2, 3, 4, 5, 6].map((d) => ({
          dataElement: 'EXPORT_LIM',
          period: `2022-05-0${d}`,
          orgUnit: '26740',
          value: String(d),
        })),
      };
      const imported = await send(
        '/api/dataValueSets?version=2022',
        JSON.stringify(six),
        'application/json',
      );
      assert.equal(imported.json.response.importCount.imported, 6, JSON.stringify(imported.json));
      const all = await get('/api/dataValueSets?format=json&dataElement=EXPORT_LIM');
      assert.equal(all.headers.get('opsroom-limit'), null);
      assert.deepEqual(Object.keys((await all.json()) as object), ['dataValues'], 'DHIS2 shape');
      const res = await get('/api/dataValueSets?format=json&dataElement=EXPORT_LIM&limit=5');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('opsroom-limit'), '5');
      const json = (await res.json()) as {
        dataValues: unknown[];
        limit: number;
        truncated: boolean;
      };
      assert.equal(json.dataValues.length, 5);
      assert.equal(json.limit, 5);
      assert.equal(json.truncated, true, 'more values match than the limit');

      const csv = await get('/api/dataValueSets?format=csv&dataElement=EXPORT_LIM&limit=3');
      assert.equal(csv.headers.get('opsroom-limit'), '3');
      assert.equal((await csv.text()).trimEnd().split('\n').length, 4);

      const bad = await get('/api/dataValueSets?format=csv&limit=abc');
      assert.equal(bad.status, 400);
      assert.equal(
        ((await bad.json()) as { error: { code: string } }).error.code,
        'validation_failed',
      );

      const chunks: Buffer[] = [];
      const sink = new Writable({
        write(c: Buffer, _e, done) {
          chunks.push(c);
          done();
        },
      });
      const r = await (
        await cli()
      ).exportToStream(
        t.services,
        ADMIN,
        { format: 'csv', dataElements: ['EXPORT_LIM'], limit: 2 },
        sink,
      );
      assert.deepEqual([r.count, r.limit, r.truncated], [2, 2, true]);
      assert.equal(Buffer.concat(chunks).toString().trimEnd().split('\n').length, 3);
    });

    it('neutralises spreadsheet formulas in CSV, keeps numbers, and -5 imports back as -5', async () => {
      const body = {
        dataValues: [
          {
            dataElement: 'EXPORT_NUM',
            period: '2022-03-01',
            orgUnit: '26740',
            value: '-5',
            comment: '=HYPERLINK("http://x","y")',
          },
          { dataElement: 'EXPORT_NUM', period: '2022-03-02', orgUnit: '26740', value: '-1.5e3' },
          { dataElement: 'EXPORT_TEXT', period: '2022-03-01', orgUnit: '26740', value: '+1' },
          { dataElement: 'EXPORT_TEXT', period: '2022-03-02', orgUnit: '26740', value: '@SUM(1)' },
          { dataElement: 'EXPORT_TEXT', period: '2022-03-03', orgUnit: '26740', value: '-x' },
        ],
      };
      const imported = await send(
        '/api/dataValueSets?version=2022',
        JSON.stringify(body),
        'application/json',
      );
      assert.equal(imported.status, 200, JSON.stringify(imported.json));
      assert.equal(imported.json.response.importCount.imported, 5, JSON.stringify(imported.json));

      const res = await get(
        '/api/dataValueSets?format=csv&dataElement=EXPORT_NUM&dataElement=EXPORT_TEXT&version=2022',
      );
      const text = await res.text();
      const lines = text.trimEnd().split('\n');
      const byPeriod = (element: string, period: string) =>
        lines.find((l) => l.startsWith(`${element},${period},`))!;
      const num = byPeriod('EXPORT_NUM', '20220301');
      assert.ok(num.includes(',-5,'), num);
      assert.ok(num.includes(`"'=HYPERLINK(""http://x"",""y"")"`), num);
      assert.ok(!/,=HYPERLINK/.test(text), 'no cell starts with =');
      assert.ok(byPeriod('EXPORT_NUM', '20220302').includes(',-1.5e3,'));
      assert.ok(byPeriod('EXPORT_TEXT', '20220301').includes(",'+1,"));
      assert.ok(byPeriod('EXPORT_TEXT', '20220302').includes(",'@SUM(1),"));
      assert.ok(byPeriod('EXPORT_TEXT', '20220303').includes(",'-x,"));

      // The numbers go back in unchanged: -5 stays -5.
      await sql`delete from data_value where element_id = (select id from data_element where code = 'EXPORT_NUM')`.execute(
        t.database.db,
      );
      const again = await send(
        '/api/dataValueSets?version=2022',
        [lines[0], num].join('\n'),
        'text/csv',
      );
      assert.equal(again.status, 200, JSON.stringify(again.json));
      const json = (await (
        await get('/api/dataValueSets?format=json&dataElement=EXPORT_NUM&version=2022')
      ).json()) as { dataValues: { value: string }[] };
      assert.deepEqual(
        json.dataValues.map((v) => v.value),
        ['-5'],
      );
    });
  });
}
