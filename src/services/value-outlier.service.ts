import type { Repos, Store } from '../db/store.ts';
import type { NewOutlier, OutlierKind, RangeRow, ValueKey } from '../db/value-outlier.repo.ts';
import { SCALE_SLIP_RATIO, scaleSlipBand } from '../domain/outlier.ts';
import { can, inScope, type Actor } from '../domain/access.ts';
import { errors } from '../domain/errors.ts';
import { elementOptionKey, valueKey } from '../domain/data-value.ts';
import { auditActor } from './audit.ts';
import {
  closeFollowUpTask,
  DEFER_FOLLOW_UPS,
  inPendingBatches,
  openFollowUpTasks,
  PENDING_BATCH,
} from './follow-up.ts';

/** A range by (element, option), indexed by unit id (NaN where the unit has none). */
export interface Range {
  min: Float64Array;
  max: Float64Array;
}

/** Ranges by element and option (`elementOptionKey`). */
export type RangeIndex = Map<number, Range>;

export function rangeIndex(rows: RangeRow[]): RangeIndex {
  const size = rows.reduce((m, r) => Math.max(m, r.unit_id), 0) + 1;
  const out: RangeIndex = new Map();
  for (const r of rows) {
    const key = elementOptionKey(r.element_id, r.option_id);
    let range = out.get(key);
    if (!range) {
      range = { min: new Float64Array(size).fill(NaN), max: new Float64Array(size).fill(NaN) };
      out.set(key, range);
    }
    range.min[r.unit_id] = r.min_value;
    range.max[r.unit_id] = r.max_value;
  }
  return out;
}

/**
 * What an import collects for the outlier checks as its rows go by (issue 17): each value
 * outside its unit's min–max range (flagged, not refused), and the keys it wrote again (their
 * earlier flags are dropped if they no longer hold).
 */
export class ArrivalOutliers {
  /** Every range, when the import loaded them all (a bulk load); else each batch asks. */
  all: RangeIndex | undefined;
  readonly flags: NewOutlier[] = [];
  /** The keys written again (their value: null for a text or a removal). */
  readonly written: (ValueKey & { value: number | null })[] = [];
  /** Non-zero numbers written in stored periods: checked for scale slips against their past. */
  readonly numbers: (ValueKey & { value: number })[] = [];
  /** How many of `flags` are scale slips (the summary counts them apart). */
  slips = 0;

  /** Checks one value against a range (the unit's entry of `range`). */
  check(
    range: Range | undefined,
    elementId: number,
    unitId: number,
    periodId: number,
    optionId: number,
    attributeId: number,
    value: number,
  ): void {
    if (!range || unitId >= range.min.length) return;
    const low = range.min[unitId]!;
    if (low !== low) return;
    const high = range.max[unitId]!;
    if (value < low || value > high)
      this.flags.push({
        element_id: elementId,
        unit_id: unitId,
        period_id: periodId,
        option_id: optionId,
        attribute_id: attributeId,
        value,
        low,
        high,
      });
  }
}

/** Stored periods before a value's own whose values tell its series' usual magnitude. */
export const SCALE_SLIP_RECENT = 12;
/** Fewer earlier non-zero values than this: too little to call a value a slip on arrival. */
export const SCALE_SLIP_MIN_RECENT = 3;
/**
 * A write of more numbers than this is not checked for scale slips on arrival: each number
 * looks up its series' recent periods (~90 µs a value on PGlite, measured: the demo's 232,470
 * daily values took 40 s to import instead of 19 s); `outlierDetection` finds a large load's
 * slips, with its `scaleSlip`.
 */
export const SCALE_SLIP_MAX_ON_ARRIVAL = 5_000;

/**
 * Why a value flagged on arrival is flagged, as every reader shows it (analytics' cells and
 * metaData, exports): MIN_MAX (outside the unit's range) or SCALE_SLIP (100× or more away from
 * the unit's recent values: a likely unit or scale error), the value as the left side, the
 * bounds it left.
 */
export function outlierFlag(o: {
  value: number;
  low: number | null;
  high: number | null;
  period: string;
  kind?: OutlierKind;
}) {
  const slip = o.kind === 'scale_slip';
  return {
    kind: 'outlier' as const,
    rule: slip ? 'SCALE_SLIP' : 'MIN_MAX',
    importance: slip ? ('HIGH' as const) : ('MEDIUM' as const),
    nameVi: slip
      ? `Nghi nhầm đơn vị hoặc thang đo: lệch từ ${SCALE_SLIP_RATIO} lần trở lên so với các kỳ gần đây của đơn vị`
      : 'Giá trị ngoài khoảng tối thiểu–tối đa của đơn vị',
    nameEn: slip
      ? `Likely unit or scale slip: ${SCALE_SLIP_RATIO}× or more away from the unit's recent values`
      : "Value outside the unit's min–max range",
    left: o.value,
    right: null,
    period: o.period,
    ...(o.low !== null ? { min: o.low } : {}),
    ...(o.high !== null ? { max: o.high } : {}),
  };
}

/** At most this many values named in a follow-up task's note. */
const LISTED = 10;

/**
 * Outliers flagged as values arrive (issue 17): min–max ranges checked on every import and
 * save, stored (`value_outlier`) until the value changes or a reviewer confirms it, one
 * follow-up task per unit and element with open flags (not one per value nor per re-check).
 */
export class ValueOutlierService {
  constructor(private readonly store: Store) {}

  anyRange(): Promise<boolean> {
    return this.store.repos.valueOutliers.anyRange();
  }

  async allRanges(): Promise<RangeIndex> {
    return rangeIndex(await this.store.repos.valueOutliers.allRanges());
  }

  /**
   * In the import's transaction, after its values are written: stores the flags found, drops
   * those of values written again that no longer hold, opens or extends the follow-up tasks,
   * closes those left without an open flag. Returns how many values are flagged.
   */
  async onImport(tx: Repos, found: ArrivalOutliers, at = new Date()): Promise<number> {
    const repo = tx.valueOutliers;
    const slipsChecked = await this.scaleSlips(tx, found);
    // Every write is now checked on arrival: most find nothing stored to drop.
    const emptied =
      found.written.length > 0 && (await repo.anyStored())
        ? await repo.dropStale(found.written, found.flags, slipsChecked)
        : [];
    const fresh = await repo.upsert(found.flags);
    await this.attach(tx, fresh, at, { defer: true });
    for (const id of await repo.tasksDone(emptied))
      await closeFollowUpTask(tx, id, at, 'Số liệu đã được sửa: không còn giá trị ngoài khoảng');
    return found.flags.length;
  }

  /**
   * Scale slips on arrival: each non-zero number written in a stored period against the typical
   * magnitude of its series' last SCALE_SLIP_RECENT periods, 100× or more away and beyond the
   * series' own spread (domain/outlier.ts `scaleSlipBand`), when at least SCALE_SLIP_MIN_RECENT
   * of them hold a value; a slip joins the flags with the band it left. Up to
   * SCALE_SLIP_MAX_ON_ARRIVAL numbers (a form's save, a unit's report); answers whether it
   * checked. A bulk load's new periods are not checked here (outlierDetection finds their slips).
   */
  private async scaleSlips(tx: Repos, found: ArrivalOutliers): Promise<boolean> {
    if (found.numbers.length > SCALE_SLIP_MAX_ON_ARRIVAL) return false;
    const key = (k: ValueKey) =>
      valueKey(k.element_id, k.unit_id, k.period_id, k.option_id, k.attribute_id);
    const byKey = new Map(found.numbers.map((v) => [key(v), v.value]));
    for (const m of await tx.valueOutliers.recentMagnitudes(found.numbers, SCALE_SLIP_RECENT)) {
      const value = byKey.get(key(m));
      if (value === undefined || m.n < SCALE_SLIP_MIN_RECENT || !(m.typical > 0)) continue;
      const { low, high } = scaleSlipBand(m.typical, m.sd_ln);
      if (Math.abs(value) > low && Math.abs(value) < high) continue;
      found.flags.push({
        element_id: m.element_id,
        unit_id: m.unit_id,
        period_id: m.period_id,
        option_id: m.option_id,
        attribute_id: m.attribute_id,
        value,
        low,
        high,
        kind: 'scale_slip',
      });
      found.slips++;
    }
    return true;
  }

  /**
   * Opens the tasks of the flags a bulk load left for after its commit (migration 0029), a
   * batch per transaction. Called by the outbox drain; returns how many flags it attached.
   */
  openPendingTasks(): Promise<number> {
    return inPendingBatches(this.store, async (tx) => {
      const rows = await tx.valueOutliers.pending(PENDING_BATCH);
      await this.attach(tx, rows, new Date(), { defer: false });
      return rows.length;
    });
  }

  /**
   * Gives flags without a task theirs: one task per (unit, element), an open one taking the new
   * flags. With `defer`, more new tasks than DEFER_FOLLOW_UPS are left for after the commit.
   */
  private async attach(
    tx: Repos,
    fresh: (ValueKey & { value: number; kind: OutlierKind })[],
    at: Date,
    opts: { defer: boolean },
  ): Promise<void> {
    const repo = tx.valueOutliers;
    const pairs = new Map<string, { unit_id: number; element_id: number; values: typeof fresh }>();
    for (const f of fresh) {
      const k = `${f.unit_id}|${f.element_id}`;
      const p = pairs.get(k) ?? { unit_id: f.unit_id, element_id: f.element_id, values: [] };
      p.values.push(f);
      pairs.set(k, p);
    }
    const open = await repo.openTasks([...pairs.values()]);
    await repo.setTasks(open);
    for (const o of open) pairs.delete(`${o.unit_id}|${o.element_id}`);
    const opening = [...pairs.values()];
    if (opening.length === 0) return;
    if (opts.defer && opening.length > DEFER_FOLLOW_UPS) {
      await tx.alerts.queueFollowUps();
      return;
    }
    const units = new Map(
      (await tx.validation.unitsByIds([...new Set(opening.map((p) => p.unit_id))])).map((u) => [
        u.id,
        u,
      ]),
    );
    const names = new Map(
      (await repo.elementNames([...new Set(opening.map((p) => p.element_id))])).map((e) => [
        e.id,
        e,
      ]),
    );
    const periods = new Map(
      (
        await tx.validation.periodsByIds([
          ...new Set(opening.flatMap((p) => p.values.map((v) => v.period_id))),
        ])
      ).map((p) => [p.id, p.pid]),
    );
    const tasks = opening.flatMap((p) => {
      const unit = units.get(p.unit_id);
      const el = names.get(p.element_id);
      return unit && el ? [{ p, unit, el }] : [];
    });
    const listed = (p: (typeof tasks)[number]['p']) =>
      p.values
        .slice(0, LISTED)
        .map(
          (v) =>
            `${periods.get(v.period_id) ?? v.period_id}: ${v.value}${v.kind === 'scale_slip' ? ' (nghi nhầm đơn vị/thang đo)' : ''}`,
        )
        .join('; ');
    const ids = await openFollowUpTasks(
      tx,
      tasks.map(({ p, unit, el }) => ({
        unit,
        title: `Kiểm tra giá trị bất thường: ${el.name_vi} (${p.values.length} ${p.values.every((v) => v.kind === 'scale_slip') ? 'giá trị nghi nhầm đơn vị/thang đo' : 'giá trị ngoài khoảng'})`,
        note: `${p.values.every((v) => v.kind === 'scale_slip') ? `Giá trị lệch từ ${SCALE_SLIP_RATIO} lần trở lên so với các kỳ gần đây của đơn vị` : 'Giá trị ngoài khoảng tối thiểu–tối đa của đơn vị'}: ${listed(p)}${p.values.length > LISTED ? '…' : ''}. Xác nhận đúng hoặc sửa lại.`,
        audit: {
          action: 'value_outlier.follow_up',
          after: { element: el.code, values: p.values.length },
        },
      })),
      at,
    );
    await repo.setTasks(
      tasks.map(({ p }, i) => ({
        unit_id: p.unit_id,
        element_id: p.element_id,
        task_id: ids[i]!,
      })),
    );
  }

  /**
   * A reviewer's word on a flagged value: correct as it is (confirmed, with a comment). Its
   * task closes when no open flag is left on it. Audited; in the caller's scope.
   */
  async review(
    actor: Actor,
    q: {
      element: string;
      unit: string;
      version: string;
      period: string;
      option?: string;
      comment: string;
    },
    ctx: { requestId?: string } = {},
  ): Promise<{ state: 'confirmed' }> {
    if (!can(actor, 'data.write')) throw errors.forbidden('data.write');
    const repos = this.store.repos;
    const unit = await repos.tasks.unit(q.version, q.unit);
    if (!unit) throw errors.unknownUnit(q.unit, q.version);
    if (!inScope(actor.scope, { version: q.version, path: unit.path }))
      throw errors.outOfScope(q.unit, q.version);
    const key = await repos.valueOutliers.keyOf({
      element: q.element,
      unitId: unit.id,
      period: q.period,
      ...(q.option !== undefined ? { option: q.option } : {}),
    });
    if (!key) throw errors.notFound(`outlier ${q.element} ${q.unit} ${q.period}`);
    const at = new Date();
    await this.store.transaction(async (tx) => {
      const r = await tx.valueOutliers.confirm(key, actor.name, q.comment, at);
      if (!r) throw errors.notFound(`outlier ${q.element} ${q.unit} ${q.period}`);
      if (r.task_id !== null)
        for (const id of await tx.valueOutliers.tasksDone([r.task_id]))
          await closeFollowUpTask(tx, id, at, `Đã xác nhận số liệu đúng: ${q.comment}`.trim());
      await tx.audit.record({
        ...auditActor(actor),
        action: 'value_outlier.confirm',
        entityType: 'value_outlier',
        entityId: `${q.element}|${q.version}:${unit.code}|${q.period}`,
        unit: { version: q.version, code: unit.code },
        after: { value: r.value, comment: q.comment },
        requestId: ctx.requestId,
      });
    });
    return { state: 'confirmed' };
  }

  /** Flagged values under a unit (default the caller's scope), newest first. */
  async list(
    actor: Actor,
    q: { unit?: string; version?: string; state?: 'open' | 'confirmed'; limit: number },
  ) {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const version = q.version ?? actor.scope.version;
    let path = actor.scope.path;
    if (q.unit !== undefined) {
      const unit = await this.store.repos.tasks.unit(version, q.unit);
      if (!unit) throw errors.unknownUnit(q.unit, version);
      if (!inScope(actor.scope, { version, path: unit.path }))
        throw errors.outOfScope(q.unit, version);
      path = unit.path;
    } else if (version !== actor.scope.version && path !== '/VN/')
      throw errors.outOfScope(actor.scope.code, version);
    return this.store.repos.valueOutliers.list({
      version,
      path,
      limit: q.limit,
      ...(q.state ? { state: q.state } : {}),
    });
  }
}
