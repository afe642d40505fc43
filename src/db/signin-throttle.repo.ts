import { sql, type RawBuilder } from 'kysely';
import type { Db } from './client.ts';
import type { ThrottleKey, ThrottlePolicy, ThrottleRule } from '../domain/signin-throttle.ts';

/** The rows of `signin_throttle`: failed sign-ins per address, per account at an address, per account. */
export class SigninThrottleRepo {
  constructor(private readonly db: Db) {}

  rows(keys: Pick<ThrottleKey, 'username' | 'address'>[]) {
    return this.db
      .selectFrom('signin_throttle')
      .selectAll()
      .where((eb) =>
        eb.or(
          keys.map((k) => eb.and([eb('username', '=', k.username), eb('address', '=', k.address)])),
        ),
      )
      .execute();
  }

  /**
   * Counts one attempt against a key, unless the key is waiting: then nothing changes and
   * nothing is returned. The count first leaks (one failure per `leakMs` since the last), and
   * past the allowance the next attempt must wait `firstDelayMs · 2^(failures − free)`, capped.
   * One statement, so attempts sent in parallel queue on the row instead of slipping through.
   */
  async count(key: ThrottleKey, rule: ThrottleRule, p: ThrottlePolicy, now: Date) {
    const at = sql`${now}::timestamptz`;
    const leaked = sql<number>`(greatest(t.failures - floor(
        extract(epoch from (${at} - coalesce(t.last_failure_at, ${at}))) * 1000 / ${rule.leakMs}::float8
      )::int, 0) + 1)`;
    const until = (failures: RawBuilder<number>) =>
      sql`case when ${failures} >= ${rule.free}::int then ${at} + least(
          ${p.firstDelayMs}::float8 * power(2::float8, least(${failures} - ${rule.free}::int, 40)),
          ${p.maxDelayMs}::float8) * interval '1 millisecond' end`;
    const r = await sql<{ failures: number; blocked_until: Date | null }>`
      insert into signin_throttle as t (username, address, failures, last_failure_at, blocked_until)
      values (${key.username}, ${key.address}, 1, ${at}, ${until(sql<number>`1`)})
      on conflict (username, address) do update
        set failures = ${leaked}, last_failure_at = ${at}, blocked_until = ${until(leaked)}
        where t.blocked_until is null or t.blocked_until <= ${at}
      returning failures, blocked_until`.execute(this.db);
    return r.rows[0];
  }

  /** A sign-in succeeded: the account at this address starts again from nothing, and is known. */
  async succeeded(username: string, address: string, now: Date) {
    await sql`insert into signin_throttle as t (username, address, failures, last_success_at)
      values (${username}, ${address}, 0, ${now}::timestamptz)
      on conflict (username, address) do update
        set failures = 0, last_failure_at = null, blocked_until = null, last_success_at = ${now}::timestamptz`.execute(
      this.db,
    );
  }

  /**
   * Takes back the attempt `count` made for a key that a success does not reset (the address,
   * the account from anywhere). A wait already due before it stays.
   */
  async uncount(key: ThrottleKey, rule: ThrottleRule) {
    await sql`update signin_throttle
      set failures = greatest(failures - 1, 0),
          blocked_until = case when failures - 1 >= ${rule.free}::int then blocked_until end
      where username = ${key.username} and address = ${key.address}`.execute(this.db);
  }

  /** Rows with nothing left to remember: no recent failure, no wait, no recent success. */
  async prune(now: Date, p: ThrottlePolicy) {
    const failedBefore = new Date(now.getTime() - p.forgetMs);
    const knownBefore = new Date(now.getTime() - p.knownAddressMs);
    await sql`delete from signin_throttle
      where coalesce(last_failure_at, '-infinity') < ${failedBefore}::timestamptz
        and coalesce(blocked_until, '-infinity') < ${now}::timestamptz
        and coalesce(last_success_at, '-infinity') < ${knownBefore}::timestamptz`.execute(this.db);
  }

  /** Keys with failures, those still waiting first. */
  list(limit = 1000) {
    return this.db
      .selectFrom('signin_throttle')
      .select(['username', 'address', 'failures', 'last_failure_at', 'blocked_until'])
      .where('failures', '>', 0)
      .orderBy(sql`blocked_until desc nulls last`)
      .orderBy('last_failure_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Rows to lift: an account's (at every address), an address's (for every account), or one. */
  async lift(filter: { username?: string; address?: string }) {
    let q = this.db
      .updateTable('signin_throttle')
      .set({ failures: 0, blocked_until: null, last_failure_at: null })
      .where('failures', '>', 0);
    if (filter.username !== undefined) q = q.where('username', '=', filter.username);
    if (filter.address !== undefined) q = q.where('address', '=', filter.address);
    return q.returning(['username', 'address']).execute();
  }

  /** The same rows as `lift` would change, as they are (locked until the transaction ends). */
  toLift(filter: { username?: string; address?: string }) {
    let q = this.db
      .selectFrom('signin_throttle')
      .select(['username', 'address', 'failures', 'blocked_until'])
      .where('failures', '>', 0);
    if (filter.username !== undefined) q = q.where('username', '=', filter.username);
    if (filter.address !== undefined) q = q.where('address', '=', filter.address);
    return q.orderBy('username').orderBy('address').forUpdate().execute();
  }
}
