import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Me } from '../../shared/api/types.ts';
import { answer, client } from '../../shared/api/client.ts';
import { formatDate, formatPercent } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { DIRECTIVE_TOPICS, directiveOf, weekRange, type Task } from '../directives/data.ts';
import { useLiveInvalidate } from '../../shared/live.ts';
import { useDirText } from '../directives/messages.ts';
import { DirLink, TASK_PATH } from '../directives/nav.tsx';
import { LiveMark, StatusTag } from '../directives/parts.tsx';

const WEEKS = [4, 8, 12];
const FOLLOWUP_KEY = ['followup'] as const;

/** `GET /api/followup` under a unit, over some weeks. */
async function loadFollowup(unit: string, weeks: number, signal: AbortSignal) {
  return answer(client.GET('/api/followup', { params: { query: { unit, weeks } }, signal }));
}

function rateClass(rate: number): string {
  return rate >= 0.9 ? 'rate-good' : rate >= 0.6 ? 'rate-mid' : 'rate-bad';
}

/** `/theo-doi`: the Office's follow-up — overdue, due this week, on-time rate per unit. */
export function FollowupPage({ me }: { me: Me }) {
  const { lang, t } = useDirText();
  const [weeks, setWeeks] = useState(8);
  // Another number of weeks keeps the last figures on screen until the new ones come.
  const followQ = useQuery({
    queryKey: [...FOLLOWUP_KEY, me.scope.code, weeks],
    queryFn: ({ signal }) => loadFollowup(me.scope.code, weeks, signal),
    placeholderData: keepPreviousData,
  });
  const data = followQ.data;
  const error = followQ.error;
  useLiveInvalidate(DIRECTIVE_TOPICS, (topic) => (topic !== 'plan' ? [FOLLOWUP_KEY] : []), [
    FOLLOWUP_KEY,
  ]);

  const list = (items: Task[], testId: string) =>
    items.length === 0 ? (
      <p className="empty">{t('followNone')}</p>
    ) : (
      <ul className="list" data-testid={testId}>
        {items.map((task) => {
          const d = directiveOf(task);
          const href = `${TASK_PATH}/${task.id}`;
          return (
            <li key={String(task.id)}>
              <DirLink to={href} className="dir-item">
                <span className="dir-item-top">
                  <StatusTag status={task.status} />
                  <span className="tag">{task.unit.name}</span>
                </span>
                <span className="dir-item-title">{d.title}</span>
                <span className={`dir-item-meta${task.daysLate > 0 ? ' is-late' : ''}`}>
                  {t('due', { date: formatDate(lang, d.dueDate) })}
                  {task.daysLate > 0 && ` · ${t('overdueBy', { n: task.daysLate })}`}
                </span>
              </DirLink>
            </li>
          );
        })}
      </ul>
    );

  const weekList = data?.onTime[0]?.weeks.map((w) => w.week) ?? [];

  return (
    <div className="page dir-page dir-board">
      <div className="page-head dir-head">
        <div>
          <h1>{t('followTitle')}</h1>
          <p className="muted">
            {data ? `${data.unit.name} — ` : ''}
            {t('followIntro')}
          </p>
        </div>
        <div className="dir-head-actions">
          <LiveMark />
          <div className="field">
            <label htmlFor="fu-weeks">{t('weeks')}</label>
            <select id="fu-weeks" value={weeks} onChange={(e) => setWeeks(Number(e.target.value))}>
              {WEEKS.map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {!data && !error ? <Loading /> : null}
      {data && (
        <>
          <div className="dir-grid2">
            <section className="card" aria-labelledby="fu-overdue">
              <h2 id="fu-overdue" className="section-title">
                {t('followOverdue')}
                <span className="count-pill">{data.overdue.length}</span>
              </h2>
              {list(data.overdue, 'followup-overdue')}
            </section>
            <section className="card" aria-labelledby="fu-week">
              <h2 id="fu-week" className="section-title">
                {t('followDueWeek')}
                <span className="count-pill">{data.dueThisWeek.length}</span>
              </h2>
              {list(data.dueThisWeek, 'followup-week')}
            </section>
          </div>
          <section className="card" aria-labelledby="fu-rates">
            <h2 id="fu-rates" className="section-title">
              {t('followRates')}
            </h2>
            {data.onTime.length === 0 ? (
              <p className="empty">{t('followNone')}</p>
            ) : (
              <div className="table-wrap">
                <table className="dir-table" data-testid="followup-rates">
                  <thead>
                    <tr>
                      <th scope="col">{t('unit')}</th>
                      {weekList.map((w) => (
                        <th
                          key={w}
                          scope="col"
                          className="num"
                          title={formatDate(lang, weekRange(w).from)}
                        >
                          {t('week')} {Number(w.slice(-2))}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {data.onTime.map((r) => (
                      <tr key={r.unit.code}>
                        <th scope="row">{r.unit.name}</th>
                        {r.weeks.map((w) => (
                          <td key={w.week} className="num">
                            {w.rate === null ? (
                              <span className="muted">–</span>
                            ) : (
                              <span
                                className={`rate-cell ${rateClass(w.rate)}`}
                                title={`${w.onTime}/${w.due}`}
                              >
                                {formatPercent(lang, w.rate * 100, 0)}
                              </span>
                            )}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </div>
  );
}
