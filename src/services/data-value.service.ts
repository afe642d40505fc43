import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Database, Db } from '../db/client.ts';
import { DataValueRepo, DuplicateKeysInBlock, exportValues } from '../db/data-value.repo.ts';
import { can, isRootScope, type Actor } from '../domain/access.ts';
import type { ImportSummary } from '../domain/data-value.ts';
import {
  formatOf,
  parseDataValueSet,
  readCsvBatches,
  type DataValueFormat,
  type DataValueOut,
  type DataValueSetInput,
} from '../domain/data-value-set.ts';
import { AppError, errors } from '../domain/errors.ts';
import { parsePeriod, toDhis2Id } from '../domain/period.ts';
import { CsvBulkLoad } from './data-value.csv-bulk.ts';
import {
  BATCH,
  ValueImport,
  rowsInFile,
  type ImportOptions,
  type UnitMap,
} from './data-value.import.ts';
import type { HierarchyService } from './hierarchy.service.ts';

export { BULK_MIN_ROWS, type ImportOptions } from './data-value.import.ts';

/** CSV is read in pieces of this many bytes. */
const CHUNK = 1 << 20;

/** The bytes of a CSV file, piece by piece. */
interface CsvSource {
  chunks: AsyncIterable<Buffer>;
  bytesRead: () => number;
  close: () => void;
}

/** What one committed import changed: told to listeners after the commit (live screens, alerts). */
export interface DataChange {
  /** Codes of the data elements written. */
  elements: string[];
  /** Period ids written (ours: 2022-01-20, 2022-01, 2022-W05…). */
  periods: string[];
  /** Tree versions of the units written. */
  versions: string[];
  /** How many values were created, updated or deleted. */
  count: number;
  /** Who wrote them. */
  by: string;
}

export type DataChangeListener = (change: DataChange) => void;

export class DataValueService {
  constructor(
    private readonly db: Db,
    private readonly hierarchy: HierarchyService,
    /** For bulk loads (COPY on one connection); without it every row takes the ordinary path. */
    private readonly database?: Database,
  ) {}

  private listeners: DataChangeListener[] = [];

  /** Calls `listener` after each committed import that changed values (never inside its transaction). */
  onChange(listener: DataChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private emit(change: DataChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (e) {
        console.error('data change listener failed', e);
      }
    }
  }

  // Units of a tree change only by import; reading 10,000 of them for every small import is waste.
  private unitCache = new Map<string, { at: number; units: Promise<UnitMap> }>();

  /** Inside a transaction on PGlite (one connection), `repo` must be the transaction's. */
  private units(version: string, refresh = false, repo?: DataValueRepo): Promise<UnitMap> {
    const hit = this.unitCache.get(version);
    if (!refresh && hit && Date.now() - hit.at < 60_000) return hit.units;
    const units = (repo ?? new DataValueRepo(this.db)).units(version);
    this.unitCache.set(version, { at: Date.now(), units });
    units.catch(() => this.unitCache.delete(version));
    return units;
  }

  /**
   * Imports a data value set. Every row is checked (element, period, unit of the tree in force
   * at the period, breakdown and attribute options, value type, the caller's scope, locked
   * periods); good rows are written in one transaction with their history and roll-ups, so
   * they are in analytics when this returns. Unchanged rows are ignored: a retry changes nothing.
   */
  async import(
    actor: Actor | 'system',
    input: DataValueSetInput,
    opts: ImportOptions,
  ): Promise<ImportSummary> {
    const values = input.values;
    const run = await this.begin(actor, { dataSet: input.dataSet, total: values.length }, opts);
    run.bulk = run.canBulk(values.length);
    return this.finish(
      run,
      await run.execute(async (tx, session) => {
        for (let i = 0; i < values.length; i += BATCH)
          await run.batch(tx, values.slice(i, i + BATCH), session?.copy);
      }),
    );
  }

  /**
   * Imports a file as `import` does. CSV is read piece by piece, so the memory an import takes
   * does not grow with the file (beyond a few bytes per value to find duplicate keys); a large
   * one loads its new periods straight from the file's bytes (`CsvBulkLoad`). JSON and XML are
   * read whole.
   */
  async importFile(
    actor: Actor | 'system',
    path: string,
    opts: ImportOptions & { format?: DataValueFormat },
  ): Promise<ImportSummary> {
    const format = opts.format ?? formatOf(undefined, path);
    if (format !== 'csv') {
      return this.import(actor, parseDataValueSet(await readFile(path), format), opts);
    }
    const size = (await stat(path)).size;
    return this.importCsv(actor, opts, size, () => {
      const stream = createReadStream(path, { highWaterMark: CHUNK });
      return { chunks: stream, bytesRead: () => stream.bytesRead, close: () => stream.destroy() };
    });
  }

  /** A CSV body held in memory (an upload), imported as a file is. */
  importCsvBytes(
    actor: Actor | 'system',
    bytes: Uint8Array,
    opts: ImportOptions,
  ): Promise<ImportSummary> {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    return this.importCsv(actor, opts, buf.length, () => {
      let read = 0;
      async function* chunks() {
        while (read < buf.length) {
          const piece = buf.subarray(read, read + CHUNK);
          read += piece.length;
          yield piece;
        }
      }
      return { chunks: chunks(), bytesRead: () => read, close: () => {} };
    });
  }

  private async importCsv(
    actor: Actor | 'system',
    opts: ImportOptions,
    size: number,
    open: () => CsvSource,
  ): Promise<ImportSummary> {
    // A bulk load leaves keys given twice to the partition's primary key; when it finds one (or
    // the import is refused before), the file is read again with each key checked, to report
    // every such row.
    const first = await this.importCsvOnce(actor, opts, size, open(), false);
    if (first !== 'check keys') return first;
    const second = await this.importCsvOnce(actor, opts, size, open(), true);
    if (second === 'check keys') throw new Error('keys were checked and still found twice');
    return second;
  }

  private async importCsvOnce(
    actor: Actor | 'system',
    opts: ImportOptions,
    size: number,
    source: CsvSource,
    checkKeys: boolean,
  ): Promise<ImportSummary | 'check keys'> {
    try {
      const run = await this.begin(actor, { size, bytesRead: source.bytesRead }, opts);
      // The first piece tells how many rows the file holds, roughly: enough to choose the path.
      const chunks = source.chunks[Symbol.asyncIterator]();
      let t = performance.now();
      const first = await chunks.next();
      run.time('read', t);
      const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
      let lines = 0;
      for (let i = head.indexOf(10); i >= 0; i = head.indexOf(10, i + 1)) lines++;
      run.bulk = run.canBulk(rowsInFile(lines, head.length, size));
      async function* all() {
        if (head.length) yield head;
        for (let next = await chunks.next(); !next.done; next = await chunks.next())
          yield next.value;
      }
      if (run.bulk) {
        let summary: ImportSummary;
        try {
          summary = await run.execute((tx, session) =>
            new CsvBulkLoad(run, tx, session!, checkKeys).load(all()),
          );
        } catch (e) {
          if (e instanceof DuplicateKeysInBlock && !checkKeys) return 'check keys';
          throw e;
        }
        // Refused before its key was built: read again with keys checked, so that keys given
        // twice are reported with the rest (nothing is copied once an import is refused).
        if (summary.status === 'ERROR' && !checkKeys) return 'check keys';
        return this.finish(run, summary);
      }
      return this.finish(
        run,
        await run.execute(async (tx, session) => {
          const batches = readCsvBatches(all(), BATCH);
          for (;;) {
            t = performance.now();
            const next = await batches.next();
            run.time('read', t);
            if (next.done) break;
            await run.batch(tx, next.value, session?.copy);
          }
        }),
      );
    } finally {
      source.close();
    }
  }

  private async begin(
    actor: Actor | 'system',
    meta: ValueImport['meta'],
    opts: ImportOptions,
  ): Promise<ValueImport> {
    if (actor !== 'system' && !can(actor, 'data.write')) throw errors.forbidden('data.write');
    return ValueImport.open(
      {
        db: this.db,
        database: this.database,
        units: (version, refresh, repo) => this.units(version, refresh, repo),
        today: () => this.hierarchy.today(),
      },
      actor,
      meta,
      opts,
    );
  }

  /** Tells listeners what a committed import changed. */
  private finish(run: ValueImport, summary: ImportSummary): ImportSummary {
    const c = summary.importCount;
    const count = c.imported + c.updated + c.deleted;
    if (count > 0 && !summary.dryRun)
      this.emit({
        elements: [...run.touched.elements],
        periods: [...run.touched.periods],
        versions: [...run.touched.versions],
        count,
        by: run.storedBy,
      });
    return summary;
  }

  /**
   * Values as DHIS2 exports them, limited to the caller's scope. Periods are written with
   * DHIS2's ids (202201, 2022W5), so that DHIS2 and Opsroom both read the file back.
   */
  async export(
    actor: Actor,
    q: {
      dataElements?: string[];
      dataSet?: string;
      periods?: string[];
      startDate?: string;
      endDate?: string;
      orgUnits?: string[];
      children?: boolean;
      version?: string;
      limit?: number;
      /** 'uid' writes DHIS2 uids where the metadata has them (DHIS2's default), 'code' our codes. */
      idScheme?: 'code' | 'uid';
    },
  ): Promise<DataValueOut[]> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const repo = new DataValueRepo(this.db);
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
      const ds = await this.db
        .selectFrom('data_set')
        .select('id')
        .where((eb) => eb.or([eb('code', '=', q.dataSet!), eb('uid', '=', q.dataSet!)]))
        .executeTakeFirst();
      if (!ds)
        throw new AppError('validation_failed', {
          vi: `Không có bộ dữ liệu "${q.dataSet}"`,
          en: `Unknown data set "${q.dataSet}"`,
        });
      const ids = [...lookups.dataSetsOf]
        .filter(([, sets]) => sets.some((x) => x.id === ds.id))
        .map(([id]) => id);
      elementIds = elementIds ? elementIds.filter((id) => ids.includes(id)) : ids;
    }
    const periodIds = q.periods?.map((p) => parsePeriod(p).id);
    let underPaths: string[] | undefined;
    let unitCodes: string[] | undefined;
    if (q.orgUnits?.length) {
      const version = q.version ?? (await this.hierarchy.resolveVersion());
      const units = await repo.units(version);
      const found = q.orgUnits.map((c) => {
        const u = units.get(c);
        if (!u) throw errors.unknownUnit(c, version);
        return u;
      });
      if (q.children) underPaths = found.map((u) => u.path);
      else unitCodes = found.map((u) => u.code);
    }
    const root = isRootScope(actor.scope);
    const rows = await exportValues(this.db, {
      elementIds,
      periodIds,
      periodFrom: q.startDate,
      periodTo: q.endDate,
      version: q.version,
      underPaths,
      unitCodes,
      scopePath: root ? null : actor.scope.path,
      scopeVersion: root ? null : actor.scope.version,
      limit: q.limit ?? 1_000_000,
    });
    return rows.map((r) => {
      let period = r.period;
      if (r.period_type !== 'range') period = toDhis2Id(parsePeriod(r.period));
      const id = (code: string, uid: string | null) => (q.idScheme === 'uid' && uid ? uid : code);
      return {
        dataElement: id(r.data_element, r.data_element_uid),
        period,
        orgUnit: id(r.org_unit, r.org_unit_uid),
        categoryOptionCombo: id(r.category_option_combo, r.category_option_combo_uid),
        attributeOptionCombo: id(r.attribute_option_combo, r.attribute_option_combo_uid),
        value: r.value,
        storedBy: r.stored_by,
        created: new Date(r.created).toISOString(),
        lastUpdated: new Date(r.last_updated).toISOString(),
        ...(r.comment === null ? {} : { comment: r.comment }),
        followup: r.followup,
        ...(r.estimate ? { estimate: true } : {}),
        ...(r.reported_yoy_pct === null ? {} : { reportedYoyPct: r.reported_yoy_pct }),
        ...(r.reported_prev_pct === null ? {} : { reportedPrevPct: r.reported_prev_pct }),
      };
    });
  }
}
