import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { createApp } from './app.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { arriving, filler, sendBody as send } from '../test/body-sender.ts';

const MB = 1024 * 1024;

for (const engine of testEngines()) {
  describe(`body limits over a real socket on ${engine}`, () => {
    let t: TestDb;
    let server: Server;
    let url: string;
    /** The same app with the default limits. */
    let normal: Server;
    let normalUrl: string;
    let cookie: string;
    let csrf: string;
    let communes: string[];

    /** A CSV of `rows` distinct values of CASES_TRACED (communes × days of 2022). */
    const csv = (rows: number) => {
      const lines = ['dataelement,period,orgunit,value'];
      for (let i = 0; i < rows; i++) {
        const day = new Date(Date.UTC(2022, 0, 1) + Math.floor(i / communes.length) * 86400000);
        const period = day.toISOString().slice(0, 10).replaceAll('-', '');
        lines.push(`CASES_TRACED,${period},${communes[i % communes.length]},${(i % 9) + 1}`);
      }
      return Buffer.from(lines.join('\n') + '\n');
    };
    function* pieces(bytes: Buffer, size = 65536): Generator<Buffer> {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    }
    const stored = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from data_value v
          join data_element e on e.id = v.element_id where e.code = 'CASES_TRACED'`.execute(
          t.database.db,
        )
      ).rows[0]!.n;
    const signedIn = () => ({ cookie, 'x-csrf-token': csrf });

    before(async () => {
      t = await openTestDb(engine);
      // Import limits of 1 MB (CSV) and 256 kB (JSON, XML) instead of 512 and 64 MB.
      const app = createApp(t.services, {
        bodyLimits: { csvImport: 1 * MB, wholeImport: 256 * 1024 },
      });
      server = await new Promise<Server>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
          resolve(s as Server),
        );
      });
      const address = server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const defaults = createApp(t.services);
      normal = await new Promise<Server>((resolve) => {
        const s = serve({ fetch: defaults.fetch, port: 0, hostname: '127.0.0.1' }, () =>
          resolve(s as Server),
        );
      });
      const a2 = normal.address();
      normalUrl = `http://127.0.0.1:${typeof a2 === 'object' && a2 ? a2.port : 0}`;
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
      assert.equal(login.status, 200);
      csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
      cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const meta = await fetch(`${url}/api/metadata`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedIn() },
        body: JSON.stringify({
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
        }),
      });
      assert.equal(meta.status, 200, await meta.text());
      communes = (
        await sql<{ code: string }>`select code from org_unit
          where version = '2022' and level = 3 order by code limit 200`.execute(t.database.db)
      ).rows.map((r) => r.code);
    });
    after(async () => {
      for (const s of [server, normal]) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
      await t.close();
    });

    it('refuses a sign-in body over 64 kB with 413 before it is all sent (chunked)', async () => {
      const total = 16 * MB;
      const r = await send(
        url,
        '/api/auth/login',
        { 'content-type': 'application/json' },
        filler('{"username":"admin","password":"', total),
      );
      assert.equal(r.status, 413, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'payload_too_large');
      assert.match(r.json.error.message, /quá lớn/);
      assert.match(r.json.error.messages.en, /too large/);
      assert.ok(!r.finished && r.sent < total, `answered after ${r.sent} of ${total} bytes`);
    });

    it('refuses a declared Content-Length over the limit before reading anything', async () => {
      const r = await send(
        url,
        '/api/auth/login',
        { 'content-type': 'application/json', 'content-length': 200 * MB },
        filler('{"username":"admin","password":"', 1 * MB),
        5_000,
      );
      assert.equal(r.status, 413, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'payload_too_large');
      assert.equal(r.json.error.details.limit, 64 * 1024);
    });

    it('refuses a chunked CSV import over the limit with 413, storing nothing', async () => {
      const body = csv(60_000);
      assert.ok(body.length > 1.5 * MB);
      const r = await send(
        url,
        '/api/dataValueSets?atomic=false',
        { 'content-type': 'text/csv', ...signedIn() },
        pieces(body),
      );
      assert.equal(r.status, 413, JSON.stringify(r.json).slice(0, 300));
      assert.equal(r.json.error.code, 'payload_too_large');
      assert.match(r.json.error.messages.en, /CSV/);
      assert.equal(await stored(), 0);
    });

    it('refuses a JSON import over its limit with 413, storing nothing', async () => {
      const values = Array.from({ length: 5_000 }, (_, i) => ({
        dataElement: 'CASES_TRACED',
        period: '2022-02-01',
        orgUnit: communes[i % communes.length],
        value: String(i),
      }));
      const r = await send(
        url,
        '/api/dataValueSets',
        { 'content-type': 'application/json', ...signedIn() },
        pieces(Buffer.from(JSON.stringify({ dataValues: values }))),
      );
      assert.equal(r.status, 413, JSON.stringify(r.json).slice(0, 300));
      assert.match(r.json.error.messages.en, /JSON and XML at most 256 kB/);
      assert.equal(await stored(), 0);
    });

    it('imports a chunked CSV under the limit as it arrives', async () => {
      const body = csv(8_000);
      const r = await send(
        url,
        '/api/data/import',
        { 'content-type': 'text/csv; charset=utf-8', ...signedIn() },
        pieces(body, 4096),
      );
      assert.equal(r.status, 200, JSON.stringify(r.json).slice(0, 300));
      assert.equal(r.json.response.importCount.imported, 8_000);
      assert.equal(await stored(), 8_000);
    });

    it('reads a CSV import as it arrives, not after the body is whole', async () => {
      // A byte that is not UTF-8 early in a 64 MB body: an import that reads as the body
      // arrives answers before the client is done; one that buffers first waits for the end.
      const total = 64 * MB;
      const good = csv(2_000);
      function* body() {
        yield good;
        yield Buffer.from([0xe9, 0x0a]);
        const row = Buffer.from(`CASES_TRACED,20230101,${communes[0]},1\n`.repeat(2048));
        for (let n = good.length; n < total; n += row.length) yield row;
      }
      const r = await send(
        normalUrl,
        '/api/dataValueSets',
        { 'content-type': 'text/csv', ...signedIn() },
        body(),
      );
      assert.equal(r.status, 400, JSON.stringify(r.json).slice(0, 300));
      assert.equal(r.json.error.code, 'file_invalid');
      assert.match(r.json.error.message, /UTF-8/);
      assert.ok(!r.finished && r.sent < total / 2, `answered after ${r.sent} of ${total} bytes`);
      assert.equal(await stored(), 8_000, 'only the earlier import');
    });

    it('reads a streamed CSV a second time from its spool when a bulk load finds a key twice', async () => {
      // Periods no import used yet, so that the bulk load takes them; the last row repeats a key.
      const lines = ['dataelement,period,orgunit,value'];
      for (let i = 0; i < 3_000; i++)
        lines.push(
          `CASES_TRACED,202106${String(1 + (i % 30)).padStart(2, '0')},${communes[Math.floor(i / 30)]},${i}`,
        );
      lines.push(`CASES_TRACED,20210602,${communes[0]},7`);
      const twice = Buffer.from(lines.join('\n') + '\n');
      const opts = { atomic: true, bulk: 'always' as const, version: '2022' };
      const streamed = await t.services.dataValues.importCsvStream(
        'system',
        arriving(pieces(twice, 1000)),
        opts,
      );
      assert.equal(streamed.status, 'ERROR', JSON.stringify(streamed.importCount));
      const lineOf = streamed.conflicts.map((c) => c.line);
      assert.ok(lineOf.includes(3_002), JSON.stringify(streamed.conflicts).slice(0, 300));
      const bytes = await t.services.dataValues.importCsvBytes('system', twice, opts);
      assert.deepEqual(streamed, bytes, 'the same answer as the same bytes held in memory');
    });

    it('refuses an attachment over 10 MB with 413 before it is all sent', async () => {
      const boundary = 'x-opsroom-test-boundary';
      const total = 40 * MB;
      function* multipart() {
        yield Buffer.from(
          `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="lon.pdf"\r\n` +
            'content-type: application/pdf\r\n\r\n%PDF-1.4\n',
        );
        yield* filler('', total);
      }
      const r = await send(
        url,
        '/api/attachments',
        { 'content-type': `multipart/form-data; boundary=${boundary}`, ...signedIn() },
        multipart(),
      );
      assert.equal(r.status, 413, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'payload_too_large');
      assert.match(r.json.error.message, /10 MB/);
      assert.ok(!r.finished && r.sent < total, `answered after ${r.sent} of ${total} bytes`);
      const files = await sql<{
        n: number;
      }>`select count(*)::int as n from attachment`.execute(t.database.db);
      assert.equal(files.rows[0]!.n, 0);
    });
  });

  describe(`framework answers in both languages on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
    });
    after(() => t.close());

    it('refuses a cookie write with Origin null or malformed as csrf_failed, not 500', async () => {
      for (const origin of ['null', 'http://[', 'not a url', '://']) {
        const r = await admin.post('/api/auth/logout', undefined, { origin });
        assert.equal(r.status, 403, `${origin}: ${r.text}`);
        assert.equal(r.json.error.code, 'csrf_failed', origin);
      }
      // The session is still there: nothing was done.
      assert.equal((await admin.get('/api/auth/me')).status, 200);
    });

    it('answers 415 naming the accepted types for an import of another type', async () => {
      const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
      const csv = 'dataelement,period,orgunit,value\nCASES_TRACED,20220301,26740,7\n';
      for (const path of ['/api/dataValueSets', '/api/40/dataValueSets', '/api/data/import']) {
        const res = await admin.app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'image/png', authorization: basic },
          body: csv,
        });
        const r = (await res.json()) as { error: { code: string; message: string } };
        assert.equal(res.status, 415, `${path}: ${JSON.stringify(r)}`);
        assert.equal(r.error.code, 'unsupported_media_type');
        assert.match(r.error.message, /image\/png/);
        for (const type of ['application/json', 'text/csv', 'application/xml'])
          assert.ok(r.error.message.includes(type), r.error.message);
      }
    });

    it('answers malformed JSON with 400 in Vietnamese unless English is asked', async () => {
      const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
      const post = (lang?: string) =>
        admin.app.request('/api/metadata', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: basic,
            ...(lang ? { 'accept-language': lang } : {}),
          },
          body: '{"dataElements": [',
        });
      const vi = await post();
      assert.equal(vi.status, 400);
      const body = (await vi.json()) as {
        error: { code: string; message: string; messages: { vi: string; en: string } };
      };
      assert.equal(body.error.code, 'bad_request');
      assert.match(body.error.message, /JSON/);
      assert.match(body.error.message, /không/);
      assert.notEqual(body.error.messages.vi, body.error.messages.en);
      const en = (await (await post('en')).json()) as { error: { message: string } };
      assert.match(en.error.message, /JSON/);
      assert.equal(en.error.message, body.error.messages.en);
    });
  });
}
