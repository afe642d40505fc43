import { formatDate, useI18n } from '../../shared/i18n.ts';
import type { EntryForm } from './fields.ts';

/** The form's unit and period, how much is filled, its due date and any lock. */
export function FormHead({ form }: { form: EntryForm }) {
  const { lang, t } = useI18n();
  return (
    <div className="entry-form-head">
      <h2 id="entry-form-title">
        {form.orgUnit.fullName}
        <span className="entry-period">
          {' '}
          · {lang === 'vi' ? form.period.labelVi : form.period.labelEn}
        </span>
      </h2>
      <p className="muted">
        {form.orgUnit.parents.map((p) => p.fullName).join(' › ')}
        {form.orgUnit.parents.length > 0 ? ' · ' : ''}
        {t('code')} {form.orgUnit.code}
      </p>
      <div className="entry-tags">
        <span className="tag" data-testid="entry-filled">
          {t('entryFilled', { n: form.filled, total: form.fields.length })}
        </span>
        {form.period.locked ? null : form.period.pastDue ? (
          <span className="tag tag-warn">
            {t('entryPastDue', { date: formatDate(form.period.dueDate) })}
          </span>
        ) : (
          <span className="tag">{t('entryDue', { date: formatDate(form.period.dueDate) })}</span>
        )}
      </div>
      {form.period.lockedReason && (
        <p className="note note-lock" data-testid="entry-locked">
          🔒 {form.period.lockedReason[lang]}
        </p>
      )}
      {!form.period.locked && !form.editable && (
        <p className="note note-lock">{t('entryReadOnly')}</p>
      )}
    </div>
  );
}
