import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { DEFAULT_TOPICS, useLive, useLiveInvalidate } from '../../shared/live.ts';
import type { Catalogue } from './data.ts';
import { elementsOf } from './state.ts';
import { ALERTS_KEY, FIGURES_KEY } from './useRoomData.ts';

const LIVE_DEBOUNCE_MS = 200;

/** The `weights` topic (LiveWeightsEvent in src/contract/live.ts): live topics are plain strings. */
const WEIGHTS = 'weights';

/**
 * Live: refetch the figures when the elements the screen shows change (on any tree: values are
 * carried across the reform, so an import on the 2022 tree changes the 2025 tree's figures) or
 * the weights of split communes change, the alerts when an alert opens or closes, and both after
 * a reconnect.
 */
export function useRoomLive(tileCodes: string[], mapCode: string, cat: Catalogue): void {
  const tileKey = tileCodes.join(',');
  const needed = useMemo(
    () => new Set([...tileKey.split(','), mapCode].flatMap((c) => elementsOf(c, cat.formulas))),
    [tileKey, mapCode, cat],
  );
  const client = useQueryClient();
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  const lastRefresh = useRef(0);
  const refresh = useCallback(() => {
    // At once for a lone import; under a stream of imports, at most one refetch per 200 ms.
    if (pending.current) return;
    const run = () => {
      pending.current = undefined;
      lastRefresh.current = Date.now();
      void client.invalidateQueries({ queryKey: FIGURES_KEY });
    };
    const wait = lastRefresh.current + LIVE_DEBOUNCE_MS - Date.now();
    if (wait <= 0) run();
    else pending.current = setTimeout(run, wait);
  }, [client]);
  useEffect(() => () => clearTimeout(pending.current), []);
  useLive({
    data: (e) => {
      if (!e.elements || e.elements.some((x) => needed.has(x.split('.')[0]!))) refresh();
    },
    // Weights change carried figures of every element: refetch whatever the screen shows.
    event: (topic) => {
      if (topic === WEIGHTS) refresh();
    },
    reset: refresh,
  });
  useLiveInvalidate(DEFAULT_TOPICS, (topic) => (topic === 'alert' ? [ALERTS_KEY] : []), [
    ALERTS_KEY,
  ]);
}
