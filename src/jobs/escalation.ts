import type { Services } from '../services/index.ts';

/** How often `serve` looks for late tasks; a task is escalated once, within this delay. */
export const ESCALATION_INTERVAL_MS = 5 * 60_000;

/**
 * Escalates overdue tasks to the unit above, now and then every `intervalMs`. Several
 * instances may run it: the update marks each task once. Stopped with the database.
 */
export function startEscalation(
  services: Services,
  opts: { intervalMs?: number; log?: (line: string) => void } = {},
): () => void {
  const log = opts.log ?? ((l: string) => console.log(l));
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = services.tasks
      .escalateOverdue()
      .then((n) => {
        if (n) log(`Chuyển cấp trên / escalated: ${n.toLocaleString('en')} overdue tasks`);
      })
      .catch((e: unknown) => {
        if (!stopped) console.error('escalation failed', e);
      })
      .finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs ?? ESCALATION_INTERVAL_MS);
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  services.database.onClose(async () => {
    stop();
    await running;
  });
  return stop;
}
