import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { useQualityText } from './messages.ts';
import { PAGE_SIZE, useViolations, VIOLATIONS_KEY, type QualityResult } from './queries.ts';
import { ViolationCard } from './ViolationCard.tsx';

/** The subtree's violations, paged, with the confirm action and its spoken result. */
export function ViolationList({
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
  const [state, setState] = useState<'open' | 'all'>('open');
  const [page, setPage] = useState(1);
  const [said, setSaid] = useState('');
  const q = useViolations({ unit, version, state, page });
  const data = q.data;
  const pages = data ? Math.max(1, Math.ceil(data.pager.total / PAGE_SIZE)) : 1;

  const onConfirmed = (r: QualityResult) => {
    setSaid(
      t('confirmed', {
        rule: lang === 'vi' ? r.validationRule.nameVi : r.validationRule.nameEn,
        unit: r.organisationUnit.name,
      }),
    );
    void qc.invalidateQueries({ queryKey: VIOLATIONS_KEY });
  };
  const onCorrected = (r: QualityResult) => {
    setSaid(
      t('violationCorrected', {
        rule: lang === 'vi' ? r.validationRule.nameVi : r.validationRule.nameEn,
        unit: r.organisationUnit.name,
      }),
    );
    // The save ran the checks again: the rule's result and any flag may have changed.
    void qc.invalidateQueries({ queryKey: ['quality'] });
  };

  return (
    <section className="card dq-section" aria-labelledby="dq-violations">
      <div className="dq-section-head">
        <h2 id="dq-violations" className="section-title">
          {t('violations')}
          {data ? <span className="count-pill">{data.pager.total}</span> : null}
        </h2>
        <div className="field dq-state-field">
          <label htmlFor="dq-state">{t('state')}</label>
          <select
            id="dq-state"
            value={state}
            onChange={(e) => {
              setState(e.target.value === 'all' ? 'all' : 'open');
              setPage(1);
            }}
          >
            <option value="open">{t('stateOpen')}</option>
            <option value="all">{t('stateAll')}</option>
          </select>
        </div>
      </div>
      <p className="dq-live" role="status" aria-live="polite" data-testid="dq-live">
        {said}
      </p>
      {q.error ? <ErrorBox error={q.error} /> : null}
      {!data && !q.error ? <Loading /> : null}
      {data && data.validationResults.length === 0 ? (
        <p className="empty">{t('noViolations')}</p>
      ) : null}
      {data && data.validationResults.length > 0 ? (
        <ul className="dq-list" data-testid="dq-violations" aria-busy={q.isFetching}>
          {data.validationResults.map((r) => (
            <li key={r.id}>
              <ViolationCard
                result={r}
                canConfirm={canConfirm}
                onConfirmed={onConfirmed}
                onCorrected={onCorrected}
              />
            </li>
          ))}
        </ul>
      ) : null}
      {data && data.pager.total > PAGE_SIZE ? (
        <nav
          className="dq-pager"
          aria-label={t('pageOf', { page, pages, total: data.pager.total })}
        >
          <button
            type="button"
            className="btn"
            disabled={page <= 1}
            onClick={() => setPage((p) => p - 1)}
          >
            {t('prev')}
          </button>
          <span>{t('pageOf', { page, pages, total: data.pager.total })}</span>
          <button
            type="button"
            className="btn"
            disabled={page >= pages}
            onClick={() => setPage((p) => p + 1)}
          >
            {t('next')}
          </button>
        </nav>
      ) : null}
    </section>
  );
}
