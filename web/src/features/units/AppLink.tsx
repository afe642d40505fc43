import type { MouseEvent, ReactNode } from 'react';
import { plainClick } from '../../shared/nav.tsx';
import { routeUrl, type Route } from './route.ts';

/** A link that navigates inside the app but still works as a link (new tab, copy address). */
export function AppLink({
  to,
  onGo,
  className,
  children,
  ...rest
}: {
  to: Route;
  onGo: (r: Route) => void;
  className?: string;
  children: ReactNode;
  'aria-current'?: 'page';
  'data-testid'?: string;
}) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    if (!plainClick(e)) return;
    e.preventDefault();
    onGo(to);
  };
  return (
    <a href={routeUrl(to)} onClick={click} className={className} {...rest}>
      {children}
    </a>
  );
}
