import type { EntryField } from '../../api.ts';
import { useI18n } from '../../shared/i18n.ts';
import { dateTime, fieldId, TYPE_HINT } from './fields.ts';

/** One field of the form: its label, problem, control for its value type, and hint. */
export function FieldInput({
  field,
  label,
  value,
  error,
  dirty,
  readOnly,
  onChange,
  onBlur,
}: {
  field: EntryField;
  label: string;
  value: string;
  error: string | null;
  dirty: boolean;
  readOnly: boolean;
  onChange: (v: string) => void;
  onBlur: () => void;
}) {
  const { lang, t } = useI18n();
  const id = fieldId(field.key);
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const common = {
    id,
    name: field.key,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${errId} ${hintId}` : hintId,
    onBlur,
  } as const;
  let control;
  if (field.valueType === 'true_only') {
    // DHIS2's TRUE_ONLY: ticked is "true", left empty is no value at all.
    control = (
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
    control = (
      <select {...common} onChange={(e) => onChange(e.target.value)} disabled={readOnly}>
        <option value="">{t('entryNotSet')}</option>
        <option value="true">{t('entryYes')}</option>
        <option value="false">{t('entryNo')}</option>
      </select>
    );
  } else {
    const numeric = field.valueType === 'integer';
    const decimal = field.valueType === 'number' || field.valueType === 'percentage';
    control = (
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
      className={'entry-field' + (error ? ' has-error' : '') + (dirty ? ' is-dirty' : '')}
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
      {control}
      <p className="hint" id={hintId}>
        {hint.join(' · ')}
      </p>
    </div>
  );
}
