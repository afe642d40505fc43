import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { AnalyticsCells } from '../contract/analytics.ts';
import { errorResponses, json } from '../contract/common.ts';
import { Dhis2AnalyticsDataValueSet, Dhis2Grid } from '../contract/dhis2.ts';
import type { Context } from 'hono';
import { AppError } from '../domain/errors.ts';
import { parsePeriod, toDhis2PeriodItem, type Period } from '../domain/period.ts';
import {
  AGGREGATION_TYPES,
  flaggedCells,
  periodLabel,
  type AggregationType,
  type AnalyticsQuery,
  type Cell,
} from '../services/analytics.service.ts';
import { tableCsv, tableXlsx, type ExportTable } from '../services/table-export.ts';
import { actorOf, type AppEnv } from './context.ts';
import { dhis2Language, wantsEnglish } from './errors.ts';

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
  let co = false;
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
      if (name === 'co' && !isFilter) {
        co = true;
        continue;
      }
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
      co,
      aggregationType: aggregationTypeOf(c.req.query('aggregationType')),
    },
    filters,
  };
}

function aggregationTypeOf(v: string | undefined): AggregationType | undefined {
  if (v === undefined) return undefined;
  const t = v.toUpperCase();
  if ((AGGREGATION_TYPES as readonly string[]).includes(t)) return t as AggregationType;
  throw new AppError(
    'validation_failed',
    {
      vi: `Kiểu tổng hợp "${v}" chưa được hỗ trợ; dùng ${AGGREGATION_TYPES.join(', ')}`,
      en: `Aggregation type "${v}" is not supported; use ${AGGREGATION_TYPES.join(', ')}`,
    },
    { aggregationType: v },
  );
}

type IdScheme = 'UID' | 'CODE' | 'NAME';

/**
 * How the answer names units, items and options: DHIS2's `outputIdScheme` (and its per-kind
 * `outputOrgUnitIdScheme`, `outputDataElementIdScheme`), UID, CODE or NAME. Without one, as
 * asked: units by uid when the question named them by uid, items as written.
 */
function idSchemes(c: Context, q: AnalyticsQuery) {
  const read = (param: string): IdScheme | undefined => {
    const v = c.req.query(param)?.toUpperCase();
    if (v === undefined) return undefined;
    if (v === 'ID' || v === 'UID') return 'UID';
    if (v === 'CODE' || v === 'NAME') return v;
    throw new AppError(
      'validation_failed',
      {
        vi: `${param}="${v}" không hợp lệ; dùng UID, CODE hoặc NAME`,
        en: `${param}="${v}" is not valid; use UID, CODE or NAME`,
      },
      { [param]: v },
    );
  };
  const general = read('outputIdScheme');
  const askedByUid = q.ou.some((o) => UID.test(o) && !/^(LEVEL|OU_GROUP|USER_ORGUNIT)/i.test(o));
  return {
    ou: read('outputOrgUnitIdScheme') ?? general ?? (askedByUid ? 'UID' : 'CODE'),
    dx: read('outputDataElementIdScheme') ?? general,
  };
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const UID = /^[A-Za-z][A-Za-z0-9]{10}$/;

/** DHIS2's default category option combo: what an element without breakdown is counted under. */
const DEFAULT_COMBO_UID = 'HllvX50cXC0';

/** A value as DHIS2 writes it: rounded to `decimals` places (6 unless asked). */
const num = (v: number | null | undefined, decimals = 6) => {
  if (v === null || v === undefined) return '';
  const f = 10 ** decimals;
  return String(Math.round(v * f) / f);
};

function decimalsOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (Number.isInteger(n) && n >= 0 && n <= 10) return n;
  throw new AppError(
    'validation_failed',
    {
      vi: 'decimals phải là số nguyên từ 0 đến 10',
      en: 'decimals must be a whole number from 0 to 10',
    },
    { decimals: v },
  );
}

/** DHIS2 writes periods with its own ids (202201, 2022W5), a date range as start_end. */
const dhis2Period = (p: Period) => toDhis2PeriodItem(p);

interface GridOptions {
  filters: Set<'pe' | 'ou'>;
  changes: boolean;
  co: boolean;
  schemes: ReturnType<typeof idSchemes>;
  decimals?: number;
}

/** How an answer names units, items and options, by the schemes asked (`idSchemes`). */
function namers(r: Result, schemes: ReturnType<typeof idSchemes>, en: boolean) {
  const units = [...r.units.values()].flat().flatMap((u) => u.members ?? [u]);
  const unitByCode = new Map(units.map((u) => [u.code, u]));
  const ouId = (code: string) => {
    const u = unitByCode.get(code);
    if (!u) return code;
    if (schemes.ou === 'UID') return u.uid ?? u.code;
    return schemes.ou === 'NAME' ? u.full_name : code;
  };
  const itemById = new Map(r.dxItems.map((d) => [d.id, d]));
  const dxId = (id: string) => {
    const d = itemById.get(id);
    if (!d || !schemes.dx) return id;
    if (schemes.dx === 'UID') return d.uid ?? id;
    if (schemes.dx === 'CODE') return d.kind === 'element' ? itemKeyOf(d) : d.code;
    return en ? d.nameEn : d.nameVi;
  };
  const optionByCode = new Map(r.meta.optionList.map((x) => [x.code, x]));
  // Options by uid when the scheme says so, or when the items were asked by uid.
  const coByUid =
    schemes.dx === 'UID' ||
    (schemes.dx === undefined && r.dxItems.some((d) => d.uid !== null && d.id === d.uid));
  const coId = (code: string) => {
    const x = optionByCode.get(code);
    if (schemes.ou !== 'UID' && !coByUid) return code;
    return code === 'default' ? DEFAULT_COMBO_UID : (x?.uid ?? code);
  };
  return { units, ouId, dxId, coId, optionByCode };
}

function dhis2Response(c: Context, r: Result, o: GridOptions) {
  return c.json(dhis2Grid(c, r, o), 200);
}

/** The answer in DHIS2's grid shape: headers, rows, metaData (for JSON and the exports). */
function dhis2Grid(c: Context, r: Result, o: GridOptions) {
  const en = wantsEnglish(c);
  const peId = new Map(r.periods.map((p) => [p.id, dhis2Period(p)]));
  const { units, ouId, dxId, coId, optionByCode } = namers(r, o.schemes, en);
  const header = (name: string, column: string, valueType = 'TEXT', meta = true) => ({
    name,
    column,
    valueType,
    type: valueType === 'NUMBER' ? 'java.lang.Double' : 'java.lang.String',
    hidden: false,
    meta,
  });
  const dims = (['dx', 'co', 'pe', 'ou'] as const).filter((d) =>
    d === 'co' ? o.co : d === 'dx' || !o.filters.has(d),
  );
  const titles = { dx: 'Data', co: 'Category option combo', pe: 'Period', ou: 'Organisation unit' };
  const v = (x: number | null | undefined) => num(x, o.decimals);
  const headers = [
    ...dims.map((d) => header(d, titles[d])),
    header('value', 'Value', 'NUMBER', false),
    ...(o.changes
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
  const column = (x: Cell, d: (typeof dims)[number]) =>
    d === 'dx'
      ? dxId(x.dx)
      : d === 'co'
        ? coId(x.co ?? 'default')
        : d === 'pe'
          ? (peId.get(x.pe) ?? x.pe)
          : ouId(x.ou);
  const rows = r.cells
    .filter((x) => x.value !== null)
    .map((x) => [
      ...dims.map((d) => column(x, d)),
      v(x.value),
      ...(o.changes
        ? [
            v(x.yoy?.pct),
            x.yoy?.source ?? '',
            v(x.pop?.pct),
            x.pop?.source ?? '',
            v(x.target?.value),
            v(x.target?.share),
            num(x.rank),
          ]
        : []),
    ]);
  const items: Record<string, { name: string; code?: string; uid?: string }> = {};
  for (const d of r.dxItems)
    items[dxId(d.id)] = { name: en ? d.nameEn : d.nameVi, code: d.code, ...uidOf(d.uid) };
  for (const p of r.asked) items[dhis2Period(p)] = { name: periodLabel(p, en) };
  for (const u of units)
    items[ouId(u.code)] ??= { name: u.full_name, code: u.code, ...uidOf(u.uid) };
  const cos = o.co ? [...new Set(r.cells.map((x) => x.co ?? 'default'))] : [];
  for (const code of cos) {
    const x = optionByCode.get(code);
    items[coId(code)] = { name: x ? (en ? x.name_en : x.name_vi) : code, code };
  }
  items.dx = { name: en ? 'Data' : 'Dữ liệu' };
  items.pe = { name: en ? 'Period' : 'Kỳ' };
  items.ou = { name: en ? 'Organisation unit' : 'Đơn vị' };
  if (o.co) items.co = { name: en ? 'Category option combo' : 'Phân tổ' };
  return {
    headers,
    metaData: {
      items,
      dimensions: {
        dx: r.dxItems.map((d) => dxId(d.id)),
        pe: r.asked.map(dhis2Period),
        ou: [...new Set(units.map((u) => ouId(u.code)))],
        co: cos.map(coId),
      },
      // Opsroom's own: the trees answered on, and the values carried across the reform
      // (DHIS2's clients ignore keys they do not know).
      opsroom: {
        trees: [...new Set(r.cells.map((x) => x.version))],
        carried: r.cells
          .filter((x) => x.carried && x.value !== null)
          .map((x) => ({
            dx: dxId(x.dx),
            pe: peId.get(x.pe) ?? x.pe,
            ou: ouId(x.ou),
            ...x.carried!,
          })),
        // Cells made of flagged values (issue 17), with why, named as the rows name them;
        // present when some cell is flagged.
        ...flagsMeta(r, dxId, peId, ouId, coId),
      },
    },
    rows,
    height: rows.length,
    width: headers.length,
    headerWidth: headers.length,
  };
}

const EXPORT_TITLES: Record<string, { vi: string; en: string }> = {
  dx: { vi: 'Chỉ tiêu', en: 'Data' },
  co: { vi: 'Phân tổ', en: 'Category option combo' },
  pe: { vi: 'Kỳ', en: 'Period' },
  ou: { vi: 'Đơn vị', en: 'Organisation unit' },
  value: { vi: 'Giá trị', en: 'Value' },
};

/** Names in a heading line: all of a few, the first ones and how many of many. */
function some(names: string[], en: boolean): string {
  if (names.length <= 6) return names.join('; ');
  return `${names.slice(0, 3).join('; ')}… (${names.length} ${en ? 'in all' : 'mục'})`;
}

/**
 * The grid as a table to write (CSV, XLSX): DHIS2's columns and rows (titles in the language
 * asked, Vietnamese or, as DHIS2 answers, English), numbers as numbers; with
 * `outputIdScheme=NAME` periods are named too, as a reader of the file wants them.
 */
function exportTable(c: Context, r: Result, o: GridOptions): ExportTable {
  const grid = dhis2Grid(c, r, o);
  const en = dhis2Language(c) === 'en';
  const names = grid.metaData.items;
  const nameOf = (id: string) => names[id]?.name ?? id;
  const peByName = c.req.query('outputIdScheme')?.toUpperCase() === 'NAME';
  const peAt = grid.headers.findIndex((h) => h.name === 'pe');
  const columns = grid.headers.map((h) => ({
    title: EXPORT_TITLES[h.name]?.[en ? 'en' : 'vi'] ?? h.column,
    numeric: h.valueType === 'NUMBER',
  }));
  const rows = grid.rows.map((row) =>
    row.map((x, j) =>
      columns[j]!.numeric ? (x === '' ? null : Number(x)) : j === peAt && peByName ? nameOf(x) : x,
    ),
  );
  const dims = grid.metaData.dimensions;
  const line = (vi: string, enText: string, ids: string[]) =>
    `${en ? enText : vi}: ${some(ids.map(nameOf), en)}`;
  const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const lastEnd =
    r.asked
      .map((p) => p.end)
      .sort()
      .at(-1) ?? today;
  return {
    heading: [
      line('Chỉ tiêu', 'Data', dims.dx),
      line('Kỳ', 'Period', dims.pe),
      line('Đơn vị', 'Organisation unit', dims.ou),
    ],
    columns,
    rows,
    sheet: en ? 'Data' : 'Số liệu',
    day: lastEnd < today ? lastEnd : today,
  };
}

/** `metaData.opsroom.flags`: the flagged cells with a value (service's `flaggedCells`). */
function flagsMeta(
  r: Result,
  dxId: (id: string) => string,
  peId: Map<string, string>,
  ouId: (code: string) => string,
  coId: (code: string) => string,
) {
  const flags = flaggedCells(r.cells.filter((x) => x.value !== null)).map((x) => ({
    ...x,
    dx: dxId(x.dx),
    pe: peId.get(x.pe) ?? x.pe,
    ou: ouId(x.ou),
    ...(x.co !== undefined ? { co: coId(x.co) } : {}),
  }));
  return flags.length ? { flags } : {};
}

const uidOf = (uid: string | null | undefined) => (uid ? { uid } : {});

/** DHIS2's `analytics/dataValueSet`: the aggregated answer as a data value set. */
function dataValueSetResponse(c: Context, r: Result, schemes: ReturnType<typeof idSchemes>) {
  const { ouId, dxId, coId } = namers(r, schemes, wantsEnglish(c));
  const peId = new Map(r.periods.map((p) => [p.id, dhis2Period(p)]));
  return c.json(
    {
      dataValues: r.cells
        .filter((x) => x.value !== null)
        .map((x) => ({
          dataElement: dxId(x.dx),
          period: peId.get(x.pe) ?? x.pe,
          orgUnit: ouId(x.ou),
          ...(x.co ? { categoryOptionCombo: coId(x.co) } : {}),
          value: num(x.value),
        })),
    },
    200,
  );
}

type Raw = Awaited<
  ReturnType<import('../services/analytics.service.ts').AnalyticsService['rawData']>
>;
type RawRow = Raw['rows'][number];

/** DHIS2's `analytics/rawData`: stored values as a grid, each at its own unit and period. */
function rawDataResponse(c: Context, raw: Raw, schemes: ReturnType<typeof idSchemes>, co: boolean) {
  const en = wantsEnglish(c);
  const byUid = schemes.ou === 'UID';
  const itemById = new Map(raw.items.map((d) => [d.id, d]));
  const dxId = (id: string) => {
    const d = itemById.get(id);
    if (!d || !schemes.dx) return id;
    if (schemes.dx === 'UID') return d.uid ?? id;
    return schemes.dx === 'NAME' ? (en ? d.nameEn : d.nameVi) : d.code;
  };
  const header = (name: string, column: string, valueType = 'TEXT') => ({
    name,
    column,
    valueType,
    type: valueType === 'NUMBER' ? 'java.lang.Double' : 'java.lang.String',
    hidden: false,
    meta: valueType !== 'NUMBER',
  });
  const headers = [
    header('dx', 'Data'),
    ...(co ? [header('co', 'Category option combo')] : []),
    header('pe', 'Period'),
    header('ou', 'Organisation unit'),
    header('value', 'Value', 'NUMBER'),
  ];
  const pe = (x: RawRow) =>
    x.type === 'range'
      ? x.pid
      : dhis2Period({
          type: x.type as Period['type'],
          id: x.pid,
          start: x.start_date,
          end: x.end_date,
        });
  const coOf = (x: RawRow) => {
    if (!byUid) return x.option_code;
    return x.option_code === 'default' ? DEFAULT_COMBO_UID : (x.option_uid ?? x.option_code);
  };
  const ou = (x: RawRow) => (byUid ? (x.unit_uid ?? x.unit_code) : x.unit_code);
  const rows = raw.rows.map((x) => [
    dxId(x.dx),
    ...(co ? [coOf(x)] : []),
    pe(x),
    ou(x),
    x.text_value,
  ]);
  const items: Record<string, { name: string }> = {};
  for (const d of raw.items) items[dxId(d.id)] = { name: en ? d.nameEn : d.nameVi };
  for (const p of raw.periods) items[dhis2Period(p)] = { name: periodLabel(p, en) };
  return c.json(
    {
      headers,
      metaData: {
        items,
        dimensions: {
          dx: raw.items.map((d) => dxId(d.id)),
          pe: raw.periods.map(dhis2Period),
          ou: [...new Set(raw.rows.map(ou))],
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

/** An element item's code form: ELEMENT or ELEMENT.OPTION. */
const itemKeyOf = (d: Extract<Result['dxItems'][number], { kind: 'element' }>) =>
  d.ref.option ? `${d.ref.element}.${d.ref.option}` : d.ref.element;

export function analyticsRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  for (const path of ['/api/analytics', '/api/:apiVersion{[0-9]{2}}/analytics']) {
    app.get(path, async (c) => {
      const actor = actorOf(c);
      const { q, filters } = parseDimensions(c);
      const changes = c.req.query('includeChanges') === 'true';
      const schemes = idSchemes(c, q);
      const decimals = decimalsOf(c.req.query('decimals'));
      const r = await c.get('services').analytics.query(actor, q, { changes });
      return dhis2Response(c, r, { filters, changes, co: q.co === true, schemes, decimals });
    });
  }
  // DHIS2's analytics.csv and analytics.xlsx: the same question, as a file (issue 19).
  for (const format of ['csv', 'xlsx'] as const) {
    for (const base of ['/api/analytics', '/api/:apiVersion{[0-9]{2}}/analytics']) {
      app.get(`${base}.${format}`, async (c) => {
        const actor = actorOf(c);
        const { q, filters } = parseDimensions(c);
        const changes = c.req.query('includeChanges') === 'true';
        const schemes = idSchemes(c, q);
        const decimals = decimalsOf(c.req.query('decimals'));
        const r = await c.get('services').analytics.query(actor, q, { changes });
        const table = exportTable(c, r, { filters, changes, co: q.co === true, schemes, decimals });
        c.header('content-disposition', 'attachment');
        c.header('x-content-type-options', 'nosniff');
        if (format === 'csv') {
          c.header('content-type', 'text/csv; charset=utf-8');
          return c.body(tableCsv(table));
        }
        c.header('content-type', XLSX_TYPE);
        return c.body(new Uint8Array(await tableXlsx(table)));
      });
    }
  }
  for (const form of ['rawData', 'dataValueSet'] as const) {
    for (const base of ['/api/analytics', '/api/:apiVersion{[0-9]{2}}/analytics']) {
      // `.json` (rawData.json) is routed here too (errors.ts: routedPath).
      app.get(`${base}/${form}`, async (c) => {
        const actor = actorOf(c);
        const { q } = parseDimensions(c);
        const schemes = idSchemes(c, q);
        const analytics = c.get('services').analytics;
        if (form === 'rawData')
          return rawDataResponse(c, await analytics.rawData(actor, q), schemes, q.co === true);
        return dataValueSetResponse(c, await analytics.query(actor, q), schemes);
      });
    }
  }
  for (const format of ['csv', 'xlsx'] as const)
    app.openAPIRegistry.registerPath({
      method: 'get',
      path: `/api/analytics.${format}`,
      tags: ['analytics'],
      summary: `DHIS2's analytics as ${format === 'csv' ? 'CSV (a header row of the columns, one row a cell; UTF-8 with a byte-order mark)' : 'an Excel workbook (a heading naming the figures, periods and units, then the columns and one row a cell; numbers as numbers)'}: the same parameters, scope and figures as /api/analytics. Column titles in Vietnamese with lang=vi, else English; outputIdScheme=NAME names figures, units and periods.`,
      request: {
        query: z.object({
          dimension: z.array(z.string()),
          filter: z.array(z.string()).optional(),
          includeChanges: z.enum(['true', 'false']).optional(),
          version: z.string().optional(),
          aggregationType: z.enum(AGGREGATION_TYPES).optional(),
          decimals: z.string().optional(),
          outputIdScheme: z.enum(['UID', 'CODE', 'NAME']).optional(),
          lang: z.enum(['vi', 'en']).optional(),
        }),
      },
      responses: {
        200: {
          description: format === 'csv' ? 'CSV' : 'XLSX workbook',
          content: { [format === 'csv' ? 'text/csv' : XLSX_TYPE]: { schema: z.string() } },
        },
        ...errorResponses,
      },
    });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/analytics/rawData',
    tags: ['analytics'],
    summary:
      "DHIS2's analytics rawData: the stored values (not aggregated) of elements under the units asked, within the periods asked, each at its own unit and period, as a grid. Up to 1,000,000 values; more is refused (413) with a pointer to /api/dataValueSets.",
    request: {
      query: z.object({
        dimension: z.array(z.string()),
        outputIdScheme: z.enum(['UID', 'CODE', 'NAME']).optional(),
      }),
    },
    responses: { 200: json(Dhis2Grid, 'DHIS2 analytics grid of stored values') },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/analytics/dataValueSet',
    tags: ['analytics'],
    summary:
      "DHIS2's analytics dataValueSet: the aggregated answer (dimension=dx, pe, ou; co) as a data value set { dataValues: [{dataElement, period, orgUnit, value}] }.",
    request: {
      query: z.object({
        dimension: z.array(z.string()),
        outputIdScheme: z.enum(['UID', 'CODE', 'NAME']).optional(),
      }),
    },
    responses: { 200: json(Dhis2AnalyticsDataValueSet, 'DHIS2 data value set') },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/analytics',
    tags: ['analytics'],
    summary:
      "DHIS2's analytics: dimension=dx:A;B, dimension=pe:202201;LAST_12_MONTHS, dimension=ou:VN;LEVEL-2 (DHIS2 counts levels from the root: LEVEL-1 is the nation), OU_GROUP-code, dimension=co (by breakdown option); filter=ou:A;B, filter=pe:A;B and filter=<breakdown>:<options> counted as one (a ratio's inputs added first); several dimensions may be comma-joined; aggregationType, decimals, outputIdScheme (units by uid when asked by uid); answers headers, rows, metaData, height, width. includeChanges=true adds year-over-year, previous-period, target and rank columns.",
    request: {
      query: z.object({
        dimension: z.array(z.string()),
        filter: z.array(z.string()).optional(),
        includeChanges: z.enum(['true', 'false']).optional(),
        version: z.string().optional(),
        aggregationType: z.enum(AGGREGATION_TYPES).optional(),
        decimals: z.string().optional(),
        outputIdScheme: z.enum(['UID', 'CODE', 'NAME']).optional(),
        outputOrgUnitIdScheme: z.enum(['UID', 'CODE', 'NAME']).optional(),
        outputDataElementIdScheme: z.enum(['UID', 'CODE', 'NAME']).optional(),
      }),
    },
    responses: { 200: json(Dhis2Grid, 'DHIS2 analytics grid') },
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
        200: json(AnalyticsCells, 'Cells'),
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
