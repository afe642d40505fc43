import { formatDate } from '../../shared/format.ts';
import { directiveOf, type Task } from '../directives/data.ts';
import { useDirText } from '../directives/messages.ts';
import { DirLink, TASK_PATH } from '../directives/nav.tsx';
import { PriorityTag, StatusTag } from '../directives/parts.tsx';

/** The tasks of a unit's week, each a link to the task. */
export function PlanTaskList({ tasks }: { tasks: Task[] }) {
  const { lang, t } = useDirText();
  return tasks.length === 0 ? (
    <p className="empty">{t('planEmpty')}</p>
  ) : (
    <ul className="list">
      {tasks.map((task) => {
        const d = directiveOf(task);
        const href = `${TASK_PATH}/${task.id}`;
        return (
          <li key={String(task.id)}>
            <DirLink to={href} className="dir-item">
              <span className="dir-item-top">
                <PriorityTag priority={d.priority} />
                <StatusTag status={task.status} />
              </span>
              <span className="dir-item-title">{d.title}</span>
              <span className="dir-item-meta">
                {t('due', { date: formatDate(lang, d.dueDate) })}
              </span>
            </DirLink>
          </li>
        );
      })}
    </ul>
  );
}
