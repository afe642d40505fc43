import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ErrorResponse } from '../contract/common.ts';
import { Registration, RegistrationImportSummary } from '../contract/dhis2.ts';
import type { Context } from 'hono';
import { parseFlag } from '../domain/data-value.ts';
import { AppError } from '../domain/errors.ts';
import { textOf } from '../domain/text.ts';
import type {
  RegistrationInput,
  RegistrationStrategy,
  RegistrationSummary,
} from '../services/registration.service.ts';
import { actorOf, type AppEnv } from './context.ts';
import { importSummaryMessage } from './dhis2-import-summary.ts';
import { dhis2Language } from './errors.ts';

/**
 * DHIS2's complete data set registrations, at /api/completeDataSetRegistrations and
 * /api/{version}/…: POST in DHIS2's shape (answering an import summary), GET by data set,
 * period or dates, unit (and its children), DELETE (uncomplete). A registration counts in
 * completeness (reporting.service.ts).
 */

const PATHS = [
  '/api/completeDataSetRegistrations',
  '/api/:apiVersion{[0-9]{2}}/completeDataSetRegistrations',
];

const service = (c: Context<AppEnv>) => c.get('services').registrations;

/** A parameter given repeated, comma-joined, or both. */
const many = (c: Context<AppEnv>, ...names: string[]): string[] =>
  names.flatMap((n) => (c.req.queries(n) ?? []).flatMap((v) => v.split(',')).filter(Boolean));

const STRATEGY: Record<string, RegistrationStrategy> = {
  CREATE_AND_UPDATE: 'CREATE_AND_UPDATE',
  NEW_AND_UPDATES: 'CREATE_AND_UPDATE',
  CREATE: 'CREATE',
  NEW: 'CREATE',
  UPDATE: 'UPDATE',
  UPDATES: 'UPDATE',
  DELETE: 'DELETE',
};

const invalid = (vi: string, en: string, details?: unknown) =>
  new AppError('validation_failed', { vi, en }, details);

/** DHIS2 wraps the import summary in a web message: 200 for SUCCESS and WARNING, 409 for ERROR. */
function webMessage(c: Context<AppEnv>, s: RegistrationSummary) {
  const lang = dhis2Language(c);
  const n = s.importCount;
  const description =
    lang === 'vi'
      ? `${s.dryRun ? 'Chạy thử: ' : ''}ghi mới ${n.imported}, cập nhật ${n.updated}, bỏ qua ${n.ignored}, xoá ${n.deleted}`
      : `${s.dryRun ? 'Dry run: ' : ''}imported ${n.imported}, updated ${n.updated}, ignored ${n.ignored}, deleted ${n.deleted}`;
  const { code, body } = importSummaryMessage(
    s,
    description,
    s.conflicts.map((x) => ({
      object: x.object,
      objects: { [x.property]: x.object },
      value: x.reason[lang],
      errorCode: x.errorCode,
      property: x.property,
      indexes: [x.index],
    })),
    [...new Set(s.conflicts.map((x) => x.index))],
    { importOptions: { dryRun: s.dryRun, importStrategy: s.strategy } },
  );
  return c.json(body, code);
}

/** The registrations of a body (`{completeDataSetRegistrations:[…]}`, or one registration). */
function rowsOf(body: unknown): RegistrationInput[] {
  const doc = body as { completeDataSetRegistrations?: unknown } | null;
  const list = Array.isArray(doc?.completeDataSetRegistrations)
    ? doc.completeDataSetRegistrations
    : doc && typeof doc === 'object' && 'dataSet' in doc
      ? [doc]
      : undefined;
  if (!list)
    throw invalid(
      'Thiếu danh sách "completeDataSetRegistrations"',
      'No "completeDataSetRegistrations" list',
    );
  const str = (v: unknown) => (v === undefined || v === null ? undefined : textOf(v));
  // DHIS2 names an object by {id} or by its uid; both are read.
  const ref = (v: unknown) =>
    v && typeof v === 'object' ? str((v as { id?: unknown }).id) : str(v);
  return list.map((x: Record<string, unknown>) => ({
    dataSet: ref(x?.dataSet),
    period: ref(x?.period),
    organisationUnit: ref(x?.organisationUnit ?? x?.orgUnit),
    attributeOptionCombo: ref(x?.attributeOptionCombo),
    completed: typeof x?.completed === 'boolean' ? x.completed : (str(x?.completed) ?? undefined),
  }));
}

export function dhis2RegistrationRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  for (const path of PATHS) {
    app.post(path, async (c) => {
      const q = c.req.query();
      const strategy = STRATEGY[(q.importStrategy ?? 'CREATE_AND_UPDATE').toUpperCase()];
      if (!strategy)
        throw invalid(
          `importStrategy không hợp lệ: ${q.importStrategy}`,
          `Invalid importStrategy: ${q.importStrategy}`,
        );
      let body: unknown;
      try {
        body = JSON.parse((await c.req.text()) || 'null');
      } catch {
        throw new AppError('bad_request', {
          vi: 'Nội dung JSON gửi lên không hợp lệ: sai cú pháp hoặc bị cắt cụt',
          en: 'Malformed JSON in the request body: a syntax error or cut short',
        });
      }
      const summary = await service(c).import(actorOf(c), rowsOf(body), {
        strategy,
        dryRun: parseFlag(q.dryRun),
      });
      return webMessage(c, summary);
    });

    app.get(path, async (c) => {
      const q = c.req.query();
      const registrations = await service(c).list(actorOf(c), {
        dataSets: many(c, 'dataSet'),
        periods: many(c, 'period'),
        startDate: q.startDate,
        endDate: q.endDate,
        orgUnits: many(c, 'orgUnit'),
        children: parseFlag(q.children),
      });
      return c.json({ completeDataSetRegistrations: registrations }, 200);
    });

    app.delete(path, async (c) => {
      const q = c.req.query();
      const dataSets = many(c, 'ds', 'dataSet');
      const periods = many(c, 'pe', 'period');
      const orgUnit = q.ou ?? q.orgUnit;
      if (!dataSets.length || !periods.length || !orgUnit)
        throw invalid('Cần tham số ds, pe và ou', 'Parameters ds, pe and ou are required');
      if (parseFlag(q.multiOu))
        throw invalid(
          'multiOu chưa được hỗ trợ: xoá từng đơn vị',
          'multiOu is not supported: delete unit by unit',
        );
      const cp = q.cp?.split(';').filter(Boolean);
      await service(c).remove(actorOf(c), {
        dataSets,
        periods,
        orgUnit,
        attributeOptionCombo: q.aoc ?? q.attributeOptionCombo,
        attribute: q.cc && cp?.length ? { combo: q.cc, options: cp } : undefined,
      });
      return c.body(null, 204);
    });
  }

  for (const path of [
    '/api/completeDataSetRegistrations',
    '/api/{apiVersion}/completeDataSetRegistrations',
  ]) {
    const request = path.includes('apiVersion')
      ? { params: z.object({ apiVersion: z.string() }) }
      : {};
    const errors = {
      403: {
        description: 'Not permitted, or a unit outside your scope',
        content: { 'application/json': { schema: ErrorResponse } },
      },
    };
    app.openAPIRegistry.registerPath({
      method: 'post',
      path,
      tags: ['reporting'],
      summary:
        'Register data sets complete for periods at units (DHIS2’s shape); counted in completeness',
      request: {
        ...request,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                completeDataSetRegistrations: z.array(
                  z.object({
                    dataSet: z.string(),
                    period: z.string(),
                    organisationUnit: z.string(),
                    attributeOptionCombo: z.string().optional(),
                    completed: z.boolean().optional(),
                  }),
                ),
              }),
            },
          },
        },
      },
      parameters: [
        { name: 'importStrategy', in: 'query', schema: { type: 'string' } },
        { name: 'dryRun', in: 'query', schema: { type: 'boolean' } },
      ],
      responses: {
        200: {
          description: 'Import summary (SUCCESS or WARNING)',
          content: { 'application/json': { schema: RegistrationImportSummary } },
        },
        409: {
          description: 'Nothing registered (ERROR)',
          content: { 'application/json': { schema: RegistrationImportSummary } },
        },
        ...errors,
      },
    });
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      tags: ['reporting'],
      summary: 'Registrations of data sets for periods at units (and their children)',
      request,
      parameters: ['dataSet', 'period', 'startDate', 'endDate', 'orgUnit', 'children'].map(
        (name) => ({ name, in: 'query' as const, schema: { type: 'string' as const } }),
      ),
      responses: {
        200: {
          description: 'Registrations',
          content: {
            'application/json': {
              schema: z.object({ completeDataSetRegistrations: z.array(Registration) }),
            },
          },
        },
        ...errors,
      },
    });
    app.openAPIRegistry.registerPath({
      method: 'delete',
      path,
      tags: ['reporting'],
      summary: 'Remove registrations (DHIS2’s uncomplete): ds, pe, ou, and cc + cp or aoc',
      request,
      parameters: ['ds', 'pe', 'ou', 'cc', 'cp', 'aoc'].map((name) => ({
        name,
        in: 'query' as const,
        schema: { type: 'string' as const },
      })),
      responses: { 204: { description: 'Removed' }, ...errors },
    });
  }
  return app;
}
