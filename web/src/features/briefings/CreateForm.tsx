import { useRef } from 'react';
import { useForm } from 'react-hook-form';
import { newIdempotencyKey } from '../../shared/api/client.ts';
import type { Lang } from '../../shared/format.ts';
import type { Me } from '../../shared/me.tsx';
import { useGo } from '../../shared/nav.tsx';
import { ErrorBox } from '../../shared/ui.tsx';
import type { CreateInput } from './data.ts';
import type { BriefingT } from './messages.ts';
import { briefingPath } from './paths.ts';
import { useCreateBriefing, useTemplates } from './queries.ts';

interface Fields {
  template: string;
  period: string;
  unit: string;
}

/**
 * A new draft: a template, a period and a scope unit (the user's by default, left to the server
 * so that the nation's code follows the tree in force at the period). Opens the draft.
 */
export function CreateForm({ me, lang, t }: { me: Me; lang: Lang; t: BriefingT }) {
  const templates = useTemplates();
  const create = useCreateBriefing();
  const go = useGo();
  const sent = useRef<{ json: string; key: string } | null>(null);
  const { register, handleSubmit, formState } = useForm<Fields>({
    defaultValues: { template: 'MIC_MONTHLY', period: '', unit: me.scope.code },
  });

  const submit = async (v: Fields) => {
    const unit = v.unit.trim();
    const input: CreateInput = {
      template: v.template,
      period: v.period.trim(),
      ...(unit && unit !== me.scope.code ? { unit } : {}),
    };
    // The same request sent again (a double click, a retry) is the same draft.
    const json = JSON.stringify(input);
    if (sent.current?.json !== json) sent.current = { json, key: newIdempotencyKey() };
    try {
      const d = await create.mutateAsync({ input, key: sent.current.key });
      go(briefingPath(d.id), { focusMain: true });
    } catch {
      // shown below from the mutation's error
    }
  };

  const busy = formState.isSubmitting;
  return (
    <form
      className="card brf-create"
      aria-labelledby="brf-create-title"
      data-testid="briefing-create"
      onSubmit={(e) => void handleSubmit(submit)(e)}
    >
      <h2 id="brf-create-title">{t('createTitle')}</h2>
      {create.error ? <ErrorBox error={create.error} testId="briefing-create-error" /> : null}
      {templates.error ? <ErrorBox error={templates.error} /> : null}
      <div className="brf-create-fields">
        <div className="field">
          <label htmlFor="brf-template">{t('template')}</label>
          <select id="brf-template" {...register('template', { required: true })}>
            {(templates.data ?? [{ code: 'MIC_MONTHLY', nameVi: 'MIC_MONTHLY', nameEn: '' }]).map(
              (tp) => (
                <option key={tp.code} value={tp.code}>
                  {lang === 'vi' ? tp.nameVi : tp.nameEn || tp.nameVi}
                </option>
              ),
            )}
          </select>
        </div>
        <div className="field">
          <label htmlFor="brf-period">{t('period')}</label>
          <input
            id="brf-period"
            placeholder="2022-01"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="brf-period-hint"
            aria-invalid={formState.errors.period ? true : undefined}
            {...register('period', { required: true, validate: (v) => v.trim() !== '' })}
          />
          <p id="brf-period-hint" className="hint">
            {t('periodHint')}
          </p>
          {formState.errors.period && (
            <p className="field-error" role="alert">
              {t('periodRequired')}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="brf-unit">{t('unit')}</label>
          <input
            id="brf-unit"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="brf-unit-hint"
            {...register('unit')}
          />
          <p id="brf-unit-hint" className="hint">
            {t('unitHint', { name: me.scope.name ?? me.scope.code })}
          </p>
        </div>
      </div>
      <div className="brf-create-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('creating') : t('create')}
        </button>
      </div>
    </form>
  );
}
