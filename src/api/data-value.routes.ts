import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { durationMs, vnTime } from '../domain/dates.ts';
import { formatOf, type DataValueFormat } from '../domain/data-value-set.ts';
import type { ImportStrategy } from '../domain/data-value.ts';
import { AppError } from '../domain/errors.ts';
import { checkExportFormat, dataValueSetChunks } from '../services/data-value.export.ts';
import type { ImportAnswer } from '../services/data-value.service.ts';
import { actorOf, type AppEnv } from './context.ts';
import { importSummaryMessage } from './dhis2-import-summary.ts';
import { wantsEnglish } from './errors.ts';
import { ErrorResponse } from './schemas.ts';
import {
  DataValueSetExport,
  ImportSummaryWebMessage,
  type ImportConflict,
} from '../contract/data-value.ts';

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

/**
 * DHIS2's id schemes (UID, CODE, NAME; any case). Opsroom reads codes and uids alike whichever
 * is named; NAME is read for data elements (their English or Vietnamese name).
 */
const IdScheme = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(['uid', 'code', 'name']));

const ImportQuery = z.object({
  dryRun: z.enum(['true', 'false']).optional(),
  atomic: z.enum(['true', 'false']).optional(),
  importStrategy: z.enum(STRATEGIES).optional(),
  version: z.string().optional(),
  idScheme: IdScheme.optional(),
  dataElementIdScheme: IdScheme.optional(),
  orgUnitIdScheme: IdScheme.optional(),
  categoryOptionComboIdScheme: IdScheme.optional(),
  /** The data set of the values (CSV has no header); a set's own `dataSet` comes first. */
  dataSet: z.string().optional(),
  /** Opsroom's: as a set's `completeDate` (`true`, `false` or a date) when it gives none. */
  dataSetComplete: z.string().optional(),
  /** Opsroom's: refuse the whole import when its values break a HIGH validation rule. */
  refuseOnHighViolation: z.enum(['true', 'false']).optional(),
});

/** DHIS2 wraps an import summary in a web message: 200 for SUCCESS and WARNING, 409 for ERROR. */
function webMessage(
  c: Context,
  s: ImportAnswer,
  opts: { strategy: string; dataSet?: string; dataSetComplete?: string },
) {
  const en = wantsEnglish(c);
  const groups = new Map<string, ImportConflict>();
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
    // A conflict about the whole payload (an unknown data set) names no row.
    if (x.index >= 0) g.indexes.push(x.index);
    g.rows.push({
      index: x.index,
      ...(x.line ? { line: x.line } : {}),
      field: x.property,
      value: x.value,
      vi: x.reason.vi,
      en: x.reason.en,
    });
  }
  const description = en ? s.description.en : s.description.vi;
  const { code, body } = importSummaryMessage(
    s,
    description,
    [...groups.values()],
    s.rejectedIndexes,
    {
      // The day the data set was registered complete on, as DHIS2 answers it.
      dataSetComplete: s.dataSetComplete ?? 'false',
      // Opsroom's: the validation rules the values break (issue 17), when any.
      ...(s.validation ? { validationViolations: s.validation } : {}),
      importOptions: {
        dryRun: s.dryRun,
        atomic: s.atomic,
        importStrategy: opts.strategy,
        ...(opts.dataSet === undefined ? {} : { dataSet: opts.dataSet }),
        ...(opts.dataSetComplete === undefined ? {} : { dataSetComplete: opts.dataSetComplete }),
      },
    },
  );
  return c.json(body, code);
}

/** The types an import reads; anything else is refused with 415 before the body is read. */
const IMPORT_TYPES: Record<string, DataValueFormat> = {
  'application/json': 'json',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/adx+xml': 'adx',
};

/** The format named by an import's Content-Type (none: JSON, as before), or a 415. */
function importFormat(contentType: string | undefined): DataValueFormat {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === '') return 'json';
  const format =
    IMPORT_TYPES[media] ??
    (media.endsWith('+json') ? 'json' : media.endsWith('+xml') ? 'xml' : undefined);
  if (format) return format;
  const accepted = Object.keys(IMPORT_TYPES).join(', ');
  throw new AppError(
    'unsupported_media_type',
    {
      vi: `Không nhập được nội dung kiểu "${media}": chỉ nhận ${accepted}`,
      en: `Cannot import content of type "${media}": only ${accepted}`,
    },
    { contentType: media, accepted: Object.keys(IMPORT_TYPES) },
  );
}

/** The request body, piece by piece, as it arrives (counted by the body limit). */
async function* bodyChunks(c: Context<AppEnv>): AsyncGenerator<Uint8Array> {
  const body = c.req.raw.body;
  if (!body) return;
  const reader = body.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    reader.releaseLock();
  }
}

/**
 * An import's body and options, imported. CSV is streamed to its reader as it arrives (see
 * `DataValueService.importCsvStream`); JSON and XML are read whole, up to their body limit.
 */
async function runImport(c: Context<AppEnv>, atomicByDefault: boolean) {
  const actor = actorOf(c);
  const { format, opts } = readImport(c, atomicByDefault);
  const values = c.get('services').dataValues;
  let summary: ImportAnswer;
  if (format === 'csv') {
    const declared = c.req.header('content-length');
    summary = await values.importCsvStream(actor, bodyChunks(c), opts, {
      size: declared === undefined ? undefined : Number(declared),
    });
  } else {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    summary = await values.importBody(actor, bytes, format, opts);
  }
  return webMessage(c, summary, opts);
}

/** An import's format and options, checked before a byte of its body is read. */
function readImport(c: Context<AppEnv>, atomicByDefault: boolean) {
  const q = ImportQuery.safeParse(c.req.query());
  if (!q.success) {
    throw new AppError(
      'validation_failed',
      { vi: 'Tham số không hợp lệ', en: 'Invalid parameters' },
      { issues: q.error.issues },
    );
  }
  const format = importFormat(c.req.header('content-type'));
  const strategy =
    STRATEGY_ALIAS[q.data.importStrategy ?? ''] ??
    (q.data.importStrategy as ImportStrategy | undefined) ??
    'CREATE_AND_UPDATE';
  for (const scheme of ['orgUnitIdScheme', 'categoryOptionComboIdScheme'] as const) {
    if (q.data[scheme] === 'name') {
      throw new AppError(
        'validation_failed',
        {
          vi: `${scheme}=NAME chưa được hỗ trợ: hãy dùng mã (CODE) hoặc uid (UID)`,
          en: `${scheme}=NAME is not supported: use codes (CODE) or uids (UID)`,
        },
        { [scheme]: 'NAME' },
      );
    }
  }
  return {
    format,
    opts: {
      atomic: q.data.atomic === undefined ? atomicByDefault : q.data.atomic === 'true',
      dryRun: q.data.dryRun === 'true',
      strategy,
      version: q.data.version,
      dataElementIdScheme: q.data.dataElementIdScheme ?? q.data.idScheme,
      dataSet: q.data.dataSet,
      dataSetComplete: q.data.dataSetComplete,
      refuseOnHighViolation: q.data.refuseOnHighViolation === 'true',
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
  format: z.enum(['json', 'csv', 'xml', 'adx']).optional(),
  limit: z.coerce.number().int().min(1).optional().openapi({
    description:
      'At most this many values; said in the Opsroom-Limit header and, in JSON, the fields limit and truncated. Without it, every value.',
  }),
  idScheme: z
    .string()
    .transform((x) => (x.toLowerCase() === 'uid' ? ('uid' as const) : ('code' as const)))
    .optional(),
  includeDeleted: z.enum(['true', 'false']).optional().openapi({
    description:
      'Deleted values too, each with deleted=true (a CSV gets a deleted column); not with ADX',
  }),
  lastUpdated: z
    .union([z.iso.date(), z.iso.datetime({ offset: true, local: true })])
    .optional()
    .openapi({ description: 'Only values stored, changed or deleted at or after this time' }),
  lastUpdatedDuration: z.string().optional().openapi({
    description:
      'Only values stored, changed or deleted within this span before now: 10d, 2h, 30m, 45s',
  }),
});

/** The time an export's lastUpdated or lastUpdatedDuration names, checked. */
function updatedSince(now: Date, at?: string, duration?: string): Date | undefined {
  if (duration !== undefined) {
    const ms = durationMs(duration);
    if (ms === undefined)
      throw new AppError(
        'validation_failed',
        {
          vi: `Khoảng thời gian không hợp lệ: "${duration}" (ví dụ 10d, 2h, 30m, 45s)`,
          en: `Invalid lastUpdatedDuration: "${duration}" (for example 10d, 2h, 30m, 45s)`,
        },
        { lastUpdatedDuration: duration },
      );
    return new Date(now.getTime() - ms);
  }
  return at === undefined ? undefined : vnTime(at);
}

const list = (v: string | string[] | undefined) =>
  v === undefined ? undefined : Array.isArray(v) ? v : v.split(',');

/**
 * A response body pulled piece by piece: the next page is read only when the connection has
 * taken the last one, and a client that goes away stops the reading.
 */
function bodyStream(chunks: AsyncGenerator<string | Buffer>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      // Each pull must enqueue or close: a pull that does neither is never called again.
      async pull(controller) {
        for (;;) {
          const next = await chunks.next();
          if (next.done) return controller.close();
          if (next.value.length) {
            const v = next.value;
            return controller.enqueue(typeof v === 'string' ? Buffer.from(v, 'utf8') : v);
          }
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

const CONTENT_TYPE: Record<DataValueFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  adx: 'application/adx+xml; charset=utf-8',
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
      'application/adx+xml': { schema: z.string() },
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
      const includeDeleted = q.data.includeDeleted === 'true';
      checkExportFormat(format, includeDeleted);
      // Checked before the first byte: a bad query is still a clean 4xx JSON error.
      const run = await c.get('services').dataValues.openExport(actor, {
        dataSet: q.data.dataSet,
        dataElements: list(q.data.dataElement),
        periods: list(q.data.period),
        startDate: q.data.startDate,
        endDate: q.data.endDate,
        orgUnits: list(q.data.orgUnit),
        children: q.data.children === 'true',
        version: q.data.version,
        idScheme: q.data.idScheme,
        limit: q.data.limit,
        includeDeleted,
        lastUpdated: updatedSince(
          c.get('services').clock(),
          q.data.lastUpdated,
          q.data.lastUpdatedDuration,
        ),
      });
      return c.body(bodyStream(dataValueSetChunks(run, format)), 200, {
        'content-type': CONTENT_TYPE[format],
        ...(run.limit === undefined ? {} : { 'opsroom-limit': String(run.limit) }),
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
    {
      name: 'dataElementIdScheme',
      in: 'query' as const,
      schema: { type: 'string' as const, enum: ['UID', 'CODE', 'NAME'] },
      description:
        'NAME: data elements by their name; otherwise by code or uid (both are read). idScheme=NAME applies to data elements only',
    },
    {
      name: 'dataSet',
      in: 'query' as const,
      schema: { type: 'string' as const },
      description:
        'The data set the values are checked against (CSV has no header); a set that names its own data set keeps it',
    },
    {
      name: 'dataSetComplete',
      in: 'query' as const,
      schema: { type: 'string' as const },
      description:
        "Opsroom's: true or a date registers the data set complete for the set's period and orgUnit, as the set's completeDate does when it gives none",
    },
    {
      name: 'refuseOnHighViolation',
      in: 'query' as const,
      schema: { type: 'boolean' as const },
      description:
        "Opsroom's: refuse the whole import when its values break a HIGH validation rule (by default violations are reported in validationViolations and the values kept)",
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
          ? 'Import data values (JSON, CSV, DXF2 XML or ADX), all or nothing by default'
          : 'Import a DHIS2 data value set (JSON, CSV, DXF2 XML or ADX); good rows are imported and bad rows reported, unless atomic=true',
      request: {
        params: path.includes('apiVersion') ? z.object({ apiVersion: z.string() }) : undefined,
        body: importBody,
      },
      parameters: params,
      responses: {
        200: {
          description: 'Import summary (SUCCESS or WARNING)',
          content: { 'application/json': { schema: ImportSummaryWebMessage } },
        },
        409: {
          description: 'Nothing imported (ERROR)',
          content: { 'application/json': { schema: ImportSummaryWebMessage } },
        },
        400: {
          description: 'Unreadable file',
          content: { 'application/json': { schema: ErrorResponse } },
        },
        413: {
          description: 'Too large: CSV at most 512 MB, JSON, XML and ADX at most 64 MB',
          content: { 'application/json': { schema: ErrorResponse } },
        },
        415: {
          description: 'Not JSON, CSV, XML or ADX',
          content: { 'application/json': { schema: ErrorResponse } },
        },
      },
    });
  }
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/dataValueSets',
    tags: ['data values'],
    summary: 'Export data values as DHIS2 does (JSON, CSV, XML or ADX by Accept or format=)',
    request: { query: ExportQuery },
    responses: {
      200: {
        description: 'A data value set (JSON described; CSV, XML and ADX as DHIS2 writes them)',
        content: {
          'application/json': { schema: DataValueSetExport },
          'text/csv': { schema: z.string() },
          'application/xml': { schema: z.string() },
          'application/adx+xml': { schema: z.string() },
        },
      },
    },
  });
  return app;
}
