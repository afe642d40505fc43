import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * Generated data value sets posted to the import route, on both engines: no body gives a 500,
 * and an all-or-nothing import (atomic=true) stores all its rows or none. Bounded: a few dozen
 * bodies per engine and a time budget.
 */

const metadata = {
  dataElements: [
    {
      code: 'FUZZ_COUNT',
      nameVi: 'Đếm',
      nameEn: 'Count',
      sector: 'other',
      valueType: 'integer',
      aggTime: 'sum',
      min: 0,
    },
    {
      code: 'FUZZ_TEXT',
      nameVi: 'Ghi chép',
      nameEn: 'Notes',
      sector: 'other',
      valueType: 'text',
      aggTime: 'last',
    },
    {
      code: 'FUZZ_PCT',
      nameVi: 'Tỷ lệ',
      nameEn: 'Share',
      sector: 'other',
      valueType: 'percentage',
      aggTime: 'last',
    },
  ],
};

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
/** What breaks things: control characters, NUL, lone surrogates, formulas, quotes, bad numbers. */
const nasty = fc.oneof(
  {
    weight: 3,
    arbitrary: pick(
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\u0007',
      '\u007f',
      '=1+1',
      '"quoted, comma"',
      'dòng\nmới',
      '',
      '-5',
      '101',
      '1e400',
      'NO_SUCH',
      '2025-13',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
);
/** A good row, then (often) one of its fields replaced by something nasty. */
const row = fc
  .tuple(
    fc.record(
      {
        dataElement: pick('FUZZ_COUNT', 'FUZZ_TEXT', 'FUZZ_PCT'),
        period: pick('2025-09-01', '2025-09-02', '202509', '2025W36'),
        orgUnit: pick('26740', '25747', '25750'),
        value: pick('1', '7', '42'),
        comment: pick('ok', 'ghi chú có dấu'),
        deleted: pick('false', 'true'),
      },
      { requiredKeys: ['dataElement', 'period', 'orgUnit', 'value'] },
    ),
    fc.option(fc.tuple(pick('dataElement', 'period', 'orgUnit', 'value', 'comment'), nasty), {
      freq: 2,
    }),
  )
  .map(([good, bad]) => (bad ? { ...good, [bad[0]]: bad[1] } : good));
type Row = Partial<
  Record<'dataElement' | 'period' | 'orgUnit' | 'value' | 'comment' | 'deleted', string>
>;

const COLUMNS = ['dataElement', 'period', 'orgUnit', 'value', 'comment', 'deleted'] as const;
const csvCell = (s: string | undefined) =>
  s === undefined ? '' : /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
const xmlAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

type Format = 'json' | 'csv' | 'xml' | 'adx';

function body(rows: Row[], format: Format): string {
  if (format === 'json') return JSON.stringify({ dataValues: rows });
  if (format === 'adx') {
    // One group per row (period and unit are the group's); a text element's value also in
    // <annotation>, where ADX carries it.
    const attrs = (r: Row, names: readonly (keyof Row)[]) =>
      names
        .filter((c) => r[c] !== undefined)
        .map((c) => ` ${c}="${xmlAttr(r[c]!)}"`)
        .join('');
    const groups = rows.map(
      (r) =>
        `<group${attrs(r, ['period', 'orgUnit'])}><dataValue${attrs(r, ['dataElement', 'value', 'comment', 'deleted'])}>` +
        (r.value === undefined ? '' : `<annotation>${xmlAttr(r.value)}</annotation>`) +
        '</dataValue></group>',
    );
    return `<adx xmlns="urn:ihe:qrph:adx:2015">${groups.join('')}</adx>`;
  }
  if (format === 'csv') {
    return [
      COLUMNS.join(','),
      ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(',')),
    ].join('\n');
  }
  const values = rows.map(
    (r) =>
      '<dataValue ' +
      COLUMNS.filter((c) => r[c] !== undefined)
        .map((c) => `${c}="${xmlAttr(r[c]!)}"`)
        .join(' ') +
      '/>',
  );
  return `<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">${values.join('')}</dataValueSet>`;
}

const TYPES = {
  json: 'application/json',
  csv: 'text/csv',
  xml: 'application/xml',
  adx: 'application/adx+xml',
};

for (const engine of testEngines()) {
  describe(`import fuzzing on ${engine}`, () => {
    let t: TestDb;
    let basic: string;
    let app: ApiClient['app'];
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from data_value`.execute(t.database.db))
        .rows[0]!.n;

    before(async () => {
      t = await openTestDb(engine);
      const admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      app = admin.app;
      basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
      const r = await admin.post('/api/metadata', metadata);
      assert.equal(r.status, 200, JSON.stringify(r.json));
    });
    after(() => t.close());

    it('never answers 500 and never stores half of an atomic import', async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(
          fc.array(row, { minLength: 1, maxLength: 6 }),
          pick<Format>('json', 'csv', 'xml', 'adx'),
          fc.boolean(),
          async (rows, format, atomic) => {
            const before = await count();
            const res = await app.request(`/api/dataValueSets?atomic=${atomic}`, {
              method: 'POST',
              headers: { 'content-type': TYPES[format], authorization: basic },
              body: body(rows, format),
            });
            const text = await res.text();
            assert.notEqual(res.status, 500, `${format}: ${body(rows, format)}\n${text}`);
            assert.ok(res.status < 500, text);
            const after = await count();
            if (!atomic || res.status !== 200) {
              // Refused (4xx, or 409 with conflicts): nothing stored when all or nothing.
              if (atomic) assert.equal(after, before, text);
              return;
            }
            const r = JSON.parse(text).response;
            assert.equal(r.conflicts.length, 0, text);
            assert.equal(after - before, r.importCount.imported - r.importCount.deleted, text);
          },
        ),
        { numRuns: 50, interruptAfterTimeLimit: 12_000, markInterruptAsFailure: false },
      );
      assert.ok(Date.now() - started < 30_000);
    });
  });
}
