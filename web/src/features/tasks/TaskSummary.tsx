import { formatDate, formatDateTime } from '../../shared/format.ts';
import { daysLateOf, directiveOf, fileName, vnToday, type TaskDetail } from '../directives/data.ts';
import { useDirText } from '../directives/messages.ts';
import { PriorityTag, StatusTag } from '../directives/parts.tsx';
import type { RefObject } from 'react';

/** What the task asks: its directive's title and text, due date, unit, read and acknowledged. */
export function TaskSummary({
  task,
  headRef,
}: {
  task: TaskDetail;
  headRef: RefObject<HTMLHeadingElement | null>;
}) {
  const { lang, t } = useDirText();
  const d = directiveOf(task);
  const late = daysLateOf(task, vnToday());
  const standalone = task.directive === null;
  return (
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
            {formatDate(lang, d.dueDate)}
            {late > 0 && ` · ${t('overdueBy', { n: late })}`}
          </dd>
        </div>
        <div>
          <dt>{t('unit')}</dt>
          <dd>{task.unit.name}</dd>
        </div>
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
              <li key={a.id}>
                <a href={`/api/attachments/${a.id}`}>{fileName(a)}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
