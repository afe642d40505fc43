import type { Services } from '../services/index.ts';
import { repeatEvery } from './repeat.ts';

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
  return repeatEvery(services.database, {
    name: 'escalation',
    intervalMs: opts.intervalMs ?? ESCALATION_INTERVAL_MS,
    work: async () => {
      const n = await services.tasks.escalateOverdue();
      if (n) log(`Chuyển cấp trên / escalated: ${n.toLocaleString('en')} overdue tasks`);
    },
  });
}
