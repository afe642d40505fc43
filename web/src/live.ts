import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';

/**
 * The server's live events (`GET /api/live`, server-sent events, same-origin cookie): one
 * EventSource per set of topics, shared by every screen that listens to that set (the overview
 * listens to data and alert, the directive screens to directive, task, plan…).
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
  /** Any topic of the stream, with its body (`{}` when it has none). */
  event?: (topic: string, e: Record<string, unknown>) => void;
  /** Refetch everything: after a reconnect, or when the server says it cannot replay. */
  reset?: () => void;
}

export type LiveStatus = 'connecting' | 'open' | 'lost';

/** The overview's topics: what callers without a topics argument listen to. */
export const DEFAULT_TOPICS: readonly string[] = ['data', 'alert'];
const RETRY_MS = [1000, 2000, 5000, 10000];

function parse<T>(ev: Event): T | undefined {
  try {
    return JSON.parse((ev as MessageEvent<string>).data) as T;
  } catch {
    return undefined;
  }
}

/** One EventSource for one set of topics, opened while someone listens. */
class Stream {
  status: LiveStatus = 'connecting';
  readonly statusListeners = new Set<() => void>();
  readonly handlers = new Set<LiveHandlers>();
  private source: EventSource | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  /** Whether the stream has been open once: a later `open` is a reconnect, so refetch. */
  private wasOpen = false;

  constructor(private readonly topics: readonly string[]) {}

  private setStatus(s: LiveStatus) {
    if (s === this.status) return;
    this.status = s;
    for (const l of this.statusListeners) l();
  }

  private each(fn: (h: LiveHandlers) => void) {
    for (const h of [...this.handlers]) {
      try {
        fn(h);
      } catch (e) {
        console.error(e);
      }
    }
  }

  private connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource(`/api/live?topics=${this.topics.join(',')}`, {
      withCredentials: true,
    });
    this.source = es;
    es.addEventListener('open', () => {
      this.failures = 0;
      this.setStatus('open');
      if (this.wasOpen) this.each((h) => h.reset?.());
      this.wasOpen = true;
    });
    for (const topic of this.topics)
      es.addEventListener(topic, (ev) => {
        const parsed = parse<Record<string, unknown>>(ev);
        // an event without a body still says "something changed", except to a data handler
        const d = parsed ?? {};
        this.each((h) => {
          if (topic === 'data') {
            if (parsed) h.data?.(parsed as unknown as LiveDataEvent);
          } else if (topic === 'alert') h.alert?.(d);
          h.event?.(topic, d);
        });
      });
    es.addEventListener('reset', () => this.each((h) => h.reset?.()));
    es.addEventListener('error', () => {
      this.setStatus('lost');
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (an HTTP error); we retry.
      if (es.readyState === EventSource.CLOSED && this.source === es) {
        this.source = undefined;
        const wait = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!;
        this.failures++;
        if (this.handlers.size > 0) this.retryTimer = setTimeout(() => this.connect(), wait);
      }
    });
  }

  private disconnect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.source?.close();
    this.source = undefined;
    this.wasOpen = false;
    this.failures = 0;
    this.setStatus('connecting');
  }

  subscribe(h: LiveHandlers): () => void {
    this.handlers.add(h);
    if (!this.source && !this.retryTimer) this.connect();
    return () => {
      this.handlers.delete(h);
      if (this.handlers.size === 0) this.disconnect();
    };
  }

  subscribeStatus = (l: () => void) => {
    this.statusListeners.add(l);
    return () => {
      this.statusListeners.delete(l);
    };
  };

  getStatus = () => this.status;
}

const streams = new Map<string, Stream>();

function stream(topics: readonly string[]): Stream {
  const key = [...new Set(topics)].sort().join(',');
  let s = streams.get(key);
  if (!s) {
    s = new Stream(key.split(','));
    streams.set(key, s);
  }
  return s;
}

/** Listen to live events of some topics until the returned function is called. */
export function subscribeLive(
  h: LiveHandlers,
  topics: readonly string[] = DEFAULT_TOPICS,
): () => void {
  return stream(topics).subscribe(h);
}

/** Whether the stream of these topics is open. */
export function useLiveStatus(topics: readonly string[] = DEFAULT_TOPICS): LiveStatus {
  const s = stream(topics);
  return useSyncExternalStore(s.subscribeStatus, s.getStatus, s.getStatus);
}

/**
 * Live events for a component; the handlers may change between renders without reconnecting.
 * Pass the topics as a constant (a new list with the same topics is the same stream).
 */
export function useLive(
  h: LiveHandlers,
  enabled = true,
  topics: readonly string[] = DEFAULT_TOPICS,
): void {
  const ref = useRef(h);
  useLayoutEffect(() => {
    ref.current = h;
  });
  const key = [...new Set(topics)].sort().join(',');
  useEffect(() => {
    if (!enabled) return;
    return subscribeLive(
      {
        data: (e) => ref.current.data?.(e),
        alert: (e) => ref.current.alert?.(e),
        event: (topic, e) => ref.current.event?.(topic, e),
        reset: () => ref.current.reset?.(),
      },
      key.split(','),
    );
  }, [enabled, key]);
}
