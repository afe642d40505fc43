import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isFormulaLike, safeCell } from './spreadsheet.ts';
import {
  DataValueSetWriter,
  formatDataValueSet,
  parseCsv,
  type DataValueOut,
} from './data-value-set.ts';

describe('spreadsheet cells (OWASP CSV injection rule)', () => {
  it('puts a single quote before text a spreadsheet would run', () => {
    for (const s of [
      '=1+1',
      '=HYPERLINK("http://x","y")',
      '+1',
      '@SUM(1)',
      '-x',
      '-2+3',
      '\t=1',
      '\r=1',
      '+',
      '-',
    ]) {
      assert.equal(safeCell(s), `'${s}`, JSON.stringify(s));
      assert.ok(isFormulaLike(s));
    }
  });

  it('leaves plain numbers and ordinary text as they are', () => {
    for (const s of [
      '-5',
      '-1.5',
      '-1.5e3',
      '-.5',
      '-5.',
      '-1E-3',
      '0',
      '12',
      'mã độc',
      '',
      "'=1",
      ' =1',
      'a=b',
    ]) {
      assert.equal(safeCell(s), s, JSON.stringify(s));
    }
  });
});

describe('data value set writer', () => {
  const v = (over: Partial<DataValueOut>): DataValueOut => ({
    dataElement: 'E',
    period: '202201',
    orgUnit: 'VN',
    categoryOptionCombo: 'default',
    attributeOptionCombo: 'default',
    value: '1',
    storedBy: 'admin',
    created: '2022-01-01T00:00:00.000Z',
    lastUpdated: '2022-01-01T00:00:00.000Z',
    followup: false,
    ...over,
  });
  const values = [v({ value: '-5', comment: '=HYPERLINK("http://x","y")' }), v({ value: '+1' })];

  it('writes in pieces what it writes whole', () => {
    for (const format of ['json', 'csv', 'xml'] as const) {
      const w = new DataValueSetWriter(format);
      const pieces = w.head() + w.rows(values.slice(0, 1)) + w.rows(values.slice(1)) + w.tail();
      assert.equal(pieces, formatDataValueSet(values, format), format);
    }
    assert.deepEqual(JSON.parse(formatDataValueSet(values, 'json')), { dataValues: values });
  });

  it('neutralises CSV cells only; numbers read back the same', () => {
    const csv = formatDataValueSet(values, 'csv');
    const back = parseCsv(csv).values;
    assert.equal(back[0]!.value, '-5');
    assert.equal(back[0]!.comment, `'=HYPERLINK("http://x","y")`);
    assert.equal(back[1]!.value, `'+1`);
    assert.ok(
      formatDataValueSet(values, 'json').includes('"value":"+1"'),
      'JSON is data, verbatim',
    );
  });

  it('says a limit: JSON fields, an XML attribute and a note', () => {
    const w = new DataValueSetWriter('json', 1);
    const json = JSON.parse(w.head() + w.rows(values.slice(0, 1)) + w.tail(true));
    assert.deepEqual([json.dataValues.length, json.limit, json.truncated], [1, 1, true]);
    const x = new DataValueSetWriter('xml', 1);
    const xml = x.head() + x.rows(values.slice(0, 1)) + x.tail(true);
    assert.match(xml, /<dataValueSet [^>]*limit="1">/);
    assert.match(xml, /more match/);
  });
});
