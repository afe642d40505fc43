import type { Repos, Store } from '../db/store.ts';
import { auditActor } from './audit.ts';

/**
 * Marks a follow-up task (a broken rule's, an outlier's) done, with why, unless it already is;
 * the `task` live event of a status change, as the task service's, through the outbox (written
 * in this transaction, published after its commit).
 */
export async function closeFollowUpTask(
  tx: Repos,
  taskId: number,
  at: Date,
  note: string,
): Promise<void> {
  const t = await tx.tasks.byId(taskId);
  if (!t || t.status === 'done') return;
  await tx.tasks.update(taskId, {
    status: 'done',
    blocked_reason: null,
    done_at: at,
    updated_at: at,
  });
  await tx.tasks.addEvent({
    taskId,
    at,
    kind: 'status',
    actorId: null,
    actorName: 'system',
    from: t.status,
    to: 'done',
    note,
  });
  await tx.alerts.queueLive([
    {
      topic: 'task',
      scope: { version: t.version, path: t.path },
      payload: {
        taskId: t.id,
        directiveId: t.directive_id,
        status: 'done',
        unit: { version: t.version, code: t.unit_code, name: t.unit_name, path: t.path },
      },
    },
  ]);
}

/**
 * Above this many follow-ups to open at once (a bulk load's), the tasks are opened after the
 * commit, from the outbox (migration 0029), instead of in the load's transaction: the load is
 * answered sooner, and a crash in between leaves them pending, never lost.
 */
export const DEFER_FOLLOW_UPS = 500;

/** How many pending follow-ups one transaction of the drain opens tasks for. */
export const PENDING_BATCH = 5000;

/**
 * Works off pending follow-ups a batch per transaction (`batch` takes at most PENDING_BATCH
 * and says how many it took) until a batch comes back short; how many in all.
 */
export async function inPendingBatches(
  store: Store,
  batch: (tx: Repos) => Promise<number>,
): Promise<number> {
  let done = 0;
  for (;;) {
    const n = await store.transaction(batch);
    done += n;
    if (n < PENDING_BATCH) return done;
  }
}

/** A follow-up task to open: for which unit, what it asks, what its audit row says. */
export interface FollowUpTask {
  unit: { id: number; version: string; code: string; path: string; name: string };
  title: string;
  note: string;
  audit: { action: string; after: unknown };
}

/**
 * Opens follow-up tasks in batches (a bulk load's checks can open thousands), each with its
 * 'created' event, its audit row and the `task` live event the task service publishes for a
 * new task, through the outbox (published after the commit). Due in three days. Returns the
 * tasks' ids in the order given.
 */
export async function openFollowUpTasks(
  tx: Repos,
  tasks: FollowUpTask[],
  at: Date,
): Promise<number[]> {
  if (tasks.length === 0) return [];
  const due = new Date(at.getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
  const ids = await tx.tasks.insertStandaloneMany(
    tasks.map(({ unit, title }) => ({
      unitId: unit.id,
      version: unit.version,
      code: unit.code,
      path: unit.path,
      title: title.slice(0, 300),
      dueDate: due,
      by: 'system',
      at,
    })),
  );
  await tx.tasks.addCreatedEvents(
    tasks.map(({ note }, i) => ({
      taskId: ids[i]!,
      at,
      actorName: 'system',
      to: 'received',
      note,
    })),
  );
  await tx.audit.recordMany(
    tasks.map(({ unit, audit }, i) => ({
      ...auditActor('system'),
      action: audit.action,
      entityType: 'task',
      entityId: String(ids[i]!),
      unit: { version: unit.version, code: unit.code },
      after: audit.after,
    })),
  );
  await tx.alerts.queueLive(
    tasks.map(({ unit }, i) => ({
      topic: 'task',
      scope: { version: unit.version, path: unit.path },
      payload: {
        taskId: ids[i]!,
        directiveId: null,
        status: 'received',
        unit: { version: unit.version, code: unit.code, name: unit.name, path: unit.path },
        created: true,
      },
    })),
  );
  return ids;
}
