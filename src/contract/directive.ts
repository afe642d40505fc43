import { z } from '@hono/zod-openapi';
import { BODY_MAX, PRIORITIES, TASK_STATUSES } from '../domain/task.ts';
import { multilineText, plainText } from './common.ts';
import { Attachment } from './task.ts';

/** Directives: issued to units, one task per recipient; their board. */

export const DirectiveTarget = z
  .object({
    kind: z.enum(['units', 'level', 'group', 'nation']).openapi({
      description:
        'nation: every province (or every unit of `level`); units: the listed codes; level: every unit of `level` under `unit`; group: the members of a group',
    }),
    version: plainText()
      .max(20)
      .optional()
      .openapi({ description: 'Default: your tree, or the tree in force' }),
    units: z.array(plainText().min(1).max(40)).max(20_000).optional(),
    unit: plainText().min(1).max(40).optional(),
    level: z.number().int().min(1).max(9).optional(),
    group: plainText().min(1).max(80).optional(),
  })
  .openapi('DirectiveTarget', {
    example: { kind: 'level', version: '2022', unit: '79', level: 3 },
  });

export const DirectiveInput = z
  .object({
    title: plainText().min(1).max(500),
    body: multilineText()
      .max(BODY_MAX * 2)
      .openapi({ description: `At most ${BODY_MAX} characters` }),
    priority: z.enum(PRIORITIES).default('normal'),
    dueDate: z.iso.date().openapi({ example: '2026-12-31' }),
    target: DirectiveTarget,
    attachmentIds: z.array(z.number().int().positive()).max(20).optional(),
  })
  .openapi('DirectiveInput');

export const Directive = z
  .object({
    id: z.number(),
    title: z.string(),
    body: z.string(),
    priority: z.enum(PRIORITIES),
    dueDate: z.string(),
    target: DirectiveTarget,
    version: z.string(),
    scopePath: z.string().openapi({ description: 'The recipients’ common ancestor' }),
    issuer: z.object({
      id: z.string().nullable(),
      name: z.string(),
      unit: z.object({ version: z.string(), code: z.string(), path: z.string() }),
    }),
    taskCount: z.number(),
    createdAt: z.string(),
    attachments: z.array(Attachment),
  })
  .openapi('Directive');

export const DIRECTIVE_RELATIONS = ['all', 'issued', 'received'] as const;
export const DIRECTIVE_STATUSES = ['open', 'overdue', 'done'] as const;
export const DIRECTIVE_DUE = ['past', 'today', 'week', 'month'] as const;
/** The longest search text: a title's worth (a longer one is refused, not cut). */
export const DIRECTIVE_Q_MAX = 200;

const isoDate = z.iso.date().openapi({ example: '2026-12-31' });

/** `GET /api/directives`: filters narrow what the caller sees; they never widen it. */
export const DirectiveListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce
      .number()
      .int()
      .min(0)
      .max(100_000)
      .default(0)
      .openapi({ description: 'Rows to skip in the order of the list (newest first)' }),
    version: plainText().max(20).optional(),
    relation: z.enum(DIRECTIVE_RELATIONS).optional().openapi({
      description:
        'issued: issued by your unit or a unit in your scope; received: sent to a unit in your scope by a unit outside it; all (default): both',
    }),
    issued: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => v === 'true')
      .openapi({ description: 'Older form of `relation=issued` (still accepted)' }),
    status: z.enum(DIRECTIVE_STATUSES).optional().openapi({
      description:
        'Counted over the tasks in your scope (all of them on the issuer’s side, your own units’ on the recipients’): done: every one done; overdue: one not done past its due date; open: not all done, none late',
    }),
    due: z.enum(DIRECTIVE_DUE).optional().openapi({
      description:
        'The directive’s due date, from today in Viet Nam: past (before today), today, week (today to 7 days ahead), month (today to 30 days ahead)',
    }),
    dueFrom: isoDate.optional().openapi({ description: 'Due on or after this date' }),
    dueTo: isoDate.optional().openapi({ description: 'Due on or before this date' }),
    q: plainText()
      .max(DIRECTIVE_Q_MAX)
      .optional()
      .openapi({
        description: `Words in the title or body, without regard to case or Vietnamese marks ("chi thi" finds "Chỉ thị"), % and _ taken literally; a number also finds the directive of that number. At most ${DIRECTIVE_Q_MAX} characters`,
      }),
  })
  .superRefine((v, ctx) => {
    if (v.issued && v.relation && v.relation !== 'issued')
      ctx.addIssue({
        code: 'custom',
        path: ['issued'],
        message: '`issued=true` contradicts `relation`',
        params: { vi: '`issued=true` mâu thuẫn với `relation`' },
      });
    if (v.dueFrom && v.dueTo && v.dueFrom > v.dueTo)
      ctx.addIssue({
        code: 'custom',
        path: ['dueTo'],
        message: '`dueTo` is before `dueFrom`',
        params: { vi: '`dueTo` đứng trước `dueFrom`' },
      });
  });

export const DirectiveListItem = Directive.extend({
  relation: z
    .enum(['issued', 'received'])
    .openapi({ description: 'Issued on your side, or sent to your side from outside it' }),
  status: z.enum(DIRECTIVE_STATUSES),
  progress: z
    .object({ total: z.number(), done: z.number(), overdue: z.number() })
    .openapi({ description: 'Its tasks in your scope' }),
}).openapi('DirectiveListItem');

export const DirectiveList = z
  .object({
    items: z.array(DirectiveListItem),
    total: z.number().openapi({ description: 'Directives matching the filters, all pages' }),
    offset: z.number(),
    limit: z.number(),
    today: z.string().openapi({ description: 'Today in Viet Nam, which `due` counts from' }),
  })
  .openapi('DirectiveList');

export const TaskCounts = {
  total: z.number(),
  read: z.number(),
  acknowledged: z.number(),
  inProgress: z.number(),
  done: z.number(),
  blocked: z.number(),
  overdue: z.number().openapi({ description: 'Due before today and not done' }),
};

export const DirectiveBoard = z
  .object({
    directive: Directive,
    unit: z.object({
      version: z.string(),
      code: z.string(),
      name: z.string(),
      level: z.number(),
      path: z.string(),
    }),
    today: z.string(),
    rows: z.array(
      z.object({
        unit: z.object({ code: z.string(), name: z.string(), level: z.number() }),
        ...TaskCounts,
      }),
    ),
    totals: z.object(TaskCounts),
    laggardCount: z.number(),
    laggards: z.array(
      z.object({
        taskId: z.number(),
        unit: z.object({
          code: z.string(),
          name: z.string(),
          level: z.number(),
          path: z.string(),
          pathNames: z.string().openapi({ example: 'Hồ Chí Minh / Quận 1 / Bến Nghé' }),
        }),
        status: z.enum(TASK_STATUSES),
        dueDate: z.string(),
        daysLate: z.number(),
        remindedAt: z.string().nullable(),
        escalatedAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('DirectiveBoard');

export const DirectiveId = z.object({ id: z.coerce.number().int().positive() });

export type DirectiveTarget = z.infer<typeof DirectiveTarget>;
export type DirectiveInput = z.infer<typeof DirectiveInput>;
export type Directive = z.infer<typeof Directive>;
export type DirectiveListQuery = z.infer<typeof DirectiveListQuery>;
export type DirectiveBoard = z.infer<typeof DirectiveBoard>;
