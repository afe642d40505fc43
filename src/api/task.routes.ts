import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json, multilineText } from '../contract/common.ts';
import {
  StandaloneTaskInput,
  TaskComment,
  TaskDetail,
  TaskHistory,
  TaskId,
  TaskList,
  TaskStatus,
  TaskStatusInput,
} from '../contract/task.ts';
import { actorOf, type AppEnv } from './context.ts';

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
          status: TaskStatus.optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          to: z.enum(['scope', 'unit']).default('scope').openapi({
            description:
              "scope: the tasks of every unit in your scope; unit: your own unit's tasks, and tasks assigned outside a directive — the tasks of a directive's recipients below your unit are followed on its board, grouped under it in GET /api/directives",
          }),
        }),
      },
      responses: {
        200: json(TaskList, 'Tasks'),
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
        body: { content: { 'application/json': { schema: StandaloneTaskInput } }, required: true },
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
      request: { params: TaskId },
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
        params: TaskId,
        body: { content: { 'application/json': { schema: TaskStatusInput } }, required: true },
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
        params: TaskId,
        body: {
          content: {
            'application/json': { schema: z.object({ body: multilineText().min(1).max(5000) }) },
          },
          required: true,
        },
      },
      responses: { 201: json(TaskComment, 'The comment'), ...errorResponses },
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
        params: TaskId.extend({ milestoneId: z.coerce.number().int().positive() }),
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
      request: { params: TaskId },
      responses: { 200: json(TaskHistory, 'History'), ...errorResponses },
    }),
    async (c) => {
      const h = await c.get('services').tasks.history(actorOf(c), c.req.valid('param').id);
      return c.json(h, 200);
    },
  );

  return app;
}
