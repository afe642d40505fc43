import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  formatDataValueSet,
  formatOf,
  parseDataValueSet,
  type DataValueFormat,
} from '../domain/data-value-set.ts';
import type { ImportStrategy, ImportSummary } from '../domain/data-value.ts';
import { AppError } from '../domain/errors.ts';
import { actorOf, type AppEnv } from './context.ts';
import { wantsEnglish } from './errors.ts';
import { ErrorResponse } from './schemas.ts';

const STRATEGIES = [
  'CREATE',
  'UPDATE',
  'CREATE_AND_UPDATE',
  'DELETE',
  'NEW',
  'UPDATES',
  'NEW_AND_UPDATES',
] as const;
const STRATEGY_ALIAS: Record<string, ImportStrategy> = {
  NEW: 'CREATE',
  UPDATES: 'UPDATE',
  NEW_AND_UPDATES: 'CREATE_AND_UPDATE',
};

const ImportQuery = z.object({
  dryRun: z.enum(['true', 'false']).optional(),
  atomic: z.enum(['true', 'false']).optional(),
  importStrategy: z.enum(STRATEGIES).optional(),
  version: z.string().optional(),
});

const Conflict = z.object({
  object: z.string(),
  objects: z.record(z.string(), z.string()),
  value: z.string(),
  errorCode: z.string(),
  property: z.string(),
  indexes: z.array(z.number()),
  rows: z.array(
    z.object({
      index: z.number(),
      line: z.number().optional(),
      field: z.string(),
      value: z.string(),
      vi: z.string(),
      en: z.string(),
    }),
  ),
});

const WebMessage = z
  .object({
    httpStatus: z.string(),
    httpStatusCode: z.number(),
    status: z.enum(['OK', 'WARNING', 'ERROR']),
    message: z.string(),
    response: z.object({
      responseType: z.literal('ImportSummary'),
      status: z.enum(['SUCCESS', 'WARNING', 'ERROR']),
      description: z.string(),
      importCount: z.object({
        imported: z.number(),
        updated: z.number(),
        ignored: z.number(),
        deleted: z.number(),
      }),
      conflicts: z.array(Conflict),
      rejectedIndexes: z.array(z.number()),
      dataSetComplete: z.string(),
      importOptions: z.object({
        dryRun: z.boolean(),
        atomic: z.boolean(),
        importStrategy: z.string(),
      }),
    }),
  })
  .openapi('ImportSummaryWebMessage');

/** DHIS2 wraps an import summary in a web message: 200 for SUCCESS and WARNING, 409 for ERROR. */
function webMessage(c: Context, s: ImportSummary, strategy: string) {
  const en = wantsEnglish(c);
  const groups = new Map<string, z.infer<typeof Conflict>>();
  for (const x of s.conflicts) {
    const key = `${x.errorCode}|${x.object}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        object: x.object,
        objects: x.property === 'value' ? { dataElement: x.object } : { [x.property]: x.object },
        value: en ? x.reason.en : x.reason.vi,
        errorCode: x.errorCode,
        property: x.property,
        indexes: [],
        rows: [],
      };
      groups.set(key, g);
    }
    g.indexes.push(x.index);
    g.rows.push({
      index: x.index,
      ...(x.line ? { line: x.line } : {}),
      field: x.property,
      value: x.value,
      vi: x.reason.vi,
      en: x.reason.en,
    });
  }
  const code = s.status === 'ERROR' ? 409 : 200;
  const description = en ? s.description.en : s.description.vi;
  return c.json(
    {
      httpStatus: code === 200 ? 'OK' : 'Conflict',
      httpStatusCode: code,
      status: s.status === 'SUCCESS' ? 'OK' : s.status,
      message: description,
      response: {
        responseType: 'ImportSummary' as const,
        status: s.status,
        description,
        importCount: s.importCount,
        conflicts: [...groups.values()],
        rejectedIndexes: s.rejectedIndexes,
        dataSetComplete: 'false',
        importOptions: { dryRun: s.dryRun, atomic: s.atomic, importStrategy: strategy },
      },
    },
    code,
  );
}

const MAX_BODY = 512 * 1024 * 1024;

/** An import's body and options, imported: CSV read piece by piece (large ones in bulk). */
async function runImport(c: Context<AppEnv>, atomicByDefault: boolean) {
  const actor = actorOf(c);
  const { format, bytes, opts } = await readImport(c, atomicByDefault);
  const values = c.get('services').dataValues;
  const summary =
    format === 'csv'
      ? await values.importCsvBytes(actor, bytes, opts)
      : await values.import(actor, parseDataValueSet(bytes, format), opts);
  return webMessage(c, summary, opts.strategy);
}

async function readImport(c: Context<AppEnv>, atomicByDefault: boolean) {
  const q = ImportQuery.safeParse(c.req.query());
  if (!q.success) {
    throw new AppError(
      'validation_failed',
      { vi: 'Tham số không hợp lệ', en: 'Invalid parameters' },
      { issues: q.error.issues },
    );
  }
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_BODY) {
    throw new AppError('file_invalid', {
      vi: 'Tệp quá lớn (tối đa 512 MB)',
      en: 'File too large (at most 512 MB)',
    });
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const format = formatOf(c.req.header('content-type'));
  const strategy =
    STRATEGY_ALIAS[q.data.importStrategy ?? ''] ??
    (q.data.importStrategy as ImportStrategy | undefined) ??
    'CREATE_AND_UPDATE';
  return {
    format,
    bytes,
    opts: {
      atomic: q.data.atomic === undefined ? atomicByDefault : q.data.atomic === 'true',
      dryRun: q.data.dryRun === 'true',
      strategy,
      version: q.data.version,
    },
  };
}

const ExportQuery = z.object({
  dataSet: z.string().optional(),
  dataElement: z.union([z.string(), z.array(z.string())]).optional(),
  period: z.union([z.string(), z.array(z.string())]).optional(),
  startDate: z.iso.date().optional(),
  endDate: z.iso.date().optional(),
  orgUnit: z.union([z.string(), z.array(z.string())]).optional(),
  children: z.enum(['true', 'false']).optional(),
  version: z.string().optional(),
  format: z.enum(['json', 'csv', 'xml']).optional(),
  idScheme: z
    .string()
    .transform((x) => (x.toLowerCase() === 'uid' ? ('uid' as const) : ('code' as const)))
    .optional(),
});

const list = (v: string | string[] | undefined) =>
  v === undefined ? undefined : Array.isArray(v) ? v : v.split(',');

const CONTENT_TYPE: Record<DataValueFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
};

export function dataValueRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  const importBody = {
    content: {
      'application/json': {
        schema: z.object({ dataValues: z.array(z.record(z.string(), z.unknown())) }),
      },
      'text/csv': { schema: z.string() },
      'application/xml': { schema: z.string() },
    },
  };

  // DHIS2's route, at /api/dataValueSets and at its versioned paths /api/{n}/dataValueSets.
  for (const path of ['/api/dataValueSets', '/api/:apiVersion{[0-9]{2}}/dataValueSets']) {
    app.post(path, (c) => runImport(c, false));
    app.get(path, async (c) => {
      const actor = actorOf(c);
      const q = ExportQuery.safeParse(
        c.req.queries() &&
          Object.fromEntries(
            Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
          ),
      );
      if (!q.success)
        throw new AppError(
          'validation_failed',
          { vi: 'Tham số không hợp lệ', en: 'Invalid parameters' },
          { issues: q.error.issues },
        );
      const format: DataValueFormat = q.data.format ?? formatOf(c.req.header('accept'));
      const values = await c.get('services').dataValues.export(actor, {
        dataSet: q.data.dataSet,
        dataElements: list(q.data.dataElement),
        periods: list(q.data.period),
        startDate: q.data.startDate,
        endDate: q.data.endDate,
        orgUnits: list(q.data.orgUnit),
        children: q.data.children === 'true',
        version: q.data.version,
        idScheme: q.data.idScheme,
      });
      return c.body(formatDataValueSet(values, format), 200, {
        'content-type': CONTENT_TYPE[format],
      });
    });
  }

  // Opsroom's own import: all or nothing unless atomic=false.
  app.post('/api/data/import', (c) => runImport(c, true));

  const params = [
    {
      name: 'dryRun',
      in: 'query' as const,
      schema: { type: 'boolean' as const },
      description: 'Check and count, write nothing',
    },
    {
      name: 'atomic',
      in: 'query' as const,
      schema: { type: 'boolean' as const },
      description: 'All or nothing (DHIS2 routes default to false, /api/data/import to true)',
    },
    {
      name: 'importStrategy',
      in: 'query' as const,
      schema: { type: 'string' as const, enum: [...STRATEGIES] },
    },
    {
      name: 'version',
      in: 'query' as const,
      schema: { type: 'string' as const },
      description:
        'Resolve unit codes in this hierarchy version instead of the one in force at each period',
    },
  ];
  for (const path of [
    '/api/dataValueSets',
    '/api/{apiVersion}/dataValueSets',
    '/api/data/import',
  ]) {
    app.openAPIRegistry.registerPath({
      method: 'post',
      path,
      tags: ['data values'],
      summary:
        path === '/api/data/import'
          ? 'Import data values (JSON, CSV or DXF2 XML), all or nothing by default'
          : 'Import a DHIS2 data value set (JSON, CSV or DXF2 XML); good rows are imported and bad rows reported, unless atomic=true',
      request: {
        params: path.includes('apiVersion') ? z.object({ apiVersion: z.string() }) : undefined,
        body: importBody,
      },
      parameters: params,
      responses: {
        200: {
          description: 'Import summary (SUCCESS or WARNING)',
          content: { 'application/json': { schema: WebMessage } },
        },
        409: {
          description: 'Nothing imported (ERROR)',
          content: { 'application/json': { schema: WebMessage } },
        },
        400: {
          description: 'Unreadable file',
          content: { 'application/json': { schema: ErrorResponse } },
        },
      },
    });
  }
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/dataValueSets',
    tags: ['data values'],
    summary: 'Export data values as DHIS2 does (JSON, CSV or XML by Accept or format=)',
    request: { query: ExportQuery },
    responses: { 200: { description: 'A data value set' } },
  });
  return app;
}
