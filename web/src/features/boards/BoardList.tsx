import { formatDateTime } from '../../shared/format.ts';
import { AppLink } from '../../shared/nav.tsx';
import type { BoardItem } from './draft.ts';
import { useBoardText } from './messages.ts';
import { boardPath } from './paths.ts';

/** A section of boards: each a link with its panels, owner and last change. */
export function BoardList({
  title,
  items,
  empty,
  testId,
}: {
  title: string;
  items: BoardItem[];
  empty: string;
  testId: string;
}) {
  const { lang, t } = useBoardText();
  return (
    <section className="card" data-testid={testId}>
      <h2 className="section-title">
        {title} <span className="count-pill">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <ul className="list">
          {items.map((b) => (
            <li key={b.id}>
              <AppLink to={boardPath(b.id)} className="row" focusMain>
                <span className="row-main">
                  <span className="row-title">{b.name}</span>
                  {b.description && <span className="row-sub">{b.description}</span>}
                  <span className="row-sub">
                    {t('ownerBy', { name: b.owner.name })} ·{' '}
                    {t('updatedAt', { at: formatDateTime(lang, b.updatedAt) })}
                  </span>
                </span>
                <span className="row-meta">
                  {b.canEdit && <span className="tag">{t('canEditTag')}</span>}
                  <span className="tag">{t('panelCount', { n: b.panelCount })}</span>
                </span>
              </AppLink>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
