import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useLiveInvalidate } from '../../shared/live.ts';
import { DIRECTIVE_TOPICS, loadBoard } from './data.ts';

/** The board of a directive under one unit (none: the issuer's), kept fresh by live events. */
export function useBoard(id: string, unit: string | undefined) {
  const q = useQuery({
    queryKey: ['directive-board', id, unit ?? ''],
    queryFn: ({ signal }) => loadBoard(id, unit, signal),
    // a drill-down keeps the board in view until the unit below answers
    placeholderData: keepPreviousData,
  });
  useLiveInvalidate(
    DIRECTIVE_TOPICS,
    (topic, data) => {
      if (topic === 'plan') return [];
      const d = data.directiveId ?? data.directive;
      if ((typeof d === 'string' || typeof d === 'number') && String(d) !== id) return [];
      return [['directive-board', id]];
    },
    [['directive-board', id]],
  );
  return {
    board: q.data,
    error: q.error,
    updatedAt: q.dataUpdatedAt ? new Date(q.dataUpdatedAt) : undefined,
  };
}
