import { isRootScope, type Scope } from '../domain/access.ts';
import { pathsAbove, reaches } from '../domain/audience.ts';
import type { LiveBus, LiveEvent } from './bus.ts';

/**
 * The open live connections of this instance (server-sent events). One subscription to the
 * bus serves them all: each event is encoded once and its bytes are written to every
 * connection whose topics and scope it matches. One timer sends the heartbeats.
 */

/** Where a connection's bytes go: an SSE response. */
export interface LiveSink {
  /** Queues bytes for the client; returns how many bytes wait to be sent. */
  write(chunk: Uint8Array): number;
}

export interface OpenOptions {
  scope: Scope;
  /** null = every topic. */
  topics: readonly string[] | null;
  /** The last event the client saw (Last-Event-ID), to replay what it missed. */
  lastEventId?: number;
}

export interface LiveConnection {
  /** Resolves when the connection ends (the client left, or the server closes it). */
  readonly done: Promise<void>;
  close(): void;
}

/** How many events a reconnecting client may replay; beyond, it gets `reset` and refetches. */
export const CATCH_UP_LIMIT = 1_000;
export const RETRY_MS = 2_000;
export const HEARTBEAT_MS = 15_000;
/** Bytes queued for a client that does not read; beyond, it is dropped (it reconnects). */
export const MAX_BACKLOG = 1 << 20;

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': ♥\n\n');

const frameOf = (id: number, topic: string, json: string) =>
  encoder.encode(`id: ${id}\nevent: ${topic}\ndata: ${json}\n\n`);

class Connection implements LiveConnection {
  live = false;
  /** The id `hello` gave: events up to it were replayed (or reset), so they are not sent again. */
  after = 0;
  buffered: LiveEvent[] = [];
  closed = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  readonly topics: Set<string> | null;
  readonly scope: Scope | null;

  constructor(
    private readonly hub: LiveHub,
    private readonly sink: LiveSink,
    opts: OpenOptions,
  ) {
    this.topics = opts.topics ? new Set(opts.topics) : null;
    this.scope = isRootScope(opts.scope) ? null : opts.scope;
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  wants(e: LiveEvent): boolean {
    if (this.topics && !this.topics.has(e.topic)) return false;
    if (e.path === null || this.scope === null) return true;
    return reaches({ version: e.version ?? '', path: e.path, above: e.above }, this.scope);
  }

  write(chunk: Uint8Array) {
    if (this.closed) return;
    if (this.sink.write(chunk) > MAX_BACKLOG) this.close();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.buffered = [];
    this.hub.remove(this);
    this.resolveDone();
  }
}

export class LiveHub {
  private readonly connections = new Set<Connection>();
  private subscribed?: Promise<() => void>;
  private heartbeat?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly bus: LiveBus,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  get size() {
    return this.connections.size;
  }

  /**
   * Opens a connection: `retry`, the events missed since `lastEventId` (or `reset` when there
   * are too many or they were pruned), `hello` with the newest id, then every new event.
   */
  async open(sink: LiveSink, opts: OpenOptions): Promise<LiveConnection> {
    const conn = new Connection(this, sink, opts);
    if (this.closed) {
      conn.close();
      return conn;
    }
    this.connections.add(conn);
    this.startHeartbeat();
    try {
      // Subscribed before reading the newest id: events after it are buffered, not lost.
      this.subscribed ??= this.bus
        .subscribe((e) => this.dispatch(e))
        .catch((e: unknown) => {
          this.subscribed = undefined; // the next connection tries again
          throw e;
        });
      await this.subscribed;
      conn.write(encoder.encode(`retry: ${RETRY_MS}\n\n`));
      const { min, max } = await this.bus.bounds();
      const newest = max ?? 0;
      const last = opts.lastEventId;
      if (last !== undefined && last < newest) {
        const pruned = min !== null && last < min - 1;
        const rows = pruned
          ? []
          : await this.bus.since(
              last,
              CATCH_UP_LIMIT + 1,
              { topics: opts.topics, scope: conn.scope },
              newest,
            );
        if (pruned || rows.length > CATCH_UP_LIMIT) {
          const reason = pruned ? 'pruned' : 'too_many';
          conn.write(frameOf(newest, 'reset', JSON.stringify({ lastId: newest, reason })));
        } else for (const r of rows) conn.write(frameOf(r.id, r.topic, r.json));
      } else if (last !== undefined && last > newest) {
        // An id from another database (restored, or a new one): start again.
        conn.write(frameOf(newest, 'reset', JSON.stringify({ lastId: newest, reason: 'unknown' })));
      }
      conn.write(frameOf(newest, 'hello', JSON.stringify({ lastId: newest })));
      conn.after = newest;
      for (const e of conn.buffered) if (e.id > newest) conn.write(this.frame(e));
      conn.buffered = [];
      conn.live = true;
    } catch (e) {
      conn.close();
      throw e;
    }
    return conn;
  }

  remove(conn: Connection) {
    this.connections.delete(conn);
    if (this.connections.size === 0) this.stopHeartbeat();
  }

  /** Ends every connection (the server is stopping). */
  close() {
    this.closed = true;
    for (const c of [...this.connections]) c.close();
    this.stopHeartbeat();
    void this.subscribed?.then((unsubscribe) => unsubscribe()).catch(() => {});
  }

  private frame(e: LiveEvent): Uint8Array {
    return (e.frame ??= frameOf(e.id, e.topic, e.json));
  }

  private dispatch(e: LiveEvent) {
    // Sent to chosen units: the recipients' side once per event, then one lookup a connection.
    if (e.recipients && !e.above) e.above = pathsAbove(e.recipients);
    for (const c of this.connections) {
      if (!c.wants(e)) continue;
      // An event stored before the connection's `hello` but dispatched after it (NOTIFY
      // arrives late) is covered already.
      if (!c.live) c.buffered.push(e);
      else if (e.id > c.after) c.write(this.frame(e));
    }
  }

  private startHeartbeat() {
    if (this.heartbeat || this.heartbeatMs <= 0) return;
    this.heartbeat = setInterval(() => {
      for (const c of this.connections) if (c.live) c.write(HEARTBEAT);
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat() {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
