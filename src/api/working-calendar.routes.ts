import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ErrorResponse, VersionParam, errorResponses, json } from '../contract/common.ts';
import { OrgUnitCodeParam } from '../contract/org-unit.ts';
import { WorkingCalendarSpec, WorkingCalendarView } from '../contract/working-calendar.ts';
import { actorOf, type AppEnv } from './context.ts';

const VersionQuery = z.object({ version: VersionParam });

const refused = {
  description:
    'A calendar the working-time rule refuses (`working_time_invalid`): no working hours at all, a day both off and worked',
  content: { 'application/json': { schema: ErrorResponse } },
};

/**
 * A unit's working calendar (issue 20), addressed as the unit is (`/api/orgunits/{code}`, the
 * tree by `?version=`, default the caller's own): read with unit.read in scope, set and removed
 * with metadata.manage in scope.
 */
export function workingCalendarRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  const path = '/api/orgunits/{code}/workingCalendar';

  app.openapi(
    createRoute({
      method: 'get',
      path,
      tags: ['hierarchy'],
      summary:
        "A unit's working calendar: its own, or the one it inherits (an ancestor's, the nation's)",
      request: { params: OrgUnitCodeParam, query: VersionQuery },
      responses: { 200: json(WorkingCalendarView, 'The calendar in effect'), ...errorResponses },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .workingCalendars.get(actorOf(c), c.req.valid('param').code, c.req.valid('query').version);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path,
      tags: ['hierarchy'],
      summary: "Set a unit's own working calendar; the units under it inherit it (metadata.manage)",
      request: {
        params: OrgUnitCodeParam,
        query: VersionQuery,
        body: { content: { 'application/json': { schema: WorkingCalendarSpec } }, required: true },
      },
      responses: { 200: json(WorkingCalendarView, 'Set'), ...errorResponses, 422: refused },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .workingCalendars.set(actorOf(c), c.req.valid('param').code, c.req.valid('json'), {
          version: c.req.valid('query').version,
          requestId: c.get('requestId'),
        });
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path,
      tags: ['hierarchy'],
      summary:
        "Remove a unit's own working calendar: it inherits again (metadata.manage); the nation's cannot be removed",
      request: { params: OrgUnitCodeParam, query: VersionQuery },
      responses: {
        200: json(WorkingCalendarView, 'The calendar the unit now inherits'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .workingCalendars.clear(actorOf(c), c.req.valid('param').code, {
          version: c.req.valid('query').version,
          requestId: c.get('requestId'),
        });
      return c.json(r, 200);
    },
  );

  return app;
}
