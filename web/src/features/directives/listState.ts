import type { DirectiveQuery } from './data.ts';

/**
 * The directive list's state, kept in the address (`/chi-dao?loai=issued&tt=overdue&q=…&trang=2`)
 * so that a reload, a shared link or Back shows the same list. Values the list does not know are
 * dropped, as if absent.
 */

export const RELATIONS = ['all', 'issued', 'received'] as const;
export const STATUSES = ['open', 'overdue', 'done'] as const;
export const DUES = ['past', 'today', 'week', 'month'] as const;
export const PAGE_SIZE = 20;

export type Relation = (typeof RELATIONS)[number];
export type ListStatus = (typeof STATUSES)[number];
export type Due = (typeof DUES)[number];

export interface ListState {
  relation: Relation;
  status?: ListStatus;
  due?: Due;
  q: string;
  /** 1-based. */
  page: number;
}

/** The address's query as the router hands it (router.tsx, `/chi-dao/`). */
export interface ListSearch {
  loai?: string;
  tt?: string;
  han?: string;
  q?: string;
  trang?: string;
}

const oneOf = <T extends string>(all: readonly T[], v: string | undefined): T | undefined =>
  all.find((x) => x === v);

export function readListState(s: ListSearch): ListState {
  const page = Number(s.trang);
  return {
    relation: oneOf(RELATIONS, s.loai) ?? 'all',
    status: oneOf(STATUSES, s.tt),
    due: oneOf(DUES, s.han),
    q: (s.q ?? '').slice(0, 200),
    page: Number.isInteger(page) && page >= 1 && page <= 5000 ? page : 1,
  };
}

/** The query of the address for a state (defaults left out). */
export function listSearch(st: ListState): Record<string, string | undefined> {
  return {
    loai: st.relation === 'all' ? undefined : st.relation,
    tt: st.status,
    han: st.due,
    q: st.q.trim() || undefined,
    trang: st.page > 1 ? String(st.page) : undefined,
  };
}

/** What the list asks the server for. */
export function listQuery(st: ListState): DirectiveQuery {
  return {
    relation: st.relation,
    status: st.status,
    due: st.due,
    q: st.q.trim() || undefined,
    limit: PAGE_SIZE,
    offset: (st.page - 1) * PAGE_SIZE,
  };
}

export const isFiltered = (st: ListState) =>
  st.relation !== 'all' || !!st.status || !!st.due || st.q.trim() !== '';
