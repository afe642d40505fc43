import { AppError, type Message } from './errors.ts';
import { addWorkingTime, type WorkingAmount, type WorkingCalendar } from './working-time.ts';

/**
 * Citizens' reports (issue 20): the rules of a report's life, pure. A citizen sends a report
 * without an account and keeps a tracking code; the handling unit acknowledges, may transfer it
 * (with a reason), ask for more, answer, close or refuse; the citizen may add what was asked,
 * reopen an answer within a while, and rate it once. The public sees the history by unit, never
 * a person and never the citizen's contact.
 */

export const REPORT_STATUSES = [
  'received',
  'forwarded',
  'in_progress',
  'answered',
  'closed',
  'refused',
  'reopened',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const REPORT_EVENT_KINDS = [
  'received',
  'forwarded',
  'acknowledged',
  'info_requested',
  'info_added',
  'answered',
  'closed',
  'refused',
  'reopened',
  'rated',
  'escalated',
] as const;
export type ReportEventKind = (typeof REPORT_EVENT_KINDS)[number];

export const REPORT_SOURCES = ['web', 'open311', 'api'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

export const REPORT_DESCRIPTION_MAX = 4000;
export const REPORT_NOTE_MAX = 4000;
export const REPORT_PHOTOS_MAX = 5;
/** How long after an answer (or a close) the citizen may reopen the report. */
export const REOPEN_DAYS = 7;

export const REPORT_STATUS_LABELS: Record<ReportStatus, Message> = {
  received: { vi: 'Đã tiếp nhận', en: 'Received' },
  forwarded: { vi: 'Đã chuyển đơn vị xử lý', en: 'Forwarded' },
  in_progress: { vi: 'Đang xử lý', en: 'In progress' },
  answered: { vi: 'Đã trả lời', en: 'Answered' },
  closed: { vi: 'Đã kết thúc', en: 'Closed' },
  refused: { vi: 'Từ chối xử lý', en: 'Refused' },
  reopened: { vi: 'Người dân mở lại', en: 'Reopened' },
};

/** What an officer or the citizen does to a report; each is allowed from some statuses. */
export type ReportAction =
  | 'acknowledge'
  | 'transfer'
  | 'request_info'
  | 'answer'
  | 'close'
  | 'refuse'
  | 'reopen'
  | 'rate'
  | 'add_info';

const ALLOWED: Record<ReportAction, readonly ReportStatus[]> = {
  acknowledge: ['received', 'forwarded', 'reopened'],
  transfer: ['received', 'forwarded', 'in_progress', 'reopened'],
  // Asking, answering and closing come after the unit took the report on (acknowledged).
  request_info: ['in_progress'],
  add_info: ['in_progress'],
  answer: ['in_progress'],
  close: ['in_progress', 'answered'],
  refuse: ['received', 'forwarded', 'in_progress', 'reopened'],
  reopen: ['answered', 'closed'],
  rate: ['answered', 'closed'],
};

const ACTION_LABELS: Record<ReportAction, Message> = {
  acknowledge: { vi: 'tiếp nhận', en: 'acknowledge' },
  transfer: { vi: 'chuyển đơn vị xử lý', en: 'transfer' },
  request_info: { vi: 'đề nghị bổ sung thông tin', en: 'ask for more information' },
  add_info: { vi: 'bổ sung thông tin', en: 'add information' },
  answer: { vi: 'trả lời', en: 'answer' },
  close: { vi: 'kết thúc', en: 'close' },
  refuse: { vi: 'từ chối', en: 'refuse' },
  reopen: { vi: 'mở lại', en: 'reopen' },
  rate: { vi: 'đánh giá', en: 'rate' },
};

/** `invalid_transition` when `action` is not allowed on a report in `status`. */
export function assertReportAction(status: ReportStatus, action: ReportAction): void {
  if (ALLOWED[action].includes(status)) return;
  const s = REPORT_STATUS_LABELS[status];
  const a = ACTION_LABELS[action];
  const hint =
    ['received', 'forwarded', 'reopened'].includes(status) &&
    ['request_info', 'answer', 'close'].includes(action)
      ? { vi: ' Cần tiếp nhận phản ánh trước.', en: ' Acknowledge the report first.' }
      : { vi: '', en: '' };
  throw new AppError(
    'invalid_transition',
    {
      vi: `Không thể ${a.vi} phản ánh đang ở trạng thái "${s.vi}".${hint.vi}`,
      en: `Cannot ${a.en} a report that is "${s.en}".${hint.en}`,
    },
    { status, action, allowedFrom: ALLOWED[action] },
  );
}

/** The status after an action (the ones that keep it return it unchanged). */
export function statusAfter(status: ReportStatus, action: ReportAction): ReportStatus {
  switch (action) {
    case 'acknowledge':
      return 'in_progress';
    case 'transfer':
      return 'forwarded';
    case 'answer':
      return 'answered';
    case 'close':
      return 'closed';
    case 'refuse':
      return 'refused';
    case 'reopen':
      return 'reopened';
    default:
      return status;
  }
}

/**
 * Whether the unit's question waits for the citizen: the last question asked has no addition
 * after it, and the report is still being handled.
 */
export function infoPending(status: ReportStatus, kinds: readonly ReportEventKind[]): boolean {
  if (status !== 'in_progress') return false;
  for (let i = kinds.length - 1; i >= 0; i--) {
    if (kinds[i] === 'info_added' || kinds[i] === 'forwarded' || kinds[i] === 'acknowledged')
      return false;
    if (kinds[i] === 'info_requested') return true;
  }
  return false;
}

// — The tracking code

/** Letters and digits no one confuses when reading aloud or copying: no 0/O, 1/I/L. */
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const TRACKING_LENGTH = 8;
export const TRACKING_CODE = /^PA-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/;

/**
 * A tracking code (PA-7KQ2-M9XD) from random bytes: 8 characters of 31 (some 40 bits). Bytes at
 * or above 248 (8 × 31) are skipped so that each character is equally likely; `undefined` when
 * the bytes run out first (the caller draws more).
 */
export function trackingCodeFrom(bytes: Uint8Array): string | undefined {
  const n = TRACKING_ALPHABET.length;
  const limit = Math.floor(256 / n) * n;
  let out = '';
  for (const b of bytes) {
    if (b >= limit) continue;
    out += TRACKING_ALPHABET[b % n];
    if (out.length === TRACKING_LENGTH) return `PA-${out.slice(0, 4)}-${out.slice(4)}`;
  }
  return undefined;
}

/**
 * A code as a citizen may type it (lower case, spaces, no dashes, a letter O for a zero) in
 * its stored form, or undefined when it cannot be one.
 */
export function normalizeTrackingCode(s: string): string | undefined {
  const raw = s.toUpperCase().replace(/[\s-]/g, '');
  const body = raw.startsWith('PA') ? raw.slice(2) : raw;
  if (body.length !== TRACKING_LENGTH) return undefined;
  const code = `PA-${body.slice(0, 4)}-${body.slice(4)}`;
  return TRACKING_CODE.test(code) ? code : undefined;
}

// — Contact

/**
 * A Vietnamese phone number in its national form (0912345678), from the forms people write:
 * 0912 345 678, 0912.345.678, +84912345678, 84912345678. Mobile numbers have 10 digits
 * (03, 05, 07, 08, 09), landlines 11 (02x); undefined for anything else.
 */
export function normalizePhone(s: string): string | undefined {
  const compact = s.replace(/[\s.()-]/g, '');
  const m = /^(?:\+84|84|0)([35789]\d{8}|2\d{9})$/.exec(compact);
  return m ? `0${m[1]}` : undefined;
}

const EMAIL =
  /^[^\s@"<>(),;:]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** An email address in lower-case domain form, or undefined when it is not one. */
export function normalizeEmail(s: string): string | undefined {
  const t = s.trim();
  if (t.length > 254 || !EMAIL.test(t)) return undefined;
  const at = t.lastIndexOf('@');
  return t.slice(0, at) + '@' + t.slice(at + 1).toLowerCase();
}

// — Deadlines

/** When the unit must acknowledge and answer a report received at `at`, on its calendar. */
export function reportDeadlines(
  calendar: WorkingCalendar,
  at: Date,
  category: { acknowledgeWithin: WorkingAmount; answerWithin: WorkingAmount },
): { acknowledgeDue: Date; answerDue: Date } {
  return {
    acknowledgeDue: addWorkingTime(calendar, at, category.acknowledgeWithin),
    answerDue: addWorkingTime(calendar, at, category.answerWithin),
  };
}

/** Until when an answer (or a close) at `at` may be reopened by the citizen. */
export function reopenUntil(at: Date): Date {
  return new Date(at.getTime() + REOPEN_DAYS * 86_400_000);
}

// — What the public sees

export interface ReportEventRecord {
  id: number;
  at: Date;
  kind: ReportEventKind;
  status: ReportStatus;
  public_note: string | null;
  internal_note: string | null;
  from_unit_code: string | null;
  from_unit_name: string | null;
  to_unit_code: string | null;
  to_unit_name: string | null;
  actor_name: string;
}

export interface PublicReportEvent {
  kind: ReportEventKind;
  status: ReportStatus;
  at: string;
  note: string | null;
  fromUnit: { code: string; name: string } | null;
  toUnit: { code: string; name: string } | null;
}

const unitOf = (code: string | null, name: string | null) =>
  code === null ? null : { code, name: name ?? code };

/**
 * An event as the public sees it: what happened, when, the units and the note meant for the
 * citizen. Never who acted (an officer's name) nor the internal note: they are not copied.
 */
export function publicEvent(e: ReportEventRecord): PublicReportEvent {
  return {
    kind: e.kind,
    status: e.status,
    at: new Date(e.at).toISOString(),
    note: e.public_note,
    fromUnit: unitOf(e.from_unit_code, e.from_unit_name),
    toUnit: unitOf(e.to_unit_code, e.to_unit_name),
  };
}
