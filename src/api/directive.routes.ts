import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json, plainText } from '../contract/common.ts';
import {
  Directive,
  DirectiveBoard,
  DirectiveId,
  DirectiveInput,
  DirectiveList,
  DirectiveListQuery,
} from '../contract/directive.ts';
import { actorOf, type AppEnv } from './context.ts';

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
        'Directives you may see, newest first, a page at a time: issued by your unit or a unit in your scope, or sent to a unit in your scope; the filters narrow that, never widen it',
      request: { query: DirectiveListQuery },
      responses: {
        200: json(DirectiveList, 'Directives'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const page = await c.get('services').directives.list(actorOf(c), c.req.valid('query'));
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/directives/{id}',
      tags: ['directives'],
      summary: 'A directive',
      request: { params: DirectiveId },
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
        params: DirectiveId,
        query: z.object({
          unit: plainText().max(40).optional(),
          laggards: z.coerce.number().int().min(0).max(2000).default(100),
        }),
      },
      responses: { 200: json(DirectiveBoard, 'The board'), ...errorResponses },
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
        params: DirectiveId,
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
