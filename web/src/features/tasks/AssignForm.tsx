import { useMemo, useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { Me } from '../../shared/api/types.ts';
import { newIdempotencyKey } from '../../shared/api/client.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { addDaysIso, assignTask, vnToday } from '../directives/data.ts';
import { useDirText } from '../directives/messages.ts';
import { DueDateField, FormPage } from '../directives/parts.tsx';
import { fold, useScopeTree } from '../directives/scope.ts';
import { taskPath, useDirGo } from '../directives/nav.tsx';
import { AssignMilestones } from './AssignMilestones.tsx';
import { assignProblem, newTaskOf, useAssignees, userName, type AssignValues } from './assign.ts';

/** Whether the user may assign tasks outside directives. */
export function canAssign(me: Me): boolean {
  return me.permissions.includes('task.assign');
}

/** `/chi-dao/giao-viec`: assign work to a unit (or one of its people), with milestones. */
export function AssignForm({ me }: { me: Me }) {
  const { t } = useDirText();
  const navigate = useDirGo();
  const { version, scopeUnit, children, loadError } = useScopeTree(me);
  const users = useAssignees(me);
  const { register, control, handleSubmit, setValue, watch, formState } = useForm<AssignValues>({
    defaultValues: {
      title: '',
      filter: '',
      unit: '',
      assignee: '',
      dueDate: addDaysIso(vnToday(), 14),
      milestones: [],
    },
  });
  const [filter, unit] = watch(['filter', 'unit']);
  // Sent: the button stays busy while the task's page opens.
  const [sent, setSent] = useState(false);
  const busy = formState.isSubmitting || sent;
  const [error, setError] = useState<unknown>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  // One key per task being assigned: sending the same form again after a lost answer (network
  // error, server restart) cannot create it twice; a changed form is a new task.
  const pending = useRef<{ json: string; key: string } | null>(null);

  const shown = useMemo(() => {
    const q = fold(filter.trim());
    if (!children) return [];
    const list = q ? children.filter((c) => fold(c.fullName).includes(q)) : children;
    // keep the chosen unit in the list while filtering, so the select shows it
    return unit && !list.some((c) => c.code === unit)
      ? [...children.filter((c) => c.code === unit), ...list]
      : list;
  }, [children, filter, unit]);

  const people = users.filter((u) => u.scope_code === unit && u.scope_version === version);

  const submit = async (values: AssignValues) => {
    setError(null);
    const problem = assignProblem(values, t);
    if (problem) {
      setError(new Error(problem));
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    if (!version) return; // the form shows once the tree is known
    try {
      const input = newTaskOf(values, version);
      const json = JSON.stringify(input);
      if (pending.current?.json !== json) pending.current = { json, key: newIdempotencyKey() };
      const created = await assignTask(input, pending.current.key);
      pending.current = null; // assigned: the next send is another task
      setSent(true);
      navigate(taskPath(created.id));
    } catch (err) {
      setError(err);
      requestAnimationFrame(() => errorRef.current?.focus());
    }
  };

  if (loadError)
    return (
      <div className="page dir-page">
        <ErrorBox error={loadError} />
      </div>
    );
  if (!scopeUnit || !children || !version)
    return (
      <div className="page dir-page">
        <Loading />
      </div>
    );

  return (
    <FormPage
      title={t('assignTitle')}
      intro={t('assignIntro')}
      testId="assign-form"
      errorTestId="assign-error"
      error={error}
      errorRef={errorRef}
      onSubmit={(e) => void handleSubmit(submit)(e)}
    >
      <div className="field">
        <label htmlFor="a-title">{t('taskName')}</label>
        <input id="a-title" required maxLength={500} {...register('title')} />
      </div>
      <div className="dir-row2">
        <div className="field">
          <label htmlFor="a-filter">{t('filterUnits')}</label>
          <input id="a-filter" type="search" {...register('filter')} />
        </div>
        <div className="field">
          <label htmlFor="a-unit">{t('assignUnit')}</label>
          <Controller
            control={control}
            name="unit"
            render={({ field }) => (
              <select
                id="a-unit"
                required
                {...field}
                onChange={(e) => {
                  field.onChange(e);
                  setValue('assignee', '');
                }}
              >
                <option value="">—</option>
                {!filter.trim() && <option value={scopeUnit.code}>{scopeUnit.fullName}</option>}
                {shown.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.fullName}
                  </option>
                ))}
              </select>
            )}
          />
        </div>
      </div>
      <div className="dir-row2">
        <div className="field">
          <label htmlFor="a-assignee">{t('assignee')}</label>
          <Controller
            control={control}
            name="assignee"
            render={({ field }) => (
              <select
                id="a-assignee"
                {...field}
                disabled={people.length === 0}
                aria-describedby="a-assignee-hint"
              >
                <option value="">{t('assigneeWholeUnit')}</option>
                {people.map((u) => (
                  <option key={u.id} value={String(u.id)}>
                    {userName(u)} ({u.username})
                  </option>
                ))}
              </select>
            )}
          />
          <span id="a-assignee-hint" className="hint">
            {t('assigneeHint')}
          </span>
        </div>
        <Controller
          control={control}
          name="dueDate"
          render={({ field }) => (
            <DueDateField id="a-due" value={field.value} onChange={field.onChange} />
          )}
        />
      </div>

      <AssignMilestones control={control} register={register} />

      <div className="dir-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('assigning') : t('assignSubmit')}
        </button>
      </div>
    </FormPage>
  );
}
