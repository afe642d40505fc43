import { useState } from 'react';
import { formatDate, formatDateTime } from '../../shared/format.ts';
import { ErrorBox } from '../../shared/ui.tsx';
import { completeMilestone, vnToday, type Milestone, type TaskDetail } from '../directives/data.ts';
import { useDirText } from '../directives/messages.ts';

/** The task's milestones; the recipient marks one done. */
export function TaskMilestones({
  id,
  milestones,
  mayReport,
  onDone,
}: {
  id: string;
  milestones: Milestone[];
  mayReport: boolean;
  onDone: (updated: TaskDetail) => void;
}) {
  const { lang, t } = useDirText();
  const [busy, setBusy] = useState<number | undefined>();
  const [error, setError] = useState<unknown>(null);
  const today = vnToday();

  const mark = async (mid: number) => {
    setError(null);
    setBusy(mid);
    try {
      onDone(await completeMilestone(id, mid));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="card" aria-labelledby="task-milestones">
      <h2 id="task-milestones" className="section-title">
        {t('milestones')}
        <span className="count-pill">
          {milestones.filter((m) => m.doneAt).length}/{milestones.length}
        </span>
      </h2>
      {error ? <ErrorBox error={error} testId="milestone-error" /> : null}
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
                  {m.doneAt && ` · ${t('milestoneDoneAt', { at: formatDateTime(lang, m.doneAt) })}`}
                </span>
              </span>
              {!m.doneAt && mayReport && (
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={busy !== undefined}
                  aria-label={t('milestoneMarkNamed', { title: m.title })}
                  onClick={() => void mark(m.id)}
                >
                  {t('milestoneMark')}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
