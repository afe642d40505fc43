import type { ExportFilter, ExportKeys, ExportRow, PageFlags } from '../db/data-value.repo.ts';
import type { Store } from '../db/store.ts';
import { can, isRootScope, type Actor } from '../domain/access.ts';
import { isNumericType } from '../domain/data-value.ts';
import { versionAt } from '../domain/hierarchy.ts';
import {
  DataValueSetWriter,
  type DataValueFormat,
  type DataValueOut,
} from '../domain/data-value-set.ts';
import { AppError, errors } from '../domain/errors.ts';
import { parsePeriod, toDhis2Id } from '../domain/period.ts';
import type { HierarchyService } from './hierarchy.service.ts';
import { flaggedKeys, ValueFlagService } from './value-flag.service.ts';

/** Rows read per page of an export (memory is bounded by a page, whatever the export's size). */
export const EXPORT_PAGE = 20_000;

export interface ExportQuery {
  dataElements?: string[];
  dataSet?: string;
  periods?: string[];
  startDate?: string;
  endDate?: string;
  orgUnits?: string[];
  children?: boolean;
  version?: string;
  /** At most this many values; without it, every value the filter keeps (no hidden cap). */
  limit?: number;
  /** 'uid' writes DHIS2 uids where the metadata has them (DHIS2's default), 'code' our codes. */
  idScheme?: 'code' | 'uid';
  /** Deleted values too, each marked `deleted` (DHIS2's includeDeleted). */
  includeDeleted?: boolean;
  /** Only values stored, changed or deleted at or after this time (DHIS2's lastUpdated). */
  lastUpdated?: Date;
  /** Rows per page read from the database (tests make it small). */
  pageSize?: number;
}

/** An export under way: its values a page at a time, read as they are consumed. */
export interface ValueExport {
  pages: AsyncGenerator<DataValueOut[]>;
  /**
   * On the server engine: the same values as CSV lines (after the header), built by
   * PostgreSQL and copied out (`COPY … TO STDOUT`), byte for byte what `DataValueSetWriter`
   * writes from `pages`. Read either this or `pages`, not both.
   */
  csvLines?: () => AsyncGenerator<Buffer>;
  /** The limit asked for, if any. */
  limit?: number;
  /** The data set asked for, as given (ADX names it on each group). */
  dataSet?: string;
  /** Deleted values included (the CSV then has a `deleted` column). */
  includeDeleted: boolean;
  /** Whether an element, as the export names it, holds numbers (ADX writes others in <annotation>). */
  numeric(dataElement: string): boolean;
  /** Values handed out so far. */
  count(): number;
  /** Once the pages are read: the limit was reached and more values match. */
  truncated(): boolean;
}

/**
 * Checks the query (an unknown element, data set or unit is a clear error before any value is
 * read) and returns the export, which reads the database page by page as it is consumed.
 */
export async function openExport(
  store: Store,
  hierarchy: HierarchyService,
  actor: Actor,
  q: ExportQuery,
): Promise<ValueExport> {
  if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
  if (q.limit !== undefined && !(Number.isInteger(q.limit) && q.limit >= 1)) {
    throw new AppError('validation_failed', {
      vi: 'Giới hạn phải là số nguyên dương',
      en: 'The limit must be a positive whole number',
    });
  }
  const repo = store.repos.dataValues;
  const lookups = await repo.lookups();
  let elementIds: number[] | undefined;
  if (q.dataElements?.length) {
    elementIds = q.dataElements.map((c) => {
      const e = lookups.elements.get(c);
      if (!e)
        throw new AppError('validation_failed', {
          vi: `Không có chỉ tiêu "${c}"`,
          en: `Unknown data element "${c}"`,
        });
      return e.id;
    });
  }
  if (q.dataSet) {
    const dataSetId = await repo.dataSetId(q.dataSet);
    if (dataSetId === undefined)
      throw new AppError('validation_failed', {
        vi: `Không có bộ dữ liệu "${q.dataSet}"`,
        en: `Unknown data set "${q.dataSet}"`,
      });
    const ids = [...lookups.dataSetsOf]
      .filter(([, sets]) => sets.some((x) => x.id === dataSetId))
      .map(([id]) => id);
    elementIds = elementIds ? elementIds.filter((id) => ids.includes(id)) : ids;
  }
  const periodIds = q.periods?.map((p) => parsePeriod(p).id);
  const root = isRootScope(actor.scope);
  const limit = q.limit;
  let count = 0;
  let truncated = false;
  const filter: ExportFilter = {
    elementIds,
    periodIds,
    periodFrom: q.startDate,
    periodTo: q.endDate,
    version: q.version,
    scopePath: root ? null : actor.scope.path,
    scopeVersion: root ? null : actor.scope.version,
    includeDeleted: q.includeDeleted,
    updatedSince: q.lastUpdated,
  };
  const keys = await repo.exportKeys(filter);
  if (q.orgUnits?.length) await unitFilter(store, hierarchy, q, keys, filter);
  const pageSize = q.pageSize ?? EXPORT_PAGE;
  const scheme = q.idScheme ?? 'code';
  const periodId = dhis2PeriodIds(keys);
  const flags = await pageFlags(store, filter);
  async function* pages(): AsyncGenerator<DataValueOut[]> {
    const rows = repo.exportPages(filter, keys, {
      pageSize,
      // One row past the limit tells whether more values match.
      limit: limit === undefined ? undefined : limit + 1,
      flags,
    });
    const out = new ExportRows(scheme, keys, periodId, q.includeDeleted ?? false);
    try {
      for await (const page of rows) {
        let taken = page;
        if (limit !== undefined && count + page.length > limit) {
          taken = page.slice(0, limit - count);
          truncated = true;
        }
        count += taken.length;
        if (taken.length) yield out.map(taken);
        if (truncated) break;
      }
    } finally {
      await rows.return(undefined);
    }
  }
  const csvExport = store.csvExport();
  const csvLines = csvExport
    ? () =>
        csvExport(filter, keys, {
          pageSize,
          limit,
          scheme,
          periodId,
          counted: (n) => (count += n),
          truncated: () => (truncated = true),
          flags,
        })
    : undefined;
  const valueTypes = new Map<string, string>();
  for (const e of lookups.elements.values()) {
    valueTypes.set(e.code, e.valueType);
    if (e.uid) valueTypes.set(e.uid, e.valueType);
  }
  return {
    pages: pages(),
    csvLines,
    limit,
    dataSet: q.dataSet,
    includeDeleted: q.includeDeleted ?? false,
    numeric: (dataElement) => isNumericType(valueTypes.get(dataElement) ?? 'number'),
    count: () => count,
    truncated: () => truncated,
  };
}

/**
 * DHIS2's `followup` of an exported value: its stored flag, or the value is flagged (issue 17,
 * value-flag.service.ts: a broken rule not confirmed correct). The flags of each page's pairs are
 * read in one query before the page (the same on the server's COPY path); nothing when nothing
 * can be flagged.
 */
async function pageFlags(store: Store, filter: ExportFilter): Promise<PageFlags | undefined> {
  const service = new ValueFlagService(store);
  const sources = await service.sources();
  if (sources.none) return undefined;
  // The export's units: a page's flags are those of its own values, not of every unit's.
  const units = {
    scope:
      filter.scopePath && filter.scopeVersion
        ? { version: filter.scopeVersion, path: filter.scopePath }
        : null,
    version: filter.version,
    ids: filter.unitIds,
    anyUnder: filter.underPaths,
  };
  return async (pairs) => {
    const flags = await service.flagged(
      { elementIds: pairs.elements, periodIds: pairs.periods, units },
      sources,
    );
    return flags.size ? flaggedKeys(flags) : undefined;
  };
}

/**
 * The units asked for, as the filter keeps them. In a tree named (`version`), they are that
 * tree's. Otherwise each is read in the tree in force at each period, as an import reads it:
 * found in every tree that has it (an unknown one is a clear error), and a value is kept at
 * such a unit only when the unit's tree is the one of the value's period.
 */
async function unitFilter(
  store: Store,
  hierarchy: HierarchyService,
  q: ExportQuery,
  keys: ExportKeys,
  filter: ExportFilter,
): Promise<void> {
  const names = q.orgUnits!;
  let found: {
    id: number;
    version: string;
    path: string;
    code?: string;
    uid?: string | null;
    source_code?: string | null;
  }[];
  if (q.version) {
    const version = await hierarchy.resolveVersion(q.version);
    const units = await store.repos.dataValues.units(version);
    found = names.map((c) => {
      const u = units.get(c);
      if (!u) throw errors.unknownUnit(c, version);
      return { id: u.id, version, path: u.path };
    });
  } else {
    found = await store.repos.dataValues.unitsNamed(names);
    for (const name of names) {
      if (!found.some((u) => u.code === name || u.uid === name || u.source_code === name)) {
        throw new AppError(
          'unknown_unit',
          {
            vi: `Không có đơn vị mã "${name}" trong cây nào`,
            en: `No unit with code or uid "${name}" in any tree`,
          },
          { code: name },
        );
      }
    }
    const spans = await hierarchy.versionDates();
    filter.periodVersions = new Map(
      keys.periods.map((p) => [p.id, versionAt(spans, p.start)?.id ?? '']),
    );
  }
  if (q.children) filter.underPaths = found.map((u) => ({ version: u.version, path: u.path }));
  else filter.unitIds = found.map((u) => u.id);
}

/**
 * DHIS2's id of each period (202201, 2022W5; a range keeps its own), worked out when first met:
 * DHIS2 and Opsroom both read the file back.
 */
function dhis2PeriodIds(keys: ExportKeys): (id: number) => string {
  const stored = new Map(keys.periods.map((p) => [p.id, p]));
  const ids = new Map<number, string>();
  return (id) => {
    let dhis2 = ids.get(id);
    if (dhis2 === undefined) {
      const p = stored.get(id)!;
      dhis2 = p.type === 'range' ? p.pid : toDhis2Id(parsePeriod(p.pid));
      ids.set(id, dhis2);
    }
    return dhis2;
  };
}

/**
 * Stored rows as DHIS2 exports them, periods by DHIS2's ids; the ids and times that repeat
 * from row to row are converted once.
 */
class ExportRows {
  private readonly elements: Map<number, string>;
  private created = { ms: Number.NaN, iso: '' };
  private updated = { ms: Number.NaN, iso: '' };
  constructor(
    private readonly scheme: 'code' | 'uid',
    keys: ExportKeys,
    private readonly period: (id: number) => string,
    private readonly includeDeleted: boolean,
  ) {
    const uid = scheme === 'uid';
    this.elements = new Map(keys.elements.map((e) => [e.id, uid && e.uid ? e.uid : e.code]));
  }

  private static iso(last: { ms: number; iso: string }, ms: number): string {
    if (last.ms !== ms) {
      last.ms = ms;
      last.iso = new Date(ms).toISOString();
    }
    return last.iso;
  }

  map(rows: ExportRow[]): DataValueOut[] {
    const uid = this.scheme === 'uid';
    const id = (code: string, u: string | null) => (uid && u ? u : code);
    return rows.map((r) => {
      const v = {
        dataElement: this.elements.get(r.element_id)!,
        period: this.period(r.period_id),
        orgUnit: id(r.org_unit, r.org_unit_uid),
        categoryOptionCombo: id(r.category_option_combo, r.category_option_combo_uid),
        attributeOptionCombo: id(r.attribute_option_combo, r.attribute_option_combo_uid),
        value: r.value,
        storedBy: r.stored_by,
        created: ExportRows.iso(this.created, r.created_ms),
        lastUpdated: ExportRows.iso(this.updated, r.last_updated_ms),
      } as DataValueOut;
      // The optional fields in the order DHIS2 (and the JSON/XML written before) has them.
      if (r.comment !== null) v.comment = r.comment;
      v.followup = r.followup;
      if (r.estimate) v.estimate = true;
      if (r.reported_yoy_pct !== null) v.reportedYoyPct = r.reported_yoy_pct;
      if (r.reported_prev_pct !== null) v.reportedPrevPct = r.reported_prev_pct;
      if (this.includeDeleted) v.deleted = r.deleted;
      return v;
    });
  }
}

/** A format that cannot say what the export asks for is refused before anything is read. */
export function checkExportFormat(format: DataValueFormat, includeDeleted: boolean): void {
  if (includeDeleted && format === 'adx')
    throw new AppError(
      'validation_failed',
      {
        vi: 'ADX không có chỗ đánh dấu giá trị đã xoá: hãy xuất JSON, CSV hoặc XML với includeDeleted',
        en: 'ADX has no place to mark a deleted value: export JSON, CSV or XML with includeDeleted',
      },
      { format, includeDeleted: true },
    );
}

/**
 * An export written in `format`, piece by piece (one piece per page read): what the API streams
 * and the CLI writes. Reading stops when the consumer stops.
 */
export async function* dataValueSetChunks(
  run: ValueExport,
  format: DataValueFormat,
): AsyncGenerator<string | Buffer> {
  const w = new DataValueSetWriter(format, run.limit, {
    numeric: (e) => run.numeric(e),
    dataSet: run.dataSet,
    includeDeleted: run.includeDeleted,
  });
  if (format === 'csv' && run.csvLines) {
    // The server writes the lines; the header (and the empty tail) stay the writer's.
    yield w.head();
    yield* run.csvLines();
    yield w.tail(run.truncated());
    return;
  }
  let head = w.head();
  try {
    for await (const page of run.pages) {
      yield head + w.rows(page);
      head = '';
    }
  } finally {
    await run.pages.return(undefined);
  }
  yield head + w.tail(run.truncated());
}
