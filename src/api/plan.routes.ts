import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json, multilineText, plainText } from '../contract/common.ts';
import {
  Followup,
  PlanListQuery,
  PlanParams,
  PlanVersionQuery,
  WeeklyPlan,
  WeeklyPlanList,
} from '../contract/plan.ts';
import { actorOf, type AppEnv } from './context.ts';

export function planRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/plans',
      tags: ['plans'],
      summary:
        'The week’s plans of the units below the caller’s (the current week by default), those awaiting a decision first',
      request: { query: PlanListQuery },
      responses: { 200: json(WeeklyPlanList, 'The plans'), ...errorResponses },
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
      request: { params: PlanParams, query: PlanVersionQuery },
      responses: { 200: json(WeeklyPlan, 'The plan'), ...errorResponses },
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
        params: PlanParams,
        query: PlanVersionQuery,
        body: {
          content: {
            'application/json': {
              schema: z.object({ note: multilineText().max(5000).optional() }),
            },
          },
          required: false,
        },
      },
      responses: { 200: json(WeeklyPlan, 'The plan'), ...errorResponses },
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
        params: PlanParams,
        query: PlanVersionQuery,
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
      responses: { 200: json(WeeklyPlan, 'The plan'), ...errorResponses },
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
