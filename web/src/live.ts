import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';

/**
 * The server's live events (`GET /api/live`, server-sent events, same-origin cookie): one
 * EventSource for the whole page, shared by every screen that listens.
 *
 * The browser reconnects by itself after a dropped connection and sends Last-Event-ID, so the
 * server can replay what was missed; when it cannot (or the stream was closed for good, e.g. the
 * server restarted or answered with an error), we open a new stream after a pause and tell the
 * listeners to refetch what they show (`reset`).
 */

/** A value import was committed: which elements, periods and trees it touched. */
export interface LiveDataEvent {
  elements: string[];
  periods: string[];
  versions: string[];
  count: number;
  by?: string;
}

export type LiveAlertEvent = Record<string, unknown>;

export interface LiveHandlers {
  data?: (e: LiveDataEvent) => void;
  alert?: (e: LiveAlertEvent) => void;
  /** Refetch everything: after a reconnect, or when the server says it cannot replay. */
  reset?: () => void;
}

export type LiveStatus = 'connecting' | 'open' | 'lost';

const TOPICS = 'data,alert';
const RETRY_MS = [1000, 2000, 5000, 10000];

let status: LiveStatus = 'connecting';
const statusListeners = new Set<() => void>();
const handlers = new Set<LiveHandlers>();
let source: EventSource | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;
/** Whether the stream has been open once: a later `open` is a reconnect, so refetch. */
let wasOpen = false;

function setStatus(s: LiveStatus) {
  if (s === status) return;
  status = s;
  for (const l of statusListeners) l();
}

function each(fn: (h: LiveHandlers) => void) {
  for (const h of [...handlers]) {
    try {
      fn(h);
    } catch (e) {
      console.error(e);
    }
  }
}

function parse<T>(ev: Event): T | undefined {
  try {
    return JSON.parse((ev as MessageEvent<string>).data) as T;
  } catch {
    return undefined;
  }
}

function connect() {
  clearTimeout(retryTimer);
  retryTimer = undefined;
  if (typeof EventSource === 'undefined') return;
  const es = new EventSource(`/api/live?topics=${TOPICS}`, { withCredentials: true });
  source = es;
  es.addEventListener('open', () => {
    failures = 0;
    setStatus('open');
    if (wasOpen) each((h) => h.reset?.());
    wasOpen = true;
  });
  es.addEventListener('data', (ev) => {
    const d = parse<LiveDataEvent>(ev);
    if (d) each((h) => h.data?.(d));
  });
  es.addEventListener('alert', (ev) => {
    const d = parse<LiveAlertEvent>(ev) ?? {};
    each((h) => h.alert?.(d));
  });
  es.addEventListener('reset', () => each((h) => h.reset?.()));
  es.addEventListener('error', () => {
    setStatus('lost');
    // CONNECTING: the browser retries by itself. CLOSED: it gave up (an HTTP error); we retry.
    if (es.readyState === EventSource.CLOSED && source === es) {
      source = undefined;
      const wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!;
      failures++;
      if (handlers.size > 0) retryTimer = setTimeout(connect, wait);
    }
  });
}

function disconnect() {
  clearTimeout(retryTimer);
  retryTimer = undefined;
  source?.close();
  source = undefined;
  wasOpen = false;
  failures = 0;
  setStatus('connecting');
}

/** Listen to live events until the returned function is called. */
export function subscribeLive(h: LiveHandlers): () => void {
  handlers.add(h);
  if (!source && !retryTimer) connect();
  return () => {
    handlers.delete(h);
    if (handlers.size === 0) disconnect();
  };
}

function subscribeStatus(l: () => void) {
  statusListeners.add(l);
  return () => statusListeners.delete(l);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    subscribeStatus,
    () => status,
    () => status,
  );
}

/** Live events for a component; the handlers may change between renders without reconnecting. */
export function useLive(h: LiveHandlers, enabled = true): void {
  const ref = useRef(h);
  useLayoutEffect(() => {
    ref.current = h;
  });
  useEffect(() => {
    if (!enabled) return;
    return subscribeLive({
      data: (e) => ref.current.data?.(e),
      alert: (e) => ref.current.alert?.(e),
      reset: () => ref.current.reset?.(),
    });
  }, [enabled]);
}
