import { QueryClient } from '@tanstack/react-query';

/**
 * Server state: one client for the app. Reads go through the typed client (shared/api/client.ts);
 * live events mark the matching queries stale (`useLiveInvalidate`), so nothing refetches on a timer or on
 * window focus, and a failed read is shown at once, as before, rather than retried.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
    },
  });
}
