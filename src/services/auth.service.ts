import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Repos, Store } from '../db/store.ts';
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
import {
  DEFAULT_THROTTLE,
  keyName,
  kindOf,
  retryAfterSeconds,
  throttleKeys,
  tooManyAttempts,
  type ThrottleKey,
  type ThrottlePolicy,
} from '../domain/signin-throttle.ts';
import { auditActor } from './audit.ts';
import type { Me } from '../contract/auth.ts';

export interface AuthOptions {
  sessionHours: number;
  /** Every failed sign-in or bad token is answered no sooner than this, whatever failed. */
  failureDelayMs: number;
  /** Growing delays after failed sign-ins (see domain/signin-throttle.ts). */
  throttle: ThrottlePolicy;
}

export const DEFAULT_AUTH: AuthOptions = {
  sessionHours: 12,
  failureDelayMs: 400,
  throttle: DEFAULT_THROTTLE,
};

/** How a password reached us: the sign-in form or HTTP Basic — counted alike. */
export type SigninVia = 'form' | 'basic';

/** A concurrent attempt made a key wait between our check and our count. */
class RacedIntoWait extends Error {}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const TOKEN_RE = /^opr_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

// Verified against when the user does not exist, so that a wrong name costs as much as a wrong password.
let dummyHash: Promise<string> | undefined;

export interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: Role;
  scope: { version: string; code: string };
}

export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly opts: AuthOptions = DEFAULT_AUTH,
  ) {}

  private accounts(repos: Repos = this.store.repos) {
    return repos.accounts;
  }

  private async failSlowly(started: number): Promise<never> {
    const wait = started + this.opts.failureDelayMs + Math.random() * 100 - Date.now();
    if (wait > 0) await sleep(wait);
    throw errors.invalidCredentials();
  }

  /**
   * Checks a user name and password under the sign-in throttle: the one path of the form and
   * of HTTP Basic. A key that is waiting answers 429 before the password is looked at, and the
   * attempt is not counted; otherwise the attempt is counted first (so parallel attempts cannot
   * pass the check together) and a success takes it back and resets the account at this address.
   */
  private async checkPassword(username: string, password: string, address: string, via: SigninVia) {
    const started = Date.now();
    // What the form's schema refuses, refused for Basic too, before it reaches a query.
    if (!username || username.length > 100 || password.length > 500 || CONTROL.test(username))
      return this.failSlowly(started);
    const now = this.clock();
    const p = this.opts.throttle;
    const repo = this.store.repos.signinThrottle;
    const all = throttleKeys(username, address, false);
    const rows = await repo.rows(all);
    const row = (k: ThrottleKey) =>
      rows.find((r) => r.username === k.username && r.address === k.address);
    const lastSuccess = row(all[1]!)?.last_success_at;
    const known = !!lastSuccess && lastSuccess.getTime() > now.getTime() - p.knownAddressMs;
    const keys = throttleKeys(username, address, known);
    this.refuseWhileWaiting(keys.map(row), now);

    let counted: { key: ThrottleKey; failures: number }[];
    try {
      counted = await this.store.transaction(async (tx) => {
        const out = [];
        for (const key of keys) {
          const r = await tx.signinThrottle.count(key, p[key.kind], p, now);
          if (!r) throw new RacedIntoWait();
          out.push({ key, failures: r.failures });
        }
        return out;
      });
    } catch (e) {
      if (!(e instanceof RacedIntoWait)) throw e;
      this.refuseWhileWaiting(await repo.rows(keys), now);
      throw tooManyAttempts(1);
    }

    const user = await this.accounts().userByName(username);
    let ok = false;
    if (user) ok = (await argonVerify(user.password_hash, password)) && !user.disabled;
    else {
      dummyHash ??= argonHash('not-a-password');
      await argonVerify(await dummyHash, password);
    }

    if (ok && user) {
      await this.store.transaction(async (tx) => {
        const r = tx.signinThrottle;
        for (const { key } of counted)
          if (key.kind === 'accountAddress') await r.succeeded(username, address, now);
          else await r.uncount(key, p[key.kind]);
      });
      return user;
    }

    await this.store.transaction(async (tx) => {
      const audit = tx.audit;
      await audit.record({
        ...auditActor('system'),
        action: 'signin.failed',
        entityType: 'signin',
        entityId: username,
        ...(user ? { unit: { version: user.scope_version, code: user.scope_code } } : {}),
        after: { address, via },
      });
      // The attempt that used up a key's allowance starts its delays.
      for (const { key, failures } of counted) {
        if (failures !== p[key.kind].free) continue;
        await audit.record({
          ...auditActor('system'),
          action: 'signin.throttle_start',
          entityType: 'signin_throttle',
          entityId: keyName(key),
          after: { kind: key.kind, failures, delayMs: p.firstDelayMs },
        });
      }
      await tx.signinThrottle.prune(now, p);
    });
    return this.failSlowly(started);
  }

  /** 429 with the longest wait among the keys, if any is waiting. */
  private refuseWhileWaiting(rows: ({ blocked_until: Date | null } | undefined)[], now: Date) {
    const until = Math.max(0, ...rows.map((r) => r?.blocked_until?.getTime() ?? 0));
    if (until > now.getTime()) throw tooManyAttempts(retryAfterSeconds(new Date(until), now));
  }

  async login(username: string, password: string, address: string) {
    const user = await this.checkPassword(username, password, address, 'form');
    const now = this.clock();
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

  /** HTTP Basic for scripts: the same checks, counts and throttle as the sign-in form. */
  async basic(username: string, password: string, address: string): Promise<Actor> {
    return this.userActor(await this.checkPassword(username, password, address, 'basic'));
  }

  /** Keys with failed sign-ins, those still waiting first; for the national administrator. */
  async listThrottles(actor: Actor) {
    this.mayManageThrottles(actor);
    const now = this.clock();
    const rows = await this.store.repos.signinThrottle.list();
    return rows.map((r) => ({
      username: r.username || null,
      address: r.address || null,
      kind: kindOf(r),
      failures: r.failures,
      lastFailureAt: r.last_failure_at?.toISOString() ?? null,
      blockedUntil: r.blocked_until?.toISOString() ?? null,
      delayed: !!r.blocked_until && r.blocked_until > now,
    }));
  }

  /**
   * Lifts throttles: an account's (at every address), an address's (for every account) or, given
   * both, that account at that address. Audited with the counts that were lifted.
   */
  async liftThrottle(actor: Actor, filter: { username?: string; address?: string }) {
    this.mayManageThrottles(actor);
    if (filter.username === undefined && filter.address === undefined)
      throw new AppError('bad_request', {
        vi: 'Hãy chọn tài khoản (username), địa chỉ (address) hoặc cả hai',
        en: 'Name an account (username), an address, or both',
      });
    return this.store.transaction(async (tx) => {
      const repo = tx.signinThrottle;
      const before = await repo.toLift(filter);
      if (!before.length) throw errors.notFound(keyName({ username: '', address: '', ...filter }));
      await repo.lift(filter);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'signin.throttle_lift',
        entityType: 'signin_throttle',
        entityId: keyName({ username: '', address: '', ...filter }),
        before: before.map((r) => ({
          username: r.username || null,
          address: r.address || null,
          failures: r.failures,
          blockedUntil: r.blocked_until,
        })),
        after: { failures: 0, blockedUntil: null },
      });
      return { lifted: before.length };
    });
  }

  /** Addresses belong to no unit: throttles are the national administrator's. */
  private mayManageThrottles(actor: Actor) {
    if (!can(actor, 'user.manage')) throw errors.forbidden('user.manage');
    if (!isRootScope(actor.scope)) throw errors.outOfScope();
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

  private async scopeUnit(tx: Repos, scope: { version: string; code: string }) {
    const unit = await tx.orgUnits.get(scope.version, scope.code, '9999-12-31');
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
    return this.store.transaction(async (tx) => {
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
      const displayName = input.displayName ?? input.username;
      const created = await this.accounts(tx).insertUser({
        username: input.username,
        display_name: displayName,
        password_hash: await argonHash(input.password),
        role: input.role,
        scope_version: unit.version,
        scope_code: unit.code,
      });
      await tx.audit.record({
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
      return { ...created, display_name: displayName };
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
    return this.store.transaction(async (tx) => {
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
      await tx.audit.record({
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
    return this.store.transaction(async (tx) => {
      const row = await this.accounts(tx).tokenById(id);
      if (!row) throw errors.notFound(`token ${id}`);
      if (!can(actor, 'token.manage', { version: row.scope_version, path: row.scope_path }))
        throw errors.outOfScope();
      await this.accounts(tx).revokeToken(id, this.clock());
      await tx.audit.record({
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
