import type { Me } from '../../shared/api/types.ts';
import { useBoardText } from './messages.ts';
import { PeriodSelect } from './PeriodSelect.tsx';
import { UnitSelect } from './UnitSelect.tsx';

/** The board's variables at its top: the unit (within the viewer's scope) and the period. */
export function VariablesBar({
  me,
  unit,
  period,
  onChange,
}: {
  me: Me;
  unit: string;
  period: string;
  onChange: (patch: { dv?: string; ky?: string }) => void;
}) {
  const { t } = useBoardText();
  return (
    <div className="board-vars board-no-print" role="group" aria-label={t('variables')}>
      <div className="field">
        <label htmlFor="bv-unit">{t('unit')}</label>
        <UnitSelect id="bv-unit" me={me} value={unit} onChange={(dv) => onChange({ dv })} />
      </div>
      <div className="field">
        <label htmlFor="bv-period">{t('period')}</label>
        <PeriodSelect id="bv-period" value={period} onChange={(ky) => onChange({ ky })} />
      </div>
    </div>
  );
}
