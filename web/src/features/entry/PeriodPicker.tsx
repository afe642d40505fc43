import { useMemo } from 'react';
import {
  formatPeriodEn,
  formatPeriodVi,
  nextPeriod,
  periodContaining,
  previousPeriod,
  type Period,
} from '../../../../src/domain/period.ts';
import { useI18n } from '../../shared/i18n.ts';
import { tryParse, type PeriodType } from './choice.ts';

const PERIOD_CHOICES = 24;

/** The period of the form: previous and next buttons around a date or a list of periods. */
export function PeriodPicker({
  type,
  today,
  value,
  onChange,
}: {
  type: PeriodType;
  today: string;
  value: string;
  onChange: (p: string) => void;
}) {
  const { lang, t } = useI18n();
  const current = tryParse(value);
  const label = (p: Period) => (lang === 'vi' ? formatPeriodVi(p) : formatPeriodEn(p));
  const prev = current && type !== 'range' ? previousPeriod(current) : null;
  const next = current && type !== 'range' ? nextPeriod(current) : null;
  const choices = useMemo(() => {
    if (type === 'day' || type === 'range') return [];
    const list: Period[] = [];
    let p = periodContaining(today, type);
    for (let i = 0; i < PERIOD_CHOICES; i++) {
      list.push(p);
      p = previousPeriod(p);
    }
    return list;
  }, [type, today]);
  const options =
    current && choices.length && !choices.some((c) => c.id === current.id)
      ? [...choices, current]
      : choices;

  return (
    <div className="field">
      <label htmlFor="entry-period">{type === 'day' ? t('entryDay') : t('entryPeriod')}</label>
      <div className="period-picker">
        <button
          type="button"
          className="btn btn-icon"
          aria-label={t('entryPrev')}
          title={t('entryPrev')}
          disabled={!prev}
          onClick={() => prev && onChange(prev.id)}
        >
          ‹
        </button>
        {type === 'day' ? (
          <input
            id="entry-period"
            type="date"
            value={value}
            max={today}
            aria-describedby="entry-period-label"
            onChange={(e) => {
              if (/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) onChange(e.target.value);
            }}
          />
        ) : (
          <select id="entry-period" value={value} onChange={(e) => onChange(e.target.value)}>
            {options.map((p) => (
              <option key={p.id} value={p.id}>
                {label(p)}
              </option>
            ))}
          </select>
        )}
        <button
          type="button"
          className="btn btn-icon"
          aria-label={t('entryNext')}
          title={t('entryNext')}
          disabled={!next || next.start > today}
          onClick={() => next && onChange(next.id)}
        >
          ›
        </button>
      </div>
      {type === 'day' && current && (
        <p className="hint" id="entry-period-label">
          {label(current)}
        </p>
      )}
    </div>
  );
}
