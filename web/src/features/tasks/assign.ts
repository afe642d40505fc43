import { useQuery } from '@tanstack/react-query';
import type { Me } from '../../shared/api/types.ts';
import { answer, client, type Schemas } from '../../shared/api/client.ts';
import { vnToday } from '../directives/data.ts';
import type { DirT } from '../directives/messages.ts';

/** One milestone row of the assign form; `key` names its fields. */
export interface MilestoneDraft {
  key: number;
  title: string;
  due: string;
}

/** The assign form's fields as typed (the assignee is a user id, '' for the whole unit). */
export interface AssignValues {
  title: string;
  filter: string;
  unit: string;
  assignee: string;
  dueDate: string;
  milestones: MilestoneDraft[];
}

/** What stops the form from being sent, in the order the user meets it; null when nothing. */
export function assignProblem(v: AssignValues, t: DirT, today = vnToday()): string | null {
  const ms = filledMilestones(v.milestones);
  const badMilestone = ms.findIndex(
    (m) => !m.title.trim() || !m.due || m.due < today || m.due > v.dueDate,
  );
  return !v.title.trim()
    ? t('required', { field: t('taskName').toLowerCase() })
    : !v.unit
      ? t('assignPickUnit')
      : !v.dueDate
        ? t('required', { field: t('dueLabel').toLowerCase() })
        : v.dueDate < today
          ? t('dueInPast')
          : badMilestone >= 0
            ? t('milestoneBad', { n: badMilestone + 1 })
            : null;
}

/** The milestone rows the user started to fill (an empty row is left out). */
export const filledMilestones = (list: MilestoneDraft[]) =>
  list.filter((m) => m.title.trim() || m.due);

/** The new task as `POST /api/tasks` takes it. */
export function newTaskOf(v: AssignValues, version: string): Schemas['StandaloneTaskInput'] {
  const ms = filledMilestones(v.milestones);
  return {
    title: v.title.trim(),
    unit: v.unit,
    version,
    dueDate: v.dueDate,
    ...(v.assignee ? { assignee: Number(v.assignee) } : {}),
    ...(ms.length ? { milestones: ms.map((m) => ({ title: m.title.trim(), due: m.due })) } : {}),
  };
}

export type User = Schemas['UserListItem'];

/** The name a user goes by. */
export const userName = (u: User): string => u.display_name;

/**
 * The accounts the form may name as the assignee. A person can be named only by someone who
 * may list the accounts (a leader, an admin); when the list cannot be read, nobody is offered.
 */
export function useAssignees(me: Me): User[] {
  const q = useQuery({
    queryKey: ['users', 'assignees'],
    queryFn: async ({ signal }) => (await answer(client.GET('/api/users', { signal }))).items,
    enabled: me.permissions.includes('user.read'),
  });
  return q.data ?? [];
}
