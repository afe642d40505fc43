import type { Me } from '../../shared/api/types.ts';
import { formatDateTime } from '../../shared/format.ts';
import { AppLink } from '../../shared/nav.tsx';
import { usePageTitle } from '../../shared/title.ts';
import { BoardActions } from './BoardActions.tsx';
import { figuresOf, type Board } from './draft.ts';
import { useBoardText } from './messages.ts';
import { BOARDS_PATH, type ChosenVariables } from './paths.ts';
import { BoardBatchContext, useBoardBatch } from './panels/boardData.ts';
import { useBoardLive } from './panels/useBoardLive.ts';
import { VariablesBar } from './VariablesBar.tsx';
import { usePeriodLabel } from './PeriodSelect.tsx';
import { useUnitName } from './WallBoard.tsx';
import { ViewGrid } from './ViewGrid.tsx';

/** The variables a board's panels get: the viewer's choice, else the board's own. */
export function variablesOf(board: Board, chosen: ChosenVariables) {
  return {
    unit: chosen.dv ?? board.variables.unit ?? 'my_unit',
    period: chosen.ky ?? board.variables.period ?? 'THIS_MONTH',
  };
}

/** `/bang/:id`: a board to read — its name, its variables, its panels, and what one may do. */
export function BoardView({
  me,
  board,
  chosen,
  onChosen,
}: {
  me: Me;
  board: Board;
  chosen: ChosenVariables;
  onChosen: (patch: ChosenVariables) => void;
}) {
  const { lang, t } = useBoardText();
  usePageTitle(board.name);
  const variables = variablesOf(board, chosen);
  useBoardLive(figuresOf(board.panels.map((p) => p.panel)), {
    id: board.id,
    revision: board.revision,
    panels: board.panels.map((p) => p.panel),
    variables,
    version: board.version,
  });
  const batch = useBoardBatch(board, chosen, variables, lang);
  const where = useUnitName(me, variables.unit);
  const when = usePeriodLabel()(variables.period);
  return (
    <BoardBatchContext.Provider value={batch}>
      <div className="page board-page" data-testid="board-view">
        <AppLink to={BOARDS_PATH + '/'} className="board-back board-no-print">
          {t('back')}
        </AppLink>
        <header className="board-head">
          <div className="board-title">
            <h1>{board.name}</h1>
            {board.description && <p className="board-desc">{board.description}</p>}
            <p className="hint">
              {t('ownerLine', {
                name: board.owner.name,
                at: formatDateTime(lang, board.updatedAt),
              })}
            </p>
          </div>
          <BoardActions me={me} board={board} chosen={chosen} />
        </header>
        <p className="board-print-only">
          {where} · {when}
        </p>
        <VariablesBar me={me} unit={variables.unit} period={variables.period} onChange={onChosen} />
        {board.panels.length === 0 ? (
          <p className="card empty">{t('emptyBoard')}</p>
        ) : (
          <ViewGrid board={board} variables={variables} />
        )}
      </div>
    </BoardBatchContext.Provider>
  );
}
