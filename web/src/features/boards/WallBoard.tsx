import type { ReactNode } from 'react';
import type { Me } from '../../shared/api/types.ts';
import { Clock, LiveMark } from '../room/RoomHeader.tsx';
import { useLive } from '../../shared/live.ts';
import { useOverviewText } from '../room/messages.ts';
import { useWallClass } from '../room/useRoomState.ts';
import { useScopeUnits } from '../quality/queries.ts';
import { figuresOf, type Board, type Variables } from './draft.ts';
import { useBoardText } from './messages.ts';
import { BoardBatchContext, useBoardBatch } from './panels/boardData.ts';
import { useBoardLive } from './panels/useBoardLive.ts';
import { usePeriodLabel } from './PeriodSelect.tsx';
import { usePanelsUpdatedAt } from './useUpdatedAt.ts';
import { WallGrid } from './WallGrid.tsx';
import '../../shared/wall.css';

/** A unit variable's name: the viewer's own unit, or one right under it, else its code. */
export function useUnitName(me: Me, unit: string | undefined): string {
  const units = useScopeUnits(me.scope.code, me.scope.version);
  if (!unit || unit === 'my_unit' || unit === me.scope.code) return me.scope.name ?? me.scope.code;
  return units.data?.find((u) => u.code === unit)?.name ?? unit;
}

/**
 * A board on a wall screen: dark, the whole screen, no pointer needed; the name, where and
 * when, the clock and the live mark (as the room's wall: "Mất kết nối… · số liệu lúc hh:mm")
 * above the panels. `side`: the slideshow's controls; `below`: its progress.
 */
export function WallBoard({
  me,
  board,
  variables,
  chosen = {},
  onExit,
  side,
  below,
}: {
  me: Me;
  board: Board;
  variables: Required<Pick<Variables, 'unit' | 'period'>>;
  /** The variables chosen in the address (`dv`, `ky`), if any. */
  chosen?: { dv?: string; ky?: string };
  onExit: () => void;
  side?: ReactNode;
  below?: ReactNode;
}) {
  const { lang, t } = useBoardText();
  const room = useOverviewText();
  useWallClass(true);
  // A saved board's changed panels are pushed on its own stream (issue 19).
  useBoardLive(figuresOf(board.panels.map((p) => p.panel)), {
    id: board.id,
    revision: board.revision,
    panels: board.panels.map((p) => p.panel),
    variables,
    version: board.version,
  });
  // The live mark tells the truth of the stream the room's wall listens to: open it.
  useLive({});
  const batch = useBoardBatch(board, chosen, variables, lang);
  const updatedAt = usePanelsUpdatedAt();
  const where = useUnitName(me, variables.unit);
  const period = usePeriodLabel()(variables.period);
  return (
    <BoardBatchContext.Provider value={batch}>
      <div className="board-wall" data-testid="board-wall">
        <header className="board-wall-head">
          <div className="board-wall-title">
            <h1>{board.name}</h1>
            <p className="board-wall-where">
              <span className="board-wall-unit">{where}</span>
              <span aria-hidden="true"> · </span>
              <span>{period}</span>
            </p>
          </div>
          <div className="board-wall-side">
            {side}
            <Clock lang={lang} t={room.t} />
            <LiveMark t={room.t} updatedAt={updatedAt} />
            <button
              type="button"
              className="btn btn-ghost-dark"
              aria-label={t('wallExit')}
              title={t('wallExit')}
              onClick={onExit}
            >
              {t('wallExitShort')}
            </button>
          </div>
        </header>
        {below}
        <WallGrid board={board} variables={variables} />
      </div>
    </BoardBatchContext.Provider>
  );
}
