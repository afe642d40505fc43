import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Me } from '../../shared/api/types.ts';
import { formatDate } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import {
  DIRECTIVE_TOPICS,
  daysLateOf,
  directiveOf,
  loadInbox,
  vnToday,
  type Task,
} from '../directives/data.ts';
import { useLiveInvalidate } from '../../shared/live.ts';
import { useDirText } from '../directives/messages.ts';
import { canAssign } from './AssignForm.tsx';
import { DIRECTIVE_LIST_KEY, DirectiveList } from '../directives/DirectiveList.tsx';
import { ASSIGN_PATH, ISSUE_PATH, DirLink, TASK_PATH } from '../directives/nav.tsx';
import { LiveMark, PriorityTag, StatusTag } from '../directives/parts.tsx';

/** Whether the user may issue directives (a leader or an administrator). */
export function canIssue(me: Me): boolean {
  return me.permissions.includes('directive.issue');
}

const LIVE_DEBOUNCE_MS = 150;
const INBOX_KEY = ['tasks', 'inbox'];
const LISTS = [INBOX_KEY, DIRECTIVE_LIST_KEY];

/** A task assigned outside a directive. */
const isStandalone = (t: Task) => t.directive === null;

/**
 * `/chi-dao`: for an issuer, the directives they see (filtered, searched, paged); then the tasks
 * of my units, newest first, arriving live — for an issuer, of a directive's tasks only their own
 * unit's (the units' copies are grouped under their directive in the list).
 */
export function InboxPage({ me }: { me: Me }) {
  const { lang, t } = useDirText();
  const [fresh, setFresh] = useState<Set<string>>(() => new Set());
  const [announce, setAnnounce] = useState('');
  const known = useRef<Set<string> | undefined>(undefined);
  const issuer = canIssue(me);

  const inboxQ = useQuery({
    queryKey: [...INBOX_KEY, issuer],
    queryFn: async ({ signal }) => {
      // An issuer follows the tasks of the units below on each directive's board (the list
      // above groups them under their directive); the inbox keeps their own unit's.
      const inbox = await loadInbox(issuer, signal);
      // Newest first: what arrived last is what the officer must see.
      return inbox.sort((a, b) =>
        b.createdAt.localeCompare(a.createdAt, undefined, { numeric: true }),
      );
    },
  });
  const tasks = inboxQ.data;
  const error = inboxQ.error;

  // Tasks that were not there at the last look are marked new and announced.
  useEffect(() => {
    if (!tasks) return;
    if (known.current) {
      const added = tasks.filter((x) => !known.current!.has(String(x.id)));
      if (added.length) {
        setFresh((f) => new Set([...f, ...added.map((x) => String(x.id))]));
        setAnnounce(
          added.length === 1
            ? t(isStandalone(added[0]!) ? 'announceTask' : 'announceNew', {
                title: directiveOf(added[0]!).title,
              })
            : t('announceNewMany', { n: added.length }),
        );
      }
    }
    known.current = new Set(tasks.map((x) => String(x.id)));
    // t changes with the language only; the list does not depend on it
  }, [tasks]);

  // A burst of events (a directive to many units) refetches once.
  useLiveInvalidate(DIRECTIVE_TOPICS, (topic) => (topic !== 'plan' ? LISTS : []), LISTS, {
    coalesceMs: LIVE_DEBOUNCE_MS,
  });

  const today = vnToday();

  return (
    <div className="page dir-page">
      <div className="page-head dir-head">
        <div>
          <h1>{t('inboxTitle')}</h1>
          <p className="muted">{t('inboxIntro')}</p>
        </div>
        <div className="dir-head-actions">
          <LiveMark />
          {canAssign(me) && (
            <DirLink to={ASSIGN_PATH} className="btn">
              {t('assignNew')}
            </DirLink>
          )}
          {issuer && (
            <DirLink to={ISSUE_PATH} className="btn btn-primary">
              {t('issueNew')}
            </DirLink>
          )}
        </div>
      </div>
      <p className="sr-only" role="status" aria-live="polite" data-testid="inbox-announce">
        {announce}
      </p>
      {issuer && <DirectiveList />}
      {error ? <ErrorBox error={error} /> : null}
      <section className="card" aria-labelledby="inbox-mine">
        <h2 id="inbox-mine" className="section-title">
          {t('inboxMine')}
          {tasks && <span className="count-pill">{tasks.length}</span>}
        </h2>
        {issuer && <p className="muted dir-inbox-note">{t('inboxOutsideNote')}</p>}
        {!tasks ? (
          <Loading />
        ) : tasks.length === 0 ? (
          <p className="empty">{t('inboxEmpty')}</p>
        ) : (
          <ul className="list dir-inbox" data-testid="inbox">
            {tasks.map((task) => {
              const d = directiveOf(task);
              const id = String(task.id);
              const late = daysLateOf(task, today);
              const href = `${TASK_PATH}/${encodeURIComponent(id)}`;
              return (
                <li key={id} data-testid="inbox-item" data-task={id}>
                  <DirLink
                    className={`dir-item${task.readAt ? '' : ' is-unread'}`}
                    to={href}
                    onClick={() => {
                      setFresh((f) => {
                        const n = new Set(f);
                        n.delete(id);
                        return n;
                      });
                    }}
                  >
                    <span className="dir-item-top">
                      {fresh.has(id) && (
                        <span className="badge-new" data-testid="new-badge">
                          {t('newBadge')}
                        </span>
                      )}
                      {isStandalone(task) ? (
                        <span className="tag">{t('standaloneTag')}</span>
                      ) : (
                        <PriorityTag priority={d.priority} />
                      )}
                      <StatusTag status={task.status} />
                      {!task.readAt && <span className="sr-only">{t('unreadMark')}</span>}
                    </span>
                    <span className="dir-item-title">{d.title}</span>
                    <span className="dir-item-meta">
                      {task.unit.name && <span>{task.unit.name}</span>}
                      {d.dueDate && (
                        <span className={late > 0 && task.status !== 'done' ? 'is-late' : ''}>
                          {t('due', { date: formatDate(lang, d.dueDate) })}
                          {late > 0 &&
                            task.status !== 'done' &&
                            ` · ${t('overdueBy', { n: late })}`}
                        </span>
                      )}
                    </span>
                  </DirLink>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
