import { useRef, useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import { ErrorBox } from '../../shared/ui.tsx';
import { reportStatus, type StatusInput, type TaskDetail } from '../directives/data.ts';
import { dirLabel, useDirText } from '../directives/messages.ts';
import { AttachInput, AttachedFiles, useAttachments } from '../directives/parts.tsx';
import { parseFigures } from './figures.ts';

type Move = StatusInput['status'];

/** The report's fields as typed: progress and figures are read when it is sent. */
interface ReportValues {
  note: string;
  progress: string;
  figures: string;
  reason: string;
}

/** The recipient's report: a note, progress, files, figures, a reason, and the next status. */
export function TaskReportForm({
  id,
  status,
  saved,
  setSaved,
  onReported,
}: {
  id: string;
  status: TaskDetail['status'];
  /** What the last report said; shown here while the task is not done. */
  saved: string;
  setSaved: (message: string) => void;
  /** The server's answer to a report. */
  onReported: (updated: TaskDetail) => void;
}) {
  const { lang, t } = useDirText();
  const [error, setError] = useState<unknown>(null);
  const attachments = useAttachments(setError);
  const {
    register,
    handleSubmit,
    setValue,
    formState: { isSubmitting: busy },
  } = useForm<ReportValues>({
    defaultValues: { note: '', progress: '', figures: '', reason: '' },
  });
  const savedRef = useRef<HTMLParagraphElement>(null);

  const act = async (move: Move, v: ReportValues) => {
    setError(null);
    setSaved('');
    const body: StatusInput = { status: move };
    if (v.note.trim()) body.note = v.note.trim();
    if (move === 'blocked' || v.reason.trim()) body.reason = v.reason.trim();
    if (v.progress.trim()) body.progress = Number(v.progress);
    if (v.figures.trim()) {
      const f = parseFigures(v.figures);
      if (typeof f === 'number') {
        setError(new Error(t('figuresBad', { n: f })));
        return;
      }
      body.figures = f;
    }
    if (attachments.files.length) body.attachmentIds = attachments.files.map((f) => f.id);
    try {
      const updated = await reportStatus(id, body);
      onReported(updated);
      setSaved(t('saved', { status: dirLabel(lang, 'status', move) }));
      setValue('note', '');
      setValue('reason', '');
      setValue('figures', '');
      attachments.clear();
      requestAnimationFrame(() => savedRef.current?.focus());
    } catch (e) {
      setError(e);
    }
  };
  // Each button sends the report with its own next status.
  const send = (move: Move) => () => void handleSubmit((v) => act(move, v))();

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
          <textarea id="task-note" rows={3} {...register('note')} />
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
              {...register('progress')}
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
            {...register('figures')}
          />
          <span id="task-figures-hint" className="hint">
            {t('figuresHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor="task-reason">{t('reason')}</label>
          <input id="task-reason" aria-describedby="task-reason-hint" {...register('reason')} />
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
              onClick={send('acknowledged')}
            >
              {t('actAcknowledge')}
            </button>
          )}
          <button type="button" className="btn" disabled={busy} onClick={send('in_progress')}>
            {t('actInProgress')}
          </button>
          <button
            type="button"
            className={status === 'received' ? 'btn' : 'btn btn-primary'}
            disabled={busy}
            onClick={send('done')}
          >
            {t('actDone')}
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            onClick={send('blocked')}
          >
            {t('actBlocked')}
          </button>
        </div>
      </div>
    </form>
  );
}
