import { z } from '@hono/zod-openapi';
import { SPAM_BATCH_MAX, SPAM_KINDS, SPAM_OPERATORS } from '../domain/spam.ts';

/**
 * The 5656 spam line (issue 20): reports of spam messages and calls from operators' gateways
 * and the public page, numbers operators confirm blocked, and the week's most reported numbers.
 *
 * The request schemas check the shape of a request only: the items of a batch are checked one
 * by one by the service (domain/spam.ts), so that a bad item is answered as rejected, with its
 * reasons, and the good ones beside it are kept.
 */

const field = (type: 'string' | 'object', description: string, example?: unknown) =>
  z.unknown().openapi({ type, description, ...(example === undefined ? {} : { example }) });

export const SpamReportItem = z
  .object({
    number: field(
      'string',
      'The number the spam came from: 0912345678, +84912345678 and 84912345678 are one number (84912345678); a short code (5656) or a sender name (VIETTEL) as given, uppercased',
      '0912345678',
    ),
    kind: field('string', `${SPAM_KINDS.join(' or ')}`, 'sms'),
    content: field(
      'string',
      'The message, at most 2,000 characters; required for sms, may be empty for a call',
      'Chúc mừng bạn trúng thưởng...',
    ),
    operator: field('string', `The reporter's operator: ${SPAM_OPERATORS.join(', ')}`, 'viettel'),
    reportedAt: field(
      'string',
      'When the spam was received, ISO 8601 with its offset; not in the future, not older than 30 days',
      '2026-12-07T08:30:00+07:00',
    ),
    externalId: field(
      'string',
      "The gateway's own id of the report (1–100 ASCII characters): sent again, the report is a duplicate, not counted twice. Gateways only",
      'vt-20261207-000123',
    ),
    reporter: field(
      'string',
      "The reporter's own number, optional: stored only as a hash (distinct reporters)",
    ),
  })
  .partial()
  // Unknown fields reach the service, which names them in the item's reasons.
  .loose()
  .openapi('SpamReportInput');

export const SpamReportBatch = z
  .union([
    z.object({ reports: z.array(z.unknown()).min(1).max(SPAM_BATCH_MAX) }).openapi({
      description: `Up to ${SPAM_BATCH_MAX.toLocaleString('en')} reports (each a SpamReportInput)`,
    }),
    SpamReportItem,
  ])
  .openapi('SpamReportBatch');

const Reason = z.object({ field: z.string(), vi: z.string(), en: z.string() });

export const SpamItemResult = z.object({
  index: z.number().int(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  /** The stored report (accepted, or the first one of a duplicate). */
  id: z.number().int().optional(),
  number: z.string().optional(),
  externalId: z.string().optional(),
  reasons: z.array(Reason).optional(),
});

export const SpamImportSummary = z
  .object({
    status: z.enum(['OK', 'WARNING', 'ERROR']).openapi({
      description: 'OK: nothing rejected; WARNING: some rejected; ERROR: every item rejected',
    }),
    received: z.number().int(),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    results: z.array(SpamItemResult),
  })
  .openapi('SpamImportSummary');

export const SpamPublicReceipt = z
  .object({
    id: z.number().int(),
    number: z.string(),
    kind: z.enum(SPAM_KINDS),
    receivedAt: z.string(),
  })
  .openapi('SpamPublicReceipt');

export const SpamBlockInput = z
  .object({
    operator: z.enum(SPAM_OPERATORS),
    numbers: z.array(z.string().max(40)).min(1).max(SPAM_BATCH_MAX),
  })
  .openapi('SpamBlockInput');

export const SpamBlockSummary = z
  .object({
    blocked: z.number().int().openapi({ description: 'Numbers newly confirmed blocked' }),
    already: z
      .number()
      .int()
      .openapi({ description: 'Numbers this operator had confirmed before' }),
    rejected: z.array(
      z.object({ index: z.number().int(), value: z.string(), vi: z.string(), en: z.string() }),
    ),
  })
  .openapi('SpamBlockSummary');

export const SpamTopQuery = z.object({
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/)
    .optional()
    .openapi({ description: 'An ISO week, 2026-W49; default this week', example: '2026-W49' }),
  limit: z.coerce.number().int().min(1).max(1000).default(50).openapi({ example: 50 }),
  format: z.enum(['json', 'csv']).default('json'),
});

export const SpamTopItem = z.object({
  rank: z.number().int(),
  number: z.string(),
  reports: z.number().int(),
  sms: z.number().int(),
  calls: z.number().int(),
  reporters: z.number().int().openapi({
    description:
      'Distinct reporters: by the reporter number a gateway gave (hashed), else its token; on the public page the client address',
  }),
  operators: z.number().int().openapi({ description: 'Distinct operators of the reporters' }),
  firstSeen: z.string().openapi({ description: 'Earliest reportedAt that week' }),
  lastSeen: z.string(),
  blocked: z.boolean(),
  blockedBy: z.array(z.string()).openapi({ description: 'Operators that confirmed it blocked' }),
});

export const SpamTop = z
  .object({
    week: z.string(),
    start: z.string(),
    end: z.string(),
    totalReports: z.number().int(),
    distinctNumbers: z.number().int(),
    items: z.array(SpamTopItem),
  })
  .openapi('SpamTop');
