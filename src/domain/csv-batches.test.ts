import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arriving } from '../test/body-sender.ts';
import { readCsvBatches } from './data-value-set.ts';

/** A file given in 64 kB pieces, as a socket gives it. */
function pieces(text: string): AsyncIterable<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65_536) out.push(bytes.subarray(i, i + 65_536));
  return arriving(out);
}

describe('readCsvBatches', () => {
  const header = 'dataelement,period,orgunit,value,comment\n';
  const row = (i: number, comment: string) => `CASES,2022-01-01,${10_000 + i},${i},${comment}\n`;

  it('ends a batch at the byte bound when rows are wide, and loses no row', async () => {
    const comment = 'x'.repeat(1000);
    const text = header + Array.from({ length: 3000 }, (_, i) => row(i, comment)).join('');
    const sizes: number[] = [];
    const values: string[] = [];
    for await (const batch of readCsvBatches(pieces(text), 20_000, 256 * 1024)) {
      sizes.push(batch.length);
      values.push(...batch.map((v) => v.value!));
    }
    assert.ok(sizes.length >= 10, `about 3 MB in 256 kB batches, got ${sizes.join(',')}`);
    assert.ok(Math.max(...sizes) <= 400, 'no batch holds much more than 256 kB of rows');
    assert.deepEqual(
      values,
      Array.from({ length: 3000 }, (_, i) => String(i)),
    );
  });

  it('ends a batch at the row bound when rows are narrow', async () => {
    const text = header + Array.from({ length: 2500 }, (_, i) => row(i, '')).join('');
    const sizes: number[] = [];
    for await (const batch of readCsvBatches(pieces(text), 1000)) sizes.push(batch.length);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      2500,
    );
    assert.ok(
      sizes.every((n) => n <= 1000 + 1500),
      sizes.join(','),
    );
  });
});
