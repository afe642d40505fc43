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
