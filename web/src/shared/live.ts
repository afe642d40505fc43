import {
  createContext,
  createElement,
  useContext,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { hashKey, useQueryClient, type QueryKey } from '@tanstack/react-query';

/**
 * The server's live events (`GET /api/live`, server-sent events, same-origin cookie): one
 * EventSource per set of topics, shared by every screen that listens to that set (the overview
 * listens to data and alert, the directive screens to directive, task, plan…).
 *
 * The browser reconnects by itself after a dropped connection and sends Last-Event-ID, so the
 * server can replay what was missed; when it cannot (or the stream was closed for good, e.g. the
 * server restarted or answered with an error), we open a new stream after a pause and tell the
 * listeners to refetch what they show (`reset`).
 *
 * One provider (`LiveProvider`) at the top of the app holds the streams; screens listen with
 * `useLive`, or let events invalidate the TanStack queries they show (`useLiveInvalidate`).
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

/**
 * The overview's topics: what callers without a topics argument listen to. `weights`: the
 * shares of split communes changed, so figures carried across the 2025 reform changed.
 */
export const DEFAULT_TOPICS: readonly string[] = ['data', 'alert', 'weights'];
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

/** The open streams, one per set of topics: what the provider hands down. */
export class LiveHub {
  private readonly streams = new Map<string, Stream>();

  stream(topics: readonly string[]): Stream {
    const key = topicKey(topics);
    let s = this.streams.get(key);
    if (!s) {
      s = new Stream(key.split(','));
      this.streams.set(key, s);
    }
    return s;
  }

  /** Listen to live events of some topics until the returned function is called. */
  subscribe(h: LiveHandlers, topics: readonly string[] = DEFAULT_TOPICS): () => void {
    return this.stream(topics).subscribe(h);
  }
}

const topicKey = (topics: readonly string[]) => [...new Set(topics)].sort().join(',');

const LiveContext = createContext<LiveHub | null>(null);

/** The live connection of the app: one EventSource per set of topics, shared by the screens. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [hub] = useState(() => new LiveHub());
  return createElement(LiveContext.Provider, { value: hub }, children);
}

function useHub(): LiveHub {
  const hub = useContext(LiveContext);
  if (!hub) throw new Error('useLive outside <LiveProvider>');
  return hub;
}

/** Whether the stream of these topics is open. */
export function useLiveStatus(topics: readonly string[] = DEFAULT_TOPICS): LiveStatus {
  const s = useHub().stream(topics);
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
  const hub = useHub();
  const key = topicKey(topics);
  useEffect(() => {
    if (!enabled) return;
    return hub.subscribe(
      {
        data: (e) => ref.current.data?.(e),
        alert: (e) => ref.current.alert?.(e),
        event: (topic, e) => ref.current.event?.(topic, e),
        reset: () => ref.current.reset?.(),
      },
      key.split(','),
    );
  }, [hub, enabled, key]);
}

/** How `useLiveInvalidate` acts on events. */
export interface LiveInvalidateOptions {
  /** Listen only while true (default true). */
  enabled?: boolean;
  /**
   * Wait this long after an event for more before refetching, so that a burst of events (one
   * directive sent to many units) refetches once; 0 (the default) refetches at once.
   */
  coalesceMs?: number;
}

/**
 * Live events that make queries stale: `keys` names the queries an event touches (none: it does
 * not concern this screen); a reconnect or a `reset` refreshes every query of `all`.
 */
export function useLiveInvalidate(
  topics: readonly string[],
  keys: (topic: string, e: Record<string, unknown>) => readonly QueryKey[],
  all: readonly QueryKey[],
  { enabled = true, coalesceMs = 0 }: LiveInvalidateOptions = {},
): void {
  const client = useQueryClient();
  // the queries touched since the last refetch, by hash, while waiting for a burst to end
  const pending = useRef(new Map<string, QueryKey>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const invalidate = (list: readonly QueryKey[]) => {
    for (const queryKey of list) void client.invalidateQueries({ queryKey });
  };
  const refresh = (list: readonly QueryKey[]) => {
    if (list.length === 0) return;
    if (coalesceMs <= 0) return invalidate(list);
    for (const key of list) pending.current.set(hashKey(key), key);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const touched = [...pending.current.values()];
      pending.current.clear();
      invalidate(touched);
    }, coalesceMs);
  };
  useLive(
    {
      event: (topic, e) => refresh(keys(topic, e)),
      reset: () => refresh(all),
    },
    enabled,
    topics,
  );
}
