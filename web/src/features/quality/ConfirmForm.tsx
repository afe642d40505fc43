import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ErrorBox } from '../../shared/ui.tsx';
import { useQualityText } from './messages.ts';
import { confirmViolation, type QualityResult } from './queries.ts';

/** "Xác nhận số liệu đúng": opens a comment box, then calls the review route. */
export function ConfirmForm({
  result,
  onDone,
}: {
  result: QualityResult;
  onDone: (r: QualityResult) => void;
}) {
  const { t } = useQualityText();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const send = useMutation({
    mutationFn: () => confirmViolation(result, comment),
    onSuccess: () => {
      setOpen(false);
      onDone(result);
    },
  });

  if (!open)
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {t('confirm')}
      </button>
    );
  return (
    <form
      className="dq-confirm"
      onSubmit={(e) => {
        e.preventDefault();
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
          autoFocus
          onChange={(e) => setComment(e.target.value)}
        />
      </div>
      {send.error ? <ErrorBox error={send.error} testId="dq-confirm-error" /> : null}
      <div className="dq-actions">
        <button type="submit" className="btn btn-primary" disabled={send.isPending}>
          {t('confirmSend')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
