import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json } from '../contract/common.ts';
import {
  ValueOutlierList,
  ValueOutlierReviewBody,
  ValueOutliersQuery,
} from '../contract/value-outlier.ts';
import { actorOf, type AppEnv } from './context.ts';

/** Values flagged as they arrive, outside their min–max range (issue 17). */
export function valueOutlierRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/valueOutliers',
      tags: ['data quality'],
      summary:
        'Values flagged as they arrived (outside their unit’s min–max range, or 100× or more away from its recent values) under a unit in your scope, newest first (data.read)',
      request: { query: ValueOutliersQuery },
      responses: { 200: json(ValueOutlierList, 'The flagged values'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await c.get('services').valueOutliers.list(actorOf(c), {
        limit: q.pageSize,
        ...(q.ou !== undefined ? { unit: q.ou } : {}),
        ...(q.ouVersion !== undefined ? { version: q.ouVersion } : {}),
        ...(q.state !== 'all' ? { state: q.state } : {}),
      });
      return c.json(
        {
          valueOutliers: rows.map((r) => ({
            dataElement: r.element,
            dataElementName: r.element_name,
            orgUnit: r.unit,
            orgUnitName: r.unit_name,
            path: r.path,
            period: r.period,
            categoryOptionCombo: r.option,
            value: r.value,
            kind: r.kind,
            min: r.low,
            max: r.high,
            state: r.state,
            taskId: r.task_id,
            comment: r.comment,
            reviewedBy: r.reviewed_by,
            foundAt: r.found_at,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/valueOutliers/review',
      tags: ['data quality'],
      summary:
        'Confirms a flagged value as correct, with why: the flag stays as reviewed, the unit’s follow-up task closes when no open flag is left (data.write, in scope; audited)',
      request: {
        body: {
          content: { 'application/json': { schema: ValueOutlierReviewBody } },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ state: z.literal('confirmed') }), 'Confirmed'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await c.get('services').valueOutliers.review(
        actorOf(c),
        {
          element: b.dataElement,
          unit: b.orgUnit,
          version: b.version,
          period: b.period,
          comment: b.comment,
          ...(b.categoryOptionCombo !== undefined ? { option: b.categoryOptionCombo } : {}),
        },
        { requestId: c.get('requestId') },
      );
      return c.json(r, 200);
    },
  );

  return app;
}
