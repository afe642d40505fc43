import { useState, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ErrorBox } from '../../shared/ui.tsx';
import { useQualityText } from './messages.ts';

/**
 * A reviewer's action behind a button: the button opens a small form (`children`, its fields);
 * sending asks `check` (which marks what is missing), calls `send`, then closes and calls
 * `onDone`. Confirming a value and correcting it share it.
 */
export function ReviewForm({
  label,
  sendLabel,
  check,
  send,
  onDone,
  errorTestId,
  children,
}: {
  label: string;
  sendLabel: string;
  check: () => boolean;
  send: () => Promise<unknown>;
  onDone: () => void;
  errorTestId: string;
  children: ReactNode;
}) {
  const { t } = useQualityText();
  const [open, setOpen] = useState(false);
  const mutation = useMutation({
    mutationFn: send,
    onSuccess: () => {
      setOpen(false);
      onDone();
    },
  });

  if (!open)
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  return (
    <form
      className="dq-confirm"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (check()) mutation.mutate();
      }}
    >
      {children}
      {mutation.error ? <ErrorBox error={mutation.error} testId={errorTestId} /> : null}
      <div className="dq-actions">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {sendLabel}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
