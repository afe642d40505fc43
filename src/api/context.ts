import type { Context } from 'hono';
import type { Actor } from '../domain/access.ts';
import { errors } from '../domain/errors.ts';
import type { Services } from '../services/index.ts';

export interface Edge {
  /** Reverse proxies in front that append to X-Forwarded-For (0: the socket's peer). */
  proxies: number;
  /** Cookies marked Secure even when no proxy says the page came over HTTPS. */
  secureCookies: boolean;
}

export interface AppEnv {
  Variables: {
    services: Services;
    actor?: Actor;
    requestId: string;
    /** Settings of the HTTP edge, from the configuration (config.ts) given to createApp. */
    edge: Edge;
  };
}

/** The signed-in caller, or a 401. */
export function actorOf(c: Context<AppEnv>): Actor {
  const actor = c.get('actor');
  if (!actor) throw errors.unauthenticated();
  return actor;
}
