import { useRef, useState, type FormEvent } from 'react';
import { ErrorBox } from '../../shared/ui.tsx';
import { reportStatus, type StatusInput, type Task } from '../directives/data.ts';
import { dirLabel, useDirText } from '../directives/messages.ts';
import { AttachInput, AttachedFiles, useAttachments } from '../directives/parts.tsx';
import { parseFigures } from './figures.ts';

type Move = StatusInput['status'];

/** The recipient's report: a note, progress, files, figures, a reason, and the next status. */
export function TaskReportForm({
  id,
  status,
  saved,
  setSaved,
  onReported,
}: {
  id: string;
  status: Task['status'];
  /** What the last report said; shown here while the task is not done. */
  saved: string;
  setSaved: (message: string) => void;
  /** The server's answer to a report of `move`. */
  onReported: (updated: Task, move: Move) => void;
}) {
  const { lang, t } = useDirText();
  const [error, setError] = useState<unknown>(null);
  const attachments = useAttachments(setError);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [progress, setProgress] = useState('');
  const [figures, setFigures] = useState('');
  const savedRef = useRef<HTMLParagraphElement>(null);

  const act = async (move: Move) => {
    setError(null);
    setSaved('');
    const body: StatusInput = { status: move };
    if (note.trim()) body.note = note.trim();
    if (move === 'blocked' || reason.trim()) body.reason = reason.trim();
    if (progress.trim()) body.progress = Number(progress);
    if (figures.trim()) {
      const f = parseFigures(figures);
      if (typeof f === 'number') {
        setError(new Error(t('figuresBad', { n: f })));
        return;
      }
      body.figures = f;
    }
    if (attachments.files.length) body.attachmentIds = attachments.files.map((f) => Number(f.id));
    setBusy(true);
    try {
      const updated = await reportStatus(id, body);
      onReported(updated, move);
      setSaved(t('saved', { status: dirLabel(lang, 'status', move) }));
      setNote('');
      setReason('');
      setFigures('');
      attachments.clear();
      requestAnimationFrame(() => savedRef.current?.focus());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card dir-report"
      onSubmit={(e: FormEvent) => e.preventDefault()}
      aria-labelledby="report-title"
    >
      <h2 id="report-title" className="section-title">
        {t('reportTitle')}
      </h2>
      <div className="dir-report-body">
        <p className="muted">{t('reportIntro')}</p>
        {error ? <ErrorBox error={error} testId="task-error" /> : null}
        <p
          ref={savedRef}
          tabIndex={-1}
          className={saved ? 'success' : 'sr-only'}
          role="status"
          data-testid="task-saved"
        >
          {saved}
        </p>
        <div className="field">
          <label htmlFor="task-note">{t('note')}</label>
          <textarea
            id="task-note"
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        <div className="dir-row2">
          <div className="field">
            <label htmlFor="task-progress">{t('progress')}</label>
            <input
              id="task-progress"
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              value={progress}
              onChange={(e) => setProgress(e.target.value)}
            />
          </div>
          <div className="field">
            <AttachInput id="task-files" label={t('attach')} attachments={attachments} />
          </div>
        </div>
        <AttachedFiles attachments={attachments} />
        <div className="field">
          <label htmlFor="task-figures">{t('figures')}</label>
          <textarea
            id="task-figures"
            rows={2}
            aria-describedby="task-figures-hint"
            value={figures}
            onChange={(e) => setFigures(e.target.value)}
          />
          <span id="task-figures-hint" className="hint">
            {t('figuresHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor="task-reason">{t('reason')}</label>
          <input
            id="task-reason"
            aria-describedby="task-reason-hint"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <span id="task-reason-hint" className="hint">
            {t('reasonHint')}
          </span>
        </div>
        <div className="dir-actions">
          {status === 'received' && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() => void act('acknowledged')}
            >
              {t('actAcknowledge')}
            </button>
          )}
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => void act('in_progress')}
          >
            {t('actInProgress')}
          </button>
          <button
            type="button"
            className={status === 'received' ? 'btn' : 'btn btn-primary'}
            disabled={busy}
            onClick={() => void act('done')}
          >
            {t('actDone')}
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            onClick={() => void act('blocked')}
          >
            {t('actBlocked')}
          </button>
        </div>
      </div>
    </form>
  );
}
