import type { Me } from '../api.ts';
import { BoardPage } from './BoardPage.tsx';
import { FollowupPage } from './FollowupPage.tsx';
import { InboxPage } from './Inbox.tsx';
import { AssignForm } from './AssignForm.tsx';
import { IssueForm } from './IssueForm.tsx';
import {
  ASSIGN_PATH,
  DIRECTIVES_PATH,
  FOLLOWUP_PATH,
  ISSUE_PATH,
  PLAN_PATH,
  TASK_PATH,
  useLocation,
} from './nav.ts';
import { PlanPage } from './PlanPage.tsx';
import { TaskPage } from './TaskPage.tsx';
import './directives.css';

export { DIRECTIVES_PATH, FOLLOWUP_PATH, PLAN_PATH } from './nav.ts';
export { notifyNavigation } from './nav.ts';

const under = (pathname: string, path: string) =>
  pathname === path || pathname.startsWith(path + '/');

/** Which of App's pages a path belongs to, for the directive screens. */
export function directivesPageOf(pathname: string): 'directives' | 'plan' | 'followup' | null {
  if (under(pathname, DIRECTIVES_PATH)) return 'directives';
  if (under(pathname, PLAN_PATH)) return 'plan';
  if (under(pathname, FOLLOWUP_PATH)) return 'followup';
  return null;
}

/** The directive screens: inbox, one task, the issue form, a board, the plan, the follow-up. */
export function DirectivesArea({ me }: { me: Me }) {
  const loc = useLocation();
  const pathname = loc.split('?')[0]!;
  if (under(pathname, PLAN_PATH)) return <PlanPage me={me} />;
  if (under(pathname, FOLLOWUP_PATH)) return <FollowupPage me={me} />;
  if (pathname === ISSUE_PATH) return <IssueForm me={me} />;
  if (pathname === ASSIGN_PATH) return <AssignForm me={me} />;
  if (pathname.startsWith(TASK_PATH + '/')) {
    const id = decodeURIComponent(pathname.slice(TASK_PATH.length + 1));
    return <TaskPage key={id} id={id} me={me} />;
  }
  if (pathname.startsWith(DIRECTIVES_PATH + '/')) {
    const id = decodeURIComponent(pathname.slice(DIRECTIVES_PATH.length + 1));
    return <BoardPage key={id} id={id} />;
  }
  return <InboxPage me={me} />;
}
