import { z } from '@hono/zod-openapi';
import { BODY_MAX, PRIORITIES, TASK_STATUSES } from '../domain/task.ts';
import { listOf, multilineText, plainText } from './common.ts';
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

export const DirectiveList = listOf(Directive, 'DirectiveList');

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
export type DirectiveBoard = z.infer<typeof DirectiveBoard>;
