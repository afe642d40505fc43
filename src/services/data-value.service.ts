import { createReadStream, type ReadStream } from 'node:fs';
import { mkdtemp, open as openFile, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateKeysInBlock, type DataValueRepo } from '../db/data-value.repo.ts';
import type { Store } from '../db/store.ts';
import { can, type Actor } from '../domain/access.ts';
import { readSetHeader, type SetHeader } from '../domain/data-value-set-complete.ts';
import {
  formatOf,
  parseDataValueSet,
  readCsvBatches,
  type DataValueFormat,
  type DataValueOut,
  type DataValueSetInput,
} from '../domain/data-value-set.ts';
import { errors } from '../domain/errors.ts';
import { CsvBulkLoad } from './data-value.csv-bulk.ts';
import {
  BATCH,
  ValueImport,
  rowsInFile,
  type ImportAnswer,
  type ImportHost,
  type ImportOptions,
  type UnitMap,
} from './data-value.import.ts';
import type { HierarchyService } from './hierarchy.service.ts';
import { openExport, type ExportQuery, type ValueExport } from './data-value.export.ts';

export { BULK_MIN_ROWS, type ImportAnswer, type ImportOptions } from './data-value.import.ts';

/** CSV is read in pieces of this many bytes. */
const CHUNK = 1 << 20;

/** The bytes of a CSV file, piece by piece. */
interface CsvSource {
  chunks: AsyncIterable<Buffer>;
  bytesRead: () => number;
  close: () => void;
  /** Told once the first piece was read whether the source may be read a second time. */
  rereadable?: (yes: boolean) => Promise<void>;
}

/** `chunks` regrouped in pieces of at least `size` bytes (the last may be shorter). */
async function* inPieces(chunks: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let length = 0;
  for await (const c of chunks) {
    held.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    length += c.byteLength;
    if (length >= size) {
      yield held.length === 1 ? held[0]! : Buffer.concat(held, length);
      held = [];
      length = 0;
    }
  }
  if (length) yield Buffer.concat(held, length);
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
    /** Bulk loads need one that holds sessions (COPY on one connection), else rows take the ordinary path. */
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
  ) {}

  private listeners: DataChangeListener[] = [];
  private checks: ImportHost['checks'];

  /**
   * Runs the validation rules over what each import writes, in its transaction (issue 17):
   * set once by createServices, as the rules' service reads analytics.
   */
  checkWith(checks: NonNullable<ImportHost['checks']>): void {
    this.checks = checks;
  }

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

  /** The units of a tree by code and uid, from the hierarchy's one cache of them. */
  private async units(version: string, refresh = false, repo?: DataValueRepo): Promise<UnitMap> {
    return (await this.hierarchy.unitMap(version, refresh, repo)).byKey;
  }

  /**
   * Imports a data value set. Every row is checked (element, period, unit of the tree in force
   * at the period, breakdown and attribute options, value type, the caller's scope, locked
   * periods); good rows are written in one transaction with their history and roll-ups, so
   * they are in analytics when this returns. Unchanged rows are ignored: a retry changes nothing.
   * With a `completeDate` (or the `dataSetComplete` option), the data set is registered
   * complete for the period and unit of the set's `header` in the same transaction.
   */
  async import(
    actor: Actor | 'system',
    input: DataValueSetInput,
    opts: ImportOptions,
    header?: SetHeader,
  ): Promise<ImportAnswer> {
    const values = input.values;
    const run = await this.begin(
      actor,
      { dataSet: input.dataSet, completeDate: input.completeDate, header, total: values.length },
      opts,
    );
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
  ): Promise<ImportAnswer> {
    const format = opts.format ?? formatOf(undefined, path);
    if (format !== 'csv') return this.importBody(actor, await readFile(path), format, opts);
    const size = (await stat(path)).size;
    return this.importCsv(
      actor,
      opts,
      () => size,
      () => {
        const stream = createReadStream(path, { highWaterMark: CHUNK });
        return { chunks: stream, bytesRead: () => stream.bytesRead, close: () => stream.destroy() };
      },
    );
  }

  /**
   * A JSON, XML or ADX set read whole and imported as `import` does. When it asks for its data
   * set to be registered complete, the header's period and unit are read too.
   */
  importBody(
    actor: Actor | 'system',
    bytes: Uint8Array,
    format: DataValueFormat,
    opts: ImportOptions,
  ): Promise<ImportAnswer> {
    const input = parseDataValueSet(bytes, format);
    const asked = (input.completeDate?.trim() || opts.dataSetComplete)?.trim().toLowerCase();
    const header = asked && asked !== 'false' ? readSetHeader(bytes, format) : undefined;
    return this.import(actor, input, opts, header);
  }

  /** A CSV file held in memory, imported as a file is. */
  importCsvBytes(
    actor: Actor | 'system',
    bytes: Uint8Array,
    opts: ImportOptions,
  ): Promise<ImportAnswer> {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    return this.importCsv(
      actor,
      opts,
      () => buf.length,
      () => {
        let read = 0;
        // An AsyncIterable, as a request body is, over a buffer in memory: nothing to await.
        // eslint-disable-next-line @typescript-eslint/require-await
        async function* chunks() {
          while (read < buf.length) {
            const piece = buf.subarray(read, read + CHUNK);
            read += piece.length;
            yield piece;
          }
        }
        return { chunks: chunks(), bytesRead: () => read, close: () => {} };
      },
    );
  }

  /**
   * A CSV body imported as it arrives (a request body, of a length known or not): it is never
   * held whole. A bulk load that finds a key given twice reads the CSV a second time
   * (`importCsv`), and a body cannot be read twice: when the first piece shows that the import
   * takes the bulk path, the body is also appended to a temporary file as it is read, and the
   * second reading comes from there; the file is removed when the import ends. An error from
   * `chunks` (the body limit passed, the client gone) ends the import with nothing written.
   */
  async importCsvStream(
    actor: Actor | 'system',
    chunks: AsyncIterable<Uint8Array>,
    opts: ImportOptions,
    meta: { size?: number } = {},
  ): Promise<ImportAnswer> {
    if (actor !== 'system' && !can(actor, 'data.write')) throw errors.forbidden('data.write');
    const body = inPieces(chunks, CHUNK)[Symbol.asyncIterator]();
    let spool: { dir: string; path: string; file: FileHandle } | undefined;
    /** Pieces read before the import chose its path (one), or undefined once it chose. */
    let held: Buffer[] | undefined = [];
    let read = 0;
    let ended = false;
    const write = async (piece: Buffer) => {
      for (let at = 0; at < piece.length;) at += (await spool!.file.write(piece, at)).bytesWritten;
    };
    // The body's pieces as they arrive, each written to the spool (if any) before it is handed on.
    async function* arriving(): AsyncGenerator<Buffer> {
      for (let next = await body.next(); !next.done; next = await body.next()) {
        if (held) held.push(next.value);
        else if (spool) await write(next.value);
        read += next.value.length;
        yield next.value;
      }
      ended = true;
    }
    const first: CsvSource = {
      chunks: arriving(),
      bytesRead: () => read,
      close() {},
      async rereadable(yes) {
        if (yes) {
          const dir = await mkdtemp(join(tmpdir(), 'opsroom-import-'));
          const path = join(dir, 'body.csv');
          spool = { dir, path, file: await openFile(path, 'w') };
          for (const piece of held ?? []) await write(piece);
        }
        held = undefined;
      },
    };
    let passes = 0;
    try {
      return await this.importCsv(
        actor,
        opts,
        () => (ended ? read : meta.size),
        () => {
          if (passes++ === 0) return first;
          if (!spool) throw new Error('a CSV body read twice without a spool');
          const { path, file } = spool;
          // Read again: what the first pass left of the body goes to the spool, then the spool.
          let stream: ReadStream | undefined;
          async function* again(): AsyncGenerator<Buffer> {
            for await (const piece of arriving()) void piece;
            await file.sync();
            stream = createReadStream(path, { highWaterMark: CHUNK });
            yield* stream;
          }
          return {
            chunks: again(),
            bytesRead: () => stream?.bytesRead ?? 0,
            close: () => stream?.destroy(),
          };
        },
      );
    } finally {
      await body.return?.(undefined).catch(() => undefined);
      if (spool) {
        await spool.file.close().catch(() => undefined);
        await rm(spool.dir, { recursive: true, force: true });
      }
    }
  }

  private async importCsv(
    actor: Actor | 'system',
    opts: ImportOptions,
    size: () => number | undefined,
    open: () => CsvSource,
  ): Promise<ImportAnswer> {
    // A bulk load leaves keys given twice to the partition's primary key; when it finds one (or
    // the import is refused before), the file is read again with each key checked, to report
    // every such row.
    const first = await this.importCsvOnce(actor, opts, size(), open(), false);
    if (first !== 'check keys') return first;
    const second = await this.importCsvOnce(actor, opts, size(), open(), true);
    if (second === 'check keys') throw new Error('keys were checked and still found twice');
    return second;
  }

  private async importCsvOnce(
    actor: Actor | 'system',
    opts: ImportOptions,
    size: number | undefined,
    source: CsvSource,
    checkKeys: boolean,
  ): Promise<ImportAnswer | 'check keys'> {
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
      // Only a bulk load reads the file twice (below).
      await source.rereadable?.(run.bulk);
      async function* all() {
        if (head.length) yield head;
        for (let next = await chunks.next(); !next.done; next = await chunks.next())
          yield next.value;
      }
      if (run.bulk) {
        let summary: ImportAnswer;
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
        store: this.store,
        units: (version, refresh, repo) => this.units(version, refresh, repo),
        today: () => this.hierarchy.today(),
        ...(this.checks ? { checks: this.checks } : {}),
      },
      actor,
      meta,
      opts,
    );
  }

  /** Tells listeners what a committed import changed. */
  private finish(run: ValueImport, summary: ImportAnswer): ImportAnswer {
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
   * An export, checked, to be read page by page as it is written: every value the filter keeps
   * in the caller's scope (or `limit` of them, when asked). Errors in the query are thrown here,
   * before anything is written.
   */
  openExport(actor: Actor, q: ExportQuery): Promise<ValueExport> {
    return openExport(this.store, this.hierarchy, actor, q);
  }

  /** The same values in one list, for small exports (a form's values): no cap either. */
  async export(actor: Actor, q: ExportQuery): Promise<DataValueOut[]> {
    const run = await this.openExport(actor, q);
    const all: DataValueOut[] = [];
    for await (const page of run.pages) for (const v of page) all.push(v);
    return all;
  }
}
