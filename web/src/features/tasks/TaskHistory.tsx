import { formatDateTime, formatNumber } from '../../shared/format.ts';
import { Loading } from '../../shared/ui.tsx';
import { personName, type HistoryEntry } from '../directives/data.ts';
import { dirLabel, useDirText } from '../directives/messages.ts';
import { StatusTag } from '../directives/parts.tsx';

/** Every change of the task, oldest first: who, when, the new status or what happened. */
export function TaskHistory({ history }: { history: HistoryEntry[] | undefined }) {
  const { lang, t } = useDirText();
  return (
    <section className="card" aria-labelledby="task-history">
      <h2 id="task-history" className="section-title">
        {t('history')}
      </h2>
      {!history ? (
        <Loading />
      ) : history.length === 0 ? (
        <p className="empty">{t('historyEmpty')}</p>
      ) : (
        <ol className="dir-history" data-testid="history">
          {history.map((h) => {
            // a status change shows its new status; any other event (assigned, read…) its kind
            const to = h.kind === 'status' ? h.to : null;
            const who = personName(h.actor);
            return (
              <li key={h.id}>
                <span className="dir-history-at">{formatDateTime(lang, h.at)}</span>
                <span>
                  {to ? (
                    <StatusTag status={to} />
                  ) : (
                    <span className="tag">{dirLabel(lang, 'kind', h.kind)}</span>
                  )}
                  {who && <span className="muted"> {who}</span>}
                </span>
                {/* the report, or a blocked report's reason */}
                {h.note && <span className="dir-history-text">{h.note}</span>}
                {h.figures && Object.keys(h.figures).length > 0 && (
                  <span className="dir-history-text muted">
                    {Object.entries(h.figures)
                      .map(([k, v]) => `${k}: ${formatNumber(lang, v)}`)
                      .join(' · ')}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
