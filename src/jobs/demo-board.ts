import { ROOT_CODE } from '../domain/hierarchy.ts';
import type { Services } from '../services/index.ts';

/**
 * The demo's default board (issue 19): today's overview, stored as a board owned by Opsroom and
 * set as the nation's default, so that every unit opens it until it chooses its own. Kept
 * apart from the demo data generator; installing it twice does nothing.
 */
export async function loadDemoBoard(services: Pick<Services, 'boards' | 'hierarchy'>) {
  const version = await services.hierarchy.resolveVersion();
  return services.boards.installShipped({ version, code: ROOT_CODE, path: `/${ROOT_CODE}/` });
}
