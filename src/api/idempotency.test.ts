import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../db/client.ts';
import { createServices } from '../services/index.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { BodyFingerprint } from '../services/idempotency.service.ts';

const PW = 'Idempotency-pw-123';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const directive = (title: string, units = ['26740', '00004']) => ({
  title,
  body: 'Báo cáo tình hình trước thứ Sáu.',
  priority: 'normal',
  dueDate: '2030-01-31',
  target: { kind: 'units', version: '2025', units },
});

const counts = async (t: TestDb) =>
  (
    await sql<{ d: number; t: number; a: number; imports: number }>`select
      (select count(*)::int from directive) as d, (select count(*)::int from task) as t,
      (select count(*)::int from attachment) as a,
      (select count(*)::int from audit_event where action = 'data.import') as imports`.execute(
      t.database.db,
    )
  ).rows[0]!;

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

for (const engine of testEngines()) {
  describe(`Idempotency-Key on write routes (${engine})`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let leader: ApiClient;
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      await t.services.auth.createUser('system', {
        username: 'ld79',
        password: PW,
        role: 'leader',
        scope: { version: '2025', code: '79' },
      });
      leader = ApiClient.for(t.services);
      assert.equal((await leader.login('ld79', PW)).status, 200);
    });
    after(() => t.close());

    it('answers a retried directive with the same directive, applied once', async () => {
      const before = await counts(t);
      const key = { 'idempotency-key': 'issue-1' };
      const first = await admin.post('/api/directives', directive('Lần một'), key);
      assert.equal(first.status, 201, first.text);
      assert.equal(first.json.taskCount, 2);
      const again = await admin.post('/api/directives', directive('Lần một'), key);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.json.directive.id, first.json.directive.id);
      assert.deepEqual(again.json, first.json);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const now = await counts(t);
      assert.equal(now.d, before.d + 1, 'one directive');
      assert.equal(now.t, before.t + 2, 'tasks of one directive');
    });

    it('refuses the same key with another body, in Vietnamese and English', async () => {
      const before = await counts(t);
      const key = { 'idempotency-key': 'issue-1' };
      const r = await admin.post('/api/directives', directive('Lần hai'), key);
      assert.equal(r.status, 422, r.text);
      assert.equal(r.json.error.code, 'idempotency_key_reused');
      assert.match(r.json.error.messages.vi, /Idempotency-Key/);
      assert.match(r.json.error.messages.en, /Idempotency-Key/);
      const other = await admin.post('/api/tasks', { unit: '26740' }, key);
      assert.equal(other.status, 422, other.text);
      assert.equal(other.json.error.code, 'idempotency_key_reused');
      assert.deepEqual(await counts(t), before);
    });

    it('keeps keys per caller: another user’s same key is a new request', async () => {
      const key = { 'idempotency-key': 'issue-1' };
      const mine = await admin.post('/api/directives', directive('Lần một'), key);
      const theirs = await leader.post('/api/directives', directive('Lần một', ['26740']), key);
      assert.equal(theirs.status, 201, theirs.text);
      assert.equal(theirs.headers.get('idempotent-replayed'), null);
      assert.notEqual(theirs.json.directive.id, mine.json.directive.id);
      assert.equal(theirs.json.taskCount, 1);
    });

    it('applies concurrent requests with one key once', async () => {
      const before = await counts(t);
      const key = { 'idempotency-key': 'concurrent-1' };
      const rs = await Promise.all(
        [1, 2, 3, 4].map(() => admin.post('/api/directives', directive('Đồng thời'), key)),
      );
      const applied = rs.filter((r) => r.status === 201 && !r.headers.get('idempotent-replayed'));
      assert.equal(applied.length, 1, rs.map((r) => `${r.status} ${r.text}`).join('\n'));
      for (const r of rs) {
        if (r === applied[0]) continue;
        if (r.status === 201) assert.equal(r.json.directive.id, applied[0]!.json.directive.id);
        else {
          assert.equal(r.status, 409, r.text);
          assert.equal(r.json.error.code, 'idempotency_in_progress');
          assert.ok(Number(r.headers.get('retry-after')) >= 1);
        }
      }
      const now = await counts(t);
      assert.equal(now.d, before.d + 1);
      assert.equal(now.t, before.t + 2);
      const later = await admin.post('/api/directives', directive('Đồng thời'), key);
      assert.equal(later.json.directive.id, applied[0]!.json.directive.id);
    });

    if (engine === 'postgres')
      it('applies once across two instances on one database', async () => {
        const other = await openDatabase({ databaseUrl: t.url! });
        try {
          const second = ApiClient.for(createServices(other), { authorization: basic });
          const first = ApiClient.for(t.services, { authorization: basic });
          const before = await counts(t);
          const key = { 'idempotency-key': 'two-instances' };
          const rs = await Promise.all([
            first.post('/api/directives', directive('Hai máy'), key),
            second.post('/api/directives', directive('Hai máy'), key),
            first.post('/api/directives', directive('Hai máy'), key),
            second.post('/api/directives', directive('Hai máy'), key),
          ]);
          for (const r of rs) assert.ok(r.status === 201 || r.status === 409, r.text);
          const ids = new Set(rs.filter((r) => r.status === 201).map((r) => r.json.directive.id));
          assert.equal(ids.size, 1);
          const now = await counts(t);
          assert.equal(now.d, before.d + 1);
          assert.equal(now.t, before.t + 2);
        } finally {
          await other.close();
        }
      });

    if (engine === 'postgres')
      it('rolls a write back when another instance commits the same key first', async () => {
        // Another instance's transaction holds the key while this request runs; it commits
        // after this request reached its own commit point.
        const admin1 = await sql<{
          id: number;
        }>`select id from app_user where username = 'admin'`.execute(t.database.db);
        const body = JSON.stringify(directive('Tranh chấp'));
        const fingerprint = createHash('sha256')
          .update('application/json\n' + body)
          .digest('hex');
        const other = new pg.Client({ connectionString: t.url! });
        await other.connect();
        try {
          await other.query('begin');
          await other.query(
            `insert into idempotency_key (actor, key, attempt, method, path, fingerprint, action,
               entity_type, entity_id, expires_at, status, content_type, response)
             values ($1, 'held', 'elsewhere', 'POST', '/api/directives', $2, 'directive.issue',
               'directive', '1', now() + interval '1 hour', 201, 'application/json', $3)`,
            [`user:${admin1.rows[0]!.id}`, fingerprint, Buffer.from('{"elsewhere":true}')],
          );
          const before = await counts(t);
          const pending = admin.app.request('/api/directives', {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: basic,
              'idempotency-key': 'held',
            },
            body,
          });
          // The request waits on the key's row lock inside its transaction.
          for (let i = 0; i < 100; i++) {
            const waiting = await other.query(
              `select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%idempotency_key%'`,
            );
            if (waiting.rowCount) break;
            await new Promise((r) => setTimeout(r, 50));
          }
          await other.query('commit');
          const res = await pending;
          assert.equal(res.status, 201);
          assert.equal(res.headers.get('idempotent-replayed'), 'true');
          assert.deepEqual(await res.json(), { elsewhere: true });
          assert.deepEqual(await counts(t), before, 'its directive was rolled back');
        } finally {
          await other.end();
        }
      });

    it('imports a retried data value set once and replays its summary', async () => {
      const meta = await admin.post('/api/metadata', {
        dataElements: [
          {
            code: 'IDEM_CASES',
            nameVi: 'Số ca',
            nameEn: 'Cases',
            sector: 'covid',
            valueType: 'integer',
            aggTime: 'sum',
          },
        ],
      });
      assert.equal(meta.status, 200, meta.text);
      const body = JSON.stringify({
        period: '2025-01',
        orgUnit: 'VN',
        dataValues: [{ dataElement: 'IDEM_CASES', value: '42' }],
      });
      const send = async (key: string, text = body) => {
        const res = await admin.app.request('/api/dataValueSets', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: basic,
            'idempotency-key': key,
          },
          body: text,
        });
        return { status: res.status, headers: res.headers, json: await res.json() };
      };
      const before = await counts(t);
      const first = await send('import-1');
      assert.equal(first.status, 200, JSON.stringify(first.json));
      assert.equal(first.json.response.importCount.imported, 1);
      const again = await send('import-1');
      assert.equal(again.status, 200);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.json, first.json, 'the same summary, not "ignored: 1"');
      assert.equal((await counts(t)).imports, before.imports + 1, 'one import applied');
      const changed = await send('import-1', body.replace('42', '43'));
      assert.equal(changed.status, 422);
      assert.equal(changed.json.error.code, 'idempotency_key_reused');
      const csv = 'dataelement,period,orgunit,value\nIDEM_CASES,2025-02,VN,7\n';
      const res = async () =>
        admin.app.request('/api/data/import', {
          method: 'POST',
          headers: { 'content-type': 'text/csv', authorization: basic, 'idempotency-key': 'csv-1' },
          body: csv,
        });
      const c1 = await res();
      const c1json = await c1.json();
      assert.equal(c1.status, 200, JSON.stringify(c1json));
      const c2 = await res();
      assert.equal(c2.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(await c2.json(), c1json);
      assert.equal((await counts(t)).imports, before.imports + 2);
      // The streamed bodies were hashed whole as the import read them.
      const prints = await sql<{ key: string; fingerprint: string }>`
        select key, fingerprint from idempotency_key where key in ('import-1', 'csv-1')
        order by key`.execute(t.database.db);
      assert.deepEqual(
        prints.rows.map((r) => [r.key, /^[0-9a-f]{64}$/.test(r.fingerprint)]),
        [
          ['csv-1', true],
          ['import-1', true],
        ],
      );
    });

    it('stores a retried upload once (a new multipart boundary is the same body)', async () => {
      const before = await counts(t);
      const upload = async () => {
        const form = new FormData();
        form.append('file', new File([PNG], 'so-do.png'));
        const res = await admin.app.request('/api/attachments', {
          method: 'POST',
          headers: { authorization: basic, 'idempotency-key': 'upload-1' },
          body: form,
        });
        return { status: res.status, headers: res.headers, json: await res.json() };
      };
      const a = await upload();
      assert.equal(a.status, 201, JSON.stringify(a.json));
      const b = await upload();
      assert.equal(b.status, 201, JSON.stringify(b.json));
      assert.equal(b.json.id, a.json.id);
      assert.equal(b.headers.get('idempotent-replayed'), 'true');
      assert.equal((await counts(t)).a, before.a + 1);
    });

    it('forgets a key after its day: the same key is then a new request', async () => {
      const key = { 'idempotency-key': 'issue-1' };
      const old = await admin.post('/api/directives', directive('Lần một'), key);
      assert.equal(old.headers.get('idempotent-replayed'), 'true');
      await sql`update idempotency_key set expires_at = now() - interval '1 second'
        where key = 'issue-1'`.execute(t.database.db);
      const before = await counts(t);
      const r = await admin.post('/api/directives', directive('Lần hai'), key);
      assert.equal(r.status, 201, r.text);
      assert.equal(r.headers.get('idempotent-replayed'), null);
      assert.notEqual(r.json.directive.id, old.json.directive.id);
      assert.equal((await counts(t)).d, before.d + 1);
    });

    it('refuses a malformed key and says the header in the OpenAPI document', async () => {
      const r = await admin.post('/api/directives', directive('x'), {
        'idempotency-key': 'x'.repeat(300),
      });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, 'validation_failed');
      const doc = await admin.get('/api/openapi.json');
      const op = doc.json.paths['/api/directives'].post;
      assert.ok(
        op.parameters?.some(
          (p: { $ref?: string; name?: string }) =>
            p.$ref === '#/components/parameters/IdempotencyKey' || p.name === 'Idempotency-Key',
        ),
        JSON.stringify(op.parameters),
      );
    });
  });
}

describe('a body fingerprint', () => {
  const multipart = (boundary: string) =>
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\n\r\n` +
        'x'.repeat(500) +
        `\r\n--${boundary}--\r\n`,
    );
  const digest = (type: string, body: Buffer, cut: number) => {
    const f = new BodyFingerprint(type);
    for (let i = 0; i < body.length; i += cut) f.update(body.subarray(i, i + cut));
    return f.finish();
  };

  it('is the same for a multipart body sent again with a new boundary, however it arrives', () => {
    const a = digest('multipart/form-data; boundary=AAAA1111', multipart('AAAA1111'), 1000);
    for (const cut of [1, 3, 7, 64])
      assert.equal(
        digest('multipart/form-data; boundary=----b9f2c', multipart('----b9f2c'), cut),
        a,
      );
  });

  it('differs when a byte or the media type differs', () => {
    const body = Buffer.from('{"a":1}');
    const a = digest('application/json', body, 3);
    assert.notEqual(digest('application/json', Buffer.from('{"a":2}'), 3), a);
    assert.notEqual(digest('text/csv', body, 3), a);
    assert.equal(digest('application/json', body, 1), a);
  });
});

/** A port nobody listens on. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** `opsroom serve` on the server engine, as the README starts it; resolves once it listens. */
async function serve(url: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: url,
        PORT: String(port),
        HOST: '127.0.0.1',
        OPSROOM_ADMIN_PASSWORD: ADMIN_PASSWORD,
        OPSROOM_DEMO: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      if (/listening/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited:\n${log}`));
    });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    exited,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

if (testEngines().includes('postgres'))
  describe('a server killed after the commit, before the answer (postgres, real processes)', () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb('postgres');
    });
    after(() => t.close());

    it('answers the retry on a second server with the same directive, applied once', async () => {
      const before = await counts(t);
      const request = () => ({
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
          'idempotency-key': 'crash-1',
        },
        body: JSON.stringify(directive('Sau sự cố')),
      });
      const doomed = await serve(t.url!, { OPSROOM_FAULT: 'exit-after-commit:directive.issue' });
      try {
        const lost = await fetch(`${doomed.base}/api/directives`, request()).then(
          (r) => `answered ${r.status}`,
          () => 'no answer',
        );
        assert.equal(lost, 'no answer');
        await doomed.exited;
      } finally {
        await doomed.stop();
      }
      const committed = await counts(t);
      assert.equal(committed.d, before.d + 1, 'the first attempt committed');
      assert.equal(committed.t, before.t + 2);

      const next = await serve(t.url!);
      try {
        const res = await fetch(`${next.base}/api/directives`, request());
        const body = await res.json();
        assert.equal(res.status, 201, JSON.stringify(body));
        assert.equal(res.headers.get('idempotent-replayed'), 'true');
        const id = (
          await sql<{ id: number }>`select max(id)::int as id from directive`.execute(t.database.db)
        ).rows[0]!.id;
        assert.equal(body.directive.id, id);
        assert.equal(body.directive.title, 'Sau sự cố');
        assert.equal(body.taskCount, 2);
        const again = await fetch(`${next.base}/api/directives`, request());
        assert.deepEqual(await again.json(), body);
      } finally {
        await next.stop();
      }
      assert.deepEqual(await counts(t), committed, 'no second directive, no more tasks');
    });
  });
