import { ruleItemIds } from './validation.service.ts';
import { outlierFlag } from './value-outlier.service.ts';
import type { ValueFlagReason } from '../contract/analytics.ts';
import type { Store } from '../db/store.ts';
import type { FlagRuleRef, FlaggedKeys, FlagUnits } from '../db/value-flag.repo.ts';
import { parsePeriod } from '../domain/period.ts';
import { IMPORTANCES } from '../domain/validation.ts';
import { valueKey } from '../domain/data-value.ts';

/**
 * Which stored values are flagged (issue 17: "a flagged value shows its flag wherever it is
 * read": DHIS2's `followup` of `dataValueSets`, …). One read, `flagged`, whatever the sources:
 * stored validation results (db/value-flag.repo.ts) and values flagged outside their min–max
 * range as they arrived (value_outlier, open). A value is flagged by a
 * rule broken at its own unit, in a period it lies within (its own, or the month of a daily
 * value…), whose expressions read its element (and its option, when the rule names one) —
 * unless a reviewer confirmed the result correct (as analytics' flags and the data quality
 * screen's `open` read it). A result above communes concerns totals: only values stored at
 * that unit itself are flagged by it.
 */

/** The stored values asked about: (element, period) pairs, `elementIds[i]` with `periodIds[i]`. */
export interface ValueFlagQuery {
  elementIds: number[];
  periodIds: number[];
  /** Only values at these units (the reader's scope, the units asked for); absent: all. */
  units?: FlagUnits;
}

/** One flagged stored value (its key) and why. */
export interface ValueFlag {
  elementId: number;
  unitId: number;
  periodId: number;
  optionId: number;
  attributeId: number;
  /** Most important first. */
  reasons: ValueFlagReason[];
}

/** Flagged values by `valueKey`. */
export type ValueFlags = Map<string, ValueFlag>;

/**
 * What `flagged` reads once and may reuse across calls (an export's pages): the rules' element
 * items resolved to ids, and the periods of the results not confirmed. `none`: nothing can be
 * flagged, `flagged` answers at once without a query.
 */
export interface FlagSources {
  none: boolean;
  /** Some value is flagged outside its min–max range (value_outlier, open). */
  outliers: boolean;
  validation: {
    refs: FlagRuleRef[];
    periods: { pid: string; start: string; end: string }[];
    /** the rules by id: their code and names */
    rules: Map<number, { code: string; nameVi: string; nameEn: string }>;
  };
}

const NONE: FlagSources = {
  none: true,
  outliers: false,
  validation: { refs: [], periods: [], rules: new Map() },
};

const rank = (i: ValueFlagReason['importance']) => IMPORTANCES.indexOf(i);

export class ValueFlagService {
  constructor(private readonly store: Store) {}

  /** What `flagged` needs, read now (one query when nothing can be flagged, up to four otherwise). */
  async sources(): Promise<FlagSources> {
    const outliers = await this.store.repos.valueOutliers.anyOpen();
    const validation = await this.validationSources();
    if (!outliers) return validation;
    return { ...validation, none: false, outliers };
  }

  private async validationSources(): Promise<FlagSources> {
    const repos = this.store.repos;
    const pids = await repos.valueFlags.openResultPeriods();
    if (pids.length === 0) return NONE;
    const periods: FlagSources['validation']['periods'] = [];
    for (const pid of pids) {
      try {
        const p = parsePeriod(pid);
        periods.push({ pid, start: p.start, end: p.end });
      } catch {
        // a stored period no longer read: nothing lies within it
      }
    }
    const rules = await repos.validation.listRules();
    const refs = await ruleItemIds(repos, rules);
    if (refs.length === 0 || periods.length === 0) return NONE;
    const byId = new Map(
      rules.map((r) => [r.id, { code: r.code, nameVi: r.name_vi, nameEn: r.name_en }]),
    );
    return { none: false, outliers: false, validation: { refs, periods, rules: byId } };
  }

  /**
   * Which of the stored values of `q`'s pairs are flagged, and why: one query (given
   * `sources`; without, `sources()` is read first).
   */
  async flagged(q: ValueFlagQuery, sources?: FlagSources): Promise<ValueFlags> {
    const s = sources ?? (await this.sources());
    const out: ValueFlags = new Map();
    if (s.none || q.elementIds.length === 0) return out;
    if (s.outliers) this.addOutliers(out, await this.outlierReasons(q));
    // Pairs of elements no rule reads (most pages of most exports): nothing to ask.
    const read = new Set(s.validation.refs.map((r) => r.element_id));
    if (!q.elementIds.some((e) => read.has(e))) return out;
    const rows = await this.store.repos.valueFlags.validationFlags({
      elementIds: q.elementIds,
      periodIds: q.periodIds,
      refs: s.validation.refs,
      periods: s.validation.periods,
      units: q.units,
    });
    for (const r of rows) {
      const rule = s.validation.rules.get(r.rule_id);
      if (!rule) continue; // deleted since `sources`: its results went with it
      const flag = flagOf(out, r);
      // A rule reading the element on both sides (or as ELEMENT and ELEMENT.OPTION) once.
      if (flag.reasons.some((x) => x.rule === rule.code && x.period === r.period)) continue;
      flag.reasons.push({
        kind: 'validation',
        rule: rule.code,
        importance: r.importance,
        nameVi: rule.nameVi,
        nameEn: rule.nameEn,
        left: r.left_value,
        right: r.right_value,
        period: r.period,
      });
    }
    for (const f of out.values())
      f.reasons.sort(
        (a, b) => rank(a.importance) - rank(b.importance) || a.rule.localeCompare(b.rule),
      );
    return out;
  }

  private async outlierReasons(q: ValueFlagQuery) {
    return this.store.repos.valueOutliers.openOfPairs(q.elementIds, q.periodIds);
  }

  private addOutliers(
    out: ValueFlags,
    rows: Awaited<ReturnType<ValueFlagService['outlierReasons']>>,
  ): void {
    for (const r of rows) {
      const flag = flagOf(out, r);
      flag.reasons.push(outlierFlag({ ...r, period: r.pid }));
    }
  }
}

/** The flag of a stored value, made when it has none yet. */
function flagOf(out: ValueFlags, r: ValueKeyRow): ValueFlag {
  const key = valueKey(r.element_id, r.unit_id, r.period_id, r.option_id, r.attribute_id);
  let flag = out.get(key);
  if (!flag) {
    flag = {
      elementId: r.element_id,
      unitId: r.unit_id,
      periodId: r.period_id,
      optionId: r.option_id,
      attributeId: r.attribute_id,
      reasons: [],
    };
    out.set(key, flag);
  }
  return flag;
}

interface ValueKeyRow {
  element_id: number;
  unit_id: number;
  period_id: number;
  option_id: number;
  attribute_id: number;
}

/** Flagged values' keys, column by column (an export's SQL tests each value against them). */
export function flaggedKeys(flags: ValueFlags): FlaggedKeys {
  const k: FlaggedKeys = { elements: [], units: [], periods: [], options: [], attributes: [] };
  for (const f of flags.values()) {
    k.elements.push(f.elementId);
    k.units.push(f.unitId);
    k.periods.push(f.periodId);
    k.options.push(f.optionId);
    k.attributes.push(f.attributeId);
  }
  return k;
}
