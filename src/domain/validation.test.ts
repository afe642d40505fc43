import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from './errors.ts';
import { itemKey } from './expression.ts';
import {
  checkSideExpression,
  evaluateRule,
  MISSING_VALUE_STRATEGIES,
  VALIDATION_OPERATORS,
  ValidationRuleInput,
  type MissingValueStrategy,
  type RuleStatus,
  type ValidationOperator,
} from './validation.ts';

type Values = Record<string, number | null>;
const lookupOf = (values: Values) => (ref: Parameters<typeof itemKey>[0]) =>
  values[itemKey(ref)] ?? null;

const rule = (
  operator: ValidationOperator,
  left: string,
  right: string,
  ls: MissingValueStrategy = 'SKIP_IF_ALL_VALUES_MISSING',
  rs: MissingValueStrategy = ls,
) => ({
  operator,
  left: { expression: left, missingValueStrategy: ls },
  right: { expression: right, missingValueStrategy: rs },
});

describe('validation rules: operators on present values', () => {
  // [operator, left, right, expected]
  const cases: [ValidationOperator, number, number, RuleStatus][] = [
    ['equal_to', 5, 5, 'passed'],
    ['equal_to', 5, 6, 'violated'],
    ['not_equal_to', 5, 6, 'passed'],
    ['not_equal_to', 5, 5, 'violated'],
    ['greater_than', 6, 5, 'passed'],
    ['greater_than', 5, 5, 'violated'],
    ['greater_than_or_equal_to', 5, 5, 'passed'],
    ['greater_than_or_equal_to', 4, 5, 'violated'],
    ['less_than', 4, 5, 'passed'],
    ['less_than', 5, 5, 'violated'],
    ['less_than_or_equal_to', 5, 5, 'passed'],
    ['less_than_or_equal_to', 6, 5, 'violated'],
    ['compulsory_pair', 0, 7, 'passed'],
    ['exclusive_pair', 0, 7, 'violated'],
  ];
  for (const [op, l, r, want] of cases)
    it(`${op}: ${l} vs ${r} → ${want}`, () => {
      const out = evaluateRule(rule(op, '#{A}', '#{B}'), lookupOf({ '#{A}': l, '#{B}': r }));
      assert.deepEqual(out, { status: want, left: l, right: r });
    });
  it('every operator is covered', () => {
    assert.deepEqual(new Set(cases.map((c) => c[0])), new Set(VALIDATION_OPERATORS));
  });
  it('equality tolerates floating error: 0.1 + 0.2 == 0.3', () => {
    const values = { '#{A}': 0.1, '#{B}': 0.2, '#{C}': 0.3 };
    assert.equal(
      evaluateRule(rule('equal_to', '#{A} + #{B}', '#{C}'), lookupOf(values)).status,
      'passed',
    );
    assert.equal(
      evaluateRule(rule('greater_than', '#{A} + #{B}', '#{C}'), lookupOf(values)).status,
      'violated',
    );
  });
});

describe('validation rules: missing values by strategy', () => {
  // Left side #{A} + #{B}, right side #{C}, operator less_than_or_equal_to (A + B <= C).
  // [strategy, A, B, C, status, left, right]
  type Case = [MissingValueStrategy, number | null, number | null, number | null, RuleStatus];
  const cases: (Case | [...Case, number | null, number | null])[] = [
    // all present
    ['SKIP_IF_ANY_VALUE_MISSING', 1, 2, 3, 'passed', 3, 3],
    ['SKIP_IF_ALL_VALUES_MISSING', 1, 2, 2, 'violated', 3, 2],
    ['NEVER_SKIP', 1, 2, 2, 'violated', 3, 2],
    // one item of the left missing: ANY skips; ALL and NEVER count it as 0
    ['SKIP_IF_ANY_VALUE_MISSING', 5, null, 1, 'skipped', null, 1],
    ['SKIP_IF_ALL_VALUES_MISSING', 5, null, 1, 'violated', 5, 1],
    ['NEVER_SKIP', 5, null, 1, 'violated', 5, 1],
    // every item of the left missing: ANY and ALL skip; NEVER evaluates 0 <= 1
    ['SKIP_IF_ANY_VALUE_MISSING', null, null, 1, 'skipped', null, 1],
    ['SKIP_IF_ALL_VALUES_MISSING', null, null, 1, 'skipped', null, 1],
    ['NEVER_SKIP', null, null, 1, 'passed', 0, 1],
    // right missing: skipped unless NEVER_SKIP, where 3 <= 0 is violated
    ['SKIP_IF_ANY_VALUE_MISSING', 1, 2, null, 'skipped', 3, null],
    ['SKIP_IF_ALL_VALUES_MISSING', 1, 2, null, 'skipped', 3, null],
    ['NEVER_SKIP', 1, 2, null, 'violated', 3, 0],
    // zero is a value, not missing: 0 + 0 <= 0 holds under every strategy
    ['SKIP_IF_ANY_VALUE_MISSING', 0, 0, 0, 'passed', 0, 0],
    ['SKIP_IF_ALL_VALUES_MISSING', 0, 0, 0, 'passed', 0, 0],
    ['NEVER_SKIP', 0, 0, 0, 'passed', 0, 0],
    // zero on the right: 1 + 0 <= 0 is violated (missing would have skipped)
    ['SKIP_IF_ANY_VALUE_MISSING', 1, 0, 0, 'violated', 1, 0],
    ['SKIP_IF_ALL_VALUES_MISSING', 1, 0, 0, 'violated', 1, 0],
  ];
  for (const [s, a, b, c, want, wl, wr] of cases)
    it(`${s}: A=${a} B=${b} C=${c} → ${want}`, () => {
      const out = evaluateRule(
        rule('less_than_or_equal_to', '#{A} + #{B}', '#{C}', s),
        lookupOf({ '#{A}': a, '#{B}': b, '#{C}': c }),
      );
      assert.equal(out.status, want);
      if (wl !== undefined) assert.deepEqual([out.left, out.right], [wl, wr]);
    });
  it('every strategy is covered', () => {
    assert.deepEqual(new Set(cases.map((c) => c[0])), new Set(MISSING_VALUE_STRATEGIES));
  });
  it('a side without items always has a value', () => {
    const out = evaluateRule(
      rule('greater_than', '#{A}', '100', 'SKIP_IF_ANY_VALUE_MISSING'),
      lookupOf({ '#{A}': 150 }),
    );
    assert.deepEqual(out, { status: 'passed', left: 150, right: 100 });
  });
});

describe('validation rules: pairs', () => {
  // [operator, strategy, A, B, status]
  const cases: [
    ValidationOperator,
    MissingValueStrategy,
    number | null,
    number | null,
    RuleStatus,
  ][] = [
    ['compulsory_pair', 'SKIP_IF_ALL_VALUES_MISSING', 3, 4, 'passed'],
    ['compulsory_pair', 'SKIP_IF_ALL_VALUES_MISSING', 3, null, 'violated'],
    ['compulsory_pair', 'SKIP_IF_ALL_VALUES_MISSING', null, 4, 'violated'],
    ['compulsory_pair', 'SKIP_IF_ALL_VALUES_MISSING', null, null, 'skipped'],
    ['compulsory_pair', 'SKIP_IF_ALL_VALUES_MISSING', 0, null, 'violated'], // 0 is a value
    ['compulsory_pair', 'SKIP_IF_ALL_VALUES_MISSING', 0, 0, 'passed'],
    ['compulsory_pair', 'SKIP_IF_ANY_VALUE_MISSING', 3, null, 'violated'],
    // NEVER_SKIP gives a missing side the value 0: the pair always holds
    ['compulsory_pair', 'NEVER_SKIP', 3, null, 'passed'],
    ['exclusive_pair', 'SKIP_IF_ALL_VALUES_MISSING', 3, 4, 'violated'],
    ['exclusive_pair', 'SKIP_IF_ALL_VALUES_MISSING', 3, null, 'passed'],
    ['exclusive_pair', 'SKIP_IF_ALL_VALUES_MISSING', null, 4, 'passed'],
    ['exclusive_pair', 'SKIP_IF_ALL_VALUES_MISSING', null, null, 'skipped'],
    ['exclusive_pair', 'SKIP_IF_ALL_VALUES_MISSING', 0, 0, 'violated'], // zeros are values
    ['exclusive_pair', 'SKIP_IF_ANY_VALUE_MISSING', 0, null, 'passed'],
    ['exclusive_pair', 'NEVER_SKIP', 3, null, 'violated'],
  ];
  for (const [op, s, a, b, want] of cases)
    it(`${op} ${s}: A=${a} B=${b} → ${want}`, () => {
      const out = evaluateRule(rule(op, '#{A}', '#{B}', s), lookupOf({ '#{A}': a, '#{B}': b }));
      assert.equal(out.status, want);
    });
});

describe('validation rules: expressions and input', () => {
  it('reads options: #{E.O}', () => {
    const out = evaluateRule(
      rule('less_than_or_equal_to', '#{SUBS.URBAN}', '#{SUBS}'),
      lookupOf({ '#{SUBS.URBAN}': 70, '#{SUBS}': 60 }),
    );
    assert.deepEqual(out, { status: 'violated', left: 70, right: 60 });
  });
  it('refuses what is not a data element, and bad formulas, in both languages', () => {
    for (const bad of [
      'N{IND}',
      'R{DS.REPORTING_RATE}',
      '[days]',
      'C{K}',
      '#{A}.periodOffset(-1)',
    ]) {
      const r = checkSideExpression(bad, 'left.expression');
      assert.ok('problems' in r, bad);
      assert.ok(r.problems[0]!.vi.length > 0 && r.problems[0]!.en.length > 0);
    }
    const r = checkSideExpression('#{A} +', 'left.expression');
    assert.ok('problems' in r);
    assert.match(r.problems[0]!.en, /position/);
    assert.throws(
      () => evaluateRule(rule('equal_to', 'process.exit()', '1'), () => 1),
      (e: unknown) => e instanceof AppError && e.code === 'validation_rule_invalid',
    );
  });
  it('input defaults as DHIS2: MEDIUM, SKIP_IF_ALL_VALUES_MISSING, all levels', () => {
    const r = ValidationRuleInput.parse({
      code: 'R1',
      nameVi: 'Quy tắc',
      nameEn: 'Rule',
      periodType: 'month',
      operator: 'less_than_or_equal_to',
      left: { expression: '#{A}' },
      right: { expression: '#{B}' },
    });
    assert.equal(r.importance, 'MEDIUM');
    assert.deepEqual(r.levels, []);
    assert.equal(r.left.missingValueStrategy, 'SKIP_IF_ALL_VALUES_MISSING');
    assert.equal(
      ValidationRuleInput.safeParse({ ...r, operator: 'bigger' }).success,
      false,
      'unknown operator',
    );
  });
});
