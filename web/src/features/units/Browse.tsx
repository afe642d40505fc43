import { useEffect, useRef } from 'react';
import { ApiError } from '../../shared/api/client.ts';
import type { Version } from '../../shared/api/types.ts';
import { useI18n } from '../../shared/i18n.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { AppLink } from './AppLink.tsx';
import { useUnitWithChildren } from './queries.ts';
import { ROOT, type Route } from './route.ts';
import { UnitChildren } from './UnitChildren.tsx';
import { UnitDetail } from './UnitDetail.tsx';

/** One unit of the tree: where it sits (breadcrumb), its details and its children. */
export function Browse({
  version,
  code,
  max,
  focusOnLoad,
  onGo,
  home,
}: {
  version: Version;
  code: string;
  max: number;
  focusOnLoad: { current: boolean };
  onGo: (r: Route) => void;
  home: Route | undefined;
}) {
  const { t } = useI18n();
  const titleRef = useRef<HTMLHeadingElement>(null);
  // The unit shown stays until the next one has come (`stale` below).
  const browseQ = useUnitWithChildren(version.id, code);
  const error = browseQ.isFetching ? null : browseQ.error;
  const [unit, children] = (error ? undefined : browseQ.data) ?? [null, null];

  useEffect(() => {
    if (unit && unit.code === code && focusOnLoad.current) {
      focusOnLoad.current = false;
      titleRef.current?.focus();
    }
  }, [unit, code, focusOnLoad]);

  if (error) {
    return (
      <ErrorBox error={error} testId="browse-error">
        <div className="alert-actions">
          {home && !(home.u === code && home.v === version.id) ? (
            <AppLink to={home} onGo={onGo} className="btn">
              {t('backToMyUnit')}
            </AppLink>
          ) : code !== ROOT ? (
            <AppLink to={{ v: version.id, u: ROOT }} onGo={onGo} className="btn">
              Việt Nam
            </AppLink>
          ) : null}
          {error instanceof ApiError && error.status >= 400 && error.status < 500 ? null : (
            <button type="button" className="btn" onClick={() => void browseQ.refetch()}>
              {t('retry')}
            </button>
          )}
        </div>
      </ErrorBox>
    );
  }
  if (!unit || !children) return <Loading />;
  const stale = unit.code !== code;

  const crumbs = [...unit.ancestors, unit];
  // Units above the user's own scope cannot be opened: show them as plain text.
  const scopeIndex = home?.v === version.id ? crumbs.findIndex((c) => c.code === home.u) : -1;

  return (
    <div className="browse" aria-busy={stale} style={stale ? { opacity: 0.6 } : undefined}>
      <nav aria-label={t('breadcrumb')} className="breadcrumb" data-testid="breadcrumb">
        <ol>
          {crumbs.map((c, idx) => (
            <li key={c.code}>
              {idx === crumbs.length - 1 ? (
                <span aria-current="page">{c.fullName}</span>
              ) : idx < scopeIndex ? (
                <span className="crumb-out">{c.fullName}</span>
              ) : (
                <AppLink to={{ v: version.id, u: c.code }} onGo={onGo}>
                  {c.fullName}
                </AppLink>
              )}
            </li>
          ))}
        </ol>
      </nav>

      <div className="browse-grid">
        <UnitDetail unit={unit} max={max} titleRef={titleRef} onGo={onGo} />
        <UnitChildren
          children={children}
          version={version}
          childLevel={unit.level + 1}
          max={max}
          onGo={onGo}
        />
      </div>
    </div>
  );
}
