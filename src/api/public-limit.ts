import type { Context } from 'hono';
import { addressKey, type RateRule } from '../domain/public-limits.ts';
import { clientAddress } from './client-address.ts';
import type { AppEnv } from './context.ts';

/**
 * Counts a public request against its client address's limit for `route` (domain/
 * public-limits.ts); past it, `rate_limited` (429 with Retry-After, set by presentError).
 * Signed-in callers are not counted: they answer for what they do, and a whole office works
 * from one address.
 */
export async function limitByAddress(c: Context<AppEnv>, route: string, rule: RateRule) {
  if (c.get('actor')) return;
  const address = clientAddress(c, c.get('edge').proxies);
  await c.get('services').rateLimits.take(addressKey(address, route), rule);
}
