import { useId, useState } from 'react';
import { useQualityText } from './messages.ts';
import { ReviewForm } from './ReviewForm.tsx';

/**
 * "Sửa giá trị": the correct value (and why), saved as any value is — audited, checked again —
 * so that a value back inside its range, or a rule kept again, loses its flag and closes its
 * task. With `choices` (a broken rule's stored values), the reviewer first picks which value.
 */
export function CorrectForm({
  correct,
  onDone,
  choices,
}: {
  correct: (value: string, comment: string, choice: number) => Promise<unknown>;
  onDone: () => void;
  choices?: string[];
}) {
  const { t } = useQualityText();
  const id = useId();
  const [choice, setChoice] = useState(0);
  const [value, setValue] = useState('');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <ReviewForm
      label={t('correctRange')}
      sendLabel={t('correctSend')}
      errorTestId="dq-correct-error"
      check={() => {
        if (value.trim() === '' || !Number.isFinite(Number(value))) {
          setMissing(true);
          return false;
        }
        return true;
      }}
      send={() => correct(value.trim(), comment, choice)}
      onDone={() => {
        setValue('');
        setComment('');
        onDone();
      }}
    >
      {choices && choices.length > 1 ? (
        <div className="field">
          <label htmlFor={`${id}-w`}>{t('correctWhich')}</label>
          <select id={`${id}-w`} value={choice} onChange={(e) => setChoice(Number(e.target.value))}>
            {choices.map((c, i) => (
              <option key={c} value={i}>
                {c}
              </option>
            ))}
          </select>
        </div>
      ) : choices?.length === 1 ? (
        <p className="muted">{choices[0]}</p>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-v`}>{t('correctValue')}</label>
        <input
          id={`${id}-v`}
          type="number"
          inputMode="decimal"
          step="any"
          value={value}
          required
          aria-invalid={missing || undefined}
          aria-describedby={missing ? `${id}-missing` : undefined}
          autoFocus
          onChange={(e) => {
            setValue(e.target.value);
            if (e.target.value.trim()) setMissing(false);
          }}
        />
        {missing ? (
          <p id={`${id}-missing`} className="dq-missing" role="alert">
            {t('correctMissing')}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-c`}>{t('correctComment')}</label>
        <textarea
          id={`${id}-c`}
          rows={2}
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </div>
    </ReviewForm>
  );
}
