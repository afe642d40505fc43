import type { Db } from './client.ts';
import { markWriteKey } from './idempotency.repo.ts';

export interface AuditEntry {
  actorKind: 'user' | 'token' | 'system';
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

  /** `record` of many entries by the system at once (no request key to mark). */
  async recordMany(es: AuditEntry[]): Promise<void> {
    for (let i = 0; i < es.length; i += 1000)
      await this.db
        .insertInto('audit_event')
        .values(
          es.slice(i, i + 1000).map((e) => ({
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
          })),
        )
        .execute();
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
