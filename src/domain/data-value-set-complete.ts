import { AppError } from './errors.ts';
import { decodeUtf8, readXml, type DataValueFormat } from './data-value-set.ts';

/**
 * DHIS2's `completeDate` of a data value set: the set's data set is registered complete for the
 * period and unit its header names. `DataValueSetInput` keeps only the header's data set and
 * date (each value already carries the header's period and unit), so the header is read again
 * here — only when a completion is asked for, which a form of a few values does.
 */

/** The header fields a completion registers: DHIS2's "group level" ids. */
export interface SetHeader {
  period?: string;
  orgUnit?: string;
  attributeOptionCombo?: string;
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : undefined;

/**
 * The period, unit and attribute combo of a JSON or DXF2 XML set's header (already read whole
 * and found well formed). CSV has no header; ADX names them per group: none is read.
 */
export function readSetHeader(bytes: Uint8Array, format: DataValueFormat): SetHeader {
  let header: Record<string, unknown> | undefined;
  if (format === 'json') header = JSON.parse(decodeUtf8(bytes)) as Record<string, unknown>;
  else if (format === 'xml') {
    const doc = readXml(decodeUtf8(bytes), ['dataValue']) as { dataValueSet?: unknown };
    const set = doc.dataValueSet;
    header = set && typeof set === 'object' ? (set as Record<string, unknown>) : undefined;
  }
  if (!header || typeof header !== 'object') return {};
  return {
    period: text(header.period)?.trim() || undefined,
    orgUnit: text(header.orgUnit)?.trim() || undefined,
    attributeOptionCombo: text(header.attributeOptionCombo)?.trim() || undefined,
  };
}

/**
 * The date a set is registered complete on, as DHIS2 reads `completeDate`: `true` is today,
 * `false` or nothing is no completion, a date (`2022-05-02`, or a time whose day is taken) is
 * that day, and a day after today is today. Anything else is refused before the import runs.
 */
export function completionDate(given: string | undefined, today: string): string | undefined {
  const g = given?.trim() ?? '';
  if (g === '' || g.toLowerCase() === 'false') return undefined;
  if (g.toLowerCase() === 'true') return today;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(g);
  const day = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  const valid =
    m &&
    !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
    new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
  if (!valid) {
    throw new AppError(
      'validation_failed',
      {
        vi: `completeDate không phải ngày: "${g}" (cần true, false hoặc một ngày như 2022-05-02); không có gì được nhập`,
        en: `completeDate is not a date: "${g}" (true, false or a date such as 2022-05-02); nothing was imported`,
      },
      { completeDate: g },
    );
  }
  return day > today ? today : day;
}
