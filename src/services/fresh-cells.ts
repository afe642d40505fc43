import { elementOptionKey } from '../domain/data-value.ts';
import { periodContaining, type Period, type PeriodType } from '../domain/period.ts';
import {
  evaluateCompiled,
  ScratchColumns,
  violatedColumns,
  type CellColumns,
  type CompiledRule,
  type ElementItem,
} from '../domain/validation.ts';
import { ruled } from './analytics.service.ts';

/** The most cells held (× the slots' 12 bytes each): beyond, the rules read the database. */
const MAX_CELLS = 16_000_000;
/** A slot key's "every option" part. */
export const TOTAL = -1;

/**
 * What an import wrote in periods new to the database (a bulk load's block of periods), summed
 * per unit, period and rule item as the rows stream by (issue 17). Nothing else can be stored in
 * such a period, so these sums are the whole of each cell there: the validation rules are then
 * evaluated from memory, without reading back millions of values (`ValidationService`,
 * `importChecks`). Only the items some rule reads are kept: an element's total over options
 * and its options that a rule names.
 */
export class FreshCells {
  readonly columns: CellColumns = { sums: [], counts: [] };
  /** Slot by `${elementId}:${optionId | TOTAL}`. */
  readonly slots = new Map<string, number>();
  /** Stored period ids met, in order; a cell's period is an index into it. */
  readonly periods: number[] = [];
  private readonly periodIndex = new Map<number, number>();
  /** Per period index: cell + 1 by unit id (0: none yet). */
  private readonly cellOf: Int32Array[] = [];
  cellUnit = new Int32Array(1 << 16);
  cellPeriod = new Int32Array(1 << 16);
  cells = 0;
  /** Periods where something else happened (a value compared, removed): read from the database. */
  readonly unsafe = new Set<number>();
  /** Too many cells: nothing here is used. */
  overflow = false;
  /** Per handle: its period index, its total's slot and its option's slot (-1: none). */
  private hPeriod: number[] = [];
  private hTotal: number[] = [];
  private hOption: number[] = [];
  /** Handles by period id, then element and option (element id × 2²⁰ + option id): number keys,
   * no string built per row (5 M rows: 0.7–1.2 s with a string key, measured). */
  private readonly handleOf = new Map<number, Map<number, number>>();

  constructor(private readonly tracked: ReadonlyMap<number, ReadonlySet<number>>) {
    // Every item a rule reads has its slot, written to or not (none written: missing).
    for (const [element, options] of tracked)
      for (const option of options) this.slot(`${element}:${option}`);
  }

  /** A handle for rows of (element, option, period), or -1 when no rule reads them. */
  group(elementId: number, optionId: number, periodId: number): number {
    const wanted = this.tracked.get(elementId);
    if (!wanted) return -1;
    let byItem = this.handleOf.get(periodId);
    if (!byItem) {
      byItem = new Map();
      this.handleOf.set(periodId, byItem);
    }
    const key = elementOptionKey(elementId, optionId);
    const known = byItem.get(key);
    if (known !== undefined) return known;
    let period = this.periodIndex.get(periodId);
    if (period === undefined) {
      period = this.periods.length;
      this.periods.push(periodId);
      this.periodIndex.set(periodId, period);
      this.cellOf.push(new Int32Array(0));
    }
    const handle = this.hPeriod.length;
    this.hPeriod.push(period);
    this.hTotal.push(wanted.has(TOTAL) ? this.slot(`${elementId}:${TOTAL}`) : -1);
    this.hOption.push(wanted.has(optionId) ? this.slot(`${elementId}:${optionId}`) : -1);
    byItem.set(key, handle);
    return handle;
  }

  /** One value written at a unit. */
  add(handle: number, unitId: number, value: number): void {
    if (handle < 0 || this.overflow) return;
    const period = this.hPeriod[handle]!;
    let index = this.cellOf[period]!;
    if (unitId >= index.length) {
      const grown = new Int32Array(Math.max(unitId + 1, index.length * 2, 1 << 14));
      grown.set(index);
      index = grown;
      this.cellOf[period] = grown;
    }
    let cell = index[unitId]! - 1;
    if (cell < 0) {
      cell = this.newCell(unitId, period);
      if (cell < 0) return;
      index[unitId] = cell + 1;
    }
    const total = this.hTotal[handle]!;
    const option = this.hOption[handle]!;
    if (total >= 0) {
      this.columns.sums[total]![cell]! += value;
      this.columns.counts[total]![cell]!++;
    }
    if (option >= 0) {
      this.columns.sums[option]![cell]! += value;
      this.columns.counts[option]![cell]!++;
    }
  }

  /** Room for `n` cells (at most MAX_CELLS), so that a bulk load's cells are not copied as
   *  they grow (a few hundred milliseconds for millions). */
  reserve(n: number): void {
    const size = Math.min(Math.max(n, 0), MAX_CELLS);
    if (size <= this.cellUnit.length) return;
    this.grow(size);
  }

  /** The cell of a unit and period index, or -1. */
  cellAt(unitId: number, period: number): number {
    const index = this.cellOf[period];
    return index && unitId < index.length ? index[unitId]! - 1 : -1;
  }

  private slot(key: string): number {
    let s = this.slots.get(key);
    if (s === undefined) {
      s = this.columns.sums.length;
      this.slots.set(key, s);
      this.columns.sums.push(new Float64Array(this.cellUnit.length));
      this.columns.counts.push(new Uint32Array(this.cellUnit.length));
    }
    return s;
  }

  private grow(size: number): void {
    const grow = <T extends Int32Array | Float64Array | Uint32Array>(
      a: T,
      make: (n: number) => T,
    ) => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.cellUnit = grow(this.cellUnit, (n) => new Int32Array(n));
    this.cellPeriod = grow(this.cellPeriod, (n) => new Int32Array(n));
    const { sums, counts } = this.columns;
    for (let s = 0; s < sums.length; s++) {
      sums[s] = grow(sums[s]!, (n) => new Float64Array(n));
      counts[s] = grow(counts[s]!, (n) => new Uint32Array(n));
    }
  }

  private newCell(unitId: number, period: number): number {
    if (this.cells >= MAX_CELLS) {
      this.overflow = true;
      return -1;
    }
    if (this.cells === this.cellUnit.length) this.grow(this.cellUnit.length * 2);
    const cell = this.cells++;
    this.cellUnit[cell] = unitId;
    this.cellPeriod[cell] = period;
    return cell;
  }
}

interface CheckUnit {
  id: number;
  level: number;
  version: string;
  /** '/VN/79/760/26734/': the codes from the nation down. */
  path: string;
}

interface CheckElement {
  id: number;
  code: string;
  uid: string | null;
  agg_time: string;
  agg_units: string;
}

/** Cells at the units of one level and the periods of one type, summed from `FreshCells`. */
interface LevelCells {
  columns: CellColumns;
  n: number;
  unitOf: Int32Array;
  /** Index into `periods`. */
  periodOf: Int32Array;
  periods: Period[];
  cellAt(unitId: number, period: number): number;
  /** Item columns, shared by the rules checked on these cells (violatedColumns). */
  items: Map<number, Float64Array | number>;
  /** Working columns lent to each rule in turn (violatedColumns). */
  scratch: ScratchColumns;
}

/** Aggregations whose total over one stored period is a function of a sum and a count. */
const TIMES = new Set(['sum', 'last', 'average', 'count']);
const ACROSS = new Set(['sum', 'average']);

export interface FreshViolation<U> {
  unit: U;
  period: string;
  left: number | null;
  right: number | null;
}

/**
 * The validation rules evaluated from an import's `FreshCells`, at the rule's units (the units
 * written and those above, at the rule's levels) and periods: the new periods of the rule's own
 * type, and the longer periods (week, month, year…) made only of new periods (no other stored
 * period overlaps them), for elements summed over time. A unit above gets the sums of the cells
 * below it and a longer period those of its days: nothing else is stored there. `rule` answers
 * undefined when the rule cannot be taken this way (an item this path does not hold, a function
 * in an expression): the caller reads the database for it, as for every other period.
 */
export class FreshCheck<U extends CheckUnit> {
  /** Each unit's level by id (-1: not among the units): loops meet millions of cells. */
  private readonly levels: Int8Array;
  private shape: { deepest: number; type: PeriodType | undefined } | undefined;
  private readonly pathOf = new Map<number, string>();
  private readonly idOfPath = new Map<string, number>();
  private readonly cached = new Map<string, LevelCells>();
  /** Fresh period index → its period; undefined where unusable (unsafe, a range). */
  private readonly freshPeriod: (Period | undefined)[];

  constructor(
    private readonly fresh: FreshCells,
    /** The units written and every unit above them. */
    units: U[],
    /** Parsed stored periods by id, those the import wrote at least. */
    periodOf: Map<number, Period>,
    /** Every stored period overlapping the years of the fresh periods (id, pid and span). */
    private readonly around: { id: number; pid: string; start: string; end: string }[],
    private readonly elementOf: Map<string, CheckElement>,
    private readonly optionOf: (key: string) => { id: number } | undefined,
  ) {
    this.levels = new Int8Array(units.reduce((m, u) => Math.max(m, u.id), 0) + 1).fill(-1);
    for (const u of units) {
      this.levels[u.id] = u.level;
      this.pathOf.set(u.id, u.path);
      this.idOfPath.set(u.path, u.id);
    }
    this.freshPeriod = fresh.periods.map((id) => {
      const p = periodOf.get(id);
      return p && p.type !== 'range' && !fresh.unsafe.has(id) ? p : undefined;
    });
  }

  /**
   * Where the cells of (level, type) are summed from: the level below at the loads' own period
   * type, or this level at that type, when every written cell lies at the deepest level and
   * every new period is of one type; else the written cells themselves.
   */
  private sourceFor(
    level: number,
    type: PeriodType,
  ): {
    n: number;
    unitOf: Int32Array;
    periodOf: Int32Array;
    columns: CellColumns;
    periods: (Period | undefined)[];
  } {
    const fresh = this.fresh;
    const written = {
      n: fresh.cells,
      unitOf: fresh.cellUnit,
      periodOf: fresh.cellPeriod,
      columns: fresh.columns,
      periods: this.freshPeriod,
    };
    this.shape ??= (() => {
      const types = new Set(this.freshPeriod.flatMap((p) => (p ? [p.type] : [])));
      let deepest = -1;
      let one = true;
      for (let c = 0; c < fresh.cells; c++) {
        const l = this.levelOf(fresh.cellUnit[c]!) ?? -1;
        if (deepest < 0) deepest = l;
        else if (l !== deepest) {
          one = false;
          break;
        }
      }
      const type = types.size === 1 ? ([...types][0] as PeriodType) : undefined;
      return { deepest: one ? deepest : -1, type };
    })();
    const { deepest, type: own } = this.shape;
    if (deepest < 0 || own === undefined || level >= deepest) return written;
    return type === own ? this.cellsAt(level + 1, own) : this.cellsAt(level, own);
  }

  private levelOf(unitId: number): number | undefined {
    const l = unitId < this.levels.length ? this.levels[unitId]! : -1;
    return l >= 0 ? l : undefined;
  }

  /** A stored period's id by its pid, -1 when not stored. */
  private idOfPeriod(t: Period): number {
    return this.around.find((s) => s.pid === t.id)?.id ?? -1;
  }

  rule(
    r: { period_type: string },
    compiled: CompiledRule,
    at: U[],
  ): { periods: Set<string>; violations: FreshViolation<U>[] } | undefined {
    const fresh = this.fresh;
    if (fresh.overflow) return undefined;
    const type = r.period_type as PeriodType;
    const own = this.freshPeriod.some((p) => p?.type === type);
    // Each item's slot, and how its element totals a sum and a count.
    const aggOf: { time: string; units: string }[] = [];
    let ok = true;
    const slotOf = (ref: ElementItem): number => {
      const el = this.elementOf.get(ref.element);
      const option = ref.option === undefined ? undefined : this.optionOf(ref.option);
      const slot =
        el && (ref.option === undefined || option)
          ? fresh.slots.get(`${el.id}:${option ? option.id : TOTAL}`)
          : undefined;
      // Over several stored periods only sums are summed here (a stock's last value, an
      // average over days: the database reads them).
      const fits =
        el &&
        (own
          ? TIMES.has(el.agg_time) && ACROSS.has(el.agg_units)
          : el.agg_time === 'sum' && el.agg_units === 'sum');
      if (!el || slot === undefined || !fits) {
        ok = false;
        return 0;
      }
      aggOf[slot] = { time: el.agg_time, units: el.agg_units };
      return slot;
    };
    for (const ref of [...compiled.left.items, ...compiled.right.items]) slotOf(ref);
    if (!ok) return undefined;
    const empty = evaluateCompiled(compiled, () => null);
    const violations: FreshViolation<U>[] = [];
    const levels = new Map<number, U[]>();
    for (const u of at) {
      const list = levels.get(u.level);
      if (list) list.push(u);
      else levels.set(u.level, [u]);
    }
    let periods: Period[] = [];
    for (const [level, units] of levels) {
      const cells = this.cellsAt(level, type);
      periods = cells.periods;
      if (periods.length === 0) return undefined;
      const { columns, n } = cells;
      const values = new Map<number, Float64Array>();
      const valueOf = (slot: number) => {
        const sums = columns.sums[slot]!;
        const agg = aggOf[slot]!;
        // A sum of sums is the sum (most flows): the column as it is.
        if (agg.time === 'sum' && agg.units === 'sum') return sums;
        let out = values.get(slot);
        if (!out) {
          const counts = columns.counts[slot]!;
          out = new Float64Array(n);
          for (let c = 0; c < n; c++)
            out[c] = ruled(agg, { total: sums[c]!, last: sums[c]!, periods: 1, n: counts[c]! });
          values.set(slot, out);
        }
        return out;
      };
      const mask = violatedColumns(
        compiled,
        slotOf,
        valueOf,
        columns,
        n,
        cells.items,
        cells.scratch,
      );
      if (!mask) {
        cells.scratch.release();
        return undefined;
      }
      const unitById = new Map(units.map((u) => [u.id, u]));
      // The broken cells, found by the engine's own scan (most cells keep most rules); their
      // sides by `evaluateCompiled` itself.
      for (let c = mask.indexOf(1); c >= 0; c = mask.indexOf(1, c + 1)) {
        const unit = unitById.get(cells.unitOf[c]!);
        if (!unit) continue;
        const out = evaluateCompiled(compiled, (ref) => {
          if (ref.kind !== 'element') return null;
          const slot = slotOf(ref);
          return columns.counts[slot]![c]! > 0 ? valueOf(slot)[c]! : null;
        });
        violations.push({
          unit,
          period: periods[cells.periodOf[c]!]!.id,
          left: out.left,
          right: out.right,
        });
      }
      cells.scratch.release();
      // Units and periods without any value: the rule with every item missing.
      if (empty.status === 'violated')
        for (const u of units)
          for (let p = 0; p < periods.length; p++)
            if (cells.cellAt(u.id, p) < 0)
              violations.push({
                unit: u,
                period: periods[p]!.id,
                left: empty.left,
                right: empty.right,
              });
    }
    return { periods: new Set(periods.map((p) => p.id)), violations };
  }

  /**
   * The cells at the units of a level and the periods of a type: the written cells themselves
   * when they are exactly that, else their sums at the unit above and the period containing.
   */
  private cellsAt(level: number, type: PeriodType): LevelCells {
    const key = `${level}|${type}`;
    const known = this.cached.get(key);
    if (known) return known;
    const fresh = this.fresh;
    // Summed from the cells one level down (or from the days at this level), not from every
    // written cell again: a load of 5 M values has 2.5 M cells, a district-day level 165,000.
    const src = this.sourceFor(level, type);
    const n = src.n;
    // Each source period's target period of `type`, if that period holds nothing but fresh ones.
    const usable = new Set(this.freshPeriod.flatMap((p, i) => (p ? [fresh.periods[i]!] : [])));
    const targets: Period[] = [];
    const targetIndex = new Map<string, number>();
    const periodTarget = src.periods.map((p) => {
      if (!p) return -1;
      const t = p.type === type ? p : containing(p, type);
      if (!t) return -1;
      let i = targetIndex.get(t.id);
      if (i === undefined) {
        // As analytics totals a period: the stored periods within it. All must be new, and none
        // of the rule's own type but the period itself (a stored total would be read as it is).
        const tid = p.type === type ? -1 : this.idOfPeriod(t);
        const whole = this.around.every(
          (s) => s.start < t.start || s.end > t.end || (usable.has(s.id) && s.id !== tid),
        );
        i = whole ? targets.length : -1;
        if (whole) targets.push(t);
        targetIndex.set(t.id, i);
      }
      return i;
    });
    const levelOf = (u: number) => this.levelOf(u);
    let same = src.columns === fresh.columns;
    let lastUnit = -1;
    for (let c = 0; c < n && same; c++) {
      const u = fresh.cellUnit[c]!;
      if (u !== lastUnit) same = levelOf(u) === level;
      lastUnit = u;
    }
    same &&= this.freshPeriod.every((p, i) => !p || (p.type === type && periodTarget[i] === i));
    same &&= targets.length === this.freshPeriod.length;
    let out: LevelCells;
    if (same)
      out = {
        columns: fresh.columns,
        n,
        unitOf: fresh.cellUnit,
        periodOf: fresh.cellPeriod,
        periods: targets,
        cellAt: (u, p) => fresh.cellAt(u, p),
        items: new Map(),
        scratch: new ScratchColumns(n),
      };
    else {
      // Every (unit at `level`, target period) pair is a cell (a unit's cells without values
      // count nothing: the rule then sees every item missing, as it would).
      const targetUnits: number[] = [];
      const indexOfTarget = new Map<number, number>(); // a unit at `level` → its index
      const target = (u: number): number => {
        let id = -1;
        const own = levelOf(u);
        if (own === level) id = u;
        else if (own !== undefined && own > level) {
          // The unit above at `level`: its path is the first level + 1 codes of this one's.
          const codes = this.pathOf
            .get(u)!
            .split('/')
            .slice(1, level + 2);
          id = this.idOfPath.get(`/${codes.join('/')}/`) ?? -1;
        }
        if (id < 0) return -1;
        let t = indexOfTarget.get(id);
        if (t === undefined) {
          t = targetUnits.length;
          targetUnits.push(id);
          indexOfTarget.set(id, t);
        }
        return t;
      };
      const P = targets.length;
      const first = new Int32Array(n); // each fresh cell's target cell, -1 none
      const byUnit = new Int32Array(this.levels.length).fill(-2); // target() by unit id
      for (let c = 0; c < n; c++) {
        const u = src.unitOf[c]!;
        let t = byUnit[u]!;
        if (t === -2) t = byUnit[u] = target(u);
        const p = periodTarget[src.periodOf[c]!]!;
        first[c] = t < 0 || p < 0 ? -1 : t * P + p;
      }
      const size = targetUnits.length * P;
      const slots = src.columns.sums.length;
      const sums = Array.from({ length: slots }, () => new Float64Array(size));
      const counts = Array.from({ length: slots }, () => new Uint32Array(size));
      for (let s = 0; s < slots; s++) {
        const from = src.columns.sums[s]!;
        const fromN = src.columns.counts[s]!;
        const to = sums[s]!;
        const toN = counts[s]!;
        for (let c = 0; c < n; c++) {
          const k = first[c]!;
          if (k < 0) continue;
          to[k]! += from[c]!;
          toN[k]! += fromN[c]!;
        }
      }
      const unitOf = new Int32Array(size);
      const periodOf = new Int32Array(size);
      for (let k = 0; k < size; k++) {
        unitOf[k] = targetUnits[Math.floor(k / P)]!;
        periodOf[k] = k % P;
      }
      out = {
        columns: { sums, counts },
        n: size,
        unitOf,
        periodOf,
        periods: targets,
        cellAt: (u, p) => {
          const t = indexOfTarget.get(u);
          return t === undefined ? -1 : t * P + p;
        },
        items: new Map(),
        scratch: new ScratchColumns(size),
      };
    }
    this.cached.set(key, out);
    return out;
  }
}

/** The period of a longer type holding a period, if that type is longer. */
function containing(p: Period, type: PeriodType): Period | undefined {
  try {
    const t = periodContaining(p.start, type);
    return t.start <= p.start && t.end >= p.end && t.id !== p.id ? t : undefined;
  } catch {
    return undefined;
  }
}
