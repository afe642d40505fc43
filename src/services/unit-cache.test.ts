import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DataValueRepo } from '../db/data-value.repo.ts';
import type { Store } from '../db/store.ts';
import { UnitCache, unitsChanged } from './unit-cache.ts';

type Units = Awaited<ReturnType<DataValueRepo['units']>>;

const unit = (code: string, uid: string | null = null) => ({
  id: code.length,
  code,
  uid,
  path: `/VN/${code}/`,
  level: 1,
  full_name: code,
});

/** A repository whose `units` counts its reads and answers when `release` is called. */
function fakeRepo(rows: ReturnType<typeof unit>[]) {
  const repo = {
    reads: 0,
    pending: [] as (() => void)[],
    hold: false,
    units(): Promise<Units> {
      repo.reads++;
      const m: Units = new Map();
      for (const r of rows) {
        m.set(r.code, r);
        if (r.uid) m.set(r.uid, r);
      }
      if (!repo.hold) return Promise.resolve(m);
      return new Promise((resolve) => repo.pending.push(() => resolve(m)));
    },
    release() {
      for (const p of repo.pending.splice(0)) p();
    },
  };
  return repo;
}

const storeOf = (repo: ReturnType<typeof fakeRepo>) =>
  ({ repos: { dataValues: repo } }) as unknown as Store;

describe('UnitCache', () => {
  it('reads a version once, by code and uid, each unit once in `all`', async () => {
    const repo = fakeRepo([unit('79', 'uid79'), unit('01')]);
    const cache = new UnitCache(storeOf(repo));
    const a = await cache.get('t1');
    const b = await cache.get('t1');
    assert.equal(repo.reads, 1);
    assert.equal(a, b);
    assert.equal(a.byKey.get('uid79')?.code, '79');
    assert.deepEqual(a.all.map((u) => u.code).sort(), ['01', '79']);
  });

  it('reads again when asked, when invalidated, and when units changed', async () => {
    const repo = fakeRepo([unit('79')]);
    const cache = new UnitCache(storeOf(repo));
    await cache.get('t2');
    await cache.get('t2', true);
    assert.equal(repo.reads, 2);
    cache.invalidate('t2');
    await cache.get('t2');
    assert.equal(repo.reads, 3);
    unitsChanged('t2');
    await cache.get('t2');
    await cache.get('t2');
    assert.equal(repo.reads, 4);
  });

  it("does not wait for a read still running elsewhere when given a transaction's repository", async () => {
    const outside = fakeRepo([unit('79')]);
    outside.hold = true;
    const cache = new UnitCache(storeOf(outside));
    const first = cache.get('t3');
    const inTx = fakeRepo([unit('79'), unit('80')]);
    const got = await cache.get('t3', false, inTx as unknown as DataValueRepo);
    assert.equal(inTx.reads, 1);
    assert.ok(got.byKey.has('80'));
    outside.release();
    await first;
    // Once settled, the cached read serves a transaction too.
    await cache.get('t3', false, inTx as unknown as DataValueRepo);
    assert.equal(inTx.reads, 1);
  });
});
