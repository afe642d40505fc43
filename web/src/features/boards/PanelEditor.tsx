import { useId, useState } from 'react';
import { GRID_ROWS_MAX } from '../../../../src/domain/board.ts';
import { Dialog } from './Dialog.tsx';
import { FigurePicker } from './FigurePicker.tsx';
import { KindOptions } from './KindOptions.tsx';
import { PeriodsField } from './PeriodsField.tsx';
import { UnitsField } from './UnitsField.tsx';
import {
  GRID_COLUMNS,
  newPanelId,
  PANEL_KINDS,
  panelProblem,
  withKind,
  type Grid,
  type Panel,
  type PanelKind,
} from './draft.ts';
import { useBoardText } from './messages.ts';

/** Which parts of a panel its kind uses. */
const USES: Record<PanelKind, { figures: boolean; units: boolean; periods: boolean }> = {
  tile: { figures: true, units: true, periods: true },
  map: { figures: true, units: true, periods: true },
  trend: { figures: true, units: true, periods: true },
  ranking: { figures: true, units: true, periods: true },
  pivot: { figures: true, units: true, periods: true },
  breakdown: { figures: true, units: true, periods: true },
  alerts: { figures: false, units: true, periods: false },
  directive: { figures: false, units: false, periods: false },
  text: { figures: false, units: false, periods: false },
};

/**
 * One panel, in a dialog: its kind, title, figures, units, periods, the options of its kind and
 * its place on the grid (the keyboard's way to move and resize it). Done keeps it in the board;
 * the board is saved with its own button.
 */
export function PanelEditor({
  initial,
  others,
  isNew,
  onDone,
  onCancel,
}: {
  initial: Panel;
  others: Panel[];
  isNew: boolean;
  onDone: (p: Panel) => void;
  onCancel: () => void;
}) {
  const { t } = useBoardText();
  const id = useId();
  const [panel, setPanel] = useState(initial);
  const [tried, setTried] = useState(false);
  const problem = panelProblem(panel);
  const uses = USES[panel.kind];
  const setGrid = (patch: Partial<Grid>) =>
    setPanel({ ...panel, grid: { ...panel.grid, ...patch } });
  const title = isNew ? t('addPanel').replace(/^\+\s*/, '') : t('editPanel');

  return (
    <Dialog title={title} onClose={onCancel} testId="panel-editor" wide>
      <form
        className="board-panel-form"
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (!problem) onDone(panel);
        }}
      >
        <div className="board-form-row">
          <div className="field">
            <label htmlFor={`${id}-kind`}>{t('panelKind')}</label>
            <select
              id={`${id}-kind`}
              value={panel.kind}
              onChange={(e) => {
                const kind = e.target.value as PanelKind;
                const next = withKind(panel, kind, others);
                // a new panel is named after its kind; one already saved keeps its id
                setPanel(isNew ? { ...next, id: newPanelId(others, kind) } : next);
              }}
            >
              {PANEL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind_${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field grow">
            <label htmlFor={`${id}-title`}>{t('panelTitle')}</label>
            <input
              id={`${id}-title`}
              value={panel.title ?? ''}
              maxLength={200}
              onChange={(e) => {
                const { title: _old, ...rest } = panel;
                void _old;
                setPanel(e.target.value ? { ...rest, title: e.target.value } : rest);
              }}
            />
          </div>
        </div>
        {uses.figures && (
          <FigurePicker
            value={panel.figures}
            onChange={(figures) => setPanel({ ...panel, figures })}
          />
        )}
        {uses.units && (
          <UnitsField value={panel.units} onChange={(units) => setPanel({ ...panel, units })} />
        )}
        {uses.periods && (
          <PeriodsField
            value={panel.periods}
            onChange={(periods) => setPanel({ ...panel, periods })}
          />
        )}
        <KindOptions panel={panel} onChange={setPanel} />
        <fieldset className="board-options">
          <legend>{t('position')}</legend>
          <div className="board-form-row">
            <GridNumber
              id={`${id}-x`}
              label={t('gridX')}
              value={panel.grid.x}
              min={0}
              max={GRID_COLUMNS - 1}
              onChange={(x) => setGrid({ x, w: Math.min(panel.grid.w, GRID_COLUMNS - x) })}
            />
            <GridNumber
              id={`${id}-y`}
              label={t('gridY')}
              value={panel.grid.y}
              min={0}
              max={GRID_ROWS_MAX - 1}
              onChange={(y) => setGrid({ y })}
            />
            <GridNumber
              id={`${id}-w`}
              label={t('gridW')}
              value={panel.grid.w}
              min={1}
              max={GRID_COLUMNS - panel.grid.x}
              onChange={(w) => setGrid({ w })}
            />
            <GridNumber
              id={`${id}-h`}
              label={t('gridH')}
              value={panel.grid.h}
              min={1}
              max={40}
              onChange={(h) => setGrid({ h })}
            />
          </div>
        </fieldset>
        {tried && problem && (
          <p className="field-error" role="alert">
            {t(problem)}
          </p>
        )}
        <div className="board-buttons">
          <button type="submit" className="btn btn-primary">
            {t('panelDone')}
          </button>
          <button type="button" className="btn" onClick={onCancel}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function GridNumber({
  id,
  label,
  value,
  min,
  max,
  onChange,
}: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (n: number) => void;
}) {
  return (
    <div className="field narrow">
      <label htmlFor={id} className="sub-label">
        {label}
      </label>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        value={value}
        onChange={(e) => {
          const n = Math.round(Number(e.target.value));
          if (Number.isFinite(n)) onChange(Math.min(max, Math.max(min, n)));
        }}
      />
    </div>
  );
}
