import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json } from '../contract/common.ts';
import {
  Dhis2ImportReport,
  Dhis2MetadataParams,
  DryRunQuery,
  METADATA_KINDS,
  METADATA_LISTS,
  MetadataDocumentSchema,
  MetadataSummary,
  type MetadataKind,
} from '../contract/metadata.ts';
import { MetadataWithRules } from '../domain/validation.ts';
import { importParams, isDhis2Metadata } from '../domain/dhis2-metadata.ts';
import { actorOf, type AppEnv } from './context.ts';
import { validationError } from './errors.ts';

/** DHIS2's routes answer in English unless Vietnamese is asked for. */
function dhis2Lang(lang: string | undefined, header: string | undefined): 'vi' | 'en' {
  return (lang ?? header ?? '').toLowerCase().startsWith('vi') ? 'vi' : 'en';
}

/** `GET /api/metadata/{kind}`: the objects of one kind, as POST takes them. */
function listRoute<K extends MetadataKind>(app: OpenAPIHono<AppEnv>, kind: K) {
  app.openapi(
    createRoute({
      method: 'get',
      path: `/api/metadata/${kind}`,
      tags: ['metadata'],
      summary: `The ${kind}`,
      responses: { 200: json(METADATA_LISTS[kind], kind), ...errorResponses },
    }),
    async (c) => {
      actorOf(c);
      const all = await c.get('services').metadata.list();
      return c.json({ items: all[kind] }, 200);
    },
  );
}

export function metadataRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/metadata',
      tags: ['metadata'],
      summary:
        "All metadata: breakdowns, attribute options, data elements, indicators, targets, data sets, unit groups, validation rules, citizens' report categories",
      responses: {
        200: json(MetadataDocumentSchema, 'In the shape POST /api/metadata takes'),
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
        query: DryRunQuery.extend(Dhis2MetadataParams.shape),
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
          z.union([MetadataSummary, Dhis2ImportReport]),
          "What was created and changed (Opsroom's summary, or DHIS2's importReport)",
        ),
        ...errorResponses,
        409: json(Dhis2ImportReport, "DHIS2's shape: the import report with its errors"),
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
      const doc = MetadataWithRules.safeParse(body);
      if (!doc.success) throw validationError(doc.error);
      const summary = await services.metadata.apply(actor, doc.data, {
        dryRun: q.dryRun === 'true',
      });
      return c.json(summary, 200);
    },
  );

  for (const [kind, schema] of Object.entries(METADATA_KINDS)) {
    listRoute(app, kind as MetadataKind);
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/metadata/${kind}`,
        tags: ['metadata'],
        summary: `Create or change ${kind} (one object or a list)`,
        request: {
          query: DryRunQuery,
          body: {
            content: { 'application/json': { schema: z.union([schema, z.array(schema)]) } },
            required: true,
          },
        },
        responses: {
          200: json(MetadataSummary, 'What was created and changed'),
          ...errorResponses,
        },
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
