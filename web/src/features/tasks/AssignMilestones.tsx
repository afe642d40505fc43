import { useRef } from 'react';
import { useFieldArray, useWatch, type Control, type UseFormRegister } from 'react-hook-form';
import { formatDate } from '../../shared/format.ts';
import { vnToday } from '../directives/data.ts';
import { useDirText } from '../directives/messages.ts';
import type { AssignValues } from './assign.ts';

/** At most this many milestones per task (the server's limit). */
const MAX_MILESTONES = 50;

/** The assign form's milestones: a title and a due date each, between today and the deadline. */
export function AssignMilestones({
  control,
  register,
}: {
  control: Control<AssignValues>;
  register: UseFormRegister<AssignValues>;
}) {
  const { lang, t } = useDirText();
  const { fields, append, remove } = useFieldArray({ control, name: 'milestones' });
  const milestones = useWatch({ control, name: 'milestones' });
  const dueDate = useWatch({ control, name: 'dueDate' });
  const nextKey = useRef(1);

  return (
    <fieldset className="dir-target">
      <legend>{t('milestones')}</legend>
      {fields.length === 0 ? (
        <p className="muted">{t('milestonesNone')}</p>
      ) : (
        <ol className="dir-ms-edit">
          {fields.map((f, i) => {
            const due = milestones[i]?.due ?? f.due;
            return (
              <li key={f.id} data-testid="milestone-row">
                <div className="field">
                  <label htmlFor={`ms-title-${f.key}`}>{t('milestoneTitle', { n: i + 1 })}</label>
                  <input
                    id={`ms-title-${f.key}`}
                    maxLength={500}
                    {...register(`milestones.${i}.title`)}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`ms-due-${f.key}`}>{t('milestoneDue', { n: i + 1 })}</label>
                  <input
                    id={`ms-due-${f.key}`}
                    type="date"
                    min={vnToday()}
                    max={dueDate || undefined}
                    aria-describedby={`ms-due-shown-${f.key}`}
                    {...register(`milestones.${i}.due`)}
                  />
                  <span id={`ms-due-shown-${f.key}`} className="hint">
                    {due ? formatDate(lang, due) : ''}
                  </span>
                </div>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={t('milestoneRemove', { n: i + 1 })}
                  onClick={() => remove(i)}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ol>
      )}
      <button
        type="button"
        className="btn btn-small"
        disabled={fields.length >= MAX_MILESTONES}
        onClick={() =>
          append(
            { key: nextKey.current++, title: '', due: dueDate || vnToday() },
            { shouldFocus: false },
          )
        }
      >
        + {t('milestoneAdd')}
      </button>
    </fieldset>
  );
}
