import { useSyncExternalStore, type MouseEvent } from 'react';

/** Paths of the directive screens. */
export const DIRECTIVES_PATH = '/chi-dao';
export const ISSUE_PATH = '/chi-dao/moi';
export const ASSIGN_PATH = '/chi-dao/giao-viec';
export const TASK_PATH = '/chi-dao/viec';
export const PLAN_PATH = '/ke-hoach';
export const FOLLOWUP_PATH = '/theo-doi';

const NAV_EVENT = 'opsroom:navigate';

/**
 * App.tsx switches between areas; inside this area the screens move with pushState and this
 * event, so a move from /chi-dao/moi to /chi-dao/12 re-renders without App knowing.
 */
export function notifyNavigation(): void {
  window.dispatchEvent(new Event(NAV_EVENT));
}

export function navigate(to: string): void {
  if (location.pathname + location.search === to) return;
  history.pushState(null, '', to);
  notifyNavigation();
  document.getElementById('main')?.focus();
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

/** The current path and query, following pushState moves of this area and Back/Forward. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** An <a onClick> that moves inside the app without reloading (a modified click opens a tab). */
export function linkTo(to: string) {
  return (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
}
