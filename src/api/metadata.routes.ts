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
import { importParams, isDhis2Metadata } from '../domain/dhis2-metadata.ts';
import { actorOf, type AppEnv } from './context.ts';
import { validationError } from './errors.ts';
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

const Stats = z.object({
  created: z.number(),
  updated: z.number(),
  deleted: z.number(),
  ignored: z.number(),
  total: z.number(),
});
const ErrorReport = z.object({
  message: z.string(),
  mainKlass: z.string(),
  mainId: z.string().optional(),
  errorCode: z.string().openapi({ example: 'E5002' }),
  errorProperty: z.string().optional(),
  errorProperties: z.array(z.string()),
  args: z.array(z.string()),
  value: z.string().optional(),
});
/** DHIS2's web message around its importReport. */
const Dhis2ImportMessage = z
  .object({
    httpStatus: z.string().openapi({ example: 'OK' }),
    httpStatusCode: z.number().openapi({ example: 200 }),
    status: z.enum(['OK', 'WARNING', 'ERROR']),
    message: z.string().optional(),
    response: z.object({
      responseType: z.literal('ImportReport'),
      status: z.enum(['OK', 'WARNING', 'ERROR']),
      stats: Stats,
      typeReports: z.array(
        z.object({
          klass: z.string(),
          stats: Stats,
          objectReports: z.array(
            z.object({
              klass: z.string(),
              index: z.number(),
              uid: z.string().optional(),
              displayName: z.string().optional(),
              errorReports: z.array(ErrorReport),
            }),
          ),
        }),
      ),
    }),
  })
  .openapi('Dhis2ImportReport');

const Dhis2Params = z.object({
  importStrategy: z.string().optional().openapi({
    description: "DHIS2's shape: CREATE_AND_UPDATE (default), CREATE or UPDATE",
  }),
  atomicMode: z.string().optional().openapi({
    description:
      "DHIS2's shape: ALL (default: one error and nothing is written) or NONE (what has no error is written)",
  }),
  importMode: z
    .string()
    .optional()
    .openapi({ description: "DHIS2's shape: COMMIT (default) or VALIDATE (as dryRun=true)" }),
  importReportMode: z.string().optional().openapi({
    description: "DHIS2's shape: ERRORS (default: object reports with errors only), FULL, DEBUG",
  }),
  version: z.string().max(20).optional().openapi({
    description: "DHIS2's shape: the hierarchy version the units go into (default: in force today)",
  }),
});

/** DHIS2's routes answer in English unless Vietnamese is asked for. */
function dhis2Lang(lang: string | undefined, header: string | undefined): 'vi' | 'en' {
  return (lang ?? header ?? '').toLowerCase().startsWith('vi') ? 'vi' : 'en';
}

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
      summary:
        "Create or change metadata, all or nothing: Opsroom's own document (by code), or a DHIS2 metadata export (by uid)",
      description:
        "A body with DHIS2's keys (organisationUnits, categoryOptions, categories, categoryCombos, categoryOptionCombos, dataElements with valueType/aggregationType, indicatorTypes, indicators with numerator/denominator, dataSets with dataSetElements and organisationUnits, organisationUnitGroups) is read as DHIS2 reads it and answered with DHIS2's importReport (409 when it has errors); any other body is Opsroom's MetadataDocument.",
      request: {
        query: DryRun.extend(Dhis2Params.shape),
        body: {
          content: {
            'application/json': {
              schema: z.record(z.string(), z.unknown()).openapi({
                description: "Opsroom's MetadataDocument, or a DHIS2 metadata export",
              }),
            },
          },
          required: true,
        },
      },
      responses: {
        200: json(
          z.union([Summary, Dhis2ImportMessage]),
          "What was created and changed (Opsroom's summary, or DHIS2's importReport)",
        ),
        ...errorResponses,
        409: json(Dhis2ImportMessage, "DHIS2's shape: the import report with its errors"),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const q = c.req.valid('query');
      const services = c.get('services');
      const actor = actorOf(c);
      if (isDhis2Metadata(body)) {
        const lang = dhis2Lang(c.req.query('lang'), c.req.header('accept-language'));
        const r = await services.metadata.importDhis2(actor, body, importParams(q), {
          version: q.version,
          lang,
        });
        const ok = r.report.status === 'OK';
        const ignored = Object.entries(r.ignoredTypes)
          .map(([k, n]) => `${k} (${n})`)
          .join(', ');
        const message = !ok
          ? lang === 'vi'
            ? 'Có lỗi; xem chi tiết trong báo cáo nhập.'
            : 'One or more errors occurred, please see full details in import report.'
          : ignored
            ? lang === 'vi'
              ? `Không nhập (Opsroom không lưu các loại này): ${ignored}`
              : `Not imported (Opsroom does not hold these): ${ignored}`
            : undefined;
        const answer = {
          httpStatus: ok ? 'OK' : 'Conflict',
          httpStatusCode: ok ? 200 : 409,
          status: ok ? ('OK' as const) : ('WARNING' as const),
          ...(message ? { message } : {}),
          response: r.report,
        };
        return ok ? c.json(answer, 200) : c.json(answer, 409);
      }
      const doc = MetadataDocument.safeParse(body);
      if (!doc.success) throw validationError(doc.error);
      const summary = await services.metadata.apply(actor, doc.data, {
        dryRun: q.dryRun === 'true',
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
