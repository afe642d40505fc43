import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ACTIONS, ROLES } from '../domain/access.ts';
import { MIN_PASSWORD, USERNAME } from '../domain/accounts.ts';
import { UnitGroupInput } from '../domain/metadata.ts';
import { actorOf, type AppEnv } from './context.ts';
import { errorResponses, json, Paging, plainText, VersionParam } from './schemas.ts';

/** Users, machine tokens, groups of units and the audit log. */

const ScopeRef = z.object({
  version: plainText().openapi({ example: '2025' }),
  code: plainText().openapi({ example: '79' }),
});

const NewUser = z
  .object({
    username: z.string().regex(USERNAME, 'lowercase letters, digits, . _ -, 3 to 50 characters'),
    displayName: plainText().min(1).max(200).optional(),
    password: plainText().min(MIN_PASSWORD, `at least ${MIN_PASSWORD} characters`).max(200),
    role: z.enum(ROLES),
    scope: ScopeRef,
  })
  .openapi('NewUser');

const User = z
  .object({
    id: z.number(),
    username: z.string(),
    role: z.string(),
    scope_version: z.string(),
    scope_code: z.string(),
  })
  .passthrough()
  .openapi('User');

const NewToken = z
  .object({
    name: plainText().min(1).max(100),
    scope: ScopeRef,
    permissions: z.array(z.enum(ACTIONS)).min(1),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .openapi('NewToken');

const CreatedToken = z
  .object({
    id: z.string(),
    token: z
      .string()
      .openapi({ description: 'Shown once; send as `Authorization: Bearer <token>`' }),
    name: z.string(),
    scope: ScopeRef,
    permissions: z.array(z.string()),
    expiresAt: z.date().nullable(),
  })
  .openapi('CreatedToken');

// One schema for a group, whether it comes alone or in a metadata document.
const NewGroup = UnitGroupInput;

const AuditEvent = z
  .object({
    id: z.number(),
    at: z.date(),
    actor: z.object({ kind: z.string(), id: z.string().nullable(), name: z.string() }),
    action: z.string(),
    entity: z.object({ type: z.string(), id: z.string() }),
    unit: z.object({ version: z.string().nullable(), code: z.string() }).nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .openapi('AuditEvent');

const SigninThrottle = z
  .object({
    username: z.string().nullable().openapi({ description: 'null: any account' }),
    address: z.string().nullable().openapi({ description: 'null: any address' }),
    kind: z.enum(['address', 'accountAddress', 'account']),
    failures: z.number(),
    lastFailureAt: z.date().nullable(),
    blockedUntil: z.date().nullable(),
    delayed: z.boolean().openapi({ description: 'An attempt now would be told to wait' }),
  })
  .openapi('SigninThrottle');

const LiftThrottle = z
  .object({
    username: plainText().min(1).max(100).optional(),
    address: plainText().min(1).max(100).optional(),
  })
  .openapi('LiftThrottle');

export function adminRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users',
      tags: ['accounts'],
      summary: 'Users within your scope',
      responses: { 200: json(z.object({ items: z.array(User) }), 'Users'), ...errorResponses },
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
        200: json(
          z.object({ items: z.array(z.object({ id: z.string() }).passthrough()) }),
          'Tokens',
        ),
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
        200: json(
          z.object({ items: z.array(z.object({ code: z.string() }).passthrough()) }),
          'Groups',
        ),
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
        201: json(
          z.object({
            id: z.number(),
            version: z.string(),
            code: z.string(),
            name: z.string(),
            members: z.number(),
          }),
          'Created',
        ),
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
        200: json(z.object({ items: z.array(AuditEvent) }), 'Audit events'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const items = await c.get('services').audit.list(actorOf(c), c.req.valid('query'));
      return c.json({ items: items as z.infer<typeof AuditEvent>[] }, 200);
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
        200: json(z.object({ items: z.array(SigninThrottle) }), 'Throttles'),
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
