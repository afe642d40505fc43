import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useLive } from '../../../shared/live.ts';
import { elementsOf } from '../../room/state.ts';
import { PANEL_KEY, useCatalogue } from './data.ts';

const LIVE_DEBOUNCE_MS = 200;

/**
 * The topics a board listens to: values imported (`data`), split communes' weights (`weights`:
 * carried figures change), alerts opened or closed (`alert`) and tasks moved (`task`: a
 * directive's progress).
 */
const BOARD_TOPICS: readonly string[] = ['data', 'alert', 'weights', 'task'];

/**
 * Live updates for a board: call once per board with every figure of its panels. A value import
 * touching one of their elements (an indicator's too, on any tree: values are carried across the
 * reform) refetches the panels' figures; an alert refetches the alerts panels, a task the
 * directive panels; a reconnect refetches all. At most one refetch per 200 ms under a stream of
 * imports.
 */
export function useBoardLive(figures: string[]): void {
  const cat = useCatalogue().data;
  const figureKey = [...new Set(figures)].sort().join(',');
  const needed = useMemo(
    () =>
      new Set(
        figureKey
          .split(',')
          .filter(Boolean)
          .flatMap((c) => (cat ? elementsOf(c, cat.formulas) : [c.split('.')[0]!])),
      ),
    [figureKey, cat],
  );
  const client = useQueryClient();
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  const lastRefresh = useRef(0);
  const refresh = useCallback(() => {
    if (pending.current) return;
    const run = () => {
      pending.current = undefined;
      lastRefresh.current = Date.now();
      void client.invalidateQueries({ queryKey: PANEL_KEY });
    };
    const wait = lastRefresh.current + LIVE_DEBOUNCE_MS - Date.now();
    if (wait <= 0) run();
    else pending.current = setTimeout(run, wait);
  }, [client]);
  useEffect(() => () => clearTimeout(pending.current), []);
  useLive(
    {
      data: (e) => {
        // An import that names no element may touch any: refetch.
        if (!e.elements?.length || e.elements.some((x) => needed.has(x.split('.')[0]!))) refresh();
      },
      event: (topic) => {
        if (topic === 'weights') refresh();
        else if (topic === 'alert')
          void client.invalidateQueries({ queryKey: [...PANEL_KEY, 'alerts'] });
        else if (topic === 'task')
          void client.invalidateQueries({ queryKey: [...PANEL_KEY, 'directive'] });
      },
      reset: refresh,
    },
    true,
    BOARD_TOPICS,
  );
}
