import { useId } from 'react';
import type { Panel } from './draft.ts';
import { useBoardText } from './messages.ts';

type Dim = 'dx' | 'pe' | 'ou';
const DIMS: Dim[] = ['dx', 'pe', 'ou'];

const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

/** The options of a panel's kind (a pivot's rows and columns, a map's style, a ranking's order…). */
export function KindOptions({ panel, onChange }: { panel: Panel; onChange: (p: Panel) => void }) {
  const { t } = useBoardText();
  const id = useId();
  switch (panel.kind) {
    case 'tile': {
      const compare = panel.options.compare ?? [];
      return (
        <fieldset className="board-options">
          <legend>{t('options')}</legend>
          <div className="board-form-row">
            <div role="group" aria-label={t('compare')} className="board-checks">
              <span className="sub-label">{t('compare')}</span>
              {(['previous', 'last_year'] as const).map((c) => (
                <label key={c} className="board-check">
                  <input
                    type="checkbox"
                    checked={compare.includes(c)}
                    onChange={(e) =>
                      onChange({
                        ...panel,
                        options: {
                          ...panel.options,
                          compare: e.target.checked
                            ? [...compare, c]
                            : compare.filter((x) => x !== c),
                        },
                      })
                    }
                  />
                  {t(`compare_${c}`)}
                </label>
              ))}
            </div>
            <div className="field">
              <label htmlFor={`${id}-target`} className="sub-label">
                {t('target')}
              </label>
              <input
                id={`${id}-target`}
                type="number"
                step="any"
                value={panel.options.target ?? ''}
                onChange={(e) => {
                  const target = num(e.target.value);
                  const { target: _old, ...rest } = panel.options;
                  void _old;
                  onChange({
                    ...panel,
                    options: target === undefined ? rest : { ...rest, target },
                  });
                }}
              />
            </div>
          </div>
        </fieldset>
      );
    }
    case 'map':
      return (
        <fieldset className="board-options">
          <legend>{t('options')}</legend>
          <div className="board-form-row">
            <div className="field">
              <label htmlFor={`${id}-style`} className="sub-label">
                {t('mapStyle')}
              </label>
              <select
                id={`${id}-style`}
                value={panel.options.style ?? 'choropleth'}
                onChange={(e) =>
                  onChange({
                    ...panel,
                    options: {
                      ...panel.options,
                      style: e.target.value as 'choropleth' | 'bubbles',
                    },
                  })
                }
              >
                <option value="choropleth">{t('style_choropleth')}</option>
                <option value="bubbles">{t('style_bubbles')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-level`} className="sub-label">
                {t('mapLevel')}
              </label>
              <input
                id={`${id}-level`}
                type="number"
                min={1}
                max={9}
                value={panel.options.level ?? ''}
                onChange={(e) => {
                  const level = num(e.target.value);
                  const { level: _old, ...rest } = panel.options;
                  void _old;
                  onChange({ ...panel, options: level === undefined ? rest : { ...rest, level } });
                }}
              />
            </div>
          </div>
        </fieldset>
      );
    case 'ranking':
      return (
        <fieldset className="board-options">
          <legend>{t('options')}</legend>
          <div className="board-form-row">
            <div className="field">
              <label htmlFor={`${id}-order`} className="sub-label">
                {t('rankingOrder')}
              </label>
              <select
                id={`${id}-order`}
                value={panel.options.order ?? 'desc'}
                onChange={(e) =>
                  onChange({
                    ...panel,
                    options: { ...panel.options, order: e.target.value as 'asc' | 'desc' },
                  })
                }
              >
                <option value="desc">{t('order_desc')}</option>
                <option value="asc">{t('order_asc')}</option>
              </select>
            </div>
            <LimitField
              id={`${id}-limit`}
              value={panel.options.limit ?? 10}
              onChange={(limit) => onChange({ ...panel, options: { ...panel.options, limit } })}
            />
          </div>
        </fieldset>
      );
    case 'alerts':
      return (
        <fieldset className="board-options">
          <legend>{t('options')}</legend>
          <LimitField
            id={`${id}-limit`}
            value={panel.options.limit ?? 10}
            onChange={(limit) => onChange({ ...panel, options: { limit } })}
          />
        </fieldset>
      );
    case 'pivot': {
      const o = panel.options;
      const set = (side: 'rows' | 'columns', d: Dim, on: boolean) => {
        const other = side === 'rows' ? 'columns' : 'rows';
        const list = on ? [...o[side].filter((x) => x !== d), d] : o[side].filter((x) => x !== d);
        onChange({
          ...panel,
          options: { ...o, [side]: list, [other]: o[other].filter((x) => !on || x !== d) },
        });
      };
      return (
        <fieldset className="board-options">
          <legend>{t('options')}</legend>
          <div className="board-form-row">
            {(['rows', 'columns'] as const).map((side) => (
              <div
                key={side}
                role="group"
                aria-label={t(side === 'rows' ? 'pivotRows' : 'pivotColumns')}
                className="board-checks"
              >
                <span className="sub-label">
                  {t(side === 'rows' ? 'pivotRows' : 'pivotColumns')}
                </span>
                {DIMS.map((d) => (
                  <label key={d} className="board-check">
                    <input
                      type="checkbox"
                      checked={o[side].includes(d)}
                      onChange={(e) => set(side, d, e.target.checked)}
                    />
                    {t(`dim_${d}`)}
                  </label>
                ))}
              </div>
            ))}
          </div>
        </fieldset>
      );
    }
    case 'directive':
      return (
        <div className="field">
          <label htmlFor={`${id}-dir`}>{t('directiveId')}</label>
          <input
            id={`${id}-dir`}
            type="number"
            min={1}
            value={panel.options.directive || ''}
            onChange={(e) =>
              onChange({
                ...panel,
                options: { directive: Math.max(0, Number(e.target.value) || 0) },
              })
            }
          />
        </div>
      );
    case 'text':
      return (
        <div className="field">
          <label htmlFor={`${id}-text`}>{t('text')}</label>
          <textarea
            id={`${id}-text`}
            rows={5}
            maxLength={5000}
            value={panel.options.text}
            onChange={(e) => onChange({ ...panel, options: { text: e.target.value } })}
          />
        </div>
      );
    default:
      return null;
  }
}

function LimitField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: number;
  onChange: (n: number) => void;
}) {
  const { t } = useBoardText();
  return (
    <div className="field narrow">
      <label htmlFor={id} className="sub-label">
        {t('limit')}
      </label>
      <input
        id={id}
        type="number"
        min={1}
        max={100}
        value={value}
        onChange={(e) => onChange(Math.min(100, Math.max(1, Number(e.target.value) || 1)))}
      />
    </div>
  );
}
