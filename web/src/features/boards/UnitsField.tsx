import { useId, useState } from 'react';
import type { PanelUnit } from './draft.ts';
import { useBoardText, type BoardT } from './messages.ts';

type Choice = '$unit' | 'my_unit' | 'children' | 'level' | 'group' | 'code';

/** A panel unit in words. */
export function unitLabel(t: BoardT, u: PanelUnit): string {
  if (typeof u === 'string') {
    if (u === '$unit' || u === 'my_unit' || u === 'children') return t(`unit_${u}`);
    return u;
  }
  if ('group' in u) return t('groupN', { code: u.group });
  return t('levelN', { n: u.level }) + (u.under ? ` · ${u.under}` : '');
}

const same = (a: PanelUnit, b: PanelUnit) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The panel's units: the board's unit ($unit), the viewer's, the units under them, every unit
 * of a level (under a code), a group, or a fixed code.
 */
export function UnitsField({
  value,
  onChange,
}: {
  value: PanelUnit[];
  onChange: (units: PanelUnit[]) => void;
}) {
  const { t } = useBoardText();
  const id = useId();
  const [choice, setChoice] = useState<Choice>('$unit');
  const [level, setLevel] = useState(1);
  const [under, setUnder] = useState('');
  const [text, setText] = useState('');
  const adding: PanelUnit | null =
    choice === 'level'
      ? { level, ...(under.trim() ? { under: under.trim() } : {}) }
      : choice === 'group'
        ? text.trim()
          ? { group: text.trim() }
          : null
        : choice === 'code'
          ? text.trim() || null
          : choice;
  return (
    <fieldset className="board-list-field">
      <legend>{t('units')}</legend>
      {value.length === 0 ? (
        <p className="muted">{t('noneYet')}</p>
      ) : (
        <ul className="board-chips">
          {value.map((u, i) => (
            <li key={i} className="board-chip">
              <span>{unitLabel(t, u)}</span>
              <button
                type="button"
                className="btn btn-small"
                aria-label={t('removeNamed', { name: unitLabel(t, u) })}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="board-form-row">
        <div className="field">
          <label htmlFor={`${id}-c`} className="sub-label">
            {t('add')}
          </label>
          <select
            id={`${id}-c`}
            value={choice}
            onChange={(e) => {
              setChoice(e.target.value as Choice);
              setText('');
            }}
          >
            <option value="$unit">{t('unit_$unit')}</option>
            <option value="my_unit">{t('unit_my_unit')}</option>
            <option value="children">{t('unit_children')}</option>
            <option value="level">{t('unitLevel')}</option>
            <option value="group">{t('unitGroup')}</option>
            <option value="code">{t('unitCode')}</option>
          </select>
        </div>
        {choice === 'level' && (
          <>
            <div className="field narrow">
              <label htmlFor={`${id}-l`} className="sub-label">
                {t('levelN', { n: '' }).trim()}
              </label>
              <input
                id={`${id}-l`}
                type="number"
                min={1}
                max={9}
                value={level}
                onChange={(e) => setLevel(Math.min(9, Math.max(1, Number(e.target.value) || 1)))}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-u`} className="sub-label">
                {t('unitLevelUnder')}
              </label>
              <input id={`${id}-u`} value={under} onChange={(e) => setUnder(e.target.value)} />
            </div>
          </>
        )}
        {(choice === 'group' || choice === 'code') && (
          <div className="field">
            <label htmlFor={`${id}-t`} className="sub-label">
              {choice === 'group' ? t('unitGroup') : t('unitCode')}
            </label>
            <input
              id={`${id}-t`}
              value={text}
              autoComplete="off"
              onChange={(e) => setText(e.target.value)}
            />
          </div>
        )}
        <button
          type="button"
          className="btn"
          disabled={!adding || value.some((u) => same(u, adding))}
          onClick={() => adding && onChange([...value, adding])}
        >
          {t('add')}
        </button>
      </div>
    </fieldset>
  );
}
