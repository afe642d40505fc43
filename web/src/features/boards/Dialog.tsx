import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useBoardText } from './messages.ts';

/** A modal dialog (the browser's own: focus kept inside, Escape closes it). */
export function Dialog({
  title,
  onClose,
  children,
  testId,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const { t } = useBoardText();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`board-dialog${wide ? ' wide' : ''}`}
      aria-labelledby={id}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="board-dialog-head">
        <h2 id={id}>{title}</h2>
        <button
          type="button"
          className="btn btn-icon"
          aria-label={t('close')}
          title={t('close')}
          onClick={onClose}
        >
          ×
        </button>
      </div>
      <div className="board-dialog-body">{children}</div>
    </dialog>
  );
}
