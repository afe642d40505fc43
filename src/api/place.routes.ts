import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { errorResponses, json, rateLimitedResponse } from '../contract/common.ts';
import {
  PlaceFound,
  PlaceLocateQuery,
  PlaceSearchQuery,
  PlaceSearchResult,
  placeOutsideResponse,
} from '../contract/place.ts';
import { PUBLIC_LIMITS } from '../domain/public-limits.ts';
import type { AppEnv } from './context.ts';
import { limitByAddress } from './public-limit.ts';

/** Paths answered without an account (app.ts PUBLIC_ROUTES). */
export const PLACE_PUBLIC_ROUTES = ['/api/places/locate', '/api/places/search'] as const;

/**
 * Where a citizen's report belongs (issue 20): public, no account, nothing written. The
 * answers depend only on the query and the day, so a browser or proxy may keep them an hour.
 */
export function placeRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/places/locate',
      tags: ['places'],
      summary:
        'The commune (and its province) holding a point, on the tree in force today; public, no account',
      description:
        'A point outside every commune but within 2 km of one (at sea by the coast, by an island) goes to the nearest commune; farther, `place_outside` (422).',
      request: { query: PlaceLocateQuery },
      responses: {
        200: json(PlaceFound, 'The commune'),
        400: errorResponses[400],
        404: errorResponses[404],
        422: placeOutsideResponse,
        429: rateLimitedResponse,
      },
    }),
    async (c) => {
      await limitByAddress(c, '/api/places/locate', PUBLIC_LIMITS.placePerAddress);
      const { lat, lon } = c.req.valid('query');
      const found = await c.get('services').places.locate({ lat, lon });
      c.header('Cache-Control', 'public, max-age=3600');
      return c.json(found, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/places/search',
      tags: ['places'],
      summary:
        'Communes of the tree in force today by name, without diacritics (former names too); public, no account',
      request: { query: PlaceSearchQuery },
      responses: {
        200: json(PlaceSearchResult, 'Communes, best match first (none found: an empty list)'),
        400: errorResponses[400],
        404: errorResponses[404],
        429: rateLimitedResponse,
      },
    }),
    async (c) => {
      await limitByAddress(c, '/api/places/search', PUBLIC_LIMITS.placePerAddress);
      const { q, limit } = c.req.valid('query');
      const found = await c.get('services').places.search(q, { limit });
      c.header('Cache-Control', 'public, max-age=3600');
      return c.json(found, 200);
    },
  );
  return app;
}
