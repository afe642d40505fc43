import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { BODY_MAX, PRIORITIES, TASK_STATUSES } from '../domain/task.ts';
import { actorOf, type AppEnv } from './context.ts';
import { errorResponses, json, multilineText, plainText } from './schemas.ts';
import { FileSchema } from './task.routes.ts';

const Target = z
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

const DirectiveInput = z
  .object({
    title: plainText().min(1).max(500),
    body: multilineText()
      .max(BODY_MAX * 2)
      .openapi({ description: `At most ${BODY_MAX} characters` }),
    priority: z.enum(PRIORITIES).default('normal'),
    dueDate: z.iso.date().openapi({ example: '2026-12-31' }),
    target: Target,
    attachmentIds: z.array(z.number().int().positive()).max(20).optional(),
  })
  .openapi('DirectiveInput');

const Directive = z
  .object({
    id: z.number(),
    title: z.string(),
    body: z.string(),
    priority: z.enum(PRIORITIES),
    dueDate: z.string(),
    target: Target,
    version: z.string(),
    scopePath: z.string().openapi({ description: 'The recipients’ common ancestor' }),
    issuer: z.object({
      id: z.string().nullable(),
      name: z.string(),
      unit: z.object({ version: z.string(), code: z.string(), path: z.string() }),
    }),
    taskCount: z.number(),
    createdAt: z.string(),
    attachments: z.array(FileSchema),
  })
  .openapi('Directive');

const Counts = {
  total: z.number(),
  read: z.number(),
  acknowledged: z.number(),
  inProgress: z.number(),
  done: z.number(),
  blocked: z.number(),
  overdue: z.number().openapi({ description: 'Due before today and not done' }),
};

const Board = z
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
        ...Counts,
      }),
    ),
    totals: z.object(Counts),
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

const Id = z.object({ id: z.coerce.number().int().positive() });

export function directiveRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/directives',
      tags: ['directives'],
      summary:
        'Issue a directive (leader, admin): one task per recipient unit, created in one transaction; the `directive` live event reaches the recipients',
      request: {
        body: { content: { 'application/json': { schema: DirectiveInput } }, required: true },
      },
      responses: {
        201: json(z.object({ directive: Directive, taskCount: z.number() }), 'Issued'),
        422: json(z.object({ error: z.any() }), 'The target names no unit (no_recipients)'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .directives.issue(actorOf(c), c.req.valid('json'), { requestId: c.get('requestId') });
      return c.json(r, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/directives',
      tags: ['directives'],
      summary:
        'Directives you may see, newest first: issued by your unit or a unit in your scope, or sent to a unit in your scope',
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          version: plainText().max(20).optional(),
          issued: z
            .enum(['true', 'false'])
            .optional()
            .transform((v) => v === 'true')
            .openapi({
              description: 'Only the directives issued by your unit or units in your scope',
            }),
        }),
      },
      responses: {
        200: json(z.object({ items: z.array(Directive) }), 'Directives'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const items = await c.get('services').directives.list(actorOf(c), c.req.valid('query'));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/directives/{id}',
      tags: ['directives'],
      summary: 'A directive',
      request: { params: Id },
      responses: { 200: json(Directive, 'The directive'), ...errorResponses },
    }),
    async (c) => {
      const d = await c.get('services').directives.get(actorOf(c), c.req.valid('param').id);
      return c.json(d, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/directives/{id}/board',
      tags: ['directives'],
      summary:
        'The board of a directive: per child unit of `unit` (default the issuer’s unit) counts read, acknowledged, in progress, done, blocked, overdue; the laggards, latest first',
      request: {
        params: Id,
        query: z.object({
          unit: plainText().max(40).optional(),
          laggards: z.coerce.number().int().min(0).max(2000).default(100),
        }),
      },
      responses: { 200: json(Board, 'The board'), ...errorResponses },
    }),
    async (c) => {
      const b = await c
        .get('services')
        .directives.board(actorOf(c), c.req.valid('param').id, c.req.valid('query'));
      return c.json(b, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/directives/{id}/remind',
      tags: ['directives'],
      summary:
        'Remind every laggard (not done) under `unit` (default the issuer’s unit): `reminder` live events, one per province',
      request: {
        params: Id,
        query: z.object({ unit: plainText().max(40).optional() }),
      },
      responses: {
        200: json(z.object({ reminded: z.number() }), 'How many tasks were reminded'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .directives.remind(actorOf(c), c.req.valid('param').id, c.req.valid('query'), {
          requestId: c.get('requestId'),
        });
      return c.json(r, 200);
    },
  );

  return app;
}
