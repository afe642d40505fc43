import { AppError } from './errors.ts';

/**
 * Sign-in throttling: failed sign-ins are counted per key, and once a key has used its
 * allowance every further attempt must wait a delay that doubles with each failure (1 s, 2 s,
 * 4 s … up to a ceiling). An attempt during the wait is refused without checking the password
 * and without counting, so nobody can make a wait outlast their own attempts. Counts leak away
 * with time (one failure forgiven per `leakMs` since the last one).
 *
 * Three keys, each a row of `signin_throttle` (an empty part means "any"):
 * - the client address, any account — one address guessing or spraying many accounts;
 * - the account from one address — the owner's own address is not slowed by failures made
 *   elsewhere;
 * - the account from any address — guessing spread over many addresses; skipped at an address
 *   the account signed in from recently (a known address), so an attacker with many addresses
 *   cannot keep the owner out.
 */

export interface ThrottleRule {
  /** Failures allowed before the delays start. */
  free: number;
  /** One failure is forgiven per this many milliseconds since the last one. */
  leakMs: number;
}

export interface ThrottlePolicy {
  address: ThrottleRule;
  accountAddress: ThrottleRule;
  account: ThrottleRule;
  firstDelayMs: number;
  maxDelayMs: number;
  /** A successful sign-in makes its address known to the account for this long. */
  knownAddressMs: number;
  /** A row with no failure, wait or success this recent is deleted. */
  forgetMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  // Offices sit behind one address: a few people mistyping, or signing in at the same moment
  // (an attempt counts until its password is checked), must not slow the whole office.
  address: { free: 30, leakMs: 2 * 60_000 },
  accountAddress: { free: 5, leakMs: 15 * 60_000 },
  account: { free: 50, leakMs: 10 * 60_000 },
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  knownAddressMs: 30 * 86_400_000,
  forgetMs: 86_400_000,
};

export type ThrottleKind = 'address' | 'accountAddress' | 'account';

export interface ThrottleKey {
  kind: ThrottleKind;
  /** '' = any account. */
  username: string;
  /** '' = any address. */
  address: string;
}

export function throttleKeys(username: string, address: string, known: boolean): ThrottleKey[] {
  const keys: ThrottleKey[] = [
    { kind: 'address', username: '', address },
    { kind: 'accountAddress', username, address },
  ];
  if (!known) keys.push({ kind: 'account', username, address: '' });
  return keys;
}

export function kindOf(row: { username: string; address: string }): ThrottleKind {
  if (!row.username) return 'address';
  return row.address ? 'accountAddress' : 'account';
}

/** How a key is named in the audit log and by the admin: `user@address`, `*` for "any". */
export const keyName = (k: { username: string; address: string }) =>
  `${k.username || '*'}@${k.address || '*'}`;

/** Whole seconds to wait, at least 1: what `Retry-After` says. */
export const retryAfterSeconds = (until: Date, now: Date) =>
  Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

function waitText(seconds: number) {
  if (seconds < 90)
    return { vi: `${seconds} giây`, en: `${seconds} second${seconds === 1 ? '' : 's'}` };
  const minutes = Math.ceil(seconds / 60);
  return { vi: `${minutes} phút`, en: `${minutes} minutes` };
}

export function tooManyAttempts(retryAfter: number): AppError {
  const wait = waitText(retryAfter);
  return new AppError(
    'too_many_attempts',
    {
      vi: `Đăng nhập sai quá nhiều lần; vui lòng thử lại sau ${wait.vi}`,
      en: `Too many failed sign-ins; please try again in ${wait.en}`,
    },
    { retryAfterSeconds: retryAfter },
  );
}
