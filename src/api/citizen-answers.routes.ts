import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json, rateLimitedResponse } from '../contract/common.ts';
import {
  PublicAnswers,
  PublicAnswersQuery,
  PublicPhotoParam,
  PublicPlaces,
  PublicPlacesQuery,
} from '../contract/citizen-answers.ts';
import { PUBLIC_LIMITS } from '../domain/public-limits.ts';
import type { AppEnv } from './context.ts';
import { limitByAddress } from './public-limit.ts';

/**
 * The public answers of citizens' reports (issue 20), under /api/public/ (no account): what
 * units answered, per commune or province, with their photos; never a citizen's contact nor an
 * officer's name.
 */
export function citizenAnswerRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/public/answers',
      tags: ['citizens'],
      summary:
        'Answered and closed reports placed under a commune or province (none: the nation), newest answer first, 20 a page; public, no account',
      description:
        'Searchable without diacritics (`q`); `id` gives one answer (a permalink). Phone numbers and emails typed in a question are masked; the contact and who answered are never shown.',
      request: { query: PublicAnswersQuery },
      responses: {
        200: json(PublicAnswers, 'A page of answers'),
        400: errorResponses[400],
        404: errorResponses[404],
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await c.get('services').citizenFigures.publicAnswers(q);
      c.header('Cache-Control', 'public, max-age=60');
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/public/answers/places',
      tags: ['citizens'],
      summary:
        'Provinces and communes of the tree in force by name, without diacritics (former names too), to choose where to read answers; public, no account',
      request: { query: PublicPlacesQuery },
      responses: {
        200: json(PublicPlaces, 'Units, best match first (none found: an empty list)'),
        400: errorResponses[400],
        429: rateLimitedResponse,
      },
    }),
    async (c) => {
      await limitByAddress(c, '/api/public/answers/places', PUBLIC_LIMITS.placePerAddress);
      const r = await c.get('services').citizenFigures.publicPlaces(c.req.valid('query').q);
      c.header('Cache-Control', 'public, max-age=3600');
      return c.json(r, 200);
    },
  );

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/public/photos/{id}',
    tags: ['citizens'],
    summary: 'A photo of a public (answered or closed) report or of its answer; public, no account',
    request: { params: PublicPhotoParam },
    responses: {
      200: { description: 'The file', content: { 'image/*': { schema: z.string() } } },
      404: errorResponses[404],
    },
  });
  app.get('/api/public/photos/:id{[0-9]+}', async (c) => {
    const f = await c.get('services').citizenFigures.publicPhoto(Number(c.req.param('id')));
    c.header('content-type', f.content_type);
    c.header(
      'content-disposition',
      f.content_type.startsWith('image/') ? 'inline' : `attachment; filename="file-${f.id}"`,
    );
    c.header('x-content-type-options', 'nosniff');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(new Uint8Array(f.bytes));
  });
  return app;
}
