import type { BoardPanel } from '../contract/board.ts';
import type { Store } from '../db/store.ts';
import { isRootScope, type Actor, type Scope } from '../domain/access.ts';
import { pathsAbove, reaches } from '../domain/audience.ts';
import { splitFigure } from '../domain/board.ts';
import { nextTicket, runIn } from '../db/request-context.ts';
import { dependencyOrder, itemsOf } from '../domain/expression.ts';
import type { LiveBus, LiveEvent } from '../live/bus.ts';
import {
  HEARTBEAT_MS,
  MAX_BACKLOG,
  RETRY_MS,
  type LiveConnection,
  type LiveSink,
} from '../live/hub.ts';
import type { BoardService, LiveBoard } from './board.service.ts';

/**
 * Open boards, pushed to (issue 19). A board page opens `GET /api/boards/{id}/live`; when a live
 * event changes figures its panels show, each such panel is computed once through
 * BoardService.panelData — the one scope rule, and answers shared with those who read it over
 * HTTP — and its frame is encoded once and written to every open stream of the same board,
 * revision, variables and viewer scope (a group). One computation at a time per group: events
 * during it ask for one more pass after, over the panels they touched. A board edited or
 * deleted sends its streams of the old revision `board` and ends them: the page reloads it.
 *
 *   data     panels whose figures (an indicator's elements too) the import names; every figure
 *            panel when it names none
 *   weights  every figure panel (carried figures changed)
 *   alert    alerts panels, when the alert is in the viewer's scope
 *   task, directive, reminder   the directive's panels, when the event reaches the viewer
 *   board    the board changed: its streams of another revision get `board` and end
 */

/** What a stream asks besides its board: the board's variables, its revision, its language. */
export interface BoardStreamQuery {
  unit?: string;
  period?: string;
  /** The revision the page shows: another one gets `board` at once. */
  revision?: number;
  en: boolean;
}

/** A stream about to open: the board read as the viewer may read it, and what it touches. */
export interface BoardStreamTarget {
  actor: Actor;
  board: LiveBoard;
  query: BoardStreamQuery;
  /** Per panel with figures, the element codes that change it (null: any). */
  needs: Map<string, Set<string> | null>;
}

/** Panel kinds whose figures come from values. */
const FIGURE_KINDS = new Set<BoardPanel['kind']>([
  'tile',
  'map',
  'trend',
  'ranking',
  'pivot',
  'breakdown',
]);
const DIRECTIVE_TOPICS = new Set(['task', 'directive', 'reminder']);
/** Groups computed at once: the database is shared with every other request. */
const CONCURRENCY = 4;
/** How long indicators' formulas are reused to know which elements a panel reads. */
const FORMULAS_MS = 60_000;

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': ♥\n\n');
const RETRY = encoder.encode(`retry: ${RETRY_MS}\n\n`);
const frameOf = (event: string, json: string) =>
  encoder.encode(`event: ${event}\ndata: ${json}\n\n`);

class Stream implements LiveConnection {
  closed = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly sink: LiveSink,
    private readonly onClose: (s: Stream) => void,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  write(chunk: Uint8Array) {
    if (this.closed) return;
    // A client that does not read is dropped (its page reconnects and refetches).
    if (this.sink.write(chunk) > MAX_BACKLOG) this.close();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    this.resolveDone();
  }
}

class Group {
  readonly streams = new Set<Stream>();
  /** Panels touched since the last pass began. */
  readonly pending = new Set<string>();
  queued = false;
  running = false;
  retired = false;
  readonly panels: Map<string, BoardPanel>;
  readonly scope: Scope | null;

  constructor(
    readonly key: string,
    readonly target: BoardStreamTarget,
  ) {
    this.panels = new Map(target.board.panels.map((p) => [p.id, p]));
    this.scope = isRootScope(target.actor.scope) ? null : target.actor.scope;
  }

  /** Whether an event scoped to a unit (or to chosen units) reaches this group's viewer. */
  reaches(e: LiveEvent): boolean {
    if (e.path === null || this.scope === null) return true;
    if (e.recipients && !e.above) e.above = pathsAbove(e.recipients);
    return reaches({ version: e.version ?? '', path: e.path, above: e.above }, this.scope);
  }

  touchKinds(kinds: (k: BoardPanel) => boolean) {
    for (const p of this.target.board.panels) if (kinds(p)) this.pending.add(p.id);
  }
}

export class BoardLiveService {
  private readonly groups = new Map<string, Group>();
  private readonly queue: Group[] = [];
  private running = 0;
  private subscribed?: Promise<() => void>;
  private heartbeat?: NodeJS.Timeout;
  private streams = 0;
  private closed = false;
  private formulas?: { at: number; value: Promise<Map<string, Set<string>> | null> };

  constructor(
    private readonly store: Store,
    private readonly boards: BoardService,
    private readonly bus: LiveBus,
    private readonly opts: { heartbeatMs?: number; concurrency?: number } = {},
  ) {}

  /** Open streams (all groups). */
  get size() {
    return this.streams;
  }

  /** Groups open: one computation per group and change. */
  get groupCount() {
    return this.groups.size;
  }

  /**
   * The board as the viewer may read it (404 otherwise, board.read and data.read), before any
   * byte of the stream is written.
   */
  async prepare(actor: Actor, id: number, query: BoardStreamQuery): Promise<BoardStreamTarget> {
    const board = await this.boards.liveBoard(actor, id);
    const indicators = board.panels.some((p) => FIGURE_KINDS.has(p.kind) && p.figures.length)
      ? await this.indicatorElements()
      : null;
    const needs = new Map<string, Set<string> | null>();
    for (const p of board.panels) {
      if (!FIGURE_KINDS.has(p.kind)) continue;
      let els: Set<string> | null = new Set<string>();
      for (const f of p.figures) {
        const { code } = splitFigure(f);
        const ind = indicators?.get(code);
        if (ind) for (const e of ind) els.add(e);
        else if (indicators === null) els = null;
        else els.add(code);
        if (els === null) break;
      }
      needs.set(p.id, els);
    }
    return { actor, board, query, needs };
  }

  /** Opens a prepared stream: `retry`, `hello`, then `panel` frames as figures change. */
  async open(sink: LiveSink, target: BoardStreamTarget): Promise<LiveConnection> {
    let group: Group | undefined;
    const stream = new Stream(sink, (s) => group && this.remove(s, group));
    if (this.closed) {
      stream.close();
      return stream;
    }
    // Subscribed before `hello`: a change after it is pushed.
    this.subscribed ??= this.bus
      .subscribe((e) => this.onEvent(e))
      .catch((e: unknown) => {
        this.subscribed = undefined;
        throw e;
      });
    await this.subscribed;
    const { actor, board, query } = target;
    const key = JSON.stringify([
      board.id,
      board.revision,
      query.unit ?? null,
      query.period ?? null,
      query.en,
      // The viewer as PanelCache keys an answer: scope and permissions.
      actor.scope.version,
      actor.scope.path,
      [...actor.permissions].sort(),
    ]);
    group = this.groups.get(key);
    if (!group) {
      group = new Group(key, target);
      this.groups.set(key, group);
    }
    group.streams.add(stream);
    this.streams++;
    this.startHeartbeat();
    stream.write(RETRY);
    stream.write(
      frameOf(
        'hello',
        JSON.stringify({
          board: board.id,
          revision: board.revision,
          panels: board.panels.map((p) => p.id),
        }),
      ),
    );
    if (query.revision !== undefined && query.revision !== board.revision) {
      stream.write(frameOf('board', JSON.stringify({ id: board.id, revision: board.revision })));
      stream.close();
    }
    return stream;
  }

  /** Ends every stream (the server is stopping). */
  close() {
    this.closed = true;
    for (const g of [...this.groups.values()]) for (const s of [...g.streams]) s.close();
    this.stopHeartbeat();
    void this.subscribed?.then((unsubscribe) => unsubscribe()).catch(() => {});
  }

  private remove(s: Stream, group: Group) {
    if (!group.streams.delete(s)) return;
    this.streams--;
    if (group.streams.size === 0) {
      if (this.groups.get(group.key) === group) this.groups.delete(group.key);
      group.retired = true;
    }
    if (this.streams === 0) this.stopHeartbeat();
  }

  /** Element codes each indicator reads, through other indicators too (null: unknown). */
  private indicatorElements(): Promise<Map<string, Set<string>> | null> {
    const now = Date.now();
    if (this.formulas && now - this.formulas.at < FORMULAS_MS) return this.formulas.value;
    const value = (async () => {
      const { indicators, elements } = await this.store.repos.alerts.formulas();
      const codeOf = new Map(elements.flatMap((e) => (e.uid ? [[e.uid, e.code] as const] : [])));
      const out = new Map<string, Set<string>>();
      try {
        for (const ind of dependencyOrder(indicators)) {
          const els = new Set<string>();
          for (const ref of itemsOf(ind.expr))
            if (ref.kind === 'element') els.add(codeOf.get(ref.element) ?? ref.element);
          for (const d of ind.dependsOn) for (const e of out.get(d) ?? []) els.add(e);
          out.set(ind.code, els);
        }
      } catch {
        return null; // a formula that does not parse: every value may touch every panel
      }
      return out;
    })();
    this.formulas = { at: now, value };
    value.catch(() => (this.formulas = undefined));
    return value;
  }

  private onEvent(e: LiveEvent) {
    if (this.groups.size === 0) return;
    let payload: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = JSON.parse(e.json);
      if (parsed && typeof parsed === 'object') payload = parsed as Record<string, unknown>;
    } catch {
      // a body that is not JSON names nothing
    }
    if (e.topic === 'board') return this.boardChanged(payload);
    for (const g of this.groups.values()) {
      if (e.topic === 'data') {
        const named = Array.isArray(payload?.elements)
          ? new Set((payload.elements as unknown[]).map((x) => String(x).split('.')[0]!))
          : null;
        for (const [id, needs] of g.target.needs)
          if (!named?.size || !needs || [...needs].some((x) => named.has(x))) g.pending.add(id);
      } else if (e.topic === 'weights') {
        g.touchKinds((p) => FIGURE_KINDS.has(p.kind));
      } else if (e.topic === 'alert') {
        if (g.reaches(e)) g.touchKinds((p) => p.kind === 'alerts');
      } else if (DIRECTIVE_TOPICS.has(e.topic)) {
        const directive = Number(payload?.directiveId);
        if (g.reaches(e))
          g.touchKinds(
            (p) =>
              p.kind === 'directive' &&
              (!Number.isFinite(directive) || p.options.directive === directive),
          );
      }
      if (g.pending.size) this.schedule(g);
    }
  }

  private boardChanged(payload: Record<string, unknown> | null) {
    const id = Number(payload?.id);
    const revision = payload?.revision;
    for (const g of [...this.groups.values()]) {
      const b = g.target.board;
      if (b.id !== id || (!payload?.deleted && revision === b.revision)) continue;
      this.groups.delete(g.key);
      g.retired = true;
      const frame = frameOf(
        'board',
        JSON.stringify({
          id,
          ...(typeof revision === 'number' ? { revision } : {}),
          ...(payload?.deleted ? { deleted: true } : {}),
        }),
      );
      for (const s of [...g.streams]) {
        s.write(frame);
        s.close();
      }
    }
  }

  /**
   * After the event's dispatch (a microtask): every listener of the bus has seen it, the panel
   * answers' cache has forgotten what it made stale.
   */
  private schedule(g: Group) {
    if (g.queued || g.running) return;
    g.queued = true;
    this.queue.push(g);
    queueMicrotask(() => this.drain());
  }

  private drain() {
    const limit = this.opts.concurrency ?? CONCURRENCY;
    while (this.running < limit && this.queue.length) {
      const g = this.queue.shift()!;
      g.queued = false;
      if (g.retired) continue;
      g.running = true;
      this.running++;
      // Its own place in the database's line, not the one of the request whose event it was.
      void runIn({ ticket: nextTicket() }, () => this.pass(g)).finally(() => {
        g.running = false;
        this.running--;
        if (g.pending.size && !g.retired) this.schedule(g);
        this.drain();
      });
    }
  }

  /** Computes the group's touched panels, each once, and writes each frame to every stream. */
  private async pass(g: Group) {
    const ids = [...g.pending];
    g.pending.clear();
    const { actor, board, query } = g.target;
    await Promise.all(
      ids.map(async (id) => {
        const panel = g.panels.get(id);
        if (!panel) return;
        let json: string;
        try {
          const data = await this.boards.panelData(
            actor,
            this.boards.savedRequest(board, panel, query),
            { en: query.en },
          );
          json = `{"panel":${JSON.stringify(id)},"data":${JSON.stringify(data)}}`;
        } catch (e) {
          if (!this.closed) console.error(`board ${board.id} panel ${id} not pushed`, e);
          return;
        }
        if (g.retired) return;
        const frame = frameOf('panel', json);
        for (const s of g.streams) s.write(frame);
      }),
    );
  }

  private startHeartbeat() {
    const ms = this.opts.heartbeatMs ?? HEARTBEAT_MS;
    if (this.heartbeat || ms <= 0) return;
    this.heartbeat = setInterval(() => {
      for (const g of this.groups.values()) for (const s of g.streams) s.write(HEARTBEAT);
    }, ms);
    this.heartbeat.unref();
  }

  private stopHeartbeat() {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
