import type { AnalyticsCell } from '../contract/analytics.ts';
import type { BoardPanel, PanelData, PanelDataRequest, PanelProblem } from '../contract/board.ts';
import type { Store } from '../db/store.ts';
import { inScope, type Actor } from '../domain/access.ts';
import { daysAsRange, PERIOD_VARIABLE, splitFigure, UNIT_VARIABLE } from '../domain/board.ts';
import { layoutPivot, type PivotDimension, type PivotItem } from '../domain/board-pivot.ts';
import type { Clock } from '../domain/dates.ts';
import { directionOf } from '../domain/direction.ts';
import { AppError } from '../domain/errors.ts';
import { parsePeriodList, toDhis2PeriodItem, type Period } from '../domain/period.ts';
import type { AlertService } from './alert.service.ts';
import { periodLabel, type AnalyticsQuery, type AnalyticsService } from './analytics.service.ts';
import type { DirectiveService } from './directive.service.ts';
import type { HierarchyService } from './hierarchy.service.ts';

/** What a board's panels read besides the boards themselves. */
export interface PanelSources {
  analytics: AnalyticsService;
  alerts: AlertService;
  directives: DirectiveService;
}

/** The period a board shows when its variable names none. */
export const DEFAULT_BOARD_PERIOD = 'THIS_MONTH';

/** Kinds that read figures (and need units and periods). */
const FIGURE_KINDS = new Set<BoardPanel['kind']>([
  'tile',
  'map',
  'trend',
  'ranking',
  'pivot',
  'breakdown',
]);

interface Unit {
  code: string;
  path: string;
  level: number;
}

type Cell = AnalyticsCell;

const parentOf = (path: string) => {
  const parts = path.split('/').filter(Boolean);
  return parts.length > 1 ? parts[parts.length - 2]! : null;
};

export const problemOf = (code: PanelProblem['code'], vi: string, en: string): PanelProblem => ({
  code,
  vi,
  en,
});

const OUT_OF_SCOPE = problemOf(
  'out_of_scope',
  'Ô này có đơn vị nằm ngoài phạm vi được giao cho tài khoản của bạn',
  'This panel names a unit outside the scope of your account',
);

/** The same answer for a directive that does not exist and one the viewer may not see. */
export const UNKNOWN_DIRECTIVE = (id: number) =>
  problemOf(
    'unknown_directive',
    `Không có chỉ đạo số ${id} trong phạm vi của bạn`,
    `No directive ${id} within your scope`,
  );

const isDxError = (e: AppError) =>
  typeof e.details === 'object' &&
  e.details !== null &&
  ('dx' in e.details || 'option' in e.details || 'item' in e.details);

/** A panel with what it leaves out filled in: the board's unit and period. */
export function panelWithDefaults(panel: BoardPanel): BoardPanel {
  if (panel.kind === 'text') return panel;
  return {
    ...panel,
    units: panel.units.length ? panel.units : [UNIT_VARIABLE],
    periods: panel.periods.length ? panel.periods : [PERIOD_VARIABLE],
  };
}

/**
 * One board panel's data for one viewer (issue 19): the board's variables resolved, the
 * panel's units (within the viewer's scope only) and periods resolved, and the figures read
 * through analytics, the alerts through the alert service, a directive's progress through the
 * directive service, so that each answers as it does on its own pages. Whether the viewer may
 * see the panel at all is decided before (BoardService's `problems`).
 */
export class PanelDataReader {
  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly clock: Clock,
    private readonly sources: PanelSources,
  ) {}

  /** The answer for a panel that cannot be shown: its kind, its problem, nothing else. */
  empty(kind: BoardPanel['kind'], version: string, problem: PanelProblem | null): PanelData {
    return {
      kind,
      problem,
      version,
      unit: null,
      period: null,
      query: null,
      figures: [],
      periods: [],
      units: [],
      cells: [],
      pivot: null,
      alerts: null,
      directive: null,
      asOf: this.clock().toISOString(),
    };
  }

  async read(
    actor: Actor,
    req: PanelDataRequest,
    panel: BoardPanel,
    tree: string,
    en: boolean,
  ): Promise<PanelData> {
    const today = this.hierarchy.today();
    const base = this.empty(panel.kind, tree, null);
    if (panel.kind === 'text') return base;

    // The board's variables.
    const { byKey } = await this.hierarchy.unitMap(tree);
    const variableCode =
      !req.variables.unit || req.variables.unit === 'my_unit'
        ? actor.scope.code
        : req.variables.unit;
    const boardUnit = byKey.get(variableCode);
    if (!boardUnit || !inScope(actor.scope, { version: tree, path: boardUnit.path }))
      return this.empty(panel.kind, tree, OUT_OF_SCOPE);
    const variablePeriod =
      !req.variables.period || req.variables.period === PERIOD_VARIABLE
        ? DEFAULT_BOARD_PERIOD
        : req.variables.period;
    const boardPeriods = parsePeriodList(variablePeriod, today);
    base.period = this.periodOf(variablePeriod, boardPeriods, en);

    // The panel's units, each within the viewer's scope.
    const panelTree = panel.kind === 'map' ? (panel.options.version ?? tree) : tree;
    const units = await this.unitsOf(actor, panel, panelTree, variableCode);
    if (units === null)
      return this.empty(
        panel.kind,
        tree,
        problemOf(
          'unknown_unit',
          `Không có đơn vị mã "${variableCode}" trong cây ${panelTree}`,
          `No unit with code "${variableCode}" in the ${panelTree} tree`,
        ),
      );

    const periods = parsePeriodList(
      panel.periods.map((p) => (p === PERIOD_VARIABLE ? variablePeriod : p)).join(';'),
      today,
    );
    const names = await this.store.repos.boards.units(tree, [boardUnit.code]);
    base.unit = {
      code: boardUnit.code,
      name: names.get(boardUnit.code)?.name ?? boardUnit.full_name,
      level: boardUnit.level,
    };
    if (panel.kind === 'alerts') {
      const where = units[0] ?? boardUnit;
      base.units = await this.present(panelTree, [where]);
      base.alerts = await this.sources.alerts.list(actor, {
        state: 'open',
        unit: where.code,
        version: panelTree,
        limit: panel.options.limit,
      });
      return base;
    }
    if (panel.kind === 'directive')
      return this.directive(actor, panel.options.directive, units[0] ?? boardUnit, base);
    if (!FIGURE_KINDS.has(panel.kind)) return base;
    try {
      return await this.figures(actor, panel, panelTree, units, periods, base, en);
    } catch (e) {
      // A figure analytics cannot read (an option not of its element's breakdown): the panel
      // says so, the board still opens.
      if (e instanceof AppError && e.code === 'validation_failed' && isDxError(e))
        return this.empty(
          panel.kind,
          tree,
          problemOf('unknown_figure', e.messages.vi, e.messages.en),
        );
      throw e;
    }
  }

  private periodOf(keyword: string, periods: Period[], en: boolean) {
    if (periods.length === 1) return { id: periods[0]!.id, label: periodLabel(periods[0]!, en) };
    const first = periodLabel(periods[0]!, en);
    const last = periodLabel(periods[periods.length - 1]!, en);
    return { id: keyword, label: `${first} – ${last}` };
  }

  /**
   * The units a panel names, in order and once each, those outside the viewer's scope left
   * out (a list — children, a level, a group — is narrowed to the scope; a code outside it
   * was already a problem). Null when the board's unit is not in this tree or scope.
   */
  private async unitsOf(
    actor: Actor,
    panel: Exclude<BoardPanel, { kind: 'text' }>,
    tree: string,
    boardCode: string,
  ): Promise<Unit[] | null> {
    const { byKey, all } = await this.hierarchy.unitMap(tree);
    const board = byKey.get(boardCode);
    if (!board) return null;
    const out = new Map<string, Unit>();
    const explicit: Unit[] = [];
    const under = (parent: Unit, level: number) =>
      all.filter((u) => u.level === level && u.path.startsWith(parent.path));
    for (const u of panel.units) {
      if (typeof u === 'string') {
        if (u === 'children') {
          for (const p of explicit.length ? explicit : [board])
            for (const c of under(p, p.level + 1)) out.set(c.code, c);
          continue;
        }
        const code = u === UNIT_VARIABLE ? boardCode : u === 'my_unit' ? actor.scope.code : u;
        const found = byKey.get(code);
        if (!found) continue;
        explicit.push(found);
        out.set(found.code, found);
      } else if ('group' in u) {
        const group = await this.store.repos.groups.byCode(tree, u.group);
        if (!group) continue;
        for (const m of await this.store.repos.groups.members(group.id, 100_000, 0)) {
          const found = byKey.get(m.code);
          if (found) out.set(found.code, found);
        }
      } else {
        const parent = u.under ? byKey.get(u.under) : board;
        if (parent) for (const c of under(parent, u.level)) out.set(c.code, c);
      }
    }
    let units = [...out.values()];
    if (panel.kind === 'map' && panel.options.level !== undefined) {
      const level = panel.options.level;
      const drawn = new Map<string, Unit>();
      for (const u of units)
        for (const c of u.level < level ? under(u, level) : [u]) drawn.set(c.code, c);
      units = [...drawn.values()];
    }
    return units
      .filter((u) => inScope(actor.scope, { version: tree, path: u.path }))
      .map((u) => ({ code: u.code, path: u.path, level: u.level }));
  }

  private async present(tree: string, units: Unit[]): Promise<PanelData['units']> {
    const names = await this.store.repos.boards.units(
      tree,
      units.map((u) => u.code),
    );
    return units.map((u) => ({
      code: u.code,
      name: names.get(u.code)?.name ?? u.code,
      level: u.level,
      parent: parentOf(u.path),
    }));
  }

  private async directive(actor: Actor, id: number, unit: Unit, base: PanelData) {
    const hidden = (e: unknown) =>
      e instanceof AppError && (e.code === 'not_found' || e.code === 'forbidden');
    try {
      await this.sources.directives.get(actor, id);
    } catch (e) {
      if (hidden(e)) return { ...base, unit: null, period: null, problem: UNKNOWN_DIRECTIVE(id) };
      throw e;
    }
    // Progress under the board's unit; a unit the directive's tree lacks: its own default.
    const board = await this.sources.directives
      .board(actor, id, { unit: unit.code, laggards: 0 })
      .catch((e: unknown) => {
        if (e instanceof AppError) return this.sources.directives.board(actor, id, { laggards: 0 });
        throw e;
      });
    base.directive = {
      id: board.directive.id,
      title: board.directive.title,
      dueDate: board.directive.dueDate ?? null,
      ...board.totals,
    };
    return base;
  }

  /** The figures: what each names, and the dx asked (a breakdown's element by its options). */
  private async figureList(panel: Exclude<BoardPanel, { kind: 'text' }>, en: boolean) {
    const parts = panel.figures.map(splitFigure);
    const info = await this.store.repos.boards.figureInfo(
      [...new Set(parts.map((p) => p.code))],
      [...new Set(parts.flatMap((p) => (p.option ? [p.option] : [])))],
    );
    const elements = new Map(info.elements.map((e) => [e.code, e]));
    const indicators = new Map(info.indicators.map((i) => [i.code, i]));
    const options = new Map(info.options.map((o) => [o.code, o]));
    const name = (x: { name_vi: string; name_en: string }) => (en ? x.name_en : x.name_vi);
    const out: PanelData['figures'] = [];
    const add = (code: string, option?: string) => {
      const el = elements.get(code);
      const ind = el ? undefined : indicators.get(code);
      const base = el ?? ind;
      if (!base) return;
      const opt = option ? options.get(option) : undefined;
      out.push({
        code: option ? `${code}.${option}` : code,
        name: opt ? `${name(base)} — ${name(opt)}` : name(base),
        kind: el ? 'element' : 'indicator',
        direction: directionOf(base.direction),
        ...(option ? { option } : {}),
        // How the page writes its values, as the catalogue says (the page need not wait for it).
        unit: el ? (el.value_type === 'percentage' ? '%' : el.unit) : ind!.unit,
        ...(el ? { valueType: el.value_type } : { decimals: ind!.decimals }),
      });
    };
    for (const p of parts) {
      const el = elements.get(p.code);
      // A breakdown panel shows a whole element by the options of its breakdown.
      if (panel.kind === 'breakdown' && el && !p.option && el.breakdown !== 'default') {
        const own = info.options.filter((o) => o.breakdown === el.breakdown);
        if (own.length) {
          for (const o of own) add(p.code, o.code);
          continue;
        }
      }
      add(p.code, p.option);
    }
    // Each once, in the order named.
    const seen = new Set<string>();
    return out.filter((f) => !seen.has(f.code) && !!seen.add(f.code));
  }

  private async figures(
    actor: Actor,
    panel: Exclude<BoardPanel, { kind: 'text' | 'alerts' | 'directive' }>,
    tree: string,
    units: Unit[],
    periods: Period[],
    base: PanelData,
    en: boolean,
  ): Promise<PanelData> {
    // One value over consecutive days is the value of their range, with its comparisons.
    if (panel.kind !== 'trend' && panel.kind !== 'pivot') periods = daysAsRange(periods);
    const [figures, named] = await Promise.all([
      this.figureList(panel, en),
      this.present(tree, units),
    ]);
    const dx = figures.map((f) => f.code);
    const ou = units.map((u) => u.code);
    base.figures = figures;
    base.units = named;
    base.periods = periods.map((p) => ({ id: p.id, label: periodLabel(p, en) }));
    base.query = { dx, pe: periods.map(toDhis2PeriodItem), ou, version: tree };
    if (dx.length === 0 || ou.length === 0 || periods.length === 0) {
      if (panel.kind === 'pivot') base.pivot = this.pivot(panel.options, base, []);
      return base;
    }
    const pe = periods.map((p) => p.id);
    const ask = (filters: ('pe' | 'ou')[], changes = false) => {
      const q: AnalyticsQuery = { dx, pe, ou, version: tree, filters };
      return this.sources.analytics.query(actor, q, { changes });
    };
    // One value over several periods, as analytics counts a period filter.
    const overPeriods: ('pe' | 'ou')[] = periods.length > 1 ? ['pe'] : [];
    switch (panel.kind) {
      case 'tile': {
        const r = await ask(overPeriods, true);
        const compare = panel.options.compare;
        const due = periods[periods.length - 1]!.end;
        base.cells = r.cells.map((c) => {
          const { rank: _rank, yoy, pop, target, ...cell } = c;
          const out: Cell = { ...cell };
          if (yoy && (!compare || compare.includes('last_year'))) out.yoy = yoy;
          if (pop && (!compare || compare.includes('previous'))) out.pop = pop;
          if (panel.options.target !== undefined) {
            const value = panel.options.target;
            out.target = {
              value,
              due,
              share: c.value === null || value === 0 ? null : (c.value / value) * 100,
            };
          } else if (target) out.target = target;
          return out;
        });
        return base;
      }
      case 'map':
      case 'breakdown':
        base.cells = (await ask(overPeriods)).cells.map((c) => ({ ...c }));
        return base;
      case 'trend':
        base.cells = (await ask([])).cells.map((c) => ({ ...c }));
        return base;
      case 'ranking': {
        const cells = (await ask(overPeriods)).cells;
        const { order, limit } = panel.options;
        const ranked: Cell[] = [];
        for (const d of dx) {
          const of = cells
            .filter((c) => c.dx === d && c.value !== null)
            .sort((a, b) => (order === 'asc' ? a.value! - b.value! : b.value! - a.value!))
            .slice(0, limit);
          of.forEach((c, i) => ranked.push({ ...c, rank: i + 1 }));
        }
        base.cells = ranked;
        const shown = new Set(ranked.map((c) => c.ou));
        base.units = base.units.filter((u) => shown.has(u.code));
        return base;
      }
      case 'pivot': {
        const { rows, columns } = panel.options;
        const used = new Set<PivotDimension>([...rows, ...columns]);
        const filters = (['pe', 'ou'] as const).filter((d) => !used.has(d));
        const r = await ask(filters);
        base.cells = r.cells.map((c) => ({ ...c }));
        base.pivot = this.pivot(panel.options, base, r.cells);
        return base;
      }
    }
  }

  /**
   * The pivot of the cells: a filter dimension counted as one (periods and units by analytics'
   * filter; several figures in the filter added together, as DHIS2 does).
   */
  private pivot(
    options: { rows: PivotDimension[]; columns: PivotDimension[] },
    data: PanelData,
    cells: readonly Cell[],
  ) {
    const used = new Set([...options.rows, ...options.columns]);
    const index = new Map<string, number | null>();
    const key = (dx: string | undefined, pe: string | undefined, ou: string | undefined) =>
      `${used.has('dx') ? dx : ''}|${used.has('pe') ? pe : ''}|${used.has('ou') ? ou : ''}`;
    for (const c of cells) {
      const k = key(c.dx, c.pe, c.ou);
      const before = index.get(k);
      // Only several figures fall on one key (dx a filter): their sum.
      index.set(
        k,
        c.value === null ? (before ?? null) : before == null ? c.value : before + c.value,
      );
    }
    const items: Record<PivotDimension, PivotItem[]> = {
      dx: data.figures.map((f) => ({ id: f.code, label: f.name })),
      pe: data.periods,
      ou: data.units.map((u) => ({ id: u.code, label: u.name })),
    };
    return layoutPivot(
      options.rows,
      options.columns,
      items,
      (at) => index.get(key(at.dx, at.pe, at.ou)) ?? null,
    );
  }
}
