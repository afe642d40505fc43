import type { Database } from '../db/client.ts';

/**
 * Runs `work` after `start` settles, then every `intervalMs`, never twice at once (a tick while
 * one runs is skipped). A failure is logged and the next tick tries again. Stopped with the
 * database, which waits for the run in progress; the returned function stops it too.
 */
export function repeatEvery(
  database: Database,
  opts: { name: string; intervalMs: number; work: () => Promise<void>; start?: Promise<unknown> },
): () => void {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = opts
      .work()
      .catch((e: unknown) => {
        if (!stopped) console.error(`${opts.name} failed`, e);
      })
      .finally(() => (running = undefined));
  };
  if (opts.start) void opts.start.finally(tick);
  else tick();
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  database.onClose(async () => {
    stop();
    await running;
  });
  return stop;
}
