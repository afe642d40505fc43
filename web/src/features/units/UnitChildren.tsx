import type { OrgUnitList, Version } from '../../shared/api/types.ts';
import { typeName, useI18n } from '../../shared/i18n.ts';
import { AppLink } from './AppLink.tsx';
import { levelKey } from './levels.ts';
import type { Route } from './route.ts';

/** The units one level below, each with how many it has below it in turn. */
export function UnitChildren({
  children,
  version,
  childLevel,
  max,
  onGo,
}: {
  children: OrgUnitList;
  version: Version;
  childLevel: number;
  max: number;
  onGo: (r: Route) => void;
}) {
  const { t, n, lang } = useI18n();
  return (
    <section className="card children" aria-labelledby="children-title" data-testid="children">
      <h2 id="children-title" className="section-title">
        {t('children')}
        {children.total > 0 ? (
          <span className="count-pill">
            {t('unitsBelow', { n: children.total, level: t(levelKey(max, childLevel)) })}
          </span>
        ) : null}
      </h2>
      {children.items.length === 0 ? (
        <p className="empty">{t('noChildren')}</p>
      ) : (
        <ul className="list">
          {children.items.map((c) => {
            const count = childLevel < max ? c.childCount : undefined;
            return (
              <li key={c.code}>
                <AppLink
                  to={{ v: version.id, u: c.code }}
                  onGo={onGo}
                  className="row"
                  data-testid="child"
                >
                  <span className="row-main">
                    <span className="row-title">{c.fullName}</span>
                    <span className="row-sub">
                      {typeName(lang, c.type)} · {t('code')} {c.code}
                    </span>
                  </span>
                  <span className="row-meta">
                    {count !== undefined ? (
                      <span className="tag">
                        {t('unitsBelow', { n: count, level: t(levelKey(max, childLevel + 1)) })}
                      </span>
                    ) : null}
                    {childLevel < max ? (
                      <span className="chevron" aria-hidden="true">
                        ›
                      </span>
                    ) : null}
                  </span>
                </AppLink>
              </li>
            );
          })}
        </ul>
      )}
      {children.total > children.items.length ? (
        <p className="hint">{t('resultsShown', { n: n(children.items.length) })}</p>
      ) : null}
    </section>
  );
}
