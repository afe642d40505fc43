import type { Store } from '../db/store.ts';
import { can, isRootScope, type Actor } from '../domain/access.ts';
import { errors } from '../domain/errors.ts';

export class AuditService {
  constructor(private readonly store: Store) {}

  /** The audit log as far as the caller's scope reaches: events on units under it. */
  async list(
    actor: Actor | 'system',
    opts: { limit: number; afterId?: number; entityType?: string },
  ) {
    if (actor !== 'system' && !can(actor, 'audit.read')) throw errors.forbidden('audit.read');
    const scopePath = actor === 'system' || isRootScope(actor.scope) ? null : actor.scope.path;
    const rows = await this.store.repos.audit.list({ ...opts, scopePath });
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name },
      action: r.action,
      entity: { type: r.entity_type, id: r.entity_id },
      unit: r.unit_code ? { version: r.unit_version, code: r.unit_code } : null,
      before: r.before,
      after: r.after,
    }));
  }
}
