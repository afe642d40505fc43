import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type { LiveStatus } from '../live.ts';

/**
 * Live events of directives and tasks. web/src/live.ts listens to its own topics (data, alert)
 * only, so these screens keep one stream of their own for directive, task, reminder and
 * escalation, with the same rules: the browser reconnects and replays with Last-Event-ID;
 * `reset`, or a stream that closed for good, means refetch.
 */

export type DirectiveTopic = 'directive' | 'task' | 'reminder' | 'escalation';
const TOPICS: DirectiveTopic[] = ['directive', 'task', 'reminder', 'escalation'];
const RETRY_MS = [1000, 2000, 5000, 10000];

export interface DirectiveLiveHandlers {
  event?: (topic: DirectiveTopic, data: Record<string, unknown>) => void;
  reset?: () => void;
}

let status: LiveStatus = 'connecting';
const statusListeners = new Set<() => void>();
const handlers = new Set<DirectiveLiveHandlers>();
let source: EventSource | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;
let wasOpen = false;

function setStatus(s: LiveStatus) {
  if (s === status) return;
  status = s;
  for (const l of statusListeners) l();
}

function each(fn: (h: DirectiveLiveHandlers) => void) {
  for (const h of [...handlers]) {
    try {
      fn(h);
    } catch (e) {
      console.error(e);
    }
  }
}

function connect() {
  clearTimeout(retryTimer);
  retryTimer = undefined;
  if (typeof EventSource === 'undefined') return;
  const es = new EventSource(`/api/live?topics=${TOPICS.join(',')}`, { withCredentials: true });
  source = es;
  es.addEventListener('open', () => {
    failures = 0;
    setStatus('open');
    if (wasOpen) each((h) => h.reset?.());
    wasOpen = true;
  });
  for (const topic of TOPICS)
    es.addEventListener(topic, (ev) => {
      let data: Record<string, unknown> = {};
      try {
        data = JSON.parse((ev as MessageEvent<string>).data) as Record<string, unknown>;
      } catch {
        // an event without a body still says "something changed"
      }
      each((h) => h.event?.(topic, data));
    });
  es.addEventListener('reset', () => each((h) => h.reset?.()));
  es.addEventListener('error', () => {
    setStatus('lost');
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

function subscribe(h: DirectiveLiveHandlers): () => void {
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

export function useDirectiveLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    subscribeStatus,
    () => status,
    () => status,
  );
}

/** Directive and task events for a component; handlers may change without reconnecting. */
export function useDirectiveLive(h: DirectiveLiveHandlers): void {
  const ref = useRef(h);
  useLayoutEffect(() => {
    ref.current = h;
  });
  useEffect(
    () =>
      subscribe({
        event: (topic, data) => ref.current.event?.(topic, data),
        reset: () => ref.current.reset?.(),
      }),
    [],
  );
}
