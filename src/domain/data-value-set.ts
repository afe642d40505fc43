import { isUtf8 } from 'node:buffer';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AdxLines, parseAdx } from './adx.ts';
import { AppError } from './errors.ts';
import { safeCell } from './spreadsheet.ts';
import { textOf } from './text.ts';

/**
 * DHIS2's data value set in its exchange shapes — JSON, CSV, DXF2 XML and ADX (adx.ts) — read
 * into one list of rows. Nothing is checked against metadata here; a file that cannot be read
 * whole (not UTF-8, truncated, malformed) is refused whole.
 */

export type DataValueFormat = 'json' | 'csv' | 'xml' | 'adx';

export interface RawDataValue {
  /** Position in the payload, counted from 0 as DHIS2's conflict indexes are. */
  index: number;
  /** Line in a CSV or XML file, for people. */
  line?: number;
  dataElement?: string;
  period?: string;
  orgUnit?: string;
  categoryOptionCombo?: string;
  attributeOptionCombo?: string;
  value?: string;
  comment?: string;
  followup?: string;
  deleted?: string;
  storedBy?: string;
  /** Ours: "ước đạt", the value is an estimate. */
  estimate?: string;
  /** Ours: the change the source reported against the same period last year, in percent. */
  reportedYoyPct?: string;
  /** Ours: ... and against the previous period. */
  reportedPrevPct?: string;
  /** ADX: the row came from an ADX file (values of non-numeric elements are in `annotation`). */
  adx?: boolean;
  /** ADX: the text of the value's <annotation>. */
  annotation?: string;
  /** ADX: the value's disaggregation as categories (attribute name → option), without a combo. */
  categories?: Record<string, string>;
  /** ADX: the group's attribute categories, without an attribute option combo. */
  attributeCategories?: Record<string, string>;
}

export interface DataValueSetInput {
  dataSet?: string;
  completeDate?: string;
  values: RawDataValue[];
}

export const fileInvalid = (vi: string, en: string, details?: unknown) =>
  new AppError(
    'file_invalid',
    {
      vi: `Tệp không đọc được: ${vi}; không có gì được nhập`,
      en: `Unreadable file: ${en}; nothing was imported`,
    },
    details,
  );

export const notUtf8 = () => fileInvalid('không phải mã UTF-8', 'it is not UTF-8 text');

/** Text of a body that must be UTF-8; a byte-order mark is dropped. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw notUtf8();
  }
}

// An object (`{"toString": 1}` cannot even be made a string) is shown as its JSON.
const str = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : textOf(v);

/** DHIS2 header fields are defaults that each value may override. */
function withDefaults(
  header: Record<string, unknown>,
  v: Record<string, unknown>,
  index: number,
  line?: number,
): RawDataValue {
  return {
    index,
    ...(line === undefined ? {} : { line }),
    dataElement: str(v.dataElement),
    period: str(v.period ?? header.period),
    orgUnit: str(v.orgUnit ?? header.orgUnit),
    categoryOptionCombo: str(v.categoryOptionCombo),
    attributeOptionCombo: str(v.attributeOptionCombo ?? header.attributeOptionCombo),
    value: str(v.value),
    comment: str(v.comment),
    followup: str(v.followup ?? v.followUp),
    deleted: str(v.deleted),
    storedBy: str(v.storedBy),
    estimate: str(v.estimate),
    reportedYoyPct: str(v.reportedYoyPct),
    reportedPrevPct: str(v.reportedPrevPct),
  };
}

export function parseJson(text: string): DataValueSetInput {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw fileInvalid(
      'JSON sai cú pháp hoặc bị cắt cụt',
      `malformed or truncated JSON (${(e as Error).message})`,
    );
  }
  if (
    !doc ||
    typeof doc !== 'object' ||
    !Array.isArray((doc as { dataValues?: unknown }).dataValues)
  ) {
    throw fileInvalid('thiếu danh sách "dataValues"', 'no "dataValues" list');
  }
  const header = doc as Record<string, unknown> & { dataValues: Record<string, unknown>[] };
  return {
    dataSet: str(header.dataSet),
    completeDate: str(header.completeDate),
    values: header.dataValues.map((v, i) => withDefaults(header, v ?? {}, i)),
  };
}

const CSV_COLUMNS: Record<string, keyof RawDataValue> = {
  dataelement: 'dataElement',
  de: 'dataElement',
  period: 'period',
  pe: 'period',
  orgunit: 'orgUnit',
  ou: 'orgUnit',
  categoryoptioncombo: 'categoryOptionCombo',
  coc: 'categoryOptionCombo',
  attributeoptioncombo: 'attributeOptionCombo',
  aoc: 'attributeOptionCombo',
  value: 'value',
  storedby: 'storedBy',
  comment: 'comment',
  followup: 'followup',
  deleted: 'deleted',
  estimate: 'estimate',
  reportedyoypct: 'reportedYoyPct',
  reportedprevpct: 'reportedPrevPct',
};
// DHIS2's column order, for files without a header line.
const CSV_POSITIONS = [
  'dataelement',
  'period',
  'orgunit',
  'categoryoptioncombo',
  'attributeoptioncombo',
  'value',
  'storedby',
  'lastupdated',
  'comment',
  'followup',
  'deleted',
];

/** Whitespace csv-parse's `trim` removes around a field. */
export const trimmable = (c: number) => c === 32 || c === 9 || c === 13 || c === 10 || c === 12;

const csvInvalid = (line: number, what: string) =>
  fileInvalid(
    `CSV sai cú pháp hoặc bị cắt cụt (dòng ${line})`,
    `malformed or truncated CSV (${what} at line ${line})`,
  );

/** The cells of a line without quotes, trimmed; undefined for a blank line. */
export function splitLine(line: string): string[] | undefined {
  const cells = line.split(',');
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (c.length && (trimmable(c.charCodeAt(0)) || trimmable(c.charCodeAt(c.length - 1)))) {
      cells[i] = c.trim();
    }
  }
  return cells.length === 1 && cells[0] === '' ? undefined : cells;
}

/**
 * A CSV reader fed in pieces: RFC 4180 quoting (a quoted field may hold commas, doubled quotes
 * and line breaks), spaces around fields trimmed, empty lines skipped, rows of any length.
 * Lines without a quote take a fast path (split on commas). Each record comes with the line it
 * ends on, counted from 1.
 */
export class CsvReader {
  private rest = '';
  private started: boolean;

  /** `line`: lines read before this reader takes over (a reader may pick up mid-file). */
  constructor(
    private readonly emit: (cells: string[], line: number) => void,
    private line = 0,
  ) {
    this.started = line > 0;
  }

  push(text: string): void {
    this.parse(this.rest + text, false);
  }

  end(): void {
    this.parse(this.rest, true);
    this.rest = '';
  }

  private parse(text: string, final: boolean) {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let pos = 0;
    const n = text.length;
    let quote = -2;
    while (pos < n) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) {
        if (!final) break;
        nl = n;
      }
      if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
      if (quote < 0 || quote > nl) {
        this.line++;
        const cells = splitLine(text.slice(pos, nl));
        pos = nl + 1;
        if (cells) this.emit(cells, this.line);
        continue;
      }
      const end = this.quoted(text, pos, final);
      if (end < 0) break;
      pos = end;
    }
    this.rest = text.slice(pos);
  }

  /** A record holding a quote, from `pos`: where the next record starts, or -1 for more text. */
  private quoted(text: string, pos: number, final: boolean): number {
    const n = text.length;
    const cells: string[] = [];
    let lines = 1;
    let i = pos;
    for (;;) {
      while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      let cell: string;
      if (text.charCodeAt(i) === 34) {
        let buf = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) {
            if (final) throw csvInvalid(this.line + lines, 'quote not closed');
            return -1;
          }
          if (q + 1 >= n && !final) return -1;
          buf += text.slice(from, q);
          if (text.charCodeAt(q + 1) === 34) {
            buf += '"';
            from = q + 2;
            continue;
          }
          for (let k = i + 1; k < q; k++) if (text.charCodeAt(k) === 10) lines++;
          i = q + 1;
          break;
        }
        while (i < n && trimmable(text.charCodeAt(i)) && text.charCodeAt(i) !== 10) i++;
        const c = text.charCodeAt(i);
        if (i < n && c !== 44 && c !== 10) {
          throw csvInvalid(this.line + lines, 'invalid closing quote');
        }
        cell = buf;
      } else {
        let j = i;
        while (j < n && text.charCodeAt(j) !== 44 && text.charCodeAt(j) !== 10) j++;
        if (j >= n && !final) return -1;
        cell = text.slice(i, j).trim();
        if (cell.includes('"')) throw csvInvalid(this.line + lines, 'invalid opening quote');
        i = j;
      }
      cells.push(cell);
      if (i >= n) {
        if (!final) return -1;
        break;
      }
      if (text.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      i++; // the line break
      break;
    }
    this.line += lines;
    this.emit(cells, this.line);
    return i;
  }
}

/** Turns CSV records into rows: the header (matched by name) or DHIS2's column order. */
export class CsvRows {
  /** The field of each column, once the first record is read. */
  keys: (keyof RawDataValue | undefined)[] | undefined;
  /** Index of the next row (rows counted from 0, the header not counted). */
  index = 0;
  constructor(private readonly out: (row: RawDataValue) => void) {}

  record = (cells: string[], line: number): void => {
    if (!this.keys) {
      const first = cells.map((h) => h.toLowerCase().replace(/[^a-z]/g, ''));
      const hasHeader = first.includes('dataelement') || first.includes('de');
      this.keys = (hasHeader ? first : CSV_POSITIONS).map((n) => CSV_COLUMNS[n]);
      if (hasHeader) return;
    }
    const row: RawDataValue = {
      index: this.index++,
      line,
      dataElement: undefined,
      period: undefined,
      orgUnit: undefined,
      categoryOptionCombo: undefined,
      attributeOptionCombo: undefined,
      value: undefined,
      comment: undefined,
      followup: undefined,
      deleted: undefined,
      storedBy: undefined,
      estimate: undefined,
      reportedYoyPct: undefined,
      reportedPrevPct: undefined,
    };
    const keys = this.keys;
    const m = Math.min(keys.length, cells.length);
    for (let c = 0; c < m; c++) {
      const key = keys[c];
      const cell = cells[c]!;
      if (key && cell !== '') (row as unknown as Record<string, string>)[key] = cell;
    }
    this.out(row);
  };
}

/** Bytes of CSV read into one batch at most (plus the piece that crossed it). */
export const CSV_BATCH_BYTES = 4 * 1024 * 1024;

/** CSV as people write it: a header matched by name, spaces after commas, quoted fields. */
export function parseCsv(text: string): DataValueSetInput {
  const values: RawDataValue[] = [];
  const reader = new CsvReader(new CsvRows((r) => values.push(r)).record);
  reader.push(text);
  reader.end();
  return { values };
}

/**
 * A CSV file read piece by piece, in batches of rows: memory stays bounded by the batch, so a
 * file of millions of values imports like a small one. A batch ends at `batchSize` rows or
 * `batchBytes` bytes of file, whichever comes first: rows with long comments would otherwise
 * make a batch of tens of megabytes. The bytes must be UTF-8.
 */
export async function* readCsvBatches(
  chunks: AsyncIterable<Uint8Array>,
  batchSize: number,
  batchBytes = CSV_BATCH_BYTES,
): AsyncGenerator<RawDataValue[]> {
  let batch: RawDataValue[] = [];
  let bytes = 0;
  const reader = new CsvReader(new CsvRows((r) => batch.push(r)).record);
  let carry: Buffer | undefined;
  // Node's fatal TextDecoder is slow on large input: check with isUtf8, then decode; a
  // character cut at the end of a piece waits for the next one.
  const decode = (chunk: Uint8Array) => {
    const bytes = carry
      ? Buffer.concat([carry, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let cut = bytes.length;
    for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
      const b = bytes[i]!;
      if ((b & 0xc0) === 0x80) continue;
      const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (i + size > bytes.length) cut = i;
      break;
    }
    carry = cut < bytes.length ? bytes.subarray(cut) : undefined;
    if (!isUtf8(bytes.subarray(0, cut))) throw notUtf8();
    return bytes.toString('utf8', 0, cut);
  };
  for await (const chunk of chunks) {
    reader.push(decode(chunk));
    bytes += chunk.length;
    if (batch.length >= batchSize || (bytes >= batchBytes && batch.length > 0)) {
      const full = batch;
      batch = [];
      bytes = 0;
      yield full;
    }
  }
  if (carry) throw notUtf8();
  reader.end();
  if (batch.length) yield batch;
}

/** A DTD or an entity declaration anywhere in the text (case as XML allows: exact). */
const DTD = /<!(DOCTYPE|ENTITY)/i;

/**
 * An XML document read safely: no DTD, so no entity of ours is ever expanded (an external one
 * would read a file or a URL, nested ones would blow up in memory) — only XML's five
 * predefined entities are read; checked well-formed first (a truncated file is refused whole).
 * Attributes are read as plain strings under their names (after `attributePrefix`) without
 * namespace prefixes; the elements named in `arrays` are always lists.
 */
export function readXml(
  text: string,
  arrays: readonly string[],
  attributePrefix = '',
): Record<string, unknown> {
  if (DTD.test(text)) {
    throw fileInvalid(
      'không nhận DTD hay khai báo thực thể (<!DOCTYPE>, <!ENTITY>)',
      'DTDs and entity declarations (<!DOCTYPE>, <!ENTITY>) are not accepted',
    );
  }
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(text);
  } catch (e) {
    throw fileInvalid('XML sai cú pháp', `malformed XML (${(e as Error).message})`);
  }
  if (valid !== true) {
    throw fileInvalid(
      `XML sai cú pháp ở dòng ${valid.err.line}`,
      `malformed or truncated XML at line ${valid.err.line}: ${valid.err.msg}`,
      { line: valid.err.line },
    );
  }
  try {
    return new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: attributePrefix,
      removeNSPrefix: true,
      parseAttributeValue: false,
      parseTagValue: false,
      isArray: (name, _path, _leaf, isAttribute) => !isAttribute && arrays.includes(name),
      htmlEntities: false,
    }).parse(text) as Record<string, unknown>;
  } catch (e) {
    throw fileInvalid('XML sai cú pháp', `malformed XML (${(e as Error).message})`);
  }
}

export function parseXml(text: string): DataValueSetInput {
  const xml = readXml(text, ['dataValue']) as {
    dataValueSet?: Record<string, unknown> & { dataValue?: Record<string, unknown>[] };
  };
  const set = xml.dataValueSet;
  if (!set || typeof set !== 'object') {
    throw fileInvalid('thiếu phần tử <dataValueSet>', 'no <dataValueSet> element');
  }
  const values = Array.isArray(set.dataValue) ? set.dataValue : [];
  return {
    dataSet: str(set.dataSet),
    completeDate: str(set.completeDate),
    values: values.map((v, i) => withDefaults(set, v && typeof v === 'object' ? v : {}, i)),
  };
}

/** The format a Content-Type or Accept header, or a file name, names (`.adx.xml`: ADX). */
export function formatOf(contentType: string | undefined, fileName?: string): DataValueFormat {
  const ct = (contentType ?? '').toLowerCase();
  const file = fileName?.toLowerCase();
  if (ct.includes('adx') || file?.endsWith('.adx.xml') || file?.endsWith('.adx')) return 'adx';
  if (ct.includes('csv') || file?.endsWith('.csv')) return 'csv';
  if (ct.includes('xml') || file?.endsWith('.xml')) return 'xml';
  return 'json';
}

export function parseDataValueSet(bytes: Uint8Array, format: DataValueFormat): DataValueSetInput {
  const text = decodeUtf8(bytes);
  if (format === 'csv') return parseCsv(text);
  if (format === 'xml') return parseXml(text);
  if (format === 'adx') return parseAdx(text);
  return parseJson(text);
}

/** A value as exported, in DHIS2's field names. */
export interface DataValueOut {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
  value: string;
  storedBy: string;
  created: string;
  lastUpdated: string;
  comment?: string;
  followup: boolean;
  estimate?: boolean;
  reportedYoyPct?: number;
  reportedPrevPct?: number;
  /** Written when the export includes deleted values (DHIS2's includeDeleted). */
  deleted?: boolean;
}

const CSV_HEADER = [
  'dataelement',
  'period',
  'orgunit',
  'categoryoptioncombo',
  'attributeoptioncombo',
  'value',
  'storedby',
  'lastupdated',
  'comment',
  'followup',
  'estimate',
  'reportedyoypct',
  'reportedprevpct',
];

/** Whether a CSV cell must be quoted: a quote, comma or line break, or space the reader would trim. */
function needsQuotes(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 44 || c === 10 || c === 13) return true;
  }
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  // Cheap test first: only a control, space or non-ASCII character at an end can be trimmed.
  return (first <= 32 || first >= 128 || last <= 32 || last >= 128) && s !== s.trim();
}

/** A CSV cell of text: formula-like text neutralised (see spreadsheet.ts), then quoted if it must be. */
function csvText(text: string): string {
  if (text.length === 0) return text;
  const s = safeCell(text);
  return needsQuotes(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A column whose text repeats from row to row (codes, times): the last cell is kept. */
class CsvColumn {
  private last: string | undefined;
  private out = '';
  cell(text: string): string {
    if (text !== this.last) {
      this.last = text;
      this.out = csvText(text);
    }
    return this.out;
  }
}

export const xmlAttr = (v: unknown) =>
  String(v)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');

/** Writes CSV lines; the columns that repeat from row to row are escaped once per change. */
class CsvLines {
  private element = new CsvColumn();
  private period = new CsvColumn();
  private unit = new CsvColumn();
  private option = new CsvColumn();
  private attribute = new CsvColumn();
  private storedBy = new CsvColumn();
  private updated = new CsvColumn();

  line(v: DataValueOut): string {
    return (
      this.element.cell(v.dataElement) +
      ',' +
      this.period.cell(v.period) +
      ',' +
      this.unit.cell(v.orgUnit) +
      ',' +
      this.option.cell(v.categoryOptionCombo) +
      ',' +
      this.attribute.cell(v.attributeOptionCombo) +
      ',' +
      csvText(v.value) +
      ',' +
      this.storedBy.cell(v.storedBy) +
      ',' +
      this.updated.cell(v.lastUpdated) +
      ',' +
      (v.comment === undefined ? '' : csvText(v.comment)) +
      ',' +
      (v.followup ? 'true' : 'false') +
      ',' +
      (v.estimate ? 'true' : '') +
      ',' +
      (v.reportedYoyPct === undefined ? '' : csvText(String(v.reportedYoyPct))) +
      ',' +
      (v.reportedPrevPct === undefined ? '' : csvText(String(v.reportedPrevPct))) +
      (v.deleted === undefined ? '' : v.deleted ? ',true' : ',false') +
      '\n'
    );
  }
}

const xmlLine = (v: DataValueOut) => {
  let line = '  <dataValue';
  for (const [k, x] of Object.entries(v)) {
    if (x !== undefined && x !== null && x !== '') line += ` ${k}="${xmlAttr(x)}"`;
  }
  return line + '/>\n';
};

/**
 * A data value set written piece by piece, as values arrive: `head()`, `rows()` for each page,
 * then `tail()`. The pieces joined are DHIS2's shapes, as `formatDataValueSet` writes them. A
 * limit asked for is said in the set: JSON fields `limit` and `truncated` (more values match),
 * an XML attribute `limit` and a comment when cut (ADX: the comment); CSV has no place for it
 * (the API says it in a header). ADX needs to know which elements hold numbers (`numeric`): the
 * values of the others go in <annotation>.
 */
export class DataValueSetWriter {
  private first = true;
  private readonly csv = new CsvLines();
  private readonly adx: AdxLines | undefined;
  private readonly includeDeleted: boolean;
  constructor(
    readonly format: DataValueFormat,
    private readonly limit?: number,
    opts: {
      numeric?: (dataElement: string) => boolean;
      dataSet?: string;
      /** Deleted values included: CSV has a `deleted` column (the rows carry `deleted`). */
      includeDeleted?: boolean;
    } = {},
  ) {
    this.includeDeleted = opts.includeDeleted ?? false;
    if (format === 'adx') this.adx = new AdxLines(opts.numeric ?? (() => true), opts.dataSet);
  }

  head(): string {
    if (this.format === 'json') return '{"dataValues":[';
    if (this.format === 'csv')
      return CSV_HEADER.join(',') + (this.includeDeleted ? ',deleted' : '') + '\n';
    if (this.adx) return this.adx.head();
    const limit = this.limit === undefined ? '' : ` limit="${this.limit}"`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0"${limit}>\n`;
  }

  rows(values: DataValueOut[]): string {
    let out = '';
    if (this.format === 'json') {
      for (const v of values) {
        out += (this.first ? '' : ',') + JSON.stringify(v);
        this.first = false;
      }
    } else if (this.format === 'csv') for (const v of values) out += this.csv.line(v);
    else if (this.adx) out += this.adx.rows(values);
    else for (const v of values) out += xmlLine(v);
    return out;
  }

  /** `truncated`: the limit was reached and more values match. */
  tail(truncated = false): string {
    if (this.format === 'json') {
      return this.limit === undefined ? ']}' : `],"limit":${this.limit},"truncated":${truncated}}`;
    }
    if (this.format === 'csv') return '';
    const note = truncated ? `  <!-- limit of ${this.limit} values reached; more match -->\n` : '';
    if (this.adx) return this.adx.tail(note);
    return `${note}</dataValueSet>\n`;
  }
}

/** Writes values in the shape DHIS2 exchanges them; reading the result back gives the same values. */
export function formatDataValueSet(
  values: DataValueOut[],
  format: DataValueFormat,
  opts: { numeric?: (dataElement: string) => boolean } = {},
): string {
  const w = new DataValueSetWriter(format, undefined, opts);
  return w.head() + w.rows(values) + w.tail();
}
