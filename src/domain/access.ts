import { ROOT_CODE } from './hierarchy.ts';

/**
 * Who may do what, where. One rule for every route: the role (or a token's permissions)
 * must grant the action, and the unit must lie in the actor's subtree of the same version.
 * The root scope (the nation) covers every version.
 */
export const ROLES = ['admin', 'leader', 'officer', 'data_entry', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'unit.read',
  'unit.manage',
  'group.read',
  'group.write',
  'user.read',
  'user.manage',
  'token.manage',
  'audit.read',
  'metadata.manage',
  'data.read',
  'data.write',
  'directive.issue',
  'task.read',
  'task.assign',
  'task.report',
  'plan.decide',
  'briefing.issue',
  'board.read',
  'board.write',
  'board.default',
  // The 5656 spam line (issue 20): an operator's gateway submits reports; an operator confirms
  // numbers it blocked. Machine tokens' permissions; only admin holds them among the roles.
  'spam.report',
  'spam.block',
] as const;
export type Action = (typeof ACTIONS)[number];

const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  admin: ACTIONS,
  leader: [
    'unit.read',
    'group.read',
    'group.write',
    'user.read',
    'audit.read',
    'metadata.manage',
    'data.read',
    'data.write',
    'directive.issue',
    'task.read',
    'task.assign',
    'task.report',
    'plan.decide',
    'briefing.issue',
    'board.read',
    'board.write',
    'board.default',
  ],
  officer: [
    'unit.read',
    'group.read',
    'group.write',
    'data.read',
    'data.write',
    'task.read',
    'task.assign',
    'task.report',
    'board.read',
    'board.write',
  ],
  data_entry: [
    'unit.read',
    'group.read',
    'data.read',
    'data.write',
    'task.read',
    'task.report',
    'board.read',
  ],
  viewer: ['unit.read', 'group.read', 'data.read', 'task.read', 'board.read'],
};

export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  admin: { vi: 'Quản trị', en: 'Administrator' },
  leader: { vi: 'Lãnh đạo', en: 'Leader' },
  officer: { vi: 'Cán bộ', en: 'Officer' },
  data_entry: { vi: 'Nhập liệu', en: 'Data entry' },
  viewer: { vi: 'Xem', en: 'Viewer' },
};

export interface Scope {
  version: string;
  code: string;
  /** '/VN/79/' — the scope unit's path; everything under it is in scope. */
  path: string;
}

export interface Actor {
  kind: 'user' | 'token';
  id: string;
  /** The login (or the token's name): what scripts and the audit log identify it by. */
  name: string;
  /** A user's name as people know it ("Trần Thị Bình"), shown on screens. */
  displayName?: string;
  /** For a user, the role; a token acts with its own permissions only. */
  role?: Role;
  permissions: readonly Action[];
  scope: Scope;
}

/** Who acted, as screens name them: a user's display name, else the login or token name. */
export const actorLabel = (actor: Actor): string => actor.displayName ?? actor.name;

export interface UnitRef {
  version: string;
  path: string;
}

export function actionsOfRole(role: Role): readonly Action[] {
  return ROLE_ACTIONS[role];
}

export function isRootScope(scope: Scope): boolean {
  return scope.code === ROOT_CODE;
}

export function inScope(scope: Scope, unit: UnitRef): boolean {
  if (isRootScope(scope)) return true;
  return unit.version === scope.version && unit.path.startsWith(scope.path);
}

export function allows(actor: Actor, action: Action): boolean {
  return actor.permissions.includes(action);
}

/** The single authorization check. */
export function can(actor: Actor, action: Action, unit?: UnitRef): boolean {
  if (!allows(actor, action)) return false;
  return unit === undefined || inScope(actor.scope, unit);
}

/** Whether a scope may be handed out by an actor: no one grants more than they hold. */
export function canGrant(
  actor: Actor,
  role: Role | undefined,
  permissions: readonly Action[],
  unit: UnitRef,
): boolean {
  if (!inScope(actor.scope, unit)) return false;
  const granted = role ? ROLE_ACTIONS[role] : permissions;
  return granted.every((a) => actor.permissions.includes(a));
}
