import { useEffect, useState } from 'react';
import { formatDateTime, type Lang } from '../../shared/format.ts';
import { useLiveStatus } from '../../shared/live.ts';
import type { OverviewT } from './messages.ts';

/** The title, where and when, the live mark and the wall's buttons. */
export function RoomHeader({
  lang,
  t,
  where,
  periodLabel,
  wall,
  paused,
  onPause,
  onWall,
  updatedAt,
}: {
  lang: Lang;
  t: OverviewT;
  where: string;
  periodLabel: string;
  wall: boolean;
  paused: boolean;
  onPause: () => void;
  onWall: (on: boolean) => void;
  updatedAt?: Date;
}) {
  return (
    <header className="ov-head">
      <div className="ov-title">
        <h1>{t('title')}</h1>
        <p className="ov-where" data-testid="ov-where">
          <span className="ov-unit">{where}</span>
          <span aria-hidden="true"> · </span>
          <span className="ov-period">{periodLabel}</span>
        </p>
      </div>
      <div className="ov-head-side">
        {wall && <Clock lang={lang} t={t} />}
        <LiveMark t={t} updatedAt={updatedAt} />
        {wall ? (
          <>
            {/* Short words on the wall, the whole action as the button's name. */}
            <button
              type="button"
              className="btn btn-ghost-dark"
              aria-pressed={paused}
              aria-label={paused ? t('wallPlay') : t('wallPause')}
              title={paused ? t('wallPlay') : t('wallPause')}
              onClick={onPause}
            >
              {paused ? t('wallPlayShort') : t('wallPauseShort')}
            </button>
            <button
              type="button"
              className="btn btn-ghost-dark"
              aria-label={t('wallExit')}
              title={t('wallExit')}
              onClick={() => onWall(false)}
            >
              {t('wallExitShort')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn ov-wall-btn"
            onClick={() => onWall(true)}
            data-testid="wall-button"
          >
            {t('wall')}
          </button>
        )}
      </div>
    </header>
  );
}

export function LiveMark({ t, updatedAt }: { t: OverviewT; updatedAt?: Date }) {
  const status = useLiveStatus();
  return (
    <p
      className={`live live-${status}`}
      aria-live="polite"
      data-testid="live"
      title={t('liveTitle')}
    >
      <span className="live-dot" aria-hidden="true" />
      <span className="live-text">
        {status === 'open' ? t('live') : status === 'lost' ? t('liveLost') : t('liveConnecting')}
      </span>
      {updatedAt && status !== 'connecting' && (
        <span className="live-time" data-testid="live-time">
          {' · '}
          {t(status === 'open' ? 'liveUpdated' : 'liveLostSince', { time: timeOf(updatedAt) })}
        </span>
      )}
    </p>
  );
}

/** 14:05 in Viet Nam. */
function timeOf(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);
}

export function Clock({ lang, t }: { lang: Lang; t: OverviewT }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(id);
  }, []);
  return (
    <p className="wall-clock" aria-label={t('clock')}>
      {formatDateTime(lang, now)}
    </p>
  );
}
