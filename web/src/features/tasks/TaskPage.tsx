import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Me } from '../../api.ts';
import { formatDate, formatDateTime, formatNumber } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import {
  addComment,
  completeMilestone,
  DIRECTIVE_TOPICS,
  daysLateOf,
  directiveOf,
  fileName,
  loadHistory,
  loadTask,
  personName,
  reportStatus,
  vnToday,
  type Comment,
  type HistoryEntry,
  type StatusInput,
  type Task,
} from '../directives/data.ts';
import { useLive } from '../../shared/live.ts';
import { dirLabel, useDirText } from '../directives/messages.ts';
import {
  AttachInput,
  AttachedFiles,
  BackLink,
  PriorityTag,
  StatusTag,
  useAttachments,
} from '../directives/parts.tsx';

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
export function TaskPage({ id, me }: { id: string; me: Me }) {
  const { lang, t } = useDirText();
  const [task, setTask] = useState<Task | undefined>();
  const [history, setHistory] = useState<HistoryEntry[] | undefined>();
  const [comments, setComments] = useState<Comment[] | undefined>();
  const [commentText, setCommentText] = useState('');
  const [commentBusy, setCommentBusy] = useState(false);
  const [commentError, setCommentError] = useState<unknown>(null);
  const [msBusy, setMsBusy] = useState<number | undefined>();
  const [msError, setMsError] = useState<unknown>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const attachments = useAttachments(setError);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [progress, setProgress] = useState('');
  const [figures, setFigures] = useState('');
  const savedRef = useRef<HTMLParagraphElement>(null);
  const headRef = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      const [tk, h] = await Promise.all([
        loadTask(id),
        loadHistory(id).catch(() => ({ events: [], comments: [] })),
      ]);
      setTask(tk);
      setHistory(h.events);
      setComments(h.comments);
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

  useLive(
    {
      event: (topic, data) => {
        if (topic === 'plan') return;
        const taskId = data.taskId;
        if (
          topic === 'task' &&
          (typeof taskId === 'string' || typeof taskId === 'number') &&
          String(taskId) !== id
        )
          return;
        void load();
      },
      reset: () => void load(),
    },
    true,
    DIRECTIVE_TOPICS,
  );

  const refreshHistory = () =>
    loadHistory(id)
      .then((h) => {
        setHistory(h.events);
        setComments(h.comments);
      })
      .catch(() => {});

  const sendComment = async (e: FormEvent) => {
    e.preventDefault();
    setCommentError(null);
    const text = commentText.trim();
    if (!text) {
      setCommentError(new Error(t('commentEmpty')));
      return;
    }
    setCommentBusy(true);
    try {
      const c = await addComment(id, text);
      // shown at once; the live event then refetches the same list
      setComments((old) => (old?.some((x) => x.id === c.id) ? old : [...(old ?? []), c]));
      setCommentText('');
      void refreshHistory();
    } catch (err) {
      setCommentError(err);
    } finally {
      setCommentBusy(false);
    }
  };

  const markMilestone = async (mid: number) => {
    setMsError(null);
    setMsBusy(mid);
    try {
      const updated = await completeMilestone(id, mid);
      setTask((old) => ({ ...old!, ...updated }));
      void refreshHistory();
    } catch (err) {
      setMsError(err);
    } finally {
      setMsBusy(undefined);
    }
  };

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
    if (attachments.files.length) body.attachmentIds = attachments.files.map((f) => Number(f.id));
    setBusy(true);
    try {
      const updated = await reportStatus(id, body);
      setTask((old) => ({ ...old!, ...(updated ?? {}), status: updated?.status ?? status }));
      setSaved(t('saved', { status: dirLabel(lang, 'status', status) }));
      setNote('');
      setReason('');
      setFigures('');
      attachments.clear();
      void refreshHistory();
      requestAnimationFrame(() => savedRef.current?.focus());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
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
  const today = vnToday();
  const late = daysLateOf(task, today);
  const standalone = task.directiveId == null && !task.directive;
  // The report form is for the recipient (its unit or the person named); a superior comments.
  const recipient =
    task.assigneeId != null ||
    !task.unit ||
    (task.unit.code === me.scope.code &&
      (task.unit.version === undefined || task.unit.version === me.scope.version));
  const mayReport = recipient && me.permissions.includes('task.report');
  const milestones = task.milestones ?? [];
  const submit = (e: FormEvent) => e.preventDefault();

  return (
    <div className="page dir-page dir-task">
      <BackLink />
      <article className="card dir-detail" data-testid="task-detail">
        <div className="dir-item-top">
          {standalone ? (
            <span className="tag" data-testid="standalone-tag">
              {t('standaloneTag')}
            </span>
          ) : (
            <PriorityTag priority={d.priority} />
          )}
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
        {d.body && (
          <>
            <h2 className="sr-only">{t('body')}</h2>
            <div className="dir-body">{d.body}</div>
          </>
        )}
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

      {milestones.length > 0 && (
        <section className="card" aria-labelledby="task-milestones">
          <h2 id="task-milestones" className="section-title">
            {t('milestones')}
            <span className="count-pill">
              {milestones.filter((m) => m.doneAt).length}/{milestones.length}
            </span>
          </h2>
          {msError ? <ErrorBox error={msError} testId="milestone-error" /> : null}
          <ol className="dir-milestones" data-testid="milestones">
            {milestones.map((m) => {
              const mLate = !m.doneAt && m.dueDate < today;
              return (
                <li
                  key={m.id}
                  data-testid="milestone"
                  data-done={m.doneAt ? 'true' : 'false'}
                  className={m.doneAt ? 'is-done' : ''}
                >
                  <span className="dir-ms-mark" aria-hidden="true">
                    {m.doneAt ? '✓' : '○'}
                  </span>
                  <span className="dir-ms-text">
                    <span className="dir-ms-title">{m.title}</span>
                    <span className={`dir-ms-meta${mLate ? ' is-late' : ''}`}>
                      {t('due', { date: formatDate(lang, m.dueDate) })}
                      {m.doneAt &&
                        ` · ${t('milestoneDoneAt', { at: formatDateTime(lang, m.doneAt) })}`}
                    </span>
                  </span>
                  {!m.doneAt && mayReport && (
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={msBusy !== undefined}
                      aria-label={t('milestoneMarkNamed', { title: m.title })}
                      onClick={() => void markMilestone(m.id)}
                    >
                      {t('milestoneMark')}
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
        </section>
      )}

      {task.status !== 'done' && mayReport && (
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

      <section className="card" aria-labelledby="task-comments">
        <h2 id="task-comments" className="section-title">
          {t('comments')}
          {comments && comments.length > 0 && <span className="count-pill">{comments.length}</span>}
        </h2>
        <div className="dir-report-body">
          {!comments ? (
            <Loading />
          ) : comments.length === 0 ? (
            <p className="empty">{t('commentsEmpty')}</p>
          ) : (
            <ol className="dir-comments" data-testid="comments">
              {comments.map((c) => (
                <li key={c.id} data-testid="comment">
                  <span className="dir-comment-head">
                    <strong>{c.authorName}</strong>
                    <span className="muted"> · {formatDateTime(lang, c.createdAt)}</span>
                  </span>
                  <span className="dir-comment-body">{c.body}</span>
                </li>
              ))}
            </ol>
          )}
          {me.permissions.includes('task.report') && (
            <form onSubmit={(e) => void sendComment(e)} noValidate data-testid="comment-form">
              {commentError ? <ErrorBox error={commentError} testId="comment-error" /> : null}
              <div className="field">
                <label htmlFor="task-comment">{t('comment')}</label>
                <textarea
                  id="task-comment"
                  rows={2}
                  maxLength={5000}
                  value={commentText}
                  onChange={(e) => setCommentText(e.target.value)}
                />
              </div>
              <div className="dir-actions">
                <button type="submit" className="btn" disabled={commentBusy}>
                  {commentBusy ? t('sending') : t('commentSend')}
                </button>
              </div>
            </form>
          )}
        </div>
      </section>

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
              // a status change shows its new status; any other event (assigned, read…) its kind
              const to = !h.kind || h.kind === 'status' ? (h.to ?? h.status) : null;
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
