import { useEffect, useState } from 'react';

type ChartsModule = typeof import('./Charts.tsx');

let loaded: ChartsModule | undefined;
let loading: Promise<ChartsModule> | undefined;

/** Starts fetching the charts' chunk (Apache ECharts); once is enough. */
export function loadCharts(): Promise<ChartsModule> {
  loading ??= import('./Charts.tsx').then(
    (m) => (loaded = m),
    (e: unknown) => {
      loading = undefined; // a later screen may try again (a flaky network)
      throw e;
    },
  );
  return loading;
}

/**
 * The charts' module once it is here. Not React.lazy: a lazy component suspends on its first
 * render even when its chunk has arrived, and React reveals a suspended boundary up to 300 ms
 * late, which the all-commune map paid on every load (measured: data in → map drawn +350 ms).
 */
export function useCharts(): { charts?: ChartsModule; error?: unknown } {
  const [state, setState] = useState<{ charts?: ChartsModule; error?: unknown }>(() => ({
    charts: loaded,
  }));
  useEffect(() => {
    if (state.charts) return;
    let live = true;
    loadCharts().then(
      (charts) => live && setState({ charts }),
      (error: unknown) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [state.charts]);
  return state;
}
