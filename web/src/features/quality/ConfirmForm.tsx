import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ErrorBox } from '../../shared/ui.tsx';
import { useQualityText } from './messages.ts';

/**
 * "Xác nhận … đúng": opens a comment box, then calls `confirm` (a review route). With
 * `required`, the comment must say why (the route refuses an empty one).
 */
export function ConfirmForm({
  confirm,
  onDone,
  label,
  required = false,
}: {
  confirm: (comment: string) => Promise<unknown>;
  onDone: () => void;
  label?: string;
  required?: boolean;
}) {
  const { t } = useQualityText();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const send = useMutation({
    mutationFn: () => confirm(comment),
    onSuccess: () => {
      setOpen(false);
      setComment('');
      onDone();
    },
  });

  if (!open)
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {label ?? t('confirm')}
      </button>
    );
  return (
    <form
      className="dq-confirm"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (required && !comment.trim()) return setMissing(true);
        send.mutate();
      }}
    >
      <div className="field">
        <label htmlFor={id}>{t('confirmComment')}</label>
        <textarea
          id={id}
          rows={2}
          maxLength={2000}
          value={comment}
          required={required}
          aria-invalid={missing || undefined}
          aria-describedby={missing ? `${id}-missing` : undefined}
          autoFocus
          onChange={(e) => {
            setComment(e.target.value);
            if (e.target.value.trim()) setMissing(false);
          }}
        />
        {missing ? (
          <p id={`${id}-missing`} className="dq-missing" role="alert">
            {t('commentRequired')}
          </p>
        ) : null}
      </div>
      {send.error ? <ErrorBox error={send.error} testId="dq-confirm-error" /> : null}
      <div className="dq-actions">
        <button type="submit" className="btn btn-primary" disabled={send.isPending}>
          {t('confirmSend')}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
