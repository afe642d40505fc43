import type { Store } from '../db/store.ts';
import type { Clock } from '../domain/dates.ts';
import { rateLimited, windowOf, type RateRule } from '../domain/public-limits.ts';

/** Ended windows are deleted at most this often (by the request that finds it due). */
const PRUNE_EVERY_MS = 10 * 60 * 1000;

/**
 * Rate limits of the public routes (issue 20): fixed windows counted in the database, so that
 * every server process shares one count. A count is committed as soon as it is taken, outside
 * any transaction of the request: a refused or failed request still counts (a flood of bad
 * requests is a flood).
 */
export class RateLimitService {
  private lastPrune = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Multiplies every rule's limit: tests that file many reports from one address raise it. */
    private readonly scale = 1,
  ) {}

  /**
   * Counts one request of `key`; throws `rate_limited` (429, with `details.retryAfterSeconds`,
   * sent as Retry-After) once the window holds `rule.limit` of them, until the window ends.
   * Keys: domain/public-limits.ts addressKey and phoneKey.
   */
  async take(key: string, rule: RateRule, now: Date = this.clock()): Promise<void> {
    await this.pruneIfDue(now);
    const window = windowOf(now, rule);
    const hits = await this.store.repos.rateLimits.hit(key, window, rule.limit * this.scale);
    if (hits === undefined)
      throw rateLimited(Math.max(1, Math.ceil((window.end.getTime() - now.getTime()) / 1000)));
  }

  private async pruneIfDue(now: Date) {
    if (Math.abs(now.getTime() - this.lastPrune) < PRUNE_EVERY_MS) return;
    this.lastPrune = now.getTime();
    await this.store.repos.rateLimits.prune(now);
  }
}
