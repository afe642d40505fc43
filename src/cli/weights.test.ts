/**
 * `opsroom weights` (issue 16) through its functions: export → edit → import round trip, a
 * refused file named by its lines, JSON files, reset.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../domain/errors.ts';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import {
  exportWeights,
  importWeights,
  pairOf,
  parseWeightsCsv,
  readWeightsFile,
  resetWeights,
  WEIGHTS_HEADER,
  weightsMessage,
} from './weights.ts';

const q = { from: '2025-03', to: '2025' };

for (const engine of testEngines()) {
  describe(`opsroom weights on ${engine}`, () => {
    let t: TestDb;
    let dir: string;
    before(async () => {
      t = await openTestDb(engine);
      dir = mkdtempSync(join(tmpdir(), 'opsroom-weights-'));
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await t.close();
    });

    it('exports the split links, imports an edited file back, resets', async () => {
      assert.deepEqual(await pairOf(t.services, {}), q, 'the two newest trees');
      const { csv, list } = await exportWeights(t.services, q);
      const lines = csv.trimEnd().split('\n');
      assert.equal(lines[0], WEIGHTS_HEADER.join(','));
      assert.equal(lines.length - 1, list.items.length);
      assert.ok(lines.includes('2025-03,00007,2025,00008,0.5'));
      // Edit one unit's shares (a spreadsheet would), keep the others at their defaults.
      const edited = csv
        .replace('2025-03,00007,2025,00008,0.5', '2025-03,00007,2025,00008,0.75')
        .replace('2025-03,00007,2025,00025,0.5', '2025-03,00007,2025,00025,0.25');
      const file = join(dir, 'weights.csv');
      writeFileSync(file, edited);
      const rows = readWeightsFile(file);
      assert.equal(rows.length, list.items.length);
      const r = await importWeights(t.services, rows, 'dân số 2024');
      assert.equal(r.weights, rows.length);
      assert.match(weightsMessage('set', r), /^Đã đặt .*\nSet /);
      const again = await exportWeights(t.services, { ...q, code: '00007' });
      assert.deepEqual(
        again.list.items.map((w) => [w.toCode, w.share, w.basis, w.setBy]),
        [
          ['00008', 0.75, 'dân số 2024', 'system'],
          ['00025', 0.25, 'dân số 2024', 'system'],
        ],
      );
      assert.equal((await exportWeights(t.services, q)).list.set, list.units);
      const reset = await resetWeights(t.services, q);
      assert.equal(reset.weights, rows.length);
      assert.equal((await exportWeights(t.services, q)).list.set, 0);
    });

    it('names the lines of a refused file; reads JSON; refuses a malformed file', async () => {
      const csv = [
        'from_version, from_code, to_version, to_code, share',
        '2025-03,00007,2025,00008,0.6',
        '2025-03,00007,2025,00025,0.6',
      ].join('\n');
      await assert.rejects(importWeights(t.services, parseWeightsCsv(csv), 'x'), (e: unknown) => {
        assert.ok(e instanceof AppError && e.code === 'link_weights_invalid');
        const d = e.details as { problems: { problem: string; line?: number }[] };
        assert.deepEqual(
          d.problems.map((p) => [p.problem, p.line]),
          [['sum', 2]],
        );
        return true;
      });
      const json = join(dir, 'weights.json');
      writeFileSync(
        json,
        JSON.stringify({
          weights: [
            {
              fromVersion: '2025-03',
              fromCode: '00007',
              toVersion: '2025',
              toCode: '00008',
              share: 0.2,
            },
            {
              fromVersion: '2025-03',
              fromCode: '00007',
              toVersion: '2025',
              toCode: '00025',
              share: 0.8,
            },
          ],
        }),
      );
      const r = await importWeights(t.services, readWeightsFile(json), 'diện tích');
      assert.equal(r.weights, 2);
      assert.equal((await resetWeights(t.services, { ...q, code: '00007' })).weights, 2);
      assert.throws(
        () =>
          parseWeightsCsv(
            'from_version,from_code,to_version,to_code,share\n2025-03,00007,2025,00008,abc\n',
          ),
        (e: unknown) =>
          e instanceof AppError && e.code === 'file_invalid' && /line 2/.test(e.messages.en),
      );
      assert.throws(
        () => parseWeightsCsv('a,b,c\n1,2,3\n'),
        (e: unknown) => e instanceof AppError && /missing column/.test(e.messages.en),
      );
    });
  });
}
