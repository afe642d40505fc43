import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json } from '../contract/common.ts';
import {
  PublicAnswers,
  PublicAnswersQuery,
  PublicPhotoParam,
} from '../contract/citizen-answers.ts';
import type { AppEnv } from './context.ts';

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
        'Searchable without diacritics (`q`). Phone numbers and emails typed in a question are masked; the contact and who answered are never shown.',
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
