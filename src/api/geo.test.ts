import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

interface Fc {
  type: string;
  features: { type: string; properties: { code: string; name: string; province?: string } }[];
}

for (const engine of testEngines()) {
  describe(`boundary maps on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    const basic = { authorization: 'Basic ' + btoa(`admin:${ADMIN_PASSWORD}`) };
    /** The raw answer (the test client reads bodies as text, which a gzip body is not). */
    const raw = (path: string, headers: Record<string, string> = {}) =>
      admin.app.request(path, { headers: { ...basic, ...headers } });
    const codes = async (path: string) =>
      (await admin.get(path)).json.items.map((u: { code: string }) => u.code).sort();

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
    });
    after(() => t.close());

    it('lists the maps: provinces of every tree, communes of the 2025 tree', async () => {
      const r = await admin.get('/api/geo');
      assert.equal(r.status, 200);
      const items = r.json.items as {
        version: string;
        parent: string;
        level: number;
        features: number;
        href: string;
        etag: string;
      }[];
      const find = (v: string, p: string, l: number) =>
        items.find((e) => e.version === v && e.parent === p && e.level === l);
      assert.equal(find('2022', 'VN', 1)?.features, 63);
      assert.equal(find('2025-03', 'VN', 1)?.features, 63);
      assert.equal(find('2025', 'VN', 1)?.features, 34);
      assert.equal(find('2025', 'VN', 2)?.features, 3321);
      const byProvince = items.filter((e) => e.version === '2025' && e.parent !== 'VN');
      assert.equal(byProvince.length, 34);
      assert.equal(
        byProvince.reduce((s, e) => s + e.features, 0),
        3321,
      );
      assert.equal(
        find('2025', '79', 2)?.href,
        `/api/geo/2025/79?level=2&h=${find('2025', '79', 2)?.etag}`,
      );
      assert.equal(find('2022', '79', 2), undefined, 'no district boundaries for 2022');
    });

    it('serves the provinces of each tree under our unit codes', async () => {
      for (const version of ['2022', '2025-03', '2025']) {
        const r = await admin.get(`/api/geo/${version}/VN`);
        assert.equal(r.status, 200, r.text);
        assert.match(r.headers.get('content-type') ?? '', /^application\/geo\+json/);
        const fc = r.json as Fc;
        assert.equal(fc.type, 'FeatureCollection');
        assert.deepEqual(
          fc.features.map((f) => f.properties.code).sort(),
          await codes(`/api/orgunits?version=${version}&level=1&limit=1000`),
          version,
        );
      }
      const fc = (await admin.get('/api/geo/2025/VN')).json as Fc;
      const hcm = fc.features.find((f) => f.properties.code === '79');
      assert.equal(hcm?.properties.name, 'Hồ Chí Minh');
    });

    it('serves the communes of a 2025 province and of the whole country', async () => {
      const r = await admin.get('/api/geo/2025/79');
      assert.equal(r.status, 200, r.text);
      const fc = r.json as Fc;
      assert.deepEqual(
        fc.features.map((f) => f.properties.code).sort(),
        await codes('/api/orgunits/79/children?version=2025&limit=1000'),
      );
      assert.ok(fc.features.every((f) => f.properties.province === '79'));
      assert.ok(fc.features.some((f) => f.properties.name === 'Sài Gòn'));

      const all = await admin.get('/api/geo/2025/VN?level=2');
      assert.equal(all.status, 200);
      const allFc = all.json as Fc;
      assert.equal(allFc.features.length, 3321);
      assert.deepEqual(
        allFc.features.map((f) => f.properties.code).sort(),
        await codes('/api/orgunits?version=2025&level=2&limit=20000'),
      );
      // Simplified for the national view: far lighter than the communes at full detail.
      assert.ok(all.text.length < 3_000_000, `all communes weigh ${all.text.length} bytes`);
    });

    it('compresses, tags and caches the answers', async () => {
      const index = (await admin.get('/api/geo')).json.items as {
        href: string;
        etag: string;
        version: string;
        parent: string;
        level: number;
      }[];
      const e = index.find((x) => x.version === '2025' && x.parent === 'VN' && x.level === 1)!;
      const zipped = await raw(e.href, { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(zipped.status, 200);
      assert.equal(zipped.headers.get('content-encoding'), 'gzip');
      assert.equal(zipped.headers.get('cache-control'), 'private, max-age=31536000, immutable');
      assert.equal(zipped.headers.get('etag'), `"${e.etag}"`);
      const packed = Buffer.from(await zipped.arrayBuffer());
      const body = gunzipSync(packed);
      const plain = await raw('/api/geo/2025/VN');
      assert.equal(plain.headers.get('content-encoding'), null);
      assert.equal(plain.headers.get('cache-control'), 'private, max-age=3600');
      const text = await plain.text();
      assert.equal(body.toString('utf8'), text);
      assert.ok(
        body.length > 3 * packed.length,
        `${body.length} bytes packed into ${packed.length}`,
      );

      const again = await raw('/api/geo/2025/VN', { 'if-none-match': `"${e.etag}"` });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');
    });

    it('says clearly where there is no map, and asks who is calling', async () => {
      const none = await admin.get('/api/geo/2022/79');
      assert.equal(none.status, 404);
      assert.equal(none.json.error.code, 'not_found');
      assert.match(none.json.error.messages.vi, /Chưa có bản đồ ranh giới/);
      assert.match(none.json.error.messages.en, /No boundary map/);
      const version = await admin.get('/api/geo/1999/VN');
      assert.equal(version.status, 404);
      assert.equal(version.json.error.code, 'unknown_version');

      const anonymous = await admin.app.request('/api/geo/2025/VN');
      assert.equal(anonymous.status, 401);
      assert.equal((await admin.app.request('/api/geo')).status, 401);
    });
  });
}
