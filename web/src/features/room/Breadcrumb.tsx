import type { MouseEvent } from 'react';
import type { OrgUnitDetail } from '../../shared/api/types.ts';
import type { OverviewT } from './messages.ts';

/** The unit's ancestors: links down from the caller's scope, plain text above it. */
export function Breadcrumb({
  unit,
  scopeCode,
  onGo,
  href,
  t,
}: {
  unit: OrgUnitDetail;
  scopeCode: string;
  onGo: (code: string) => void;
  href: (code: string) => string;
  t: OverviewT;
}) {
  const chain = [...unit.ancestors, unit];
  const scopeAt = chain.findIndex((u) => u.code === scopeCode);
  const click = (code: string) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onGo(code);
  };
  return (
    <nav className="breadcrumb ov-crumbs" aria-label={t('breadcrumb')} data-testid="ov-breadcrumb">
      <ol>
        {chain.map((u, i) => (
          <li key={u.code}>
            {i === chain.length - 1 ? (
              <span aria-current="page">{u.fullName}</span>
            ) : scopeAt > i ? (
              <span className="crumb-out">{u.fullName}</span>
            ) : (
              <a href={href(u.code)} onClick={click(u.code)}>
                {u.fullName}
              </a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
