import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { AlertList, AlertRule, AlertRuleInput, AlertRuleList } from '../contract/alert.ts';
import { errorResponses, json, plainText } from '../contract/common.ts';
import { actorOf, type AppEnv } from './context.ts';

export function alertRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/alerts/rules',
      tags: ['alerts'],
      summary: 'Alert rules on units in your scope and on units above it that cover it',
      responses: { 200: json(AlertRuleList, 'Rules'), ...errorResponses },
    }),
    async (c) => c.json({ items: await c.get('services').alerts.listRules(actorOf(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/alerts/rules',
      tags: ['alerts'],
      summary:
        'Create an alert rule (metadata.manage, a unit in your scope): after each import of its elements the units of the level under the unit are compared with the threshold for the periods written',
      request: {
        body: { content: { 'application/json': { schema: AlertRuleInput } }, required: true },
      },
      responses: { 201: json(AlertRule, 'The rule'), ...errorResponses },
    }),
    async (c) => {
      const rule = await c
        .get('services')
        .alerts.createRule(actorOf(c), c.req.valid('json'), { requestId: c.get('requestId') });
      return c.json(rule, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/alerts/rules/{id}',
      tags: ['alerts'],
      summary:
        'Rename a rule, move its threshold, or switch it off or on (metadata.manage); its alerts are kept',
      request: {
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: {
          content: {
            'application/json': {
              schema: z
                .object({
                  nameVi: plainText().min(1).max(200),
                  nameEn: plainText().min(1).max(200),
                  threshold: z.number(),
                  active: z.boolean(),
                })
                .partial()
                .openapi('AlertRulePatch'),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(AlertRule, 'The rule'), ...errorResponses },
    }),
    async (c) => {
      const rule = await c
        .get('services')
        .alerts.updateRule(actorOf(c), c.req.valid('param').id, c.req.valid('json'), {
          requestId: c.get('requestId'),
        });
      return c.json(rule, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/alerts',
      tags: ['alerts'],
      summary:
        'Alerts in your scope, newest change first; alerts are kept: a value back under the threshold resolves them',
      request: {
        query: z.object({
          state: z.enum(['open', 'resolved']).optional(),
          unit: plainText().max(40).optional().openapi({
            description: 'Only alerts of this unit and the units under it',
          }),
          version: plainText().max(20).optional(),
          rule: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: {
        200: json(AlertList, 'Alerts'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const items = await c.get('services').alerts.list(actorOf(c), q);
      return c.json({ items }, 200);
    },
  );

  return app;
}
