import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

for (const engine of testEngines()) {
  describe(`sign-in, sessions and tokens on ${engine}`, () => {
    let t: TestDb;
    let now = new Date('2026-11-23T03:00:00Z');
    before(async () => {
      t = await openTestDb(engine, { clock: () => now, auth: { failureDelayMs: 50 } });
      await t.services.auth.createUser('system', {
        username: 'hcm-leader',
        password: 'Leader-pw-123',
        role: 'leader',
        scope: { version: '2025', code: '79' },
      });
    });
    after(() => t.close());

    it('answers /api/health and refuses data without sign-in', async () => {
      const c = ApiClient.for(t.services);
      const health = await c.get('/api/health');
      assert.equal(health.status, 200);
      assert.equal(health.json.engine, engine);
      const r = await c.get('/api/orgunits?level=1');
      assert.equal(r.status, 401);
      assert.equal(r.json.error.code, 'unauthenticated');
      assert.equal(r.json.error.message, 'Bạn cần đăng nhập');
      const en = await c.get('/api/orgunits?level=1', { 'accept-language': 'en-US' });
      assert.equal(en.json.error.message, 'You need to sign in');
    });

    it('signs in with a session cookie that is HttpOnly and SameSite, and signs out', async () => {
      const c = ApiClient.for(t.services);
      const r = await c.login('admin', ADMIN_PASSWORD);
      assert.equal(r.status, 200);
      const cookie = r.headers.getSetCookie().find((x) => x.startsWith('opsroom_session='))!;
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.equal(r.json.role, 'admin');
      assert.equal((await c.get('/api/auth/me')).json.username, 'admin');
      assert.equal((await c.post('/api/auth/logout')).status, 204);
      assert.equal((await c.get('/api/auth/me')).status, 401);
    });

    it('answers a wrong password and an unknown user alike', async () => {
      const c = ApiClient.for(t.services);
      const wrong = await c.login('admin', 'not-the-password');
      const unknown = await c.login('nobody-here', 'not-the-password');
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.deepEqual(wrong.json, unknown.json);
      assert.equal(wrong.json.error.code, 'invalid_credentials');
      await ApiClient.for(t.services).login('admin', ADMIN_PASSWORD); // resets the failure count
    });

    it('after five failures makes the next attempt wait (429, Retry-After), not a lock', async () => {
      const c = ApiClient.for(t.services);
      for (let i = 0; i < 5; i++)
        assert.equal((await c.login('hcm-leader', 'wrong-password')).status, 401);
      const waiting = await c.login('hcm-leader', 'Leader-pw-123');
      assert.equal(waiting.status, 429, 'the right password waits too, unchecked');
      assert.equal(waiting.json.error.code, 'too_many_attempts');
      assert.equal(waiting.headers.get('retry-after'), '1');
      now = new Date(now.getTime() + 1_000);
      assert.equal((await c.login('hcm-leader', 'Leader-pw-123')).status, 200);
    });

    it('refuses a cookie-authenticated write without the anti-forgery token', async () => {
      const c = ApiClient.for(t.services);
      await c.login('admin', ADMIN_PASSWORD);
      const body = {
        name: 'x',
        scope: { version: '2025', code: '79' },
        permissions: ['unit.read'],
      };
      const missing = await c.post('/api/tokens', body, { 'x-csrf-token': '' });
      assert.equal(missing.status, 403);
      assert.equal(missing.json.error.code, 'csrf_failed');
      const foreign = await c.post('/api/tokens', body, { origin: 'https://evil.example' });
      assert.equal(foreign.json.error.code, 'csrf_failed');
      assert.equal((await c.post('/api/tokens', body)).status, 201);
    });

    it('gives a machine token only its scope and permissions, and refuses it once revoked', async () => {
      const admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      const created = await admin.post('/api/tokens', {
        name: 'hcm-platform',
        scope: { version: '2025', code: '79' },
        permissions: ['unit.read'],
      });
      assert.equal(created.status, 201);
      const token = created.json.token as string;
      const machine = ApiClient.for(t.services, { authorization: `Bearer ${token}` });
      assert.equal((await machine.get('/api/orgunits/26740?version=2025')).status, 200);
      assert.equal(
        (await machine.get('/api/orgunits/01?version=2025')).json.error.code,
        'out_of_scope',
      );
      const write = await machine.post('/api/groups', {
        version: '2025',
        code: 'by-token',
        name: 'x',
        owner: '79',
        definition: { codes: ['26740'] },
      });
      assert.equal(write.json.error.code, 'forbidden');
      const apiToken = ApiClient.for(t.services, { authorization: `ApiToken ${token}` });
      assert.equal((await apiToken.get('/api/orgunits/26740?version=2025')).status, 200);

      const list = await admin.get('/api/tokens');
      assert.ok(list.json.items.some((x: { id: string }) => x.id === created.json.id));
      assert.ok(
        !JSON.stringify(list.json).includes(token.slice(`opr_${created.json.id}_`.length)),
        'secrets are never listed',
      );

      assert.equal((await admin.request('DELETE', `/api/tokens/${created.json.id}`)).status, 204);
      const after = await machine.get('/api/orgunits/26740?version=2025');
      assert.equal(after.status, 401);
      const bogus = await ApiClient.for(t.services, {
        authorization: 'Bearer opr_abcdefghijkl_' + 'x'.repeat(43),
      }).get('/api/orgunits/79');
      assert.deepEqual(
        after.json,
        bogus.json,
        'a revoked token and a bogus one are answered alike',
      );
    });

    it('accepts HTTP Basic with a user name and password', async () => {
      const basic = Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');
      const r = await ApiClient.for(t.services, { authorization: `Basic ${basic}` }).get(
        '/api/orgunits?version=2025&level=1',
      );
      assert.equal(r.json.total, 34);
    });

    it('validates input at the boundary with a clear error', async () => {
      const c = ApiClient.for(t.services);
      await c.login('admin', ADMIN_PASSWORD);
      const r = await c.post('/api/users', {
        username: 'X',
        password: 'short',
        role: 'king',
        scope: { version: '2025', code: '79' },
      });
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'validation_failed');
      assert.ok(r.json.error.details.issues.length >= 3);
      // A schema's own wording stays in both languages; zod's default one is said in Vietnamese.
      const issue = (path: string) =>
        r.json.error.details.issues.find((i: { path: string }) => i.path === path);
      assert.equal(issue('username').vi, issue('username').en);
      assert.match(issue('username').en, /^lowercase letters/);
      assert.match(issue('role').vi, /^Tùy chọn không hợp lệ/);
      const unknownVersion = await c.get('/api/orgunits/79?version=1999');
      assert.equal(unknownVersion.status, 404);
      assert.equal(unknownVersion.json.error.code, 'unknown_version');
      const unknownUnit = await c.get('/api/orgunits/99999?version=2025');
      assert.equal(unknownUnit.json.error.code, 'unknown_unit');
    });

    it('lets an admin add a user only within its own scope, audited', async () => {
      const admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      const r = await admin.post('/api/users', {
        username: 'ben-nghe-officer',
        password: 'Officer-pw-123',
        role: 'officer',
        scope: { version: '2022', code: '26740' },
      });
      assert.equal(r.status, 201);
      const dup = await admin.post('/api/users', {
        username: 'ben-nghe-officer',
        password: 'Officer-pw-123',
        role: 'officer',
        scope: { version: '2022', code: '26740' },
      });
      assert.equal(dup.status, 409);
      const officer = ApiClient.for(t.services);
      await officer.login('ben-nghe-officer', 'Officer-pw-123');
      assert.equal(
        (await officer.get('/api/orgunits/26740?version=2022')).json.fullName,
        'Phường Bến Nghé',
      );
      assert.equal((await officer.get('/api/orgunits/26743?version=2022')).status, 403);
      const log = await admin.get('/api/audit?entityType=user');
      const entry = log.json.items.find(
        (e: { after: { username: string } }) => e.after.username === 'ben-nghe-officer',
      );
      assert.equal(entry.actor.name, 'admin');
      assert.equal(entry.after.scope, '2022:26740');
    });

    it('serves the OpenAPI document generated from the route schemas', async () => {
      const r = await ApiClient.for(t.services).get('/api/openapi.json');
      assert.equal(r.status, 200);
      for (const path of [
        '/api/health',
        '/api/auth/login',
        '/api/orgunits',
        '/api/orgunits/{code}',
        '/api/orgunits/{code}/children',
        '/api/groups',
        '/api/tokens',
        '/api/audit',
      ]) {
        assert.ok(r.json.paths[path], `documents ${path}`);
      }
      const params = r.json.paths['/api/orgunits'].get.parameters.map(
        (p: { name: string }) => p.name,
      );
      assert.ok(['version', 'level', 'parent', 'q'].every((p) => params.includes(p)));
    });
  });
}
