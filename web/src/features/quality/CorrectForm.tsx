import { useId, useState } from 'react';
import { useQualityText } from './messages.ts';
import { ReviewForm } from './ReviewForm.tsx';

/**
 * "Sửa giá trị": the correct value (and why), saved as any value is — audited, checked again —
 * so that a value back inside its range loses its flag and closes its task.
 */
export function CorrectForm({
  correct,
  onDone,
}: {
  correct: (value: string, comment: string) => Promise<unknown>;
  onDone: () => void;
}) {
  const { t } = useQualityText();
  const id = useId();
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
      send={() => correct(value.trim(), comment)}
      onDone={() => {
        setValue('');
        setComment('');
        onDone();
      }}
    >
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
