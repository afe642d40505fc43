import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { formatPeriod } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { useQualityText } from './messages.ts';
import {
  RANGE_FLAGS_KEY,
  RANGE_FLAGS_LIMIT,
  useRangeFlags,
  type RangeFlag,
  type RangeFlagState,
} from './queries.ts';
import { RangeFlagCard } from './RangeFlagCard.tsx';

const STATES: RangeFlagState[] = ['all', 'open', 'confirmed'];

/** The subtree's values flagged outside their min–max range, newest first, with confirm. */
export function RangeFlagList({
  unit,
  version,
  canConfirm,
}: {
  unit: string;
  version: string;
  canConfirm: boolean;
}) {
  const { lang, t } = useQualityText();
  const qc = useQueryClient();
  const [state, setState] = useState<RangeFlagState>('all');
  const [said, setSaid] = useState('');
  const q = useRangeFlags({ unit, version, state });
  const rows = q.data?.valueOutliers;

  const onConfirmed = (f: RangeFlag) => {
    setSaid(
      t('rangeConfirmed', {
        element: f.dataElementName,
        unit: f.orgUnitName,
        period: formatPeriod(lang, f.period),
      }),
    );
    void qc.invalidateQueries({ queryKey: RANGE_FLAGS_KEY });
  };
  const onCorrected = (f: RangeFlag) => {
    setSaid(
      t('rangeCorrected', {
        element: f.dataElementName,
        unit: f.orgUnitName,
        period: formatPeriod(lang, f.period),
      }),
    );
    // The save ran the checks again: rules may have changed too.
    void qc.invalidateQueries({ queryKey: ['quality'] });
  };

  return (
    <section className="card dq-section" aria-labelledby="dq-ranges">
      <div className="dq-section-head">
        <h2 id="dq-ranges" className="section-title">
          {t('rangeFlags')}
          {rows ? <span className="count-pill">{rows.length}</span> : null}
        </h2>
        <div className="field dq-state-field">
          <label htmlFor="dq-range-state">{t('reviewState')}</label>
          <select
            id="dq-range-state"
            value={state}
            onChange={(e) => setState(e.target.value as RangeFlagState)}
          >
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(s === 'all' ? 'rangeStateAll' : `rangeState_${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted">{t('rangeFlagsIntro')}</p>
      <p className="dq-live" role="status" aria-live="polite" data-testid="dq-range-live">
        {said}
      </p>
      {q.error ? <ErrorBox error={q.error} testId="dq-ranges-error" /> : null}
      {!rows && !q.error ? <Loading /> : null}
      {rows && rows.length === 0 ? <p className="empty">{t('noRangeFlags')}</p> : null}
      {rows && rows.length > 0 ? (
        <ul className="dq-list dq-range-list" data-testid="dq-range-flags" aria-busy={q.isFetching}>
          {rows.map((f) => (
            <li key={`${f.dataElement}|${f.orgUnit}|${f.period}|${f.categoryOptionCombo}`}>
              <RangeFlagCard
                flag={f}
                version={version}
                canConfirm={canConfirm}
                onConfirmed={onConfirmed}
                onCorrected={onCorrected}
              />
            </li>
          ))}
        </ul>
      ) : null}
      {rows && rows.length >= RANGE_FLAGS_LIMIT ? (
        <p className="muted">{t('rangeFlagsMore', { n: RANGE_FLAGS_LIMIT })}</p>
      ) : null}
    </section>
  );
}
