import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { TASK_STATUSES, PRIORITIES } from '../domain/task.ts';
import { actorOf, type AppEnv } from './context.ts';
import { errorResponses, json, multilineText, plainText } from './schemas.ts';

/** Shapes shared by the directive, task and plan routes. */

const Status = z.enum(TASK_STATUSES).openapi({
  description: 'received → acknowledged → in_progress → done; blocked (with a reason) and back',
});

export const FileSchema = z
  .object({ id: z.number(), fileName: z.string(), contentType: z.string(), size: z.number() })
  .openapi('Attachment');

export const TaskSchema = z
  .object({
    id: z.number(),
    directiveId: z.number().nullable(),
    title: z.string(),
    status: Status,
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

const TaskDetail = TaskSchema.extend({
  milestones: z.array(
    z.object({
      id: z.number(),
      title: z.string(),
      dueDate: z.string(),
      doneAt: z.string().nullable(),
    }),
  ),
  attachments: z.array(FileSchema),
}).openapi('TaskDetail');

const Comment = z
  .object({
    id: z.number(),
    taskId: z.number(),
    authorName: z.string(),
    body: z.string(),
    createdAt: z.string(),
  })
  .openapi('TaskComment');

const History = z
  .object({
    task: TaskSchema,
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
        ]),
        actor: z.object({ id: z.string().nullable(), name: z.string() }),
        from: z.string().nullable(),
        to: z.string().nullable(),
        note: z.string().nullable(),
        progress: z.number().nullable(),
        figures: z.record(z.string(), z.number()).nullable(),
        attachments: z.array(FileSchema),
      }),
    ),
    comments: z.array(Comment),
  })
  .openapi('TaskHistory');

const Id = z.object({ id: z.coerce.number().int().positive().openapi({ example: 1 }) });
const AttachmentIds = z.array(z.number().int().positive()).max(20).optional();

const StatusInput = z
  .object({
    status: Status,
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

const StandaloneInput = z
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

export function taskRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/inbox',
      tags: ['tasks'],
      summary: 'Tasks of the units in your scope, newest first, with their directive',
      request: {
        query: z.object({
          status: Status.optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: {
        200: json(z.object({ items: z.array(TaskSchema) }), 'Tasks'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const items = await c.get('services').tasks.inbox(actorOf(c), c.req.valid('query'));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tasks',
      tags: ['tasks'],
      summary:
        'Assign a task outside a directive: a unit (and optionally a person), a due date, milestones',
      request: {
        body: { content: { 'application/json': { schema: StandaloneInput } }, required: true },
      },
      responses: { 201: json(TaskDetail, 'The task'), ...errorResponses },
    }),
    async (c) => {
      const t = await c
        .get('services')
        .tasks.createStandalone(actorOf(c), c.req.valid('json'), { requestId: c.get('requestId') });
      return c.json(t, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/tasks/{id}',
      tags: ['tasks'],
      summary: 'A task; opening it as its recipient records the time it was read (once)',
      request: { params: Id },
      responses: { 200: json(TaskDetail, 'The task'), ...errorResponses },
    }),
    async (c) => {
      const t = await c
        .get('services')
        .tasks.get(actorOf(c), c.req.valid('param').id, { requestId: c.get('requestId') });
      return c.json(t, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tasks/{id}/status',
      tags: ['tasks'],
      summary:
        'Acknowledge, report progress, block (with a reason) or finish a task, by its recipient; text, figures and attachments as evidence',
      request: {
        params: Id,
        body: { content: { 'application/json': { schema: StatusInput } }, required: true },
      },
      responses: {
        200: json(TaskDetail, 'The task after the change'),
        409: json(
          z.object({ error: z.any() }),
          'Refused by the status machine (invalid_transition)',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const t = await c
        .get('services')
        .tasks.changeStatus(actorOf(c), c.req.valid('param').id, c.req.valid('json'), {
          requestId: c.get('requestId'),
        });
      return c.json(t, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tasks/{id}/comments',
      tags: ['tasks'],
      summary: 'Comment on a task in your scope',
      request: {
        params: Id,
        body: {
          content: {
            'application/json': { schema: z.object({ body: multilineText().min(1).max(5000) }) },
          },
          required: true,
        },
      },
      responses: { 201: json(Comment, 'The comment'), ...errorResponses },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .tasks.comment(actorOf(c), c.req.valid('param').id, c.req.valid('json').body, {
          requestId: c.get('requestId'),
        });
      return c.json(r, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tasks/{id}/milestones/{milestoneId}/done',
      tags: ['tasks'],
      summary: 'Mark a milestone of a task done',
      request: {
        params: Id.extend({ milestoneId: z.coerce.number().int().positive() }),
      },
      responses: { 200: json(TaskDetail, 'The task'), ...errorResponses },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const t = await c.get('services').tasks.completeMilestone(actorOf(c), p.id, p.milestoneId, {
        requestId: c.get('requestId'),
      });
      return c.json(t, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/tasks/{id}/history',
      tags: ['tasks'],
      summary: 'Every change of a task (who, when, from → to, note, figures) and its comments',
      request: { params: Id },
      responses: { 200: json(History, 'History'), ...errorResponses },
    }),
    async (c) => {
      const h = await c.get('services').tasks.history(actorOf(c), c.req.valid('param').id);
      return c.json(h, 200);
    },
  );

  return app;
}
