import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, type Me } from '../../api.ts';
import { formatDate } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { addDaysIso, assignTask, vnToday } from '../directives/data.ts';
import { useDirText } from '../directives/messages.ts';
import { BackLink, DueDateField } from '../directives/parts.tsx';
import { fold, useScopeTree } from '../directives/scope.ts';
import { taskPath, useDirGo } from '../directives/nav.tsx';

interface UserRow {
  id: number;
  username: string;
  displayName?: string;
  display_name?: string;
  scope_version: string;
  scope_code: string;
}

interface MilestoneDraft {
  key: number;
  title: string;
  due: string;
}

/** Whether the user may assign tasks outside directives. */
export function canAssign(me: Me): boolean {
  return me.permissions.includes('task.assign');
}

/** `/chi-dao/giao-viec`: assign work to a unit (or one of its people), with milestones. */
export function AssignForm({ me }: { me: Me }) {
  const { lang, t } = useDirText();
  const navigate = useDirGo();
  const { version, scopeUnit, children, loadError } = useScopeTree(me);
  const [users, setUsers] = useState<UserRow[]>([]);

  const [title, setTitle] = useState('');
  const [filter, setFilter] = useState('');
  const [unit, setUnit] = useState('');
  const [assignee, setAssignee] = useState('');
  const [dueDate, setDueDate] = useState(() => addDaysIso(vnToday(), 14));
  const [milestones, setMilestones] = useState<MilestoneDraft[]>([]);
  const nextKey = useRef(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  // A person can be named only by someone who may list the accounts (a leader, an admin).
  useEffect(() => {
    if (!me.permissions.includes('user.read')) return;
    api<{ items: UserRow[] }>('/api/users')
      .then((r) => setUsers(r.items))
      .catch(() => setUsers([]));
  }, [me.permissions]);

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

  const setMilestone = (key: number, patch: Partial<MilestoneDraft>) =>
    setMilestones((old) => old.map((m) => (m.key === key ? { ...m, ...patch } : m)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const today = vnToday();
    const ms = milestones.filter((m) => m.title.trim() || m.due);
    const badMilestone = ms.findIndex(
      (m) => !m.title.trim() || !m.due || m.due < today || m.due > dueDate,
    );
    const problem = !title.trim()
      ? t('required', { field: t('taskName').toLowerCase() })
      : !unit
        ? t('assignPickUnit')
        : !dueDate
          ? t('required', { field: t('dueLabel').toLowerCase() })
          : dueDate < today
            ? t('dueInPast')
            : badMilestone >= 0
              ? t('milestoneBad', { n: badMilestone + 1 })
              : null;
    if (problem) {
      setError(new Error(problem));
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    setBusy(true);
    try {
      const created = await assignTask({
        title: title.trim(),
        unit,
        version,
        dueDate,
        ...(assignee ? { assignee: Number(assignee) } : {}),
        ...(ms.length
          ? { milestones: ms.map((m) => ({ title: m.title.trim(), due: m.due })) }
          : {}),
      });
      navigate(taskPath(created.id));
    } catch (err) {
      setError(err);
      setBusy(false);
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
    <div className="page dir-page">
      <BackLink />
      <div className="page-head">
        <h1>{t('assignTitle')}</h1>
        <p className="muted">{t('assignIntro')}</p>
      </div>
      <form
        className="card dir-form"
        onSubmit={(e) => void submit(e)}
        noValidate
        data-testid="assign-form"
      >
        <div ref={errorRef} tabIndex={-1}>
          {error ? <ErrorBox error={error} testId="assign-error" /> : null}
        </div>
        <div className="field">
          <label htmlFor="a-title">{t('taskName')}</label>
          <input
            id="a-title"
            required
            maxLength={500}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div className="dir-row2">
          <div className="field">
            <label htmlFor="a-filter">{t('filterUnits')}</label>
            <input
              id="a-filter"
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="a-unit">{t('assignUnit')}</label>
            <select
              id="a-unit"
              required
              value={unit}
              onChange={(e) => {
                setUnit(e.target.value);
                setAssignee('');
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
          </div>
        </div>
        <div className="dir-row2">
          <div className="field">
            <label htmlFor="a-assignee">{t('assignee')}</label>
            <select
              id="a-assignee"
              value={assignee}
              disabled={people.length === 0}
              aria-describedby="a-assignee-hint"
              onChange={(e) => setAssignee(e.target.value)}
            >
              <option value="">{t('assigneeWholeUnit')}</option>
              {people.map((u) => (
                <option key={u.id} value={String(u.id)}>
                  {u.displayName ?? u.display_name ?? u.username} ({u.username})
                </option>
              ))}
            </select>
            <span id="a-assignee-hint" className="hint">
              {t('assigneeHint')}
            </span>
          </div>
          <DueDateField id="a-due" value={dueDate} onChange={setDueDate} />
        </div>

        <fieldset className="dir-target">
          <legend>{t('milestones')}</legend>
          {milestones.length === 0 ? (
            <p className="muted">{t('milestonesNone')}</p>
          ) : (
            <ol className="dir-ms-edit">
              {milestones.map((m, i) => (
                <li key={m.key} data-testid="milestone-row">
                  <div className="field">
                    <label htmlFor={`ms-title-${m.key}`}>{t('milestoneTitle', { n: i + 1 })}</label>
                    <input
                      id={`ms-title-${m.key}`}
                      maxLength={500}
                      value={m.title}
                      onChange={(e) => setMilestone(m.key, { title: e.target.value })}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`ms-due-${m.key}`}>{t('milestoneDue', { n: i + 1 })}</label>
                    <input
                      id={`ms-due-${m.key}`}
                      type="date"
                      min={vnToday()}
                      max={dueDate || undefined}
                      value={m.due}
                      aria-describedby={`ms-due-shown-${m.key}`}
                      onChange={(e) => setMilestone(m.key, { due: e.target.value })}
                    />
                    <span id={`ms-due-shown-${m.key}`} className="hint">
                      {m.due ? formatDate(lang, m.due) : ''}
                    </span>
                  </div>
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t('milestoneRemove', { n: i + 1 })}
                    onClick={() => setMilestones((old) => old.filter((x) => x.key !== m.key))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ol>
          )}
          <button
            type="button"
            className="btn btn-small"
            disabled={milestones.length >= 50}
            onClick={() =>
              setMilestones((old) => [
                ...old,
                { key: nextKey.current++, title: '', due: dueDate || vnToday() },
              ])
            }
          >
            + {t('milestoneAdd')}
          </button>
        </fieldset>

        <div className="dir-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('assigning') : t('assignSubmit')}
          </button>
        </div>
      </form>
    </div>
  );
}
