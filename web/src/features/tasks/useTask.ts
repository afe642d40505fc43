import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLiveInvalidate } from '../../shared/live.ts';
import {
  DIRECTIVE_TOPICS,
  loadHistory,
  loadTask,
  type Comment,
  type HistoryEntry,
  type TaskDetail,
} from '../directives/data.ts';

const taskKey = (id: string) => ['task', id] as const;
const historyKey = (id: string) => ['task', id, 'history'] as const;

interface History {
  events: HistoryEntry[];
  comments: Comment[];
}

/** One task and its history, kept fresh by live events; writes patch what is shown at once. */
export function useTask(id: string) {
  const client = useQueryClient();
  const taskQ = useQuery({
    queryKey: taskKey(id),
    queryFn: ({ signal }) => loadTask(id, signal),
  });
  const historyQ = useQuery({
    queryKey: historyKey(id),
    // the task shows without its history when that cannot be read
    queryFn: ({ signal }): Promise<History> =>
      loadHistory(id, signal).catch(() => ({ events: [], comments: [] })),
  });
  useLiveInvalidate(
    DIRECTIVE_TOPICS,
    (topic, data) => {
      if (topic === 'plan') return [];
      const taskId = data.taskId;
      if (
        topic === 'task' &&
        (typeof taskId === 'string' || typeof taskId === 'number') &&
        String(taskId) !== id
      )
        return [];
      return [taskKey(id)];
    },
    [taskKey(id)],
  );

  return {
    task: taskQ.data,
    loadError: taskQ.error,
    history: historyQ.data?.events,
    comments: historyQ.data?.comments,
    /** A write's answer, merged into the task shown. */
    patchTask: (fields: Partial<TaskDetail>) =>
      client.setQueryData<TaskDetail>(taskKey(id), (old) => (old ? { ...old, ...fields } : old)),
    /** A comment just sent, shown at once; the live event then refetches the same list. */
    addComment: (c: Comment) =>
      client.setQueryData<History>(historyKey(id), (old) =>
        old && !old.comments.some((x) => x.id === c.id)
          ? { ...old, comments: [...old.comments, c] }
          : old,
      ),
    refreshHistory: () => void client.invalidateQueries({ queryKey: historyKey(id) }),
  };
}
