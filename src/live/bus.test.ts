import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../db/client.ts';
import { createServices, type Services } from '../services/index.ts';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import type { LiveBus, LiveEvent } from './bus.ts';

const ELEMENT = {
  code: 'CASES_TRACED',
  nameVi: 'Số ca truy vết',
  nameEn: 'Cases traced',
  sector: 'covid',
  valueType: 'integer',
  aggTime: 'sum',
} as const;

/**
 * Starts waiting for the first event from now on that matches; resolves once subscribed (and
 * listening, on the server). The wait fails after 30 s instead of hanging the test.
 */
export async function waitEvent(
  bus: LiveBus,
  match: (e: LiveEvent) => boolean,
  what: string,
  onMatch?: (e: LiveEvent) => void,
): Promise<{ event: Promise<LiveEvent> }> {
  let resolve!: (e: LiveEvent) => void;
  let reject!: (e: Error) => void;
  const got = new Promise<LiveEvent>((res, rej) => ((resolve = res), (reject = rej)));
  const timer = setTimeout(() => reject(new Error(`no ${what} within 30 s`)), 30_000);
  const unsubscribe = await bus.subscribe((e) => {
    if (!match(e)) return;
    onMatch?.(e);
    resolve(e);
  });
  return {
    event: got.finally(() => {
      clearTimeout(timer);
      unsubscribe();
    }),
  };
}

const value = (period: string, orgUnit: string, v: number, index = 0) => ({
  index,
  dataElement: ELEMENT.code,
  period,
  orgUnit,
  value: String(v),
});

for (const engine of testEngines()) {
  describe(`live bus on ${engine}`, () => {
    let t: TestDb;
    let s: Services;

    before(async () => {
      t = await openTestDb(engine);
      s = t.services;
      await s.metadata.apply('system', { dataElements: [ELEMENT] });
    });
    after(() => t.close());

    it('publishes a data change after the import commits, and nothing for a rolled-back one', async () => {
      const before = (await s.live.bounds()).max ?? 0;
      const refused = await s.dataValues.import(
        'system',
        {
          values: [
            value('2026-11-20', '26740', 5),
            { ...value('2026-11-20', '26740', 1, 1), dataElement: 'NO_SUCH_ELEMENT' },
          ],
        },
        { atomic: true },
      );
      assert.equal(refused.status, 'ERROR');
      assert.equal(
        (await s.live.bounds()).max ?? 0,
        before,
        'a rolled-back import stores no event',
      );

      const seen: LiveEvent[] = [];
      const unsubscribe = await s.live.subscribe((e) => seen.push(e));
      let storedWhenTold: Promise<number> | undefined;
      const w = await waitEvent(
        s.live,
        (e) => e.topic === 'data',
        'data event',
        // Told after the commit: a read started right then sees the value.
        () => {
          storedWhenTold = sql<{ n: number }>`select count(*)::int as n from data_value`
            .execute(s.database.db)
            .then((r) => r.rows[0]!.n);
        },
      );
      const summary = await s.dataValues.import(
        'system',
        { values: [value('2026-11-20', '26740', 5)] },
        { atomic: true },
      );
      assert.equal(summary.status, 'SUCCESS');
      const e = await w.event;
      unsubscribe();
      assert.ok(e.id > before);
      assert.equal(e.version, null, 'data events go to every reader');
      const change = JSON.parse(e.json);
      assert.deepEqual(change.elements, ['CASES_TRACED']);
      assert.deepEqual(change.periods, ['2026-11-20']);
      assert.deepEqual(change.versions, ['2025']);
      assert.equal(change.count, 1);
      assert.equal(change.by, 'system');
      assert.equal(await storedWhenTold, 1);
      assert.deepEqual(
        seen.filter((x) => x.topic === 'data').map((x) => x.id),
        [e.id],
        'one event, for the committed import only',
      );

      // An import that changes nothing (a retry) tells nobody.
      const max = (await s.live.bounds()).max;
      await s.dataValues.import(
        'system',
        { values: [value('2026-11-20', '26740', 5)] },
        { atomic: true },
      );
      assert.equal((await s.live.bounds()).max, max);
    });

    it('replays stored events after an id, by topic and scope, in order', async () => {
      const from = (await s.live.bounds()).max ?? 0;
      const hcm = { version: '2025', path: '/VN/79/26740/' };
      const hanoi = { version: '2025', path: '/VN/01/00004/' };
      await s.live.publish('alert', { n: 1 }, hcm);
      await s.live.publish('alert', { n: 2 }, hanoi);
      await s.live.publish('data', { n: 3 });
      await s.live.publishMany([
        { topic: 'alert', payload: { n: 4 }, scope: hcm },
        { topic: 'other', payload: { n: 5 } },
      ]);
      const all = await s.live.since(from, 100);
      assert.deepEqual(
        all.map((e) => JSON.parse(e.json).n),
        [1, 2, 3, 4, 5],
      );
      assert.ok(all.every((e, i) => i === 0 || e.id > all[i - 1]!.id));
      const forHcm = await s.live.since(from, 100, {
        topics: ['alert', 'data'],
        scope: { version: '2025', path: '/VN/79/' },
      });
      assert.deepEqual(
        forHcm.map((e) => JSON.parse(e.json).n),
        [1, 3, 4],
      );
      const upTo = await s.live.since(from, 100, { topics: null, scope: null }, all[1]!.id);
      assert.equal(upTo.length, 2);
    });

    it('prunes events older than the days kept', async () => {
      await s.live.publish('data', { old: true });
      assert.equal(await s.live.prune(7), 0);
      assert.ok((await s.live.prune(0)) > 0);
      assert.equal((await s.live.bounds()).max, null);
    });
  });
}

describe(
  'live events across instances (PostgreSQL server)',
  { skip: !testEngines().includes('postgres') },
  () => {
    let t: TestDb;
    let second: Database;
    let s2: Services;

    before(async () => {
      t = await openTestDb('postgres');
      await t.services.metadata.apply('system', { dataElements: [ELEMENT] });
      second = await openDatabase({ databaseUrl: t.url! });
      s2 = createServices(second);
    });
    after(async () => {
      await second.close();
      await t.close();
    });

    it('passes an event published on one instance to the other', async () => {
      const there = await waitEvent(
        s2.live,
        (e) => e.topic === 'hello-there',
        'event on instance 2',
      );
      const sent = await t.services.live.publish('hello-there', { from: 1 });
      const got = await there.event;
      assert.equal(got.id, sent.id);
      assert.deepEqual(JSON.parse(got.json), { from: 1 });

      // An import on instance 1 reaches instance 2's screens.
      const data = await waitEvent(s2.live, (e) => e.topic === 'data', 'data event on instance 2');
      await t.services.dataValues.import(
        'system',
        { values: [value('2026-11-21', '26740', 3)] },
        { atomic: true },
      );
      assert.deepEqual(JSON.parse((await data.event).json).elements, ['CASES_TRACED']);
    });

    it('listens again after its connection drops and catches up on what it missed', async () => {
      const gotBoth: number[] = [];
      const unsubscribe = await s2.live.subscribe((e) => {
        if (e.topic === 'while-deaf') gotBoth.push(JSON.parse(e.json).n);
      });
      const last = await waitEvent(
        s2.live,
        (e) => e.topic === 'while-deaf' && JSON.parse(e.json).n === 2,
        'event after reconnect',
      );
      // Cut instance 2's listening connection, then publish from instance 1 while it is deaf.
      const killed = await sql<{ n: number }>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and query like 'LISTEN %' and pid <> pg_backend_pid()`.execute(
        t.database.db,
      );
      assert.ok(killed.rows[0]!.n >= 1, 'a listening connection was there to cut');
      await t.services.live.publish('while-deaf', { n: 1 });
      await t.services.live.publish('while-deaf', { n: 2 });
      await last.event;
      unsubscribe();
      assert.deepEqual(gotBoth, [1, 2], 'each once, in order');
    });
  },
);
