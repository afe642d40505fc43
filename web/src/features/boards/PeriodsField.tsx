import { useId, useState } from 'react';
import { isBoardPeriod } from '../../../../src/domain/board.ts';
import { useBoardText } from './messages.ts';
import { PeriodSelect, usePeriodLabel } from './PeriodSelect.tsx';

/** The panel's periods: the board's ($period), relative ones, months, or a fixed period id. */
export function PeriodsField({
  value,
  onChange,
}: {
  value: string[];
  onChange: (periods: string[]) => void;
}) {
  const { t } = useBoardText();
  const label = usePeriodLabel();
  const id = useId();
  const [pick, setPick] = useState('$period');
  const [fixed, setFixed] = useState('');
  const fixedOk = fixed.trim() !== '' && isBoardPeriod(fixed.trim());
  const add = (p: string) => {
    if (!value.includes(p)) onChange([...value, p]);
  };
  return (
    <fieldset className="board-list-field">
      <legend>{t('periods')}</legend>
      {value.length === 0 ? (
        <p className="muted">{t('noneYet')}</p>
      ) : (
        <ul className="board-chips">
          {value.map((p) => (
            <li key={p} className="board-chip">
              <span>{label(p)}</span>
              <button
                type="button"
                className="btn btn-small"
                aria-label={t('removeNamed', { name: label(p) })}
                onClick={() => onChange(value.filter((x) => x !== p))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="board-form-row">
        <div className="field">
          <label htmlFor={`${id}-p`} className="sub-label">
            {t('add')}
          </label>
          <PeriodSelect id={`${id}-p`} value={pick} onChange={setPick} withVariable />
        </div>
        <button type="button" className="btn" onClick={() => add(pick)}>
          {t('add')}
        </button>
        <div className="field">
          <label htmlFor={`${id}-f`} className="sub-label">
            {t('periodFixed')}
          </label>
          <input
            id={`${id}-f`}
            value={fixed}
            autoComplete="off"
            aria-invalid={fixed.trim() !== '' && !fixedOk}
            onChange={(e) => setFixed(e.target.value)}
          />
        </div>
        <button
          type="button"
          className="btn"
          disabled={!fixedOk}
          onClick={() => {
            add(fixed.trim());
            setFixed('');
          }}
        >
          {t('add')}
        </button>
      </div>
    </fieldset>
  );
}
