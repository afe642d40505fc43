import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Db } from '../db/client.ts';
import { AccountRepo } from '../db/account.repo.ts';
import { AuditRepo } from '../db/audit.repo.ts';
import { OrgUnitRepo } from '../db/org-unit.repo.ts';
import {
  actionsOfRole,
  can,
  canGrant,
  isRootScope,
  type Action,
  type Actor,
  type Role,
} from '../domain/access.ts';
import type { Clock } from '../domain/dates.ts';
import { AppError, errors } from '../domain/errors.ts';
import { newUserProblems } from '../domain/accounts.ts';
import { auditActor } from './audit.ts';

export interface AuthOptions {
  /** Failed sign-ins in a row before the account locks. */
  maxFailures: number;
  lockMinutes: number;
  sessionHours: number;
  /** Every failed sign-in or bad token is answered no sooner than this, whatever failed. */
  failureDelayMs: number;
}

export const DEFAULT_AUTH: AuthOptions = {
  maxFailures: 5,
  lockMinutes: 15,
  sessionHours: 12,
  failureDelayMs: 400,
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TOKEN_RE = /^opr_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

// Verified against when the user does not exist, so that a wrong name costs as much as a wrong password.
let dummyHash: Promise<string> | undefined;

export interface Me {
  kind: 'user' | 'token';
  username: string;
  displayName?: string;
  role?: string;
  permissions: string[];
  scope: { version: string; code: string; name?: string };
}

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: Role;
  scope: { version: string; code: string };
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly opts: AuthOptions = DEFAULT_AUTH,
  ) {}

  private accounts(db: Db = this.db) {
    return new AccountRepo(db);
  }

  private async failSlowly(started: number): Promise<never> {
    const wait = started + this.opts.failureDelayMs + Math.random() * 100 - Date.now();
    if (wait > 0) await sleep(wait);
    throw errors.invalidCredentials();
  }

  async login(username: string, password: string) {
    const started = Date.now();
    const user = await this.accounts().userByName(username);
    if (!user) {
      dummyHash ??= argonHash('not-a-password');
      await argonVerify(await dummyHash, password);
      return this.failSlowly(started);
    }
    const now = this.clock();
    const ok = await argonVerify(user.password_hash, password);
    const locked = user.locked_until !== null && user.locked_until > now;
    if (!ok || locked || user.disabled) {
      if (!ok) {
        const lockUntil = new Date(now.getTime() + this.opts.lockMinutes * 60_000);
        await this.accounts().recordFailure(user.id, this.opts.maxFailures, lockUntil);
      }
      return this.failSlowly(started);
    }
    await this.accounts().recordSuccess(user.id);
    const sessionToken = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.accounts().insertSession({
      id_hash: sha256(sessionToken),
      user_id: user.id,
      csrf_token: csrfToken,
      expires_at: new Date(now.getTime() + this.opts.sessionHours * 3_600_000),
    });
    return { sessionToken, csrfToken, actor: this.userActor(user) };
  }

  async logout(sessionToken: string) {
    await this.accounts().deleteSession(sha256(sessionToken));
  }

  /** The actor behind a session cookie, with the session's anti-forgery token. */
  async session(sessionToken: string): Promise<{ actor: Actor; csrfToken: string } | undefined> {
    const s = await this.accounts().sessionByHash(sha256(sessionToken), this.clock());
    if (!s) return undefined;
    const user = await this.accounts().userById(s.user_id);
    if (!user || user.disabled) return undefined;
    return { actor: this.userActor(user), csrfToken: s.csrf_token };
  }

  /** HTTP Basic for scripts: the same checks, delay and lockout as the login form. */
  async basic(username: string, password: string): Promise<Actor> {
    const started = Date.now();
    const user = await this.accounts().userByName(username);
    const now = this.clock();
    if (
      !user ||
      user.disabled ||
      (user.locked_until && user.locked_until > now) ||
      !(await argonVerify(user.password_hash, password))
    ) {
      if (user)
        await this.accounts().recordFailure(
          user.id,
          this.opts.maxFailures,
          new Date(now.getTime() + this.opts.lockMinutes * 60_000),
        );
      return this.failSlowly(started);
    }
    return this.userActor(user);
  }

  async token(raw: string): Promise<Actor> {
    const started = Date.now();
    const m = TOKEN_RE.exec(raw);
    const row = m ? await this.accounts().tokenById(m[1]!) : undefined;
    const now = this.clock();
    const given = Buffer.from(sha256(m?.[2] ?? ''), 'hex');
    const stored = Buffer.from(row?.secret_hash ?? sha256('x'), 'hex');
    const match = timingSafeEqual(given, stored);
    if (!row || !match || row.revoked_at || (row.expires_at && row.expires_at <= now))
      return this.failSlowly(started);
    await this.accounts().touchToken(row.id, now);
    return {
      kind: 'token',
      id: row.id,
      name: `token:${row.name}`,
      permissions: row.permissions as unknown as Action[],
      scope: { version: row.scope_version, code: row.scope_code, path: row.scope_path },
    };
  }

  private userActor(user: {
    id: number;
    username: string;
    display_name: string;
    role: string;
    scope_version: string;
    scope_code: string;
    scope_path: string;
  }): Actor {
    const role = user.role as Role;
    return {
      kind: 'user',
      id: String(user.id),
      name: user.username,
      displayName: user.display_name,
      role,
      permissions: actionsOfRole(role),
      scope: { version: user.scope_version, code: user.scope_code, path: user.scope_path },
    };
  }

  async me(actor: Actor): Promise<Me> {
    const permissions = [...actor.permissions];
    if (actor.kind === 'token')
      return { kind: 'token', username: actor.name, permissions, scope: actor.scope };
    const u = await this.accounts().userById(Number(actor.id));
    if (!u) throw errors.unauthenticated();
    return {
      kind: 'user',
      username: u.username,
      displayName: u.display_name,
      role: u.role,
      permissions,
      scope: { version: u.scope_version, code: u.scope_code, name: u.scope_name },
    };
  }

  private async scopeUnit(db: Db, scope: { version: string; code: string }) {
    const unit = await new OrgUnitRepo(db).get(scope.version, scope.code, '9999-12-31');
    if (!unit) throw errors.unknownUnit(scope.code, scope.version);
    return unit;
  }

  /** Creates a user; `system` is the first start and the CLI run by the operator. */
  async createUser(actor: Actor | 'system', input: NewUser) {
    const problems = newUserProblems(input);
    if (problems.length) {
      throw new AppError(
        'validation_failed',
        { vi: problems.map((p) => p.vi).join('; '), en: problems.map((p) => p.en).join('; ') },
        { problems },
      );
    }
    return this.db.transaction().execute(async (tx) => {
      const unit = await this.scopeUnit(tx, input.scope);
      if (actor !== 'system') {
        if (!can(actor, 'user.manage')) throw errors.forbidden('user.manage');
        if (!canGrant(actor, input.role, [], unit))
          throw errors.outOfScope(unit.code, unit.version);
      }
      const exists = await this.accounts(tx).userByName(input.username);
      if (exists) {
        throw new AppError('conflict', {
          vi: `Tên đăng nhập "${input.username}" đã có`,
          en: `User name "${input.username}" is taken`,
        });
      }
      const created = await this.accounts(tx).insertUser({
        username: input.username,
        display_name: input.displayName ?? input.username,
        password_hash: await argonHash(input.password),
        role: input.role,
        scope_version: unit.version,
        scope_code: unit.code,
      });
      await new AuditRepo(tx).record({
        ...auditActor(actor),
        action: 'user.create',
        entityType: 'user',
        entityId: String(created.id),
        unit: { version: unit.version, code: unit.code },
        after: {
          username: created.username,
          role: created.role,
          scope: `${unit.version}:${unit.code}`,
        },
      });
      return created;
    });
  }

  async listUsers(actor: Actor) {
    if (!can(actor, 'user.read')) throw errors.forbidden('user.read');
    const root = isRootScope(actor.scope);
    return this.accounts().listUsers(
      root ? null : actor.scope.version,
      root ? null : actor.scope.path,
    );
  }

  /** A machine token limited to a scope and permissions; the secret is shown once. */
  async createToken(
    actor: Actor | 'system',
    input: {
      name: string;
      scope: { version: string; code: string };
      permissions: Action[];
      expiresInDays?: number;
    },
  ) {
    return this.db.transaction().execute(async (tx) => {
      const unit = await this.scopeUnit(tx, input.scope);
      if (actor !== 'system') {
        if (!can(actor, 'token.manage')) throw errors.forbidden('token.manage');
        if (!canGrant(actor, undefined, input.permissions, unit))
          throw errors.outOfScope(unit.code, unit.version);
      }
      const id = randomBytes(9)
        .toString('base64url')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '0')
        .slice(0, 12);
      const secret = randomBytes(32).toString('base64url');
      const expires = input.expiresInDays
        ? new Date(this.clock().getTime() + input.expiresInDays * 86_400_000)
        : null;
      await this.accounts(tx).insertToken({
        id,
        name: input.name,
        secret_hash: sha256(secret),
        scope_version: unit.version,
        scope_code: unit.code,
        permissions: input.permissions,
        created_by: actor !== 'system' && actor.kind === 'user' ? Number(actor.id) : null,
        expires_at: expires,
      });
      await new AuditRepo(tx).record({
        ...auditActor(actor),
        action: 'token.create',
        entityType: 'api_token',
        entityId: id,
        unit: { version: unit.version, code: unit.code },
        after: { name: input.name, permissions: input.permissions, expiresAt: expires },
      });
      return {
        id,
        token: `opr_${id}_${secret}`,
        name: input.name,
        scope: { version: unit.version, code: unit.code },
        permissions: input.permissions,
        expiresAt: expires,
      };
    });
  }

  async listTokens(actor: Actor) {
    if (!can(actor, 'token.manage')) throw errors.forbidden('token.manage');
    const root = isRootScope(actor.scope);
    return this.accounts().listTokens(
      root ? null : actor.scope.version,
      root ? null : actor.scope.path,
    );
  }

  async revokeToken(actor: Actor, id: string) {
    if (!can(actor, 'token.manage')) throw errors.forbidden('token.manage');
    return this.db.transaction().execute(async (tx) => {
      const row = await this.accounts(tx).tokenById(id);
      if (!row) throw errors.notFound(`token ${id}`);
      if (!can(actor, 'token.manage', { version: row.scope_version, path: row.scope_path }))
        throw errors.outOfScope();
      await this.accounts(tx).revokeToken(id, this.clock());
      await new AuditRepo(tx).record({
        ...auditActor(actor),
        action: 'token.revoke',
        entityType: 'api_token',
        entityId: id,
        before: { revokedAt: null },
        after: { revokedAt: this.clock() },
      });
    });
  }
}
