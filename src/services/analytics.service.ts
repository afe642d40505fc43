import { outlierFlag } from './value-outlier.service.ts';
import type { AnalyticsCell, AnalyticsFlaggedCell, Change } from '../contract/analytics.ts';
import { childContext, runIn, type DbContext } from '../db/request-context.ts';
import type { AggregateRow, RawValueRow, ReportingRequest } from '../db/analytics.repo.ts';
import type { Store } from '../db/store.ts';
import { can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import { AppError, errors } from '../domain/errors.ts';
import {
  applyModifiers,
  ITEM_AGGREGATION_TYPES,
  dependencyOrder,
  evaluate,
  type Expr,
  type ItemAggregationType,
  itemKey,
  itemsOf,
  type ItemRef,
  mapItems,
  type Modifiers,
  modifiersOf,
  type OrderedIndicator,
  parseExpression,
  type PeriodModifiers,
  type ReportingMetric,
  withoutPeriodModifiers,
} from '../domain/expression.ts';
import { ROOT_CODE, versionAt } from '../domain/hierarchy.ts';
import {
  addDays,
  type FixedPeriodType,
  formatPeriodEn,
  formatPeriodVi,
  nextPeriod,
  parsePeriod,
  parsePeriodList,
  periodsWithin,
  previousPeriod,
  samePeriodLastYear,
  type Period,
} from '../domain/period.ts';
import type { HierarchyService } from './hierarchy.service.ts';

export interface AnalyticsQuery {
  /** Element codes or uids (optionally ELEMENT.OPTION) and indicator codes. */
  dx: string[];
  /** Period ids in any form, and relative keywords (LAST_12_MONTHS, THIS_YEAR, YEAR_TO_DATE…). */
  pe: string[];
  /** Unit codes, LEVEL-n (DHIS2 counts from the root: LEVEL-1 is the nation), OU_GROUP-code,
   *  USER_ORGUNIT, USER_ORGUNIT_CHILDREN. */
  ou: string[];
  /** Resolve units in this tree instead of the tree in force at each period. */
  version?: string;
  /**
   * Dimensions given as filters (DHIS2's `filter=pe:A;B`, `filter=ou:A;B`): their items are
   * counted as one — the values under any of them, each once, aggregated as one period or one
   * unit would be (a ratio's inputs are added, then divided; a stock takes each unit's last).
   */
  filters?: ('pe' | 'ou')[];
  /**
   * Breakdown filters (DHIS2's `filter=<category>:<option>;<option>`): only these options of
   * that breakdown, counted as one. An element without that breakdown has no value.
   */
  breakdowns?: { breakdown: string; options: string[] }[];
  /** DHIS2's `co` dimension: an element's values by breakdown option (category option combo). */
  co?: boolean;
  /** DHIS2's `aggregationType`: instead of each element's own rule. */
  aggregationType?: AggregationType;
}

/** DHIS2's aggregation types Opsroom computes (DEFAULT: each element's own rule): a request's
 *  `aggregationType` takes those an item's `.aggregationType(T)` takes. */
export const AGGREGATION_TYPES = ['DEFAULT', ...ITEM_AGGREGATION_TYPES] as const;
export type AggregationType = (typeof AGGREGATION_TYPES)[number];

/** How an aggregation type reads over time and across units. */
const RULES: Record<Exclude<AggregationType, 'DEFAULT'>, { time: string; units: string }> = {
  SUM: { time: 'sum', units: 'sum' },
  AVERAGE: { time: 'average', units: 'average' },
  AVERAGE_SUM_ORG_UNIT: { time: 'average', units: 'sum' },
  LAST: { time: 'last', units: 'sum' },
  LAST_AVERAGE_ORG_UNIT: { time: 'last', units: 'average' },
  COUNT: { time: 'count', units: 'sum' },
  MIN: { time: 'min', units: 'min' },
  MAX: { time: 'max', units: 'max' },
};

export type { Change };

/**
 * A cell as `/api/analytics` answers it (src/contract/analytics.ts), and on DHIS2's analytics
 * routes the breakdown option (code) when `co` is a dimension.
 */
export type Cell = AnalyticsCell & { co?: string };

interface UnitRef {
  id: number;
  code: string;
  uid?: string | null;
  path: string;
  level: number;
  full_name: string;
  version: string;
  /** The units of a filter, counted as one (then `code` joins theirs). */
  members?: UnitRef[];
}

interface ElementMeta {
  id: number;
  code: string;
  uid: string | null;
  nameVi: string;
  nameEn: string;
  aggTime: string;
  aggUnits: string;
  breakdownId: number;
  unit: string | null;
}

const pct = (v: number | null, prev: number | null) =>
  v === null || prev === null || prev === 0 ? null : ((v - prev) / Math.abs(prev)) * 100;

type Answer = Awaited<ReturnType<AnalyticsService['compute']>>;

/** An answer being computed (or just computed) that an identical question may take. */
interface Shared {
  /** The data version when it was asked (db/request-context.ts `dataVersion`), if known. */
  askedAt: string | undefined;
  /** Whether it has read anything yet. */
  started: boolean;
  answer: Promise<Answer>;
  /** Its place in line; it carries the asker's signal while it has one asker only. */
  ctx: DbContext;
}

/** How long a finished answer may be given again while nothing was written meanwhile. */
const REUSE_MS = 1000;
const MAX_SHARED = 1000;

export class AnalyticsService {
  /** Computations run and questions answered by taking another's answer (tests, bench). */
  readonly counts = { computed: 0, joined: 0 };
  /** Switch for the bench's baseline: every question computed on its own. */
  coalesce = true;
  private readonly shared = new Map<string, Shared>();

  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
  ) {}

  /**
   * Identical questions asked at the same time are answered by one computation. The key is
   * everything the answer depends on: the question as given (dx, pe, ou, version, changes),
   * the day (relative periods), and the asker's scope (version, unit, path) — askers with
   * different scopes never share an answer; permission is checked for each asker.
   *
   * Freshness rule: a question takes another computation's answer only if every read of that
   * computation sees at least what was committed when the question was asked — so a question
   * asked after an import answered never gets a pre-import answer:
   * - a computation that has read nothing yet may always be joined: all its reads come after
   *   the joiner arrived;
   * - one asked when the data version was v (every read of it came later) may be joined —
   *   running, or up to REUSE_MS after it finished — by a question asked while the version is
   *   still v: nothing committed between the two askings, so its reads before the second one
   *   saw what the second would see, and its reads after it saw newer data. The version is a
   *   commit count on the embedded engine and the transaction snapshot on a server, where
   *   other instances write too (db/request-context.ts).
   * Askers share the answer object: callers only read it.
   */
  async query(actor: Actor, q: AnalyticsQuery, opts: { changes?: boolean } = {}) {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    if (!this.coalesce) {
      this.counts.computed++;
      return runIn(childContext({ readOnly: true }), () => this.compute(actor, q, opts));
    }
    const key = JSON.stringify([
      actor.scope.version,
      actor.scope.code,
      actor.scope.path,
      this.hierarchy.today(),
      q.dx,
      q.pe,
      q.ou,
      q.version ?? null,
      [...(q.filters ?? [])].sort(),
      q.breakdowns ?? [],
      q.co === true,
      q.aggregationType ?? 'DEFAULT',
      opts.changes === true,
    ]);
    // Joining one that has not read yet needs no version (nor its round trip on a server).
    let other = this.shared.get(key);
    if (!other || !this.joinable(other, undefined)) {
      const now = await this.store.dataVersion();
      other = this.shared.get(key);
      if (!other || !this.joinable(other, now)) return this.start(key, now, actor, q, opts);
    }
    // Two askers now: one leaving must not drop it from the line (db/line.ts).
    other.ctx.signal = undefined;
    this.counts.joined++;
    return other.answer;
  }

  private start(
    key: string,
    askedAt: string | undefined,
    actor: Actor,
    q: AnalyticsQuery,
    opts: { changes?: boolean },
  ) {
    this.counts.computed++;
    const entry: Shared = { askedAt, started: false, answer: undefined!, ctx: undefined! };
    // Only reads: once nobody waits for it any more, it stops at its next statement.
    entry.ctx = childContext({ readOnly: true, onAcquire: () => (entry.started = true) });
    entry.answer = runIn(entry.ctx, () => this.compute(actor, q, opts));
    const forget = () => {
      if (this.shared.get(key) === entry) this.shared.delete(key);
    };
    entry.answer.then(
      () => {
        if (entry.askedAt === undefined) forget();
        else setTimeout(forget, REUSE_MS).unref();
      },
      forget, // an error is given to those who asked with it, not kept
    );
    if (this.shared.size >= MAX_SHARED) this.shared.clear();
    this.shared.set(key, entry);
    return entry.answer;
  }

  /** Whether a question asked at data version `now` may take `e`'s answer (see `query`). */
  private joinable(e: Shared, now: string | undefined): boolean {
    if (e.ctx.signal?.aborted) return false; // about to be dropped: its asker left
    if (!e.started) return true;
    return e.askedAt !== undefined && e.askedAt === now;
  }

  /**
   * Stored values, not aggregated (DHIS2's `analytics/rawData`): of the elements in `dx`, at
   * the units under those of `ou` (in the tree in force at each period), in stored periods within
   * those of `pe`. Up to RAW_LIMIT values; a question with more is refused with a pointer to the
   * streamed export, never cut short.
   */
  async rawData(actor: Actor, q: AnalyticsQuery) {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    if (q.dx.length === 0 || q.pe.length === 0) {
      throw new AppError('validation_failed', {
        vi: 'Cần ít nhất một chỉ tiêu (dx) và một kỳ (pe)',
        en: 'At least one data item (dx) and one period (pe) are needed',
      });
    }
    const meta = await this.metadata();
    const items = q.dx.map((d) => this.resolveDx(d, meta));
    const elements = items.map((item) => {
      if (item.kind !== 'element') throw rawOfIndicator(item.id);
      return { item, el: meta.elements.get(item.ref.element)! };
    });
    const periods = parsePeriodList(q.pe.join(';'), this.hierarchy.today());
    const spans = await this.hierarchy.versionDates();
    const byVersion = new Map<string, Period[]>();
    for (const p of periods) {
      const v = q.version ?? versionAt(spans, p.start)!.id;
      byVersion.set(v, [...(byVersion.get(v) ?? []), p]);
    }
    const out: (RawValueRow & { dx: string })[] = [];
    for (const [version, ps] of byVersion) {
      const units = await this.resolveUnits(actor, q.ou, version);
      // One element at a time: an item may name one option (ELEMENT.OPTION).
      for (const { item, el } of elements) {
        const option = item.kind === 'element' ? item.ref.option : undefined;
        const rows = await this.store.repos.analytics.rawValues({
          elementIds: [el.id],
          unitIds: units.map((u) => u.id),
          ranges: ps.map((p) => ({ start: p.start, end: p.end })),
          optionIds: option ? [meta.options.get(option)?.id ?? -1] : undefined,
          limit: RAW_LIMIT + 1 - out.length,
        });
        for (const r of rows) out.push({ ...r, dx: item.id });
        if (out.length > RAW_LIMIT) throw rawTooLarge();
      }
    }
    return { rows: out, items, periods, meta };
  }

  private async compute(actor: Actor, q: AnalyticsQuery, opts: { changes?: boolean }) {
    if (q.dx.length === 0 || q.pe.length === 0) {
      throw new AppError('validation_failed', {
        vi: 'Cần ít nhất một chỉ tiêu (dx) và một kỳ (pe)',
        en: 'At least one data item (dx) and one period (pe) are needed',
      });
    }
    const today = this.hierarchy.today();
    const asked = parsePeriodList(q.pe.join(';'), today);
    // A period filter's periods are read as one period made of their date ranges.
    const members = new Map<string, Period[]>();
    let periods = asked;
    if (q.filters?.includes('pe') && asked.length > 1) {
      const combined = combinePeriods(asked);
      members.set(combined.id, asked);
      periods = [combined];
    }
    const rangesOf = (p: Period) => members.get(p.id) ?? [p];
    const spans = await this.hierarchy.versionDates();
    if (q.version) await this.hierarchy.resolveVersion(q.version);
    const versionOf = (p: Period) => {
      if (q.version) return q.version;
      // A filter whose periods fall in several trees is answered on the newest of them: the
      // older periods' values are carried to it (issue 16).
      const starts = rangesOf(p).map((m) => m.start);
      return versionAt(
        spans,
        starts.reduce((a, b) => (a > b ? a : b)),
      )!.id;
    };

    const meta = await this.metadata();
    const dxItems = q.dx.map((d) => this.resolveDx(d, meta));
    // With `co`, an element's item is read once per option of its breakdown.
    const rows: { item: DxItem; co?: string }[] = q.co
      ? dxItems.flatMap((item) => this.byOption(item, meta))
      : dxItems.map((item) => ({ item }));
    const optionsOf = this.breakdownFilter(q.breakdowns ?? [], meta);

    // Units per version: the same code names different places in different trees.
    const unitsByVersion = new Map<string, UnitRef[]>();
    for (const v of new Set(periods.map(versionOf))) {
      const units = await this.resolveUnits(actor, q.ou, v);
      unitsByVersion.set(
        v,
        q.filters?.includes('ou') && units.length > 1 ? [combineUnits(units, v)] : units,
      );
    }

    // The formulas asked for, with their items by code, and what they read: elements totalled
    // per unit (`reads`), elements per unit holding values for subExpression (`ownReads`), and
    // data sets' reports (`rates`); each with the period modifiers it is read with.
    const dataSets = meta.indicators.some((i) => i.formula.includes('R{'))
      ? await this.dataSets()
      : new Map<string, DataSetMeta>();
    const plan = new Formulas(meta, dataSets, dependencyOrder(meta.indicators));
    const reads = new Map<string, Reading<ElementRef>>();
    const ownReads = new Map<string, Reading<ElementRef>>();
    const rates = new Map<string, Reading<RateRef>>();
    const visited = new Set<string>();
    const visit = (code: string, mods: Modifiers) => {
      const key = `${code}|${modsKey(mods)}`;
      if (visited.has(key)) return;
      visited.add(key);
      for (const ref of itemsOf(plan.expr(code, mods), { intoSubExpressions: false })) {
        if (ref.kind === 'element') addReading(reads, ref);
        else if (ref.kind === 'reportingRate') addReading(rates, ref, ref.dataSet);
        else if (ref.kind === 'indicator') visit(ref.code, modifiersOf(ref));
        else if (ref.kind === 'subExpression')
          for (const inner of itemsOf(ref.expr))
            if (inner.kind === 'element') addReading(ownReads, inner);
      }
    };
    for (const { item } of rows) {
      if (item.kind === 'element') addReading(reads, item.ref);
      else visit(item.code, {});
    }

    // The periods cells are computed for: those asked for, and with changes the ones they
    // compare with. An item with period modifiers reads another period for each (`readOf`).
    const compare = (p: Period) =>
      opts.changes && !members.has(p.id) ? [samePeriodLastYear(p), previousPeriod(p)] : [];
    const reading = new Map<string, Read>();
    const readOf = (p: Period, pm: PeriodModifiers): Read => {
      const key = `${p.id}|${modsKey(pm)}`;
      let r = reading.get(key);
      if (!r) {
        r = readPeriod(p, rangesOf(p), members.has(p.id), pm);
        reading.set(key, r);
      }
      return r;
    };
    const values = new Map<string, number | null>(); // `${readKey}|${readPid}|${version}|${unitCode}`
    // Reads that hold values carried from other trees (the same key), and while a cell's value
    // is computed, the marks of the reads it is made of.
    const marks = new Map<string, ReadMark>();
    let seen: ReadMark[] | undefined;
    const ownValues = new Map<string, Map<number, number>>(); // the same key: value per holder
    const reports = new Map<string, Reports>(); // `${dataSetCode}|${readPid}|${version}|${unitCode}`
    const ruleOf = (el: ElementMeta, ref: ElementRef) =>
      ref.aggregationType
        ? RULES[ref.aggregationType]
        : q.aggregationType && q.aggregationType !== 'DEFAULT'
          ? RULES[q.aggregationType]
          : { time: el.aggTime, units: el.aggUnits };
    const requestOf = (ref: ElementRef, units: UnitRef[], read: Read[], version: string) => {
      const el = meta.elements.get(ref.element)!;
      const optionIds = optionsOf(
        el,
        ref.option && ref.option !== '*' ? [meta.options.get(ref.option)!.id] : undefined,
      );
      const rule = ruleOf(el, ref);
      return {
        rule,
        // Filtered on a breakdown it does not have: nothing to read.
        request:
          optionIds?.length === 0
            ? undefined
            : {
                elementId: el.id,
                optionIds,
                attributeIds: ref.attribute ? [meta.attributes.get(ref.attribute)!.id] : undefined,
                units: units.map((u, key) => ({ key, ids: (u.members ?? [u]).map((m) => m.id) })),
                periods: read.flatMap((r) =>
                  r.ranges.map((m) => ({ pid: r.pid, start: m.start, end: m.end })),
                ),
                stock: rule.time === 'last',
                carryTo: version,
              },
      };
    };
    const readsFor = <R extends ItemRef>(reading: Reading<R>, base: Period[]) => {
      const out = new Map<string, Read>();
      for (const p of base)
        for (const pm of reading.mods.values()) {
          const r = readOf(p, pm);
          out.set(r.pid, r);
        }
      return [...out.values()];
    };
    for (const [version, units] of unitsByVersion) {
      const asked = periods.filter((p) => versionOf(p) === version);
      if (asked.length === 0 || units.length === 0) continue;
      const base = new Map<string, Period>();
      for (const p of asked) for (const x of [p, ...compare(p)]) base.set(x.id, x);
      const basePeriods = [...base.values()];
      for (const [key, r] of reads) {
        const { rule, request } = requestOf(r.ref, units, readsFor(r, basePeriods), version);
        if (!request) continue;
        if (rule.time === 'min' || rule.time === 'max') {
          for (const x of await this.store.repos.analytics.extremes(request))
            values.set(`${key}|${x.pid}|${version}|${units[x.unit_id]!.code}`, x[rule.time]);
          continue;
        }
        for (const x of await this.store.repos.analytics.aggregate(request)) {
          const k = `${key}|${x.pid}|${version}|${units[x.unit_id]!.code}`;
          values.set(k, ruled(rule, x));
          if (x.carried_from)
            marks.set(k, {
              from: [...new Set(x.carried_from.split(','))],
              carried: x.carried,
              estimated: x.estimated,
              total: x.total,
            });
        }
      }
      for (const [key, r] of ownReads) {
        const { rule, request } = requestOf(r.ref, units, readsFor(r, basePeriods), version);
        if (!request) continue;
        for (const x of await this.store.repos.analytics.ownTotals(request)) {
          const v = rule.time === 'min' || rule.time === 'max' ? x[rule.time] : ruled(rule, x);
          if (v === null) continue;
          const k = `${key}|${x.pid}|${version}|${units[x.unit_id]!.code}`;
          const byHolder = ownValues.get(k) ?? new Map<number, number>();
          byHolder.set(x.holder_id, v);
          ownValues.set(k, byHolder);
        }
      }
      for (const [code, r] of rates) {
        const ds = dataSets.get(code)!;
        if (ds.version !== version) throw reportsInOtherTree(r.ref, ds, version);
        const requested: ReportingRequest['periods'] = [];
        const count = new Map<string, number>();
        for (const read of readsFor(r, basePeriods)) {
          const within = new Map<string, Period>();
          for (const range of read.ranges)
            for (const d of periodsWithin({ type: 'range', id: '', ...range }, ds.periodType))
              within.set(d.id, d);
          if (within.size === 0) throw periodShorterThanDataSet(r.ref, ds, read);
          count.set(read.pid, within.size);
          for (const d of within.values())
            requested.push({
              pid: read.pid,
              dsPid: d.id,
              dueBefore: `${addDays(d.end, ds.dueDays + 1)}T00:00:00+07:00`,
            });
        }
        const counted = await this.store.repos.analytics.reportingCounts({
          dataSetId: ds.id,
          elementIds: ds.elementIds,
          version: ds.version,
          level: ds.level,
          assigned: ds.assigned,
          units: units.map((u, key) => ({ key, ids: (u.members ?? [u]).map((m) => m.id) })),
          periods: requested,
        });
        const got = new Map(counted.rows.map((x) => [`${x.pid}|${x.unit_id}`, x]));
        for (const [pid, periodsOfSet] of count)
          units.forEach((u, i) => {
            const x = got.get(`${pid}|${i}`);
            reports.set(`${code}|${pid}|${version}|${u.code}`, {
              units: counted.units.get(i) ?? 0,
              periods: periodsOfSet,
              actual: x?.actual ?? 0,
              onTime: x?.on_time ?? 0,
            });
          });
      }
    }

    /** Where an element item's value for a cell is kept (in `values`, or `ownValues`). */
    const cellKey = (ref: ElementRef, p: Period, version: string, code: string) => {
      const { key, pm } = readingKey(ref);
      return `${key}|${readOf(p, pm).pid}|${version}|${code}`;
    };
    // An item's value for a cell (period p, unit `code` of `version`).
    const subValues = new Map<string, number | null>();
    const lookupAt = (ref: ItemRef, p: Period, version: string, code: string): number | null => {
      switch (ref.kind) {
        case 'element': {
          const k = cellKey(ref, p, version, code);
          const m = marks.get(k);
          if (m) seen?.push(m);
          return values.get(k) ?? null;
        }
        case 'days':
          return daysIn(readOf(p, ref).ranges);
        case 'reportingRate': {
          const rep = reports.get(`${ref.dataSet}|${readOf(p, ref).pid}|${version}|${code}`);
          return rep ? reportingValue(ref.metric, rep) : null;
        }
        case 'subExpression': {
          const k = `${itemKey(ref)}|${p.id}|${version}|${code}`;
          if (!subValues.has(k)) subValues.set(k, subValue(ref, p, version, code));
          return subValues.get(k)!;
        }
        case 'indicator':
        case 'constant':
          return null; // indicators are evaluated by evalIndicator; constants are refused
      }
    };
    /** subExpression: evaluated at each unit holding values, the results (those with one)
     *  totalled by its aggregation type (SUM unless given). */
    const subValue = (
      ref: Extract<ItemRef, { kind: 'subExpression' }>,
      p: Period,
      version: string,
      code: string,
    ): number | null => {
      const holders = new Set<number>();
      for (const inner of itemsOf(ref.expr))
        if (inner.kind === 'element')
          for (const h of ownValues.get(cellKey(inner, p, version, code))?.keys() ?? [])
            holders.add(h);
      const results: number[] = [];
      for (const holder of holders) {
        const v = evaluate(ref.expr, (inner) => {
          if (inner.kind === 'element')
            return ownValues.get(cellKey(inner, p, version, code))?.get(holder) ?? null;
          return inner.kind === 'days' ? daysIn(readOf(p, inner).ranges) : null;
        });
        if (v !== null) results.push(v);
      }
      return totalOf(results, ref.aggregationType ?? 'SUM');
    };
    const valueOf = (item: DxItem, p: Period, version: string, code: string): number | null => {
      if (item.kind === 'element') {
        const k = `${itemKey(item.ref)}|${p.id}|${version}|${code}`;
        const m = marks.get(k);
        if (m) seen?.push(m);
        return values.get(k) ?? null;
      }
      return this.evalIndicator(plan, item.code, {}, (ref) => lookupAt(ref, p, version, code));
    };

    // Asked units that may miss values of a stored tree placed only above them (a commune gone
    // between 2022 and 2025-03 lies `within` its province): their carried cells say so.
    const gaps = new Set(
      marks.size === 0
        ? []
        : (
            await this.store.repos.carry.gapOf(
              [...unitsByVersion.values()]
                .flat()
                .flatMap((u) => (u.members ?? [u]).map((m) => m.id)),
            )
          ).map((g) => `${g.askedId}|${g.storedVersion}`),
    );
    const cells: Cell[] = [];
    for (const { item, co } of rows) {
      const targets = opts.changes
        ? await this.store.repos.analytics.targets(
            item.kind === 'element' ? 'element' : 'indicator',
            item.code,
          )
        : [];
      const reported = new Map<string, { yoy: number | null; prev: number | null }>();
      if (opts.changes && item.kind === 'element') {
        const el = meta.elements.get(item.ref.element)!;
        // A filter's units have no printed change of their own.
        const allUnits = [...unitsByVersion.values()].flat().filter((u) => !u.members);
        const { option, attribute } = item.ref;
        for (const r of await this.store.repos.analytics.reportedChanges(
          el.id,
          allUnits.map((u) => u.id),
          periods.map((p) => p.id),
          {
            optionIds: option && option !== '*' ? [meta.options.get(option)?.id ?? -1] : undefined,
            attributeIds: attribute ? [meta.attributes.get(attribute)?.id ?? -1] : undefined,
            // What was printed of the total (no option) or of the option asked, where the values
            // carry no change (printed_figure, issue 18); of an attribute option, nothing.
            printed:
              option === '*' || attribute
                ? undefined
                : { optionId: option ? (meta.options.get(option)?.id ?? -1) : null },
          },
        )) {
          const u = allUnits.find((x) => x.id === r.unit_id)!;
          reported.set(`${r.pid}|${u.version}|${u.code}`, { yoy: r.yoy, prev: r.prev });
        }
      }
      for (const p of periods) {
        const version = versionOf(p);
        const group: Cell[] = [];
        for (const u of unitsByVersion.get(version) ?? []) {
          seen = [];
          const value = valueOf(item, p, version, u.code);
          const cell: Cell = { dx: item.id, pe: p.id, ou: u.code, version, value };
          const carried = carriedMark(seen);
          seen = undefined;
          if (carried && value !== null) {
            const ids = (u.members ?? [u]).map((m) => m.id);
            if (carried.from.some((s) => ids.some((id) => gaps.has(`${id}|${s}`))))
              carried.gap = true;
            cell.carried = carried;
          }
          if (co !== undefined) cell.co = co;
          if (opts.changes) {
            const rep = reported.get(`${p.id}|${version}|${u.code}`);
            cell.yoy = this.change(
              value,
              item,
              samePeriodLastYear(p),
              version,
              u,
              valueOf,
              rep?.yoy ?? null,
            );
            cell.pop = this.change(
              value,
              item,
              previousPeriod(p),
              version,
              u,
              valueOf,
              rep?.prev ?? null,
            );
            const t = targets.find(
              (x) => x.unit_version === version && x.unit_code === u.code && x.due >= p.end,
            );
            if (t)
              cell.target = {
                value: t.value,
                due: t.due,
                share: value === null || t.value === 0 ? null : (value / t.value) * 100,
              };
          }
          group.push(cell);
        }
        if (opts.changes) {
          const ranked = group.filter((c) => c.value !== null).sort((a, b) => b.value! - a.value!);
          ranked.forEach((c, i) => (c.rank = i + 1));
        }
        cells.push(...group);
      }
    }
    await this.markFlags(cells, dxItems, meta, periods, unitsByVersion);
    return { cells, periods, asked, units: unitsByVersion, meta, dxItems };
  }

  /**
   * Marks each cell made of values a stored validation result concerns (issue 17): a rule
   * reading the cell's element (or an element of its indicator), broken at the cell's unit or
   * under it, in a period overlapping the cell's.
   */
  private async markFlags(
    cells: Cell[],
    dxItems: DxItem[],
    meta: Meta,
    periods: Period[],
    unitsByVersion: Map<string, UnitRef[]>,
  ): Promise<void> {
    const units = [...unitsByVersion.values()].flat().flatMap((u) => u.members ?? [u]);
    const results = await this.store.repos.validation.resultsUnder(units.map((u) => u.id));
    // Values outside their min–max range (flagged as they arrived) mark the figures too.
    const outliers = await this.store.repos.valueOutliers.openUnder(units.map((u) => u.id));
    if (results.length === 0 && outliers.length === 0) return;
    const elementsOf = new Map<string, Set<string>>();
    const keysOf = (formula: string) =>
      itemsOf(parseExpression(formula)).flatMap((r) => (r.kind === 'element' ? [r.element] : []));
    for (const item of dxItems) {
      const ind =
        item.kind === 'indicator' ? meta.indicators.find((i) => i.code === item.code) : undefined;
      const keys = item.kind === 'element' ? [item.code] : ind ? keysOf(ind.formula) : [];
      const codes = new Set<string>();
      for (const k of keys) {
        const el = meta.elements.get(k);
        codes.add(k);
        if (el) {
          codes.add(el.code);
          if (el.uid) codes.add(el.uid);
        }
      }
      elementsOf.set(item.id, codes);
    }
    const ruleElements = new Map<string, string[]>();
    const spans = new Map<string, { start: string; end: string } | null>();
    const spanOf = (pid: string) => {
      if (!spans.has(pid)) {
        try {
          spans.set(pid, parsePeriod(pid));
        } catch {
          spans.set(pid, null);
        }
      }
      return spans.get(pid) ?? null;
    };
    const periodById = new Map(periods.map((p) => [p.id, p]));
    const unitOf = new Map<string, UnitRef[]>();
    for (const [v, us] of unitsByVersion)
      for (const u of us) unitOf.set(`${v}|${u.code}`, u.members ?? [u]);
    for (const cell of cells) {
      const wanted = elementsOf.get(cell.dx);
      const p = periodById.get(cell.pe);
      const at = unitOf.get(`${cell.version}|${cell.ou}`);
      if (!wanted?.size || !p || !at) continue;
      const flags = [];
      for (const r of results) {
        if (r.version !== cell.version || !at.some((u) => r.path.startsWith(u.path))) continue;
        const span = spanOf(r.period);
        if (!span || span.start > p.end || span.end < p.start) continue;
        let keys = ruleElements.get(r.rule);
        if (!keys) {
          keys = [...keysOf(r.left_expression), ...keysOf(r.right_expression)];
          ruleElements.set(r.rule, keys);
        }
        if (!keys.some((k) => wanted.has(k))) continue;
        flags.push({
          rule: r.rule,
          nameVi: r.name_vi,
          nameEn: r.name_en,
          instructionVi: r.instruction_vi,
          instructionEn: r.instruction_en,
          importance: r.importance,
          unit: r.unit,
          period: r.period,
          left: r.left_value,
          right: r.right_value,
        });
        if (flags.length === 5) break;
      }
      for (const o of outliers) {
        if (flags.length === 5) break;
        if (!wanted.has(o.element)) continue;
        if (o.version !== cell.version || !at.some((u) => o.path.startsWith(u.path))) continue;
        const span = spanOf(o.period);
        if (!span || span.start > p.end || span.end < p.start) continue;
        flags.push({
          ...outlierFlag(o),
          instructionVi: 'Xác nhận giá trị đúng hoặc sửa lại (màn hình Chất lượng số liệu)',
          instructionEn: 'Confirm the value or correct it (Data quality screen)',
          unit: o.unit,
        });
      }
      if (flags.length) cell.flags = flags;
    }
  }

  /**
   * A change against an earlier period: computed when both values are in the system, on the
   * same tree (values stored on the earlier period's tree are carried to this one along the carry
   * map, issue 16); otherwise as the source reported it, marked so.
   */
  private change(
    value: number | null,
    item: DxItem,
    earlier: Period,
    version: string,
    unit: UnitRef,
    valueOf: (item: DxItem, p: Period, version: string, code: string) => number | null,
    reported: number | null,
  ): Change | undefined {
    const previous = valueOf(item, earlier, version, unit.code);
    if (value !== null && previous !== null)
      return { pct: pct(value, previous), previous, source: 'computed', period: earlier.id };
    if (reported !== null)
      return { pct: reported, previous: null, source: 'reported', period: earlier.id };
    return undefined;
  }

  /** An indicator's value for a cell: its formula read with `mods` (those of N{…}.mods), the
   *  indicators it names evaluated in turn, the other items given by `lookup`. */
  private evalIndicator(
    plan: Formulas,
    code: string,
    mods: Modifiers,
    lookup: (ref: ItemRef) => number | null,
    depth = 0,
  ): number | null {
    if (depth > 50) return null; // unreachable: dependencyOrder refuses cycles
    return evaluate(plan.expr(code, mods), (ref) =>
      ref.kind === 'indicator'
        ? this.evalIndicator(plan, ref.code, modifiersOf(ref), lookup, depth + 1)
        : lookup(ref),
    );
  }

  /**
   * The options of an element a query reads, under its breakdown filters: those asked for
   * (`own`: an ELEMENT.OPTION item) kept if the filter has them, else the filter's; none (an
   * empty list) for an element whose breakdown is not filtered while another is; undefined:
   * every option.
   */
  private breakdownFilter(
    filters: { breakdown: string; options: string[] }[],
    meta: Awaited<ReturnType<AnalyticsService['metadata']>>,
  ): (el: ElementMeta, own: number[] | undefined) => number[] | undefined {
    if (filters.length === 0) return (_, own) => own;
    const byBreakdown = new Map<number, Set<number>>();
    for (const f of filters) {
      const b = meta.breakdowns.get(f.breakdown);
      if (!b) throw unknownDimension(f.breakdown);
      const ids = new Set<number>();
      for (const o of f.options) {
        const opt = meta.options.get(o);
        if (!opt || opt.breakdown_id !== b.id) throw unknownOption(o, f.breakdown);
        ids.add(opt.id);
      }
      // Two filters on one breakdown: the options both keep.
      const before = byBreakdown.get(b.id);
      byBreakdown.set(b.id, before ? new Set([...before].filter((x) => ids.has(x))) : ids);
    }
    return (el, own) => {
      const only = byBreakdown.get(el.breakdownId);
      if (!only || byBreakdown.size > 1) return [];
      return own ? own.filter((id) => only.has(id)) : [...only];
    };
  }

  /** An item read per option of its element's breakdown (`co` as a dimension). */
  private byOption(
    item: DxItem,
    meta: Awaited<ReturnType<AnalyticsService['metadata']>>,
  ): { item: DxItem; co?: string }[] {
    if (item.kind !== 'element') {
      throw new AppError(
        'validation_failed',
        {
          vi: `Chiều co (phân tổ) chỉ dùng được với chỉ tiêu, không với chỉ số "${item.id}"`,
          en: `The co dimension applies to data elements only, not to indicator "${item.id}"`,
        },
        { dx: item.id },
      );
    }
    if (item.ref.option) return [{ item, co: item.ref.option }];
    const el = meta.elements.get(item.ref.element)!;
    return meta.optionList
      .filter((o) => o.breakdown_id === el.breakdownId)
      .map((o) => ({ item: { ...item, ref: { ...item.ref, option: o.code } }, co: o.code }));
  }

  private resolveDx(d: string, meta: Awaited<ReturnType<AnalyticsService['metadata']>>): DxItem {
    const [first, option] = d.split('.');
    const el = meta.elements.get(first!);
    if (el) {
      const opt = option === undefined ? undefined : meta.options.get(option);
      if (option !== undefined && !opt) throw unknownDx(d);
      const ref: ItemRef & { kind: 'element' } = opt
        ? { kind: 'element', element: el.code, option: opt.code }
        : { kind: 'element', element: el.code };
      return {
        kind: 'element',
        id: d,
        code: el.code,
        ref,
        nameVi: opt ? `${el.nameVi} — ${opt.name_vi}` : el.nameVi,
        nameEn: opt ? `${el.nameEn} — ${opt.name_en}` : el.nameEn,
        unit: el.unit,
        uid: el.uid && (!opt || opt.uid) ? (opt ? `${el.uid}.${opt.uid}` : el.uid) : null,
      };
    }
    const ind = meta.indicators.find((i) => i.code === d || i.uid === d);
    if (ind && !option)
      return {
        kind: 'indicator',
        id: d,
        code: ind.code,
        nameVi: ind.name_vi,
        nameEn: ind.name_en,
        unit: ind.unit,
        uid: ind.uid,
      };
    throw unknownDx(d);
  }

  /** The units an `ou` dimension names, in one version, all within the caller's scope. */
  async resolveUnits(actor: Actor, ou: string[], version: string): Promise<UnitRef[]> {
    const { byKey: units, all } = await this.hierarchy.unitMap(version);
    const ref = (u: Omit<UnitRef, 'version'>): UnitRef => ({
      ...u,
      version,
    });
    const scopeRoot =
      isRootScope(actor.scope) || actor.scope.version !== version
        ? units.get(ROOT_CODE)
        : units.get(actor.scope.code);
    const explicit: UnitRef[] = [];
    const levels: number[] = [];
    const out = new Map<string, UnitRef>();
    for (const item of ou.length ? ou : ['USER_ORGUNIT']) {
      const up = item.toUpperCase();
      if (up.startsWith('LEVEL-')) levels.push(Number(item.slice(6)) - 1);
      else if (up === 'USER_ORGUNIT') {
        if (scopeRoot) out.set(scopeRoot.code, ref(scopeRoot));
      } else if (up === 'USER_ORGUNIT_CHILDREN' || up === 'CHILDREN') {
        const parents = up === 'CHILDREN' ? explicit : scopeRoot ? [ref(scopeRoot)] : [];
        for (const p of parents)
          for (const u of all)
            if (u.path.startsWith(p.path) && u.level === p.level + 1) out.set(u.code, ref(u));
      } else if (up.startsWith('OU_GROUP-')) {
        const group = await this.store.repos.groups.byCode(version, item.slice(9));
        if (!group) continue; // a group belongs to one tree; other trees have no members
        const members = await this.store.repos.groups.members(group.id, 100_000, 0);
        for (const m of members) out.set(m.code, ref(units.get(m.code)!));
      } else {
        const u = units.get(item);
        if (!u) throw errors.unknownUnit(item, version);
        if (!inScope(actor.scope, { version, path: u.path }))
          throw errors.outOfScope(item, version);
        explicit.push(ref(u));
        out.set(u.code, ref(u));
      }
    }
    if (levels.length) {
      // LEVEL-n with units: that level under them (DHIS2's boundary); alone: under the scope.
      const bounds = explicit.length ? explicit : scopeRoot ? [ref(scopeRoot)] : [];
      for (const b of explicit) out.delete(b.code);
      for (const lvl of levels) {
        if (Number.isNaN(lvl))
          throw new AppError('validation_failed', {
            vi: 'LEVEL-n không hợp lệ',
            en: 'Invalid LEVEL-n',
          });
        for (const u of all)
          if (u.level === lvl && bounds.some((b) => u.path.startsWith(b.path)))
            out.set(u.code, ref(u));
      }
    }
    return [...out.values()].filter((u) => inScope(actor.scope, { version, path: u.path }));
  }

  /** Data sets by code and uid, for R{…}: who is expected to report, when, which elements. */
  private async dataSets(): Promise<Map<string, DataSetMeta>> {
    const { sets, members, assigned } = await this.store.repos.analytics.dataSets();
    const withUnits = new Set(assigned.map((a) => a.data_set_id));
    const out = new Map<string, DataSetMeta>();
    for (const d of sets) {
      const ds: DataSetMeta = {
        id: d.id,
        code: d.code,
        version: d.version,
        level: d.level,
        periodType: d.period_type as FixedPeriodType,
        dueDays: d.due_days,
        assigned: withUnits.has(d.id),
        elementIds: members.filter((m) => m.data_set_id === d.id).map((m) => m.element_id),
      };
      out.set(d.code, ds);
      if (d.uid) out.set(d.uid, ds);
    }
    return out;
  }

  private async metadata() {
    const { elements, options, attributes, indicators, breakdowns } =
      await this.store.repos.analytics.catalogue();
    const byCodeAndUid = <T extends { code: string; uid: string | null }>(rows: T[]) =>
      new Map(
        rows.flatMap(
          (r) =>
            (r.uid
              ? [
                  [r.code, r],
                  [r.uid, r],
                ]
              : [[r.code, r]]) as [string, T][],
        ),
      );
    const els: ElementMeta[] = elements.map((e) => ({
      id: e.id,
      code: e.code,
      uid: e.uid,
      nameVi: e.name_vi,
      nameEn: e.name_en,
      aggTime: e.agg_time,
      aggUnits: e.agg_units,
      breakdownId: e.breakdown_id,
      unit: e.unit,
    }));
    return {
      elements: byCodeAndUid(els),
      options: byCodeAndUid(options),
      attributes: byCodeAndUid(attributes),
      indicators,
      breakdowns: byCodeAndUid(breakdowns),
      optionList: options,
    };
  }
}

type ElementRef = Extract<ItemRef, { kind: 'element' }>;
type RateRef = Extract<ItemRef, { kind: 'reportingRate' }>;

/** An item read at some periods: the item without its period modifiers, and each set of
 *  period modifiers it is read with (by `modsKey`). */
interface Reading<R extends ItemRef> {
  ref: R;
  mods: Map<string, PeriodModifiers>;
}

/** What is read for a cell's period: its key among the reads, and its date ranges. */
interface Read {
  pid: string;
  ranges: { start: string; end: string }[];
}

/** A data set's reports under a unit for a period. */
interface Reports {
  /** Units expected to report. */
  units: number;
  /** The data set's periods within the period. */
  periods: number;
  actual: number;
  onTime: number;
}

interface DataSetMeta {
  id: number;
  code: string;
  version: string;
  level: number;
  periodType: FixedPeriodType;
  dueDays: number;
  assigned: boolean;
  elementIds: number[];
}

type Meta = Awaited<ReturnType<AnalyticsService['metadata']>>;

/** A stable text for a set of modifiers. */
function modsKey(m: Modifiers): string {
  return `${m.periodOffset ?? 0}|${m.yearToDate ? 1 : 0}|${m.aggregationType ?? ''}`;
}

function periodModifiers(ref: ItemRef): PeriodModifiers {
  const m: PeriodModifiers = {};
  const all = modifiersOf(ref);
  if (all.periodOffset !== undefined) m.periodOffset = all.periodOffset;
  if (all.yearToDate) m.yearToDate = true;
  return m;
}

const keys = new WeakMap<ItemRef, { key: string; pm: PeriodModifiers }>();
/** What an item reads (its key without period modifiers) and the period modifiers it reads
 *  with. */
function readingKey(ref: ItemRef): { key: string; pm: PeriodModifiers } {
  let k = keys.get(ref);
  if (!k) {
    k = { key: itemKey(withoutPeriodModifiers(ref)), pm: periodModifiers(ref) };
    keys.set(ref, k);
  }
  return k;
}

/** Adds an item to what is read, under its key (or `key`: a data set's reports are read
 *  once for every metric). */
function addReading<R extends ItemRef>(into: Map<string, Reading<R>>, ref: R, key?: string): void {
  const k = readingKey(ref);
  const pm = k.pm;
  key ??= k.key;
  let r = into.get(key);
  if (!r) {
    r = { ref: withoutPeriodModifiers(ref), mods: new Map() };
    into.set(key, r);
  }
  r.mods.set(modsKey(pm), pm);
}

/** The period n periods away, of the same type (a range: the range of the same length). */
function shiftPeriod(p: Period, n: number): Period {
  let q = p;
  for (let i = 0; i < Math.abs(n); i++) q = n < 0 ? previousPeriod(q) : nextPeriod(q);
  return q;
}

/** DHIS2's reporting year of a period: its start's, except that a week or bi-week starting on
 *  29 December or later is the first of the next year. */
function reportingYear(p: Period): number {
  const y = Number(p.start.slice(0, 4));
  const weekly = p.type.startsWith('week') || p.type === 'biweek';
  return weekly && p.start.slice(5) >= '12-29' ? y + 1 : y;
}

/** Where a year-to-date reading of p starts: at the first period of p's type in p's reporting
 *  year (1 January for days, months, quarters…; week 1 for weeks), or for a range at 1 January
 *  of its start's year. */
function yearToDateStart(p: Period): string {
  if (p.type === 'range' || p.type === 'day') return `${p.start.slice(0, 4)}-01-01`;
  const year = reportingYear(p);
  let first = p;
  for (let q = previousPeriod(p); reportingYear(q) === year; q = previousPeriod(q)) first = q;
  return first.start;
}

/**
 * What a cell's period p (made of `parts`: itself, or a filter's periods) reads with period
 * modifiers: each part `periodOffset` periods away, then from its year's start when
 * `yearToDate`. The key is the period's own id when nothing changes, the shifted period's id
 * for an offset (so that a stored value of exactly that period is the one read), and an id
 * no stored period has for a year-to-date reading (which gathers the periods within it).
 */
function readPeriod(p: Period, parts: Period[], combined: boolean, pm: PeriodModifiers): Read {
  if (!pm.periodOffset && !pm.yearToDate) return { pid: p.id, ranges: parts };
  const shifted = pm.periodOffset ? parts.map((x) => shiftPeriod(x, pm.periodOffset!)) : parts;
  const id = !pm.periodOffset
    ? p.id
    : combined
      ? shifted.map((x) => x.id).join(';')
      : shifted[0]!.id;
  if (!pm.yearToDate) return { pid: id, ranges: shifted };
  return {
    pid: `${id}~ytd`,
    ranges: shifted.map((x) => ({ start: yearToDateStart(x), end: x.end })),
  };
}

/** Days covered by date ranges (overlaps counted once). */
function daysIn(ranges: { start: string; end: string }[]): number {
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const sorted = ranges.map((r) => [day(r.start), day(r.end)] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let upTo = -Infinity;
  for (const [s, e] of sorted) {
    const from = Math.max(s, upTo + 1);
    if (e >= from) total += e - from + 1;
    upTo = Math.max(upTo, e);
  }
  return total;
}

/** A value from a row of totals under the rule over time (and across units, for averages). */
/** What a read (an element at a unit and period) holds of values carried from other trees. */
interface ReadMark {
  from: string[];
  carried: number;
  estimated: number;
  total: number;
}

/**
 * The flagged cells of an answer, with their reasons (analytics' metaData, issue 17): made from
 * what `markFlags` put on the cells, no other read. Cells as the answer names them internally
 * (codes, period ids); the route names them as its rows do.
 */
export function flaggedCells(cells: readonly Cell[]): AnalyticsFlaggedCell[] {
  const out: AnalyticsFlaggedCell[] = [];
  for (const c of cells) {
    if (!c.flags?.length) continue;
    out.push({
      dx: c.dx,
      pe: c.pe,
      ou: c.ou,
      ...(c.co !== undefined ? { co: c.co } : {}),
      reasons: c.flags.map((f) => ({
        kind: f.kind ?? ('validation' as const),
        rule: f.rule,
        importance: f.importance,
        nameVi: f.nameVi,
        nameEn: f.nameEn,
        left: f.left,
        right: f.right,
        unit: f.unit,
        period: f.period,
        ...(f.min !== undefined ? { min: f.min } : {}),
        ...(f.max !== undefined ? { max: f.max } : {}),
      })),
    });
  }
  return out;
}

/** A cell's carry mark from the marks of the reads its value is made of (none: not carried). */
function carriedMark(ms: ReadMark[]): Cell['carried'] {
  if (ms.length === 0) return undefined;
  const from = [...new Set(ms.flatMap((m) => m.from))].sort();
  const total = ms.reduce((s, m) => s + Math.abs(m.total), 0);
  const estimated = ms.reduce((s, m) => s + Math.abs(m.estimated), 0);
  return {
    from,
    exact: estimated === 0,
    estimatedShare: total === 0 ? 0 : Math.round((estimated / total) * 1e4) / 1e4,
  };
}

/** An aggregate row's value by the element's rules over time and across units. */
export function ruled(
  rule: { time: string; units: string },
  r: Pick<AggregateRow, 'total' | 'last' | 'periods' | 'n'>,
): number {
  let v =
    rule.time === 'last'
      ? r.last
      : rule.time === 'average'
        ? r.total / r.periods
        : rule.time === 'count'
          ? r.n
          : r.total;
  if (rule.units === 'average' && rule.time !== 'count' && r.n > 0) v = v / (r.n / r.periods);
  return v;
}

/** subExpression's results at the units holding values, totalled as DHIS2 totals them across
 *  units for that aggregation type (COUNT: how many units have a result). */
function totalOf(results: number[], type: ItemAggregationType): number | null {
  if (results.length === 0) return null;
  if (type === 'COUNT') return results.length;
  const across = RULES[type].units;
  if (across === 'min') return Math.min(...results);
  if (across === 'max') return Math.max(...results);
  const sum = results.reduce((a, b) => a + b, 0);
  return across === 'average' ? sum / results.length : sum;
}

function reportingValue(metric: ReportingMetric, r: Reports): number | null {
  const expected = r.units * r.periods;
  switch (metric) {
    case 'EXPECTED_REPORTS':
      return expected;
    case 'ACTUAL_REPORTS':
      return r.actual;
    case 'ACTUAL_REPORTS_ON_TIME':
      return r.onTime;
    case 'REPORTING_RATE':
      return expected === 0 ? null : (r.actual / expected) * 100;
    case 'REPORTING_RATE_ON_TIME':
      return expected === 0 ? null : (r.onTime / expected) * 100;
  }
}

/**
 * The indicators' formulas as analytics reads them: items by code (a formula may name them by
 * DHIS2 uid), `N{…}` by the indicator's code, read with the modifiers of the `N{…}` that names
 * them. Refuses a formula naming something unknown, and constants (Opsroom has none), clearly.
 */
class Formulas {
  private readonly byKey = new Map<string, OrderedIndicator<Meta['indicators'][number]>>();
  private readonly exprs = new Map<string, Expr>();

  constructor(
    private readonly meta: Meta,
    private readonly dataSets: Map<string, DataSetMeta>,
    order: OrderedIndicator<Meta['indicators'][number]>[],
  ) {
    for (const i of order) {
      this.byKey.set(i.code, i);
      if (i.indicator.uid) this.byKey.set(i.indicator.uid, i);
    }
  }

  /** Indicator `code`'s formula, items by code, read with `mods` (those of an `N{…}`). */
  expr(code: string, mods: Modifiers): Expr {
    const plain = `${code}|${modsKey({})}`;
    let own = this.exprs.get(plain);
    if (own === undefined) {
      own = this.resolved(code);
      this.exprs.set(plain, own);
    }
    const key = `${code}|${modsKey(mods)}`;
    let e = this.exprs.get(key);
    if (e === undefined) {
      e = applyModifiers(own, mods).expr;
      this.exprs.set(key, e);
    }
    return e;
  }

  private resolved(code: string): Expr {
    const ind = this.byKey.get(code);
    if (!ind) throw unknownDx(code);
    const unknown = (what: { vi: string; en: string }, ref: ItemRef) =>
      new AppError(
        'validation_failed',
        {
          vi: `Chỉ số ${ind.code}: công thức dùng ${what.vi} ${itemKey(ref)} không có`,
          en: `Indicator ${ind.code}: the formula names an unknown ${what.en} in ${itemKey(ref)}`,
        },
        { indicator: ind.code, item: itemKey(ref) },
      );
    return mapItems(ind.expr, (ref) => {
      switch (ref.kind) {
        case 'element': {
          const el = this.meta.elements.get(ref.element);
          if (!el) throw unknown({ vi: 'chỉ tiêu', en: 'data element' }, ref);
          const out: ElementRef = { ...ref, element: el.code };
          if (ref.option !== undefined && ref.option !== '*') {
            const o = this.meta.options.get(ref.option);
            if (!o) throw unknown({ vi: 'phân tổ', en: 'breakdown option' }, ref);
            out.option = o.code;
          }
          if (ref.attribute !== undefined) {
            const a = this.meta.attributes.get(ref.attribute);
            if (!a) throw unknown({ vi: 'thuộc tính', en: 'attribute option' }, ref);
            out.attribute = a.code;
          }
          return out;
        }
        case 'indicator': {
          const other = this.byKey.get(ref.code);
          if (!other) throw unknown({ vi: 'chỉ số', en: 'indicator' }, ref);
          return { ...ref, code: other.code };
        }
        case 'reportingRate': {
          const ds = this.dataSets.get(ref.dataSet);
          if (!ds) throw unknown({ vi: 'bộ dữ liệu', en: 'data set' }, ref);
          return { ...ref, dataSet: ds.code };
        }
        case 'constant':
          throw new AppError(
            'validation_failed',
            {
              vi: `Chỉ số ${ind.code}: công thức dùng hằng số ${itemKey(ref)}, nhưng Opsroom không có hằng số (C{…} của DHIS2); hãy viết thẳng giá trị`,
              en: `Indicator ${ind.code}: the formula uses the constant ${itemKey(ref)}, but Opsroom has no constants (DHIS2's C{…}); write the value itself`,
            },
            { indicator: ind.code, item: itemKey(ref) },
          );
        case 'days':
        case 'subExpression':
          return ref;
      }
    });
  }
}

export type DxItem =
  | {
      kind: 'element';
      id: string;
      code: string;
      ref: ItemRef & { kind: 'element' };
      nameVi: string;
      nameEn: string;
      unit: string | null;
      uid: string | null;
    }
  | {
      kind: 'indicator';
      id: string;
      code: string;
      nameVi: string;
      nameEn: string;
      unit: string | null;
      uid: string | null;
    };

/** A filter's periods as one period: its id joins theirs, its ranges are theirs. */
function combinePeriods(ps: Period[]): Period {
  const start = ps.reduce((a, p) => (p.start < a ? p.start : a), ps[0]!.start);
  const end = ps.reduce((a, p) => (p.end > a ? p.end : a), ps[0]!.end);
  return { type: 'range', id: ps.map((p) => p.id).join(';'), start, end };
}

/** A filter's units as one: those under another of them dropped (each value counts once). */
function combineUnits(units: UnitRef[], version: string): UnitRef {
  const top = units.filter(
    (u) => !units.some((o) => o !== u && o.path !== u.path && u.path.startsWith(o.path)),
  );
  return {
    id: -1,
    code: top.map((u) => u.code).join(';'),
    path: '',
    level: -1,
    full_name: top.map((u) => u.full_name).join('; '),
    version,
    members: top,
  };
}

/** Most values one `rawData` answer holds; the streamed export has no such bound. */
export const RAW_LIMIT = 1_000_000;

function rawTooLarge() {
  return new AppError(
    'payload_too_large',
    {
      vi: `Câu hỏi có hơn ${RAW_LIMIT.toLocaleString('vi-VN')} giá trị thô; hãy thu hẹp đơn vị hoặc kỳ, hoặc dùng /api/dataValueSets (xuất theo luồng, không giới hạn)`,
      en: `The question holds more than ${RAW_LIMIT.toLocaleString('en')} raw values; narrow the units or periods, or use /api/dataValueSets (streamed, without a limit)`,
    },
    { limit: RAW_LIMIT },
  );
}

function rawOfIndicator(id: string) {
  return new AppError(
    'validation_failed',
    {
      vi: `Dữ liệu thô chỉ có cho chỉ tiêu, không cho chỉ số "${id}"`,
      en: `Raw data exists for data elements only, not for indicator "${id}"`,
    },
    { dx: id },
  );
}

function unknownDimension(d: string) {
  return new AppError(
    'validation_failed',
    {
      vi: `Chiều "${d}" không phải dx, pe, ou hay một phân tổ`,
      en: `Dimension "${d}" is not dx, pe, ou or a breakdown`,
    },
    { dimension: d },
  );
}

function unknownOption(o: string, breakdown: string) {
  return new AppError(
    'validation_failed',
    {
      vi: `Phân tổ "${breakdown}" không có lựa chọn "${o}"`,
      en: `Breakdown "${breakdown}" has no option "${o}"`,
    },
    { dimension: breakdown, option: o },
  );
}

function reportsInOtherTree(ref: ItemRef, ds: DataSetMeta, version: string) {
  return new AppError(
    'validation_failed',
    {
      vi: `${itemKey(ref)}: bộ dữ liệu ${ds.code} thuộc cây đơn vị ${ds.version}, còn kỳ được hỏi dùng cây ${version}, nên không có báo cáo nào để đếm; hãy hỏi kỳ của cây ${ds.version}, hoặc chọn cây bằng version=${ds.version}`,
      en: `${itemKey(ref)}: data set ${ds.code} belongs to unit tree ${ds.version}, while the period asked uses tree ${version}, so there are no reports to count; ask for periods of tree ${ds.version}, or choose the tree with version=${ds.version}`,
    },
    { item: itemKey(ref), dataSet: ds.code, dataSetVersion: ds.version, version },
  );
}

function periodShorterThanDataSet(ref: ItemRef, ds: DataSetMeta, read: Read) {
  const what = read.ranges.map((r) => `${r.start}…${r.end}`).join(', ');
  return new AppError(
    'validation_failed',
    {
      vi: `${itemKey(ref)}: bộ dữ liệu ${ds.code} báo cáo theo ${ds.periodType}; kỳ ${what} ngắn hơn nên không chứa kỳ báo cáo nào của nó`,
      en: `${itemKey(ref)}: data set ${ds.code} reports by ${ds.periodType}; the period ${what} is shorter, so it holds none of its reporting periods`,
    },
    { item: itemKey(ref), dataSet: ds.code, periodType: ds.periodType },
  );
}

function unknownDx(d: string) {
  return new AppError(
    'validation_failed',
    { vi: `Không có chỉ tiêu hay chỉ số "${d}"`, en: `No data element or indicator "${d}"` },
    { dx: d },
  );
}

export const periodLabel = (p: Period, en: boolean) => (en ? formatPeriodEn(p) : formatPeriodVi(p));
