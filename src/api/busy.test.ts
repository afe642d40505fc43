import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ACTIONS, actionsOfRole, type Actor } from '../domain/access.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { openDatabase } from '../db/client.ts';
import { createServices } from '../services/index.ts';

const metadata = {
  dataElements: [
    {
      code: 'CASES_TRACED',
      nameVi: 'Số ca truy vết',
      nameEn: 'Cases traced',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
};

const value = (period: string, orgUnit: string, v: number) => ({
  dataElement: 'CASES_TRACED',
  period,
  orgUnit,
  value: String(v),
});

const Q = '/api/analytics?dimension=dx:CASES_TRACED&dimension=pe:2022-01&dimension=ou:USER_ORGUNIT';
const national: Actor = {
  kind: 'user',
  id: '1',
  name: 'admin',
  role: 'admin',
  permissions: ACTIONS,
  scope: { version: '2022', code: 'VN', path: '/VN/' },
};
const hcm: Actor = {
  kind: 'user',
  id: '2',
  name: 'hcm-viewer',
  role: 'viewer',
  permissions: actionsOfRole('viewer'),
  scope: { version: '2022', code: '79', path: '/VN/79/' },
};
const question = { dx: ['CASES_TRACED'], pe: ['2022-01'], ou: ['USER_ORGUNIT'] };
const cells = (r: { cells: { ou: string; value: number | null }[] }) =>
  r.cells.map((c) => `${c.ou}=${c.value}`).join(',');

/** The session cookie an ApiClient holds, to send a request of our own with an AbortSignal. */
function cookieOf(c: ApiClient): string | undefined {
  const jar = (c as unknown as { cookies: Map<string, string> }).cookies;
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ') || undefined;
}

const total = (json: { rows: string[][] }) => json.rows.map((r) => `${r[2]}=${r[3]}`).join(',');

for (const engine of testEngines()) {
  describe(`the queue and identical questions on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let viewer: ApiClient;
    /** Computations of an analytics answer: each reads the metadata once. */
    let computations = 0;

    before(async () => {
      t = await openTestDb(engine);
      const analytics = t.services.analytics as unknown as { metadata: () => Promise<unknown> };
      const metadataOf = analytics.metadata.bind(analytics);
      analytics.metadata = () => {
        computations++;
        return metadataOf();
      };
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const r = await admin.post('/api/data/import', {
        dataValues: [value('2022-01-01', '26740', 1), value('2022-01-02', '00001', 100)],
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      await t.services.auth.createUser('system', {
        username: 'hcm-viewer',
        password: 'Viewer-pw-1234',
        role: 'viewer',
        scope: { version: '2022', code: '79' },
      });
      viewer = ApiClient.for(t.services);
      await viewer.login('hcm-viewer', 'Viewer-pw-1234');
    });
    after(() => t.close());

    /** Every connection busy for a moment (the server's pool has ten). */
    const holdConnections = () =>
      Promise.all(
        Array.from({ length: engine === 'pglite' ? 1 : 10 }, () =>
          sql`select pg_sleep(0.4)`.execute(t.database.db),
        ),
      );

    it('answers identical questions asked at the same time once, each with the right answer', async () => {
      // A busy moment: the questions wait for a connection, and share one computation.
      computations = 0;
      const held = holdConnections();
      const waiting = Promise.all(
        Array.from({ length: 8 }, () => t.services.analytics.query(national, question)),
      );
      await held;
      for (const a of await waiting) assert.equal(cells(a), 'VN=101');
      assert.equal(computations, 1);
      // Over HTTP, each request signs in first, so they reach the question at different
      // moments: on the embedded engine they still share (nothing written in between); a
      // server with a free connection starts at once, and the next ones share.
      computations = 0;
      const answers = await Promise.all(Array.from({ length: 8 }, () => admin.get(Q)));
      for (const a of answers) {
        assert.equal(a.status, 200, a.text);
        assert.equal(total(a.json), 'VN=101');
      }
      // Nothing was written in between: they share on both engines (joined while running,
      // or given the answer again just after).
      assert.equal(computations, 1);
    });

    it('never shares an answer between askers of different scopes', async () => {
      computations = 0;
      const q = { ...question, pe: ['202201'] };
      const held = holdConnections();
      const [a, b, c] = await Promise.all([
        t.services.analytics.query(national, q),
        t.services.analytics.query(hcm, q),
        t.services.analytics.query(national, q),
      ]);
      assert.equal(cells(a), 'VN=101');
      assert.equal(cells(c), 'VN=101');
      await held;
      assert.equal(cells(b), '79=1');
      assert.equal(computations, 2);
      const [x, y] = await Promise.all([admin.get(Q), viewer.get(Q)]);
      assert.equal(total(x.json), 'VN=101');
      assert.equal(total(y.json), '79=1');
    });

    it('never gives a question asked after an import an answer from before it', async () => {
      const asked = admin.get(Q); // may be running while the import commits
      const imported = await admin.post('/api/data/import', {
        dataValues: [value('2022-01-03', '26740', 1000)],
      });
      assert.equal(imported.status, 200, imported.text);
      const later = await Promise.all([admin.get(Q), admin.get(Q)]);
      for (const r of later) assert.equal(total(r.json), 'VN=1101');
      assert.match(total((await asked).json), /^VN=(101|1101)$/);
    });

    it('answers 503 busy with Retry-After when the queue is full, and serves who fits', async () => {
      t.database.queueLimit = 2;
      try {
        const answers = await Promise.all(Array.from({ length: 6 }, () => admin.get(Q)));
        const refused = answers.filter((a) => a.status === 503);
        const served = answers.filter((a) => a.status === 200);
        assert.equal(served.length + refused.length, 6);
        assert.ok(served.length >= 2, 'the first two are served');
        assert.ok(refused.length >= 1, 'the others are told to come back');
        for (const r of refused) {
          assert.ok(Number(r.headers.get('retry-after')) >= 1);
          assert.equal(r.json.error.code, 'busy');
          assert.match(r.json.error.messages.vi, /bận/);
          assert.match(r.json.error.messages.en, /busy/);
        }
        for (const s of served) assert.equal(total(s.json), 'VN=1101');
      } finally {
        t.database.queueLimit = 256;
      }
      // Room again: everyone waits their turn and is answered.
      const answers = await Promise.all(Array.from({ length: 50 }, () => admin.get(Q)));
      assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
    });

    it('drops a request whose client went away before it was served', async () => {
      const headers = { cookie: cookieOf(admin) ?? '' };
      // Gone before it reached the database.
      computations = 0;
      const left = new AbortController();
      left.abort();
      const gone = await admin.app.request(Q.replace('2022-01', '2022-02'), {
        headers,
        signal: left.signal,
      });
      assert.equal(gone.status, 503);
      assert.equal(computations, 0);
    });

    it('gives an answer again while nothing was written, never after a write by another instance', async () => {
      const q = { ...question, ou: ['VN'] };
      computations = 0;
      assert.equal(cells(await t.services.analytics.query(national, q)), 'VN=1101');
      assert.equal(cells(await t.services.analytics.query(national, q)), 'VN=1101');
      assert.equal(computations, 1, 'the second asking takes the first answer');
      // Another instance on the same database (its own connections) imports a value; on the
      // embedded engine a second process cannot open the data directory, so this one writes.
      const other =
        engine === 'postgres'
          ? createServices(await openDatabase({ databaseUrl: t.database.url! }))
          : t.services;
      try {
        const s = await other.dataValues.import(
          'system',
          { values: [{ index: 0, ...value('2022-01-02', '00001', 5) }] },
          { atomic: true },
        );
        assert.equal(s.importCount.updated, 1, JSON.stringify(s));
      } finally {
        if (other !== t.services) await other.database.close();
      }
      assert.equal(cells(await t.services.analytics.query(national, q)), 'VN=1006');
      assert.equal(computations, 2);
    });
  });
}
