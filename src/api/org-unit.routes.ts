import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import {
  ErrorResponse,
  IdPathParam,
  OrgUnitList,
  Paging,
  VersionParam,
  errorResponses,
  json,
} from '../contract/common.ts';
import {
  HierarchyVersionList,
  OrgUnitChangeList,
  OrgUnitCodeParam,
  OrgUnitDetail,
  OrgUnitListQuery,
  OrgUnitVersionQuery,
} from '../contract/org-unit.ts';
import { actorOf, type AppEnv } from './context.ts';
import { VERSION_ID } from '../domain/hierarchy.ts';
import { AppError } from '../domain/errors.ts';

export function orgUnitRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/versions',
      tags: ['hierarchy'],
      summary: 'The versions of the hierarchy, with unit counts per level',
      responses: {
        200: json(HierarchyVersionList, 'Versions, oldest first'),
        401: errorResponses[401],
      },
    }),
    async (c) => {
      actorOf(c);
      const { hierarchy } = c.get('services');
      const [versions, current] = await Promise.all([
        hierarchy.versions(),
        hierarchy.resolveVersion(),
      ]);
      return c.json({ items: versions.map((v) => ({ ...v, current: v.id === current })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/orgunits',
      tags: ['hierarchy'],
      summary: 'List or search units of a version, within your scope',
      request: { query: OrgUnitListQuery },
      responses: { 200: json(OrgUnitList, 'Units, with their ancestors'), ...errorResponses },
    }),
    async (c) => {
      const p = c.req.valid('query');
      const result = await c.get('services').hierarchy.list(actorOf(c), p);
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/orgunits/{code}',
      tags: ['hierarchy'],
      summary:
        'One unit with its path to the nation, counts below it and its links across the 2025 reform',
      request: { params: OrgUnitCodeParam, query: OrgUnitVersionQuery },
      responses: { 200: json(OrgUnitDetail, 'The unit'), ...errorResponses },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const { version, at } = c.req.valid('query');
      const unit = await c.get('services').hierarchy.get(actorOf(c), code, version, at);
      return c.json(unit, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/orgunits/{code}/children',
      tags: ['hierarchy'],
      summary: 'The units directly under a unit',
      request: { params: OrgUnitCodeParam, query: OrgUnitVersionQuery.extend(Paging) },
      responses: { 200: json(OrgUnitList, 'Children'), ...errorResponses },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const { version, at, limit, offset } = c.req.valid('query');
      const result = await c
        .get('services')
        .hierarchy.children(actorOf(c), code, version, at, limit, offset);
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/orgunit-changes',
      tags: ['hierarchy'],
      summary: 'Renames and type changes made to a tree after it came into force',
      request: { query: z.object({ version: VersionParam }) },
      responses: {
        200: json(OrgUnitChangeList, 'Changes with their status'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const items = await c
        .get('services')
        .hierarchy.changes(actorOf(c), c.req.valid('query').version);
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/orgunit-changes/{id}',
      tags: ['hierarchy'],
      summary: 'Give an announced change its effective date (admin)',
      request: {
        params: IdPathParam,
        body: {
          content: { 'application/json': { schema: z.object({ effective: z.iso.date() }) } },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ id: z.number(), effective: z.string().nullable() }), 'Dated'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { effective } = c.req.valid('json');
      const row = await c.get('services').hierarchy.dateChange(actorOf(c), id, effective);
      return c.json({ id: row!.id, effective: row!.effective }, 200);
    },
  );

  // The file is read as text, so that every problem is reported with its line in the file.
  app.post('/api/orgunits/import', async (c) => {
    const version = c.req.query('version');
    if (!version || !VERSION_ID.test(version)) {
      throw new AppError('validation_failed', {
        vi: 'Cần tham số version: năm hoặc năm-tháng hiệu lực, ví dụ 2026 hoặc 2026-03',
        en: 'The version parameter is needed: the year or year-month it takes effect, e.g. 2026 or 2026-03',
      });
    }
    const r = await c.get('services').hierarchy.importUnitsFile(actorOf(c), await c.req.text(), {
      fileName: `units-${version}.json`,
      versionId: version,
    });
    return c.json(r, 200);
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/orgunits/import',
    tags: ['hierarchy'],
    summary:
      'Import a units file (format of data/vn-admin/units-*.json) as a version, all or nothing (admin)',
    request: {
      query: z.object({ version: z.string().openapi({ example: '2026' }) }),
      body: {
        content: {
          'application/json': {
            schema: z.object({ validFrom: z.string(), units: z.array(z.unknown()) }),
          },
        },
      },
    },
    responses: {
      200: json(
        z.object({
          version: z.string(),
          units: z.number(),
          inserted: z.number(),
          updated: z.number(),
          removed: z.number(),
        }),
        'Imported',
      ),
      ...errorResponses,
      422: {
        description: 'The file is invalid: every problem with its line; nothing changed',
        content: { 'application/json': { schema: ErrorResponse } },
      },
    },
  });

  return app;
}
