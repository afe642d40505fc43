import type { ReportStatus } from './citizen-report.ts';
import { AppError } from './errors.ts';

/**
 * Open311 GeoReport v2 (issue 20), the rules that are not HTTP: how our seven statuses read as
 * the spec's two, and what a `GET requests` query may ask (wiki.open311.org/GeoReport_v2,
 * "GET Service Requests", and the page and page_size of its Extensions page).
 */

export type Open311Status = 'open' | 'closed';

/**
 * The spec's "open: it has been reported; closed: it has been resolved". Answered counts as
 * closed: the unit has resolved it on its side (the citizen may still reopen it for a while,
 * which makes it open again); refused is closed with the reason as its status_notes.
 */
export const OPEN311_STATUS: Record<ReportStatus, Open311Status> = {
  received: 'open',
  forwarded: 'open',
  in_progress: 'open',
  reopened: 'open',
  answered: 'closed',
  closed: 'closed',
  refused: 'closed',
};

export const reportStatusesOf = (s: Open311Status): ReportStatus[] =>
  (Object.keys(OPEN311_STATUS) as ReportStatus[]).filter((k) => OPEN311_STATUS[k] === s);

/** The spec's window: a range may not span more than 90 days, and defaults to the last 90. */
export const OPEN311_SPAN_DAYS = 90;
const DAY = 86_400_000;
/** The spec's response volume: at most 1000 requests at once (also the page_size bound). */
export const OPEN311_PAGE_MAX = 1000;

export interface RequestsQuery {
  /** Tracking codes: when given, every other filter is ignored (the spec's "overrides"). */
  codes?: string[];
  services?: string[];
  statuses?: ReportStatus[];
  start: Date;
  end: Date;
  page: number;
  pageSize: number;
}

const bad = (vi: string, en: string, details?: unknown) =>
  new AppError('validation_failed', { vi, en }, details);

/**
 * A W3C datetime (the spec's format: 2010-01-01T00:00:00Z, or with an offset); a date alone
 * (2010-01-01) is read as its start in Viet Nam. Anything else is refused, not guessed.
 */
export function parseW3cDate(name: string, s: string): Date {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(
      s.trim(),
    );
  const d = m ? new Date(m[4] ? s.trim() : `${s.trim()}T00:00:00+07:00`) : undefined;
  if (!d || Number.isNaN(d.getTime()))
    throw bad(
      `${name} "${s.slice(0, 40)}" không đúng định dạng ngày giờ W3C, ví dụ 2026-11-01T00:00:00Z hoặc 2026-11-01T07:00:00+07:00`,
      `${name} "${s.slice(0, 40)}" is not a W3C datetime such as 2026-11-01T00:00:00Z or 2026-11-01T07:00:00+07:00`,
      { [name]: s.slice(0, 40) },
    );
  return d;
}

/** A comma list as the spec sends it (`a,b`, also repeated parameters), trimmed, no empties. */
export const commaList = (values: readonly string[]): string[] =>
  values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

function positive(name: string, s: string | undefined, fallback: number, max?: number): number {
  if (s === undefined || s.trim() === '') return fallback;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || (max !== undefined && n > max))
    throw bad(
      `${name} phải là số nguyên từ 1${max ? ` đến ${max}` : ''}`,
      `${name} must be a whole number from 1${max ? ` to ${max}` : ''}`,
      { [name]: s.slice(0, 20) },
    );
  return n;
}

/**
 * The query of `GET requests`, as the spec reads it: empty parameters are as absent ("Optional
 * Arguments"); start_date and end_date default to the last 90 days (one given: the 90 days
 * from or up to it) and may not span more; status is open, closed or both.
 */
export function requestsQuery(q: (name: string) => string[], now: Date): RequestsQuery {
  const one = (name: string) => q(name).find((v) => v.trim() !== '');
  const page = positive('page', one('page'), 1);
  const pageSize = positive('page_size', one('page_size'), OPEN311_PAGE_MAX, OPEN311_PAGE_MAX);
  const startRaw = one('start_date');
  const endRaw = one('end_date');
  let start = startRaw === undefined ? undefined : parseW3cDate('start_date', startRaw);
  let end = endRaw === undefined ? undefined : parseW3cDate('end_date', endRaw);
  if (!start && !end) end = now;
  if (!start) start = new Date(end!.getTime() - OPEN311_SPAN_DAYS * DAY);
  if (!end) end = new Date(start.getTime() + OPEN311_SPAN_DAYS * DAY);
  if (end < start)
    throw bad('end_date phải sau start_date', 'end_date must come after start_date', {
      start_date: start.toISOString(),
      end_date: end.toISOString(),
    });
  if (end.getTime() - start.getTime() > OPEN311_SPAN_DAYS * DAY)
    throw bad(
      `Khoảng start_date–end_date không được dài quá ${OPEN311_SPAN_DAYS} ngày`,
      `The start_date–end_date range may not span more than ${OPEN311_SPAN_DAYS} days`,
      { start_date: start.toISOString(), end_date: end.toISOString() },
    );
  const statuses = commaList(q('status')).map((s) => s.toLowerCase());
  const unknown = statuses.filter((s) => s !== 'open' && s !== 'closed');
  if (unknown.length)
    throw bad(
      `status "${unknown[0]!.slice(0, 20)}" không hợp lệ: dùng open hoặc closed`,
      `status "${unknown[0]!.slice(0, 20)}" is not valid: use open or closed`,
      { status: unknown[0]!.slice(0, 20) },
    );
  const codes = commaList(q('service_request_id'));
  const services = commaList(q('service_code'));
  return {
    ...(codes.length ? { codes } : {}),
    ...(services.length ? { services } : {}),
    ...(statuses.length
      ? { statuses: [...new Set(statuses)].flatMap((s) => reportStatusesOf(s as Open311Status)) }
      : {}),
    start,
    end,
    page,
    pageSize,
  };
}
