import { formatDateTime } from '../../shared/format.ts';
import { useDirText } from '../directives/messages.ts';
import type { Plan } from './types.ts';

/** Who submitted the plan and with what note; who decided and why. */
export function PlanFacts({ plan }: { plan: Plan }) {
  const { lang, t } = useDirText();
  return (
    <>
      {plan.submittedAt && (
        <p className="muted" data-testid="plan-submitted">
          {t('planSubmittedBy', {
            who: plan.submittedBy ?? '',
            at: formatDateTime(lang, plan.submittedAt),
          })}
        </p>
      )}
      {plan.note && (
        <p className="dir-plan-note" data-testid="plan-note">
          {plan.note}
        </p>
      )}
      {plan.decidedAt && plan.status !== 'submitted' && (
        <p className="muted" data-testid="plan-decided">
          {t(plan.status === 'approved' ? 'planApprovedBy' : 'planReturnedBy', {
            who: plan.decidedBy ?? '',
            at: formatDateTime(lang, plan.decidedAt),
          })}
        </p>
      )}
      {plan.decisionNote && plan.status !== 'submitted' && (
        <p data-testid="plan-decision-note">
          <strong>{t('planNote')}:</strong> {plan.decisionNote}
        </p>
      )}
    </>
  );
}
