import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import {
  AttributeOptionInput,
  BreakdownInput,
  DataElementInput,
  DataSetInput,
  IndicatorInput,
  MetadataDocument,
  TargetInput,
  UnitGroupInput,
} from '../domain/metadata.ts';
import { actorOf, type AppEnv } from './context.ts';
import { errorResponses, json } from './schemas.ts';

const Counts = z.object({ created: z.number(), updated: z.number(), unchanged: z.number() });
const Summary = z
  .object({
    breakdowns: Counts,
    attributeOptions: Counts,
    dataElements: Counts,
    indicators: Counts,
    targets: Counts,
    dataSets: Counts,
    unitGroups: Counts,
  })
  .openapi('MetadataSummary');

const Document = MetadataDocument;
const DryRun = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Check and count, change nothing' }),
});

const KINDS = {
  breakdowns: BreakdownInput,
  attributeOptions: AttributeOptionInput,
  dataElements: DataElementInput,
  indicators: IndicatorInput,
  targets: TargetInput,
  dataSets: DataSetInput,
  unitGroups: UnitGroupInput,
} as const;

export function metadataRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/metadata',
      tags: ['metadata'],
      summary:
        'All metadata: breakdowns, attribute options, data elements, indicators, targets, data sets',
      responses: {
        200: json(Document, 'In the shape POST /api/metadata takes'),
        ...errorResponses,
      },
    }),
    async (c) => {
      actorOf(c);
      return c.json(await c.get('services').metadata.list(), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/metadata',
      tags: ['metadata'],
      summary: 'Create or change metadata by code, all or nothing',
      request: {
        query: DryRun,
        body: { content: { 'application/json': { schema: Document } }, required: true },
      },
      responses: { 200: json(Summary, 'What was created and changed'), ...errorResponses },
    }),
    async (c) => {
      const summary = await c.get('services').metadata.apply(actorOf(c), c.req.valid('json'), {
        dryRun: c.req.valid('query').dryRun === 'true',
      });
      return c.json(summary, 200);
    },
  );

  for (const [kind, schema] of Object.entries(KINDS)) {
    app.openapi(
      createRoute({
        method: 'get',
        path: `/api/metadata/${kind}`,
        tags: ['metadata'],
        summary: `The ${kind}`,
        responses: { 200: json(z.object({ items: z.array(schema) }), kind), ...errorResponses },
      }),
      async (c) => {
        actorOf(c);
        const all = await c.get('services').metadata.list();
        return c.json({ items: all[kind as keyof typeof KINDS] as z.infer<typeof schema>[] }, 200);
      },
    );
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/metadata/${kind}`,
        tags: ['metadata'],
        summary: `Create or change ${kind} (one object or a list)`,
        request: {
          query: DryRun,
          body: {
            content: { 'application/json': { schema: z.union([schema, z.array(schema)]) } },
            required: true,
          },
        },
        responses: { 200: json(Summary, 'What was created and changed'), ...errorResponses },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const summary = await c
          .get('services')
          .metadata.apply(
            actorOf(c),
            { [kind]: Array.isArray(body) ? body : [body] },
            { dryRun: c.req.valid('query').dryRun === 'true' },
          );
        return c.json(summary, 200);
      },
    );
  }
  return app;
}
