import { useI18n } from '../../shared/i18n.ts';
import type { Choice, EntryDataSet, EntryDataSets } from './choice.ts';
import { PeriodPicker } from './PeriodPicker.tsx';
import { UnitPicker } from './UnitPicker.tsx';

/** The data set, unit and period of the form; only the period for one set of one unit. */
export function EntryChoice({
  sets,
  dataSet,
  choice,
  currentName,
  onDataSet,
  onChange,
}: {
  sets: EntryDataSets;
  dataSet: EntryDataSet;
  choice: Choice;
  /** The chosen unit's name from its form, for a unit found by a search. */
  currentName: string | undefined;
  onDataSet: (code: string) => void;
  onChange: (next: Partial<Choice>) => void;
}) {
  const { lang, t } = useI18n();
  // One data set, one unit (a commune officer): no choice to make but the period.
  const fixed = sets.items.length === 1 && dataSet.unitsTotal === 1;
  return (
    <section
      className={'card entry-choice' + (fixed ? ' entry-choice-fixed' : '')}
      aria-label={t('entryChoose')}
    >
      {fixed ? (
        <div className="entry-context">
          <p className="entry-context-unit" data-testid="entry-unit">
            {dataSet.units[0]!.fullName}
          </p>
          <p className="muted">{lang === 'vi' ? dataSet.nameVi : dataSet.nameEn}</p>
        </div>
      ) : (
        <>
          <div className="field">
            <label htmlFor="entry-ds">{t('entryDataSet')}</label>
            {sets.items.length > 1 ? (
              <select id="entry-ds" value={choice.ds} onChange={(e) => onDataSet(e.target.value)}>
                {sets.items.map((d) => (
                  <option key={d.code} value={d.code}>
                    {lang === 'vi' ? d.nameVi : d.nameEn}
                  </option>
                ))}
              </select>
            ) : (
              <output id="entry-ds" className="static-value">
                {lang === 'vi' ? dataSet.nameVi : dataSet.nameEn}
              </output>
            )}
          </div>
          <UnitPicker
            dataSet={dataSet}
            value={choice.u}
            currentName={currentName}
            onChange={(u) => onChange({ u })}
          />
        </>
      )}
      <PeriodPicker
        type={dataSet.periodType}
        today={sets.today}
        value={choice.p}
        onChange={(p) => onChange({ p })}
      />
    </section>
  );
}
