import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * Deleted values are kept, as DHIS2 keeps them: gone from analytics and from ordinary exports,
 * read back by an export with `includeDeleted` (marked `deleted`, with their last value and the
 * time of deletion), as a synchronisation reading what changed since a time needs; stored again,
 * a value is counted imported and is no longer deleted.
 */

const WARD = '26740'; // Phường Sài Gòn, Hồ Chí Minh City (2025 tree)
const metadata = {
  dataElements: [
    {
      code: 'DEL_CASES',
      nameVi: 'Số ca xoá',
      nameEn: 'deleted cases',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
};

const value = (period: string, v: string, extra: Record<string, unknown> = {}) => ({
  dataElement: 'DEL_CASES',
  period,
  orgUnit: WARD,
  value: v,
  ...extra,
});

for (const engine of testEngines()) {
  describe(`deleted values kept (includeDeleted) on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;

    const exportOf = async (query = '') => {
      const r = await admin.get(`/api/dataValueSets?dataElement=DEL_CASES${query}`);
      assert.equal(r.status, 200, r.text);
      return r.json.dataValues as Record<string, unknown>[];
    };
    const monthTotal = async () => {
      const r = await admin.get(
        `/api/analytics?dimension=dx:DEL_CASES&dimension=pe:202611&dimension=ou:${WARD}`,
      );
      assert.equal(r.status, 200, r.text);
      const row = (r.json.rows as string[][])[0];
      return row === undefined ? undefined : Number(row[row.length - 1]);
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const r = await admin.post('/api/dataValueSets', {
        dataValues: [
          value('20261101', '5'),
          value('20261102', '7', { comment: 'kept' }),
          value('20261103', '11'),
        ],
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.response.importCount.imported, 3);
    });
    after(() => t.close());

    it('a deletion (DELETE /api/dataValues or deleted=true) leaves analytics and plain exports', async () => {
      const del = await admin.request(
        'DELETE',
        `/api/dataValues?de=DEL_CASES&pe=20261102&ou=${WARD}`,
      );
      assert.equal(del.status, 204, del.text);
      const r = await admin.post('/api/dataValueSets', {
        dataValues: [value('20261103', '', { deleted: true })],
      });
      assert.equal(r.json.response.importCount.deleted, 1, r.text);
      assert.deepEqual(
        (await exportOf()).map((v) => v.period),
        ['20261101'],
      );
      assert.equal(await monthTotal(), 5);
      // Deleting a deleted value: it does not exist (DHIS2's answer), nothing changes.
      const again = await admin.request(
        'DELETE',
        `/api/dataValues?de=DEL_CASES&pe=20261102&ou=${WARD}`,
      );
      assert.equal(again.status, 409, again.text);
    });

    it('includeDeleted reads them back, marked, with their last value and the time of deletion', async () => {
      const before = Date.now() - 60_000;
      const all = await exportOf('&includeDeleted=true');
      assert.deepEqual(
        all.map((v) => [v.period, v.value, v.deleted]),
        [
          ['20261101', '5', false],
          ['20261102', '7', true],
          ['20261103', '11', true],
        ],
      );
      assert.equal(all[1]!.comment, 'kept');
      assert.ok(Date.parse(all[1]!.lastUpdated as string) >= before);
      assert.ok(Date.parse(all[1]!.lastUpdated as string) >= Date.parse(all[1]!.created as string));
    });

    it('CSV gets a deleted column and XML a deleted attribute; ADX is refused with a reason', async () => {
      const csv = await admin.get(
        '/api/dataValueSets?dataElement=DEL_CASES&includeDeleted=true&format=csv',
      );
      assert.equal(csv.status, 200, csv.text);
      const lines = csv.text.trim().split('\n');
      assert.ok(lines[0]!.endsWith(',deleted'), lines[0]);
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(',').at(-1)),
        ['false', 'true', 'true'],
      );
      const plain = await admin.get('/api/dataValueSets?dataElement=DEL_CASES&format=csv');
      assert.ok(!plain.text.split('\n')[0]!.includes('deleted'));
      assert.equal(plain.text.trim().split('\n').length, 2);

      const xml = await admin.get(
        '/api/dataValueSets?dataElement=DEL_CASES&includeDeleted=true&format=xml',
      );
      assert.equal((xml.text.match(/deleted="true"/g) ?? []).length, 2, xml.text);

      const adx = await admin.get(
        '/api/dataValueSets?dataElement=DEL_CASES&includeDeleted=true&format=adx',
      );
      assert.equal(adx.status, 400);
      assert.match(adx.json.error.messages.en, /ADX has no place/);
    });

    it('the CSV of an export with includeDeleted imports back: deleted rows change nothing', async () => {
      const csv = await admin.get(
        '/api/dataValueSets?dataElement=DEL_CASES&includeDeleted=true&format=csv',
      );
      const res = await admin.app.request('/api/dataValueSets', {
        method: 'POST',
        headers: {
          'content-type': 'text/csv',
          authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
        },
        body: csv.text,
      });
      const r = (await res.json()) as { response: { importCount: Record<string, number> } };
      assert.deepEqual(r.response.importCount, { imported: 0, updated: 0, ignored: 3, deleted: 0 });
      assert.equal(await monthTotal(), 5);
    });

    it('lastUpdated and lastUpdatedDuration keep what changed since; a bad duration is a clear error', async () => {
      assert.equal((await exportOf('&includeDeleted=true&lastUpdatedDuration=1h')).length, 3);
      assert.equal((await exportOf('&includeDeleted=true&lastUpdated=2999-01-01')).length, 0);
      assert.equal(
        (await exportOf('&includeDeleted=true&lastUpdated=2000-01-01T00:00:00Z')).length,
        3,
      );
      const bad = await admin.get('/api/dataValueSets?lastUpdatedDuration=ten%20days');
      assert.equal(bad.status, 400);
      assert.match(bad.json.error.messages.en, /lastUpdatedDuration/);
      assert.match(bad.json.error.messages.vi, /Khoảng thời gian không hợp lệ/);
    });

    it('a deleted value stored again is counted imported, counts in analytics and is no longer deleted', async () => {
      const r = await admin.post('/api/dataValueSets', { dataValues: [value('20261102', '9')] });
      assert.deepEqual(r.json.response.importCount, {
        imported: 1,
        updated: 0,
        ignored: 0,
        deleted: 0,
      });
      assert.equal(await monthTotal(), 14);
      assert.deepEqual(
        (await exportOf('&includeDeleted=true')).map((v) => [v.period, v.value, v.deleted]),
        [
          ['20261101', '5', false],
          ['20261102', '9', false],
          ['20261103', '11', true],
        ],
      );
      // Deleted again: the kept copy is the latest value.
      await admin.request('DELETE', `/api/dataValues?de=DEL_CASES&pe=20261102&ou=${WARD}`);
      const row = (await exportOf('&includeDeleted=true')).find((v) => v.period === '20261102');
      assert.deepEqual([row?.value, row?.deleted], ['9', true]);
      assert.equal(await monthTotal(), 5);
    });
  });
}
