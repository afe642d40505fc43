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

/**
 * The report intake under its limits (issue 20, Abuse): per client address and per contact
 * phone however it is typed; a refused report stores nothing.
 */
for (const engine of testEngines()) {
  describe(`rate limits of the report intake on ${engine}`, () => {
    let t: TestDb;
    const now = new Date('2026-12-07T08:00:10Z');
    let app: ReturnType<typeof createApp>;
    const citizen = (address: string) =>
      new ApiClient(app, { [TEST_ADDRESS_HEADER]: address, 'accept-language': 'en' });
    const report = (phone?: string) => ({
      category: 'THU_TUC_HANH_CHINH',
      description: 'Hồ sơ nộp đã quá hạn mà chưa có kết quả',
      place: { unit: '00070' },
      ...(phone ? { contact: { phone } } : {}),
    });
    const stored = async () =>
      (
        await t.database.db
          .selectFrom('citizen_report')
          .select((e) => e.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;

    before(async () => {
      t = await openTestDb(engine, { clock: () => now });
      app = createApp(t.services);
    });
    after(() => t?.close());

    it('takes 10 reports an hour from one address, then 429; another address goes on', async () => {
      const one = citizen('203.0.113.10');
      for (let i = 0; i < PUBLIC_LIMITS.reportPerAddress.limit; i++)
        assert.equal((await one.post('/api/public/reports', report())).status, 201, `${i + 1}`);
      const before = await stored();
      const refused = await one.post('/api/public/reports', report());
      assert.equal(refused.status, 429);
      assert.equal(refused.json.error.code, 'rate_limited');
      assert.ok(refused.headers.get('retry-after'));
      assert.equal(await stored(), before, 'nothing stored');
      assert.equal(
        (await citizen('203.0.113.11').post('/api/public/reports', report())).status,
        201,
      );
    });

    it('takes 5 reports an hour giving one phone, however it is typed, from any address', async () => {
      const forms = ['0912 345 678', '+84912345678', '84912345678', '0912345678', '0912.345.678'];
      for (const [i, phone] of forms.entries())
        assert.equal(
          (await citizen(`192.0.2.${i + 1}`).post('/api/public/reports', report(phone))).status,
          201,
          phone,
        );
      const refused = await citizen('192.0.2.99').post('/api/public/reports', report('0912345678'));
      assert.equal(refused.status, 429);
      assert.match(refused.json.error.message, /Too many requests/);
      assert.equal(
        (await citizen('192.0.2.99').post('/api/public/reports', report('0987654321'))).status,
        201,
      );
    });
  });
}
