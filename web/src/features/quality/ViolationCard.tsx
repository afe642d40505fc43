import { AppLink } from '../../shared/nav.tsx';
import { formatDateTime, formatNumber, formatPeriod } from '../../shared/format.ts';
import { ConfirmForm } from './ConfirmForm.tsx';
import { CorrectForm } from './CorrectForm.tsx';
import { useQualityText, type QualityKey } from './messages.ts';
import { confirmViolation, correctViolationValue, type QualityResult } from './queries.ts';

const TASK_PATH = '/chi-dao/viec';

/** The comparison's sign, as a reader writes it (pairs have none: their words say it). */
const SIGNS: Record<string, string> = {
  equal_to: '=',
  not_equal_to: '≠',
  greater_than: '>',
  greater_than_or_equal_to: '≥',
  less_than: '<',
  less_than_or_equal_to: '≤',
};

/** One broken rule at a unit and period, with why: both sides, the operator, the instruction. */
export function ViolationCard({
  result: r,
  canConfirm,
  onConfirmed,
  onCorrected,
}: {
  result: QualityResult;
  canConfirm: boolean;
  onConfirmed: (r: QualityResult) => void;
  onCorrected: (r: QualityResult) => void;
}) {
  const { lang, t } = useQualityText();
  const rule = r.validationRule;
  const name = lang === 'vi' ? rule.nameVi : rule.nameEn;
  const instruction = lang === 'vi' ? rule.instructionVi : rule.instructionEn;
  const num = (v: number | null) => (v === null ? t('missing') : formatNumber(lang, v));
  const left = num(r.leftsideValue);
  const right = num(r.rightsideValue);
  const op = t(`op_${rule.operator}` as QualityKey);
  const state = r.followup.state;
  const valueName = (v: QualityResult['values'][number]) =>
    `${lang === 'vi' ? v.dataElementNameVi : v.dataElementNameEn}${v.categoryOptionCombo === 'default' ? '' : ` (${v.categoryOptionCombo})`}`;
  const stored = r.values.map((v) => `${valueName(v)}: ${num(v.value)}`);
  return (
    <article
      className={`card dq-item dq-${rule.importance.toLowerCase()}`}
      data-testid="dq-violation"
      data-rule={rule.code}
      data-unit={r.organisationUnit.code}
      data-period={r.period.id}
      aria-labelledby={`dq-v-${r.id}`}
    >
      <div className="dq-item-top">
        <span className={`tag dq-imp dq-imp-${rule.importance.toLowerCase()}`}>
          {t('importanceLabel', { level: t(`importance_${rule.importance}` as QualityKey) })}
        </span>
        <span className={`tag dq-state dq-state-${state}`} data-testid="dq-state">
          {t(`followup_${state}` as QualityKey)}
        </span>
        <span className="muted dq-when">{formatDateTime(lang, r.created)}</span>
      </div>
      <h3 id={`dq-v-${r.id}`} className="dq-item-title">
        {name} <span className="code">{rule.code}</span>
      </h3>
      <p className="dq-where">
        {r.organisationUnit.name} · {t('period')}: {formatPeriod(lang, r.period.id)}
      </p>
      <dl className="dq-sides">
        <div>
          <dt>{t('leftSide')}</dt>
          <dd data-testid="dq-left">{left}</dd>
        </div>
        <div>
          <dt className="sr-only">Operator</dt>
          <dd className="dq-op" data-testid="dq-op">
            {op}
          </dd>
        </div>
        <div>
          <dt>{t('rightSide')}</dt>
          <dd data-testid="dq-right">{right}</dd>
        </div>
      </dl>
      <p className="dq-why">
        {SIGNS[rule.operator]
          ? t('why', { left, op: SIGNS[rule.operator]!, right })
          : t('whyPair', { op })}
      </p>
      {stored.length ? (
        <div className="dq-values" data-testid="dq-values">
          <span className="muted">{t('storedValues')}:</span>
          <ul>
            {stored.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {instruction ? (
        <p className="dq-instruction" data-testid="dq-instruction">
          <strong>{t('instruction')}:</strong> {instruction}
        </p>
      ) : null}
      {r.followup.comment ? (
        <p className="muted">{t('reviewComment', { comment: r.followup.comment })}</p>
      ) : null}
      <div className="dq-actions">
        {r.followup.taskId !== null ? (
          <AppLink to={`${TASK_PATH}/${r.followup.taskId}`} data-testid="dq-task">
            {t('task', { id: String(r.followup.taskId) })}
          </AppLink>
        ) : null}
        {canConfirm && state !== 'confirmed' ? (
          <ConfirmForm
            confirm={(comment) => confirmViolation(r, comment)}
            onDone={() => onConfirmed(r)}
          />
        ) : null}
        {canConfirm && state === 'open' && r.values.length ? (
          <CorrectForm
            choices={stored}
            correct={(value, comment, i) => correctViolationValue(r, r.values[i]!, value, comment)}
            onDone={() => onCorrected(r)}
          />
        ) : null}
      </div>
    </article>
  );
}
