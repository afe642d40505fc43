import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { actorOf, type AppEnv } from './context.ts';
import { errorResponses, json, multilineText, plainText } from './schemas.ts';
import { TaskSchema } from './task.routes.ts';

const Plan = z
  .object({
    unit: z.object({ version: z.string(), code: z.string(), name: z.string(), level: z.number() }),
    week: z.string().openapi({ example: '2026-W48' }),
    start: z.string(),
    end: z.string(),
    status: z.enum(['draft', 'submitted', 'approved', 'returned']),
    note: z.string().nullable(),
    submittedBy: z.string().nullable(),
    submittedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    tasks: z.array(TaskSchema).openapi({ description: 'The unit’s tasks due that week' }),
  })
  .openapi('WeeklyPlan');

const Params = z.object({
  unit: plainText().min(1).max(40).openapi({ example: '26740' }),
  week: plainText().min(1).max(10).openapi({ example: '2026-W48' }),
});
const VersionQuery = z.object({ version: plainText().max(20).optional() });

const Followup = z
  .object({
    unit: z.object({ version: z.string(), code: z.string(), name: z.string(), level: z.number() }),
    today: z.string(),
    week: z.string(),
    overdue: z.array(TaskSchema),
    dueThisWeek: z.array(TaskSchema),
    onTime: z.array(
      z.object({
        unit: z.object({ code: z.string(), name: z.string() }),
        weeks: z.array(
          z.object({
            week: z.string(),
            due: z.number(),
            onTime: z.number(),
            rate: z.number().nullable().openapi({ description: '0–1; null when nothing was due' }),
          }),
        ),
      }),
    ),
  })
  .openapi('Followup');

const PlanList = z
  .object({
    week: z.string(),
    start: z.string(),
    end: z.string(),
    items: z.array(
      z.object({
        unit: z.object({
          version: z.string(),
          code: z.string(),
          name: z.string(),
          level: z.number(),
        }),
        status: z.enum(['draft', 'submitted', 'approved', 'returned']),
        submittedBy: z.string().nullable(),
        submittedAt: z.string().nullable(),
        decidedBy: z.string().nullable(),
        decidedAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('WeeklyPlanList');

const ListQuery = z.object({
  week: plainText().min(1).max(10).optional().openapi({ example: '2026-W48' }),
  status: z.enum(['draft', 'submitted', 'approved', 'returned']).optional(),
  version: plainText().max(20).optional(),
});

export function planRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/plans',
      tags: ['plans'],
      summary:
        'The week’s plans of the units below the caller’s (the current week by default), those awaiting a decision first',
      request: { query: ListQuery },
      responses: { 200: json(PlanList, 'The plans'), ...errorResponses },
    }),
    async (c) => {
      const r = await c.get('services').plans.list(actorOf(c), c.req.valid('query'));
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/plans/{unit}/{week}',
      tags: ['plans'],
      summary: 'A unit’s weekly plan: its tasks due in the ISO week and the approval status',
      request: { params: Params, query: VersionQuery },
      responses: { 200: json(Plan, 'The plan'), ...errorResponses },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const r = await c
        .get('services')
        .plans.get(actorOf(c), p.unit, p.week, c.req.valid('query').version);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/plans/{unit}/{week}/submit',
      tags: ['plans'],
      summary: 'Submit the unit’s weekly plan to its superior (again after it was returned)',
      request: {
        params: Params,
        query: VersionQuery,
        body: {
          content: {
            'application/json': {
              schema: z.object({ note: multilineText().max(5000).optional() }),
            },
          },
          required: false,
        },
      },
      responses: { 200: json(Plan, 'The plan'), ...errorResponses },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const body = (await c.req.json().catch(() => ({}))) as { note?: string };
      const r = await c.get('services').plans.submit(
        actorOf(c),
        p.unit,
        p.week,
        {
          note: typeof body.note === 'string' ? body.note.slice(0, 5000) : undefined,
          version: c.req.valid('query').version,
        },
        { requestId: c.get('requestId') },
      );
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/plans/{unit}/{week}/decision',
      tags: ['plans'],
      summary: 'Approve or return a submitted weekly plan (a leader above the unit)',
      request: {
        params: Params,
        query: VersionQuery,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                approve: z.boolean(),
                note: multilineText().max(5000).optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(Plan, 'The plan'), ...errorResponses },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const r = await c
        .get('services')
        .plans.decide(
          actorOf(c),
          p.unit,
          p.week,
          { ...c.req.valid('json'), version: c.req.valid('query').version },
          { requestId: c.get('requestId') },
        );
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/followup',
      tags: ['plans'],
      summary:
        'The Office’s follow-up board: tasks overdue and due this week under a unit, and each child unit’s on-time rate per week',
      request: {
        query: z.object({
          unit: plainText().max(40).optional(),
          version: plainText().max(20).optional(),
          weeks: z.coerce.number().int().min(1).max(52).default(8),
          limit: z.coerce.number().int().min(1).max(2000).default(200),
        }),
      },
      responses: { 200: json(Followup, 'Follow-up'), ...errorResponses },
    }),
    async (c) => {
      const r = await c.get('services').plans.followup(actorOf(c), c.req.valid('query'));
      return c.json(r, 200);
    },
  );

  return app;
}
