import { parse as csvRecords } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from './errors.ts';

/**
 * DHIS2's data value set in its three exchange shapes — JSON, CSV and DXF2 XML — read into one
 * list of rows. Nothing is checked against metadata here; a file that cannot be read whole
 * (not UTF-8, truncated, malformed) is refused whole.
 */

export type DataValueFormat = 'json' | 'csv' | 'xml';

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
}

export interface DataValueSetInput {
  dataSet?: string;
  completeDate?: string;
  values: RawDataValue[];
}

const fileInvalid = (vi: string, en: string, details?: unknown) =>
  new AppError(
    'file_invalid',
    {
      vi: `Tệp không đọc được: ${vi}; không có gì được nhập`,
      en: `Unreadable file: ${en}; nothing was imported`,
    },
    details,
  );

/** Text of a body that must be UTF-8; a byte-order mark is dropped. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw fileInvalid('không phải mã UTF-8', 'it is not UTF-8 text');
  }
}

const str = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v);

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

/** CSV as people write it: a header matched by name, spaces after commas, quoted fields. */
export function parseCsv(text: string): DataValueSetInput {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = csvRecords(text, {
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      bom: true,
    }) as never;
  } catch (e) {
    throw fileInvalid(
      'CSV sai cú pháp hoặc bị cắt cụt',
      `malformed or truncated CSV (${(e as Error).message})`,
    );
  }
  if (records.length === 0) return { values: [] };
  const first = records[0]!.record.map((h) => h.toLowerCase().replace(/[^a-z]/g, ''));
  const hasHeader = first.includes('dataelement') || first.includes('de');
  const names = hasHeader ? first : CSV_POSITIONS;
  const body = hasHeader ? records.slice(1) : records;
  return {
    values: body.map((r, i) => {
      const v: Record<string, unknown> = {};
      names.forEach((n, c) => {
        const key = CSV_COLUMNS[n];
        const cell = r.record[c];
        if (key && cell !== undefined && cell !== '') v[key] = cell;
      });
      return withDefaults({}, v, i, r.info.lines);
    }),
  };
}

export function parseXml(text: string): DataValueSetInput {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw fileInvalid(
      `XML sai cú pháp ở dòng ${valid.err.line}`,
      `malformed or truncated XML at line ${valid.err.line}: ${valid.err.msg}`,
      { line: valid.err.line },
    );
  }
  const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: true,
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => name === 'dataValue',
  }).parse(text) as {
    dataValueSet?: Record<string, unknown> & { dataValue?: Record<string, unknown>[] };
  };
  const set = xml.dataValueSet;
  if (!set) throw fileInvalid('thiếu phần tử <dataValueSet>', 'no <dataValueSet> element');
  return {
    dataSet: str(set.dataSet),
    completeDate: str(set.completeDate),
    values: (set.dataValue ?? []).map((v, i) => withDefaults(set, v, i)),
  };
}

export function formatOf(contentType: string | undefined, fileName?: string): DataValueFormat {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('csv') || fileName?.endsWith('.csv')) return 'csv';
  if (ct.includes('xml') || fileName?.endsWith('.xml')) return 'xml';
  return 'json';
}

export function parseDataValueSet(bytes: Uint8Array, format: DataValueFormat): DataValueSetInput {
  const text = decodeUtf8(bytes);
  if (format === 'csv') return parseCsv(text);
  if (format === 'xml') return parseXml(text);
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

const csvCell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
};

const xmlAttr = (v: unknown) =>
  String(v)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');

/** Writes values in the shape DHIS2 exchanges them; reading the result back gives the same values. */
export function formatDataValueSet(values: DataValueOut[], format: DataValueFormat): string {
  if (format === 'json') return JSON.stringify({ dataValues: values });
  if (format === 'csv') {
    const lines = values.map((v) =>
      [
        v.dataElement,
        v.period,
        v.orgUnit,
        v.categoryOptionCombo,
        v.attributeOptionCombo,
        v.value,
        v.storedBy,
        v.lastUpdated,
        v.comment,
        v.followup,
        v.estimate || '',
        v.reportedYoyPct ?? '',
        v.reportedPrevPct ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
    return [CSV_HEADER.join(','), ...lines].join('\n') + '\n';
  }
  const rows = values.map(
    (v) =>
      '  <dataValue ' +
      Object.entries(v)
        .filter(([, x]) => x !== undefined && x !== null && x !== '')
        .map(([k, x]) => `${k}="${xmlAttr(x)}"`)
        .join(' ') +
      '/>',
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n${rows.join('\n')}\n</dataValueSet>\n`;
}
