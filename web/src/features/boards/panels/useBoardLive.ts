import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../../shared/i18n.ts';
import { useLive } from '../../../shared/live.ts';
import { elementsOf } from '../../room/state.ts';
import { PANEL_KEY, panelQueryKey, useCatalogue, type PanelVariables } from './data.ts';
import type { BoardPanel, PanelData } from './model.ts';

const LIVE_DEBOUNCE_MS = 200;
/** Waits before opening a board's stream again after the server refused or ended it. */
const RETRY_MS = [1000, 2000, 5000, 10000];

/**
 * The topics a board listens to: values imported (`data`), split communes' weights (`weights`:
 * carried figures change), alerts opened or closed (`alert`) and tasks moved (`task`: a
 * directive's progress).
 */
const BOARD_TOPICS: readonly string[] = ['data', 'alert', 'weights', 'task'];

/** A saved board whose panels the server pushes (`GET /api/boards/{id}/live`). */
export interface BoardLiveTarget {
  id: number;
  revision: number;
  panels: BoardPanel[];
  /** The variables its panels are read with (as given to PanelView). */
  variables: PanelVariables;
  version: string | undefined;
  /** The board was edited or deleted: reload it. Default: every ['boards'] query refetched. */
  onChanged?: () => void;
}

/**
 * Live updates for a board: call once per board with every figure of its panels.
 *
 * A saved board (`board` with its id) opens its own stream: the server computes each panel a
 * change touches once for every open board alike and pushes its figures, which go straight into
 * the panel's query (no request per panel and change, issue 19); a reconnect refetches the
 * board's panels once (what was pushed meanwhile is lost), and `board` (the board changed)
 * reloads the board, whose new revision opens a new stream.
 *
 * A board being built (no id) listens to the app's live events: a value import touching one of
 * its elements (an indicator's too, on any tree: values are carried across the reform) refetches
 * the panels' figures; an alert refetches the alerts panels, a task the directive panels; a
 * reconnect refetches all. At most one refetch per 200 ms under a stream of imports.
 */
export function useBoardLive(figures: string[], board?: BoardLiveTarget): void {
  const pushed = Boolean(board?.id);
  useBoardStream(pushed ? board : undefined);
  useBoardEvents(figures, !pushed);
}

function useBoardStream(board: BoardLiveTarget | undefined): void {
  const { lang } = useI18n();
  const client = useQueryClient();
  const ref = useRef(board);
  useLayoutEffect(() => {
    ref.current = board;
  });
  const id = board?.id;
  const revision = board?.revision;
  const unit = board?.variables.unit;
  const period = board?.variables.period;
  useEffect(() => {
    if (!id || typeof EventSource === 'undefined') return;
    const q = new URLSearchParams({ revision: String(revision), lang });
    if (unit) q.set('unit', unit);
    if (period) q.set('period', period);
    const url = `/api/boards/${id}/live?${q}`;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let wasOpen = false;
    /** This board's panel queries (with these variables or not: the board's key is enough). */
    const refetchPanels = () =>
      void client.invalidateQueries({
        predicate: (query) =>
          query.queryKey[0] === PANEL_KEY[0] &&
          query.queryKey[1] === PANEL_KEY[1] &&
          query.queryKey[3] === id,
      });
    const connect = () => {
      retry = undefined;
      const es = new EventSource(url, { withCredentials: true });
      source = es;
      es.addEventListener('open', () => {
        failures = 0;
        // Pushes sent while the stream was down are lost: read the panels once.
        if (wasOpen) refetchPanels();
        wasOpen = true;
      });
      es.addEventListener('panel', (ev) => {
        const b = ref.current;
        let pushedPanel: { panel: string; data: PanelData };
        try {
          pushedPanel = JSON.parse((ev as MessageEvent<string>).data) as typeof pushedPanel;
        } catch {
          return;
        }
        const panel = b?.panels.find((p) => p.id === pushedPanel.panel);
        if (!b || !panel) return;
        client.setQueryData(
          panelQueryKey(panel, b.variables, b.version, b.id, lang),
          pushedPanel.data,
        );
      });
      es.addEventListener('board', () => {
        // The server ends the stream; the board's new revision opens the next one.
        es.close();
        if (source === es) source = undefined;
        const changed = ref.current?.onChanged;
        if (changed) changed();
        else void client.invalidateQueries({ queryKey: ['boards'] });
      });
      es.addEventListener('error', () => {
        // CONNECTING: the browser retries by itself. CLOSED: it gave up (an HTTP error).
        if (es.readyState !== EventSource.CLOSED || source !== es) return;
        source = undefined;
        wasOpen = true; // whatever opens next missed what changed meanwhile
        const wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!;
        failures++;
        retry = setTimeout(connect, wait);
      });
    };
    connect();
    return () => {
      clearTimeout(retry);
      source?.close();
      source = undefined;
    };
  }, [client, id, revision, unit, period, lang]);
}

function useBoardEvents(figures: string[], enabled: boolean): void {
  const cat = useCatalogue().data;
  const figureKey = [...new Set(figures)].sort().join(',');
  const needed = useMemo(
    () =>
      new Set(
        figureKey
          .split(',')
          .filter(Boolean)
          .flatMap((c) => (cat ? elementsOf(c, cat.formulas) : [c.split('.')[0]!])),
      ),
    [figureKey, cat],
  );
  const client = useQueryClient();
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  const lastRefresh = useRef(0);
  const refresh = useCallback(() => {
    if (pending.current) return;
    const run = () => {
      pending.current = undefined;
      lastRefresh.current = Date.now();
      void client.invalidateQueries({ queryKey: PANEL_KEY });
    };
    const wait = lastRefresh.current + LIVE_DEBOUNCE_MS - Date.now();
    if (wait <= 0) run();
    else pending.current = setTimeout(run, wait);
  }, [client]);
  useEffect(() => () => clearTimeout(pending.current), []);
  useLive(
    {
      data: (e) => {
        // An import that names no element may touch any: refetch.
        if (!e.elements?.length || e.elements.some((x) => needed.has(x.split('.')[0]!))) refresh();
      },
      event: (topic) => {
        if (topic === 'weights') refresh();
        else if (topic === 'alert')
          void client.invalidateQueries({ queryKey: [...PANEL_KEY, 'alerts'] });
        else if (topic === 'task')
          void client.invalidateQueries({ queryKey: [...PANEL_KEY, 'directive'] });
      },
      reset: refresh,
    },
    enabled,
    BOARD_TOPICS,
  );
}
