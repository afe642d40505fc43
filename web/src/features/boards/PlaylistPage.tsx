import { useCallback, useEffect, useRef, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me } from '../../shared/api/types.ts';
import { useGo } from '../../shared/nav.tsx';
import { usePageTitle } from '../../shared/title.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { useWallClass } from '../room/useRoomState.ts';
import { variablesOf } from './BoardView.tsx';
import { useBoardText } from './messages.ts';
import { BOARDS_PATH, readPlaylist } from './paths.ts';
import { boardKey, fetchBoard } from './queries.ts';
import { WallBoard } from './WallBoard.tsx';
import './boards.css';

const TICK_MS = 250;

/** The slideshow's turn: which board, how far into its time, paused or not. */
function useTurns(n: number, seconds: number) {
  const [index, setIndex] = useState(0);
  const [paused, setPaused] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const spent = useRef(0);
  useEffect(() => {
    if (paused || n === 0) return;
    let last = Date.now();
    const id = setInterval(() => {
      const now = Date.now();
      spent.current += now - last;
      last = now;
      if (spent.current >= seconds * 1000) {
        spent.current = 0;
        setIndex((i) => (i + 1) % n);
      }
      setElapsed(spent.current);
    }, TICK_MS);
    return () => clearInterval(id);
  }, [paused, n, seconds]);
  const move = useCallback(
    (step: number) => {
      spent.current = 0;
      setElapsed(0);
      setIndex((i) => (i + step + n) % n);
    },
    [n],
  );
  const togglePaused = useCallback(() => setPaused((p) => !p), []);
  return { index, paused, elapsed, move, togglePaused };
}

/** ← and → move, space pauses (not when a button has the keyboard: it clicks itself). */
function useKeys(move: (step: number) => void, togglePaused: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const el = e.target as HTMLElement | null;
      if (el?.closest('input, select, textarea')) return;
      if (e.key === 'ArrowLeft') move(-1);
      else if (e.key === 'ArrowRight') move(1);
      else if (e.key === ' ' && !el?.closest('button, a')) {
        e.preventDefault();
        togglePaused();
      } else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [move, togglePaused]);
}

/**
 * `/trinh-chieu/?bang=1,2,3&giay=30`: the boards in turn on the wall, N seconds each (at least
 * 5), the next one read ahead. The list lives in the address; nothing is stored on the server.
 */
export function PlaylistPage({ me, bang, giay }: { me: Me; bang?: string; giay?: string }) {
  const { t } = useBoardText();
  const go = useGo();
  const qc = useQueryClient();
  useWallClass(true);
  const { ids, seconds } = readPlaylist(bang, giay);
  const n = ids.length;
  const { index, paused, elapsed, move, togglePaused } = useTurns(n, seconds);
  useKeys(move, togglePaused);
  const current = ids[index % Math.max(1, n)];
  const next = n > 1 ? ids[(index + 1) % n] : undefined;
  const q = useQuery({
    queryKey: boardKey(current ?? 0),
    queryFn: ({ signal }) => fetchBoard(current!, signal),
    enabled: current !== undefined,
    placeholderData: keepPreviousData,
  });
  useEffect(() => {
    if (next !== undefined)
      void qc.prefetchQuery({
        queryKey: boardKey(next),
        queryFn: ({ signal }) => fetchBoard(next, signal),
      });
  }, [qc, next]);
  usePageTitle(q.data ? `${t('playlistTitle')}: ${q.data.name}` : t('playlistTitle'));
  const exit = () => go(BOARDS_PATH + '/', { focusMain: true });

  if (n === 0)
    return (
      <div className="page board-page">
        <ErrorBox error={new Error(t('playlistEmpty'))} />
      </div>
    );
  const side = (
    <div className="board-playlist-controls" role="group" aria-label={t('playlistTitle')}>
      <span className="board-playlist-now" data-testid="playlist-now">
        {t('playlistNow', { i: index + 1, n })}
      </span>
      <button
        type="button"
        className="btn btn-ghost-dark"
        aria-label={t('playlistPrevLabel')}
        title={t('playlistPrevLabel')}
        onClick={() => move(-1)}
      >
        {t('playlistPrev')}
      </button>
      <button
        type="button"
        className="btn btn-ghost-dark"
        aria-pressed={paused}
        aria-label={paused ? t('playlistPlayLabel') : t('playlistPauseLabel')}
        title={`${paused ? t('playlistPlayLabel') : t('playlistPauseLabel')} · ${t('playlistKeys')}`}
        onClick={togglePaused}
      >
        {paused ? t('playlistPlay') : t('playlistPause')}
      </button>
      <button
        type="button"
        className="btn btn-ghost-dark"
        aria-label={t('playlistNextLabel')}
        title={t('playlistNextLabel')}
        onClick={() => move(1)}
      >
        {t('playlistNextBtn')}
      </button>
    </div>
  );
  const left = Math.max(0, seconds - elapsed / 1000);
  const progress = (
    <div
      className={`board-progress${paused ? ' paused' : ''}`}
      role="progressbar"
      aria-label={t('playlistProgress')}
      aria-valuemin={0}
      aria-valuemax={seconds}
      aria-valuenow={Math.round(left)}
    >
      <span style={{ width: `${Math.min(100, (elapsed / (seconds * 1000)) * 100)}%` }} />
    </div>
  );
  if (q.error)
    return (
      <div className="board-wall">
        {side}
        <ErrorBox error={q.error} />
      </div>
    );
  if (!q.data)
    return (
      <div className="board-wall">
        <Loading label={t('loadingBoard')} />
      </div>
    );
  return (
    <WallBoard
      key={q.data.id}
      me={me}
      board={q.data}
      variables={variablesOf(q.data, {})}
      onExit={exit}
      side={side}
      below={progress}
    />
  );
}
