import { useEffect, useId, useState } from 'react';
import { useI18n } from '../../shared/i18n.ts';
import type { EntryDataSet } from './choice.ts';
import { searchUnits, type UnitHit } from './queries.ts';

const SEARCH_DEBOUNCE_MS = 250;

/** The unit of the form: a list of the scope's units, and a search when not all are listed. */
export function UnitPicker({
  dataSet,
  value,
  currentName,
  onChange,
}: {
  dataSet: EntryDataSet;
  value: string;
  /** The chosen unit's name when it is not among the listed ones (found by a search). */
  currentName?: string;
  onChange: (code: string) => void;
}) {
  const { t, n } = useI18n();
  const searchId = useId();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<UnitHit[]>([]);
  const listed = dataSet.units.length >= dataSet.unitsTotal;

  useEffect(() => {
    if (listed || q.trim().length < 2) {
      setHits([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      searchUnits(dataSet.version, dataSet.level, q.trim(), ctl.signal)
        .then(setHits)
        .catch(() => setHits([]));
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [q, listed, dataSet.version, dataSet.level]);

  if (dataSet.unitsTotal === 1) {
    return (
      <div className="field">
        <span className="label" id="entry-unit-label">
          {t('entryUnit')}
        </span>
        <output
          className="static-value"
          aria-labelledby="entry-unit-label"
          data-testid="entry-unit"
        >
          {dataSet.units[0]!.fullName}
        </output>
      </div>
    );
  }
  const current = dataSet.units.find((u) => u.code === value);
  return (
    <div className="field">
      <label htmlFor="entry-unit">{t('entryUnit')}</label>
      <select id="entry-unit" value={value} onChange={(e) => onChange(e.target.value)}>
        {!current && <option value={value}>{currentName ?? value}</option>}
        {dataSet.units.map((u) => (
          <option key={u.code} value={u.code}>
            {u.fullName}
          </option>
        ))}
      </select>
      {!listed && (
        <div className="unit-search">
          <label htmlFor={searchId} className="sub-label">
            {t('entryUnitSearch')}
          </label>
          <input
            id={searchId}
            type="search"
            value={q}
            autoComplete="off"
            placeholder={t('searchPlaceholder')}
            aria-describedby={`${searchId}-hint`}
            onChange={(e) => setQ(e.target.value)}
          />
          <p className="hint" id={`${searchId}-hint`}>
            {t('entryUnitShown', { n: n(dataSet.unitsTotal) })} {t('entryUnitSearchHint')}
          </p>
          {hits.length > 0 && (
            <ul className="unit-hits">
              {hits.map((h) => (
                <li key={h.code}>
                  <button
                    type="button"
                    className="unit-hit"
                    onClick={() => {
                      setQ('');
                      onChange(h.code);
                    }}
                  >
                    <span>{h.fullName}</span>
                    <span className="muted">
                      {h.parent} · {h.code}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
