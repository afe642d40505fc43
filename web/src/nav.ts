import { useSyncExternalStore, type MouseEvent } from 'react';

/**
 * Moves inside an area of the app (the directive screens, the sector pages): pushState and an
 * event, so that the area re-renders from the address without App knowing. App.tsx switches
 * between areas.
 */
const NAV_EVENT = 'opsroom:navigate';

export function notifyNavigation(): void {
  window.dispatchEvent(new Event(NAV_EVENT));
}

/** Goes to `to`; with `focusMain`, a move to another screen puts the keyboard at its start. */
export function navigate(to: string, opts: { focusMain?: boolean } = {}): void {
  if (location.pathname + location.search === to) return;
  history.pushState(null, '', to);
  notifyNavigation();
  if (opts.focusMain) document.getElementById('main')?.focus();
}

function subscribe(l: () => void) {
  window.addEventListener('popstate', l);
  window.addEventListener(NAV_EVENT, l);
  return () => {
    window.removeEventListener('popstate', l);
    window.removeEventListener(NAV_EVENT, l);
  };
}

const snapshot = () => location.pathname + location.search;

/** The current path and query, following these moves and Back/Forward. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** An <a onClick> that moves with `go` without reloading (a modified click opens a tab). */
export function linkTo(to: string, go: (to: string) => void = navigate) {
  return (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go(to);
  };
}
