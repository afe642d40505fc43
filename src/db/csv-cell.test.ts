import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { formatDataValueSet } from '../domain/data-value-set.ts';
import { safeCell } from '../domain/spreadsheet.ts';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import {
  csvCellSql,
  csvCellsSql,
  csvJoinSql,
  isoTimeSql,
  jsNumberSql,
  safeCellSql,
} from './csv-cell.sql.ts';

/**
 * The spreadsheet rule and CSV cells written by PostgreSQL (the server's CSV export) agree with
 * the TypeScript ones, text by text.
 */

const TRICKY = [
  '',
  'plain',
  '=1+2',
  '=HYPERLINK("http://x","y")',
  '+1',
  '+',
  '-',
  '-5',
  '-1.5e3',
  '-.5',
  '-5.',
  '-1e',
  '-1e+5',
  '-0x10',
  '- 5',
  '-5 ',
  '-x',
  '@SUM(1)',
  '@',
  '\tTAB',
  '\t',
  '\r',
  '\rCR',
  'x\r',
  'a\nb',
  'line\r\nbreak',
  'a,b',
  'say "hi"',
  '"',
  '""',
  ' lead',
  'trail ',
  ' ',
  '\u00a0nbsp',
  'nbsp\u00a0',
  '\u3000ideographic',
  'zwnbsp\ufeff',
  '\u2028ls',
  '\u200bzero width',
  'x\u200b',
  "'quoted",
  '1.5',
  '12',
  '.5',
  '١٢', // Arabic-Indic digits: not a plain number anywhere
  '-١٢',
  'Tiếng Việt, có dấu',
  '=Tiếng',
  '\\back\\slash',
  'a\tb',
  '\f',
  'x\v',
];

/** The CSV cell `csvText` writes, read out of a line the writer made around it. */
const jsLine = (t: string) =>
  formatDataValueSet(
    [
      {
        dataElement: t,
        period: 'P',
        orgUnit: 'U',
        categoryOptionCombo: 'C',
        attributeOptionCombo: 'A',
        value: t,
        storedBy: t,
        created: 'x',
        lastUpdated: 'T',
        comment: t,
        followup: false,
      },
    ],
    'csv',
  ).slice(formatDataValueSet([], 'csv').length);

for (const engine of testEngines()) {
  describe(`CSV cells in SQL on ${engine}`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(engine);
    });
    after(() => t.close());

    it('safeCellSql gives what safeCell gives, csvCellSql and csvCellsSql what the CSV writer writes', async () => {
      for (const text of TRICKY) {
        const v = sql`${text}::text`;
        const cell = csvCellSql(v);
        // The line's first texts through csvCellsSql (one test for all), the comment alone.
        const texts = [v, sql`'P'`, sql`'U'`, sql`'C'`, sql`'A'`, v, v];
        const r = await sql<{ safe: string; line: string }>`select ${safeCellSql(v)} as safe,
          ${csvCellsSql(csvJoinSql(texts), texts)} || ',T,' || ${cell} || ',false,,,' || chr(10)
            as line`.execute(t.database.db);
        assert.equal(r.rows[0]!.safe, safeCell(text), JSON.stringify(text));
        assert.equal(r.rows[0]!.line, jsLine(text), JSON.stringify(text));
      }
    });

    it('numbers as String(number) writes them, times as toISOString', async () => {
      const numbers = [
        0,
        1,
        -5.5,
        0.1,
        1 / 3,
        -2 / 3,
        12.5,
        100,
        1e-6,
        9.99e-7,
        1e-7,
        -1.5e-7,
        1.2345678901234568e20,
        1e21,
        1.5e21,
        -1e21,
        1e15,
        1e16,
        123456789.123,
        5e-324,
        1.7976931348623157e308,
        NaN,
        Infinity,
        -Infinity,
      ];
      for (const x of numbers) {
        const r = await sql<{
          s: string;
        }>`select ${jsNumberSql(sql`${String(x)}::float8`)} as s`.execute(t.database.db);
        assert.equal(r.rows[0]!.s, String(x), String(x));
      }
      const negZero = await sql<{
        s: string;
      }>`select ${jsNumberSql(sql`'-0'::float8`)} as s`.execute(t.database.db);
      assert.equal(negZero.rows[0]!.s, String(-0));

      for (const at of [
        '2022-03-01 12:34:56.789999+00',
        '2022-03-01 12:34:56+07',
        '2021-12-31 23:59:59.9999+00',
        '1969-12-31 23:59:59.9995+00',
        '2000-02-29 00:00:00.001+00',
      ]) {
        const r = await sql<{ s: string; ms: number }>`select
          ${isoTimeSql(sql`${at}::timestamptz`)} as s,
          floor(extract(epoch from ${at}::timestamptz) * 1000)::int8 as ms`.execute(t.database.db);
        assert.equal(r.rows[0]!.s, new Date(Number(r.rows[0]!.ms)).toISOString(), at);
      }
    });
  });
}
