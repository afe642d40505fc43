import type { Repos } from '../db/store.ts';

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
