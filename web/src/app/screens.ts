import type { ReactNode } from 'react';
import { lazyRouteComponent } from '@tanstack/react-router';

/**
 * A screen in a chunk of its own, fetched on its first visit: the router waits for it as it waits
 * for a route's data (the screen before stays until then), and an address opened directly shows
 * the header over a blank page until it comes. The first paint (the operations room, the sign-in
 * form) needs none of them.
 */
const screens: { preload?: () => Promise<void> | undefined }[] = [];

export function screen(load: () => Promise<{ default: () => ReactNode }>) {
  const component = lazyRouteComponent(load);
  screens.push(component);
  return component;
}

let preloaded = false;

/**
 * Fetches every screen's chunk, once: called when the user reaches for the main menu (pointer,
 * touch or keyboard focus), so that the click finds its screen ready. Not on idle time: the
 * chunks' parsing then competed with the room's first load (the all-commune map, measured).
 */
export function preloadScreens(): void {
  if (preloaded) return;
  preloaded = true;
  for (const s of screens) void s.preload?.();
}
