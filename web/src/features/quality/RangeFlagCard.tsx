import { AppLink } from '../../shared/nav.tsx';
import { formatDateTime, formatNumber, formatPeriod } from '../../shared/format.ts';
import { ConfirmForm } from './ConfirmForm.tsx';
import { CorrectForm } from './CorrectForm.tsx';
import { useQualityText } from './messages.ts';
import { confirmRangeFlag, correctRangeFlag, type RangeFlag } from './queries.ts';

const TASK_PATH = '/chi-dao/viec';

/** One value flagged as it arrived: the value, its unit's min–max range, why, and its review. */
export function RangeFlagCard({
  flag: f,
  version,
  canConfirm,
  onConfirmed,
  onCorrected,
}: {
  flag: RangeFlag;
  version: string;
  canConfirm: boolean;
  onConfirmed: (f: RangeFlag) => void;
  onCorrected: (f: RangeFlag) => void;
}) {
  const { lang, t } = useQualityText();
  const num = (v: number | null) => (v === null ? '–' : formatNumber(lang, v));
  const titleId = `dq-r-${f.dataElement}-${f.orgUnit}-${f.period}-${f.categoryOptionCombo}`.replace(
    /[^\w-]/g,
    '_',
  );
  const slip = f.kind === 'scale_slip';
  // A slip's band is its series' usual magnitude ÷ 100 and × 100: the magnitude is their middle.
  const typical = slip && f.min !== null && f.max !== null ? Math.sqrt(f.min * f.max) : null;
  const ratio = (x: number) => formatNumber(lang, Math.round(x));
  const why =
    typical !== null
      ? Math.abs(f.value) >= typical
        ? t('slipAbove', { ratio: ratio(Math.abs(f.value) / typical), typical: num(typical) })
        : t('slipBelow', { ratio: ratio(typical / Math.abs(f.value)), typical: num(typical) })
      : f.min !== null && f.value < f.min
        ? t('belowMin', { min: num(f.min) })
        : f.max !== null && f.value > f.max
          ? t('aboveMax', { max: num(f.max) })
          : null;
  return (
    <article
      className={`card dq-item dq-range dq-range-${f.state}`}
      data-testid="dq-range-flag"
      data-element={f.dataElement}
      data-unit={f.orgUnit}
      data-period={f.period}
      data-kind={f.kind}
      aria-labelledby={titleId}
    >
      <div className="dq-item-top">
        <span className={`tag dq-state dq-state-${f.state}`} data-testid="dq-range-state">
          {t(f.state === 'open' ? 'rangeState_open' : 'rangeState_confirmed')}
        </span>
        <span className="muted dq-when">
          {t('foundAt', { at: formatDateTime(lang, f.foundAt) })}
        </span>
      </div>
      <h3 id={titleId} className="dq-item-title">
        {f.dataElementName}
      </h3>
      <p className="dq-where">
        {f.orgUnitName} · {t('period')}: {formatPeriod(lang, f.period)}
      </p>
      <dl className="dq-sides">
        <div>
          <dt>{t('value')}</dt>
          <dd className="dq-range-value" data-testid="dq-range-value">
            {num(f.value)}
          </dd>
        </div>
        {typical !== null ? (
          <div>
            <dt>{t('typical')}</dt>
            <dd data-testid="dq-range-typical">{num(typical)}</dd>
          </div>
        ) : (
          <div>
            <dt>{t('range')}</dt>
            <dd data-testid="dq-range-range">
              {num(f.min)} – {num(f.max)}
            </dd>
          </div>
        )}
      </dl>
      {why ? <p className="dq-why">{why}</p> : null}
      {f.comment ? (
        <p className="muted">
          {t('reviewComment', { comment: f.comment })}
          {f.reviewedBy ? ` · ${t('reviewedBy', { name: f.reviewedBy })}` : null}
        </p>
      ) : null}
      <div className="dq-actions">
        {f.taskId !== null ? (
          <AppLink to={`${TASK_PATH}/${f.taskId}`} data-testid="dq-range-task">
            {t('task', { id: String(f.taskId) })}
          </AppLink>
        ) : null}
        {canConfirm && f.state === 'open' ? (
          <ConfirmForm
            label={t('confirmRange')}
            required
            confirm={(comment) => confirmRangeFlag(f, version, comment)}
            onDone={() => onConfirmed(f)}
          />
        ) : null}
        {canConfirm && f.state === 'open' ? (
          <CorrectForm
            correct={(value, comment) => correctRangeFlag(f, value, comment)}
            onDone={() => onCorrected(f)}
          />
        ) : null}
      </div>
    </article>
  );
}
