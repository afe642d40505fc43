import type { Db } from '../db/client.ts';
import { childContext, dataVersion, runIn, type DbContext } from '../db/request-context.ts';
import {
  aggregate,
  extremes,
  rawValues,
  type RawValueRow,
  reportedChanges,
  targets as targetRows,
} from '../db/analytics.repo.ts';
import { GroupRepo } from '../db/group.repo.ts';
import { can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import { AppError, errors } from '../domain/errors.ts';
import { dependencyOrder, evaluate, itemKey, itemsOf, type ItemRef } from '../domain/expression.ts';
import { ROOT_CODE, versionAt } from '../domain/hierarchy.ts';
import {
  formatPeriodEn,
  formatPeriodVi,
  parsePeriodList,
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

/** DHIS2's aggregation types Opsroom computes (DEFAULT: each element's own rule). */
export const AGGREGATION_TYPES = [
  'DEFAULT',
  'SUM',
  'AVERAGE',
  'AVERAGE_SUM_ORG_UNIT',
  'LAST',
  'LAST_AVERAGE_ORG_UNIT',
  'COUNT',
  'MIN',
  'MAX',
] as const;
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

export interface Change {
  pct: number | null;
  previous: number | null;
  /** computed from two values in the system, or as the source reported it */
  source: 'computed' | 'reported';
  period: string;
}

export interface Cell {
  dx: string;
  /** The breakdown option (code) when `co` is a dimension. */
  co?: string;
  pe: string;
  ou: string;
  version: string;
  value: number | null;
  yoy?: Change;
  pop?: Change;
  target?: { value: number; due: string; share: number | null };
  rank?: number;
}

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
    private readonly db: Db,
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
      const now = await dataVersion(this.db);
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
    const spans = (await this.hierarchy.versionSpans()).map((v) => ({
      id: v.id,
      validFrom: v.valid_from,
      validUntil: v.valid_until,
    }));
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
        const rows = await rawValues(this.db, {
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
    const spans = (await this.hierarchy.versionSpans()).map((v) => ({
      id: v.id,
      validFrom: v.valid_from,
      validUntil: v.valid_until,
    }));
    if (q.version) await this.hierarchy.resolveVersion(q.version);
    const versionOf = (p: Period) => {
      if (q.version) return q.version;
      const trees = new Set(rangesOf(p).map((m) => versionAt(spans, m.start)!.id));
      if (trees.size > 1) throw filterAcrossTrees([...trees]);
      return [...trees][0]!;
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

    // Every element (with option filter) that an item needs, directly or through a formula.
    const needs = new Map<string, ItemRef & { kind: 'element' }>();
    const indicatorOrder = dependencyOrder(meta.indicators);
    const indicatorByCode = new Map(indicatorOrder.map((i) => [i.code, i]));
    const addIndicator = (code: string, seen = new Set<string>()) => {
      const ind = indicatorByCode.get(code);
      if (!ind || seen.has(code)) return;
      seen.add(code);
      for (const d of ind.dependsOn) addIndicator(d, seen);
      for (const ref of itemsOf(ind.expr)) if (ref.kind === 'element') needs.set(itemKey(ref), ref);
    };
    for (const { item } of rows) {
      if (item.kind === 'element') needs.set(itemKey(item.ref), item.ref);
      else addIndicator(item.code);
    }

    // The periods to read: those asked for, and with changes the ones they compare with.
    const compare = (p: Period) =>
      opts.changes && !members.has(p.id) ? [samePeriodLastYear(p), previousPeriod(p)] : [];
    const values = new Map<string, number | null>(); // `${itemKey}|${pid}|${version}|${unitCode}`
    const readPeriods = new Map<string, Period>();
    for (const p of periods) for (const x of [p, ...compare(p)]) readPeriods.set(x.id, x);
    for (const [version, units] of unitsByVersion) {
      const asked = periods.filter((p) => versionOf(p) === version);
      if (asked.length === 0 || units.length === 0) continue;
      const pset = new Map<string, Period>();
      for (const p of asked) for (const x of [p, ...compare(p)]) pset.set(x.id, x);
      for (const [key, ref] of needs) {
        const el = meta.elements.get(ref.element)!;
        const optionIds = optionsOf(
          el,
          ref.option && ref.option !== '*' ? [meta.options.get(ref.option)?.id ?? -1] : undefined,
        );
        if (optionIds?.length === 0) continue; // filtered on a breakdown it does not have
        const attributeIds = ref.attribute
          ? [meta.attributes.get(ref.attribute)?.id ?? -1]
          : undefined;
        const rule =
          q.aggregationType && q.aggregationType !== 'DEFAULT'
            ? RULES[q.aggregationType]
            : { time: el.aggTime, units: el.aggUnits };
        const request = {
          elementId: el.id,
          optionIds,
          attributeIds,
          units: units.map((u, key) => ({ key, ids: (u.members ?? [u]).map((m) => m.id) })),
          periods: [...pset.values()].flatMap((p) =>
            rangesOf(p).map((m) => ({ pid: p.id, start: m.start, end: m.end })),
          ),
          stock: rule.time === 'last',
        };
        if (rule.time === 'min' || rule.time === 'max') {
          for (const r of await extremes(this.db, request))
            values.set(`${key}|${r.pid}|${version}|${units[r.unit_id]!.code}`, r[rule.time]);
          continue;
        }
        for (const r of await aggregate(this.db, request)) {
          const unit = units[r.unit_id]!;
          let v =
            rule.time === 'last'
              ? r.last
              : rule.time === 'average'
                ? r.total / r.periods
                : rule.time === 'count'
                  ? r.n
                  : r.total;
          if (rule.units === 'average' && rule.time !== 'count' && r.n > 0)
            v = v / (r.n / r.periods);
          values.set(`${key}|${r.pid}|${version}|${unit.code}`, v);
        }
      }
    }

    const valueOf = (item: DxItem, p: Period, version: string, code: string): number | null => {
      if (item.kind === 'element')
        return values.get(`${itemKey(item.ref)}|${p.id}|${version}|${code}`) ?? null;
      return this.evalIndicator(
        item.code,
        indicatorByCode,
        (ref) => values.get(`${itemKey(ref)}|${p.id}|${version}|${code}`) ?? null,
      );
    };

    const cells: Cell[] = [];
    for (const { item, co } of rows) {
      const targets = opts.changes
        ? await targetRows(this.db, item.kind === 'element' ? 'element' : 'indicator', item.code)
        : [];
      const reported = new Map<string, { yoy: number | null; prev: number | null }>();
      if (opts.changes && item.kind === 'element') {
        const el = meta.elements.get(item.ref.element)!;
        // A filter's units have no printed change of their own.
        const allUnits = [...unitsByVersion.values()].flat().filter((u) => !u.members);
        const { option, attribute } = item.ref;
        for (const r of await reportedChanges(
          this.db,
          el.id,
          allUnits.map((u) => u.id),
          periods.map((p) => p.id),
          {
            optionIds: option && option !== '*' ? [meta.options.get(option)?.id ?? -1] : undefined,
            attributeIds: attribute ? [meta.attributes.get(attribute)?.id ?? -1] : undefined,
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
          const value = valueOf(item, p, version, u.code);
          const cell: Cell = { dx: item.id, pe: p.id, ou: u.code, version, value };
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
              spans,
              q.version,
            );
            cell.pop = this.change(
              value,
              item,
              previousPeriod(p),
              version,
              u,
              valueOf,
              rep?.prev ?? null,
              spans,
              q.version,
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
    return { cells, periods, asked, units: unitsByVersion, meta, dxItems };
  }

  /**
   * A change against an earlier period: computed when both values are in the system (and the
   * earlier period uses the same tree, or the unit is the nation, which every tree shares);
   * otherwise as the source reported it, marked so.
   */
  private change(
    value: number | null,
    item: DxItem,
    earlier: Period,
    version: string,
    unit: UnitRef,
    valueOf: (item: DxItem, p: Period, version: string, code: string) => number | null,
    reported: number | null,
    spans: { id: string; validFrom: string; validUntil: string | null }[],
    fixedVersion?: string,
  ): Change | undefined {
    const earlierVersion = fixedVersion ?? versionAt(spans, earlier.start)!.id;
    const comparable = earlierVersion === version || unit.code === ROOT_CODE;
    const previous = comparable ? valueOf(item, earlier, version, unit.code) : null;
    if (value !== null && previous !== null)
      return { pct: pct(value, previous), previous, source: 'computed', period: earlier.id };
    if (reported !== null)
      return { pct: reported, previous: null, source: 'reported', period: earlier.id };
    return undefined;
  }

  private evalIndicator(
    code: string,
    byCode: Map<string, ReturnType<typeof dependencyOrder>[number]>,
    lookup: (ref: ItemRef & { kind: 'element' }) => number | null,
    depth = 0,
  ): number | null {
    const ind = byCode.get(code);
    if (!ind || depth > 20) return null;
    return evaluate(ind.expr, (ref) => {
      if (ref.kind === 'element') return lookup(ref);
      if (ref.kind === 'indicator') return this.evalIndicator(ref.code, byCode, lookup, depth + 1);
      return null;
    });
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
        const group = await new GroupRepo(this.db).byCode(version, item.slice(9));
        if (!group) continue; // a group belongs to one tree; other trees have no members
        const members = await new GroupRepo(this.db).members(group.id, 100_000, 0);
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

  private async metadata() {
    const [elements, options, attributes, indicators, breakdowns] = await Promise.all([
      this.db.selectFrom('data_element').selectAll().execute(),
      this.db
        .selectFrom('breakdown_option')
        .select(['id', 'code', 'uid', 'name_vi', 'name_en', 'breakdown_id'])
        .orderBy('sort_order')
        .orderBy('id')
        .execute(),
      this.db.selectFrom('attribute_option').select(['id', 'code', 'uid']).execute(),
      this.db.selectFrom('indicator').selectAll().execute(),
      this.db.selectFrom('breakdown').select(['id', 'code', 'uid']).execute(),
    ]);
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

function filterAcrossTrees(trees: string[]) {
  return new AppError(
    'validation_failed',
    {
      vi: `Các kỳ trong bộ lọc thuộc các cây đơn vị khác nhau (${trees.join(', ')}); hãy hỏi từng cây, hoặc chọn một cây bằng version`,
      en: `The filter's periods fall in different unit trees (${trees.join(', ')}); ask per tree, or choose one tree with version`,
    },
    { trees },
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

function unknownDx(d: string) {
  return new AppError(
    'validation_failed',
    { vi: `Không có chỉ tiêu hay chỉ số "${d}"`, en: `No data element or indicator "${d}"` },
    { dx: d },
  );
}

export const periodLabel = (p: Period, en: boolean) => (en ? formatPeriodEn(p) : formatPeriodVi(p));
