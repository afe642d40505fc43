import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json } from '../contract/common.ts';
import {
  MinMaxBody,
  OutlierBaseline,
  OutlierBaselineQuery,
  OutlierQuery,
  OutlierResponse,
} from '../contract/outlier.ts';
import { actorOf, type AppEnv } from './context.ts';

/** A repeatable parameter (`de=A&de=B`), each possibly comma-separated, as DHIS2 reads them. */
function list(values: string[] | undefined): string[] | undefined {
  const out = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim());
  const kept = out.filter(Boolean);
  return kept.length ? kept : undefined;
}

/** DHIS2's outlier detection and min–max ranges (issue 17). */
export function outlierRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/outlierDetection',
      tags: ['data quality'],
      summary:
        "DHIS2's outlier detection: Z_SCORE (mean, population SD), MOD_Z_SCORE (median, MAD), MIN_MAX (stored ranges), and Opsroom's SEASONAL (the same season of every year and the neighbouring periods); values 100× off their series are flagged scaleSlip whatever the method",
      request: { query: OutlierQuery },
      responses: { 200: json(OutlierResponse, 'The outliers, ordered'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await c.get('services').outliers.detect(actorOf(c), {
        ...q,
        ds: list(c.req.queries('ds')),
        de: list(c.req.queries('de')),
        ou: list(c.req.queries('ou')),
      });
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/outlierDetection/baseline',
      tags: ['data quality'],
      summary:
        "Opsroom: the seasonal baseline of one value (the same season of every year and its neighbouring periods at its unit), with the median and bounds SEASONAL compared it with: the 'why' of a seasonal outlier",
      request: { query: OutlierBaselineQuery },
      responses: { 200: json(OutlierBaseline, 'The baseline, oldest first'), ...errorResponses },
    }),
    async (c) => {
      const r = await c.get('services').outliers.baseline(actorOf(c), c.req.valid('query'));
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/minMaxDataElements',
      tags: ['data quality'],
      summary:
        "DHIS2's min–max range of one element at one unit (and breakdown option), set by hand; replaces the one there was",
      request: {
        body: { content: { 'application/json': { schema: MinMaxBody } }, required: true },
      },
      responses: {
        201: json(z.object({ status: z.literal('OK') }), 'Stored'),
        ...errorResponses,
      },
    }),
    async (c) => {
      await c
        .get('services')
        .outliers.setMinMax(actorOf(c), c.req.valid('json'), { requestId: c.get('requestId') });
      return c.json({ status: 'OK' as const }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/minMaxDataElements',
      tags: ['data quality'],
      summary: "Removes one min–max range (DHIS2's body: source, dataElement, optionCombo)",
      request: {
        body: {
          content: {
            'application/json': {
              schema: MinMaxBody.pick({ source: true, dataElement: true, optionCombo: true }),
            },
          },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ status: z.literal('OK') }), 'Removed'),
        ...errorResponses,
      },
    }),
    async (c) => {
      await c
        .get('services')
        .outliers.deleteMinMax(actorOf(c), c.req.valid('json'), { requestId: c.get('requestId') });
      return c.json({ status: 'OK' as const }, 200);
    },
  );

  return app;
}
