import type { EntryField, EntryForm, ValueType } from '../../api.ts';
import type { MessageKey } from '../../shared/i18n.ts';

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
export const valuesOf = (form: EntryForm) =>
  Object.fromEntries(form.fields.map((f) => [f.key, stored(f)]));
export const fieldId = (key: string) => `f-${key}`;

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
