import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ErrorBox } from '../../shared/ui.tsx';
import { useQualityText } from './messages.ts';

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
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const send = useMutation({
    mutationFn: () => correct(value.trim(), comment),
    onSuccess: () => {
      setOpen(false);
      setValue('');
      setComment('');
      onDone();
    },
  });

  if (!open)
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {t('correctRange')}
      </button>
    );
  return (
    <form
      className="dq-confirm"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim() === '' || !Number.isFinite(Number(value))) return setMissing(true);
        send.mutate();
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
      {send.error ? <ErrorBox error={send.error} testId="dq-correct-error" /> : null}
      <div className="dq-actions">
        <button type="submit" className="btn btn-primary" disabled={send.isPending}>
          {t('correctSend')}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
