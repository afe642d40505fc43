import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import {
  AuditEventList,
  CreatedGroup,
  CreatedToken,
  GroupList,
  LiftThrottle,
  NewGroup,
  NewToken,
  NewUser,
  SigninThrottleList,
  TokenList,
  User,
  UserList,
} from '../contract/admin.ts';
import { Paging, VersionParam, errorResponses, json, plainText } from '../contract/common.ts';
import { actorOf, type AppEnv } from './context.ts';

/** Users, machine tokens, groups of units and the audit log. */

export function adminRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users',
      tags: ['accounts'],
      summary: 'Users within your scope',
      responses: { 200: json(UserList, 'Users'), ...errorResponses },
    }),
    async (c) => {
      const items = await c.get('services').auth.listUsers(actorOf(c));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/users',
      tags: ['accounts'],
      summary: 'Create a user with a role and a scope (a unit and everything under it)',
      request: { body: { content: { 'application/json': { schema: NewUser } }, required: true } },
      responses: { 201: json(User, 'Created'), ...errorResponses, 409: errorResponses[400] },
    }),
    async (c) => {
      const created = await c.get('services').auth.createUser(actorOf(c), c.req.valid('json'));
      return c.json(created, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/tokens',
      tags: ['accounts'],
      summary: 'Machine tokens within your scope (never their secrets)',
      responses: {
        200: json(TokenList, 'Tokens'),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ items: await c.get('services').auth.listTokens(actorOf(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tokens',
      tags: ['accounts'],
      summary: 'Create a machine token limited to a scope and chosen permissions',
      request: { body: { content: { 'application/json': { schema: NewToken } }, required: true } },
      responses: {
        201: json(CreatedToken, 'Created; the secret is shown once'),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await c.get('services').auth.createToken(actorOf(c), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/tokens/{id}',
      tags: ['accounts'],
      summary: 'Revoke a machine token',
      request: {
        params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }),
      },
      responses: { 204: { description: 'Revoked' }, ...errorResponses },
    }),
    async (c) => {
      await c.get('services').auth.revokeToken(actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/groups',
      tags: ['groups'],
      summary: 'Groups of units of a version, within your scope',
      request: { query: z.object({ version: VersionParam }) },
      responses: {
        200: json(GroupList, 'Groups'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { hierarchy, groups } = c.get('services');
      const version = await hierarchy.resolveVersion(c.req.valid('query').version);
      return c.json({ items: await groups.list(actorOf(c), version) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/groups',
      tags: ['groups'],
      summary: 'Create a named group from codes, a level under units, or other groups',
      request: { body: { content: { 'application/json': { schema: NewGroup } }, required: true } },
      responses: {
        201: json(CreatedGroup, 'Created'),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await c.get('services').groups.create(actorOf(c), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/groups/{code}',
      tags: ['groups'],
      summary: 'A group and its members',
      request: {
        params: z.object({ code: z.string().openapi({ param: { name: 'code', in: 'path' } }) }),
        query: z.object({ version: VersionParam, ...Paging }),
      },
      responses: {
        200: json(
          z.object({ code: z.string(), members: z.array(z.unknown()) }).passthrough(),
          'The group',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { hierarchy, groups } = c.get('services');
      const q = c.req.valid('query');
      const version = await hierarchy.resolveVersion(q.version);
      return c.json(
        await groups.get(actorOf(c), version, c.req.valid('param').code, q.limit, q.offset),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/audit',
      tags: ['audit'],
      summary: 'The audit log, newest first: who changed what, when, before and after',
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          afterId: z.coerce.number().int().optional(),
          entityType: plainText().optional(),
        }),
      },
      responses: {
        200: json(AuditEventList, 'Audit events'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const items = await c.get('services').audit.list(actorOf(c), c.req.valid('query'));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/signin-throttles',
      tags: ['accounts'],
      summary:
        'Failed sign-ins per address and account, those still waiting first (national administrator)',
      responses: {
        200: json(SigninThrottleList, 'Throttles'),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ items: await c.get('services').auth.listThrottles(actorOf(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/signin-throttles/lift',
      tags: ['accounts'],
      summary:
        "Lift throttles: an account's (every address), an address's (every account), or both given: that pair; audited",
      request: {
        body: { content: { 'application/json': { schema: LiftThrottle } }, required: true },
      },
      responses: {
        200: json(z.object({ lifted: z.number() }), 'How many were lifted'),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await c.get('services').auth.liftThrottle(actorOf(c), c.req.valid('json')), 200),
  );

  return app;
}
