import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { formatDate, formatDateTime, formatNumber } from '../format.ts';
import { ErrorBox, Loading } from '../ui.tsx';
import {
  daysLateOf,
  directiveOf,
  fileName,
  loadHistory,
  loadTask,
  personName,
  reportStatus,
  uploadAttachment,
  vnToday,
  type Attachment,
  type HistoryEntry,
  type StatusInput,
  type Task,
} from './data.ts';
import { useDirectiveLive } from './live.ts';
import { dirLabel, useDirText } from './messages.ts';
import { DIRECTIVES_PATH, linkTo } from './nav.ts';
import { PriorityTag, StatusTag } from './parts.tsx';

type Move = StatusInput['status'];

/** "tên = số" lines into figures; the number of the first bad line otherwise. */
export function parseFigures(text: string): Record<string, number> | number {
  const out: Record<string, number> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const m = /^(.+?)\s*[=:]\s*(-?[\d.,]+)$/.exec(line);
    // Vietnamese writes 1.234,5: dots group thousands, the comma is the decimal mark.
    const n = m ? Number(m[2]!.replace(/\./g, '').replace(',', '.')) : NaN;
    if (!m || !Number.isFinite(n)) return i + 1;
    out[m[1]!.trim()] = n;
  }
  return out;
}

/** `/chi-dao/viec/:id`: one task of my unit — opening it records it as read. */
export function TaskPage({ id }: { id: string }) {
  const { lang, t } = useDirText();
  const [task, setTask] = useState<Task | undefined>();
  const [history, setHistory] = useState<HistoryEntry[] | undefined>();
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [progress, setProgress] = useState('');
  const [figures, setFigures] = useState('');
  const [files, setFiles] = useState<Attachment[]>([]);
  const [uploading, setUploading] = useState(false);
  const savedRef = useRef<HTMLParagraphElement>(null);
  const headRef = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      const [tk, h] = await Promise.all([loadTask(id), loadHistory(id).catch(() => [])]);
      setTask(tk);
      setHistory(h);
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (task) headRef.current?.focus();
    // focus the title once, when the task first shows
  }, [task === undefined]);

  useDirectiveLive({
    event: (topic, data) => {
      if (topic === 'task' && data.taskId !== undefined && String(data.taskId) !== id) return;
      void load();
    },
    reset: () => void load(),
  });

  const act = async (status: Move) => {
    setError(null);
    setSaved('');
    const body: StatusInput = { status };
    if (note.trim()) body.note = note.trim();
    if (status === 'blocked' || reason.trim()) body.reason = reason.trim();
    if (progress.trim()) body.progress = Number(progress);
    if (figures.trim()) {
      const f = parseFigures(figures);
      if (typeof f === 'number') {
        setError(new Error(t('figuresBad', { n: f })));
        return;
      }
      body.figures = f;
    }
    if (files.length) body.attachmentIds = files.map((f) => Number(f.id));
    setBusy(true);
    try {
      const updated = await reportStatus(id, body);
      setTask((old) => ({ ...old!, ...(updated ?? {}), status: updated?.status ?? status }));
      setSaved(t('saved', { status: dirLabel(lang, 'status', status) }));
      setNote('');
      setReason('');
      setFigures('');
      setFiles([]);
      void loadHistory(id)
        .then(setHistory)
        .catch(() => {});
      requestAnimationFrame(() => savedRef.current?.focus());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const onFiles = async (list: FileList | null) => {
    if (!list?.length) return;
    setUploading(true);
    setError(null);
    try {
      const added: Attachment[] = [];
      for (const f of Array.from(list)) added.push(await uploadAttachment(f));
      setFiles((old) => [...old, ...added]);
    } catch (e) {
      setError(e);
    } finally {
      setUploading(false);
    }
  };

  if (loadError)
    return (
      <div className="page dir-page">
        <BackLink />
        <ErrorBox error={loadError} />
      </div>
    );
  if (!task)
    return (
      <div className="page dir-page">
        <Loading />
      </div>
    );

  const d = directiveOf(task);
  const late = daysLateOf(task, vnToday());
  const submit = (e: FormEvent) => e.preventDefault();

  return (
    <div className="page dir-page dir-task">
      <BackLink />
      <article className="card dir-detail" data-testid="task-detail">
        <div className="dir-item-top">
          <PriorityTag priority={d.priority} />
          <StatusTag status={task.status} />
        </div>
        <h1 ref={headRef} tabIndex={-1} className="dir-title">
          {d.title}
        </h1>
        <dl className="dir-facts">
          <div>
            <dt>{t('dueLabel')}</dt>
            <dd className={late > 0 ? 'is-late' : ''}>
              {d.dueDate ? formatDate(lang, d.dueDate) : '–'}
              {late > 0 && ` · ${t('overdueBy', { n: late })}`}
            </dd>
          </div>
          {task.unit && (
            <div>
              <dt>{t('unit')}</dt>
              <dd>{task.unit.fullName ?? task.unit.name}</dd>
            </div>
          )}
          {task.readAt && (
            <div>
              <dt>{t('read')}</dt>
              <dd data-testid="read-at">{formatDateTime(lang, task.readAt)}</dd>
            </div>
          )}
          {task.acknowledgedAt && (
            <div>
              <dt>{t('acknowledged')}</dt>
              <dd>{formatDateTime(lang, task.acknowledgedAt)}</dd>
            </div>
          )}
        </dl>
        <h2 className="sr-only">{t('body')}</h2>
        <div className="dir-body">{d.body}</div>
        {d.attachments.length > 0 && (
          <>
            <h2 className="sub-title">{t('attachments')}</h2>
            <ul className="dir-files">
              {d.attachments.map((a) => (
                <li key={String(a.id)}>
                  <a href={a.url ?? `/api/attachments/${encodeURIComponent(String(a.id))}`}>
                    {fileName(a)}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
      </article>

      {task.status !== 'done' && (
        <form className="card dir-report" onSubmit={submit} aria-labelledby="report-title">
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
                <label htmlFor="task-files">{t('attach')}</label>
                <input
                  id="task-files"
                  type="file"
                  multiple
                  aria-describedby="task-files-hint"
                  onChange={(e) => {
                    void onFiles(e.target.files);
                    e.target.value = '';
                  }}
                />
                <span id="task-files-hint" className="hint">
                  {uploading ? t('uploading') : t('attachHint')}
                </span>
              </div>
            </div>
            {files.length > 0 && (
              <ul className="dir-files">
                {files.map((f) => (
                  <li key={String(f.id)}>
                    {fileName(f)}{' '}
                    <button
                      type="button"
                      className="btn btn-ghost btn-small"
                      aria-label={t('removeFile', { name: fileName(f) })}
                      onClick={() => setFiles((old) => old.filter((x) => x.id !== f.id))}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
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
              {task.status === 'received' && (
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
                className={task.status === 'received' ? 'btn' : 'btn btn-primary'}
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
      )}
      {task.status === 'done' && saved && (
        <p className="success" role="status" data-testid="task-saved">
          {saved}
        </p>
      )}

      <section className="card" aria-labelledby="task-history">
        <h2 id="task-history" className="section-title">
          {t('history')}
        </h2>
        {!history ? (
          <Loading />
        ) : history.length === 0 ? (
          <p className="empty">{t('historyEmpty')}</p>
        ) : (
          <ol className="dir-history" data-testid="history">
            {history.map((h, i) => {
              const to = h.to ?? h.status;
              const who = personName(h.by ?? h.actor);
              const text = h.note ?? h.text ?? h.body;
              return (
                <li key={String(h.id ?? i)}>
                  <span className="dir-history-at">{formatDateTime(lang, h.at)}</span>
                  <span>
                    {to ? (
                      <StatusTag status={to} />
                    ) : (
                      <span className="tag">
                        {dirLabel(lang, 'kind', h.kind ?? h.action ?? '')}
                      </span>
                    )}
                    {who && <span className="muted"> {who}</span>}
                  </span>
                  {h.reason && <span className="dir-history-text">{h.reason}</span>}
                  {text && <span className="dir-history-text">{text}</span>}
                  {h.figures && Object.keys(h.figures).length > 0 && (
                    <span className="dir-history-text muted">
                      {Object.entries(h.figures)
                        .map(([k, v]) => `${k}: ${formatNumber(lang, v)}`)
                        .join(' · ')}
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </div>
  );
}

function BackLink() {
  const { t } = useDirText();
  return (
    <a className="back-link" href={DIRECTIVES_PATH} onClick={linkTo(DIRECTIVES_PATH)}>
      ← {t('backToInbox')}
    </a>
  );
}
