import { useState } from 'react';
import { AppLink } from '../../shared/nav.tsx';
import type { BoardItem } from './draft.ts';
import { useBoardText } from './messages.ts';
import { playlistPath } from './paths.ts';

/** The slideshow's boards and seconds, and the link that starts it (the list lives in the URL). */
export function PlaylistForm({ boards }: { boards: BoardItem[] }) {
  const { t } = useBoardText();
  const [ids, setIds] = useState<number[]>([]);
  const [seconds, setSeconds] = useState(30);
  const s = Math.max(5, Math.round(seconds) || 5);
  return (
    <section className="card board-side-card" data-testid="playlist-form">
      <h2 className="section-title">{t('playlistTitle')}</h2>
      <div className="board-side-form">
        <p className="hint">{t('playlistIntro')}</p>
        <fieldset className="board-checks-list">
          <legend className="sr-only">{t('playlistTitle')}</legend>
          {boards.map((b) => (
            <label key={b.id} className="board-check">
              <input
                type="checkbox"
                checked={ids.includes(b.id)}
                onChange={(e) =>
                  setIds(e.target.checked ? [...ids, b.id] : ids.filter((x) => x !== b.id))
                }
              />
              {b.name}
            </label>
          ))}
        </fieldset>
        <div className="field narrow">
          <label htmlFor="playlist-seconds">{t('playlistSeconds')}</label>
          <input
            id="playlist-seconds"
            type="number"
            min={5}
            value={seconds}
            onChange={(e) => setSeconds(Number(e.target.value))}
          />
        </div>
        {ids.length ? (
          <AppLink to={playlistPath(ids, s)} className="btn btn-primary">
            {t('playlistStart')}
          </AppLink>
        ) : (
          <p className="hint">{t('playlistPick')}</p>
        )}
        <p className="hint">{t('playlistNote')}</p>
      </div>
    </section>
  );
}
