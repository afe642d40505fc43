import type { Services } from '../services/index.ts';
import { repeatEvery } from './repeat.ts';

const EVERY_MS = 60 * 60 * 1000;

/**
 * Deletes uploads never claimed by what they were sent with (services/public-photo.service.ts
 * `pruneUnclaimed`), at start and then hourly: a flood of photos without reports does not stay.
 */
export function startPendingPrune(
  services: Pick<Services, 'database' | 'publicPhotos'>,
  opts: { everyMs?: number; log?: (line: string) => void } = {},
): () => void {
  return repeatEvery(services.database, {
    name: 'unclaimed uploads prune',
    intervalMs: opts.everyMs ?? EVERY_MS,
    work: async () => {
      const n = await services.publicPhotos.pruneUnclaimed();
      if (n > 0) opts.log?.(`Tệp tải lên không dùng / unclaimed uploads: ${n} deleted`);
    },
  });
}
