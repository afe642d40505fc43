import type { Me } from '../../shared/api/types.ts';
import type { Draft } from './draft.ts';
import { useBoardText } from './messages.ts';
import { PeriodSelect } from './PeriodSelect.tsx';
import { UnitSelect } from './UnitSelect.tsx';

/** The board's name, description and variables' defaults, in the builder. */
export function BoardMeta({
  me,
  draft,
  onChange,
}: {
  me: Me;
  draft: Draft;
  onChange: (patch: Partial<Draft>) => void;
}) {
  const { t } = useBoardText();
  return (
    <section className="card board-meta">
      <div className="board-form-row">
        <div className="field grow">
          <label htmlFor="board-name">{t('name')}</label>
          <input
            id="board-name"
            value={draft.name}
            maxLength={200}
            required
            onChange={(e) => onChange({ name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="board-unit">{t('boardUnit')}</label>
          <UnitSelect
            id="board-unit"
            me={me}
            value={draft.variables.unit ?? 'my_unit'}
            onChange={(unit) => onChange({ variables: { ...draft.variables, unit } })}
          />
        </div>
        <div className="field">
          <label htmlFor="board-period">{t('boardPeriod')}</label>
          <PeriodSelect
            id="board-period"
            value={draft.variables.period ?? 'THIS_MONTH'}
            onChange={(period) => onChange({ variables: { ...draft.variables, period } })}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor="board-desc">{t('description')}</label>
        <textarea
          id="board-desc"
          rows={2}
          maxLength={2000}
          value={draft.description}
          onChange={(e) => onChange({ description: e.target.value })}
        />
      </div>
    </section>
  );
}
