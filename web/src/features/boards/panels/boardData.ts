import { createContext, useContext, useEffect, useMemo } from 'react';
import { client, QUIET_401, type Schemas } from '../../../shared/api/client.ts';
import { getLang, type Lang } from '../../../shared/i18n.ts';
import { loadGeoIndex, type GeoEntry } from '../../room/data.ts';
import { loadCharts } from '../../room/useCharts.ts';
import type { Board } from '../draft.ts';
import type { PanelData } from './model.ts';

/**
 * A saved board's panels asked in one request (issue 19: `GET /api/boards/{id}/data`, one line
 * per panel, the first screenful's first): each panel's first read takes its line instead of a
 * request of its own (usePanelData), so its figures land under the panel's own query key and
 * everything after (the board's stream, a refresh, a retry) is as before. A panel the answer
 * does not bring (an error line, the answer cut short) asks alone.
 *
 * Opening `/bang/:id` starts the board's read, its panels' and (for a map) the charts' code and
 * the boundary maps' index at once, from the route (`startBoard`), while the app still asks who
 * is signed in: measured, the panels' requests otherwise left only after the board had come
 * and its grid had been laid out, half a second into the page.
 */

type Frame = Schemas['BoardDataFrame'];

export interface BoardBatch {
  id: number;
  /** As asked: undefined is the board's own variable. */
  unit: string | undefined;
  period: string | undefined;
  lang: Lang;
  /**
   * A panel's figures from the answer, once: its data, or null when the answer did not bring
   * them (the panel then asks alone). Undefined when already taken.
   */
  take(panel: string): Promise<PanelData | null> | undefined;
  abort(): void;
}

function openBatch(
  id: number,
  unit: string | undefined,
  period: string | undefined,
  lang: Lang,
): BoardBatch {
  const stop = new AbortController();
  const waiting = new Map<string, (d: PanelData | null) => void>();
  const arrived = new Map<string, PanelData | null>();
  const taken = new Set<string>();
  let ended = false;
  const settle = (panel: string, data: PanelData | null) => {
    const resolve = waiting.get(panel);
    if (resolve) {
      waiting.delete(panel);
      resolve(data);
    } else if (!taken.has(panel)) arrived.set(panel, data);
  };
  const end = () => {
    ended = true;
    for (const [panel, resolve] of waiting) {
      waiting.delete(panel);
      resolve(null);
    }
  };
  void (async () => {
    const query: { unit?: string; period?: string } = {};
    if (unit) query.unit = unit;
    if (period) query.period = period;
    const { data: body } = await client.GET('/api/boards/{id}/data', {
      params: { path: { id }, query },
      // Not signed in: /api/auth/me says so; the panels then ask alone once signed in.
      headers: { [QUIET_401]: '1' },
      parseAs: 'stream',
      signal: stop.signal,
    });
    if (!body) return;
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += value;
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, nl);
        rest = rest.slice(nl + 1);
        if (!line.trim()) continue;
        const frame = JSON.parse(line) as Frame;
        settle(frame.panel, 'data' in frame ? frame.data : null);
      }
    }
  })()
    // A failed answer (the network, a 404): every panel asks alone, and says what it met.
    .catch(() => {})
    .finally(end);
  return {
    id,
    unit,
    period,
    lang,
    take(panel) {
      if (taken.has(panel)) return undefined;
      taken.add(panel);
      if (arrived.has(panel)) {
        const data = arrived.get(panel)!;
        arrived.delete(panel);
        return Promise.resolve(data);
      }
      if (ended) return Promise.resolve(null);
      return new Promise((resolve) => waiting.set(panel, resolve));
    },
    abort() {
      stop.abort();
      end();
    },
  };
}

/** What the route started for the board it opens; taken by the page once. */
let early:
  | {
      id: number;
      board: Promise<Board>;
      batch: BoardBatch;
      boardTaken: boolean;
      batchTaken: boolean;
    }
  | undefined;
let geoIndex: Promise<GeoEntry[]> | undefined;

/** The boundary maps' index, asked once for the page (shared with useGeoIndex). */
export function earlyGeoIndex(): Promise<GeoEntry[]> {
  geoIndex ??= loadGeoIndex().catch((): GeoEntry[] => {
    geoIndex = undefined; // asked again next time
    return [];
  });
  return geoIndex;
}

/**
 * Called by `/bang/:id`'s route as it is entered (not for the builder): asks for the board and
 * for all its panels at once, and, when it has a map, for the charts' code and the boundary
 * maps' index. A failed read is left to the page, which asks again.
 */
export function startBoard(id: number, chosen: { dv?: string; ky?: string }): void {
  // One the page never took is not wanted any more; one it took is its to stop.
  if (early && !early.batchTaken) early.batch.abort();
  const board = client
    .GET('/api/boards/{id}', { params: { path: { id } }, headers: { [QUIET_401]: '1' } })
    .then(({ data }) => {
      if (!data) throw new Error('no board');
      return data;
    });
  board.then(
    (b) => {
      if (b.panels.some((p) => p.panel.kind === 'map')) {
        void loadCharts().catch(() => {});
        void earlyGeoIndex();
      }
    },
    () => {},
  );
  early = {
    id,
    board,
    batch: openBatch(id, chosen.dv, chosen.ky, getLang()),
    boardTaken: false,
    batchTaken: false,
  };
}

/** The board the route asked for, once (failed: asked again); undefined when it asked for none. */
export function takeEarlyBoard(id: number): Promise<Board> | undefined {
  if (!early || early.id !== id || early.boardTaken) return undefined;
  early.boardTaken = true;
  return early.board;
}

/** What a board's page shows its panels with: whose board, which variables, which language. */
export interface BatchScope {
  id: number;
  revision: number;
  /** The viewer's choice in the address (undefined: the board's own). */
  chosen: { dv?: string; ky?: string };
  /** The variables the panels are read with (their query keys'). */
  unit: string | undefined;
  period: string | undefined;
  lang: Lang;
}

/** The batch of each board on screen, for the scope it answers. */
const batches = new Map<number, { key: string; batch: BoardBatch }>();

/**
 * The batch for a board's panels in this scope: the one already asked, the route's when it
 * asked for the same, else a new one (the one of another scope is stopped). Called from a
 * panel's first read, never from a render.
 */
export function batchFor(scope: BatchScope): BoardBatch {
  const key = JSON.stringify([scope.revision, scope.unit, scope.period, scope.lang]);
  const have = batches.get(scope.id);
  if (have?.key === key) return have.batch;
  have?.batch.abort();
  const batch = adopt(scope) ?? openBatch(scope.id, scope.unit, scope.period, scope.lang);
  batches.set(scope.id, { key, batch });
  return batch;
}

/** The board left the screen: its answer, if still coming, is stopped. */
export function dropBatch(id: number): void {
  batches.get(id)?.batch.abort();
  batches.delete(id);
}

function adopt({ id, chosen, lang }: BatchScope): BoardBatch | undefined {
  const e = early;
  if (
    !e ||
    e.id !== id ||
    e.batchTaken ||
    e.batch.unit !== chosen.dv ||
    e.batch.period !== chosen.ky ||
    e.batch.lang !== lang
  )
    return undefined;
  e.batchTaken = true;
  return e.batch;
}

/** The scope of the board whose panels are shown (BoardView, WallBoard); none in the builder. */
export const BoardBatchContext = createContext<BatchScope | undefined>(undefined);

export const useBatchScope = () => useContext(BoardBatchContext);

/** Provides a saved board's scope to its panels, and stops its answer when it leaves. */
export function useBoardBatch(
  board: Pick<Board, 'id' | 'revision'>,
  chosen: { dv?: string; ky?: string },
  variables: { unit?: string; period?: string },
  lang: Lang,
): BatchScope | undefined {
  const { id, revision } = board;
  const { dv, ky } = chosen;
  const { unit, period } = variables;
  useEffect(() => (id ? () => dropBatch(id) : undefined), [id]);
  return useMemo(
    () => (id ? { id, revision, chosen: { dv, ky }, unit, period, lang } : undefined),
    [id, revision, dv, ky, unit, period, lang],
  );
}
