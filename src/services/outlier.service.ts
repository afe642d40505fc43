import type { Store } from '../db/store.ts';
import type { OutlierElementRow, OutlierRow, OutlierUnitRow } from '../db/outlier.repo.ts';
import { can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import { errors } from '../domain/errors.ts';
import {
  DEFAULT_THRESHOLD,
  MIN_MAX_FACTOR,
  OUTLIER_ALGORITHMS,
  SCALE_SLIP_RATIO,
  seasonalBaseline,
  seasonalScoreAt,
  seasonSlot,
  type OutlierAlgorithm,
} from '../domain/outlier.ts';
import { parsePeriod, toDhis2Id, type Period, type PeriodType } from '../domain/period.ts';
import type {
  MinMaxBody,
  OutlierBaseline,
  OutlierBaselineQuery,
  OutlierQuery,
  OutlierResponse,
  OutlierValue,
} from '../contract/outlier.ts';
import { auditActor } from './audit.ts';

/** `maxResults`: DHIS2's default, and Opsroom's cap. */
export const DEFAULT_MAX_RESULTS = 500;
export const MAX_RESULTS_CAP = 10_000;
/** The longest range asked (startDate–endDate, and dataStartDate–dataEndDate): ten years. */
export const MAX_RANGE_YEARS = 10;
const NUMERIC = new Set(['integer', 'number', 'percentage']);
const ORDERS = ['Z_SCORE', 'MEAN_ABS_DEV', 'MIDDLE_VALUE_ABS_DEV'] as const;

/** The parameters as the route reads them: repeatable ones as lists. */
export type OutlierRequest = Omit<OutlierQuery, 'ds' | 'de' | 'ou'> & {
  ds?: string[];
  de?: string[];
  ou?: string[];
};

const invalid = (parameter: string, vi: string, en: string) =>
  errors.outlierQueryInvalid(parameter, { vi, en });

function isoDate(name: string, v: string | undefined, required: boolean): string | undefined {
  if (v === undefined || v === '') {
    if (required) throw invalid(name, 'bắt buộc (yyyy-MM-dd)', 'is required (yyyy-MM-dd)');
    return undefined;
  }
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
  if (!ok || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)
    throw invalid(name, `"${v}" không phải ngày yyyy-MM-dd`, `"${v}" is not a yyyy-MM-dd date`);
  return v;
}

function checkSpan(from: string, to: string, names: [string, string]): void {
  if (to < from)
    throw invalid(
      names[1],
      `${names[1]} (${to}) trước ${names[0]} (${from})`,
      `${names[1]} (${to}) is before ${names[0]} (${from})`,
    );
  const limit = `${Number(from.slice(0, 4)) + MAX_RANGE_YEARS}${from.slice(4)}`;
  if (to > limit)
    throw invalid(
      names[1],
      `khoảng thời gian dài quá ${MAX_RANGE_YEARS} năm`,
      `the range is longer than ${MAX_RANGE_YEARS} years`,
    );
}

/** `threshold`: above 0, at most 100; DHIS2's 3.0 when not given. */
function parseThreshold(v: string | undefined): number {
  const threshold = v === undefined || v === '' ? DEFAULT_THRESHOLD : Number(v);
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 100)
    throw invalid(
      'threshold',
      `ngưỡng phải lớn hơn 0 và không quá 100, nhận "${v}"`,
      `the threshold must be above 0 and at most 100, got "${v}"`,
    );
  return threshold;
}

/** The request checked: every impossible value refused in Vietnamese and English. */
export function parseOutlierRequest(q: OutlierRequest) {
  const algorithm = (q.algorithm ?? 'Z_SCORE').toUpperCase();
  if (!(OUTLIER_ALGORITHMS as readonly string[]).includes(algorithm))
    throw invalid(
      'algorithm',
      `"${q.algorithm}" không phải ${OUTLIER_ALGORITHMS.join(', ')}`,
      `"${q.algorithm}" is not one of ${OUTLIER_ALGORITHMS.join(', ')}`,
    );
  const threshold = parseThreshold(q.threshold);
  const maxResults =
    q.maxResults === undefined || q.maxResults === '' ? DEFAULT_MAX_RESULTS : Number(q.maxResults);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS_CAP)
    throw invalid(
      'maxResults',
      `phải là số nguyên từ 1 đến ${MAX_RESULTS_CAP}, nhận "${q.maxResults}"`,
      `must be a whole number from 1 to ${MAX_RESULTS_CAP}, got "${q.maxResults}"`,
    );
  const orderBy = (q.orderBy ?? 'Z_SCORE').toUpperCase();
  if (!(ORDERS as readonly string[]).includes(orderBy))
    throw invalid(
      'orderBy',
      `"${q.orderBy}" không phải Z_SCORE hoặc MEAN_ABS_DEV`,
      `"${q.orderBy}" is not Z_SCORE or MEAN_ABS_DEV`,
    );
  const sortOrder = (q.sortOrder ?? 'DESC').toUpperCase();
  if (sortOrder !== 'DESC' && sortOrder !== 'ASC')
    throw invalid(
      'sortOrder',
      `"${q.sortOrder}" không phải DESC hoặc ASC`,
      `"${q.sortOrder}" is not DESC or ASC`,
    );
  const startDate = isoDate('startDate', q.startDate, true)!;
  const endDate = isoDate('endDate', q.endDate, true)!;
  checkSpan(startDate, endDate, ['startDate', 'endDate']);
  const dataStartDate = isoDate('dataStartDate', q.dataStartDate, false);
  const dataEndDate = isoDate('dataEndDate', q.dataEndDate, false);
  if (dataStartDate && dataEndDate)
    checkSpan(dataStartDate, dataEndDate, ['dataStartDate', 'dataEndDate']);
  if (!q.ds?.length && !q.de?.length)
    throw invalid(
      'ds',
      'cần ít nhất một bộ dữ liệu (ds) hoặc chỉ tiêu (de)',
      'give at least one data set (ds) or data element (de)',
    );
  return {
    algorithm: algorithm as OutlierAlgorithm,
    threshold,
    maxResults,
    orderBy: orderBy === 'Z_SCORE' ? ('Z_SCORE' as const) : ('MEAN_ABS_DEV' as const),
    sortOrder: sortOrder === 'ASC' ? ('ASC' as const) : ('DESC' as const),
    startDate,
    endDate,
    dataStartDate,
    dataEndDate,
  };
}

const toValue = (algorithm: OutlierAlgorithm, r: OutlierRow): OutlierValue => {
  const num = (x: number | null) => (x === null ? undefined : Number(x));
  const middle = num(r.middle);
  return {
    de: r.de,
    deName: r.de_name_vi,
    pe: toDhis2Id({
      id: r.pid,
      type: r.type as PeriodType,
      start: r.start_date,
      end: r.start_date,
    }),
    ou: r.ou,
    ouName: r.ou_name,
    coc: r.coc,
    cocName: r.coc_name,
    aoc: r.aoc,
    aocName: r.aoc_name,
    value: Number(r.value),
    ...(algorithm === 'Z_SCORE'
      ? { mean: middle }
      : algorithm === 'MIN_MAX'
        ? {}
        : { median: middle }),
    stdDev: num(r.std_dev),
    absDev: Number(r.abs_dev ?? 0),
    zScore: num(r.z_score),
    lowerBound: num(r.lower_bound),
    upperBound: num(r.upper_bound),
    followup: r.followup,
    scaleSlip: r.scale_slip,
    ...(r.baseline === null ? {} : { baseline: Number(r.baseline) }),
  };
};

/**
 * Outlier detection (issue 17): DHIS2's `/api/outlierDetection` over the caller's scope, with
 * Opsroom's seasonal baseline and scale-slip check (domain/outlier.ts for the methods,
 * db/outlier.repo.ts for the SQL), and DHIS2's min–max ranges.
 */
export class OutlierService {
  constructor(private readonly store: Store) {}

  private async elements(ds: string[], de: string[]): Promise<OutlierElementRow[]> {
    const repo = this.store.repos.outliers;
    const ids = new Set<number>();
    if (ds.length) {
      const rows = await repo.dataSetElements(ds);
      for (const d of ds)
        if (!rows.some((r) => r.set === d || r.uid === d))
          throw errors.outlierUnknownItem('dataSet', d);
      for (const r of rows) if (r.element_id !== null) ids.add(r.element_id);
    }
    const named = await repo.elementsNamed(de);
    for (const d of de) {
      const e = named.find((x) => x.code === d || x.uid === d);
      if (!e) throw errors.outlierUnknownItem('dataElement', d);
      ids.add(e.id);
    }
    return (await repo.elementsById([...ids])).filter((e) => NUMERIC.has(e.value_type));
  }

  /** The unit named (by uid or code): in the caller's tree, else the tree in force at `at`. */
  private async unit(actor: Actor, id: string, at: string): Promise<OutlierUnitRow> {
    const found = await this.store.repos.outliers.unitsNamed(id);
    if (found.length === 0) throw errors.outlierUnknownItem('orgUnit', id);
    const own = isRootScope(actor.scope)
      ? undefined
      : found.find((u) => u.version === actor.scope.version);
    const chosen = own ?? found.find((u) => u.valid_from <= at) ?? found[found.length - 1]!;
    if (!inScope(actor.scope, { version: chosen.version, path: chosen.path }))
      throw errors.outOfScope(chosen.code, chosen.version);
    return chosen;
  }

  /** `GET /api/outlierDetection`. */
  async detect(actor: Actor, q: OutlierRequest): Promise<OutlierResponse> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const p = parseOutlierRequest(q);
    const elements = await this.elements(q.ds ?? [], q.de ?? []);
    const ous = q.ou?.length ? q.ou : [actor.scope.code];
    const units: OutlierUnitRow[] = [];
    for (const ou of ous) units.push(await this.unit(actor, ou, p.endDate));
    let rows: OutlierRow[] = [];
    if (elements.length)
      for (const u of units)
        rows.push(
          ...(await this.store.repos.outliers.find({
            elementIds: elements.map((e) => e.id),
            unitId: u.id,
            start: p.startDate,
            end: p.endDate,
            dataStart: p.dataStartDate,
            dataEnd: p.dataEndDate,
            algorithm: p.algorithm,
            threshold: p.threshold,
            maxResults: p.maxResults,
            orderBy: p.orderBy,
            descending: p.sortOrder === 'DESC',
            slipRatio: SCALE_SLIP_RATIO,
          })),
        );
    if (units.length > 1) {
      const key = (r: OutlierRow) =>
        p.orderBy === 'MEAN_ABS_DEV' || p.algorithm === 'MIN_MAX'
          ? Number(r.abs_dev)
          : Number(r.z_score ?? -Infinity);
      const seen = new Set<string>();
      rows = rows
        .filter((r) => {
          const k = `${r.de}|${r.ou}|${r.pid}|${r.coc}|${r.aoc}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        })
        .sort((a, b) => (p.sortOrder === 'DESC' ? key(b) - key(a) : key(a) - key(b)))
        .slice(0, p.maxResults);
    }
    const outlierValues = rows.map((r) => toValue(p.algorithm, r));
    return {
      outlierValues,
      metadata: {
        algorithm: p.algorithm,
        threshold: p.threshold,
        orderBy: p.orderBy,
        sortOrder: p.sortOrder,
        maxResults: p.maxResults,
        count: outlierValues.length,
        startDate: p.startDate,
        endDate: p.endDate,
        ...(p.dataStartDate ? { dataStartDate: p.dataStartDate } : {}),
        ...(p.dataEndDate ? { dataEndDate: p.dataEndDate } : {}),
      },
    };
  }

  /** The element, unit and option of a range, checked against the caller's scope. */
  private async rangeKey(
    actor: Actor,
    b: Pick<MinMaxBody, 'source' | 'dataElement' | 'optionCombo'>,
  ) {
    if (!can(actor, 'data.write')) throw errors.forbidden('data.write');
    const [e] = (await this.store.repos.outliers.elementsNamed([b.dataElement.id])).filter((x) =>
      NUMERIC.has(x.value_type),
    );
    if (!e) throw errors.outlierUnknownItem('dataElement', b.dataElement.id);
    const unit = await this.unit(actor, b.source.id, new Date().toISOString().slice(0, 10));
    const option = await this.store.repos.outliers.optionNamed(b.optionCombo?.id);
    if (option === undefined) throw errors.notFound(`optionCombo ${b.optionCombo?.id}`);
    return { unit, key: { unit_id: unit.id, element_id: e.id, option_id: option } };
  }

  /**
   * `GET /api/outlierDetection/baseline`: the seasonal baseline one value was compared with —
   * the same season of every year and its neighbouring periods at the same unit, with the
   * median and bounds (domain/outlier.ts, as SEASONAL computes them) — for the data quality
   * screen to draw. In the caller's scope.
   */
  async baseline(actor: Actor, q: OutlierBaselineQuery): Promise<OutlierBaseline> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    let period: Period;
    try {
      period = parsePeriod(q.pe);
    } catch {
      throw invalid('pe', `"${q.pe}" không phải một kỳ`, `"${q.pe}" is not a period`);
    }
    const threshold = parseThreshold(q.threshold);
    const dataStart = isoDate('dataStartDate', q.dataStartDate, false);
    const dataEnd = isoDate('dataEndDate', q.dataEndDate, false);
    const repo = this.store.repos.outliers;
    const [e] = (await repo.elementsNamed([q.de])).filter((x) => NUMERIC.has(x.value_type));
    if (!e) throw errors.outlierUnknownItem('dataElement', q.de);
    const unit = await this.unit(actor, q.ou, period.start);
    const option = await repo.optionNamed(q.coc);
    if (option === undefined) throw errors.notFound(`categoryOptionCombo ${q.coc}`);
    const attribute = await repo.attributeNamed(q.aoc);
    if (attribute === undefined) throw errors.notFound(`attributeOptionCombo ${q.aoc}`);
    const rows = await repo.series({
      elementId: e.id,
      unitId: unit.id,
      optionId: option,
      attributeId: attribute,
      type: period.type,
      dataStart,
      dataEnd,
    });
    const points = rows.map((r) => ({ start: r.start_date, type: r.type, value: r.value }));
    const i = rows.findIndex((r) => r.pid === period.id);
    if (i < 0) throw errors.notFound(`${q.de} ${q.ou} ${q.pe}`);
    const slotOf = points.map((p) => seasonSlot(p.type, p.start));
    const score = seasonalScoreAt(points, i, threshold, slotOf);
    return {
      value: rows[i]!.value,
      median: score?.median ?? null,
      lowerBound: score?.lowerBound ?? null,
      upperBound: score?.upperBound ?? null,
      zScore: score?.zScore ?? null,
      points: seasonalBaseline(points, i, slotOf).map((j) => {
        const r = rows[j]!;
        const p = parsePeriod(r.pid);
        return { pe: toDhis2Id(p), start: r.start_date, value: r.value, self: j === i };
      }),
    };
  }

  /** `POST /api/minMaxDataElements`: one range set by hand (or marked generated), audited. */
  async setMinMax(actor: Actor, b: MinMaxBody, ctx: { requestId?: string } = {}): Promise<void> {
    if (!Number.isFinite(b.min) || !Number.isFinite(b.max) || b.min > b.max)
      throw invalid(
        'min',
        `min (${b.min}) phải không lớn hơn max (${b.max})`,
        `min (${b.min}) must not be above max (${b.max})`,
      );
    const { unit, key } = await this.rangeKey(actor, b);
    await this.store.transaction(async (tx) => {
      await tx.outliers.setMinMax(
        { ...key, min_value: b.min, max_value: b.max, generated: b.generated ?? false },
        actor.name,
      );
      await tx.audit.record({
        ...auditActor(actor),
        action: 'outlier.minmax.set',
        entityType: 'min_max_value',
        entityId: `${b.dataElement.id}|${unit.code}|${b.optionCombo?.id ?? 'default'}`,
        unit: { version: unit.version, code: unit.code },
        after: { min: b.min, max: b.max, generated: b.generated ?? false },
        requestId: ctx.requestId,
      });
    });
  }

  /** `DELETE /api/minMaxDataElements`: removes one range, audited; not found when none. */
  async deleteMinMax(
    actor: Actor,
    b: Pick<MinMaxBody, 'source' | 'dataElement' | 'optionCombo'>,
    ctx: { requestId?: string } = {},
  ): Promise<void> {
    const { unit, key } = await this.rangeKey(actor, b);
    await this.store.transaction(async (tx) => {
      if (!(await tx.outliers.deleteMinMax(key)))
        throw errors.notFound(`minMaxDataElement ${b.dataElement.id} ${b.source.id}`);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'outlier.minmax.delete',
        entityType: 'min_max_value',
        entityId: `${b.dataElement.id}|${unit.code}|${b.optionCombo?.id ?? 'default'}`,
        unit: { version: unit.version, code: unit.code },
        requestId: ctx.requestId,
      });
    });
  }

  /** Generated ranges (mean ± factor · SD, DHIS2's default factor 2) under a unit; audited. */
  async generateMinMax(
    actor: Actor,
    q: { ds?: string[]; de?: string[]; ou: string; factor?: number },
    ctx: { requestId?: string } = {},
  ): Promise<{ ranges: number }> {
    if (!can(actor, 'data.write')) throw errors.forbidden('data.write');
    const factor = q.factor ?? MIN_MAX_FACTOR;
    if (!Number.isFinite(factor) || factor <= 0 || factor > 100)
      throw invalid(
        'factor',
        'hệ số phải lớn hơn 0 và không quá 100',
        'the factor must be above 0 and at most 100',
      );
    const elements = await this.elements(q.ds ?? [], q.de ?? []);
    const unit = await this.unit(actor, q.ou, new Date().toISOString().slice(0, 10));
    return this.store.transaction(async (tx) => {
      const ranges = await tx.outliers.generateMinMax(
        { elementIds: elements.map((e) => e.id), unitId: unit.id, factor },
        actor.name,
      );
      await tx.audit.record({
        ...auditActor(actor),
        action: 'outlier.minmax.generate',
        entityType: 'min_max_value',
        entityId: unit.code,
        unit: { version: unit.version, code: unit.code },
        after: { elements: elements.map((e) => e.code), factor, ranges },
        requestId: ctx.requestId,
      });
      return { ranges };
    });
  }
}
