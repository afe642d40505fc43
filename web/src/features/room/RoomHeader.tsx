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
            <button
              type="button"
              className="btn btn-ghost-dark"
              aria-pressed={paused}
              onClick={onPause}
            >
              {paused ? t('wallPlay') : t('wallPause')}
            </button>
            <button type="button" className="btn btn-ghost-dark" onClick={() => onWall(false)}>
              {t('wallExit')}
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

function LiveMark({ t, updatedAt }: { t: OverviewT; updatedAt?: Date }) {
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
      {updatedAt && status === 'open' && (
        <span className="live-time">
          {' · '}
          {t('liveUpdated', { time: timeOf(updatedAt) })}
        </span>
      )}
    </p>
  );
}

/** 14:05 in Viet Nam. */
function timeOf(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(11, 16);
}

function Clock({ lang, t }: { lang: Lang; t: OverviewT }) {
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
