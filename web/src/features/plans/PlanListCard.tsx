import { formatDateTime } from '../../shared/format.ts';
import { dirLabel, useDirText } from '../directives/messages.ts';
import { DirLink } from '../directives/nav.tsx';
import type { PlanList } from './types.ts';

/** A superior's list of the week's plans of the units below, those awaiting a decision marked. */
export function PlanListCard({
  list,
  unit,
  week,
  to,
}: {
  list: PlanList;
  unit: string;
  week: string;
  to: (unit: string, week: string) => string;
}) {
  const { lang, t } = useDirText();
  return (
    <section className="card" aria-labelledby="plan-list-title" data-testid="plan-list">
      <h2 id="plan-list-title" className="section-title">
        {t('planListTitle')}
        {list.items.some((x) => x.status === 'submitted') && (
          <span className="tag plan-submitted">
            {t('planListWaiting', {
              n: list.items.filter((x) => x.status === 'submitted').length,
            })}
          </span>
        )}
      </h2>
      {list.items.length === 0 ? (
        <p className="empty">{t('planListEmpty')}</p>
      ) : (
        <ul className="list">
          {list.items.map((x) => {
            const href = to(x.unit.code, week);
            return (
              <li key={x.unit.code}>
                <DirLink
                  to={href}
                  className="dir-item"

                  aria-label={t('planListOpen', { unit: x.unit.name })}
                  aria-current={x.unit.code === unit ? 'page' : undefined}
                >
                  <span className="dir-item-top">
                    <span className={`tag plan-${x.status}`}>
                      {dirLabel(lang, 'planStatus', x.status)}
                    </span>
                  </span>
                  <span className="dir-item-title">{x.unit.name}</span>
                  {x.submittedAt && (
                    <span className="dir-item-meta">
                      {t('planSubmittedBy', {
                        who: x.submittedBy ?? '',
                        at: formatDateTime(lang, x.submittedAt),
                      })}
                    </span>
                  )}
                </DirLink>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
