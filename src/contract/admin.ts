import { z } from '@hono/zod-openapi';
import { ACTIONS, ROLES } from '../domain/access.ts';
import { MIN_PASSWORD, USERNAME } from '../domain/accounts.ts';
import { UnitGroupInput } from '../domain/metadata.ts';
import { listOf, plainText } from './common.ts';

/** Accounts, tokens, unit groups, the audit log and sign-in throttles (administrators). */

export const ScopeRef = z.object({
  version: plainText().openapi({ example: '2025' }),
  code: plainText().openapi({ example: '79' }),
});

export const NewUser = z
  .object({
    username: z.string().regex(USERNAME, 'lowercase letters, digits, . _ -, 3 to 50 characters'),
    displayName: plainText().min(1).max(200).optional(),
    password: plainText().min(MIN_PASSWORD, `at least ${MIN_PASSWORD} characters`).max(200),
    role: z.enum(ROLES),
    scope: ScopeRef,
  })
  .openapi('NewUser');

/** An account as created (`POST /api/users`). */
export const User = z
  .object({
    id: z.number(),
    username: z.string(),
    display_name: z.string().openapi({ description: 'The name the user goes by' }),
    role: z.string(),
    scope_version: z.string(),
    scope_code: z.string(),
  })
  .openapi('User');

/** An account as listed: the name of its scope unit, whether it is disabled, since when. */
export const UserListItem = User.extend({
  scope_name: z.string().openapi({ description: 'The full name of the scope unit' }),
  disabled: z.boolean(),
  created_at: z.iso.datetime(),
}).openapi('UserListItem');

export const UserList = listOf(UserListItem, 'UserList');

/** A machine token as listed (never its secret). */
export const TokenList = listOf(z.object({ id: z.string() }).passthrough(), 'TokenList');

export const NewToken = z
  .object({
    name: plainText().min(1).max(100),
    scope: ScopeRef,
    permissions: z.array(z.enum(ACTIONS)).min(1),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .openapi('NewToken');

export const CreatedToken = z
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
export const NewGroup = UnitGroupInput;

/** A group of units as listed: what it is called and how many units it holds. */
export const GroupSummary = z
  .object({
    id: z.number(),
    version: z.string(),
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    owner_code: z.string().openapi({ description: 'The unit the group belongs to' }),
    members: z.number().openapi({ description: 'How many units the group holds' }),
  })
  .openapi('GroupSummary');

/** Groups of units of a version, as listed. */
export const GroupList = listOf(GroupSummary, 'GroupList');

/** `POST /api/groups`: the group as saved, and whether it was new. */
export const CreatedGroup = z
  .object({
    id: z.number(),
    version: z.string(),
    code: z.string(),
    name: z.string(),
    members: z.number(),
    change: z.enum(['created', 'updated', 'unchanged']),
  })
  .openapi('CreatedGroup');

export const AuditEvent = z
  .object({
    id: z.number(),
    at: z.iso.datetime(),
    actor: z.object({ kind: z.string(), id: z.string().nullable(), name: z.string() }),
    action: z.string(),
    entity: z.object({ type: z.string(), id: z.string() }),
    unit: z.object({ version: z.string().nullable(), code: z.string() }).nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .openapi('AuditEvent');

export const AuditEventList = listOf(AuditEvent, 'AuditEventList');

export const SigninThrottle = z
  .object({
    username: z.string().nullable().openapi({ description: 'null: any account' }),
    address: z.string().nullable().openapi({ description: 'null: any address' }),
    kind: z.enum(['address', 'accountAddress', 'account']),
    failures: z.number(),
    lastFailureAt: z.iso.datetime().nullable(),
    blockedUntil: z.iso.datetime().nullable(),
    delayed: z.boolean().openapi({ description: 'An attempt now would be told to wait' }),
  })
  .openapi('SigninThrottle');

export const SigninThrottleList = listOf(SigninThrottle, 'SigninThrottleList');

export const LiftThrottle = z
  .object({
    username: plainText().min(1).max(100).optional(),
    address: plainText().min(1).max(100).optional(),
  })
  .openapi('LiftThrottle');

export type NewUser = z.infer<typeof NewUser>;
export type User = z.infer<typeof User>;
export type UserListItem = z.infer<typeof UserListItem>;
export type NewToken = z.infer<typeof NewToken>;
export type CreatedToken = z.infer<typeof CreatedToken>;
export type GroupSummary = z.infer<typeof GroupSummary>;
export type CreatedGroup = z.infer<typeof CreatedGroup>;
export type AuditEvent = z.infer<typeof AuditEvent>;
export type SigninThrottle = z.infer<typeof SigninThrottle>;
export type LiftThrottle = z.infer<typeof LiftThrottle>;
