import { checkValue, isNumericType } from '../../../../src/domain/data-value.ts';
import type { Schemas } from '../../shared/api/client.ts';
import type { I18n, MessageKey } from '../../shared/i18n.ts';

export type EntryForm = Schemas['DataEntryForm'];
export type EntryField = EntryForm['fields'][number];
export type ValueType = EntryField['valueType'];
/** A sentence in both languages, as the server sends it. */
export type Bilingual = Schemas['DataEntrySaved']['message'];

export const TYPE_HINT: Record<ValueType, MessageKey> = {
  integer: 'entryTypeInteger',
  number: 'entryTypeNumber',
  percentage: 'entryTypePercentage',
  boolean: 'entryTypeBoolean',
  true_only: 'entryTypeTrueOnly',
  date: 'entryTypeDate',
  text: 'entryTypeText',
};

export const TYPE_ERROR: Record<ValueType, MessageKey> = {
  integer: 'errInteger',
  number: 'errNumber',
  percentage: 'errPercentage',
  boolean: 'errBoolean',
  true_only: 'errTrueOnly',
  date: 'errDate',
  text: 'errText',
};

export const stored = (f: EntryField) => f.value ?? '';
export const fieldId = (key: string) => `f-${key}`;

/**
 * A field's name in the form's values (react-hook-form): its key with every character but a
 * letter or digit written as _hhhh, since the library reads dots and brackets as paths and a key
 * is ELEMENT.OPTION for one option of a breakdown. The inputs' own name stays the key.
 */
export const fieldName = (key: string) =>
  'k' + key.replace(/[^A-Za-z0-9]/g, (c) => '_' + c.charCodeAt(0).toString(16).padStart(4, '0'));

/** The form's values by field name (`fieldName`): what the fields show. */
export type FormValues = Record<string, string>;

/** The stored values of a form, as the form's values. */
export const valuesOf = (form: EntryForm): FormValues =>
  Object.fromEntries(form.fields.map((f) => [fieldName(f.key), stored(f)]));

/** What is wrong with a typed value, with the same rules as the server's (null: nothing). */
export function clientProblem(f: EntryField, raw: string, { lang, t }: I18n): string | null {
  if (raw.trim() === '') return null;
  const range = { element: f.dataElement, min: f.min, max: f.max };
  const checked = checkValue(f.valueType, raw, range);
  if (checked.ok) return null;
  // The right type but out of the element's range: the server's own sentence.
  if (checkValue(f.valueType, raw).ok) return checked.reason[lang];
  return t(TYPE_ERROR[f.valueType], { v: raw.trim() });
}

/**
 * The field's usual range at the unit when a typed value lies outside it (issue 17: a min–max
 * range, set by hand or generated); null when it has none, the value is within it, or the value
 * is empty or not a number (then the field shows its problem instead). A warning, not an error.
 */
export function outOfRange(f: EntryField, raw: string): { min: number; max: number } | null {
  if (!f.minMax || raw.trim() === '' || !isNumericType(f.valueType)) return null;
  const checked = checkValue(f.valueType, raw);
  if (!checked.ok || checked.number === null) return null;
  const n = checked.number;
  return n < f.minMax.min || n > f.minMax.max ? f.minMax : null;
}

export function dateTime(iso: string, lang: 'vi' | 'en'): string {
  return new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function fieldLabel(f: EntryField, lang: 'vi' | 'en'): string {
  const name = lang === 'vi' ? f.nameVi : f.nameEn;
  const option = lang === 'vi' ? f.optionVi : f.optionEn;
  return option ? `${name} — ${option}` : name;
}

/** Consecutive fields of one element with options (disaggregations) share a fieldset. */
export function groupFields(fields: EntryField[]) {
  const groups: { element: string; options: boolean; fields: EntryField[] }[] = [];
  for (const f of fields) {
    const last = groups[groups.length - 1];
    if (last && last.element === f.dataElement) last.fields.push(f);
    else groups.push({ element: f.dataElement, options: f.optionVi !== null, fields: [f] });
  }
  return groups;
}
