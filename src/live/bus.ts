import type { Database } from '../db/client.ts';
import { ListenConnection } from '../db/listen.ts';
import {
  LIVE_CHANNEL,
  type LiveFilter,
  type LiveEventRow,
  type LiveRepo,
} from '../db/live.repo.ts';
import type { Store } from '../db/store.ts';
import { LiveHub } from './hub.ts';

/**
 * Live events: stored first (a screen that reconnects replays what it missed), then handed to
 * this instance's subscribers in id order.
 *
 * On a PostgreSQL server several instances share the events: each one LISTENs on a connection
 * of its own (not the pool); a publisher's `pg_notify` carries only the new id, and every
 * instance reads the rows after the last one it saw and dispatches them. Publishers take an
 * advisory lock in turn, so ids commit in order and no row is skipped. If the listening
 * connection drops, it is opened again and the rows missed meanwhile are read from the table.
 * PGlite runs in one process: events are dispatched in process, after they are stored.
 */

export interface LiveEvent extends LiveEventRow {
  /** The SSE frame, encoded once for every connection (set by the hub). */
  frame?: Uint8Array;
  /** The scopes on the recipients' side, computed once for every connection (set by the hub). */
  above?: ReadonlySet<string>;
}

export interface LiveScope {
  version: string;
  /** The unit the event concerns; for an event sent to chosen units, the sender's unit. */
  path: string;
  /**
   * Sent to chosen units (a directive, a reminder): their paths. The event then reaches the
   * sender's side and the recipients' (domain/audience.ts), and no one else under `path`.
   */
  recipients?: readonly string[];
}

export type LiveListener = (event: LiveEvent) => void;

const PAGE = 500;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

class BusClosed extends Error {
  constructor() {
    super('live bus closed');
  }
}

export class LiveBus {
  readonly hub: LiveHub;
  private readonly repo: LiveRepo;
  private readonly listeners = new Set<LiveListener>();
  private closed = false;
  /** The newest id dispatched (server engine). */
  private lastSeen = 0;
  private started?: Promise<void>;
  private client?: ListenConnection;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelay = RECONNECT_MIN_MS;
  private pumping?: Promise<void>;
  private pumpAgain = false;
  /** Publishes in flight, awaited on close; on PGlite also their order. */
  private tail: Promise<unknown> = Promise.resolve();
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    store: Store,
    /** The engine, and on the server its URL: the listening connection is one of its own. */
    private readonly database: Pick<Database, 'engine' | 'url'>,
    private readonly log: (message: string, error?: unknown) => void = (m, e) =>
      console.error(m, e ?? ''),
  ) {
    this.repo = store.repos.live;
    this.hub = new LiveHub(this);
  }

  /**
   * Stores an event and dispatches it; `scope` limits it to readers whose scope holds that unit
   * (or, with recipients, to the sender's and the recipients' side).
   */
  async publish(topic: string, payload: unknown, scope?: LiveScope): Promise<LiveEvent> {
    const [event] = await this.publishMany([{ topic, payload, scope }]);
    return event!;
  }

  /** Several events in one statement (an evaluation that opens many alerts). */
  publishMany(
    events: { topic: string; payload: unknown; scope?: LiveScope }[],
  ): Promise<LiveEvent[]> {
    if (this.closed) return Promise.reject(new BusClosed());
    const rows = events.map((e) => ({
      topic: e.topic,
      version: e.scope?.version ?? null,
      path: e.scope?.path ?? null,
      recipients: e.scope?.recipients ?? null,
      json: JSON.stringify(e.payload ?? null),
    }));
    const server = this.database.engine === 'postgres';
    const run = async (): Promise<LiveEvent[]> => {
      const ids = await this.repo.insert(rows, server);
      const out = rows.map((r, i) => ({ ...r, id: ids[i]!.id, at: ids[i]!.at }));
      if (server) this.pump();
      else for (const e of out) this.dispatch(e);
      return out;
    };
    // PGlite: one after the other, so that subscribers see ids in order.
    const p = server ? run() : this.tail.then(run, run);
    if (!server) this.tail = p.catch(() => {});
    this.inFlight.add(p);
    void p.catch(() => {}).finally(() => this.inFlight.delete(p));
    return p;
  }

  /** Calls `listener` with every event from now on, in id order. */
  async subscribe(listener: LiveListener): Promise<() => void> {
    if (this.closed) throw new BusClosed();
    this.listeners.add(listener);
    try {
      await this.start();
    } catch (e) {
      this.listeners.delete(listener);
      throw e;
    }
    return () => this.listeners.delete(listener);
  }

  /** Stored events after an id, oldest first, within a filter (catch-up after a reconnect). */
  since(afterId: number, limit: number, filter?: LiveFilter, upTo?: number) {
    return this.repo.after(afterId, limit, filter, upTo);
  }

  /** The oldest and newest stored event ids. */
  bounds() {
    return this.repo.bounds();
  }

  /** Deletes events older than `days` (screens away longer than that refetch everything). */
  prune(days: number) {
    return this.repo.prune(days);
  }

  get isClosed() {
    return this.closed;
  }

  /** Ends every live connection, the listening connection and the timers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.close();
    clearTimeout(this.reconnectTimer);
    await Promise.allSettled([...this.inFlight]);
    await this.pumping?.catch(() => {});
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
    this.listeners.clear();
  }

  private dispatch(event: LiveEvent) {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        this.log('live listener failed', e);
      }
    }
  }

  /** The server engine listens from the first subscriber on; PGlite needs nothing. */
  private start(): Promise<void> {
    if (this.database.engine !== 'postgres') return Promise.resolve();
    this.started ??= (async () => {
      await this.listen();
      // Listening first, then the last id: nothing committed in between is missed.
      this.lastSeen = (await this.repo.bounds()).max ?? 0;
    })();
    this.started.catch(() => (this.started = undefined));
    return this.started;
  }

  private async listen(): Promise<void> {
    if (!this.database.url) throw new Error('live events need the server URL (DATABASE_URL)');
    const client = new ListenConnection(this.database.url);
    let lost = false;
    const onLost = (e?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => {});
      if (this.closed) return;
      this.log(`live listener lost${e ? `: ${e.message}` : ''}; reconnecting`);
      this.reconnect();
    };
    client.onError(onLost);
    client.onEnd(() => onLost());
    client.onNotification((channel, payload) => {
      if (channel === LIVE_CHANNEL && Number(payload) > this.lastSeen) this.pump();
    });
    await client.listen(LIVE_CHANNEL);
    if (this.closed) {
      lost = true;
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.reconnectDelay = RECONNECT_MIN_MS;
  }

  private reconnect() {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      if (this.closed) return;
      this.listen()
        .then(() => this.pump()) // catch up on what was committed while deaf
        .catch((e: Error) => {
          this.log(`live listener: ${e.message}; retrying`);
          this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
          this.reconnect();
        });
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
  }

  /** Reads and dispatches rows after the last one seen; one reader at a time (server engine). */
  private pump() {
    if (this.closed || !this.started) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = (async () => {
      await this.started;
      do {
        this.pumpAgain = false;
        for (;;) {
          const rows = await this.repo.after(this.lastSeen, PAGE);
          for (const r of rows) {
            if (r.id <= this.lastSeen) continue;
            this.lastSeen = r.id;
            this.dispatch(r);
          }
          if (rows.length < PAGE || this.closed) break;
        }
      } while (this.pumpAgain && !this.closed);
    })()
      .catch((e) => {
        if (!this.closed) this.log('live events not read', e);
      })
      .finally(() => {
        this.pumping = undefined;
        // A notification that came after the last read but before this point.
        if (this.pumpAgain) this.pump();
      });
  }
}
