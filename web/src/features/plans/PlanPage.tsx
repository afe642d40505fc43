import { useEffect, useState } from 'react';
import { useSearch } from '@tanstack/react-router';
import type { Me } from '../../shared/api/types.ts';
import { query } from '../../shared/url.ts';
import { formatDate } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { isoWeek, shiftWeek, vnToday } from '../directives/data.ts';
import { useUnitChildren } from '../directives/queries.ts';
import { dirLabel, useDirText } from '../directives/messages.ts';
import { DirLink, PLAN_PATH, useDirGo } from '../directives/nav.tsx';
import { PlanActions } from './PlanActions.tsx';
import { PlanFacts } from './PlanFacts.tsx';
import { PlanListCard } from './PlanListCard.tsx';
import { PlanTaskList } from './PlanTaskList.tsx';
import { usePlan } from './usePlan.ts';

/** `/ke-hoach?u=&w=`: a unit's tasks of an ISO week, submitted and approved or sent back. */
export function PlanPage({ me }: { me: Me }) {
  const { lang, t } = useDirText();
  const navigate = useDirGo();
  const search = useSearch({ from: '/ke-hoach/$' });
  const unit = search.u ?? me.scope.code;
  const week = search.w ?? isoWeek(vnToday());
  const decider = me.permissions.includes('plan.decide');
  const [done, setDone] = useState('');
  const { list, plan, error, act } = usePlan(unit, week, decider, () => setDone(''));

  useEffect(() => {
    // another unit or week: what was said about the last one no longer applies
    setDone('');
  }, [unit, week]);

  // A superior picks one of the units below; an officer sees his own.
  const unitsQ = useUnitChildren(me.scope.version, me.scope.code, decider);
  const units = unitsQ.data ?? [];

  const to = (u: string, w: string) =>
    `${PLAN_PATH}${query({ u: u === me.scope.code ? undefined : u, w })}`;

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
            <PlanActions
              plan={plan}
              unit={unit}
              week={week}
              own={own}
              decider={decider}
              canSubmit={canSubmit}
              canDecide={canDecide}
              done={done}
              setDone={setDone}
              act={act}
            />
          </div>
        </section>
      )}
    </div>
  );
}
