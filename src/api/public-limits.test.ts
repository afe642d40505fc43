import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from './app.ts';
import { TEST_ADDRESS_HEADER } from './client-address.ts';
import { PUBLIC_LIMITS } from '../domain/public-limits.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * The public page's place search under its rate limit (issue 20): generous per address, a
 * 429 with Retry-After past it; other addresses and signed-in officers are not counted.
 */
for (const engine of testEngines()) {
  describe(`rate limits of the public place routes on ${engine}`, () => {
    let t: TestDb;
    let now = new Date('2026-12-07T08:00:10Z');
    let app: ReturnType<typeof createApp>;
    const citizen = (address: string, lang = 'vi') =>
      new ApiClient(app, { [TEST_ADDRESS_HEADER]: address, 'accept-language': lang });

    before(async () => {
      t = await openTestDb(engine, { clock: () => now });
      app = createApp(t.services);
    });
    after(() => t?.close());

    it('answers the search 120 times a minute per address, then 429 until the minute ends', async () => {
      const one = citizen('198.51.100.7');
      const { limit } = PUBLIC_LIMITS.placePerAddress;
      for (let i = 0; i < limit; i++)
        assert.equal((await one.get('/api/places/search?q=ben%20thanh')).status, 200, `${i + 1}`);
      const refused = await one.get('/api/places/search?q=ben%20thanh');
      assert.equal(refused.status, 429);
      assert.equal(refused.json.error.code, 'rate_limited');
      assert.equal(refused.headers.get('retry-after'), '50');
      assert.equal(
        refused.json.error.message,
        'Bạn đã gửi quá nhiều yêu cầu; vui lòng thử lại sau 50 giây',
      );
      const en = await citizen('198.51.100.7', 'en').get('/api/places/search?q=hue');
      assert.equal(en.json.error.message, 'Too many requests; please try again in 50 seconds');

      // The other route, another address and a signed-in officer go on.
      assert.equal((await one.get('/api/places/locate?lat=10.7725&lon=106.698')).status, 200);
      assert.equal((await citizen('198.51.100.8').get('/api/places/search?q=hue')).status, 200);
      const officer = citizen('198.51.100.7');
      assert.equal((await officer.login('admin', ADMIN_PASSWORD)).status, 200);
      assert.equal((await officer.get('/api/places/search?q=hue')).status, 200);

      now = new Date('2026-12-07T08:01:00Z');
      assert.equal((await one.get('/api/places/search?q=hue')).status, 200, 'the next minute');
    });
  });
}
