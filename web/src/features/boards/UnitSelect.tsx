import type { Me } from '../../shared/api/types.ts';
import { useScopeUnits } from '../quality/queries.ts';
import { useBoardText } from './messages.ts';

/**
 * The board's unit: the viewer's own (`my_unit`) or a unit right under it — what their scope
 * reaches first (the picker of the data quality screen's units, with the viewer's unit named).
 */
export function UnitSelect({
  id,
  me,
  value,
  onChange,
}: {
  id: string;
  me: Me;
  value: string;
  onChange: (code: string) => void;
}) {
  const { t } = useBoardText();
  const units = useScopeUnits(me.scope.code, me.scope.version);
  const shown = value === me.scope.code ? 'my_unit' : value;
  const listed = shown === 'my_unit' || (units.data ?? []).some((u) => u.code === shown);
  return (
    <select id={id} value={shown} onChange={(e) => onChange(e.target.value)}>
      <option value="my_unit">
        {t('myUnit')} ({me.scope.name ?? me.scope.code})
      </option>
      {!listed && <option value={shown}>{shown}</option>}
      {(units.data ?? []).map((u) => (
        <option key={u.code} value={u.code}>
          {u.name}
        </option>
      ))}
    </select>
  );
}
