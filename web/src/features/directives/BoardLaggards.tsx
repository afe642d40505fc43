import { useState } from 'react';
import { formatDate, formatNumber } from '../../shared/format.ts';
import type { Laggard } from './data.ts';
import { useDirText } from './messages.ts';
import { StatusTag } from './parts.tsx';

const LAGGARDS_SHOWN = 20;

/** The units not done yet, the first ones shown until asked for all. */
export function BoardLaggards({ laggards, count }: { laggards: Laggard[]; count: number }) {
  const { lang, t } = useDirText();
  const [all, setAll] = useState(false);
  return (
    <section className="card" aria-labelledby="laggards-title">
      <h2 id="laggards-title" className="section-title">
        {t('laggards')}
        <span className="count-pill">{formatNumber(lang, count)}</span>
      </h2>
      {laggards.length === 0 ? (
        <p className="empty">{t('laggardsEmpty')}</p>
      ) : (
        <ul className="list dir-laggards" data-testid="laggards">
          {(all ? laggards : laggards.slice(0, LAGGARDS_SHOWN)).map((l) => (
            <li key={String(l.taskId)} className="dir-laggard">
              <span className="dir-laggard-name">
                {l.unit.name}
                {l.unit.pathNames && (
                  <span className="muted dir-laggard-path">{l.unit.pathNames}</span>
                )}
              </span>
              <StatusTag status={l.status} />
              <span className={l.daysLate > 0 ? 'is-late' : 'muted'}>
                {l.daysLate > 0
                  ? t('overdueBy', { n: l.daysLate })
                  : t('due', { date: formatDate(lang, l.dueDate) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {!all && laggards.length > LAGGARDS_SHOWN && (
        <p className="dir-more">
          <button type="button" className="btn btn-small" onClick={() => setAll(true)}>
            {t('showAll', { n: formatNumber(lang, laggards.length) })}
          </button>
        </p>
      )}
    </section>
  );
}
