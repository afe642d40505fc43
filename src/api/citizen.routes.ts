import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { ErrorResponse, errorResponses, json } from '../contract/common.ts';
import {
  CitizenCategory,
  CitizenCategoryInput,
  CitizenCategoryList,
  CitizenCategoryParam,
  CitizenCategoryUpdate,
  PublicCategoryList,
} from '../contract/citizen.ts';
import { actorOf, type AppEnv } from './context.ts';

const refused = {
  description: 'A deadline the working-time rule refuses (`working_time_invalid`)',
  content: { 'application/json': { schema: ErrorResponse } },
};

/**
 * Citizens' report categories (issue 20): Open311's services as Opsroom's metadata. Read by any
 * signed-in caller (Open311 shows the active ones to everyone); written with metadata.manage at
 * the national scope, as the other national metadata.
 */
export function citizenRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/citizenCategories',
      tags: ['citizens'],
      summary: "Citizens' report categories, active or not, by code",
      responses: { 200: json(CitizenCategoryList, 'The categories'), ...errorResponses },
    }),
    async (c) => {
      actorOf(c);
      return c.json({ items: await c.get('services').citizenCategories.list() }, 200);
    },
  );

  // Public (under /api/public/, app.ts): what the citizen's form offers.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/public/categories',
      tags: ['citizens'],
      summary: 'The active categories a citizen may choose from (public, no account)',
      responses: { 200: json(PublicCategoryList, 'The active categories, by code') },
    }),
    async (c) => {
      const all = await c.get('services').citizenCategories.list({ activeOnly: true });
      const items = all.map((x) => ({
        code: x.code,
        nameVi: x.nameVi,
        nameEn: x.nameEn,
        descriptionVi: x.descriptionVi,
        descriptionEn: x.descriptionEn,
        groupVi: x.groupVi,
        groupEn: x.groupEn,
        acknowledgeWithin: x.acknowledgeWithin,
        answerWithin: x.answerWithin,
        photoRequired: x.photoRequired,
      }));
      c.header('Cache-Control', 'public, max-age=300');
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/citizenCategories',
      tags: ['citizens'],
      summary: 'Create a category (metadata.manage, national)',
      request: {
        body: { content: { 'application/json': { schema: CitizenCategoryInput } }, required: true },
      },
      responses: {
        201: json(CitizenCategory, 'Created'),
        ...errorResponses,
        409: {
          description: 'A category with this code exists',
          content: { 'application/json': { schema: ErrorResponse } },
        },
        422: refused,
      },
    }),
    async (c) => {
      const r = await c.get('services').citizenCategories.create(actorOf(c), c.req.valid('json'), {
        requestId: c.get('requestId'),
      });
      return c.json(r, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/citizenCategories/{code}',
      tags: ['citizens'],
      summary: 'One category',
      request: { params: CitizenCategoryParam },
      responses: { 200: json(CitizenCategory, 'The category'), ...errorResponses },
    }),
    async (c) => {
      actorOf(c);
      const r = await c.get('services').citizenCategories.get(c.req.valid('param').code);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/citizenCategories/{code}',
      tags: ['citizens'],
      summary: 'Replace a category; its code stays (metadata.manage, national)',
      request: {
        params: CitizenCategoryParam,
        body: {
          content: { 'application/json': { schema: CitizenCategoryUpdate } },
          required: true,
        },
      },
      responses: { 200: json(CitizenCategory, 'Replaced'), ...errorResponses, 422: refused },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .citizenCategories.update(actorOf(c), c.req.valid('param').code, c.req.valid('json'), {
          requestId: c.get('requestId'),
        });
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/citizenCategories/{code}',
      tags: ['citizens'],
      summary:
        'Delete a category (metadata.manage, national); to stop offering one that reports name, set it inactive',
      request: { params: CitizenCategoryParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      await c.get('services').citizenCategories.remove(actorOf(c), c.req.valid('param').code, {
        requestId: c.get('requestId'),
      });
      return c.body(null, 204);
    },
  );

  return app;
}
