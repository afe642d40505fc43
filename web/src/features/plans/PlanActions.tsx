import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { ErrorBox } from '../../shared/ui.tsx';
import { useDirText } from '../directives/messages.ts';
import type { Plan } from './types.ts';
import type { PlanAct } from './usePlan.ts';

/** The note sent with a submission or a decision. */
interface NoteValues {
  note: string;
}

/**
 * What can be done with a plan now: the unit submits it (again after a return), a superior
 * approves it or sends it back with a note; and what came of the last of these.
 */
export function PlanActions({
  plan,
  unit,
  week,
  own,
  decider,
  canSubmit,
  canDecide,
  done,
  setDone,
  act,
}: {
  plan: Plan;
  unit: string;
  week: string;
  own: boolean;
  decider: boolean;
  canSubmit: boolean;
  canDecide: boolean;
  done: string;
  setDone: (done: string) => void;
  act: (what: PlanAct, note: string) => Promise<void>;
}) {
  const { t } = useDirText();
  const [actError, setActError] = useState<unknown>(null);
  const {
    register,
    handleSubmit,
    reset,
    setFocus,
    setValue,
    formState: { isSubmitting: busy },
  } = useForm<NoteValues>({ defaultValues: { note: '' } });

  useEffect(() => {
    // another unit or week: what was said about the last one no longer applies
    setActError(null);
    reset({ note: '' });
  }, [unit, week, reset]);

  const run = async (what: PlanAct, { note }: NoteValues) => {
    setActError(null);
    setDone('');
    if (what === 'return' && !note.trim()) {
      setActError(new Error(t('planReturnNeedsNote')));
      setFocus('note');
      return;
    }
    try {
      await act(what, note.trim());
      setValue('note', '');
      setDone(
        what === 'submit'
          ? t('planDoneSubmitted')
          : what === 'approve'
            ? t('planDoneApproved')
            : t('planDoneReturned'),
      );
    } catch (e) {
      setActError(e);
    }
  };
  // Each button sends the note with its own act.
  const send = (what: PlanAct) => () => void handleSubmit((v) => run(what, v))();

  return (
    <>
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
              rows={2}
              aria-describedby={canDecide ? 'plan-note-hint' : undefined}
              {...register('note')}
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
                onClick={send('submit')}
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
                  onClick={send('approve')}
                >
                  {t('planApprove')}
                </button>
                <button
                  type="button"
                  className="btn btn-danger"
                  disabled={busy}
                  onClick={send('return')}
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
    </>
  );
}
