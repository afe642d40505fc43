import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { DEFAULT_TOPICS, useLive, useLiveInvalidate } from '../../shared/live.ts';
import type { Catalogue } from './data.ts';
import { elementsOf } from './state.ts';
import { ALERTS_KEY, FIGURES_KEY } from './useRoomData.ts';

const LIVE_DEBOUNCE_MS = 200;

/**
 * Live: refetch the figures when the elements the screen shows change (in its tree), the alerts
 * when an alert opens or closes, and both after a reconnect.
 */
export function useRoomLive(
  tileCodes: string[],
  mapCode: string,
  cat: Catalogue,
  version: string,
): void {
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
      if (e.versions?.length && !e.versions.includes(version)) return;
      if (!e.elements || e.elements.some((x) => needed.has(x.split('.')[0]!))) refresh();
    },
    reset: refresh,
  });
  useLiveInvalidate(DEFAULT_TOPICS, (topic) => (topic === 'alert' ? [ALERTS_KEY] : []), [
    ALERTS_KEY,
  ]);
}
