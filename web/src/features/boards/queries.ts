import { useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, ApiError, client, type Schemas } from '../../shared/api/client.ts';
import type { Board, Draft, Share } from './draft.ts';
import { takeEarlyBoard } from './panels/boardData.ts';

/** The boards' reads and writes (src/api/board.routes.ts). */

export const BOARDS_KEY = ['boards'] as const;
export const boardKey = (id: number) => [...BOARDS_KEY, 'one', id] as const;
const DEFAULT_KEY = [...BOARDS_KEY, 'default'] as const;

export function useBoardList() {
  return useQuery({
    queryKey: [...BOARDS_KEY, 'list'],
    queryFn: ({ signal }) =>
      answer(client.GET('/api/boards', { params: { query: { limit: 500 } }, signal })),
    select: (r) => r.items,
  });
}

/** The board the viewer's unit opens. */
export function useDefaultBoard(enabled = true) {
  return useQuery({
    queryKey: DEFAULT_KEY,
    queryFn: ({ signal }) => answer(client.GET('/api/boards/default', { signal })),
    enabled,
  });
}

export function fetchBoard(id: number, signal?: AbortSignal): Promise<Board> {
  return answer(client.GET('/api/boards/{id}', { params: { path: { id } }, signal }));
}

export function useBoard(id: number | null) {
  return useQuery({
    queryKey: boardKey(id ?? 0),
    // The route asked for it as it was entered (boardData.ts startBoard): that answer first.
    queryFn: ({ signal }) =>
      takeEarlyBoard(id!)?.catch(() => fetchBoard(id!, signal)) ?? fetchBoard(id!, signal),
    enabled: id !== null,
  });
}

/** Puts a board the server answered into the cache, and marks the lists stale. */
export function useRemember() {
  const qc = useQueryClient();
  return (b: Board) => {
    qc.setQueryData(boardKey(b.id), b);
    void qc.invalidateQueries({ queryKey: [...BOARDS_KEY, 'list'] });
    void qc.invalidateQueries({ queryKey: DEFAULT_KEY });
  };
}

/** Forgets a deleted board, and marks the lists stale. */
export function useForget() {
  const qc = useQueryClient();
  return (id: number) => {
    qc.removeQueries({ queryKey: boardKey(id) });
    void qc.invalidateQueries({ queryKey: [...BOARDS_KEY, 'list'] });
    void qc.invalidateQueries({ queryKey: DEFAULT_KEY });
  };
}

export function createBoard(d: Draft): Promise<Board> {
  return answer(client.POST('/api/boards', { body: { ...d, shares: [] } }));
}

export function updateBoard(
  id: number,
  d: Draft,
  shares: Share[],
  revision: number,
): Promise<Board> {
  return answer(
    client.PUT('/api/boards/{id}', { params: { path: { id } }, body: { ...d, shares, revision } }),
  );
}

export function deleteBoard(id: number): Promise<unknown> {
  return answer(client.DELETE('/api/boards/{id}', { params: { path: { id } } }));
}

export function setUnitDefault(unit: string, boardId: number, version: string) {
  return answer(
    client.PUT('/api/boards/defaults/{unit}', {
      params: { path: { unit } },
      body: { boardId, version },
    }),
  );
}

export function importBoard(file: Schemas['BoardFile']) {
  return answer(client.POST('/api/boards/import', { body: file }));
}

/** The board file, downloaded under the board's name. */
export async function downloadExport(id: number, name: string): Promise<void> {
  const file = await answer(client.GET('/api/boards/{id}/export', { params: { path: { id } } }));
  const blob = new Blob([JSON.stringify(file, null, 2) + '\n'], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${fileName(name) || `board-${id}`}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** A file name from a board's name: letters without their marks, digits and dashes. */
export function fileName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 80);
}

/** A refusal's problems, each with the path of the field: `panels.2.grid — …`. */
export interface Issue {
  path: string;
  vi: string;
  en: string;
}

export function issuesOf(e: unknown): Issue[] {
  if (!(e instanceof ApiError) || typeof e.details !== 'object' || e.details === null) return [];
  const list = (e.details as { issues?: unknown }).issues;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (i): i is Issue =>
      typeof i === 'object' &&
      i !== null &&
      typeof (i as Issue).path === 'string' &&
      typeof (i as Issue).vi === 'string' &&
      typeof (i as Issue).en === 'string',
  );
}

export const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409;
