import { useMemo } from 'react';
import { useController, useWatch, type UseFormReturn } from 'react-hook-form';
import type { Schemas } from '../../shared/api/client.ts';
import { formatNumber } from '../../shared/format.ts';
import { useDirText, type DirKey } from './messages.ts';
import { fold } from './scope.ts';
import type { IssueValues, Kind, useIssueTarget } from './useIssueTarget.ts';

function levelKey(level: number, version: string): DirKey {
  // After the July 2025 reform communes sit right under provinces, at level 2.
  if (level === 2 && version.startsWith('2025')) return 'level2_2025';
  return `level${level}` as DirKey;
}

const kindLabel: Record<Kind, DirKey> = {
  units: 'targetUnits',
  level: 'targetLevel',
  group: 'targetGroup',
  nation: 'targetNation',
};

/** Who receives the directive: chosen units, a level under a unit, a group or the nation. */
export function IssueTarget({
  form,
  kinds,
  target,
  version,
  scopeUnit,
  units,
}: {
  form: UseFormReturn<IssueValues>;
  kinds: Kind[];
  target: ReturnType<typeof useIssueTarget>;
  version: string;
  scopeUnit: Schemas['OrgUnitDetail'];
  units: Schemas['OrgUnit'][];
}) {
  const { lang, t } = useDirText();
  const { register, control } = form;
  const { kind, levelUnit, levels, groups, recipients } = target;
  const { field: kindField } = useController({ control, name: 'kind' });
  const { field: level } = useController({ control, name: 'level' });

  return (
    <fieldset className="dir-target">
      <legend>{t('target')}</legend>
      <div className="dir-kinds" role="radiogroup">
        {kinds.map((k) => (
          <label key={k} className="dir-kind">
            <input
              type="radio"
              name="target-kind"
              value={k}
              checked={kind === k}
              onChange={() => kindField.onChange(k)}
            />
            {t(kindLabel[k])}
          </label>
        ))}
      </div>

      {kind === 'units' && <UnitPicker form={form} units={units} />}

      {(kind === 'level' || kind === 'nation') && (
        <div className="dir-row2">
          {kind === 'level' && (
            <div className="field">
              <label htmlFor="d-under">{t('underUnit')}</label>
              <select id="d-under" {...register('under')}>
                <option value={scopeUnit.code}>{scopeUnit.fullName}</option>
                {units.map((c) => (
                  <option key={c.code} value={c.code}>
                    {'\u00a0\u00a0'}
                    {c.fullName}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="d-level">{t('atLevel')}</label>
            <select
              id="d-level"
              ref={level.ref}
              name={level.name}
              value={level.value ?? ''}
              onChange={(e) => level.onChange(Number(e.target.value))}
              onBlur={level.onBlur}
              disabled={!levelUnit}
            >
              {levels.map((l) => (
                <option key={l} value={l}>
                  {t(levelKey(l, version))} (
                  {formatNumber(lang, levelUnit?.countsBelow[String(l)] ?? 0)})
                </option>
              ))}
            </select>
          </div>
        </div>
      )}

      {kind === 'group' &&
        (groups && groups.length > 0 ? (
          <div className="field">
            <label htmlFor="d-group">{t('group')}</label>
            <select id="d-group" {...register('group')}>
              <option value="">—</option>
              {groups.map((g) => (
                <option key={g.code} value={g.code}>
                  {g.name}
                  {` (${formatNumber(lang, g.members)})`}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <p className="muted">{t('noGroups')}</p>
        ))}

      <p className="dir-count" role="status" aria-live="polite" data-testid="recipient-count">
        {recipients === undefined
          ? t('willReceiveUnknown')
          : recipients === 0
            ? t('willReceiveNone')
            : t('willReceive', { n: formatNumber(lang, recipients) })}
      </p>
    </fieldset>
  );
}

/** The units right below the user's, filtered by name, to tick one by one or all at once. */
function UnitPicker({
  form,
  units,
}: {
  form: UseFormReturn<IssueValues>;
  units: Schemas['OrgUnit'][];
}) {
  const { t } = useDirText();
  const { register, control } = form;
  const filter = useWatch({ control, name: 'filter' });
  const { field: chosen } = useController({ control, name: 'chosen' });
  const shown = useMemo(() => {
    const q = fold(filter.trim());
    if (!q) return units;
    return units.filter((c) => fold(c.fullName).includes(q));
  }, [units, filter]);
  const picked = new Set(chosen.value);

  return (
    <div className="dir-picker">
      <div className="dir-picker-head">
        <div className="field">
          <label htmlFor="d-filter">{t('filterUnits')}</label>
          <input id="d-filter" type="search" {...register('filter')} />
        </div>
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            chosen.onChange([...new Set([...chosen.value, ...shown.map((c) => c.code)])])
          }
        >
          {t('selectAll')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => chosen.onChange([])}>
          {t('selectNone')}
        </button>
      </div>
      <ul className="dir-checks" aria-label={t('pickUnits')}>
        {shown.map((c) => (
          <li key={c.code}>
            <label>
              <input
                type="checkbox"
                checked={picked.has(c.code)}
                onChange={(e) => {
                  const n = new Set(chosen.value);
                  if (e.target.checked) n.add(c.code);
                  else n.delete(c.code);
                  chosen.onChange([...n]);
                }}
              />
              {c.fullName}
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}
