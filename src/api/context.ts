import type { Context } from 'hono';
import type { Actor } from '../domain/access.ts';
import { errors } from '../domain/errors.ts';
import type { Services } from '../services/index.ts';

export interface AppEnv {
  Variables: {
    services: Services;
    actor?: Actor;
    requestId: string;
  };
}

/** The signed-in caller, or a 401. */
export function actorOf(c: Context<AppEnv>): Actor {
  const actor = c.get('actor');
  if (!actor) throw errors.unauthenticated();
  return actor;
}
