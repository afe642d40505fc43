import type { Services } from '../services/index.ts';
import { repeatEvery } from './repeat.ts';

/**
 * How often `serve` computes the response-time figures the queue holds: the debounce, so a
 * burst of changes to one commune's reports is computed once.
 */
export const FIGURES_INTERVAL_MS = 5_000;

/**
 * Computes the citizens' reports' response-time figures (issue 20) now and then every
 * `intervalMs`: the cells queued by the reports' changes (migration 0039), also those a crash
 * left. Stopped with the database.
 */
export function startCitizenFigures(
  services: Services,
  opts: { intervalMs?: number; log?: (line: string) => void } = {},
): () => void {
  const log = opts.log ?? ((l: string) => console.log(l));
  return repeatEvery(services.database, {
    name: 'citizen report figures',
    intervalMs: opts.intervalMs ?? FIGURES_INTERVAL_MS,
    // The elements exist from the start, so the room can pick them before the first report.
    start: services.citizenFigures
      .installMetadata()
      .catch((e: unknown) => console.error('citizen report figures metadata failed', e)),
    work: async () => {
      const r = await services.citizenFigures.run();
      if (r.cells >= 1000)
        log(`Chỉ số phản ánh / report figures: ${r.cells.toLocaleString('en')} cells computed`);
    },
  });
}
