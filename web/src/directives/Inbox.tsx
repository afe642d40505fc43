import { useCallback, useEffect, useRef, useState } from 'react';
import type { Me } from '../api.ts';
import { formatDate, formatDateTime } from '../format.ts';
import { ErrorBox, Loading } from '../ui.tsx';
import {
  DIRECTIVE_TOPICS,
  daysLateOf,
  directiveOf,
  loadDirectives,
  loadInbox,
  vnToday,
  type Directive,
  type Task,
} from './data.ts';
import { useLive } from '../live.ts';
import { useDirText } from './messages.ts';
import { canAssign } from './AssignForm.tsx';
import { ASSIGN_PATH, DIRECTIVES_PATH, ISSUE_PATH, linkTo, TASK_PATH } from './nav.ts';
import { LiveMark, PriorityTag, StatusTag } from './parts.tsx';

/** Whether the user may issue directives (a leader or an administrator). */
export function canIssue(me: Me): boolean {
  return me.permissions.includes('directive.issue');
}

const LIVE_DEBOUNCE_MS = 150;

/** A task assigned outside a directive. */
const isStandalone = (t: Task) => t.directiveId == null && !t.directive;

/** `/chi-dao`: the tasks of my units, newest first, arriving live; and what I issued. */
export function InboxPage({ me }: { me: Me }) {
  const { lang, t } = useDirText();
  const [tasks, setTasks] = useState<Task[] | undefined>();
  const [issued, setIssued] = useState<Directive[] | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [fresh, setFresh] = useState<Set<string>>(() => new Set());
  const [announce, setAnnounce] = useState('');
  const known = useRef<Set<string> | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const issuer = canIssue(me);

  const load = useCallback(async () => {
    try {
      const [inbox, mine] = await Promise.all([
        loadInbox(),
        issuer ? loadDirectives().catch(() => [] as Directive[]) : Promise.resolve(undefined),
      ]);
      // Newest first: what arrived last is what the officer must see.
      inbox.sort((a, b) =>
        String(b.createdAt ?? b.id).localeCompare(String(a.createdAt ?? a.id), undefined, {
          numeric: true,
        }),
      );
      const ids = inbox.map((x) => String(x.id));
      if (known.current) {
        const added = inbox.filter((x) => !known.current!.has(String(x.id)));
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
      known.current = new Set(ids);
      setTasks(inbox);
      if (mine) setIssued(mine);
      setError(null);
    } catch (e) {
      setError(e);
    }
    // t changes with the language only; the list does not depend on it
  }, [issuer]);

  useEffect(() => {
    void load();
    return () => clearTimeout(timer.current);
  }, [load]);

  const soon = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), LIVE_DEBOUNCE_MS);
  };
  useLive({ event: (topic) => topic !== 'plan' && soon(), reset: soon }, true, DIRECTIVE_TOPICS);

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
            <a className="btn" href={ASSIGN_PATH} onClick={linkTo(ASSIGN_PATH)}>
              {t('assignNew')}
            </a>
          )}
          {issuer && (
            <a className="btn btn-primary" href={ISSUE_PATH} onClick={linkTo(ISSUE_PATH)}>
              {t('issueNew')}
            </a>
          )}
        </div>
      </div>
      <p className="sr-only" role="status" aria-live="polite" data-testid="inbox-announce">
        {announce}
      </p>
      {error ? <ErrorBox error={error} /> : null}
      <section className="card" aria-labelledby="inbox-mine">
        <h2 id="inbox-mine" className="section-title">
          {t('inboxMine')}
          {tasks && <span className="count-pill">{tasks.length}</span>}
        </h2>
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
                  <a
                    className={`dir-item${task.readAt ? '' : ' is-unread'}`}
                    href={href}
                    onClick={(e) => {
                      setFresh((f) => {
                        const n = new Set(f);
                        n.delete(id);
                        return n;
                      });
                      linkTo(href)(e);
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
                      {task.unit?.name && <span>{task.unit.name}</span>}
                      {d.dueDate && (
                        <span className={late > 0 && task.status !== 'done' ? 'is-late' : ''}>
                          {t('due', { date: formatDate(lang, d.dueDate) })}
                          {late > 0 &&
                            task.status !== 'done' &&
                            ` · ${t('overdueBy', { n: late })}`}
                        </span>
                      )}
                    </span>
                  </a>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {issuer && (
        <section className="card" aria-labelledby="inbox-issued">
          <h2 id="inbox-issued" className="section-title">
            {t('issuedTitle')}
            {issued && <span className="count-pill">{issued.length}</span>}
          </h2>
          {!issued ? (
            <Loading />
          ) : issued.length === 0 ? (
            <p className="empty">{t('issuedEmpty')}</p>
          ) : (
            <ul className="list" data-testid="issued">
              {issued.map((d) => {
                const href = `${DIRECTIVES_PATH}/${encodeURIComponent(String(d.id))}`;
                return (
                  <li key={String(d.id)}>
                    <a className="dir-item" href={href} onClick={linkTo(href)}>
                      <span className="dir-item-top">
                        <PriorityTag priority={d.priority} />
                        {d.taskCount !== undefined && (
                          <span className="tag">{t('recipients', { n: d.taskCount })}</span>
                        )}
                      </span>
                      <span className="dir-item-title">{d.title}</span>
                      <span className="dir-item-meta">
                        <span>{t('due', { date: formatDate(lang, d.dueDate) })}</span>
                        {(d.issuedAt ?? d.createdAt) && (
                          <span>{formatDateTime(lang, (d.issuedAt ?? d.createdAt)!)}</span>
                        )}
                      </span>
                    </a>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
