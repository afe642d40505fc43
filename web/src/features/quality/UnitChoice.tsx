import { useQualityText } from './messages.ts';
import { useScopeUnits } from './queries.ts';

/** The subtree shown: the caller's scope, or one of the units right under it. */
export function UnitChoice({
  scope,
  value,
  onChange,
}: {
  scope: { code: string; name?: string; version: string };
  value: string;
  onChange: (code: string) => void;
}) {
  const { t } = useQualityText();
  const units = useScopeUnits(scope.code, scope.version);
  return (
    <div className="field dq-unit">
      <label htmlFor="dq-unit">{t('unit')}</label>
      <select id="dq-unit" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value={scope.code}>{scope.name ?? scope.code}</option>
        {(units.data ?? []).map((u) => (
          <option key={u.code} value={u.code}>
            {u.name}
          </option>
        ))}
      </select>
    </div>
  );
}
