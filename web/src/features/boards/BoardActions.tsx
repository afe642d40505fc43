import { useState } from 'react';
import type { Me } from '../../shared/api/types.ts';
import { can } from '../../shared/me.tsx';
import { useGo } from '../../shared/nav.tsx';
import { ErrorBox } from '../../shared/ui.tsx';
import type { Board } from './draft.ts';
import { useBoardText } from './messages.ts';
import { boardPath, BOARDS_PATH, type ChosenVariables } from './paths.ts';
import { deleteBoard, downloadExport, setUnitDefault, useForget } from './queries.ts';
import { ShareDialog } from './ShareDialog.tsx';

/**
 * The board's PDF, printed at the server with the variables chosen (GET /api/boards/{id}/pdf):
 * a plain link, so the browser downloads it as any file.
 */
function pdfHref(id: number, chosen: ChosenVariables, lang: string): string {
  const q = new URLSearchParams();
  if (chosen.dv) q.set('unit', chosen.dv);
  if (chosen.ky) q.set('period', chosen.ky);
  q.set('lang', lang);
  return `/api/boards/${id}/pdf?${q.toString()}`;
}

/**
 * A board's buttons (never printed), each for whom may use it: edit, share and delete for its
 * editors, the unit's default for board.default, and for everyone the JSON file, the wall screen,
 * the PDF (a saved board, printed at the server) and the browser's print of the page as it is
 * (kept: it prints any board, the shipped default and one being built included).
 */
export function BoardActions({
  me,
  board,
  chosen,
}: {
  me: Me;
  board: Board;
  chosen: ChosenVariables;
}) {
  const { t, lang } = useBoardText();
  const go = useGo();
  const forget = useForget();
  const [sharing, setSharing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const saved = board.id > 0;
  const mayEdit = saved && board.canEdit && can(me, 'board.write');

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="board-actions board-no-print" role="group" aria-label={t('actions')}>
      <div className="board-buttons">
        {mayEdit && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => go(boardPath(board.id, 'sua', chosen), { focusMain: true })}
          >
            {t('edit')}
          </button>
        )}
        {mayEdit && (
          <button type="button" className="btn" onClick={() => setSharing(true)}>
            {t('share')}
          </button>
        )}
        {saved && can(me, 'board.default') && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                const d = await setUnitDefault(me.scope.code, board.id, me.scope.version);
                setDone(t('defaultDone', { unit: me.scope.name ?? d.unit ?? me.scope.code }));
              })
            }
          >
            {t('setDefault')}
          </button>
        )}
        {saved && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => void run(() => downloadExport(board.id, board.name))}
          >
            {t('exportJson')}
          </button>
        )}
        <button
          type="button"
          className="btn"
          onClick={() => go(boardPath(saved ? board.id : 'mac-dinh', 'wall', chosen))}
        >
          {t('wall')}
        </button>
        {saved && (
          <a
            className="btn"
            href={pdfHref(board.id, chosen, lang)}
            download
            title={t('downloadPdfTitle')}
            data-testid="board-pdf"
            style={{ textDecoration: 'none' }}
          >
            {t('downloadPdf')}
          </a>
        )}
        <button type="button" className="btn" onClick={() => window.print()}>
          {t('print')}
        </button>
        {mayEdit && !confirming && (
          <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
            {t('delete')}
          </button>
        )}
      </div>
      {confirming && (
        <div className="board-confirm" role="alertdialog" aria-labelledby="board-delete-text">
          <p id="board-delete-text">{t('deleteConfirm', { name: board.name })}</p>
          <div className="board-buttons">
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await deleteBoard(board.id);
                  forget(board.id);
                  go(BOARDS_PATH + '/', { focusMain: true });
                })
              }
            >
              {t('deleteYes')}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      {error ? <ErrorBox error={error} testId="board-action-error" /> : null}
      {sharing && <ShareDialog board={board} onClose={() => setSharing(false)} />}
    </div>
  );
}
