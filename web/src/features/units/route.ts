import { query } from '../../shared/url.ts';

/** The units page: it was the home page before the overview took its place. */
export const UNITS_PATH = '/don-vi';

export const ROOT = 'VN';

/** What the address bar holds: ?v=<version>&u=<unit code>&q=<search>. */
export interface Route {
  v?: string;
  u?: string;
  q?: string;
}

export function clean(next: Route): Route {
  const r: Route = {};
  if (next.v) r.v = next.v;
  if (next.u) r.u = next.u;
  if (next.q) r.q = next.q;
  return r;
}

export const sameRoute = (a: Route, b: Route) => a.v === b.v && a.u === b.u && a.q === b.q;

export function routeUrl(r: Route): string {
  return location.pathname + query({ v: r.v, u: r.u, q: r.q });
}
