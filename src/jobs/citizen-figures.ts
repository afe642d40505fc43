import type { Services } from '../services/index.ts';

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
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = services.citizenFigures
      .run()
      .then((r) => {
        if (r.cells >= 1000)
          log(`Chỉ số phản ánh / report figures: ${r.cells.toLocaleString('en')} cells computed`);
      })
      .catch((e: unknown) => {
        if (!stopped) console.error('citizen report figures failed', e);
      })
      .finally(() => (running = undefined));
  };
  // The elements exist from the start, so the room can pick them before the first report.
  void services.citizenFigures
    .installMetadata()
    .catch((e: unknown) => console.error('citizen report figures metadata failed', e))
    .finally(tick);
  const timer = setInterval(tick, opts.intervalMs ?? FIGURES_INTERVAL_MS);
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
