import { z } from 'zod';
import { AppError, type Message } from './errors.ts';
import {
  evaluate,
  itemKey,
  itemsOf,
  parseExpression,
  type Expr,
  type ItemRef,
  type Lookup,
} from './expression.ts';
import { Code, MetadataDocument, PERIOD_TYPES, Uid } from './metadata.ts';
import { multilineText, plainText } from './text-hygiene.ts';

/**
 * Validation rules in DHIS2's model (DHIS2 web API, "Data validation"): a left and a right
 * side, each an expression over data elements (`#{ELEMENT}`, `#{ELEMENT.OPTION}`, parsed by
 * domain/expression.ts, never eval), compared by an operator. Pure: shared with the web app,
 * so that the data entry form evaluates the same rules as the server.
 */

export const VALIDATION_OPERATORS = [
  'equal_to',
  'not_equal_to',
  'greater_than',
  'greater_than_or_equal_to',
  'less_than',
  'less_than_or_equal_to',
  'compulsory_pair',
  'exclusive_pair',
] as const;
export type ValidationOperator = (typeof VALIDATION_OPERATORS)[number];

export const MISSING_VALUE_STRATEGIES = [
  'SKIP_IF_ANY_VALUE_MISSING',
  'SKIP_IF_ALL_VALUES_MISSING',
  'NEVER_SKIP',
] as const;
export type MissingValueStrategy = (typeof MISSING_VALUE_STRATEGIES)[number];

export const IMPORTANCES = ['HIGH', 'MEDIUM', 'LOW'] as const;
export type Importance = (typeof IMPORTANCES)[number];

/** DHIS2's operator signs, as `/api/dataAnalysis/validationRules` answers them. */
export const OPERATOR_SIGNS: Record<ValidationOperator, string> = {
  equal_to: '==',
  not_equal_to: '!=',
  greater_than: '>',
  greater_than_or_equal_to: '>=',
  less_than: '<',
  less_than_or_equal_to: '<=',
  compulsory_pair: '[Compulsory pair]',
  exclusive_pair: '[Exclusive pair]',
};

export const RuleSideInput = z.object({
  expression: multilineText().min(1).max(2000).describe('e.g. #{MOBILE_SUBS.URBAN} + 1'),
  missingValueStrategy: z.enum(MISSING_VALUE_STRATEGIES).default('SKIP_IF_ALL_VALUES_MISSING'),
  descriptionVi: plainText().max(500).optional(),
  descriptionEn: plainText().max(500).optional(),
});
export type RuleSideInput = z.infer<typeof RuleSideInput>;

export const ValidationRuleInput = z.object({
  code: Code,
  uid: Uid.optional(),
  nameVi: plainText().min(1).max(300),
  nameEn: plainText().min(1).max(300),
  instructionVi: multilineText().max(2000).optional(),
  instructionEn: multilineText().max(2000).optional(),
  importance: z.enum(IMPORTANCES).default('MEDIUM'),
  periodType: z.enum(PERIOD_TYPES),
  levels: z
    .array(z.number().int().min(0).max(50))
    .max(51)
    .default([])
    .describe('unit levels it applies to (0 = the nation); none = every level'),
  operator: z.enum(VALIDATION_OPERATORS),
  left: RuleSideInput,
  right: RuleSideInput,
});
export type ValidationRuleInput = z.infer<typeof ValidationRuleInput>;
export type ValidationRuleInputRaw = z.input<typeof ValidationRuleInput>;

export const ValidationRuleGroupInput = z.object({
  code: Code,
  uid: Uid.optional(),
  nameVi: plainText().min(1).max(300),
  nameEn: plainText().min(1).max(300),
  rules: z.array(Code).max(10000).default([]).describe('codes (or uids) of rules'),
});
export type ValidationRuleGroupInput = z.infer<typeof ValidationRuleGroupInput>;

// ---------------------------------------------------------------------------------------------
// Checking expressions

/** A problem of a rule, in both languages; `path` says where (`left.expression`). */
export interface RuleProblem {
  path: string;
  vi: string;
  en: string;
}

export type ElementItem = Extract<ItemRef, { kind: 'element' }>;

/**
 * Parses a side's expression and keeps only what a rule may read: data element items
 * (`#{E}`, `#{E.O}`) without attribute option or modifiers. Constants (`C{K}`) are refused as
 * Opsroom has no constants; indicators, reporting rates, `[days]` and subExpression are not
 * DHIS2 validation rule items either. Returns the tree or the problems found.
 */
export function checkSideExpression(
  expression: string,
  path: string,
): { expr: Expr; items: ElementItem[] } | { problems: RuleProblem[] } {
  let expr: Expr;
  try {
    expr = parseExpression(expression);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { problems: [{ path, vi: e.messages.vi, en: e.messages.en }] };
  }
  const problems: RuleProblem[] = [];
  const items: ElementItem[] = [];
  for (const ref of itemsOf(expr)) {
    const key = itemKey(ref);
    if (ref.kind !== 'element') {
      problems.push({
        path,
        vi: `Quy tắc kiểm tra chỉ được dùng chỉ tiêu dữ liệu #{...}; không dùng được ${key}`,
        en: `A validation rule may only use data elements #{...}; ${key} is not allowed`,
      });
    } else if (
      ref.attribute !== undefined ||
      ref.option === '*' ||
      ref.periodOffset !== undefined ||
      ref.yearToDate ||
      ref.aggregationType !== undefined
    ) {
      problems.push({
        path,
        vi: `${key}: quy tắc kiểm tra không dùng phương án thuộc tính hay bổ ngữ (periodOffset, yearToDate, aggregationType)`,
        en: `${key}: a validation rule takes no attribute option nor modifier (periodOffset, yearToDate, aggregationType)`,
      });
    } else items.push(ref);
  }
  return problems.length ? { problems } : { expr, items };
}

// ---------------------------------------------------------------------------------------------
// Evaluating

export interface RuleSide {
  expression: string;
  missingValueStrategy: MissingValueStrategy;
}

export interface RuleToEvaluate {
  operator: ValidationOperator;
  left: RuleSide;
  right: RuleSide;
}

interface CompiledSide {
  expr: Expr;
  items: ElementItem[];
  strategy: MissingValueStrategy;
}

export interface CompiledRule {
  operator: ValidationOperator;
  left: CompiledSide;
  right: CompiledSide;
}

export type RuleStatus = 'skipped' | 'passed' | 'violated';

export interface RuleOutcome {
  status: RuleStatus;
  left: number | null;
  right: number | null;
}

/** Parses both sides once (throws AppError 'validation_failed' if either is not allowed). */
export function compileRule(rule: RuleToEvaluate): CompiledRule {
  const side = (s: RuleSide, path: string): CompiledSide => {
    const r = checkSideExpression(s.expression, path);
    if ('problems' in r) throw validationRuleInvalid(r.problems);
    return { expr: r.expr, items: r.items, strategy: s.missingValueStrategy };
  };
  return {
    operator: rule.operator,
    left: side(rule.left, 'left.expression'),
    right: side(rule.right, 'right.expression'),
  };
}

/**
 * One side's value, as DHIS2 computes it (dhis2-core's validation: an expression's items are
 * counted, and the side is skipped — no value — by its missing value strategy):
 * - SKIP_IF_ANY_VALUE_MISSING: no value if any item of the side has no value;
 * - SKIP_IF_ALL_VALUES_MISSING (DHIS2's default): no value if every item has none;
 * - NEVER_SKIP: always evaluated.
 * When the side is evaluated, items without a value count as 0 (DHIS2 replaces missing items
 * with 0 in a validation rule's expression), so `#{A} + #{B}` with only A = 5 is 5. A side
 * without items (a number alone) always has a value. Division by zero gives no value.
 */
function sideValue(side: CompiledSide, lookup: Lookup): number | null {
  const values = side.items.map((ref) => lookup(ref));
  const present = values.filter((v) => v !== null).length;
  const n = side.items.length;
  if (n > 0) {
    if (side.strategy === 'SKIP_IF_ANY_VALUE_MISSING' && present < n) return null;
    if (side.strategy === 'SKIP_IF_ALL_VALUES_MISSING' && present === 0) return null;
  }
  const byKey = new Map(side.items.map((ref, i) => [itemKey(ref), values[i] ?? null]));
  return evaluate(side.expr, (ref) =>
    ref.kind === 'element' ? (byKey.get(itemKey(ref)) ?? 0) : null,
  );
}

/**
 * Numbers are compared with a relative tolerance: sides are sums and products of doubles, so
 * `#{A} + #{B} == #{C}` with 0.1 + 0.2 and 0.3 would otherwise be a violation (0.1 + 0.2 is
 * 0.30000000000000004). A difference below 1e-9 of the larger magnitude (at least 1e-9) is
 * equality; figures reported by people never differ meaningfully at that scale.
 */
export const TOLERANCE = 1e-9;

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function holds(op: ValidationOperator, l: number, r: number): boolean {
  switch (op) {
    case 'equal_to':
      return close(l, r);
    case 'not_equal_to':
      return !close(l, r);
    case 'greater_than':
      return l > r && !close(l, r);
    case 'greater_than_or_equal_to':
      return l > r || close(l, r);
    case 'less_than':
      return l < r && !close(l, r);
    case 'less_than_or_equal_to':
      return l < r || close(l, r);
    case 'compulsory_pair':
    case 'exclusive_pair':
      return true; // decided on presence, in evaluateCompiled
  }
}

/**
 * A rule's outcome for one unit and period, with DHIS2's semantics (dhis2-core
 * DataValidationTask): missing is NOT zero.
 * - compulsory_pair: violated when one side has a value and the other none; passed when both
 *   have; skipped when neither has;
 * - exclusive_pair: violated when both sides have a value; skipped when neither has; else passed;
 * - comparisons: a side without a value under NEVER_SKIP counts as 0 (DHIS2 does the same
 *   after evaluating); if a side still has no value the rule is skipped, else compared.
 */
export function evaluateCompiled(rule: CompiledRule, lookup: Lookup): RuleOutcome {
  let left = sideValue(rule.left, lookup);
  let right = sideValue(rule.right, lookup);
  if (rule.operator === 'compulsory_pair') {
    if (left === null && right === null) return { status: 'skipped', left, right };
    return { status: left === null || right === null ? 'violated' : 'passed', left, right };
  }
  if (rule.operator === 'exclusive_pair') {
    if (left === null && right === null) return { status: 'skipped', left, right };
    return { status: left !== null && right !== null ? 'violated' : 'passed', left, right };
  }
  if (left === null && rule.left.strategy === 'NEVER_SKIP') left = 0;
  if (right === null && rule.right.strategy === 'NEVER_SKIP') right = 0;
  if (left === null || right === null) return { status: 'skipped', left, right };
  return { status: holds(rule.operator, left, right) ? 'passed' : 'violated', left, right };
}

/** `evaluateCompiled(compileRule(rule), lookup)`: for one evaluation; compile once for many. */
export function evaluateRule(rule: RuleToEvaluate, lookup: Lookup): RuleOutcome {
  return evaluateCompiled(compileRule(rule), lookup);
}

/** `validation_rule_invalid` listing the problems (each in Vietnamese and English). */
export function validationRuleInvalid(problems: RuleProblem[]): AppError {
  const first = problems[0];
  const msg: Message = {
    vi: `Quy tắc kiểm tra không hợp lệ (${problems.length} lỗi${first ? `, ví dụ ${first.path}: ${first.vi}` : ''}); không có gì được lưu`,
    en: `The validation rule is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}${first ? `, e.g. ${first.path}: ${first.en}` : ''}); nothing was stored`,
  };
  return new AppError('validation_rule_invalid', msg, { problems: problems.slice(0, 100) });
}

/**
 * Opsroom's metadata document with its validation rules and rule groups (`/api/metadata`):
 * declared here, not in metadata.ts, which this module reads its codes from.
 */
export const MetadataWithRules = MetadataDocument.extend({
  validationRules: z.array(ValidationRuleInput).max(10000).default([]),
  validationRuleGroups: z.array(ValidationRuleGroupInput).max(1000).default([]),
});
export type MetadataWithRules = z.infer<typeof MetadataWithRules>;
export type MetadataWithRulesInput = z.input<typeof MetadataWithRules>;

// ---------------------------------------------------------------------------------------------
// Evaluating many cells at once

/**
 * A cell's item values, as a bulk check holds them: `sums[slot][cell]` and `counts[slot][cell]`
 * (how many values were added; 0 is missing).
 */
export interface CellColumns {
  sums: Float64Array[];
  counts: Uint32Array[];
}

/** Whether an expression reads data (as `evaluate` counts terms in a sum). */
function readsData(e: Expr): boolean {
  switch (e.type) {
    case 'number':
      return false;
    case 'item':
      return e.ref.kind !== 'constant' && e.ref.kind !== 'days';
    case 'unary':
      return readsData(e.operand);
    case 'binary':
      return readsData(e.left) || readsData(e.right);
    case 'call':
      return e.args.some(readsData);
  }
}

/**
 * Columns of `n` cells lent to one rule's evaluation and taken back when its mask has been
 * read (`release`), so the next rule reuses them. Why: a new 20 MB array costs ~75 ms of page
 * faults the first time it is written on this kind of machine (measured; 2.5 ms when the memory
 * is reused), more than every loop over it; twelve rules over 2.5 M cells made ~60 of them.
 * A column taken may hold an earlier rule's numbers: `zeros` when it must start at 0.
 */
export class ScratchColumns {
  private readonly spare: Float64Array[] = [];
  private readonly spareCounts: Uint16Array[] = [];
  private readonly spareMasks: Uint8Array[] = [];
  private lent: Float64Array[] = [];
  private lentCounts: Uint16Array[] = [];
  private lentMasks: Uint8Array[] = [];

  constructor(readonly n: number) {}

  /** A column whose every cell the caller writes. */
  any(): Float64Array {
    const x = this.spare.pop() ?? new Float64Array(this.n);
    this.lent.push(x);
    return x;
  }

  zeros(): Float64Array {
    return this.any().fill(0);
  }

  counts(): Uint16Array {
    const x = this.spareCounts.pop()?.fill(0) ?? new Uint16Array(this.n);
    this.lentCounts.push(x);
    return x;
  }

  mask(): Uint8Array {
    const x = this.spareMasks.pop()?.fill(0) ?? new Uint8Array(this.n);
    this.lentMasks.push(x);
    return x;
  }

  /** Everything lent since the last release (the masks too) is free again. */
  release(): void {
    this.spare.push(...this.lent);
    this.spareCounts.push(...this.lentCounts);
    this.spareMasks.push(...this.lentMasks);
    this.lent = [];
    this.lentCounts = [];
    this.lentMasks = [];
  }
}

/**
 * Which of `n` cells break the rule (`evaluateCompiled`'s decision) computed a column at a time
 * (one tight loop per expression node over every cell, numbers kept as numbers), for bulk
 * checks of millions of cells. `valueOf(slot)` is the item's value in every cell (by its
 * element's aggregation rules); undefined for expressions other than numbers, element items,
 * `-`, `+`, `*` and `/` (a function, another item): those go through `evaluateCompiled`.
 * `items` keeps each item's column across the rules checked on the same cells (never written
 * to: a node writes only into columns it made). The working columns and the mask answered come
 * from `scratch`: the mask is valid until `scratch.release()`.
 */
export function violatedColumns(
  rule: CompiledRule,
  slotOf: (ref: ElementItem) => number,
  valueOf: (slot: number) => Float64Array,
  columns: CellColumns,
  n: number,
  items: Map<number, Float64Array | number> = new Map(),
  scratch: ScratchColumns = new ScratchColumns(n),
): Uint8Array | undefined {
  type Col = Float64Array | number; // a number: the same in every cell (NaN: no value)
  // A finite number as is (−0 as 0), else NaN: `evaluate`'s `finite`, written for V8 to inline.
  const fin = (x: number) => (x - x === 0 ? x + 0 : NaN);
  const shared = new Set<Float64Array>();
  for (const x of items.values()) if (typeof x !== 'number') shared.add(x);
  /** A column this rule may write into: itself when made here, else a copy. */
  const own = (x: Float64Array) => {
    if (!shared.has(x)) return x;
    const copy = scratch.any();
    copy.set(x.length === n ? x : x.subarray(0, n)); // a load's column has room beyond n
    return copy;
  };
  const expression = (e: Expr): Col | undefined => {
    switch (e.type) {
      case 'number':
        return e.value;
      case 'item': {
        if (e.ref.kind !== 'element' || e.ref.attribute !== undefined) return undefined;
        const slot = slotOf(e.ref);
        const known = items.get(slot);
        if (known !== undefined) return known;
        const counts = columns.counts[slot]!;
        const value = valueOf(slot);
        // A finite value in every cell (the usual case) is the column as it is, none anywhere
        // is 0 everywhere: no new column (see ScratchColumns).
        let full = 0;
        let none = 0;
        for (let c = 0; c < n; c++) {
          const v = value[c]!;
          if (counts[c] === 0) none++;
          else if (v - v === 0) full++;
        }
        if (none === n) {
          items.set(slot, 0);
          return 0;
        }
        let out = value;
        if (full < n) {
          out = new Float64Array(n);
          for (let c = 0; c < n; c++) {
            const v = value[c]!;
            out[c] = counts[c]! > 0 ? (v - v === 0 ? v + 0 : NaN) : 0;
          }
        }
        items.set(slot, out);
        shared.add(out);
        return out;
      }
      case 'unary': {
        if (e.op !== '-') return undefined;
        const x = expression(e.operand);
        if (x === undefined) return undefined;
        if (typeof x === 'number') return fin(-x);
        const out = shared.has(x) ? scratch.any() : x;
        for (let c = 0; c < n; c++) out[c] = fin(-x[c]!);
        return out;
      }
      case 'call':
        return undefined;
      case 'binary':
        break;
    }
    if (e.op === '+' || e.op === '-') {
      const terms: { x: Col; sign: number; data: boolean }[] = [];
      const stack: { e: Expr; sign: number }[] = [{ e, sign: 1 }];
      while (stack.length) {
        const top = stack.pop()!;
        const node = top.e;
        if (node.type === 'binary' && (node.op === '+' || node.op === '-')) {
          stack.push({ e: node.right, sign: node.op === '-' ? -top.sign : top.sign });
          stack.push({ e: node.left, sign: top.sign });
          continue;
        }
        const x = expression(node);
        if (x === undefined) return undefined;
        terms.push({ x, sign: top.sign, data: readsData(node) });
      }
      const sum = scratch.zeros();
      const present = scratch.counts();
      const dataTerms = terms.filter((t) => t.data).length;
      for (const { x, sign, data } of terms) {
        if (typeof x === 'number') {
          // A number reads no data (an item missing everywhere does: its 0 is a term); without
          // a value it is left out.
          if (x === x)
            for (let c = 0; c < n; c++) {
              sum[c]! += sign * x;
              if (data) present[c]!++;
            }
          continue;
        }
        for (let c = 0; c < n; c++) {
          const v = x[c]!;
          if (v === v) {
            sum[c]! += sign * v;
            if (data) present[c]!++;
          }
        }
      }
      for (let c = 0; c < n; c++) sum[c] = dataTerms > 0 && present[c] === 0 ? NaN : fin(sum[c]!);
      return sum;
    }
    if (e.op !== '*' && e.op !== '/') return undefined;
    const l = expression(e.left);
    const r = expression(e.right);
    if (l === undefined || r === undefined) return undefined;
    if (typeof l === 'number' && typeof r === 'number')
      return e.op === '*' ? fin(l * r) : r === 0 ? NaN : fin(l / r);
    // Loops written out for each case: a call per cell would cost more than the arithmetic.
    const out =
      typeof l !== 'number' && !shared.has(l)
        ? l
        : typeof r !== 'number' && !shared.has(r)
          ? r
          : scratch.any();
    if (e.op === '*') {
      if (typeof l === 'number')
        for (let c = 0; c < n; c++) {
          const v = l * (r as Float64Array)[c]!;
          out[c] = v - v === 0 ? v + 0 : NaN;
        }
      else if (typeof r === 'number')
        for (let c = 0; c < n; c++) {
          const v = l[c]! * r;
          out[c] = v - v === 0 ? v + 0 : NaN;
        }
      else
        for (let c = 0; c < n; c++) {
          const v = l[c]! * r[c]!;
          out[c] = v - v === 0 ? v + 0 : NaN;
        }
    } else if (typeof r === 'number') {
      if (r === 0) out.fill(NaN);
      else
        for (let c = 0; c < n; c++) {
          const v = (l as Float64Array)[c]! / r;
          out[c] = v - v === 0 ? v + 0 : NaN;
        }
    } else
      for (let c = 0; c < n; c++) {
        const d = r[c]!;
        const v = (typeof l === 'number' ? l : l[c]!) / d;
        out[c] = d === 0 ? NaN : v - v === 0 ? v + 0 : NaN;
      }
    return out;
  };
  const side = (s: CompiledSide): Col | undefined => {
    let x = expression(s.expr);
    if (x === undefined || s.items.length === 0 || s.strategy === 'NEVER_SKIP') return x;
    x = typeof x === 'number' ? scratch.any().fill(x) : own(x);
    const counts = s.items.map((ref) => columns.counts[slotOf(ref)]!);
    const k = counts.length;
    const need = s.strategy === 'SKIP_IF_ANY_VALUE_MISSING' ? k : 1;
    if (k === 1) {
      const k0 = counts[0]!;
      for (let c = 0; c < n; c++) if (k0[c] === 0) x[c] = NaN;
    } else
      for (let c = 0; c < n; c++) {
        let present = 0;
        for (let i = 0; i < k; i++) if (counts[i]![c]! > 0) present++;
        if (present < need) x[c] = NaN;
      }
    return x;
  };
  let left = side(rule.left);
  let right = side(rule.right);
  if (left === undefined || right === undefined) return undefined;
  const out = scratch.mask();
  const op = rule.operator;
  // A comparison counts a NEVER_SKIP side without a value as 0 (evaluateCompiled); the pairs
  // look at presence as it is.
  const zeroed = (x: Col): Col => {
    if (typeof x === 'number') return x === x ? x : 0;
    let missing = false;
    for (let c = 0; c < n && !missing; c++) missing = x[c] !== x[c];
    if (!missing) return x;
    const z = own(x);
    for (let c = 0; c < n; c++) if (z[c] !== z[c]) z[c] = 0;
    return z;
  };
  if (op !== 'compulsory_pair' && op !== 'exclusive_pair') {
    if (rule.left.strategy === 'NEVER_SKIP') left = zeroed(left);
    if (rule.right.strategy === 'NEVER_SKIP') right = zeroed(right);
  }
  // Both sides as columns (a number spread once: cheaper than a call per cell).
  const L = typeof left === 'number' ? scratch.any().fill(left) : left;
  const R = typeof right === 'number' ? scratch.any().fill(right) : right;
  if (op === 'compulsory_pair') {
    for (let c = 0; c < n; c++) out[c] = (L[c] !== L[c]) !== (R[c] !== R[c]) ? 1 : 0;
    return out;
  }
  if (op === 'exclusive_pair') {
    for (let c = 0; c < n; c++) out[c] = L[c] === L[c] && R[c] === R[c] ? 1 : 0;
    return out;
  }
  // A NaN left here is a side skipped (a NEVER_SKIP side was given its 0 above). One loop per
  // operator: a switch inside
  // one loop shared by every rule made V8 re-optimise it rule after rule (the bench's twelve
  // commune rules over 2.5 M cells: 1.7 s cold, against 0.6 s warm).
  switch (op) {
    case 'equal_to':
      for (let c = 0; c < n; c++) {
        const l = L[c]!;
        const r = R[c]!;
        if (l === l && r === r && !close(l, r)) out[c] = 1;
      }
      break;
    case 'not_equal_to':
      for (let c = 0; c < n; c++) {
        const l = L[c]!;
        const r = R[c]!;
        if (l === l && r === r && close(l, r)) out[c] = 1;
      }
      break;
    case 'greater_than':
      for (let c = 0; c < n; c++) {
        const l = L[c]!;
        const r = R[c]!;
        if (l === l && r === r && !(l > r && !close(l, r))) out[c] = 1;
      }
      break;
    case 'greater_than_or_equal_to':
      for (let c = 0; c < n; c++) {
        const l = L[c]!;
        const r = R[c]!;
        if (l === l && r === r && !(l > r || close(l, r))) out[c] = 1;
      }
      break;
    case 'less_than':
      for (let c = 0; c < n; c++) {
        const l = L[c]!;
        const r = R[c]!;
        if (l === l && r === r && !(l < r && !close(l, r))) out[c] = 1;
      }
      break;
    case 'less_than_or_equal_to':
      for (let c = 0; c < n; c++) {
        const l = L[c]!;
        const r = R[c]!;
        if (l === l && r === r && !(l < r || close(l, r))) out[c] = 1;
      }
      break;
  }
  return out;
}
