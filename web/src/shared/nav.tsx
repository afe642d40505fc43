import { useCallback, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { useRouter, useRouterState } from '@tanstack/react-router';

/**
 * Moving around the app: every move goes through the router (web/src/app/router.tsx), from a
 * real link (`AppLink`: a modified click still opens a tab) or from code (`useGo`).
 */

/** The address's query as the pages wrote it before the router: plain strings, no JSON. */
export function parseSearch(search: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(search));
}

/** Empty values are left out; commas stay readable (`?dx=A,B`), as the overview writes them. */
export function stringifySearch(search: Record<string, unknown>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(search))
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') sp.set(k, String(v));
  const s = sp.toString().replace(/%2C/g, ',');
  return s ? '?' + s : '';
}

export interface GoOptions {
  /** Replace the current entry (the address follows the screen) instead of adding one. */
  replace?: boolean;
  /** A move to another screen puts the keyboard at its start. */
  focusMain?: boolean;
}

/** Goes to a path with its query; nothing happens when already there. */
export function useGo(): (to: string, opts?: GoOptions) => void {
  const router = useRouter();
  return useCallback(
    (to: string, opts: GoOptions = {}) => {
      const here = router.latestLocation;
      if (here.pathname + here.searchStr === to) return;
      void router.navigate({ href: to, replace: opts.replace, resetScroll: false });
      if (opts.focusMain) document.getElementById('main')?.focus();
    },
    [router],
  );
}

/** The current path, following every move and Back/Forward. */
export function usePathname(): string {
  return useRouterState({ select: (s) => s.location.pathname });
}

/** The current query string (`?a=1`, or ''). */
export function useSearchString(): string {
  return useRouterState({ select: (s) => s.location.searchStr });
}

/** Whether a click is a plain one the app handles (a modified click opens a tab). */
export const plainClick = (e: MouseEvent<HTMLAnchorElement>) =>
  e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;

/** A link that moves inside the app without reloading. */
export function AppLink({
  to,
  focusMain,
  onClick,
  ...rest
}: Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; focusMain?: boolean }) {
  const go = useGo();
  return (
    <a
      {...rest}
      href={to}
      onClick={(e) => {
        onClick?.(e);
        if (e.defaultPrevented || !plainClick(e)) return;
        e.preventDefault();
        go(to, { focusMain });
      }}
    />
  );
}
