import { AppError } from './errors.ts';

/**
 * Rate limits of the public page (issue 20, "Abuse"): how many requests one client address,
 * or one contact phone, may make in a fixed window. The one list: the photo upload, the place
 * search, the report intake and the spam intake all take their rule from here.
 *
 * Addresses are generous: citizens on a mobile network share a carrier's few public addresses
 * (CGNAT), and an office or school shares one. A phone is one person, so its rule is tight.
 */

export interface RateRule {
  /** Requests allowed in one window; the next one is refused until the window ends. */
  limit: number;
  windowSeconds: number;
}

export const PUBLIC_LIMITS = {
  /** POST /api/public/photos: a report takes a few photos. */
  photoPerAddress: { limit: 30, windowSeconds: 3600 },
  /** A citizen's report, by the client address. */
  reportPerAddress: { limit: 10, windowSeconds: 3600 },
  /** A citizen's report, by the contact phone it gives (phoneKey). */
  reportPerPhone: { limit: 5, windowSeconds: 3600 },
  /** A spam (5656) report from the public page, by the client address. */
  spamReportPerAddress: { limit: 10, windowSeconds: 3600 },
  /** A spam report from the public page, by the reporter's phone. */
  spamReportPerPhone: { limit: 5, windowSeconds: 3600 },
  /**
   * /api/places/locate, /api/places/search and /api/public/answers/places (each its own count):
   * typed as the citizen types, so many.
   */
  placePerAddress: { limit: 120, windowSeconds: 60 },
} as const satisfies Record<string, RateRule>;

/** The key of a route's limit for one client address (api/client-address.ts's form). */
export const addressKey = (address: string, route: string) => `addr:${address}:${route}`;

/**
 * A Vietnamese phone number in one form, whatever way it was typed: `+84` and the national
 * number without its leading 0 (0912 345 678, +84 912.345.678 and 84912345678 are one phone).
 * Other countries' numbers (`+` and not 84) keep their digits. Undefined: not a phone number.
 */
export function normalizePhone(raw: string): string | undefined {
  const t = raw.trim();
  const plus = t.startsWith('+') || t.startsWith('00');
  const digits = t
    .replace(/^00/, '')
    .replace(/[\s.\-()/]/g, '')
    .replace(/^\+/, '');
  if (!/^\d{6,15}$/.test(digits)) return undefined;
  if (digits.startsWith('84') && (plus || digits.length >= 11)) return `+84${digits.slice(2)}`;
  if (plus) return `+${digits}`;
  if (digits.startsWith('0')) return `+84${digits.slice(1)}`;
  return `+84${digits}`;
}

/** The key of a phone's limit; undefined when `raw` is not a phone number (nothing to count). */
export function phoneKey(raw: string): string | undefined {
  const phone = normalizePhone(raw);
  return phone && `phone:${phone}`;
}

/** The window `now` falls in: windows start at multiples of their length since the epoch. */
export function windowOf(now: Date, rule: RateRule): { start: Date; end: Date } {
  const ms = rule.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / ms) * ms;
  return { start: new Date(start), end: new Date(start + ms) };
}

function waitText(seconds: number) {
  if (seconds < 90)
    return { vi: `${seconds} giây`, en: `${seconds} second${seconds === 1 ? '' : 's'}` };
  const minutes = Math.ceil(seconds / 60);
  return { vi: `${minutes} phút`, en: `${minutes} minutes` };
}

/** Refused by a limit; `retryAfterSeconds` (also Retry-After) says when the window ends. */
export function rateLimited(retryAfterSeconds: number): AppError {
  const wait = waitText(retryAfterSeconds);
  return new AppError(
    'rate_limited',
    {
      vi: `Bạn đã gửi quá nhiều yêu cầu; vui lòng thử lại sau ${wait.vi}`,
      en: `Too many requests; please try again in ${wait.en}`,
    },
    { retryAfterSeconds },
  );
}
