import { useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';

/** When the board's panels last read their figures (their queries are under ['board','panel']). */
export function usePanelsUpdatedAt(): Date | undefined {
  const cache = useQueryClient().getQueryCache();
  const at = useSyncExternalStore(
    (cb) => cache.subscribe(cb),
    () =>
      Math.max(
        0,
        ...cache.findAll({ queryKey: ['board', 'panel'] }).map((q) => q.state.dataUpdatedAt),
      ),
  );
  return at > 0 ? new Date(at) : undefined;
}
