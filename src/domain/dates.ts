/** Viet Nam's calendar date for an instant: what "today" means to a user of the system. */
export function vnDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(at);
}

/** 20/01/2022, the way Vietnamese documents write dates. */
export function viDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * An instant from an ISO date or date-time: a date alone, or a time without a zone, is Viet
 * Nam's (midnight there, or that time there), as a user there means it.
 */
export function vnTime(text: string): Date {
  if (/(Z|[+-]\d\d:?\d\d)$/.test(text)) return new Date(text);
  return new Date(`${text.length === 10 ? `${text}T00:00:00` : text}+07:00`);
}

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

const DURATION_UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;

/**
 * DHIS2's `lastUpdatedDuration`: a whole number and a unit, `d`, `h`, `m` or `s` (`10d`, `2h`);
 * the milliseconds it spans, or undefined when it is not one.
 */
export function durationMs(text: string): number | undefined {
  const m = /^(\d{1,9})([dhms])$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * DURATION_UNIT_MS[m[2] as keyof typeof DURATION_UNIT_MS];
}
