import { useEffect, useRef, useState } from 'react';
import type { Me } from '../../shared/api/types.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { BackLink } from '../directives/parts.tsx';
import { TaskComments } from './TaskComments.tsx';
import { TaskHistory } from './TaskHistory.tsx';
import { TaskMilestones } from './TaskMilestones.tsx';
import { TaskReportForm } from './TaskReportForm.tsx';
import { TaskSummary } from './TaskSummary.tsx';
import { useTask } from './useTask.ts';
import { ReportTaskLink } from '../reports/ReportTaskLink.tsx';

export { parseFigures } from './figures.ts';

/** `/chi-dao/viec/:id`: one task of my unit — opening it records it as read. */
export function TaskPage({ id, me }: { id: string; me: Me }) {
  const { task, loadError, history, comments, patchTask, addComment, refreshHistory } = useTask(id);
  const [saved, setSaved] = useState('');
  const headRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (task) headRef.current?.focus();
    // focus the title once, when the task first shows
  }, [task === undefined]);

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

  // The report form is for the recipient (its unit or the person named); a superior comments.
  const recipient =
    task.assigneeId !== null ||
    (task.unit.code === me.scope.code && task.unit.version === me.scope.version);
  const mayReport = recipient && me.permissions.includes('task.report');
  const milestones = task.milestones;

  return (
    <div className="page dir-page dir-task">
      <BackLink />
      <TaskSummary task={task} headRef={headRef} />

      {milestones.length > 0 && (
        <TaskMilestones
          id={id}
          milestones={milestones}
          mayReport={mayReport}
          onDone={(updated) => {
            patchTask(updated);
            refreshHistory();
          }}
        />
      )}

      {task.reportId !== null && <ReportTaskLink reportId={task.reportId} />}

      {task.status !== 'done' && mayReport && task.reportId === null && (
        <TaskReportForm
          id={id}
          status={task.status}
          saved={saved}
          setSaved={setSaved}
          onReported={(updated) => {
            patchTask(updated);
            refreshHistory();
          }}
        />
      )}
      {task.status === 'done' && saved && (
        <p className="success" role="status" data-testid="task-saved">
          {saved}
        </p>
      )}

      <TaskComments
        id={id}
        comments={comments}
        mayComment={me.permissions.includes('task.report')}
        onSent={(c) => {
          addComment(c);
          refreshHistory();
        }}
      />
      <TaskHistory history={history} />
    </div>
  );
}
