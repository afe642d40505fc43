import { useId, useState } from 'react';
import { useQualityText } from './messages.ts';
import { ReviewForm } from './ReviewForm.tsx';

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
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <ReviewForm
      label={label ?? t('confirm')}
      sendLabel={t('confirmSend')}
      errorTestId="dq-confirm-error"
      check={() => {
        if (required && !comment.trim()) {
          setMissing(true);
          return false;
        }
        return true;
      }}
      send={() => confirm(comment)}
      onDone={() => {
        setComment('');
        onDone();
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
    </ReviewForm>
  );
}
