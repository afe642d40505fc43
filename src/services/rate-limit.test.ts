import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../domain/errors.ts';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';

/**
 * The public routes' rate limit (issue 20): fixed windows counted in the database, one
 * statement per request, so that parallel requests and several server processes share a count.
 */

const rule = { limit: 3, windowSeconds: 600 };

for (const engine of testEngines()) {
  describe(`rate limits on ${engine}`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(engine);
    });
    after(() => t?.close());

    const refusal = async (p: Promise<void>) => {
      const e = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(e instanceof AppError, 'refused');
      return e;
    };

    it('lets `limit` requests through in a window, refuses the next until it ends', async () => {
      const limits = t.services.rateLimits;
      const at = (iso: string) => new Date(iso);
      for (let i = 0; i < rule.limit; i++)
        await limits.take('addr:192.0.2.1:/x', rule, at('2026-12-07T08:01:00Z'));
      const e = await refusal(limits.take('addr:192.0.2.1:/x', rule, at('2026-12-07T08:05:30Z')));
      assert.equal(e.code, 'rate_limited');
      assert.equal(e.status, 429);
      // The window is 08:00–08:10: four and a half minutes left.
      assert.deepEqual(e.details, { retryAfterSeconds: 270 });
      assert.match(e.messages.vi, /thử lại sau 5 phút/);
      assert.match(e.messages.en, /try again in 5 minutes/);
      // Refusals do not lengthen the wait, and another key or route is not touched.
      await refusal(limits.take('addr:192.0.2.1:/x', rule, at('2026-12-07T08:09:59Z')));
      await limits.take('addr:192.0.2.2:/x', rule, at('2026-12-07T08:06:00Z'));
      await limits.take('addr:192.0.2.1:/y', rule, at('2026-12-07T08:06:00Z'));
      // The next window starts from nothing.
      for (let i = 0; i < rule.limit; i++)
        await limits.take('addr:192.0.2.1:/x', rule, at('2026-12-07T08:10:00Z'));
      const last = await refusal(
        limits.take('addr:192.0.2.1:/x', rule, at('2026-12-07T08:19:59.500Z')),
      );
      assert.deepEqual(last.details, { retryAfterSeconds: 1 });
      assert.match(last.messages.en, /in 1 second$/);
    });

    it('counts parallel requests exactly: never more than the limit pass', async () => {
      const now = new Date('2026-12-07T09:00:00Z');
      const tries = await Promise.allSettled(
        Array.from({ length: 12 }, () =>
          t.services.rateLimits.take('phone:+84912345678', rule, now),
        ),
      );
      assert.equal(tries.filter((r) => r.status === 'fulfilled').length, rule.limit);
    });

    it('forgets ended windows', async () => {
      const rows = () => t.database.db.selectFrom('rate_limit').select('key').execute();
      assert.ok((await rows()).length > 0);
      // A day later the first request prunes before counting: only its own row is left.
      await t.services.rateLimits.take('addr:192.0.2.9:/x', rule, new Date('2026-12-08T12:00:00Z'));
      assert.deepEqual(
        (await rows()).map((r) => r.key),
        ['addr:192.0.2.9:/x'],
      );
    });
  });
}
