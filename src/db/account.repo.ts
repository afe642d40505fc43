import type { Db } from './client.ts';

/** Users, sessions and machine tokens, each joined to its scope unit's path. */
export class AccountRepo {
  constructor(private readonly db: Db) {}

  /** Whether a user with this name exists, disabled or not. */
  async hasUser(username: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('app_user')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Users joined to their scope unit (its path decides what they may see). */
  private users() {
    return this.db
      .selectFrom('app_user as a')
      .innerJoin('org_unit as u', (j) =>
        j.onRef('u.version', '=', 'a.scope_version').onRef('u.code', '=', 'a.scope_code'),
      );
  }

  private userWithScope() {
    return this.users()
      .selectAll('a')
      .select(['u.path as scope_path', 'u.full_name as scope_name']);
  }

  private tokens() {
    return this.db
      .selectFrom('api_token as t')
      .innerJoin('org_unit as u', (j) =>
        j.onRef('u.version', '=', 't.scope_version').onRef('u.code', '=', 't.scope_code'),
      );
  }

  userByName(username: string) {
    return this.userWithScope().where('a.username', '=', username).executeTakeFirst();
  }

  userById(id: number) {
    return this.userWithScope().where('a.id', '=', id).executeTakeFirst();
  }

  listUsers(scopeVersion: string | null, scopePath: string | null) {
    let q = this.users()
      .select([
        'a.id',
        'a.username',
        'a.display_name',
        'a.role',
        'a.scope_version',
        'a.scope_code',
        'u.full_name as scope_name',
        'a.disabled',
        'a.created_at',
      ])
      .orderBy('a.id');
    if (scopeVersion && scopePath)
      q = q.where('a.scope_version', '=', scopeVersion).where('u.path', 'like', scopePath + '%');
    return q.execute();
  }

  insertUser(u: {
    username: string;
    display_name: string;
    password_hash: string;
    role: string;
    scope_version: string;
    scope_code: string;
  }) {
    return this.db
      .insertInto('app_user')
      .values(u)
      .returning(['id', 'username', 'role', 'scope_version', 'scope_code'])
      .executeTakeFirstOrThrow();
  }

  async insertSession(s: {
    id_hash: string;
    user_id: number;
    csrf_token: string;
    expires_at: Date;
  }) {
    await this.db.insertInto('app_session').values(s).execute();
  }

  sessionByHash(idHash: string, now: Date) {
    return this.db
      .selectFrom('app_session')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  async deleteSession(idHash: string) {
    await this.db.deleteFrom('app_session').where('id_hash', '=', idHash).execute();
  }

  async insertToken(t: {
    id: string;
    name: string;
    secret_hash: string;
    scope_version: string;
    scope_code: string;
    permissions: string[];
    created_by: number | null;
    expires_at: Date | null;
  }) {
    await this.db
      .insertInto('api_token')
      .values({ ...t, permissions: JSON.stringify(t.permissions) })
      .execute();
  }

  tokenById(id: string) {
    return this.tokens()
      .selectAll('t')
      .select(['u.path as scope_path'])
      .where('t.id', '=', id)
      .executeTakeFirst();
  }

  listTokens(scopeVersion: string | null, scopePath: string | null) {
    let q = this.tokens()
      .select([
        't.id',
        't.name',
        't.scope_version',
        't.scope_code',
        't.permissions',
        't.created_at',
        't.expires_at',
        't.last_used_at',
        't.revoked_at',
      ])
      .orderBy('t.created_at');
    if (scopeVersion && scopePath)
      q = q.where('t.scope_version', '=', scopeVersion).where('u.path', 'like', scopePath + '%');
    return q.execute();
  }

  async touchToken(id: string, now: Date) {
    await this.db
      .updateTable('api_token')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .execute();
  }

  revokeToken(id: string, now: Date) {
    return this.db
      .updateTable('api_token')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }
}
