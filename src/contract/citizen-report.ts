import { z } from '@hono/zod-openapi';
import {
  REPORT_DESCRIPTION_MAX,
  REPORT_EVENT_KINDS,
  REPORT_NOTE_MAX,
  REPORT_PHOTOS_MAX,
  REPORT_SOURCES,
  REPORT_STATUSES,
  normalizeEmail,
  normalizePhone,
} from '../domain/citizen-report.ts';
import { MODERATION_RULES, MODERATION_STATES } from '../domain/citizen-report-moderation.ts';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
} from '../domain/citizen-notification.ts';
import { multilineText, plainText } from './common.ts';

/**
 * Citizens' reports (issue 20): the public intake and status page (no account; the tracking
 * code is the citizen's key), and the officers' side (the handling unit and the units above).
 * The public shapes never hold the citizen's contact nor an officer's name.
 */

export const ReportStatus = z.enum(REPORT_STATUSES).openapi('CitizenReportStatus', {
  description:
    'received → in_progress (acknowledged) → answered → closed; forwarded (transferred to another unit), refused (with the reason), reopened (by the citizen after an answer)',
});
export const ReportEventKind = z.enum(REPORT_EVENT_KINDS).openapi('CitizenReportEventKind');

/** Free text of `min`..`max` characters once trimmed, with messages in both languages. */
const text = (label: { vi: string; en: string }, max: number, multiline = true) =>
  (multiline ? multilineText() : plainText()).transform((s, ctx) => {
    const t = s.trim();
    if (t.length >= 1 && t.length <= max) return t;
    ctx.addIssue({
      code: 'custom',
      message:
        t.length === 0
          ? `${label.en} is empty`
          : `${label.en} is too long: ${t.length} characters, at most ${max}`,
      params: {
        vi:
          t.length === 0
            ? `${label.vi} không được để trống`
            : `${label.vi} quá dài: ${t.length} ký tự, tối đa ${max.toLocaleString('de-DE')}`,
      },
    });
    return z.NEVER;
  });

const phone = plainText()
  .transform((s, ctx) => {
    const p = normalizePhone(s);
    if (p) return p;
    ctx.addIssue({
      code: 'custom',
      message: `"${s.slice(0, 30)}" is not a Vietnamese phone number (0912345678 or +84912345678)`,
      params: {
        vi: `"${s.slice(0, 30)}" không phải số điện thoại Việt Nam (0912345678 hoặc +84912345678)`,
      },
    });
    return z.NEVER;
  })
  .openapi({ type: 'string', example: '0912345678' });

const email = plainText()
  .transform((s, ctx) => {
    const e = normalizeEmail(s);
    if (e) return e;
    ctx.addIssue({
      code: 'custom',
      message: `"${s.slice(0, 60)}" is not an email address`,
      params: { vi: `"${s.slice(0, 60)}" không phải địa chỉ email` },
    });
    return z.NEVER;
  })
  .openapi({ type: 'string', example: 'dan@example.vn' });

export const ReportPlaceInput = z
  .union([
    z.strictObject({
      lat: z.number().min(-90).max(90).openapi({ example: 10.7725 }),
      lon: z.number().min(-180).max(180).openapi({ example: 106.698 }),
    }),
    z.strictObject({
      unit: plainText().trim().min(1).max(50).openapi({
        description: 'The code of a commune (xã, phường, đặc khu) of the tree in force today',
        example: '26740',
      }),
    }),
  ])
  .openapi('CitizenReportPlace', {
    description:
      'A point picked on the map (WGS 84), or a commune found by name (GET /api/places/search)',
  });

export const ReportIntake = z
  .strictObject({
    category: plainText().trim().min(1).max(50).openapi({ example: 'HA_TANG_DO_THI' }),
    description: text(
      { vi: 'Nội dung phản ánh', en: 'The description' },
      REPORT_DESCRIPTION_MAX,
    ).openapi({ type: 'string', example: 'Ổ gà lớn trước số 12 đường Lê Lợi' }),
    place: ReportPlaceInput,
    contact: z
      .strictObject({ phone: phone.optional(), email: email.optional() })
      .optional()
      .openapi({
        description:
          'To be told of the answer (optional); never shown in public, only to the officers handling the report',
      }),
    photos: z
      .array(
        z.strictObject({
          id: z.number().int().positive(),
          key: plainText().min(1).max(200),
        }),
      )
      .max(REPORT_PHOTOS_MAX)
      .default([])
      .openapi({
        description: `Photos uploaded first (POST /api/public/photos answers {id, key}), at most ${REPORT_PHOTOS_MAX}`,
      }),
  })
  .openapi('CitizenReportIntake');
export type ReportIntake = z.output<typeof ReportIntake>;

const UnitName = z.object({ code: z.string(), name: z.string() });
const PlaceUnit = z.object({ code: z.string(), name: z.string(), fullName: z.string() });

export const ReportReceipt = z
  .object({
    code: z.string().openapi({ example: 'PA-7KQ2-M9XD' }),
    status: ReportStatus,
    receivedAt: z.string(),
    handler: UnitName,
    acknowledgeDue: z.string(),
    answerDue: z.string(),
    statusUrl: z.string().openapi({ example: '/api/public/reports/PA-7KQ2-M9XD' }),
  })
  .openapi('CitizenReportReceipt');
export type ReportReceipt = z.infer<typeof ReportReceipt>;

export const PublicPhoto = z
  .object({
    id: z.number(),
    contentType: z.string(),
    size: z.number(),
    url: z.string().openapi({ example: '/api/public/reports/PA-7KQ2-M9XD/photos/12' }),
  })
  .openapi('CitizenReportPhoto');

export const PublicReportEvent = z
  .object({
    kind: ReportEventKind,
    status: ReportStatus,
    at: z.string(),
    note: z.string().nullable().openapi({
      description:
        'What the citizen is told: the reason of a transfer or refusal, the question, the answer',
    }),
    fromUnit: UnitName.nullable(),
    toUnit: UnitName.nullable(),
    photos: z.array(PublicPhoto),
  })
  .openapi('CitizenReportPublicEvent');

const reportFields = {
  code: z.string(),
  status: ReportStatus,
  statusLabel: z.object({ vi: z.string(), en: z.string() }),
  category: z.object({ code: z.string(), nameVi: z.string(), nameEn: z.string() }),
  description: z.string(),
  place: z.object({
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    commune: PlaceUnit,
    province: PlaceUnit.nullable(),
  }),
  handler: PlaceUnit,
  receivedAt: z.string(),
  acknowledgeDue: z.string(),
  answerDue: z.string(),
  acknowledgedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  reopenUntil: z.string().nullable(),
  answer: z.string().nullable(),
  refusedReason: z.string().nullable(),
  rating: z.object({ stars: z.number(), note: z.string().nullable() }).nullable(),
  infoRequested: z
    .boolean()
    .openapi({ description: 'The unit asked a question the citizen has not answered yet' }),
  photos: z.array(PublicPhoto),
  answerPhotos: z.array(PublicPhoto),
};

/** `GET /api/public/reports/{code}`: what anyone holding the code sees. */
export const PublicReport = z
  .object({ ...reportFields, history: z.array(PublicReportEvent) })
  .openapi('CitizenReportPublic');
export type PublicReport = z.infer<typeof PublicReport>;

export const OfficerReportEvent = PublicReportEvent.extend({
  id: z.number(),
  actorName: z.string(),
  internalNote: z.string().nullable(),
}).openapi('CitizenReportEvent');

/** A message telling the citizen of an officer's action, as officers see it (masked). */
export const ReportNotification = z
  .object({
    channel: z.enum(NOTIFICATION_CHANNELS),
    to: z.string().openapi({ description: 'The phone or email, masked', example: '091****678' }),
    kind: z.enum(NOTIFICATION_KINDS).openapi({ description: 'The event the citizen is told of' }),
    status: z.enum(NOTIFICATION_STATUSES).openapi({
      description:
        'pending (waiting or being retried), sent (accepted by the mail server or SMS gateway), failed (given up)',
    }),
    configured: z.boolean().openapi({
      description:
        'Whether this server sends on the channel; false: the message waits, pending, until OPSROOM_SMTP_URL or OPSROOM_SMS_URL is set',
    }),
    attempts: z.number(),
    queuedAt: z.string(),
    sentAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    lastError: z
      .string()
      .nullable()
      .openapi({ description: 'The last try’s error, contact masked' }),
  })
  .openapi('CitizenReportNotification');
export type ReportNotification = z.infer<typeof ReportNotification>;

/** `GET /api/reports/{id}`: the officers' view, with the citizen's contact. */
export const OfficerReport = z
  .object({
    ...reportFields,
    id: z.number(),
    taskId: z.number().nullable(),
    source: z.enum(REPORT_SOURCES),
    photoRequired: z.boolean(),
    overdue: z.boolean(),
    contact: z.object({ phone: z.string().nullable(), email: z.string().nullable() }),
    history: z.array(OfficerReportEvent),
    notifications: z.array(ReportNotification).openapi({
      description:
        'The messages telling the citizen of the answer, a question, a refusal or a close',
    }),
    // Moderation (issue 20, "Abuse"): officers only; the shape is citizen-report-moderation.ts's.
    moderation: z.object({
      state: z.enum(MODERATION_STATES),
      rule: z.enum(MODERATION_RULES).nullable(),
      reason: z.string().nullable(),
      by: z.string().nullable(),
      at: z.string().nullable(),
    }),
  })
  .openapi('CitizenReport');
export type OfficerReport = z.infer<typeof OfficerReport>;

export const ReportListItem = z
  .object({
    id: z.number(),
    code: z.string(),
    status: ReportStatus,
    category: z.object({ code: z.string(), nameVi: z.string(), nameEn: z.string() }),
    description: z.string(),
    handler: UnitName,
    place: UnitName,
    receivedAt: z.string(),
    acknowledgeDue: z.string(),
    answerDue: z.string(),
    answeredAt: z.string().nullable(),
    overdue: z.boolean(),
    taskId: z.number().nullable(),
    contact: z.object({ phone: z.string().nullable(), email: z.string().nullable() }),
  })
  .openapi('CitizenReportListItem');
export type ReportListItem = z.infer<typeof ReportListItem>;

export const ReportList = z.object({ items: z.array(ReportListItem) }).openapi('CitizenReportList');

export const ReportListQuery = z.object({
  status: ReportStatus.optional(),
  category: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const ReportCodeParam = z.object({
  code: z
    .string()
    .max(40)
    .openapi({ param: { name: 'code', in: 'path' }, example: 'PA-7KQ2-M9XD' }),
});

const note = (vi: string, en: string) =>
  text({ vi, en }, REPORT_NOTE_MAX).openapi({ type: 'string' });
const attachmentIds = z
  .array(z.number().int().positive())
  .max(10)
  .optional()
  .openapi({ description: 'Files uploaded by POST /api/attachments (photos as proof)' });

export const ReportTransferInput = z
  .strictObject({
    unit: plainText().trim().min(1).max(50).openapi({
      description:
        'The unit that must handle it, in the tree in force: within your scope or your parent unit’s',
      example: '25747',
    }),
    reason: note('Lý do chuyển', 'The reason for the transfer').openapi({
      description: 'Shown to the citizen',
    }),
    internalNote: note('Ghi chú nội bộ', 'The internal note').optional(),
  })
  .openapi('CitizenReportTransfer');

export const ReportQuestionInput = z
  .strictObject({ question: note('Nội dung đề nghị bổ sung', 'The question') })
  .openapi('CitizenReportQuestion');

export const ReportAnswerInput = z
  .strictObject({
    answer: note('Nội dung trả lời', 'The answer'),
    attachmentIds,
    internalNote: note('Ghi chú nội bộ', 'The internal note').optional(),
  })
  .openapi('CitizenReportAnswer');

export const ReportCloseInput = z
  .strictObject({
    note: note('Nội dung kết thúc', 'The closing note').optional().openapi({
      description: 'Required when closing without an answer first: what was done (shown in public)',
    }),
    attachmentIds,
  })
  .openapi('CitizenReportClose');

export const ReportRefuseInput = z
  .strictObject({ reason: note('Lý do từ chối', 'The reason for refusing') })
  .openapi('CitizenReportRefuse');

export const ReportInfoInput = z
  .strictObject({ info: note('Thông tin bổ sung', 'The added information') })
  .openapi('CitizenReportInfo');

export const ReportReopenInput = z
  .strictObject({ reason: note('Lý do mở lại', 'The reason for reopening') })
  .openapi('CitizenReportReopen');

export const ReportRatingInput = z
  .strictObject({
    stars: z.number().int().min(1).max(5),
    note: note('Nhận xét', 'The note').optional(),
  })
  .openapi('CitizenReportRating');
