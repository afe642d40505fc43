import { AppError } from './errors.ts';

/** Tasks: what a recipient unit does with a directive, and the rules of its status. */

export const TASK_STATUSES = [
  'received',
  'acknowledged',
  'in_progress',
  'done',
  'blocked',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PRIORITIES = ['normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const BODY_MAX = 20_000;

export const STATUS_LABELS: Record<TaskStatus, { vi: string; en: string }> = {
  received: { vi: 'Đã nhận', en: 'Received' },
  acknowledged: { vi: 'Đã tiếp nhận', en: 'Acknowledged' },
  in_progress: { vi: 'Đang thực hiện', en: 'In progress' },
  done: { vi: 'Hoàn thành', en: 'Done' },
  blocked: { vi: 'Vướng mắc', en: 'Blocked' },
};

/**
 * Allowed moves. A report while in progress keeps the status (in_progress → in_progress);
 * done is final; blocked returns to in progress (or is reported done once unblocked there).
 */
const NEXT: Record<TaskStatus, readonly TaskStatus[]> = {
  received: ['acknowledged'],
  acknowledged: ['in_progress', 'done', 'blocked'],
  in_progress: ['in_progress', 'done', 'blocked'],
  blocked: ['in_progress'],
  done: [],
};

export function allowedNext(from: TaskStatus): readonly TaskStatus[] {
  return NEXT[from];
}

/** Why a move is refused, or null when it is allowed. */
export function transitionProblem(
  from: TaskStatus,
  to: TaskStatus,
  input: { reason?: string | null } = {},
): { vi: string; en: string } | null {
  const f = STATUS_LABELS[from];
  const t = STATUS_LABELS[to];
  if (from === 'done')
    return {
      vi: 'Nhiệm vụ đã hoàn thành: không thể thay đổi trạng thái nữa',
      en: 'The task is done: its status can no longer change',
    };
  if (!NEXT[from].includes(to)) {
    const hint =
      from === 'received'
        ? {
            vi: ' Cần tiếp nhận nhiệm vụ trước.',
            en: ' Acknowledge the task first.',
          }
        : { vi: '', en: '' };
    return {
      vi: `Không thể chuyển từ "${f.vi}" sang "${t.vi}".${hint.vi}`,
      en: `Cannot move from "${f.en}" to "${t.en}".${hint.en}`,
    };
  }
  if (to === 'blocked' && !input.reason?.trim())
    return {
      vi: 'Cần nêu lý do vướng mắc',
      en: 'A reason is required to report the task as blocked',
    };
  return null;
}

/** The status machine's check: throws `invalid_transition` with a clear message. */
export function assertTransition(
  from: TaskStatus,
  to: TaskStatus,
  input: { reason?: string | null } = {},
): void {
  const problem = transitionProblem(from, to, input);
  if (problem) throw new AppError('invalid_transition', problem, { from, to, allowed: NEXT[from] });
}

/** Whole days a task is late on `today` (0 when not late). Dates are 'YYYY-MM-DD'. */
export function daysLate(dueDate: string, today: string): number {
  const d = (Date.parse(today) - Date.parse(dueDate)) / 86_400_000;
  return d > 0 ? Math.round(d) : 0;
}

/** The deepest path every given path lies under ('/VN/79/' for communes of 79). */
export function commonAncestorPath(min: string, max: string): string {
  let i = 0;
  while (i < min.length && i < max.length && min[i] === max[i]) i++;
  const prefix = min.slice(0, i);
  return prefix.slice(0, prefix.lastIndexOf('/') + 1) || '/';
}

/** The parent's path of a unit's path ('/VN/79/760/' → '/VN/79/'). */
export function parentPath(path: string): string {
  const trimmed = path.slice(0, -1);
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}
