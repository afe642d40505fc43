import { z } from '@hono/zod-openapi';
import { MODERATION_RULES, MODERATION_STATES } from '../domain/citizen-report-moderation.ts';
import { REPORT_NOTE_MAX } from '../domain/citizen-report.ts';
import { multilineText } from './common.ts';
import { ReportListItem } from './citizen-report.ts';

/**
 * Moderation of citizens' reports (issue 20, "Abuse"): the officers' queue of flagged reports,
 * flagging one, and the decision (release or hide). Never in the public shapes.
 */

export const ModerationState = z.enum(MODERATION_STATES).openapi('CitizenReportModerationState', {
  description:
    'none; flagged (waits in the moderation queue, kept off public lists); hidden (refused as abusive: the public sees neither text nor photos)',
});

export const Moderation = z
  .object({
    state: ModerationState,
    rule: z.enum(MODERATION_RULES).nullable().openapi({
      description:
        'Why it was flagged: an automatic rule at intake (link, repeat, gibberish, insult) or an officer',
    }),
    reason: z.string().nullable(),
    by: z.string().nullable(),
    at: z.string().nullable(),
  })
  .openapi('CitizenReportModeration');
export type Moderation = z.infer<typeof Moderation>;

export const ModerationQueueItem = ReportListItem.extend({ moderation: Moderation }).openapi(
  'CitizenReportModerationItem',
);
export type ModerationQueueItem = z.infer<typeof ModerationQueueItem>;

export const ModerationQueue = z
  .object({ items: z.array(ModerationQueueItem) })
  .openapi('CitizenReportModerationQueue');

export const ModerationQueueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const reason = (vi: string, en: string) =>
  multilineText()
    .transform((s, ctx) => {
      const t = s.trim();
      if (t.length >= 1 && t.length <= REPORT_NOTE_MAX) return t;
      ctx.addIssue({
        code: 'custom',
        message:
          t.length === 0 ? `${en} is empty` : `${en} is too long: at most ${REPORT_NOTE_MAX}`,
        params: {
          vi:
            t.length === 0
              ? `${vi} không được để trống`
              : `${vi} quá dài: tối đa ${REPORT_NOTE_MAX}`,
        },
      });
      return z.NEVER;
    })
    .openapi({ type: 'string' });

export const ReportFlagInput = z
  .strictObject({
    reason: reason('Lý do gắn cờ', 'The reason for flagging').openapi({
      description: 'For officers only, never shown in public',
    }),
  })
  .openapi('CitizenReportFlag');

export const ReportModerateInput = z
  .strictObject({
    decision: z.enum(['release', 'hide']).openapi({
      description:
        'release: back to normal; hide: refused as abusive (its task done; the public page shows only "refused: abusive content")',
    }),
    reason: reason('Lý do', 'The reason').openapi({
      description: 'For officers only, never shown in public',
    }),
  })
  .openapi('CitizenReportModerate');
