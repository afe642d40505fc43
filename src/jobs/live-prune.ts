import type { Services } from '../services/index.ts';

/** How long live events are kept: a screen away longer than this gets `reset` and refetches. */
export const LIVE_KEEP_DAYS = 7;
const EVERY_MS = 60 * 60 * 1000;

/** Deletes old live events once an hour (and once at start) while the server runs. */
export function startLivePrune(
  services: Pick<Services, 'live'>,
  opts: { keepDays?: number; everyMs?: number; log?: (line: string) => void } = {},
): { stop(): void } {
  const keepDays = opts.keepDays ?? LIVE_KEEP_DAYS;
  const run = () => {
    if (services.live.isClosed) return;
    services.live.prune(keepDays).then(
      (n) => {
        if (n > 0) opts.log?.(`live events: ${n} older than ${keepDays} days deleted`);
      },
      (e: unknown) => console.error('live events not pruned', e),
    );
  };
  const first = setTimeout(run, 10_000);
  const timer = setInterval(run, opts.everyMs ?? EVERY_MS);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
