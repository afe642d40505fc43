import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { TEST_ADDRESS_HEADER } from './client-address.ts';

/**
 * Sign-in throttling (issue 13, defect 4): an attacker's wrong passwords slow the attacker,
 * never lock the owner out; Basic counts like the form; the admin sees and lifts throttles.
 */

const PW = 'Throttle-pw-123';

for (const engine of testEngines()) {
  describe(`sign-in throttling on ${engine}`, () => {
    let t: TestDb;
    let now = new Date('2026-11-23T03:00:00Z');
    const tick = (ms: number) => (now = new Date(now.getTime() + ms));
    /** A caller from one client address (in process there is no socket; see client-address.ts). */
    const from = (address: string, headers: Record<string, string> = {}) =>
      ApiClient.for(t.services, { [TEST_ADDRESS_HEADER]: address, ...headers });
    const basic = (address: string, user: string, password: string) =>
      from(address, {
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
      }).get('/api/auth/me');
    const retryAfter = (r: { headers: Headers }) => Number(r.headers.get('retry-after'));

    before(async () => {
      t = await openTestDb(engine, { clock: () => now, auth: { failureDelayMs: 0 } });
      for (const username of ['script-user', 'spray-target', 'far-target', 'lift-me']) {
        await t.services.auth.createUser('system', {
          username,
          password: PW,
          role: 'viewer',
          scope: { version: '2025', code: '79' },
        });
      }
    });
    after(() => t.close());

    it("an attacker's wrong passwords for admin do not keep the admin out", async () => {
      const attacker = from('203.0.113.7');
      for (let i = 0; i < 5; i++)
        assert.equal((await attacker.login('admin', `guess-${i}`)).status, 401);

      // The owner, from an address with no failures, signs in at once.
      const owner = from('198.51.100.20');
      assert.equal((await owner.login('admin', ADMIN_PASSWORD)).status, 200);

      // From the attacker's address every attempt now waits, the right password too, and it is
      // not checked or counted: the wait does not grow however often it is tried.
      for (let i = 0; i < 3; i++) {
        const r = await attacker.login('admin', ADMIN_PASSWORD);
        assert.equal(r.status, 429);
        assert.equal(r.json.error.code, 'too_many_attempts');
        assert.equal(retryAfter(r), 1);
        assert.match(r.json.error.message, /thử lại sau 1 giây/i);
        assert.match(r.json.error.messages.en, /try again in 1 second/i);
      }
      // After the delay the right password signs in, from that address too, and resets its count.
      tick(1_000);
      assert.equal((await from('203.0.113.7').login('admin', ADMIN_PASSWORD)).status, 200);
      for (let i = 0; i < 4; i++)
        assert.equal((await attacker.login('admin', `again-${i}`)).status, 401, 'count restarted');
      assert.equal((await from('203.0.113.7').login('admin', ADMIN_PASSWORD)).status, 200);
    });

    it('throttles 50 guesses from one address with growing delays, and says when to retry', async () => {
      const guesser = from('203.0.113.50');
      const statuses: number[] = [];
      for (let i = 0; i < 50; i++) {
        const r = await guesser.login('spray-target', `guess-${i}`);
        statuses.push(r.status);
        if (r.status === 429) assert.ok(retryAfter(r) >= 1, 'Retry-After on every 429');
      }
      assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(45).fill(429)]);
      // Each further attempt after the wait doubles it: 1 s, 2 s, 4 s … up to 15 minutes.
      const waits: number[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await guesser.login('spray-target', 'still-guessing');
        assert.equal(r.status, 429);
        waits.push(retryAfter(r));
        tick(retryAfter(r) * 1_000);
        assert.equal((await guesser.login('spray-target', 'still-guessing')).status, 401);
      }
      assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);

      // Spraying many accounts from one address is throttled by the address.
      const sprayer = from('203.0.113.51');
      const spray: number[] = [];
      for (let i = 0; i < 50; i++)
        spray.push((await sprayer.login(`user-${i}`, 'Summer2026!')).status);
      assert.deepEqual(spray, [...Array(30).fill(401), ...Array(20).fill(429)]);
    });

    it('counts attempts sent in parallel one by one: none slips past the check', async () => {
      const rs = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          from('203.0.113.60').login('spray-target', `parallel-${i}`),
        ),
      );
      assert.deepEqual(rs.map((r) => r.status).sort(), [
        ...Array(5).fill(401),
        ...Array(15).fill(429),
      ]);
    });

    it('does not slow an office signing in at once from one address, nor remember it', async () => {
      const names = Array.from({ length: 20 }, (_, i) => `office-${i}`);
      for (const username of names)
        await t.services.auth.createUser('system', {
          username,
          password: PW,
          role: 'viewer',
          scope: { version: '2025', code: '79' },
        });
      const office = '198.51.100.200';
      const rs = await Promise.all(names.map((n) => from(office).login(n, PW)));
      assert.deepEqual(
        rs.map((r) => r.status),
        names.map(() => 200),
      );
      const admin = from('198.51.100.1');
      await admin.login('admin', ADMIN_PASSWORD);
      const list = await admin.get('/api/signin-throttles');
      assert.ok(!list.json.items.some((x: { address: string }) => x.address === office));
    });

    it('counts HTTP Basic like the form; the right password while waiting is not counted', async () => {
      const A = '192.0.2.10';
      for (let i = 0; i < 5; i++) assert.equal((await basic(A, 'script-user', 'bad')).status, 401);
      // A script polling with the right password during the wait is told to wait, not counted.
      for (let i = 0; i < 10; i++) {
        const r = await basic(A, 'script-user', PW);
        assert.equal(r.status, 429);
        assert.equal(retryAfter(r), 1, 'the wait is not extended');
      }
      tick(1_000);
      const ok = await basic(A, 'script-user', PW);
      assert.equal(ok.status, 200);
      assert.equal(ok.json.username, 'script-user');
    });

    it('resets the count on a successful Basic sign-in', async () => {
      const A = '192.0.2.11';
      // Form failures and a Basic success count on the same account at the same address.
      const form = from(A);
      for (let i = 0; i < 4; i++)
        assert.equal((await form.login('script-user', 'bad')).status, 401);
      assert.equal((await basic(A, 'script-user', PW)).status, 200);
      for (let i = 0; i < 4; i++)
        assert.equal((await form.login('script-user', 'bad')).status, 401);
      assert.equal((await form.login('script-user', PW)).status, 200);
    });

    it('slows guessing spread over many addresses, but not the owner at a known address', async () => {
      assert.equal((await from('198.51.100.77').login('far-target', PW)).status, 200);
      const statuses: number[] = [];
      for (let i = 0; i < 55; i++)
        statuses.push((await from(`10.9.${i}.1`).login('far-target', 'guess')).status);
      assert.deepEqual(statuses, [...Array(50).fill(401), ...Array(5).fill(429)]);
      assert.equal((await from('198.51.100.77').login('far-target', PW)).status, 200);
    });

    it('over a real socket counts by the peer address; the test header changes nothing', async () => {
      const server = serve({ fetch: createApp(t.services).fetch, port: 0, hostname: '127.0.0.1' });
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      try {
        const login = (i: number) =>
          fetch(`http://127.0.0.1:${port}/api/auth/login`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              [TEST_ADDRESS_HEADER]: `198.18.0.${i}`,
              'x-forwarded-for': `198.19.0.${i}`,
            },
            body: JSON.stringify({ username: 'socket-target', password: 'guess' }),
          });
        for (let i = 0; i < 5; i++) assert.equal((await login(i)).status, 401);
        const r = await login(99);
        assert.equal(r.status, 429);
        assert.equal(r.headers.get('retry-after'), '1');
      } finally {
        server.close();
      }
    });

    it('lets the admin see and lift a throttle, audited', async () => {
      const E = '203.0.113.99';
      for (let i = 0; i < 5; i++) await from(E).login('lift-me', 'bad');
      assert.equal((await from(E).login('lift-me', PW)).status, 429);

      const admin = from('198.51.100.1');
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      const list = await admin.get('/api/signin-throttles');
      assert.equal(list.status, 200);
      const row = list.json.items.find(
        (x: { username: string | null; address: string | null }) =>
          x.username === 'lift-me' && x.address === E,
      );
      assert.ok(row, 'the account at the address is listed');
      assert.equal(row.failures, 5);
      assert.equal(row.delayed, true);
      assert.ok(new Date(row.blockedUntil) > now);
      assert.ok(
        list.json.items.some(
          (x: { username: string | null; address: string | null }) =>
            x.username === null && x.address === E,
        ),
        'the address itself is listed',
      );

      const viewer = from('198.51.100.2');
      assert.equal((await viewer.login('script-user', PW)).status, 200);
      assert.equal((await viewer.get('/api/signin-throttles')).status, 403);
      assert.equal(
        (await viewer.post('/api/signin-throttles/lift', { username: 'lift-me' })).status,
        403,
      );

      const lifted = await admin.post('/api/signin-throttles/lift', {
        username: 'lift-me',
        address: E,
      });
      assert.equal(lifted.status, 200);
      assert.equal(lifted.json.lifted, 1);
      assert.equal((await from(E).login('lift-me', PW)).status, 200, 'in at once after the lift');
      const none = await admin.post('/api/signin-throttles/lift', { username: 'nobody-at-all' });
      assert.equal(none.status, 404);

      const audit = await admin.get('/api/audit?entityType=signin_throttle&limit=1000');
      const actions = audit.json.items.map((e: { action: string }) => e.action);
      assert.ok(actions.includes('signin.throttle_start'), 'throttle starts are audited');
      const lift = audit.json.items.find(
        (e: { action: string }) => e.action === 'signin.throttle_lift',
      );
      assert.equal(lift.actor.name, 'admin');
      assert.equal(lift.entity.id, `lift-me@${E}`);
      assert.equal(lift.before[0].failures, 5);
      const failed = await admin.get('/api/audit?entityType=signin&limit=1000');
      assert.ok(
        failed.json.items.some(
          (e: { action: string; entity: { id: string }; after: { address: string } }) =>
            e.action === 'signin.failed' && e.entity.id === 'lift-me' && e.after.address === E,
        ),
        'failed sign-ins are audited with the address',
      );
    });
  });
}
