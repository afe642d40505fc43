import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { CALENDAR_PERIOD_TYPES } from '../domain/period.ts';
import { actorOf, type AppEnv } from './context.ts';
import { errorResponses, json, plainText } from './schemas.ts';

const PeriodType = z.enum(CALENDAR_PERIOD_TYPES);
const OperatorOut = z.enum(['>', '>=', '<', '<=']);

const RuleInput = z
  .object({
    nameVi: plainText().min(1).max(200).openapi({ example: 'Ca truy vết trong ngày vượt 50' }),
    nameEn: plainText().min(1).max(200).openapi({ example: 'Cases traced in a day above 50' }),
    subject: plainText().min(1).max(120).openapi({
      description: 'An element code, ELEMENT.OPTION, or an indicator code',
      example: 'CASES_TRACED',
    }),
    unit: z
      .object({ version: plainText().min(1).max(20), code: plainText().min(1).max(40) })
      .openapi({
        description: 'The unit whose subtree the rule watches',
        example: { version: '2025', code: '79' },
      }),
    level: z.number().int().min(0).max(9).openapi({
      description:
        'The level of the units evaluated under it: 0 nation, 1 province, 2 district (2022) or commune (2025), 3 commune (2022)',
      example: 2,
    }),
    periodType: PeriodType.openapi({ example: 'day' }),
    operator: z.enum(['>', '>=', '<', '<=', '≥', '≤']).openapi({ example: '>' }),
    threshold: z.number().openapi({ example: 50 }),
    active: z.boolean().optional().openapi({ description: 'Default true' }),
  })
  .openapi('AlertRuleInput');

const Rule = z
  .object({
    id: z.number(),
    nameVi: z.string(),
    nameEn: z.string(),
    subject: z.string(),
    subjectType: z.enum(['element', 'indicator']),
    unit: z.object({ version: z.string(), code: z.string(), name: z.string(), path: z.string() }),
    level: z.number(),
    periodType: PeriodType,
    operator: OperatorOut,
    threshold: z.number(),
    active: z.boolean(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .openapi('AlertRule');

export const AlertSchema = z
  .object({
    id: z.number(),
    state: z.enum(['open', 'resolved']),
    period: z.string().openapi({ example: '2026-11-22' }),
    periodLabel: z.object({ vi: z.string(), en: z.string() }),
    value: z.number().nullable(),
    threshold: z.number(),
    operator: OperatorOut,
    openedAt: z.string(),
    updatedAt: z.string(),
    resolvedAt: z.string().nullable(),
    rule: z.object({
      id: z.number(),
      nameVi: z.string(),
      nameEn: z.string(),
      subject: z.string(),
      subjectType: z.enum(['element', 'indicator']),
      periodType: PeriodType,
    }),
    unit: z.object({
      version: z.string(),
      code: z.string(),
      name: z.string(),
      fullName: z.string(),
      level: z.number(),
      path: z.string(),
    }),
  })
  .openapi('Alert', {
    description: 'Also the payload of the `alert` live event',
  });

export function alertRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/alerts/rules',
      tags: ['alerts'],
      summary: 'Alert rules on units in your scope and on units above it that cover it',
      responses: { 200: json(z.object({ items: z.array(Rule) }), 'Rules'), ...errorResponses },
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
        body: { content: { 'application/json': { schema: RuleInput } }, required: true },
      },
      responses: { 201: json(Rule, 'The rule'), ...errorResponses },
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
      responses: { 200: json(Rule, 'The rule'), ...errorResponses },
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
        200: json(z.object({ items: z.array(AlertSchema) }), 'Alerts'),
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
