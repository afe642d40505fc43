import { QueryClient } from '@tanstack/react-query';

/**
 * Server state: one client for the app. Reads go through the typed client (shared/api/client.ts);
 * live events mark the matching queries stale (`useLiveInvalidate`), so nothing refetches on a timer or on
 * window focus, and a failed read is shown at once, as before, rather than retried.
 */
/**
 * The error a screen shows for a read: none while the read still has an answer to show. A
 * refresh that fails (the network dropped under a wall display) keeps the last figures on screen;
 * the live mark says the connection is lost and since when the figures are.
 */
export function shownError(q: { data: unknown; error: unknown }): unknown {
  return q.data === undefined ? q.error : null;
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
    },
  });
}
