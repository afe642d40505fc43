import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { actionsOfRole } from '../domain/access.ts';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';

/**
 * A large import loads the values of periods never seen before into a partition of their own
 * (COPY, then its key, then attached): the result must be the same as the ordinary path's.
 */
for (const engine of testEngines()) {
  describe(`bulk load of new periods on ${engine}`, () => {
    let t: TestDb;
    let dir: string;
    let communes: { code: string; province: string }[];
    const ELEMENTS = ['BULK_A', 'BULK_B'];
    const DAYS = ['2022-03-01', '2022-03-02', '2022-03-03'];
    const valueOf = (d: number, e: number, u: number) => ((d * 7 + e * 3 + u * 13) % 97) + 1;

    const csv = (name: string, lines: string[]) => {
      const file = join(dir, name);
      writeFileSync(file, ['dataelement,period,orgunit,value', ...lines].join('\n') + '\n');
      return file;
    };
    const total = async (unit: string, element: string, period: string) => {
      const r = await t.services.analytics.query(
        {
          kind: 'user',
          id: 'a',
          name: 'a',
          role: 'admin',
          permissions: actionsOfRole('admin'),
          scope: ROOT,
        },
        { dx: [element], pe: [period], ou: [unit], version: '2022' },
      );
      return r.cells[0]?.value ?? null;
    };

    before(async () => {
      t = await openTestDb(engine);
      dir = mkdtempSync(join(tmpdir(), 'opsroom-bulk-'));
      await t.services.metadata.apply('system', {
        dataElements: [
          ...ELEMENTS.map((code) => ({
            code,
            nameVi: code,
            nameEn: code,
            sector: 'other' as const,
            valueType: 'integer' as const,
            aggTime: 'sum' as const,
          })),
          ...(
            [
              ['BULK_ZI', 'integer'],
              ['BULK_FLAG', 'boolean'],
            ] as const
          ).map(([code, valueType]) => ({
            code,
            nameVi: code,
            nameEn: code,
            sector: 'other' as const,
            valueType,
            aggTime: 'sum' as const,
            zeroSignificant: false,
          })),
        ],
      });
      communes = (
        await sql<{ code: string; province: string }>`
          select u.code, split_part(u.path, '/', 3) as province from org_unit u
          where u.version = '2022' and u.level = 3 and u.path like '/VN/79/%' order by u.code`.execute(
          t.database.db,
        )
      ).rows;
      assert.ok(communes.length > 100);
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await t.close();
    });

    it('loads new periods into a partition of their own, with the same totals', async () => {
      const lines: string[] = [];
      DAYS.forEach((day, d) =>
        ELEMENTS.forEach((el, e) =>
          communes.forEach((c, u) => lines.push(`${el},${day},${c.code},${valueOf(d, e, u)}`)),
        ),
      );
      const summary = await t.services.dataValues.importFile('system', csv('a.csv', lines), {
        atomic: true,
        bulk: 'always',
      });
      assert.equal(summary.status, 'SUCCESS');
      assert.equal(summary.importCount.imported, lines.length);
      const parts = await sql<{ name: string; n: number }>`
        select c.relname as name, (select count(*) from data_value_b1073741824)::int as n
        from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'data_value'::regclass and c.relname = 'data_value_b1073741824'`.execute(
        t.database.db,
      );
      assert.deepEqual(parts.rows, [{ name: 'data_value_b1073741824', n: lines.length }]);
      const expected = communes.reduce((s, _c, u) => s + valueOf(1, 0, u), 0);
      assert.equal(await total('VN', 'BULK_A', DAYS[1]!), expected);
      assert.equal(await total('79', 'BULK_A', DAYS[1]!), expected);
      assert.equal(await total(communes[5]!.code, 'BULK_A', DAYS[1]!), valueOf(1, 0, 5));
      assert.equal(
        await total('VN', 'BULK_B', '2022-03'),
        DAYS.reduce((s, _d, d) => s + communes.reduce((x, _c, u) => x + valueOf(d, 1, u), 0), 0),
      );
    });

    it('ignores the same file sent again, through the ordinary path', async () => {
      const lines = communes.map((c, u) => `BULK_A,${DAYS[0]},${c.code},${valueOf(0, 0, u)}`);
      const summary = await t.services.dataValues.importFile('system', csv('b.csv', lines), {
        atomic: true,
        bulk: 'always',
      });
      assert.deepEqual(summary.importCount, {
        imported: 0,
        updated: 0,
        ignored: lines.length,
        deleted: 0,
      });
    });

    it('mixes new periods (bulk) with updates of stored ones, and keeps the history', async () => {
      const lines = [
        `BULK_A,2022-03-04,${communes[0]!.code},5`,
        `BULK_A,${DAYS[0]},${communes[0]!.code},1000`,
      ];
      const before = await total('VN', 'BULK_A', DAYS[0]!);
      const summary = await t.services.dataValues.importFile('system', csv('c.csv', lines), {
        atomic: true,
        bulk: 'always',
      });
      assert.deepEqual(summary.importCount, { imported: 1, updated: 1, ignored: 0, deleted: 0 });
      assert.equal(await total('VN', 'BULK_A', DAYS[0]!), before! - valueOf(0, 0, 0) + 1000);
      assert.equal(await total('79', 'BULK_A', '2022-03-04'), 5);
      const h = await sql<{ change: string; before_value: string; after_value: string }>`
        select change, before_value, after_value from data_value_history`.execute(t.database.db);
      assert.deepEqual(h.rows, [
        { change: 'update', before_value: String(valueOf(0, 0, 0)), after_value: '1000' },
      ]);
    });

    it('reads a file as people write it: BOM, CRLF, spaces, comments, quotes, bad rows', async () => {
      const [c0, c1, c2, c3, c4] = communes.map((c) => c.code);
      const file = join(dir, 'mixed.csv');
      writeFileSync(
        file,
        '\ufeff' +
          [
            'dataelement, period, orgunit, value, comment',
            `BULK_A, 2022-05-01, ${c0}, 7,`,
            `BULK_A,2022-05-01,${c1},8,ghi chú`,
            `BULK_A,2022-05-01,NOPE,9,`,
            `BULK_A,2022-05-01,${c2},9.5,`,
            `BULK_A,2022-05-01,${c3},0,`,
            '',
            `BULK_B,2022-05-01,${c0},+12,`,
            `BULK_A,2022-05-01,${c4},"1,5",`,
            `BULK_A,2022-05-02,${c0},3,"hai ""dòng""`,
            `tiếp"`,
            `BULK_A,2022-05-02,${c1},4,`,
          ].join('\r\n') +
          '\r\n',
      );
      const summary = await t.services.dataValues.importFile('system', file, {
        atomic: false,
        bulk: 'always',
      });
      assert.deepEqual(
        summary.conflicts.map((c) => [c.index, c.line, c.errorCode, c.value]),
        [
          [2, 4, 'E7612', 'NOPE'],
          [3, 5, 'E7619', '9.5'],
          [6, 9, 'E7619', '1,5'],
        ],
      );
      // 7, 8 (commented), 0 (zero is significant by default), 12, and 3, 4 after the quoted,
      // two-line comment.
      assert.deepEqual(summary.importCount, { imported: 6, updated: 0, ignored: 3, deleted: 0 });
      const stored = await sql<{
        unit: string;
        element: string;
        day: string;
        text: string;
        comment: string | null;
      }>`
        select u.code as unit, e.code as element, p.pid as day, d.text_value as text, d.comment
        from data_value d join org_unit u on u.id = d.unit_id join data_element e on e.id = d.element_id
        join period p on p.id = d.period_id where p.pid like '2022-05-%'
        order by p.pid, e.code, u.code`.execute(t.database.db);
      assert.deepEqual(stored.rows, [
        { unit: c0, element: 'BULK_A', day: '2022-05-01', text: '7', comment: null },
        { unit: c1, element: 'BULK_A', day: '2022-05-01', text: '8', comment: 'ghi chú' },
        { unit: c3, element: 'BULK_A', day: '2022-05-01', text: '0', comment: null },
        { unit: c0, element: 'BULK_B', day: '2022-05-01', text: '+12', comment: null },
        {
          unit: c0,
          element: 'BULK_A',
          day: '2022-05-02',
          text: '3',
          comment: 'hai "dòng"\r\ntiếp',
        },
        { unit: c1, element: 'BULK_A', day: '2022-05-02', text: '4', comment: null },
      ]);
      assert.equal(await total('VN', 'BULK_A', '2022-05-01'), 15);
      assert.equal(await total('VN', 'BULK_B', '2022-05-01'), 12);
      assert.equal(await total('79', 'BULK_A', '2022-05'), 22);
    });

    it('refuses a bulk file holding a key twice, naming the first row, and keeps nothing', async () => {
      const [c0, c1] = communes.map((c) => c.code);
      const lines = [
        `BULK_A,2022-06-01,${c0},1`,
        `BULK_A,2022-06-01,${c1},2`,
        `BULK_A,2022-06-01,${c0},3`,
      ];
      const summary = await t.services.dataValues.importFile('system', csv('dup.csv', lines), {
        atomic: false,
        bulk: 'always',
      });
      assert.equal(summary.status, 'ERROR');
      assert.deepEqual(
        summary.conflicts.map((c) => [c.index, c.errorCode, c.reason.en]),
        [[2, 'E8128', 'Same key as row 0: the same element, period, unit, option and attribute']],
      );
      assert.equal(await total('VN', 'BULK_A', '2022-06-01'), null);
    });

    it('reports a key given twice along with other errors of a refused bulk load', async () => {
      const [c0, c1] = communes.map((c) => c.code);
      const lines = [
        `BULK_A,2022-08-01,${c0},1`,
        `BULK_A,2022-08-01,NOPE,2`,
        `BULK_A,2022-08-01,${c1},3`,
        `BULK_A,2022-08-01,${c0},4`,
      ];
      const summary = await t.services.dataValues.importFile('system', csv('both.csv', lines), {
        atomic: true,
        bulk: 'always',
      });
      assert.equal(summary.status, 'ERROR');
      assert.deepEqual(
        summary.conflicts.map((c) => [c.index, c.errorCode]),
        [
          [1, 'E7612'],
          [3, 'E8128'],
        ],
      );
    });

    it('leaves no empty partition when nothing of a bulk load is kept', async () => {
      const partitions = async () =>
        (
          await sql<{ n: number }>`
            select count(*)::int as n from pg_inherits where inhparent = 'data_value'::regclass`.execute(
            t.database.db,
          )
        ).rows[0]!.n;
      const before = await partitions();
      const summary = await t.services.dataValues.importFile(
        'system',
        csv('none.csv', ['BULK_A,2022-09-01,NOPE,1', 'NOPE,2022-09-01,NOPE,1']),
        { atomic: false, bulk: 'always' },
      );
      assert.equal(summary.importCount.imported, 0);
      assert.equal(summary.conflicts.length, 2);
      assert.equal(await partitions(), before);
    });

    it("keeps a bulk load within the caller's scope", async () => {
      const outside = (
        await sql<{ code: string }>`
          select code from org_unit where version = '2022' and level = 3 and path like '/VN/01/%'
          order by code limit 1`.execute(t.database.db)
      ).rows[0]!.code;
      const officer = {
        kind: 'user' as const,
        id: 'hcm',
        name: 'hcm',
        role: 'admin' as const,
        permissions: actionsOfRole('admin'),
        scope: { version: '2022', code: '79', path: '/VN/79/' },
      };
      const lines = [`BULK_A,2022-07-01,${communes[0]!.code},1`, `BULK_A,2022-07-01,${outside},2`];
      const summary = await t.services.dataValues.importFile(officer, csv('scope.csv', lines), {
        atomic: false,
        bulk: 'always',
      });
      assert.deepEqual(
        summary.conflicts.map((c) => [c.index, c.errorCode, c.value]),
        [[1, 'E7617', outside]],
      );
      assert.equal(summary.importCount.imported, 1);
      assert.equal(await total('VN', 'BULK_A', '2022-07-01'), 1);
    });

    it('applies DHIS2’s rules on the bulk path too: zeros of numbers only, storedBy as given', async () => {
      const [c0, c1, c2] = communes.map((c) => c.code);
      const file = join(dir, 'rules.csv');
      writeFileSync(
        file,
        [
          'dataelement,period,orgunit,value,storedby',
          `BULK_ZI,2022-10-01,${c0},0,`,
          `BULK_ZI,2022-10-01,${c1},3,john`,
          `BULK_ZI,2022-10-01,${c2},4,`,
          `BULK_FLAG,2022-10-01,${c0},0,`,
          `BULK_FLAG,2022-10-01,${c1},false,mary`,
        ].join('\n') + '\n',
      );
      const summary = await t.services.dataValues.importFile('system', file, {
        atomic: true,
        bulk: 'always',
      });
      assert.equal(summary.status, 'SUCCESS', JSON.stringify(summary.conflicts));
      assert.deepEqual(summary.importCount, { imported: 4, updated: 0, ignored: 1, deleted: 0 });
      const stored = await sql<{
        unit: string;
        element: string;
        text: string;
        by: string;
        bulk: boolean;
      }>`
        select u.code as unit, e.code as element, d.text_value as text, d.stored_by as by,
          d.period_id >= 1073741824 as bulk
        from data_value d join org_unit u on u.id = d.unit_id join data_element e on e.id = d.element_id
        join period p on p.id = d.period_id where p.pid = '2022-10-01'
        order by e.code, u.code`.execute(t.database.db);
      assert.deepEqual(stored.rows, [
        { unit: c0, element: 'BULK_FLAG', text: 'false', by: 'system', bulk: true },
        { unit: c1, element: 'BULK_FLAG', text: 'false', by: 'mary', bulk: true },
        { unit: c1, element: 'BULK_ZI', text: '3', by: 'john', bulk: true },
        { unit: c2, element: 'BULK_ZI', text: '4', by: 'system', bulk: true },
      ]);
    });

    it('leaves nothing behind when an all-or-nothing bulk load fails', async () => {
      const blocks = async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from period_block`.execute(
            t.database.db,
          )
        ).rows[0]!.n;
      const before = await blocks();
      const lines = [`BULK_A,2022-04-01,${communes[0]!.code},5`, `BULK_A,2022-04-02,NOPE,5`];
      const summary = await t.services.dataValues.importFile('system', csv('d.csv', lines), {
        atomic: true,
        bulk: 'always',
      });
      assert.equal(summary.status, 'ERROR');
      assert.equal(await blocks(), before);
      const periods = await sql<{ n: number }>`
        select count(*)::int as n from period where pid like '2022-04-%'`.execute(t.database.db);
      assert.equal(periods.rows[0]!.n, 0);
      assert.equal(await total('VN', 'BULK_A', '2022-04-01'), null);
    });
  });
}

const ROOT = { version: '2022', code: 'VN', path: '/VN/' };
