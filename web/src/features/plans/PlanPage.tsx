import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import { api, query, type Me, type OrgUnit } from '../../api.ts';
import { formatDate } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { DIRECTIVE_TOPICS, isoWeek, shiftWeek, vnToday } from '../directives/data.ts';
import { useLiveInvalidate } from '../../shared/live.ts';
import { dirLabel, useDirText } from '../directives/messages.ts';
import { DirLink, PLAN_PATH, useDirGo } from '../directives/nav.tsx';
import { PlanFacts } from './PlanFacts.tsx';
import { PlanListCard } from './PlanListCard.tsx';
import { PlanTaskList } from './PlanTaskList.tsx';
import type { Plan, PlanList } from './types.ts';

/** `/ke-hoach?u=&w=`: a unit's tasks of an ISO week, submitted and approved or sent back. */
export function PlanPage({ me }: { me: Me }) {
  const { lang, t } = useDirText();
  const navigate = useDirGo();
  const client = useQueryClient();
  const search = useSearch({ from: '/ke-hoach/$' });
  const unit = search.u ?? me.scope.code;
  const week = search.w ?? isoWeek(vnToday());
  const decider = me.permissions.includes('plan.decide');
  const [actError, setActError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const noteRef = useRef<HTMLTextAreaElement>(null);

  // A superior sees the week's plans of the units below, those awaiting a decision first.
  const listKey = ['plans', week] as const;
  const listQ = useQuery({
    queryKey: listKey,
    queryFn: () => api<PlanList>(`/api/plans${query({ week })}`),
    enabled: decider,
  });
  const list = listQ.error ? undefined : listQ.data;

  const path = `/api/plans/${encodeURIComponent(unit)}/${encodeURIComponent(week)}`;
  const planKey = ['plan', unit, week] as const;
  const planQ = useQuery({ queryKey: planKey, queryFn: () => api<Plan>(path) });
  const plan = planQ.data;
  const error = planQ.error;
  const planRef = useRef<Plan | undefined>(undefined);
  useEffect(() => {
    planRef.current = plan;
  });

  useEffect(() => {
    // another unit or week: what was said about the last one no longer applies
    setDone('');
    setActError(null);
    setNote('');
  }, [unit, week]);
  useLiveInvalidate(
    DIRECTIVE_TOPICS,
    (topic, data) => {
      if (topic === 'plan') {
        const keys: QueryKey[] = data.week === week ? [listKey] : [];
        // a plan event names its unit and week: only ours matters
        const u = data.unit as { code?: string } | undefined;
        if (u?.code !== undefined && (u.code !== unit || data.week !== week)) return keys;
        // someone else changed it: our last "done" message would mislead
        if (data.status !== planRef.current?.status) setDone('');
        return [...keys, planKey];
      }
      return topic === 'task' ? [planKey] : [];
    },
    [planKey, listKey],
  );

  // A superior picks one of the units below; an officer sees his own.
  const unitsQ = useQuery({
    queryKey: ['orgunits', 'children', me.scope.version, me.scope.code],
    queryFn: () =>
      api<{ items: OrgUnit[] }>(
        `/api/orgunits/${encodeURIComponent(me.scope.code)}/children${query({ version: me.scope.version, limit: 5000 })}`,
      ),
    enabled: decider,
  });
  const units = unitsQ.data?.items ?? [];

  const to = (u: string, w: string) =>
    `${PLAN_PATH}${query({ u: u === me.scope.code ? undefined : u, w })}`;

  const act = async (what: 'submit' | 'approve' | 'return') => {
    setActError(null);
    setDone('');
    if (what === 'return' && !note.trim()) {
      setActError(new Error(t('planReturnNeedsNote')));
      noteRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const body =
        what === 'submit'
          ? { ...(note.trim() ? { note: note.trim() } : {}) }
          : { approve: what === 'approve', ...(note.trim() ? { note: note.trim() } : {}) };
      const r = await api<Plan>(`${path}/${what === 'submit' ? 'submit' : 'decision'}`, {
        method: 'POST',
        body,
      });
      if (r && typeof r === 'object' && 'status' in r) {
        // At once, not after the render: our own change's live event may come in between,
        // and must not pass for someone else's (it would wipe the message below).
        planRef.current = r;
        client.setQueryData(planKey, r);
      } else await client.invalidateQueries({ queryKey: planKey });
      setNote('');
      setDone(
        what === 'submit'
          ? t('planDoneSubmitted')
          : what === 'approve'
            ? t('planDoneApproved')
            : t('planDoneReturned'),
      );
    } catch (e) {
      setActError(e);
    } finally {
      setBusy(false);
    }
  };

  const prev = shiftWeek(week, -1);
  const next = shiftWeek(week, 1);
  const own = unit === me.scope.code;
  // The unit submits while drafting or after a return; a superior decides a submitted plan.
  const canSubmit =
    own &&
    me.permissions.includes('task.report') &&
    (plan?.status === 'draft' || plan?.status === 'returned');
  const canDecide = !own && decider && plan?.status === 'submitted';

  return (
    <div className="page dir-page">
      <div className="page-head">
        <h1>{t('planTitle')}</h1>
        <p className="muted">{t('planIntro')}</p>
      </div>
      <div className="card dir-toolbar">
        {decider && units.length > 0 && (
          <div className="field">
            <label htmlFor="plan-unit">{t('planUnit')}</label>
            <select
              id="plan-unit"
              value={unit}
              onChange={(e) => navigate(to(e.target.value, week))}
            >
              <option value={me.scope.code}>{me.scope.name ?? me.scope.code}</option>
              {units.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.fullName}
                </option>
              ))}
            </select>
          </div>
        )}
        <nav className="dir-weeknav" aria-label={t('week')}>
          <DirLink to={to(unit, prev)} className="btn btn-small">
            ← {t('prevWeek')}
          </DirLink>
          <strong data-testid="plan-week">
            {plan
              ? t('weekLabel', {
                  w: Number(week.slice(-2)),
                  from: formatDate(lang, plan.start),
                  to: formatDate(lang, plan.end),
                })
              : week}
          </strong>
          <DirLink to={to(unit, next)} className="btn btn-small">
            {t('nextWeek')} →
          </DirLink>
        </nav>
      </div>
      {decider && list && <PlanListCard list={list} unit={unit} week={week} to={to} />}
      {error ? <ErrorBox error={error} /> : null}
      {!plan && !error ? <Loading /> : null}
      {plan && (
        <section className="card" aria-labelledby="plan-tasks" data-testid="plan">
          <h2 id="plan-tasks" className="section-title">
            {plan.unit.name} — {t('planTasks')}
            <span className={`tag plan-${plan.status}`} data-testid="plan-status">
              {dirLabel(lang, 'planStatus', plan.status)}
            </span>
          </h2>
          <PlanTaskList tasks={plan.tasks} />
          <div className="dir-report-body">
            <PlanFacts plan={plan} />
            {actError ? <ErrorBox error={actError} testId="plan-error" /> : null}
            {done && (
              <p className="success" role="status" data-testid="plan-done">
                {done}
              </p>
            )}
            {canSubmit || canDecide ? (
              <>
                <div className="field">
                  <label htmlFor="plan-note">{canSubmit ? t('note') : t('planDecisionNote')}</label>
                  <textarea
                    id="plan-note"
                    ref={noteRef}
                    rows={2}
                    aria-describedby={canDecide ? 'plan-note-hint' : undefined}
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                  />
                  {canDecide && (
                    <span id="plan-note-hint" className="hint">
                      {t('planDecisionHint')}
                    </span>
                  )}
                </div>
                <div className="dir-actions">
                  {canSubmit && (
                    <button
                      type="button"
                      className="btn btn-primary"
                      disabled={busy}
                      onClick={() => void act('submit')}
                    >
                      {plan.status === 'returned' ? t('planResubmit') : t('planSubmit')}
                    </button>
                  )}
                  {canDecide && (
                    <>
                      <button
                        type="button"
                        className="btn btn-primary"
                        disabled={busy}
                        onClick={() => void act('approve')}
                      >
                        {t('planApprove')}
                      </button>
                      <button
                        type="button"
                        className="btn btn-danger"
                        disabled={busy}
                        onClick={() => void act('return')}
                      >
                        {t('planReturn')}
                      </button>
                    </>
                  )}
                </div>
              </>
            ) : (
              !own &&
              decider &&
              plan.status === 'draft' && (
                <p className="muted" data-testid="plan-not-submitted">
                  {t('planNotSubmitted')}
                </p>
              )
            )}
          </div>
        </section>
      )}
    </div>
  );
}
