import { z } from '@hono/zod-openapi';
import { TASK_STATUSES, PRIORITIES } from '../domain/task.ts';
import { multilineText, plainText } from './common.ts';

/** Tasks: a directive's recipients' work, or a unit's own (standalone) task. */

export const TaskStatus = z.enum(TASK_STATUSES).openapi({
  description: 'received → acknowledged → in_progress → done; blocked (with a reason) and back',
});

export const Attachment = z
  .object({ id: z.number(), fileName: z.string(), contentType: z.string(), size: z.number() })
  .openapi('Attachment');

export const Task = z
  .object({
    id: z.number(),
    directiveId: z.number().nullable(),
    reportId: z
      .number()
      .nullable()
      .openapi({ description: "The citizen's report the task answers (GET /api/reports/{id})" }),
    title: z.string(),
    status: TaskStatus,
    dueDate: z.string(),
    daysLate: z.number(),
    progress: z.number(),
    blockedReason: z.string().nullable(),
    lastReport: z.string().nullable(),
    figures: z.record(z.string(), z.number()).nullable(),
    assigneeId: z.number().nullable(),
    readAt: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    doneAt: z.string().nullable(),
    remindedAt: z.string().nullable(),
    escalatedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    unit: z.object({
      version: z.string(),
      code: z.string(),
      name: z.string(),
      level: z.number(),
      path: z.string(),
    }),
    directive: z
      .object({
        id: z.number(),
        title: z.string(),
        body: z.string(),
        priority: z.enum(PRIORITIES),
        dueDate: z.string(),
        issuerName: z.string(),
        createdAt: z.string(),
      })
      .nullable(),
  })
  .openapi('Task');

/** `GET /api/inbox`. */
export const TaskList = z.object({ items: z.array(Task) }).openapi('TaskList');

export const TaskDetail = Task.extend({
  milestones: z.array(
    z.object({
      id: z.number(),
      title: z.string(),
      dueDate: z.string(),
      doneAt: z.string().nullable(),
    }),
  ),
  attachments: z.array(Attachment),
}).openapi('TaskDetail');

export const TaskComment = z
  .object({
    id: z.number(),
    taskId: z.number(),
    authorName: z.string(),
    body: z.string(),
    createdAt: z.string(),
  })
  .openapi('TaskComment');

export const TaskHistory = z
  .object({
    task: Task,
    events: z.array(
      z.object({
        id: z.number(),
        at: z.string(),
        kind: z.enum([
          'created',
          'read',
          'status',
          'comment',
          'reminded',
          'escalated',
          'milestone',
          'transferred',
        ]),
        actor: z.object({ id: z.string().nullable(), name: z.string() }),
        from: z.string().nullable(),
        to: z.string().nullable(),
        note: z.string().nullable(),
        progress: z.number().nullable(),
        figures: z.record(z.string(), z.number()).nullable(),
        attachments: z.array(Attachment),
      }),
    ),
    comments: z.array(TaskComment),
  })
  .openapi('TaskHistory');

export const TaskId = z.object({ id: z.coerce.number().int().positive().openapi({ example: 1 }) });

export const AttachmentIds = z.array(z.number().int().positive()).max(20).optional();

export const TaskStatusInput = z
  .object({
    status: TaskStatus,
    reason: multilineText().max(2000).optional().openapi({ description: 'Required for blocked' }),
    note: multilineText().max(20_000).optional().openapi({ description: 'The report' }),
    progress: z.number().int().min(0).max(100).optional(),
    figures: z
      .record(plainText().max(80), z.number())
      .optional()
      .openapi({
        example: { households_visited: 120 },
      }),
    attachmentIds: AttachmentIds,
  })
  .openapi('TaskStatusInput');

export const StandaloneTaskInput = z
  .object({
    title: plainText().min(1).max(500),
    unit: plainText().min(1).max(40),
    version: plainText().max(20).optional(),
    assignee: z.number().int().positive().optional().openapi({ description: 'A user id' }),
    dueDate: z.iso.date(),
    milestones: z
      .array(z.object({ title: plainText().min(1).max(500), due: z.iso.date() }))
      .max(50)
      .optional(),
  })
  .openapi('StandaloneTaskInput');

export type TaskList = z.infer<typeof TaskList>;
export type TaskStatus = z.infer<typeof TaskStatus>;
export type Attachment = z.infer<typeof Attachment>;
export type Task = z.infer<typeof Task>;
export type TaskDetail = z.infer<typeof TaskDetail>;
export type TaskComment = z.infer<typeof TaskComment>;
export type TaskHistory = z.infer<typeof TaskHistory>;
export type TaskStatusInput = z.infer<typeof TaskStatusInput>;
export type StandaloneTaskInput = z.infer<typeof StandaloneTaskInput>;
