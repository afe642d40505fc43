import { sql } from 'kysely';
import type { Db } from './client.ts';
import { markWriteKey } from './idempotency.repo.ts';

export interface AuditEntry {
  /** 'citizen': the public, acting without an account (citizens' reports, issue 20). */
  actorKind: 'user' | 'token' | 'system' | 'citizen';
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  unit?: { version: string; code: string };
  before?: unknown;
  after?: unknown;
  requestId?: string;
}

/** Every write records one row here in its transaction (and with it the request's key). */
export class AuditRepo {
  constructor(private readonly db: Db) {}

  async record(e: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_event')
      .values({
        actor_kind: e.actorKind,
        actor_id: e.actorId,
        actor_name: e.actorName,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId,
        unit_version: e.unit?.version ?? null,
        unit_code: e.unit?.code ?? null,
        before: e.before === undefined ? null : JSON.stringify(e.before),
        after: e.after === undefined ? null : JSON.stringify(e.after),
        request_id: e.requestId ?? null,
      })
      .execute();
    // The request's Idempotency-Key, if any, commits with this write (db/idempotency.repo.ts).
    await markWriteKey(this.db, e);
  }

  /** `record` of many entries by the system at once (no request key to mark), as JSON. */
  async recordMany(es: AuditEntry[]): Promise<void> {
    for (let i = 0; i < es.length; i += 5000) {
      const rows = es.slice(i, i + 5000).map((e) => ({
        actor_kind: e.actorKind,
        actor_id: e.actorId,
        actor_name: e.actorName,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId,
        unit_version: e.unit?.version ?? null,
        unit_code: e.unit?.code ?? null,
        before: e.before === undefined ? null : e.before,
        after: e.after === undefined ? null : e.after,
        request_id: e.requestId ?? null,
      }));
      await sql`
        insert into audit_event (actor_kind, actor_id, actor_name, action, entity_type, entity_id,
          unit_version, unit_code, before, after, request_id)
        select actor_kind, actor_id, actor_name, action, entity_type, entity_id, unit_version,
          unit_code, before, after, request_id
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as x(actor_kind text, actor_id text, actor_name text, action text, entity_type text,
            entity_id text, unit_version text, unit_code text, before jsonb, after jsonb,
            request_id text)`.execute(this.db);
    }
  }

  /** Newest first; `scopeUnits` limits to events on units under a path (null = all). */
  async list(opts: {
    limit: number;
    afterId?: number;
    entityType?: string;
    scopePath?: string | null;
  }) {
    let q = this.db
      .selectFrom('audit_event as a')
      .leftJoin('org_unit as u', (j) =>
        j.onRef('u.version', '=', 'a.unit_version').onRef('u.code', '=', 'a.unit_code'),
      )
      .selectAll('a')
      .orderBy('a.id', 'desc')
      .limit(opts.limit);
    if (opts.afterId !== undefined) q = q.where('a.id', '>', opts.afterId);
    if (opts.entityType) q = q.where('a.entity_type', '=', opts.entityType);
    if (opts.scopePath) q = q.where('u.path', 'like', opts.scopePath + '%');
    return q.execute();
  }
}
