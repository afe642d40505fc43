import type { Range } from './value-outlier.service.ts';
import { isUtf8 } from 'node:buffer';
import { BinaryRows } from '../db/copy-binary.ts';
import type { DataValueRepo } from '../db/data-value.repo.ts';
import type { CopyIn, Session } from '../db/session.ts';
import { inScope } from '../domain/access.ts';
import { ByteCodes } from '../domain/byte-codes.ts';
import { elementOptionKey, MAX_STORED_BY, zeroNotStored } from '../domain/data-value.ts';
import {
  CsvReader,
  CsvRows,
  notUtf8,
  splitLine,
  trimmable,
  type RawDataValue,
} from '../domain/data-value-set.ts';
import { BATCH, type UnitMap, type ValueImport } from './data-value.import.ts';

/** The columns a bulk load copies, in the order `row` writes them. */
const COLUMNS = [
  'element_id',
  'period_id',
  'option_id',
  'attribute_id',
  'unit_id',
  'value',
  'text_value',
  'stored_by',
];
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);
/** Value types read here: integer, number, percentage (others take the ordinary path). */
const KINDS: Record<string, number> = { integer: 0, number: 1, percentage: 2 };

/** A combination of element, period, option and attribute codes, as met in the file. */
interface FastGroup {
  units: VersionUnits;
  kind: number;
  /** A zero is not stored (`zeroNotStored`): the row is counted as ignored. */
  dropZero: boolean;
  /** The element's range (±Infinity when open): a value outside goes to the ordinary checks. */
  min: number;
  max: number;
  keyGroup: number;
  /** Roll-up group. */
  g: number;
  /** The validation rules' cells (`ValueImport.fresh`), -1 when no rule reads the element. */
  cell: number;
  /** The min–max ranges of (element, option), by unit (`ValueImport.outliers`). */
  range: Range | undefined;
  element: number;
  period: number;
  option: number;
  attribute: number;
  /** Field count, element, period, option and attribute of a row, in COPY's binary form. */
  prefix: Buffer;
}

interface VersionUnits {
  version: string;
  units: UnitMap;
  /** Unit id by code number: 0 not looked up yet, -1 none (or outside the caller's scope). */
  byCode: Int32Array;
  /** Units above each unit (by id), nearest first: `ValueImport.ancestorsOf` as an array. */
  chains: (number[] | undefined)[];
}

/** A combination whose rows take the ordinary path (unknown code, locked or stored period...). */
const SLOW = Symbol('ordinary path');

/**
 * A large CSV file loaded straight from its bytes: fields are found and codes looked up
 * without making a string or an object per row, and each good row is written at once in
 * COPY's binary form to the block's table, streaming while the file is read. What this path
 * cannot take (an unknown code, a bad or empty value, a comment, a stored period, a duplicate
 * key, a quoted field) goes to the ordinary checks in batches (`ValueImport.batch`), which
 * report it as they would in any import; from the first quote on, the rest of the file is read
 * by the full CSV reader.
 */
export class CsvBulkLoad {
  private readonly codes = new ByteCodes();
  private readonly rows: CsvRows;
  private slow: RawDataValue[] = [];
  private reader: CsvReader | undefined;
  private line = 0;
  private copy: CopyIn | undefined;
  private readonly out = new BinaryRows();
  private readonly storedBy: Buffer;
  /** Column positions of the fields read here; -1 when absent. */
  private col = { de: -1, pe: -1, ou: -1, coc: -1, aoc: -1, value: -1, storedBy: -1 };
  /** Columns that must be empty (comment, reported changes) or not true (flags) for this path. */
  private empty: number[] = [];
  private flags: number[] = [];
  private need = 0;
  /** Whether the header lets rows take this path at all. */
  private fast = false;
  private readonly starts = new Int32Array(256);
  private readonly ends = new Int32Array(256);
  private readonly groups = new Map<string, FastGroup | typeof SLOW>();
  private last: {
    de: number;
    pe: number;
    coc: number;
    aoc: number;
    group: FastGroup | typeof SLOW;
  } = { de: -1, pe: -1, coc: -1, aoc: -1, group: SLOW };
  private readonly versions = new Map<string, VersionUnits>();
  /** A version to load before the rows can go on. */
  private wanted: string | undefined;

  /**
   * @param checkKeys look for a key given twice here (else the partition's primary key finds it
   *   when it is built, and the import is run again with this on, to report each such row)
   */
  constructor(
    private readonly run: ValueImport,
    private readonly tx: DataValueRepo,
    private readonly session: Session,
    private readonly checkKeys: boolean,
  ) {
    this.rows = new CsvRows((r) => this.slow.push(r));
    this.storedBy = BinaryRows.textField(run.storedBy);
  }

  async load(chunks: AsyncIterable<Buffer>): Promise<void> {
    const { run, tx } = this;
    for (const [pid, id] of await tx.allPeriodIds()) run.periodIds.set(pid, id);
    await run.reserveBlock(tx);
    let carry: Buffer | undefined;
    let t = performance.now();
    for await (const chunk of chunks) {
      run.time('read', t);
      const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
      const end = bytes.lastIndexOf(10) + 1;
      carry = end < bytes.length ? bytes.subarray(end) : undefined;
      if (end > 0) await this.part(bytes.subarray(0, end));
      t = performance.now();
    }
    if (carry) await this.part(carry);
    this.reader?.end();
    await this.flushSlow(true);
    await this.endCopy();
  }

  /** Complete lines of the file (or its last, unended one). */
  private async part(bytes: Buffer): Promise<void> {
    if (!isUtf8(bytes)) throw notUtf8();
    if (!this.reader && bytes.indexOf(34) >= 0) {
      this.reader = new CsvReader(this.rows.record, this.line);
    }
    if (this.reader) {
      const t = performance.now();
      this.reader.push(bytes.toString('utf8'));
      this.run.time('check', t);
    } else {
      let pos = 0;
      if (this.line === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
      for (;;) {
        const t = performance.now();
        pos = this.lines(bytes, pos);
        this.run.time('check', t);
        if (!this.wanted) break;
        await this.loadVersion(this.wanted);
      }
    }
    await this.flushRows();
    if (this.slow.length >= BATCH) await this.flushSlow(false);
    this.run.opts.onProgress?.('write', this.run.rows, this.run.estimate());
  }

  /** Reads lines from `pos`; stops early (returning where) when a tree must be loaded first. */
  private lines(buf: Buffer, pos: number): number {
    const n = buf.length;
    const { starts, ends } = this;
    while (pos < n) {
      const lineStart = pos;
      if (!this.rows.keys) {
        let nl = buf.indexOf(10, pos);
        if (nl < 0) nl = n;
        this.line++;
        pos = nl + 1;
        const cells = splitLine(buf.toString('utf8', lineStart, nl));
        if (cells) {
          this.rows.record(cells, this.line);
          this.configure();
        }
        continue;
      }
      // Fields of the line, up to the last column read here, and where it ends.
      let count = 0;
      let from = pos;
      const need = this.need;
      let nl = pos;
      for (; nl < n; nl++) {
        const c = buf[nl];
        if (c === 10) break;
        if (c === 44 && count < need) {
          starts[count] = from;
          ends[count++] = nl;
          from = nl + 1;
        }
      }
      if (count < need) {
        starts[count] = from;
        ends[count++] = nl;
      }
      for (let f = 0; f < count; f++) {
        let s = starts[f]!;
        let e = ends[f]!;
        while (s < e && trimmable(buf[s]!)) s++;
        while (e > s && trimmable(buf[e - 1]!)) e--;
        starts[f] = s;
        ends[f] = e;
      }
      const result = this.fast && count === need ? this.row(buf) : -1;
      if (result === 1) {
        // The line waits for its tree to be loaded.
        return lineStart;
      }
      this.line++;
      pos = nl + 1;
      if (result === -1) {
        const cells = splitLine(buf.toString('utf8', lineStart, nl));
        if (cells) this.rows.record(cells, this.line);
      }
    }
    return n;
  }

  /**
   * One line whose fields are in `starts`/`ends`: written (0), left to the ordinary path (-1),
   * or waiting for a tree to be loaded (1).
   */
  private row(buf: Buffer): number {
    const { starts, ends, col, codes, run } = this;
    for (const c of this.empty) if (ends[c]! > starts[c]!) return -1;
    for (const c of this.flags) if (ends[c]! > starts[c]! && maybeTrue(buf[starts[c]!]!)) return -1;
    const de = codes.id(buf, starts[col.de]!, ends[col.de]!);
    const pe = codes.id(buf, starts[col.pe]!, ends[col.pe]!);
    const ou = codes.id(buf, starts[col.ou]!, ends[col.ou]!);
    if (de === 0 || pe === 0 || ou === 0) return -1;
    const coc = col.coc < 0 ? 0 : codes.id(buf, starts[col.coc]!, ends[col.coc]!);
    const aoc = col.aoc < 0 ? 0 : codes.id(buf, starts[col.aoc]!, ends[col.aoc]!);
    const last = this.last;
    let group = last.group;
    if (last.de !== de || last.pe !== pe || last.coc !== coc || last.aoc !== aoc) {
      const key = `${de},${pe},${coc},${aoc}`;
      let found = this.groups.get(key);
      if (!found) {
        const made = this.group(de, pe, coc, aoc);
        if (made === undefined) return 1;
        this.groups.set(key, (found = made));
      }
      group = found;
      this.last = { de, pe, coc, aoc, group };
    }
    if (group === SLOW) return -1;
    const units = group.units;
    if (ou >= units.byCode.length) {
      const grown = new Int32Array(Math.max(codes.size, units.byCode.length * 2));
      grown.set(units.byCode);
      units.byCode = grown;
    }
    let unit = units.byCode[ou]!;
    if (unit === 0) unit = units.byCode[ou] = this.unitOf(units, codes.strings[ou]!);
    if (unit < 0) return -1;
    // The value: digits, an optional sign, and a decimal point for numbers; at most 15 digits,
    // so that digits ÷ 10^k is exactly what Number() makes of the text.
    const vs = starts[col.value]!;
    const ve = ends[col.value]!;
    let i = vs;
    const sign = buf[i];
    if (sign === 45 || sign === 43) i++;
    let m = 0;
    let digits = 0;
    let scale = 0;
    let c = buf[i]!;
    while (i < ve && c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      c = buf[++i]!;
    }
    if (i < ve && c === 46 && group.kind !== 0 && digits > 0) {
      c = buf[++i]!;
      while (i < ve && c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        scale++;
        c = buf[++i]!;
      }
    }
    if (i !== ve || digits === 0 || digits > 15) return -1;
    // The file's storedBy, kept as given: only plain text fits here (the ordinary checks
    // report the rest).
    let ss = 0;
    let se = 0;
    if (col.storedBy >= 0) {
      ss = starts[col.storedBy]!;
      se = ends[col.storedBy]!;
      if (se - ss > MAX_STORED_BY) return -1;
      for (let k = ss; k < se; k++) if (buf[k]! < 32 || buf[k] === 127) return -1;
    }
    let value = scale ? m / POW10[scale]! : m;
    if (sign === 45) value = -value;
    if (group.kind === 2 && (value < 0 || value > 100)) return -1;
    if (value < group.min || value > group.max) return -1;
    run.rows++;
    const index = this.rows.index++;
    if (value === 0 && group.dropZero) {
      run.zeros++;
      return 0;
    }
    if (this.checkKeys && run.keys.claim(group.keyGroup, unit, index) !== -1) {
      // A duplicate: the ordinary path reports it.
      run.rows--;
      this.rows.index--;
      return -1;
    }
    run.created++;
    run.addAbove(group.g, value, units.chains[unit]);
    if (run.checking) {
      run.wrote.units.add(unit);
      if (group.cell >= 0) run.fresh!.add(group.cell, unit, value);
      if (group.range)
        run.outliers!.check(
          group.range,
          group.element,
          unit,
          group.period,
          group.option,
          group.attribute,
          value,
        );
    }
    const out = this.out;
    out.reserve(
      group.prefix.length + 8 + 12 + 4 + (ve - vs) + 4 + (se - ss) + this.storedBy.length,
    );
    out.raw(group.prefix);
    out.int4(unit);
    out.float8(value);
    out.text(buf, vs, ve);
    if (se > ss) out.text(buf, ss, se);
    else out.raw(this.storedBy);
    return 0;
  }

  /**
   * A new combination of codes: checked as the ordinary path would (with the data set the
   * import names: period type, element), or undefined to load a tree.
   */
  private group(
    de: number,
    pe: number,
    coc: number,
    aoc: number,
  ): FastGroup | typeof SLOW | undefined {
    const { run, codes } = this;
    const r = run.resolve(
      codes.strings[de]!,
      codes.strings[pe]!,
      coc ? codes.strings[coc] : undefined,
      aoc ? codes.strings[aoc] : undefined,
    );
    const kind = r ? KINDS[r.element.valueType] : undefined;
    if (!r || kind === undefined) return SLOW;
    const units = this.versions.get(r.version);
    if (!units) {
      this.wanted = r.version;
      return undefined;
    }
    let periodId = run.periodIds.get(r.period.id);
    if (periodId === undefined) {
      periodId = run.takeBlockId(r.period);
      if (periodId === undefined) return SLOW;
      run.pendingPeriods.push({ period: r.period, id: periodId });
    }
    // Stored periods take the ordinary path (their values are compared); so do locked ones.
    if (!run.bulkPeriods.has(periodId) || run.locked(r.element, r.period, periodId)) return SLOW;
    run.touch(r.element, r.period.id, periodId, r.version);
    return {
      units,
      kind,
      dropZero: zeroNotStored(r.element, 0),
      min: r.element.min ?? -Infinity,
      max: r.element.max ?? Infinity,
      keyGroup: r.keyGroup,
      g: run.groupOf(r.element.id, periodId, r.option.id, r.attribute.id),
      cell: run.fresh ? run.fresh.group(r.element.id, r.option.id, periodId) : -1,
      range: run.outliers?.all?.get(elementOptionKey(r.element.id, r.option.id)),
      element: r.element.id,
      period: periodId,
      option: r.option.id,
      attribute: r.attribute.id,
      prefix: BinaryRows.fields(COLUMNS.length, [
        r.element.id,
        periodId,
        r.option.id,
        r.attribute.id,
      ]),
    };
  }

  private unitOf(units: VersionUnits, code: string): number {
    const unit = units.units.get(code);
    const actor = this.run.actor;
    if (!unit) return -1;
    if (actor !== 'system' && !inScope(actor.scope, { version: units.version, path: unit.path }))
      return -1;
    // A unit that does not report the data set the import names: the ordinary checks say so.
    const ds = this.run.rules();
    if (ds && !this.run.assigned(ds, unit)) return -1;
    return unit.id;
  }

  /** A tree's units and their chains of units above, read once (the COPY paused meanwhile). */
  private async loadVersion(version: string): Promise<void> {
    this.wanted = undefined;
    await this.flushRows();
    await this.endCopy();
    const units = await this.run.unitsOf(this.tx, version);
    const ids = new Set<number>();
    for (const u of units.values()) if (!this.run.ancestorsOf.has(u.id)) ids.add(u.id);
    for (const [id, list] of await this.tx.ancestors([...ids])) this.run.ancestorsOf.set(id, list);
    const chains: (number[] | undefined)[] = [];
    for (const u of units.values()) chains[u.id] = this.run.ancestorsOf.get(u.id);
    this.versions.set(version, {
      version,
      units,
      byCode: new Int32Array(this.codes.size * 2),
      chains,
    });
  }

  /** Which columns this path reads, from the header. */
  private configure(): void {
    const keys = this.rows.keys!;
    const col = this.col;
    const position = (k: string) => keys.indexOf(k as never);
    col.de = position('dataElement');
    col.pe = position('period');
    col.ou = position('orgUnit');
    col.coc = position('categoryOptionCombo');
    col.aoc = position('attributeOptionCombo');
    col.value = position('value');
    col.storedBy = position('storedBy');
    keys.forEach((k, c) => {
      if (k === 'comment' || k === 'reportedYoyPct' || k === 'reportedPrevPct') this.empty.push(c);
      if (k === 'estimate' || k === 'followup' || k === 'deleted') this.flags.push(c);
    });
    const named = keys.filter((k) => k !== undefined);
    this.need = keys.length;
    this.fast =
      col.de >= 0 &&
      col.pe >= 0 &&
      col.ou >= 0 &&
      col.value >= 0 &&
      keys.length <= this.starts.length &&
      new Set(named).size === named.length &&
      this.run.strategy !== 'DELETE';
  }

  /** Sends the rows made so far to the COPY. */
  private async flushRows(): Promise<void> {
    const chunks = this.out.take();
    if (chunks.length === 0 || this.run.refused()) return;
    if (!this.copy) {
      await this.run.settle();
      this.copy = this.session.copyIn(this.run.block!.table, COLUMNS, { freeze: true });
    }
    const t = performance.now();
    for (const chunk of chunks) await this.copy.write(chunk);
    this.run.time('copy', t);
  }

  private async endCopy(): Promise<void> {
    if (!this.copy) return;
    const t = performance.now();
    const copy = this.copy;
    this.copy = undefined;
    await copy.end();
    this.run.time('copy', t);
  }

  /** Rows left to the ordinary path, checked and written as a batch (the COPY paused meanwhile). */
  private async flushSlow(all: boolean): Promise<void> {
    while (this.slow.length >= (all ? 1 : BATCH)) {
      await this.flushRows();
      await this.endCopy();
      const batch = this.slow.splice(0, BATCH);
      await this.run.batch(this.tx, batch, this.session.copy);
    }
  }
}

/** The first letter of a word `parseFlag` reads as true (t, true, 1, y, yes, có, co). */
const maybeTrue = (c: number) =>
  c === 116 || c === 84 || c === 49 || c === 121 || c === 89 || c === 99 || c === 67;
