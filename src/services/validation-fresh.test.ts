/**
 * Validation rules over a bulk load (issue 17): in periods new to the database the rules are
 * evaluated from the import's own sums (FreshCells), not read back from the database. The
 * results must be those of the ordinary path, which reads every total through analytics: the
 * same file imported both ways into two databases gives the same stored violations, rule by
 * rule (commune, district, province and nation; day and month; pairs; missing values; zero;
 * division; a function, which takes the ordinary path anyway).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';

const ELEMENTS = ['FR_A', 'FR_B', 'FR_C'];
const rule = (
  code: string,
  level: number,
  periodType: string,
  left: [string, string],
  operator: string,
  right: [string, string],
  importance = 'MEDIUM',
) => ({
  code,
  nameVi: code,
  nameEn: code,
  importance,
  periodType,
  levels: [level],
  operator,
  left: { expression: left[0], missingValueStrategy: left[1] },
  right: { expression: right[0], missingValueStrategy: right[1] },
});
const ANY = 'SKIP_IF_ANY_VALUE_MISSING';
const ALL = 'SKIP_IF_ALL_VALUES_MISSING';
const NEVER = 'NEVER_SKIP';
const RULES = [
  rule('FR_LE', 3, 'day', ['#{FR_A}', ANY], 'less_than_or_equal_to', ['#{FR_B}', NEVER]),
  rule('FR_PAIR', 3, 'day', ['#{FR_A}', ALL], 'compulsory_pair', ['#{FR_B}', ALL]),
  rule('FR_EXCL', 3, 'day', ['#{FR_A}', ALL], 'exclusive_pair', ['#{FR_C}', ALL]),
  rule('FR_C_SET', 3, 'day', ['#{FR_C}', NEVER], 'greater_than_or_equal_to', ['1', NEVER]),
  rule('FR_SUM', 3, 'day', ['#{FR_A} - #{FR_B} * 2', ALL], 'greater_than', ['-80', NEVER]),
  rule('FR_DISTRICT', 2, 'day', ['#{FR_A} + #{FR_B}', ALL], 'less_than_or_equal_to', [
    '700',
    NEVER,
  ]),
  rule('FR_RATIO', 0, 'day', ['#{FR_A} / #{FR_B}', ANY], 'less_than', ['1.5', NEVER]),
  rule('FR_MONTH', 1, 'month', ['#{FR_A}', ANY], 'less_than', ['1500', NEVER], 'HIGH'),
  rule('FR_WEEK', 2, 'week', ['#{FR_A}', ANY], 'less_than_or_equal_to', ['#{FR_B} * 1.6', NEVER]),
  rule('FR_YEAR', 0, 'year', ['#{FR_B}', ALL], 'exclusive_pair', ['#{FR_C}', ALL]),
  rule('FR_QUARTER', 3, 'quarter', ['#{FR_C}', NEVER], 'greater_than', ['2', NEVER]),
  rule('FR_ABS', 3, 'day', ['abs(#{FR_A} - 50)', ANY], 'less_than', ['45', NEVER]),
  rule('FR_ZERO', 3, 'day', ['#{FR_B}', ALL], 'not_equal_to', ['0', NEVER]),
];

for (const engine of testEngines()) {
  describe(`validation rules on a bulk load, from memory, on ${engine}`, () => {
    const dbs: TestDb[] = [];
    let dir: string;
    let file: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'opsroom-fresh-'));
      for (let i = 0; i < 2; i++) {
        const t = await openTestDb(engine);
        dbs.push(t);
        await t.services.metadata.apply('system', {
          dataElements: ELEMENTS.map((code) => ({
            code,
            nameVi: code,
            nameEn: code,
            sector: 'other' as const,
            valueType: 'integer' as const,
            aggTime: 'sum' as const,
          })),
        });
        for (const r of RULES) await t.services.validation.create('system', r);
      }
      const communes = (
        await sql<{ code: string }>`
          select code from org_unit
          where version = '2022' and level = 3 and path like '/VN/79/%' order by code limit 40`.execute(
          dbs[0]!.database.db,
        )
      ).rows.map((r) => r.code);
      const lines = ['dataelement,period,orgunit,value'];
      for (const day of [
        '2023-03-01',
        '2023-03-02',
        '2023-03-03',
        '2023-03-04',
        '2023-04-01',
        '2023-04-02',
      ])
        communes.forEach((c, u) => {
          const d = Number(day.slice(-1)) + Number(day.slice(5, 7));
          if (u % 7 !== 3) lines.push(`FR_A,${day},${c},${(u * 17 + d * 5) % 100}`);
          if (u % 5 !== 0) lines.push(`FR_B,${day},${c},${(u * 11 + d * 3) % 60}`);
          if (u % 4 === 1) lines.push(`FR_C,${day},${c},${u % 3}`);
        });
      // A value stored before, in March: March is not made of new periods only (its rules read
      // the database); April is.
      for (const t of dbs) {
        const r = await t.services.dataValues.import(
          'system',
          {
            values: [
              {
                index: 0,
                dataElement: 'FR_A',
                period: '2023-03-20',
                orgUnit: communes[2]!,
                value: '700',
              },
            ],
          },
          { atomic: true },
        );
        assert.equal(r.importCount.imported, 1);
      }
      file = join(dir, 'values.csv');
      writeFileSync(file, lines.join('\n') + '\n');
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      for (const t of dbs) await t.close();
    });

    const results = async (t: TestDb) =>
      (
        await sql<{
          rule: string;
          unit: string;
          period: string;
          l: number | null;
          r: number | null;
        }>`
          select v.code as rule, u.code as unit, x.period, x.left_value as l, x.right_value as r
          from validation_result x
          join validation_rule v on v.id = x.rule_id
          join org_unit u on u.id = x.unit_id
          order by 1, 2, 3`.execute(t.database.db)
      ).rows.map((x) => `${x.rule} ${x.unit} ${x.period} ${x.l} ${x.r}`);

    it('stores the same violations as the ordinary path', async () => {
      const [bulk, ordinary] = dbs as [TestDb, TestDb];
      const timings: Record<string, number> = {};
      const a = await bulk.services.dataValues.importFile('system', file, {
        atomic: true,
        bulk: 'always',
        timings,
      });
      const b = await ordinary.services.dataValues.importFile('system', file, {
        atomic: true,
        bulk: 'never',
      });
      assert.equal(a.importCount.imported, b.importCount.imported);
      assert.ok(a.importCount.imported > 300);
      // The bulk path wrote a block of new periods: the rules read its sums.
      const blocks = await sql<{ n: number }>`select count(*)::int as n from period_block`.execute(
        bulk.database.db,
      );
      assert.equal(blocks.rows[0]!.n, 1);
      const fast = await results(bulk);
      const slow = await results(ordinary);
      assert.deepEqual(fast, slow);
      for (const r of RULES)
        assert.ok(
          slow.some((x) => x.startsWith(`${r.code} `)),
          `${r.code} is broken somewhere in the file`,
        );
      assert.equal(a.validation?.violations, b.validation?.violations);
      assert.equal(a.validation?.high, b.validation?.high);
    });
  });
}
