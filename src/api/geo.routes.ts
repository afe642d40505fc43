import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json } from '../contract/common.ts';
import { GeoMapList } from '../contract/geo.ts';
import { can } from '../domain/access.ts';
import { errors } from '../domain/errors.ts';
import { sharedGeo } from '../services/geo.service.ts';
import { actorOf, type AppEnv } from './context.ts';

const geo = sharedGeo;

const hrefOf = (e: { version: string; parent: string; level: number; etag: string }) =>
  `/api/geo/${encodeURIComponent(e.version)}/${encodeURIComponent(e.parent)}?level=${e.level}&h=${e.etag}`;

export function geoRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/geo',
      tags: ['geo'],
      summary:
        'The boundary maps there are: provinces of each tree, communes of each 2025 province and all 2025 communes',
      responses: { 200: json(GeoMapList, 'Maps'), ...errorResponses },
    }),
    (c) => {
      const actor = actorOf(c);
      if (!can(actor, 'unit.read')) throw errors.forbidden('unit.read');
      c.header('Cache-Control', 'private, max-age=300');
      return c.json(
        {
          items: geo()
            .index()
            .map((e) => ({ ...e, href: hrefOf(e) })),
        },
        200,
      );
    },
  );

  app.get('/api/geo/:version/:parent', async (c) => {
    const actor = actorOf(c);
    if (!can(actor, 'unit.read')) throw errors.forbidden('unit.read');
    const version = await c.get('services').hierarchy.resolveVersion(c.req.param('version'));
    const levelParam = c.req.query('level');
    const level = levelParam === undefined ? undefined : Number(levelParam);
    const asset = geo().boundaries(
      version,
      c.req.param('parent'),
      Number.isInteger(level) ? level : undefined,
    );
    const etag = `"${asset.etag}"`;
    // With the content hash in the URL the answer never changes; without it, revalidate.
    c.header(
      'Cache-Control',
      c.req.query('h') === asset.etag
        ? 'private, max-age=31536000, immutable'
        : 'private, max-age=3600',
    );
    c.header('ETag', etag);
    c.header('Vary', 'Accept-Encoding');
    if (
      c.req
        .header('if-none-match')
        ?.split(/\s*,\s*/)
        .includes(etag)
    )
      return c.body(null, 304);
    c.header('Content-Type', 'application/geo+json; charset=utf-8');
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      c.header('Content-Encoding', 'gzip');
      return c.body(new Uint8Array(asset.gzip));
    }
    return c.body(new Uint8Array(asset.body));
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/geo/{version}/{parent}',
    tags: ['geo'],
    summary:
      'Boundaries of the units under a unit as GeoJSON (properties code, name, province), gzip-compressed when accepted, with an ETag',
    request: {
      params: z.object({
        version: z.string().openapi({ example: '2025' }),
        parent: z.string().openapi({ example: 'VN' }),
      }),
      query: z.object({
        level: z.coerce.number().int().optional().openapi({
          description: 'Units of this level under the parent; default the level below',
        }),
        h: z
          .string()
          .optional()
          .openapi({ description: 'The ETag, to cache the answer for a year' }),
      }),
    },
    responses: {
      200: { description: 'A GeoJSON FeatureCollection' },
      304: { description: 'Not modified' },
      404: errorResponses[404],
    },
  });
  return app;
}
