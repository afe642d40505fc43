import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useGo, usePathname, useSearchString } from '../../shared/nav.tsx';
import { readState, vnToday, writeState, type OverviewState } from './state.ts';

export type UpdateState = (patch: Partial<OverviewState>, replace?: boolean) => void;

/** The address bar as state: a new entry for a user's step, replaced for the wall's rotation. */
export function useUrlState(): [OverviewState, UpdateState] {
  const search = useSearchString();
  const pathname = usePathname();
  const state = useMemo(() => readState(search), [search]);
  const go = useGo();
  const ref = useRef(state);
  useLayoutEffect(() => {
    ref.current = state;
  });
  const update = useCallback(
    (patch: Partial<OverviewState>, replace = false) => {
      const next = { ...ref.current, ...patch };
      ref.current = next;
      go(pathname + writeState(next), { replace });
    },
    [go, pathname],
  );
  return [state, update];
}

/** Today in Viet Nam, rolling over at midnight for a wall screen left on. */
export function useToday(): string {
  const [today, setToday] = useState(vnToday);
  useEffect(() => {
    const id = setInterval(() => setToday(vnToday()), 60_000);
    return () => clearInterval(id);
  }, []);
  return today;
}

/** Wall mode: the page takes the whole screen, dark; the app's header steps aside. */
export function useWallClass(wall: boolean): void {
  useEffect(() => {
    document.documentElement.classList.toggle('wall-mode', wall);
    return () => document.documentElement.classList.remove('wall-mode');
  }, [wall]);
}
