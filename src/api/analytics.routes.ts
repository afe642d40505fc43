import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../domain/errors.ts';
import { parsePeriod, toDhis2Id, type Period } from '../domain/period.ts';
import { periodLabel, type AnalyticsQuery, type Cell } from '../services/analytics.service.ts';
import { actorOf, type AppEnv } from './context.ts';
import { wantsEnglish } from './errors.ts';
import { errorResponses, json } from './schemas.ts';

type Result = Awaited<
  ReturnType<import('../services/analytics.service.ts').AnalyticsService['query']>
>;

/**
 * DHIS2's `dimension=dx:A;B` and `filter=ou:X` parameters, into one query. Several dimensions
 * may come in one parameter, comma-joined (`dimension=dx:A,pe:B`), as DHIS2's client sends
 * them. A filter on any other name is a breakdown (DHIS2's category) and its options.
 */
function parseDimensions(c: Context): { q: AnalyticsQuery; filters: Set<'pe' | 'ou'> } {
  const dims = new Map<string, string[]>();
  const filters = new Set<'pe' | 'ou'>();
  const breakdowns: { breakdown: string; options: string[] }[] = [];
  const take = (param: string, isFilter: boolean) => {
    for (const d of (c.req.queries(param) ?? []).flatMap((x) => x.split(','))) {
      const i = d.indexOf(':');
      const name = i < 0 ? d : d.slice(0, i);
      const items =
        i < 0
          ? []
          : d
              .slice(i + 1)
              .split(';')
              .filter(Boolean);
      if (!['dx', 'pe', 'ou'].includes(name)) {
        if (isFilter && name && items.length) {
          breakdowns.push({ breakdown: name, options: items });
          continue;
        }
        throw new AppError(
          'validation_failed',
          {
            vi: `Chiều "${name}" chưa được hỗ trợ; dùng dx, pe, ou, hoặc một phân tổ làm bộ lọc`,
            en: `Dimension "${name}" is not supported; use dx, pe, ou, or a breakdown as a filter`,
          },
          { dimension: name },
        );
      }
      dims.set(name, [...(dims.get(name) ?? []), ...items]);
      if (isFilter && name !== 'dx') filters.add(name as 'pe' | 'ou');
    }
  };
  take('dimension', false);
  take('filter', true);
  return {
    q: {
      dx: dims.get('dx') ?? [],
      pe: dims.get('pe') ?? [],
      ou: dims.get('ou') ?? [],
      version: c.req.query('version'),
      filters: [...filters],
      breakdowns,
    },
    filters,
  };
}

const num = (v: number | null | undefined) =>
  v === null || v === undefined ? '' : String(Math.round(v * 1e6) / 1e6);

/** DHIS2 writes periods with its own ids (202201, 2022W5); a date range keeps ours. */
const dhis2Period = (p: Period) => (p.type === 'range' ? p.id : toDhis2Id(p));

function dhis2Response(
  c: Context,
  r: Result,
  cells: Cell[],
  filters: Set<'pe' | 'ou'>,
  changes: boolean,
) {
  const en = wantsEnglish(c);
  const peId = new Map(r.periods.map((p) => [p.id, dhis2Period(p)]));
  const header = (name: string, column: string, valueType = 'TEXT', meta = true) => ({
    name,
    column,
    valueType,
    type: valueType === 'NUMBER' ? 'java.lang.Double' : 'java.lang.String',
    hidden: false,
    meta,
  });
  const dims = (['dx', 'pe', 'ou'] as const).filter((d) => d === 'dx' || !filters.has(d));
  const headers = [
    ...dims.map((d) => header(d, { dx: 'Data', pe: 'Period', ou: 'Organisation unit' }[d])),
    header('value', 'Value', 'NUMBER', false),
    ...(changes
      ? [
          header(
            'yoy',
            en ? 'Change vs same period last year (%)' : 'So với cùng kỳ (%)',
            'NUMBER',
            false,
          ),
          header('yoysource', en ? 'Year-over-year source' : 'Nguồn so sánh cùng kỳ'),
          header(
            'pop',
            en ? 'Change vs previous period (%)' : 'So với kỳ trước (%)',
            'NUMBER',
            false,
          ),
          header('popsource', en ? 'Previous-period source' : 'Nguồn so sánh kỳ trước'),
          header('target', en ? 'Target' : 'Mục tiêu', 'NUMBER', false),
          header(
            'targetshare',
            en ? 'Share of target (%)' : 'Đạt so với mục tiêu (%)',
            'NUMBER',
            false,
          ),
          header('rank', en ? 'Rank' : 'Xếp hạng', 'NUMBER', false),
        ]
      : []),
  ];
  const rows = cells
    .filter((x) => x.value !== null)
    .map((x) => [
      ...dims.map((d) => (d === 'pe' ? (peId.get(x.pe) ?? x.pe) : x[d])),
      num(x.value),
      ...(changes
        ? [
            num(x.yoy?.pct),
            x.yoy?.source ?? '',
            num(x.pop?.pct),
            x.pop?.source ?? '',
            num(x.target?.value),
            num(x.target?.share),
            num(x.rank),
          ]
        : []),
    ]);
  const items: Record<string, { name: string; code?: string }> = {};
  for (const d of r.dxItems) items[d.id] = { name: en ? d.nameEn : d.nameVi, code: d.code };
  for (const p of r.asked) items[dhis2Period(p)] = { name: periodLabel(p, en) };
  const units = [...r.units.values()].flat().flatMap((u) => u.members ?? [u]);
  for (const u of units) items[u.code] ??= { name: u.full_name, code: u.code };
  items.dx = { name: en ? 'Data' : 'Dữ liệu' };
  items.pe = { name: en ? 'Period' : 'Kỳ' };
  items.ou = { name: en ? 'Organisation unit' : 'Đơn vị' };
  return c.json(
    {
      headers,
      metaData: {
        items,
        dimensions: {
          dx: r.dxItems.map((d) => d.id),
          pe: r.asked.map(dhis2Period),
          ou: [...new Set(units.map((u) => u.code))],
          co: [],
        },
      },
      rows,
      height: rows.length,
      width: headers.length,
      headerWidth: headers.length,
    },
    200,
  );
}

const ChangeSchema = z
  .object({
    pct: z.number().nullable(),
    previous: z.number().nullable(),
    source: z.enum(['computed', 'reported']).openapi({
      description: 'computed from two values in the system, or as the source reported it',
    }),
    period: z.string(),
  })
  .openapi('Change');

const CellSchema = z
  .object({
    dx: z.string(),
    pe: z.string(),
    ou: z.string(),
    version: z.string(),
    value: z.number().nullable(),
    yoy: ChangeSchema.optional().openapi({ description: 'Against the same period last year' }),
    pop: ChangeSchema.optional().openapi({ description: 'Against the previous period' }),
    target: z
      .object({ value: z.number(), due: z.string(), share: z.number().nullable() })
      .optional(),
    rank: z.number().optional(),
  })
  .openapi('AnalyticsCell');

export function analyticsRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  for (const path of ['/api/analytics', '/api/:apiVersion{[0-9]{2}}/analytics']) {
    app.get(path, async (c) => {
      const actor = actorOf(c);
      const { q, filters } = parseDimensions(c);
      const changes = c.req.query('includeChanges') === 'true';
      const r = await c.get('services').analytics.query(actor, q, { changes });
      return dhis2Response(c, r, r.cells, filters, changes);
    });
  }
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/analytics',
    tags: ['analytics'],
    summary:
      "DHIS2's analytics: dimension=dx:A;B, dimension=pe:202201;LAST_12_MONTHS, dimension=ou:VN;LEVEL-2 (DHIS2 counts levels from the root: LEVEL-1 is the nation), OU_GROUP-code, filter=ou:…; answers headers, rows, metaData, height, width. includeChanges=true adds year-over-year, previous-period, target and rank columns.",
    request: {
      query: z.object({
        dimension: z.array(z.string()),
        filter: z.array(z.string()).optional(),
        includeChanges: z.enum(['true', 'false']).optional(),
        version: z.string().optional(),
      }),
    },
    responses: { 200: { description: 'DHIS2 analytics grid' } },
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/analytics/query',
      tags: ['analytics'],
      summary:
        'Values with the change against the same period last year and the previous period, share of target and rank',
      request: {
        query: z.object({
          dx: z.string().openapi({
            description: 'Comma-separated element and indicator codes',
            example: 'CYBERATTACKS',
          }),
          pe: z.string().openapi({
            description: 'Comma-separated periods or keywords',
            example: '2022-01,LAST_12_MONTHS',
          }),
          ou: z.string().optional().openapi({
            description: 'Comma-separated unit codes, LEVEL-n, OU_GROUP-x',
            example: 'VN',
          }),
          version: z.string().optional(),
        }),
      },
      responses: {
        200: json(
          z.object({
            items: z.array(CellSchema),
            periods: z.array(z.object({ id: z.string(), label: z.string() })),
          }),
          'Cells',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('query');
      const split = (s?: string) =>
        s
          ? s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean)
          : [];
      const r = await c
        .get('services')
        .analytics.query(
          actorOf(c),
          { dx: split(p.dx), pe: split(p.pe), ou: split(p.ou), version: p.version },
          { changes: true },
        );
      const en = wantsEnglish(c);
      return c.json(
        {
          items: r.cells,
          periods: r.periods.map((x) => ({ id: x.id, label: periodLabel(parsePeriod(x.id), en) })),
        },
        200,
      );
    },
  );
  return app;
}
