import type { Actor } from '../domain/access.ts';
import type { AuditEntry } from '../db/audit.repo.ts';

/** Who to write into the audit log for an actor (or the system itself). */
export function auditActor(
  actor: Actor | 'system',
): Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorName'> {
  if (actor === 'system') return { actorKind: 'system', actorId: null, actorName: 'system' };
  return { actorKind: actor.kind, actorId: actor.id, actorName: actor.name };
}
