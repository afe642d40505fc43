import { useState } from 'react';
import { vnToday } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { useQualityText } from './messages.ts';
import { OutlierTable } from './OutlierTable.tsx';
import { useElementChoices, useOutliers, type OutlierQuery } from './queries.ts';

const yearBefore = (day: string) => `${Number(day.slice(0, 4)) - 1}${day.slice(4)}`;

/** Outliers of elements over a range in the subtree, by the seasonal baseline. */
export function OutlierPanel({ unit }: { unit: string }) {
  const { t } = useQualityText();
  const today = vnToday();
  const [de, setDe] = useState('');
  const [from, setFrom] = useState(yearBefore(today));
  const [to, setTo] = useState(today);
  const [asked, setAsked] = useState<Omit<OutlierQuery, 'ou'> | null>(null);
  const q = useOutliers(asked ? { ...asked, ou: unit } : null);
  const rows = q.data?.outlierValues ?? [];
  const elements = useElementChoices();

  return (
    <section className="card dq-section" aria-labelledby="dq-outliers">
      <h2 id="dq-outliers" className="section-title">
        {t('outliers')}
      </h2>
      <p className="muted">{t('outliersIntro')}</p>
      <form
        className="dq-outlier-form"
        onSubmit={(e) => {
          e.preventDefault();
          const codes = de
            .split(/[\s,;]+/)
            .filter(Boolean)
            .join(',');
          if (codes) setAsked({ de: codes, startDate: from, endDate: to });
        }}
      >
        <div className="field dq-de">
          <label htmlFor="dq-de">{t('elements')}</label>
          <input
            id="dq-de"
            value={de}
            required
            autoCapitalize="characters"
            spellCheck={false}
            list="dq-de-list"
            onChange={(e) => setDe(e.target.value)}
          />
          <datalist id="dq-de-list">
            {(elements.data ?? []).map((el) => (
              <option key={el.code} value={el.code}>
                {el.name}
              </option>
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="dq-from">{t('from')}</label>
          <input
            id="dq-from"
            type="date"
            value={from}
            required
            onChange={(e) => setFrom(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="dq-to">{t('to')}</label>
          <input
            id="dq-to"
            type="date"
            value={to}
            required
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
        <button type="submit" className="btn btn-primary dq-check">
          {t('check')}
        </button>
      </form>
      {q.error ? <ErrorBox error={q.error} testId="dq-outliers-error" /> : null}
      {asked && q.isFetching && !q.data ? <Loading /> : null}
      {asked && q.data ? (
        <>
          <p role="status" className="muted" data-testid="dq-outlier-count">
            {rows.length === 0 ? t('noOutliers') : t('outlierCount', { n: rows.length })}
          </p>
          {rows.length > 0 ? <OutlierTable rows={rows} /> : null}
        </>
      ) : null}
    </section>
  );
}
