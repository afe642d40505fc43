import { sql } from 'kysely';
import type { Db } from './client.ts';

/** The rows of `rate_limit`: requests per key in fixed windows (domain/public-limits.ts). */
export class RateLimitRepo {
  constructor(private readonly db: Db) {}

  /**
   * Counts one request of `key` in the window, unless the window already holds `limit`: then
   * nothing changes and undefined is returned. One statement, so requests sent in parallel
   * queue on the row instead of slipping through together.
   */
  async hit(key: string, window: { start: Date; end: Date }, limit: number) {
    const r = await sql<{ hits: number }>`
      insert into rate_limit as r (key, window_start, window_end, hits)
      values (${key}, ${window.start}::timestamptz, ${window.end}::timestamptz, 1)
      on conflict (key, window_start) do update set hits = r.hits + 1
        where r.hits < ${limit}::int
      returning hits`.execute(this.db);
    return r.rows[0]?.hits;
  }

  /** Forgets windows that have ended; how many. */
  async prune(now: Date): Promise<number> {
    const r = await this.db
      .deleteFrom('rate_limit')
      .where('window_end', '<=', now)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
