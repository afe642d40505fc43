import { randomUUID } from 'node:crypto';
import type {
  BoardFile,
  BoardInput,
  BoardPanel,
  BoardShare,
  BoardUpdate,
  BoardView,
  PanelData,
  PanelDataRequest,
  PanelProblem,
} from '../contract/board.ts';
import type { BoardRow, BoardShareRow, BoardViewer, NewShare } from '../db/board.repo.ts';
import type { Repos, Store } from '../db/store.ts';
import { actorLabel, allows, inScope, isRootScope, type Actor } from '../domain/access.ts';
import { readingOrder, splitFigure, UNIT_VARIABLE } from '../domain/board.ts';
import { DEMO_MONTHLY_BOARD, SHIPPED_BOARD } from '../domain/board-shipped.ts';
import type { Clock } from '../domain/dates.ts';
import { AppError, errors } from '../domain/errors.ts';
import { childContext, nextTicket, runIn } from '../db/request-context.ts';
import { auditActor } from './audit.ts';
import type { HierarchyService } from './hierarchy.service.ts';
import { panelWithDefaults, PanelDataReader, type PanelSources } from './board-panel-data.ts';
import { PanelCache } from './panel-cache.ts';
import type { LiveBus } from '../live/bus.ts';

interface Ctx {
  requestId?: string;
}

/** What a board stores besides its name: the rest of its file. */
interface BoardDocument {
  version?: string;
  variables: BoardFile['variables'];
  panels: BoardPanel[];
}

type VisibleRow = BoardRow & { can_edit: boolean };

/** Unit selectors that name no code. */
const NAMED_UNITS = new Set(['my_unit', 'children', UNIT_VARIABLE]);

const problem = (code: PanelProblem['code'], vi: string, en: string): PanelProblem => ({
  code,
  vi,
  en,
});

const notFound = (id: number) => errors.notFound(`board ${id}`);

/** A board changed after its commit: its new revision, or deleted. */
export interface BoardChange {
  id: number;
  revision?: number;
  deleted?: true;
  /** The editor's scope: where the event reaches readers of /api/live. */
  scope: { version: string; path: string };
}

/** One panel's answer in a board's answer (savedBoardData): its data, or why it failed. */
export type PanelAnswer = { panel: string; data: PanelData } | { panel: string; error: unknown };

/** A saved board as its live stream serves it (issue 19). */
export interface LiveBoard {
  id: number;
  revision: number;
  version?: string;
  variables: BoardFile['variables'];
  panels: BoardPanel[];
}

export class BoardService {
  private readonly reader?: PanelDataReader;
  private readonly answers: PanelCache<PanelData>;
  private readonly changeListeners: ((c: BoardChange) => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly clock: Clock,
    sources?: PanelSources,
    /** Panel answers shared per scope until the next live event (`undefined`: never shared). */
    live?: LiveBus,
    /**
     * How many panels of one board are read at once (savedBoardData): 1 on the embedded
     * engine, whose one connection answers one statement at a time, so that the first
     * screenful's panels come first; a few on a server, whose pool answers them side by side.
     */
    private readonly boardParallel = 1,
  ) {
    if (sources) this.reader = new PanelDataReader(store, hierarchy, clock, sources);
    this.answers = new PanelCache<PanelData>(live);
  }

  /** Calls `fn` after each board's change is committed (its open streams reload it). */
  onChange(fn: (c: BoardChange) => void): void {
    this.changeListeners.push(fn);
  }

  private changed(c: BoardChange) {
    for (const fn of this.changeListeners) {
      try {
        fn(c);
      } catch (e) {
        console.error('board change listener failed', e);
      }
    }
  }

  /** Figures changed (a value saved here, after its commit): no panel answer is shared again. */
  forgetAnswers(): void {
    this.answers.forget();
  }

  private viewer(actor: Actor): BoardViewer {
    return {
      kind: actor.kind,
      id: actor.id,
      role: actor.role ?? null,
      version: actor.scope.version,
      path: actor.scope.path,
      root: isRootScope(actor.scope),
      supervises: allows(actor, 'board.default'),
    };
  }

  private need(actor: Actor, action: 'board.read' | 'board.write' | 'board.default') {
    if (!allows(actor, action)) throw errors.forbidden(action);
  }

  /**
   * Why each panel cannot be shown to THIS viewer: a figure, unit, group or tree that does not
   * exist, or a unit outside their scope (named by nothing but the fact: its name and values
   * are not theirs to see). Null where the panel can be drawn.
   */
  private async problems(
    actor: Actor,
    doc: BoardDocument,
    repos: Repos = this.store.repos,
  ): Promise<(PanelProblem | null)[]> {
    const r = repos.boards;
    const tree = doc.version ?? (await this.hierarchy.versionFor(actor));
    const treeOk = await r.treeExists(tree);
    const codes = new Set<string>();
    const groups = new Set<string>();
    const figureCodes = new Set<string>();
    const options = new Set<string>();
    const variable = doc.variables.unit;
    if (variable && !NAMED_UNITS.has(variable)) codes.add(variable);
    for (const p of doc.panels) {
      for (const u of p.units) {
        if (typeof u === 'string') {
          if (!NAMED_UNITS.has(u)) codes.add(u);
        } else if ('group' in u) groups.add(u.group);
        else if (u.under) codes.add(u.under);
      }
      for (const f of p.figures) {
        const { code, option } = splitFigure(f);
        figureCodes.add(code);
        if (option) options.add(option);
      }
    }
    const [units, groupsFound, figures] = treeOk
      ? await Promise.all([
          r.units(tree, [...codes]),
          r.groups(tree, [...groups]),
          r.figures([...figureCodes], [...options]),
        ])
      : [
          new Map<string, { path: string }>(),
          new Set<string>(),
          await r.figures([...figureCodes], [...options]),
        ];
    const unitProblem = (code: string): PanelProblem | null => {
      const u = units.get(code);
      if (!u)
        return problem(
          'unknown_unit',
          `Không có đơn vị mã "${code}" trong cây ${tree}`,
          `No unit with code "${code}" in the ${tree} tree`,
        );
      if (!inScope(actor.scope, { version: tree, path: u.path }))
        return problem(
          'out_of_scope',
          'Ô này có đơn vị nằm ngoài phạm vi được giao cho tài khoản của bạn',
          'This panel names a unit outside the scope of your account',
        );
      return null;
    };
    // A map may draw another tree than the board's: that it exists is all that is checked.
    const otherTrees = new Map<string, boolean>();
    for (const p of doc.panels)
      if (p.kind === 'map' && p.options.version && p.options.version !== tree)
        otherTrees.set(p.options.version, await r.treeExists(p.options.version));
    return doc.panels.map((p) => {
      if (p.kind === 'text') return null;
      const panelTree = p.kind === 'map' ? (p.options.version ?? tree) : tree;
      if (panelTree === tree ? !treeOk : !otherTrees.get(panelTree))
        return problem(
          'unknown_tree',
          `Không có cây đơn vị hành chính "${panelTree}"`,
          `No hierarchy version "${panelTree}"`,
        );
      for (const f of p.figures) {
        const { code, option } = splitFigure(f);
        if (!figures.has(code) || (option && !figures.has(`.${option}`)))
          return problem(
            'unknown_figure',
            `Không có chỉ tiêu hoặc chỉ số "${f}"`,
            `No data element or indicator "${f}"`,
          );
      }
      if (panelTree !== tree) return null;
      // The board's unit (its variable), which `$unit`, `children` and a level without `under`
      // are read under: a code outside the viewer's scope is a problem of every panel.
      const boardCode = variable && !NAMED_UNITS.has(variable) ? variable : undefined;
      const boardProblem = boardCode ? unitProblem(boardCode) : null;
      if (boardProblem) return boardProblem;
      for (const u of p.units) {
        const code =
          typeof u === 'string'
            ? u === UNIT_VARIABLE || u === 'children'
              ? boardCode
              : NAMED_UNITS.has(u)
                ? undefined
                : u
            : 'group' in u
              ? undefined
              : (u.under ?? boardCode);
        if (typeof u === 'object' && 'group' in u && !groupsFound.has(u.group))
          return problem(
            'unknown_group',
            `Không có nhóm đơn vị mã "${u.group}" trong cây ${tree}`,
            `No group of units "${u.group}" in the ${tree} tree`,
          );
        const found = code ? unitProblem(code) : null;
        if (found) return found;
      }
      return null;
    });
  }

  private documentOf(row: BoardRow): BoardDocument {
    return row.document as BoardDocument;
  }

  private async present(
    actor: Actor,
    row: VisibleRow,
    shares: BoardShareRow[],
    repos?: Repos,
  ): Promise<BoardView> {
    const doc = this.documentOf(row);
    const found = await this.problems(actor, doc, repos);
    return {
      id: Number(row.id),
      uid: row.uid,
      name: row.name,
      description: row.description,
      ...(doc.version ? { version: doc.version } : {}),
      variables: doc.variables,
      panels: doc.panels.map((panel, i) => ({ panel, problem: found[i] ?? null })),
      shares: shares.map((s) => ({
        kind: s.kind,
        ...(s.unit_code ? { unit: s.unit_code, version: s.unit_version ?? undefined } : {}),
        ...(s.role ? { role: s.role } : {}),
        ...(s.user_name ? { user: s.user_name } : {}),
        access: s.access,
      })),
      owner: { name: row.owner_name, mine: this.owns(actor, row) },
      canEdit: Boolean(row.can_edit),
      revision: row.revision,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  private owns(actor: Actor, row: BoardRow) {
    return row.owner_kind === actor.kind && row.owner_id === actor.id;
  }

  /**
   * The shares as stored, each checked against the sharer's scope: no one shares a board
   * beyond what they themselves may see. Shares already on the board pass as they are.
   */
  private async resolveShares(
    actor: Actor,
    repos: Repos,
    shares: BoardShare[],
    tree: string,
    existing: BoardShareRow[] = [],
  ): Promise<NewShare[]> {
    const out: NewShare[] = [];
    const codes = shares.filter((s) => s.kind !== 'user').map((s) => s.unit ?? actor.scope.code);
    const units = await repos.boards.units(tree, [...new Set(codes)]);
    for (const s of shares) {
      if (s.kind === 'user') {
        const u = await repos.boards.user(s.user!);
        if (!u)
          throw new AppError(
            'not_found',
            { vi: `Không có người dùng "${s.user}"`, en: `No user "${s.user}"` },
            { user: s.user },
          );
        const kept = existing.some((e) => e.kind === 'user' && e.user_id === String(u.id));
        if (!kept && !inScope(actor.scope, { version: u.scope_version, path: u.path }))
          throw new AppError(
            'out_of_scope',
            {
              vi: `Không thể chia sẻ bảng với "${s.user}": người này thuộc đơn vị mã ${u.scope_code}, ngoài phạm vi của bạn`,
              en: `The board cannot be shared with "${s.user}": they belong to unit ${u.scope_code}, outside your scope`,
            },
            { user: s.user, unit: u.scope_code },
          );
        out.push({ kind: 'user', userId: String(u.id), userName: u.username, access: s.access });
        continue;
      }
      const code = s.unit ?? actor.scope.code;
      const unit = units.get(code);
      if (!unit) throw errors.unknownUnit(code, tree);
      const kept = existing.some(
        (e) =>
          e.kind === s.kind &&
          e.unit_code === code &&
          e.unit_version === tree &&
          (s.kind === 'unit' || e.role === s.role),
      );
      if (!kept && !inScope(actor.scope, { version: tree, path: unit.path }))
        throw new AppError(
          'out_of_scope',
          {
            vi: `Không thể chia sẻ bảng với ${unit.name} (mã ${code}): đơn vị nằm ngoài phạm vi của bạn`,
            en: `The board cannot be shared with ${unit.name} (code ${code}): the unit is outside your scope`,
          },
          { unit: code, version: tree },
        );
      out.push({
        kind: s.kind,
        unitVersion: tree,
        unitCode: code,
        unitPath: unit.path,
        role: s.kind === 'role' ? s.role : undefined,
        access: s.access,
      });
    }
    return out;
  }

  private docOf(input: Pick<BoardInput, 'version' | 'variables' | 'panels'>): BoardDocument {
    return {
      ...(input.version ? { version: input.version } : {}),
      variables: input.variables,
      panels: input.panels,
    };
  }

  private async reread(actor: Actor, repos: Repos, id: number) {
    // An editor may have shared themselves out of the board they just wrote: they still get
    // its new state once, as written, and no longer edit it.
    const row = (await repos.boards.visible(id, this.viewer(actor))) ?? {
      ...(await repos.boards.byId(id))!,
      can_edit: false,
    };
    return this.present(actor, row, await repos.boards.shares([id]), repos);
  }

  /** A new board, owned by the actor; the answer says which panels cannot be shown to them. */
  async create(actor: Actor, input: BoardInput, ctx: Ctx = {}, action = 'board.create') {
    this.need(actor, 'board.write');
    const tree = await this.hierarchy.versionFor(actor, input.version);
    const uid = input.uid ?? randomUUID();
    return this.store.transaction(async (tx) => {
      if (await tx.boards.byUid(uid))
        throw new AppError(
          'conflict',
          {
            vi: `Đã có một bảng với mã uid "${uid}"`,
            en: `A board with uid "${uid}" already exists`,
          },
          { uid },
        );
      const shares = await this.resolveShares(actor, tx, input.shares, tree);
      const id = await tx.boards.insert({
        uid,
        name: input.name,
        description: input.description,
        document: this.docOf(input),
        owner: {
          kind: actor.kind,
          id: actor.id,
          name: actorLabel(actor),
          version: actor.scope.version,
          path: actor.scope.path,
        },
        at: this.clock(),
      });
      await tx.boards.replaceShares(id, shares);
      await tx.audit.record({
        ...auditActor(actor),
        action,
        entityType: 'board',
        entityId: String(id),
        unit: { version: actor.scope.version, code: actor.scope.code },
        after: { uid, name: input.name, panels: input.panels.length, shares: input.shares },
        requestId: ctx.requestId,
      });
      return this.reread(actor, tx, id);
    });
  }

  async get(actor: Actor, id: number): Promise<BoardView> {
    this.need(actor, 'board.read');
    const row = await this.store.repos.boards.visible(id, this.viewer(actor));
    if (!row) throw notFound(id);
    return this.present(actor, row, await this.store.repos.boards.shares([id]));
  }

  async list(actor: Actor, q: { limit: number; offset: number }) {
    this.need(actor, 'board.read');
    const rows = await this.store.repos.boards.list(this.viewer(actor), q.limit, q.offset);
    return {
      items: rows.map((row) => ({
        id: Number(row.id),
        uid: row.uid,
        name: row.name,
        description: row.description,
        panelCount: this.documentOf(row).panels.length,
        owner: { name: row.owner_name, mine: this.owns(actor, row) },
        canEdit: Boolean(row.can_edit),
        revision: row.revision,
        updatedAt: new Date(row.updated_at).toISOString(),
      })),
      offset: q.offset,
      limit: q.limit,
    };
  }

  /** The board for writing: 404 if the actor does not see it, 403 if they may only read it. */
  private async editable(actor: Actor, repos: Repos, id: number) {
    this.need(actor, 'board.write');
    const row = await repos.boards.visible(id, this.viewer(actor));
    if (!row) throw notFound(id);
    if (!row.can_edit)
      throw new AppError(
        'forbidden',
        {
          vi: 'Bảng này chỉ được chia sẻ để xem với bạn',
          en: 'This board is shared with you to read only',
        },
        { board: id },
      );
    return row;
  }

  private stale(id: number, revision: number, current: number) {
    return new AppError(
      'conflict',
      {
        vi: `Bảng đã được người khác sửa (phiên bản ${current}, bạn đang sửa phiên bản ${revision}); hãy tải lại rồi sửa tiếp`,
        en: `The board was changed meanwhile (revision ${current}, you edited revision ${revision}); reload it and edit again`,
      },
      { board: id, revision, current },
    );
  }

  async update(
    actor: Actor,
    id: number,
    input: BoardUpdate,
    ctx: Ctx = {},
    action = 'board.update',
    keepShares = false,
  ) {
    const view = await this.store.transaction(async (tx) => {
      const row = await this.editable(actor, tx, id);
      if (row.revision !== input.revision) throw this.stale(id, input.revision, row.revision);
      const tree = await this.hierarchy.versionFor(actor, input.version);
      const existing = await tx.boards.shares([id]);
      const shares =
        keepShares || !input.shares
          ? undefined
          : await this.resolveShares(actor, tx, input.shares, tree, existing);
      const ok = await tx.boards.update(id, input.revision, {
        name: input.name,
        description: input.description,
        document: this.docOf(input),
        at: this.clock(),
      });
      if (!ok) throw this.stale(id, input.revision, row.revision + 1);
      if (shares) await tx.boards.replaceShares(id, shares);
      await tx.audit.record({
        ...auditActor(actor),
        action,
        entityType: 'board',
        entityId: String(id),
        unit: { version: actor.scope.version, code: actor.scope.code },
        before: { name: row.name, revision: row.revision, document: row.document },
        after: {
          name: input.name,
          revision: row.revision + 1,
          panels: input.panels.length,
          ...(shares ? { shares: input.shares } : {}),
        },
        requestId: ctx.requestId,
      });
      return this.reread(actor, tx, id);
    });
    this.changed({ id, revision: view.revision, scope: actor.scope });
    return view;
  }

  async remove(actor: Actor, id: number, ctx: Ctx = {}) {
    await this.store.transaction(async (tx) => {
      const row = await this.editable(actor, tx, id);
      await tx.boards.delete(id);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'board.delete',
        entityType: 'board',
        entityId: String(id),
        unit: { version: actor.scope.version, code: actor.scope.code },
        before: { uid: row.uid, name: row.name, revision: row.revision, document: row.document },
        requestId: ctx.requestId,
      });
    });
    this.changed({ id, deleted: true, scope: actor.scope });
  }

  /**
   * One panel's data for this viewer (issue 19), with the board's variables applied: a board
   * being built, or (`saved`) a saved board's panel. Whether the viewer may see it is decided by
   * the rule the board's view uses (`problems`): a panel that cannot be shown answers its
   * problem and nothing else, never an error, so that the rest of the board opens.
   */
  async panelData(
    actor: Actor,
    req: PanelDataRequest,
    opts: { en?: boolean } = {},
    /** Its problem, when the board's were checked together (savedBoardData): not asked again. */
    known?: PanelProblem | null,
  ): Promise<PanelData> {
    this.need(actor, 'board.read');
    if (!allows(actor, 'data.read')) throw errors.forbidden('data.read');
    if (!this.reader) throw new Error('BoardService made without the panels’ sources');
    // What the answer depends on besides the request: the viewer's scope and permissions.
    const key = JSON.stringify([
      actor.scope.version,
      actor.scope.path,
      [...actor.permissions].sort(),
      opts.en === true,
      req,
    ]);
    return this.answers.get(key, () => this.readPanel(actor, req, opts.en === true, known));
  }

  private async readPanel(
    actor: Actor,
    req: PanelDataRequest,
    en: boolean,
    known: PanelProblem | null | undefined,
  ): Promise<PanelData> {
    const reader = this.reader!;
    const panel = panelWithDefaults(req.panel);
    const [found] =
      known !== undefined
        ? [known]
        : await this.problems(actor, {
            ...(req.version ? { version: req.version } : {}),
            variables: req.variables,
            panels: [panel],
          });
    const tree = req.version ?? (await this.hierarchy.versionFor(actor));
    if (found) return reader.empty(panel.kind, tree, found);
    return reader.read(actor, req, panel, tree, en);
  }

  /**
   * A saved board's panel (404 when the board is not the viewer's to read, or has no such
   * panel), its variables as saved unless `unit` or `period` are given.
   */
  async savedPanelData(
    actor: Actor,
    id: number,
    panelId: string,
    q: { unit?: string; period?: string },
    opts: { en?: boolean } = {},
  ): Promise<PanelData> {
    this.need(actor, 'board.read');
    const row = await this.store.repos.boards.visible(id, this.viewer(actor));
    if (!row) throw notFound(id);
    const doc = this.documentOf(row);
    const panel = doc.panels.find((p) => p.id === panelId);
    if (!panel) throw errors.notFound(`panel ${panelId} of board ${id}`);
    return this.panelData(actor, this.savedRequest(doc, panel, q), opts);
  }

  /**
   * Every panel of a saved board for this viewer (issue 19), in one answer: 404 (as GET
   * /api/boards/{id}) before anything is read when the board is not the viewer's to read; then
   * `run` reads the panels in reading order (the layout's rows, then columns: the first
   * screenful first), `boardParallel` at a time, and hands each answer to `send` as soon as it
   * is ready — the same answer as savedPanelData's (the same request, scope rule and shared
   * answers), the board's problems checked once for all its panels. A panel that fails is sent
   * its error and the others still come; once `signal` aborts (the client left) no panel is
   * started.
   */
  async savedBoardData(
    actor: Actor,
    id: number,
    q: { unit?: string; period?: string },
    opts: { en?: boolean } = {},
  ): Promise<{
    run: (send: (frame: PanelAnswer) => void, signal?: AbortSignal) => Promise<void>;
  }> {
    this.need(actor, 'board.read');
    if (!allows(actor, 'data.read')) throw errors.forbidden('data.read');
    const row = await this.store.repos.boards.visible(id, this.viewer(actor));
    if (!row) throw notFound(id);
    const doc = this.documentOf(row);
    const ordered = readingOrder(doc.panels);
    const run = async (send: (frame: PanelAnswer) => void, signal?: AbortSignal) => {
      if (ordered.length === 0 || signal?.aborted) return;
      const requests = ordered.map((panel) => this.savedRequest(doc, panel, q));
      // Every request has the board's variables and tree: their problems are checked at once.
      const first = requests[0]!;
      let found: (PanelProblem | null)[];
      try {
        found = await this.problems(actor, {
          ...(first.version ? { version: first.version } : {}),
          variables: first.variables,
          panels: requests.map((r) => panelWithDefaults(r.panel)),
        });
      } catch (error) {
        for (const p of ordered) send({ panel: p.id, error });
        return;
      }
      let next = 0;
      const worker = async () => {
        while (next < requests.length && !signal?.aborted) {
          const i = next++;
          const panel = ordered[i]!.id;
          // Each panel takes its place in the embedded engine's line when it starts: a request
          // that came meanwhile (the page's sign-in check, the board itself) goes before the
          // next panel rather than after the whole board (measured: 250 ms at the page's start).
          const place = childContext({ ticket: nextTicket() });
          try {
            const data = await runIn(place, () =>
              this.panelData(actor, requests[i]!, opts, found[i] ?? null),
            );
            send({ panel, data });
          } catch (error) {
            send({ panel, error });
          }
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(this.boardParallel, requests.length) }, worker),
      );
    };
    return { run };
  }

  /**
   * What a saved board's panel asks: the same request whether read (savedPanelData) or pushed
   * to its open streams (board-live.service.ts), so both share the one scope rule and answers.
   */
  savedRequest(
    doc: Pick<LiveBoard, 'version' | 'variables'>,
    panel: BoardPanel,
    q: { unit?: string; period?: string },
  ): PanelDataRequest {
    return {
      panel,
      variables: {
        ...doc.variables,
        ...(q.unit ? { unit: q.unit } : {}),
        ...(q.period ? { period: q.period } : {}),
      },
      ...(doc.version ? { version: doc.version } : {}),
    };
  }

  /**
   * A saved board for its live stream (issue 19): as GET /api/boards/{id} reads it (404
   * otherwise), for a viewer who may read its figures (data.read).
   */
  async liveBoard(actor: Actor, id: number): Promise<LiveBoard> {
    this.need(actor, 'board.read');
    if (!allows(actor, 'data.read')) throw errors.forbidden('data.read');
    const row = await this.store.repos.boards.visible(id, this.viewer(actor));
    if (!row) throw notFound(id);
    const doc = this.documentOf(row);
    return {
      id: Number(row.id),
      revision: row.revision,
      ...(doc.version ? { version: doc.version } : {}),
      variables: doc.variables,
      // As stored: the request is then savedPanelData's to the byte, and so is its shared answer.
      panels: doc.panels,
    };
  }

  /** The board as a self-contained file: codes, not ids; its sharing stays behind. */
  async exportFile(actor: Actor, id: number): Promise<BoardFile> {
    this.need(actor, 'board.read');
    const row = await this.store.repos.boards.visible(id, this.viewer(actor));
    if (!row) throw notFound(id);
    const doc = this.documentOf(row);
    return {
      format: 'opsroom.board',
      formatVersion: 1,
      uid: row.uid,
      name: row.name,
      description: row.description,
      ...(doc.version ? { version: doc.version } : {}),
      variables: doc.variables,
      panels: doc.panels,
    };
  }

  /**
   * A board file: a new board, or the board of the same uid updated (its sharing kept) when
   * the actor may edit it; a uid held by a board they may not change is refused (409).
   */
  async importFile(actor: Actor, file: BoardFile, ctx: Ctx = {}) {
    this.need(actor, 'board.write');
    const known = await this.store.repos.boards.byUid(file.uid);
    const input = {
      uid: file.uid,
      name: file.name,
      description: file.description,
      version: file.version,
      variables: file.variables,
      panels: file.panels,
      shares: [] as BoardShare[],
    };
    if (!known)
      return { created: true, board: await this.create(actor, input, ctx, 'board.import') };
    const id = Number(known.id);
    const row = await this.store.repos.boards.visible(id, this.viewer(actor));
    if (!row?.can_edit)
      throw new AppError(
        'conflict',
        {
          vi: `Mã uid "${file.uid}" đã thuộc một bảng bạn không được sửa; hãy đổi uid trong tệp`,
          en: `The uid "${file.uid}" belongs to a board you may not change; change the uid in the file`,
        },
        { uid: file.uid },
      );
    const board = await this.update(
      actor,
      id,
      { ...input, revision: row.revision },
      ctx,
      'board.import',
      true,
    );
    return { created: false, board };
  }

  /** Sets a unit's default board (board.default, the unit in scope, a board the actor sees). */
  async setDefault(
    actor: Actor,
    unitCode: string,
    q: { boardId: number; version?: string },
    ctx: Ctx = {},
  ) {
    this.need(actor, 'board.default');
    const version = await this.hierarchy.versionFor(actor, q.version);
    const unit = (await this.store.repos.boards.units(version, [unitCode])).get(unitCode);
    if (!unit) throw errors.unknownUnit(unitCode, version);
    if (!inScope(actor.scope, { version, path: unit.path }))
      throw errors.outOfScope(unitCode, version);
    await this.store.transaction(async (tx) => {
      const row = await tx.boards.visible(q.boardId, this.viewer(actor));
      if (!row) throw notFound(q.boardId);
      await tx.boards.setDefault({
        version,
        code: unitCode,
        path: unit.path,
        boardId: q.boardId,
        by: actorLabel(actor),
        at: this.clock(),
      });
      await tx.audit.record({
        ...auditActor(actor),
        action: 'board.default',
        entityType: 'board',
        entityId: String(q.boardId),
        unit: { version, code: unitCode },
        after: { unit: unitCode, board: q.boardId },
        requestId: ctx.requestId,
      });
    });
    return this.defaultOf(actor, { unit: unitCode, version });
  }

  /**
   * The board a unit opens (default the actor's): its own default, else the nearest
   * ancestor's, else the board shipped with Opsroom.
   */
  async getDefault(actor: Actor, q: { unit?: string; version?: string } = {}) {
    this.need(actor, 'board.read');
    return this.defaultOf(actor, q);
  }

  private async defaultOf(actor: Actor, q: { unit?: string; version?: string }) {
    const version = await this.hierarchy.versionFor(actor, q.version);
    let path = actor.scope.path;
    let code = actor.scope.code;
    if (q.unit) {
      const unit = (await this.store.repos.boards.units(version, [q.unit])).get(q.unit);
      if (!unit) throw errors.unknownUnit(q.unit, version);
      if (!inScope(actor.scope, { version, path: unit.path }))
        throw errors.outOfScope(q.unit, version);
      path = unit.path;
      code = q.unit;
    }
    const d = await this.store.repos.boards.nearestDefault(version, path);
    if (d) {
      const row = await this.store.repos.boards.visible(Number(d.board_id), this.viewer(actor));
      if (row)
        return {
          source: d.unit_code === code ? ('unit' as const) : ('ancestor' as const),
          unit: d.unit_code,
          board: await this.present(actor, row, await this.store.repos.boards.shares([row.id])),
        };
    }
    const at = new Date(0).toISOString();
    const doc: BoardDocument = { variables: SHIPPED_BOARD.variables, panels: SHIPPED_BOARD.panels };
    const found = await this.problems(actor, doc);
    return {
      source: 'shipped' as const,
      unit: null,
      board: {
        id: 0,
        uid: SHIPPED_BOARD.uid,
        name: SHIPPED_BOARD.name,
        description: SHIPPED_BOARD.description,
        variables: doc.variables,
        panels: doc.panels.map((panel, i) => ({ panel, problem: found[i] ?? null })),
        shares: [],
        owner: { name: 'Opsroom', mine: false },
        canEdit: false,
        revision: 0,
        createdAt: at,
        updatedAt: at,
      },
    };
  }

  /**
   * The shipped boards stored as real ones, owned by the system (the demo's first start): the
   * overview as the nation's default, the monthly board shared with every unit to read.
   * Installing twice does nothing.
   */
  async installShipped(nation: { version: string; path: string; code: string }) {
    const overview = await this.installFile(nation, SHIPPED_BOARD, 'default');
    await this.installFile(nation, DEMO_MONTHLY_BOARD, 'shared');
    return overview;
  }

  private async installFile(
    nation: { version: string; path: string; code: string },
    file: BoardFile,
    as: 'default' | 'shared',
  ): Promise<number> {
    const existing = await this.store.repos.boards.byUid(file.uid);
    if (existing) return Number(existing.id);
    return this.store.transaction(async (tx) => {
      const id = await tx.boards.insert({
        uid: file.uid,
        name: file.name,
        description: file.description,
        document: { variables: file.variables, panels: file.panels },
        owner: { kind: 'system', id: null, name: 'Opsroom', ...nation },
        at: this.clock(),
      });
      if (as === 'default')
        await tx.boards.setDefault({
          version: nation.version,
          code: nation.code,
          path: nation.path,
          boardId: id,
          by: 'system',
          at: this.clock(),
        });
      else
        await tx.boards.replaceShares(id, [
          {
            kind: 'unit',
            unitVersion: nation.version,
            unitCode: nation.code,
            unitPath: nation.path,
            access: 'read',
          },
        ]);
      await tx.audit.record({
        ...auditActor('system'),
        action: 'board.create',
        entityType: 'board',
        entityId: String(id),
        after: { uid: file.uid, [as]: nation.code },
      });
      return id;
    });
  }
}
