import type { Message } from './errors.ts';
import { textProblem } from './text-hygiene.ts';

/**
 * Reports of spam messages and calls to the 5656 line (issue 20): what a report holds, the
 * reported number in one canonical form (so that 0912 345 678, +84912345678 and 84912345678 are
 * one number in the counts), and each item's checks, with reasons in Vietnamese and English.
 */

export const SPAM_OPERATORS = [
  'viettel',
  'vinaphone',
  'mobifone',
  'vietnamobile',
  'gmobile',
  'itelecom',
  'reddi',
  'other',
] as const;
export type SpamOperator = (typeof SPAM_OPERATORS)[number];

export const SPAM_KINDS = ['sms', 'call'] as const;
export type SpamKind = (typeof SPAM_KINDS)[number];

/** Most reports in one request of a gateway. */
export const SPAM_BATCH_MAX = 1000;
export const SPAM_CONTENT_MAX = 2000;
/** A report of spam received longer ago than this is refused (the line is for current spam). */
export const SPAM_MAX_AGE_DAYS = 30;
/** Clocks differ: a report up to this far in the future is taken. */
export const SPAM_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The data elements the day's counts are written to, at the nation, each day (sector
 * "an toàn thông tin"). Not SPAM_REPORTS: the demo data has an element of that code, generated
 * per commune, and intake counts must not be added to made-up figures.
 */
export const SPAM_ELEMENTS = {
  reports: 'SPAM_5656_REPORTS',
  numbers: 'SPAM_5656_NUMBERS',
  blocked: 'SPAM_5656_BLOCKED',
} as const;

export type NumberResult = { ok: true; number: string } | { ok: false; reason: Message };

const SEPARATORS = /[\s.\-()/]/g;

/**
 * The canonical form of a reported number or sender:
 * - a Vietnamese number (0912345678, +84 912 345 678, 84912345678, 0084…, 912345678) as
 *   84 and its 9 or 10 national digits: 84912345678;
 * - a foreign number written with + as + and its digits: +12025550123;
 * - a short code or service number (5656, 9029, 19001234) as given;
 * - an alphanumeric sender name (VIETTEL, "Shop ABC") uppercased, spaces collapsed.
 */
export function normalizeSpamNumber(raw: string): NumberResult {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '')
    return { ok: false, reason: { vi: 'thiếu số điện thoại', en: 'the number is missing' } };
  const bad = textProblem(text);
  if (bad) return { ok: false, reason: bad };
  if (/[A-Za-z]/.test(text)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9 ._&'-]{0,19}$/.test(text))
      return {
        ok: false,
        reason: {
          vi: 'tên người gửi chỉ gồm chữ không dấu, chữ số, khoảng trắng và . _ & - (tối đa 20 ký tự)',
          en: 'a sender name holds only letters without diacritics, digits, spaces and . _ & - (at most 20)',
        },
      };
    return { ok: true, number: text.toUpperCase() };
  }
  const compact = text.replace(SEPARATORS, '');
  const plus = compact.startsWith('+');
  const digits = plus ? compact.slice(1) : compact;
  if (!/^\d+$/.test(digits))
    return {
      ok: false,
      reason: {
        vi: 'số điện thoại chỉ gồm chữ số (có thể có + ở đầu)',
        en: 'a phone number holds only digits (a leading + allowed)',
      },
    };
  const national = (n: string): NumberResult =>
    /^[1-9]\d{8,9}$/.test(n)
      ? { ok: true, number: `84${n}` }
      : {
          ok: false,
          reason: {
            vi: 'số Việt Nam có 10 hoặc 11 chữ số kể cả số 0 ở đầu',
            en: 'a Vietnamese number has 10 or 11 digits with its leading 0',
          },
        };
  if (plus) {
    if (digits.startsWith('84')) return national(digits.slice(2));
    if (/^[1-9]\d{6,14}$/.test(digits)) return { ok: true, number: `+${digits}` };
    return {
      ok: false,
      reason: {
        vi: 'số quốc tế có 7 đến 15 chữ số sau dấu +',
        en: 'an international number has 7 to 15 digits after +',
      },
    };
  }
  if (digits.startsWith('0084')) return national(digits.slice(4));
  if (digits.startsWith('0')) return national(digits.slice(1));
  if (/^84\d{9,10}$/.test(digits)) return national(digits.slice(2));
  // A mobile number without its 0 (912345678).
  if (/^[35789]\d{8}$/.test(digits)) return national(digits);
  if (/^[1-9]\d{2,9}$/.test(digits)) return { ok: true, number: digits };
  return {
    ok: false,
    reason: {
      vi: 'không phải số điện thoại, đầu số ngắn hay tên người gửi',
      en: 'not a phone number, a short code or a sender name',
    },
  };
}

/** A report as a gateway or the public page sends it (not yet checked). */
export interface SpamReportIn {
  number?: unknown;
  kind?: unknown;
  content?: unknown;
  operator?: unknown;
  reportedAt?: unknown;
  externalId?: unknown;
  reporter?: unknown;
}

/** A report that passed its checks. */
export interface SpamReportOk {
  number: string;
  kind: SpamKind;
  content: string;
  operator: SpamOperator;
  reportedAt: Date;
  externalId: string | null;
  /** The reporter's own number, normalised; stored only as a hash. */
  reporter: string | null;
}

export interface ItemProblem extends Message {
  field: string;
}

export type ItemResult =
  { ok: true; report: SpamReportOk } | { ok: false; problems: ItemProblem[] };

const FIELDS = new Set([
  'number',
  'kind',
  'content',
  'operator',
  'reportedAt',
  'externalId',
  'reporter',
]);
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)$/;

/** Checks one report against the rules, every problem at once. `now` is the server's time. */
export function checkSpamReport(
  input: unknown,
  now: Date,
  opts: { externalId: boolean } = { externalId: true },
): ItemResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return {
      ok: false,
      problems: [
        { field: '', vi: 'phản ánh phải là một đối tượng JSON', en: 'a report is a JSON object' },
      ],
    };
  const r = input as Record<string, unknown>;
  const problems: ItemProblem[] = [];
  const add = (field: string, m: Message) => problems.push({ field, ...m });
  for (const k of Object.keys(r))
    if (!FIELDS.has(k) || (k === 'externalId' && !opts.externalId))
      add(k, { vi: `trường không biết: ${k}`, en: `unknown field: ${k}` });

  let number = '';
  if (typeof r.number !== 'string')
    add('number', { vi: 'thiếu số điện thoại (chuỗi)', en: 'number (a string) is required' });
  else {
    const n = normalizeSpamNumber(r.number);
    if (n.ok) number = n.number;
    else add('number', n.reason);
  }
  const kind = r.kind;
  if (kind !== 'sms' && kind !== 'call')
    add('kind', { vi: 'loại phải là sms hoặc call', en: 'kind must be sms or call' });
  let content = '';
  if (r.content !== undefined && r.content !== null) {
    if (typeof r.content !== 'string')
      add('content', { vi: 'nội dung phải là chuỗi', en: 'content must be a string' });
    else {
      content = r.content.trim();
      const bad = textProblem(content, { multiline: true });
      if (bad) add('content', bad);
      if (content.length > SPAM_CONTENT_MAX)
        add('content', {
          vi: `nội dung tối đa ${SPAM_CONTENT_MAX.toLocaleString('vi')} ký tự (có ${content.length.toLocaleString('vi')})`,
          en: `content is at most ${SPAM_CONTENT_MAX.toLocaleString('en')} characters (got ${content.length.toLocaleString('en')})`,
        });
    }
  }
  if (kind === 'sms' && content === '')
    add('content', { vi: 'tin nhắn rác cần có nội dung', en: 'a spam message needs its content' });
  const operator = r.operator;
  if (typeof operator !== 'string' || !(SPAM_OPERATORS as readonly string[]).includes(operator))
    add('operator', {
      vi: `nhà mạng phải là một trong: ${SPAM_OPERATORS.join(', ')}`,
      en: `operator must be one of: ${SPAM_OPERATORS.join(', ')}`,
    });
  let reportedAt = new Date(Number.NaN);
  if (typeof r.reportedAt !== 'string' || !ISO_INSTANT.test(r.reportedAt))
    add('reportedAt', {
      vi: 'thời điểm nhận phải theo ISO 8601 có múi giờ, ví dụ 2026-12-07T08:30:00+07:00',
      en: 'reportedAt must be an ISO 8601 time with its offset, e.g. 2026-12-07T08:30:00+07:00',
    });
  else {
    reportedAt = new Date(r.reportedAt);
    if (Number.isNaN(reportedAt.getTime()))
      add('reportedAt', {
        vi: 'thời điểm nhận không có thật',
        en: 'reportedAt is not a real time',
      });
    else if (reportedAt.getTime() > now.getTime() + SPAM_CLOCK_SKEW_MS)
      add('reportedAt', { vi: 'thời điểm nhận ở tương lai', en: 'reportedAt is in the future' });
    else if (reportedAt.getTime() < now.getTime() - SPAM_MAX_AGE_DAYS * 86_400_000)
      add('reportedAt', {
        vi: `chỉ nhận phản ánh trong ${SPAM_MAX_AGE_DAYS} ngày gần nhất`,
        en: `only reports of the last ${SPAM_MAX_AGE_DAYS} days are taken`,
      });
  }
  let externalId: string | null = null;
  if (r.externalId !== undefined && r.externalId !== null && opts.externalId) {
    if (typeof r.externalId !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(r.externalId))
      add('externalId', {
        vi: 'mã của cổng là 1–100 ký tự ASCII không có khoảng trắng',
        en: 'externalId is 1–100 printable ASCII characters without spaces',
      });
    else externalId = r.externalId;
  }
  let reporter: string | null = null;
  if (r.reporter !== undefined && r.reporter !== null) {
    const n = typeof r.reporter === 'string' ? normalizeSpamNumber(r.reporter) : undefined;
    if (n?.ok && /^(84|\+)\d+$/.test(n.number)) reporter = n.number;
    else
      add('reporter', {
        vi: 'số của người phản ánh không hợp lệ',
        en: 'the reporter’s number is not a phone number',
      });
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    report: {
      number,
      kind: kind as SpamKind,
      content,
      operator: operator as SpamOperator,
      reportedAt,
      externalId,
      reporter,
    },
  };
}
