import type { Me } from '../../shared/api/types.ts';
import { can } from '../../shared/me.tsx';
import { useGo } from '../../shared/nav.tsx';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { BoardBuilder } from './BoardBuilder.tsx';
import { BoardView, variablesOf } from './BoardView.tsx';
import type { Board } from './draft.ts';
import { useBoardText } from './messages.ts';
import { boardPath, DEFAULT_BOARD, NEW_BOARD, type ChosenVariables } from './paths.ts';
import { useBoard, useDefaultBoard } from './queries.ts';
import { WallBoard } from './WallBoard.tsx';
import './boards.css';

export interface BoardSearch extends ChosenVariables {
  sua?: string;
  wall?: string;
}

/**
 * `/bang/:id`: a board read, built (`?sua=1`, or `/bang/moi` for a new one) or on the wall
 * (`?wall=1`); `/bang/mac-dinh`: the unit's default board.
 */
export function BoardScreen({
  idText,
  search,
  me,
}: {
  idText: string;
  search: BoardSearch;
  me: Me;
}) {
  const id = /^\d+$/.test(idText) ? Number(idText) : null;
  const isDefault = idText === DEFAULT_BOARD;
  const one = useBoard(id);
  const fallback = useDefaultBoard(isDefault);
  if (idText === NEW_BOARD && can(me, 'board.write'))
    return <BoardBuilder me={me} board={null} chosen={search} />;
  const q = isDefault ? fallback : one;
  const board = isDefault ? fallback.data?.board : one.data;
  if (q.error) return <Failed error={q.error} onRetry={() => void q.refetch()} />;
  if (!board) return <Waiting wall={search.wall === '1'} />;
  return <Shown me={me} board={board} search={search} idText={idText} />;
}

function Shown({
  me,
  board,
  search,
  idText,
}: {
  me: Me;
  board: Board;
  search: BoardSearch;
  idText: string;
}) {
  const go = useGo();
  const chosen = { dv: search.dv, ky: search.ky };
  const here = (mode?: 'sua' | 'wall', c: ChosenVariables = chosen) => boardPath(idText, mode, c);
  if (search.sua === '1' && board.canEdit && board.id > 0 && can(me, 'board.write'))
    return <BoardBuilder key={board.id} me={me} board={board} chosen={chosen} />;
  if (search.wall === '1')
    return (
      <WallBoard
        me={me}
        board={board}
        variables={variablesOf(board, chosen)}
        chosen={chosen}
        onExit={() => go(here())}
      />
    );
  return (
    <BoardView
      me={me}
      board={board}
      chosen={chosen}
      onChosen={(patch) => go(here(undefined, { ...chosen, ...patch }), { replace: true })}
    />
  );
}

function Waiting({ wall }: { wall: boolean }) {
  const { t } = useBoardText();
  return (
    <div className={wall ? 'board-wall' : 'page board-page'}>
      <Loading label={t('loadingBoard')} />
    </div>
  );
}

function Failed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useBoardText();
  return (
    <div className="page board-page">
      <ErrorBox error={error}>
        <button type="button" className="btn" onClick={onRetry}>
          {t('reload')}
        </button>
      </ErrorBox>
    </div>
  );
}
