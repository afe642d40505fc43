import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import type { LiveBus, LiveEvent } from './bus.ts';
import { LiveHub } from './hub.ts';

const ROOT = { version: '2022', code: 'VN', path: '/VN/' };

for (const engine of testEngines()) {
  describe(`live hub on ${engine}`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(engine);
    });
    after(() => t.close());

    it('never sends again an event its hello covered, however late it is dispatched', async () => {
      const bus = t.services.live;
      const early = await bus.publish('data', { n: 1 });
      const newest = await bus.publish('data', { n: 2 });
      // The real bus, with the delivery to this hub in the test's hands: on the server an
      // event stored before a client's hello can reach the hub after it (NOTIFY is late).
      let deliver: ((e: LiveEvent) => void) | undefined;
      const hub = new LiveHub({
        subscribe: (listener: (e: LiveEvent) => void) => {
          deliver = listener;
          return Promise.resolve(() => {});
        },
        bounds: () => bus.bounds(),
        since: (...args: Parameters<LiveBus['since']>) => bus.since(...args),
      } as unknown as LiveBus);
      const frames: string[] = [];
      const decoder = new TextDecoder();
      const conn = await hub.open(
        { write: (chunk) => (frames.push(decoder.decode(chunk)), 0) },
        { scope: ROOT, topics: ['data'] },
      );
      const late = await bus.publish('data', { n: 3 });
      deliver!(early);
      deliver!(late);
      const events = frames
        .filter((f) => f.startsWith('id:'))
        .map((f) => f.split('\n').slice(0, 2).join(' '));
      assert.deepEqual(events, [`id: ${newest.id} event: hello`, `id: ${late.id} event: data`]);
      conn.close();
      hub.close();
    });
  });
}
