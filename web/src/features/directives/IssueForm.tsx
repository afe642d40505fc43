import { useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { Me } from '../../shared/api/types.ts';
import { newIdempotencyKey } from '../../shared/api/client.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { addDaysIso, issueDirective, PRIORITIES, vnToday, type Target } from './data.ts';
import { dirLabel, useDirText } from './messages.ts';
import { AttachInput, AttachedFiles, DueDateField, FormPage, useAttachments } from './parts.tsx';
import { useScopeTree } from './scope.ts';
import { boardPath, useDirGo } from './nav.tsx';
import { IssueTarget } from './IssueTarget.tsx';
import { useIssueTarget, type IssueValues, type Kind } from './useIssueTarget.ts';

const ROOT = 'VN';

/** `/chi-dao/moi`: a leader writes a directive and chooses who receives it. */
export function IssueForm({ me }: { me: Me }) {
  const { lang, t } = useDirText();
  const navigate = useDirGo();
  const scope = useScopeTree(me);
  const { version, scopeUnit, children } = scope;
  const form = useForm<IssueValues>({
    defaultValues: {
      title: '',
      body: '',
      priority: 'normal',
      dueDate: addDaysIso(vnToday(), 7),
      kind: 'level',
      chosen: [],
      filter: '',
      under: me.scope.code,
      level: undefined,
      group: '',
    },
  });
  const { register, control, handleSubmit, setValue } = form;
  const target = useIssueTarget(control, setValue, version, scopeUnit);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const attachments = useAttachments(setError);
  const errorRef = useRef<HTMLDivElement>(null);
  // One key per directive being written: sending the same form again after a lost answer
  // (network error, server restart) cannot issue it twice; a changed form is a new directive.
  const sent = useRef<{ json: string; key: string } | null>(null);

  const showError = (e: unknown) => {
    setError(e);
    requestAnimationFrame(() => errorRef.current?.focus());
  };

  const submit = async (v: IssueValues) => {
    setError(null);
    const { kind } = v;
    const problem = !v.title.trim()
      ? t('required', { field: t('title').toLowerCase() })
      : !v.body.trim()
        ? t('required', { field: t('bodyField').toLowerCase() })
        : v.dueDate < vnToday()
          ? t('dueInPast')
          : kind === 'units' && v.chosen.length === 0
            ? t('willReceiveNone')
            : kind === 'group' && !v.group
              ? t('required', { field: t('group').toLowerCase() })
              : null;
    if (problem) return showError(new Error(problem));
    const to: Target =
      kind === 'units'
        ? { kind, version, units: v.chosen }
        : kind === 'level'
          ? { kind, version, unit: v.under, level: v.level }
          : kind === 'group'
            ? { kind, version, group: v.group }
            : { kind, version, level: v.level };
    setBusy(true);
    try {
      const input = {
        title: v.title.trim(),
        body: v.body.trim(),
        priority: v.priority,
        dueDate: v.dueDate,
        target: to,
        ...(attachments.files.length ? { attachmentIds: attachments.files.map((f) => f.id) } : {}),
      };
      const json = JSON.stringify(input);
      if (sent.current?.json !== json) sent.current = { json, key: newIdempotencyKey() };
      const r = await issueDirective(input, sent.current.key);
      navigate(boardPath(r.directive.id));
    } catch (err) {
      setBusy(false);
      showError(err);
    }
  };

  const loadError = scope.loadError ?? target.loadError;
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

  const kinds: Kind[] = [
    'units',
    'level',
    'group',
    ...(me.scope.code === ROOT ? (['nation'] as const) : []),
  ];

  return (
    <FormPage
      title={t('formTitle')}
      intro={t('formIntro')}
      testId="issue-form"
      errorTestId="issue-error"
      error={error}
      errorRef={errorRef}
      onSubmit={(e) => void handleSubmit(submit)(e)}
    >
      <div className="field">
        <label htmlFor="d-title">{t('title')}</label>
        <input id="d-title" required maxLength={300} {...register('title')} />
      </div>
      <div className="field">
        <label htmlFor="d-body">{t('bodyField')}</label>
        <textarea id="d-body" required rows={6} {...register('body')} />
      </div>
      <div className="dir-row2">
        <div className="field">
          <label htmlFor="d-priority">{t('priority')}</label>
          <select id="d-priority" {...register('priority')}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {dirLabel(lang, 'priority', p)}
              </option>
            ))}
          </select>
        </div>
        <Controller
          control={control}
          name="dueDate"
          render={({ field }) => (
            <DueDateField id="d-due" value={field.value} onChange={field.onChange} />
          )}
        />
      </div>

      <IssueTarget
        form={form}
        kinds={kinds}
        target={target}
        version={version}
        scopeUnit={scopeUnit}
        units={children}
      />

      <div className="field">
        <AttachInput id="d-files" label={t('attachments')} attachments={attachments} />
        <AttachedFiles attachments={attachments} />
      </div>

      <div className="dir-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || attachments.uploading}>
          {busy ? t('submitting') : t('submit')}
        </button>
      </div>
    </FormPage>
  );
}
