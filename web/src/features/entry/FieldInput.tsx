import { useController, type Control } from 'react-hook-form';
import { formatNumber, type Lang } from '../../shared/format.ts';
import { useI18n } from '../../shared/i18n.ts';
import {
  clientProblem,
  dateTime,
  fieldId,
  fieldName,
  outOfRange,
  TYPE_HINT,
  type EntryField,
  type FormValues,
} from './fields.ts';

/**
 * One field of the form: its label, problem, control for its value type, and hint. Its value,
 * whether it changed and its problem (the typed value checked with the server's rules, or the
 * server's own) live in the form (react-hook-form); the control is controlled, so a checkbox
 * holds 'true' or '' like the other types, and the input's name stays the field's key.
 */
export function FieldInput({
  field,
  label,
  control,
  readOnly,
}: {
  field: EntryField;
  label: string;
  control: Control<FormValues>;
  readOnly: boolean;
}) {
  const i18n = useI18n();
  const { lang, t } = i18n;
  const { field: input, fieldState } = useController({
    name: fieldName(field.key),
    control,
    rules: { validate: (v) => clientProblem(field, v ?? '', i18n) ?? true },
  });
  const value = input.value ?? '';
  const onChange = input.onChange;
  const error = fieldState.error?.message ?? null;
  const dirty = fieldState.isDirty;
  const id = fieldId(field.key);
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const warnId = `${id}-warn`;
  // Outside the usual range at the unit (issue 17): said beside the field, the save still allowed.
  const range = error ? null : outOfRange(field, value);
  const describedBy = [error ? errId : '', range ? warnId : '', hintId].filter(Boolean).join(' ');
  const common = {
    id,
    name: field.key,
    value,
    ref: input.ref,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    onBlur: input.onBlur,
  } as const;
  let widget;
  if (field.valueType === 'true_only') {
    // DHIS2's TRUE_ONLY: ticked is "true", left empty is no value at all.
    widget = (
      <input
        {...common}
        type="checkbox"
        className="entry-check"
        checked={value === 'true'}
        disabled={readOnly}
        onChange={(e) => onChange(e.target.checked ? 'true' : '')}
      />
    );
  } else if (field.valueType === 'boolean') {
    widget = (
      <select {...common} onChange={(e) => onChange(e.target.value)} disabled={readOnly}>
        <option value="">{t('entryNotSet')}</option>
        <option value="true">{t('entryYes')}</option>
        <option value="false">{t('entryNo')}</option>
      </select>
    );
  } else {
    const numeric = field.valueType === 'integer';
    const decimal = field.valueType === 'number' || field.valueType === 'percentage';
    widget = (
      <input
        {...common}
        readOnly={readOnly}
        type={field.valueType === 'date' ? 'date' : 'text'}
        inputMode={numeric ? 'numeric' : decimal ? 'decimal' : undefined}
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="next"
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  const hint = [t(TYPE_HINT[field.valueType])];
  if (field.storedBy && field.lastUpdated)
    hint.push(t('entryStoredBy', { who: field.storedBy, when: dateTime(field.lastUpdated, lang) }));
  return (
    <div
      className={
        'entry-field' +
        (error ? ' has-error' : range ? ' has-warning' : '') +
        (dirty ? ' is-dirty' : '')
      }
      data-testid={`field-${field.key}`}
    >
      <label htmlFor={id}>
        {label}
        {field.unit && !field.optionVi ? (
          <span className="entry-unit-label"> ({field.unit})</span>
        ) : null}
      </label>
      {error && (
        <p className="field-error" id={errId} data-testid={`error-${field.key}`}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
      {range && <RangeWarning id={warnId} fieldKey={field.key} range={range} lang={lang} />}
      {widget}
      <p className="hint" id={hintId}>
        {hint.join(' · ')}
      </p>
    </div>
  );
}

const RANGE_WORDS = {
  vi: ['Ngoài khoảng thường gặp', 'kiểm tra lại trước khi lưu'],
  en: ['Outside the usual range', 'check it before saving'],
} as const;

/** A value outside the field's usual range at the unit: a warning beside it, not an error. */
function RangeWarning({
  id,
  fieldKey,
  range,
  lang,
}: {
  id: string;
  fieldKey: string;
  range: { min: number; max: number };
  lang: Lang;
}) {
  const n = (x: number) => formatNumber(lang, x, { decimals: 2 });
  const [what, ask] = RANGE_WORDS[lang];
  return (
    <p className="field-warning" id={id} data-testid={`range-${fieldKey}`}>
      <span aria-hidden="true">⚠ </span>
      {what} <span className="field-range">{`(${n(range.min)}–${n(range.max)})`}</span>: {ask}
    </p>
  );
}
