import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors.ts';
import {
  applyModifiers,
  dependencyOrder,
  evaluate,
  formatExpression,
  FUNCTION_NAMES,
  itemKey,
  itemsOf,
  mapItems,
  parseExpression,
  type Expr,
  type ItemRef,
} from './expression.ts';

type Values = Record<string, number | null>;

/** Evaluates a formula with item values given by item key (`#{A}`, `#{A.B}`, `C{K}`…). */
function run(formula: string, values: Values = {}): number | null {
  return evaluate(parseExpression(formula), (ref) => values[itemKey(ref)] ?? null);
}

/** Evaluates and records which items were looked up. */
function spy(formula: string, values: Values = {}): { value: number | null; asked: string[] } {
  const asked: string[] = [];
  const value = evaluate(parseExpression(formula), (ref) => {
    asked.push(itemKey(ref));
    return values[itemKey(ref)] ?? null;
  });
  return { value, asked };
}

/** Asserts a parse error at the given 1-based position; returns it for further checks. */
function parseFails(formula: string, position: number, fragment?: string | RegExp): AppError {
  let caught: unknown;
  try {
    parseExpression(formula);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof AppError, `expected "${formula}" not to parse`);
  assert.equal(caught.code, 'validation_failed');
  assert.deepEqual(caught.details, { formula, position });
  assert.ok(
    caught.messages.vi.startsWith(`Công thức sai ở vị trí ${position}: `),
    caught.messages.vi,
  );
  assert.ok(
    caught.messages.en.startsWith(`Formula error at position ${position}: `),
    caught.messages.en,
  );
  if (typeof fragment === 'string') {
    assert.ok(
      caught.messages.vi.includes(fragment) || caught.messages.en.includes(fragment),
      `${caught.messages.vi} | ${caught.messages.en}`,
    );
  } else if (fragment) {
    assert.match(`${caught.messages.vi} | ${caught.messages.en}`, fragment);
  }
  return caught;
}

function close(actual: number | null, expected: number, eps = 1e-9): void {
  assert.ok(actual !== null, 'expected a number, got null');
  assert.ok(Math.abs(actual - expected) < eps, `${actual} is not ${expected}`);
}

describe('expression: arithmetic, precedence and associativity', () => {
  it('multiplies before adding, and parentheses override', () => {
    assert.equal(run('2+3*4'), 14);
    assert.equal(run('(2+3)*4'), 20);
    assert.equal(run('2*3+4'), 10);
    assert.equal(run('  2 +\t3 *\n4 '), 14);
  });
  it('subtraction, division and % are left-associative', () => {
    assert.equal(run('10-4-3'), 3);
    assert.equal(run('100/10/5'), 2);
    assert.equal(run('7 % 4'), 3);
    assert.equal(run('2 * 7 % 4'), 2);
    assert.equal(run('-7 % 4'), -3);
  });
  it('^ is right-associative: 2^3^2 = 2^(3^2) = 512', () => {
    assert.equal(run('2^3^2'), 512);
    assert.equal(run('(2^3)^2'), 64);
  });
  it('^ binds tighter than unary minus: -2^2 = -(2^2) = -4; the exponent may carry a sign', () => {
    assert.equal(run('-2^2'), -4);
    assert.equal(run('(-2)^2'), 4);
    assert.equal(run('2^-1'), 0.5);
    assert.equal(run('2*3^2'), 18);
  });
  it('unary signs', () => {
    assert.equal(run('-3 + 5'), 2);
    assert.equal(run('+3'), 3);
    assert.equal(run('- -3'), 3);
    assert.equal(run('3 - -3'), 6);
    assert.equal(run('-(2+3)'), -5);
  });
  it('numbers: integers, decimals, exponents', () => {
    assert.equal(run('100'), 100);
    assert.equal(run('0.5'), 0.5);
    assert.equal(run('.5'), 0.5);
    assert.equal(run('1e3'), 1000);
    assert.equal(run('2.5E-3'), 0.0025);
    assert.equal(run('1e+2'), 100);
  });
  it('× and ÷ (and the − minus sign) read as * / -, as formulas are written in reports', () => {
    assert.equal(run('6 × 7'), 42);
    assert.equal(run('84 ÷ 2'), 42);
    assert.equal(run('5 − 2'), 3);
    assert.equal(run('2 + 3 × 4'), 14);
    assert.deepEqual(parseExpression('#{A} ÷ #{B} × 100'), parseExpression('#{A} / #{B} * 100'));
  });
  it('never returns -0', () => {
    assert.ok(Object.is(run('-0'), 0));
    assert.ok(Object.is(run('-#{A}', { '#{A}': 0 }), 0));
  });
});

describe('expression: comparison and logic', () => {
  it('comparisons give 1 or 0', () => {
    assert.equal(run('1 == 1'), 1);
    assert.equal(run('1 != 1'), 0);
    assert.equal(run('1 < 2'), 1);
    assert.equal(run('2 <= 2'), 1);
    assert.equal(run('1 > 2'), 0);
    assert.equal(run('1 >= 2'), 0);
    assert.equal(run('2 ≤ 2'), 1);
    assert.equal(run('3 ≥ 4'), 0);
    assert.equal(run('3 ≠ 4'), 1);
  });
  it('arithmetic binds tighter than comparison, comparison tighter than && and ||', () => {
    assert.equal(run('1 + 2 == 3'), 1);
    assert.equal(run('1 < 2 && 3 < 2 || 1'), 1);
    assert.equal(run('0 || 1 && 0'), 0); // && before ||
  });
  it('&&, ||, ! and the words and, or, not (any case)', () => {
    assert.equal(run('1 && 0'), 0);
    assert.equal(run('1 || 0'), 1);
    assert.equal(run('!0'), 1);
    assert.equal(run('!5'), 0);
    assert.equal(run('1 and 2'), 1);
    assert.equal(run('0 OR 0'), 0);
    assert.equal(run('Not 0'), 1);
    assert.deepEqual(
      parseExpression('not #{A} and #{B} or #{C}'),
      parseExpression('!#{A} && #{B} || #{C}'),
    );
  });
  it('! binds like a sign: !#{A} > 0 is (!#{A}) > 0', () => {
    assert.equal(formatExpression(parseExpression('!#{A} > 0')), '!#{A} > 0');
    assert.equal(run('!#{A} > 0', { '#{A}': 5 }), 0);
    assert.equal(run('!(#{A} > 0)', { '#{A}': 5 }), 0);
    assert.equal(run('!(#{A} > 10)', { '#{A}': 5 }), 1);
  });
  it('&& and || are lazy', () => {
    assert.deepEqual(spy('0 && #{A}').asked, []);
    assert.deepEqual(spy('1 || #{A}').asked, []);
    assert.deepEqual(spy('1 && #{A}', { '#{A}': 2 }), { value: 1, asked: ['#{A}'] });
  });
  it('comparisons cannot be chained', () => {
    parseFails('1 < 2 < 3', 7, 'chained');
    parseFails('#{A} == #{B} != 1', 14, 'chained');
    assert.equal(run('(1 < 2) < 3'), 1);
  });
});

describe('expression: functions', () => {
  it('if(cond, then, else), lazily', () => {
    assert.equal(run('if(1 > 0, 10, 20)'), 10);
    assert.equal(run('if(0, 10, 20)'), 20);
    assert.deepEqual(spy('if(#{C} > 0, #{A}, #{B})', { '#{C}': 1, '#{A}': 7 }), {
      value: 7,
      asked: ['#{C}', '#{A}'],
    });
    assert.deepEqual(spy('if(#{C} > 0, #{A}, #{B})', { '#{C}': -1, '#{B}': 8 }), {
      value: 8,
      asked: ['#{C}', '#{B}'],
    });
  });
  it('if treats a null condition as false', () => {
    assert.equal(run('if(#{A}, 1, 2)'), 2);
    assert.equal(run('if(#{A} > 0, 1, 2)'), 2);
  });
  it('isNull and isNotNull', () => {
    assert.equal(run('isNull(#{A})'), 1);
    assert.equal(run('isNull(#{A})', { '#{A}': 0 }), 0);
    assert.equal(run('isNotNull(#{A})', { '#{A}': 0 }), 1);
    assert.equal(run('isNotNull(#{A})'), 0);
    assert.equal(run('isNull(#{A} / #{B})', { '#{A}': 1, '#{B}': 0 }), 1);
    assert.equal(run('if(isNull(#{A}), -1, #{A})'), -1);
  });
  it('firstNonNull returns the first argument with a value, lazily', () => {
    assert.equal(run('firstNonNull(#{A}, #{B}, 3)', { '#{B}': 0 }), 0);
    assert.equal(run('firstNonNull(#{A}, #{B})'), null);
    assert.deepEqual(spy('firstNonNull(#{A}, #{B}, #{C})', { '#{A}': 1 }).asked, ['#{A}']);
  });
  it('greatest and least ignore nulls, and are null only when all are', () => {
    assert.equal(run('greatest(1, 5, 3)'), 5);
    assert.equal(run('least(4, -2, 3)'), -2);
    assert.equal(run('greatest(#{A}, 2)'), 2);
    assert.equal(run('least(#{A}, #{B}, 2)', { '#{B}': 7 }), 2);
    assert.equal(run('greatest(#{A}, #{B})'), null);
    assert.equal(run('least(9)'), 9);
  });
  it('abs', () => {
    assert.equal(run('abs(-3.5)'), 3.5);
    assert.equal(run('abs(2)'), 2);
    assert.equal(run('abs(#{A})'), null);
  });
  it('round(x[, digits]) rounds half away from zero, on the decimal value', () => {
    assert.equal(run('round(2.5)'), 3);
    assert.equal(run('round(-2.5)'), -3);
    assert.equal(run('round(2.4)'), 2);
    assert.equal(run('round(72.5914149, 2)'), 72.59);
    assert.equal(run('round(1.005, 2)'), 1.01);
    assert.equal(run('round(-1.005, 2)'), -1.01);
    assert.equal(run('round(1234.5, -2)'), 1200);
    assert.equal(run('round(1250, -2)'), 1300);
    assert.equal(run('round(1e21, 2)'), 1e21);
    assert.equal(run('round(1.5e-7, 7)'), 2e-7);
    assert.equal(run('round(#{A}, 2)'), null);
    assert.equal(run('round(1.234, #{D})'), null);
  });
  it('removeZeros turns 0 into null', () => {
    assert.equal(run('removeZeros(0)'), null);
    assert.equal(run('removeZeros(#{A})', { '#{A}': 0 }), null);
    assert.equal(run('removeZeros(4)'), 4);
    assert.equal(run('#{A} / removeZeros(#{B})', { '#{A}': 1, '#{B}': 0 }), null);
  });
  it('function names are case-insensitive and formatted canonically', () => {
    assert.equal(run('IF(ISNULL(#{A}), FIRSTNONNULL(#{B}, 4), 0)'), 4);
    assert.equal(run('Round(2.5)'), 3);
    assert.equal(formatExpression(parseExpression('ISNOTNULL(1)')), 'isNotNull(1)');
    assert.equal(formatExpression(parseExpression('REMOVEZEROS(#{A})')), 'removeZeros(#{A})');
  });
  it('wrong arity is a parse error at the function name', () => {
    parseFails('if(1,2)', 1, 'if takes 3 arguments, got 2');
    parseFails('1 + if(1,2,3,4)', 5, 'got 4');
    parseFails('abs()', 1, 'abs takes 1 argument, got 0');
    parseFails('round(1,2,3)', 1, 'round takes 1 or 2 arguments, got 3');
    parseFails('greatest()', 1, 'at least 1 argument');
    parseFails('isNull(1, 2)', 1);
    parseFails('removeZeros()', 1);
  });
  it('lists its functions', () => {
    assert.deepEqual([...FUNCTION_NAMES].sort(), [
      'abs',
      'firstNonNull',
      'greatest',
      'if',
      'isNotNull',
      'isNull',
      'least',
      'log',
      'log10',
      'removeZeros',
      'round',
      'subExpression',
    ]);
  });
  it('log(x[, base]) and log10(x); null for 0, negatives and missing values', () => {
    close(run('log(2.718281828459045)'), 1);
    close(run('log(100, 10)'), 2);
    close(run('log(8, 2)'), 3);
    close(run('log10(1000)'), 3);
    close(run('LOG10(#{A})', { '#{A}': 0.01 }), -2);
    assert.equal(run('log(0)'), null);
    assert.equal(run('log(-1)'), null);
    assert.equal(run('log10(0)'), null);
    assert.equal(run('log(#{A})'), null);
    assert.equal(run('log(8, #{B})'), null);
    assert.equal(run('log(8, 1)'), null); // base 1 divides by log(1) = 0
    parseFails('log()', 1, 'log takes 1 or 2 arguments, got 0');
    parseFails('log10(1, 2)', 1, 'log10 takes 1 argument, got 2');
  });
});

describe('expression: items', () => {
  it('parses #{E}, #{E.O}, #{E.O.A}, #{E.*.A}, C{K}, N{I}', () => {
    const refs = itemsOf(parseExpression('#{E} + #{E.O} + #{E.O.A} + #{E.*.A} + C{K} + N{I}'));
    assert.deepEqual(refs, [
      { kind: 'element', element: 'E' },
      { kind: 'element', element: 'E', option: 'O' },
      { kind: 'element', element: 'E', option: 'O', attribute: 'A' },
      { kind: 'element', element: 'E', option: '*', attribute: 'A' },
      { kind: 'constant', code: 'K' },
      { kind: 'indicator', code: 'I' },
    ]);
    assert.deepEqual(refs.map(itemKey), ['#{E}', '#{E.O}', '#{E.O.A}', '#{E.*.A}', 'C{K}', 'N{I}']);
  });
  it('accepts codes and DHIS2 uids with letters, digits, _ and -, and spaces inside braces', () => {
    assert.deepEqual(itemsOf(parseExpression('#{fbfJHSPpUQD.pq2XI5kz2BY} + #{DT-01_x}')), [
      { kind: 'element', element: 'fbfJHSPpUQD', option: 'pq2XI5kz2BY' },
      { kind: 'element', element: 'DT-01_x' },
    ]);
    assert.deepEqual(parseExpression('#{ A . B }'), parseExpression('#{A.B}'));
    assert.deepEqual(parseExpression('#{A}-#{B}'), parseExpression('#{A} - #{B}'));
  });
  it('codes are case-sensitive', () => {
    assert.equal(itemsOf(parseExpression('#{abc} + #{ABC}')).length, 2);
  });
  it('the lookup receives each item with its option and attribute', () => {
    const values: Values = {
      '#{SUBS.URBAN}': 60,
      '#{SUBS.RURAL}': 40,
      '#{SUBS.*.VIETTEL}': 55,
      '#{SUBS.URBAN.VIETTEL}': 30,
      'C{PERCENT}': 100,
    };
    close(run('#{SUBS.URBAN} / (#{SUBS.URBAN} + #{SUBS.RURAL}) * C{PERCENT}', values), 60);
    close(run('#{SUBS.URBAN.VIETTEL} / #{SUBS.*.VIETTEL}', values), 30 / 55);
  });
  it('itemsOf lists each item once, in order of first appearance, from every branch', () => {
    const refs = itemsOf(parseExpression('if(#{B} > 0, #{A} / #{B}, N{X}) + #{A} + C{K} + N{X}'));
    assert.deepEqual(refs.map(itemKey), ['#{B}', '#{A}', 'N{X}', 'C{K}']);
    assert.deepEqual(itemsOf(parseExpression('1 + 2')), []);
  });
  it('a lookup answer that is not a finite number counts as null', () => {
    assert.equal(
      evaluate(parseExpression('#{A} * 2'), () => Number.NaN),
      null,
    );
    assert.equal(
      evaluate(parseExpression('#{A} * 2'), () => Number.POSITIVE_INFINITY),
      null,
    );
  });
});

describe('expression: the share of smartphone subscribers, after aggregation', () => {
  const values: Values = { '#{SMARTPHONE_SUBS}': 91.32e6, '#{MOBILE_SUBS}': 125.8e6 };
  it('#{SMARTPHONE_SUBS}/#{MOBILE_SUBS}*100', () => {
    const share = run('#{SMARTPHONE_SUBS}/#{MOBILE_SUBS}*100', values);
    close(share, 72.59141494435612, 1e-9);
    assert.equal(run('round(#{SMARTPHONE_SUBS} / #{MOBILE_SUBS} × 100, 1)', values), 72.6);
  });
  it('is the ratio of totals, not a total of ratios', () => {
    // Two provinces: 9/10 and 1/90. The national share is 10/100, not 0.9 + 0.011.
    const national = run('#{S} / #{M} * 100', { '#{S}': 9 + 1, '#{M}': 10 + 90 });
    close(national, 10);
  });
  it('is null when the denominator is missing or zero', () => {
    assert.equal(run('#{SMARTPHONE_SUBS}/#{MOBILE_SUBS}*100', { '#{SMARTPHONE_SUBS}': 5 }), null);
    assert.equal(
      run('#{SMARTPHONE_SUBS}/#{MOBILE_SUBS}*100', {
        '#{SMARTPHONE_SUBS}': 5,
        '#{MOBILE_SUBS}': 0,
      }),
      null,
    );
  });
});

describe('expression: missing values', () => {
  it('a ratio with a missing numerator or denominator is null', () => {
    assert.equal(run('#{A} / #{B}', { '#{A}': 1 }), null);
    assert.equal(run('#{A} / #{B}', { '#{B}': 1 }), null);
  });
  it('#{A} + #{B} with B missing is A; with both missing it is null', () => {
    assert.equal(run('#{A} + #{B}', { '#{A}': 4 }), 4);
    assert.equal(run('#{A} + #{B}', { '#{B}': 4 }), 4);
    assert.equal(run('#{A} + #{B}'), null);
    assert.equal(run('#{A} + #{B}', { '#{A}': 0 }), 0);
  });
  it('a +/- chain is null only when every data term is null; otherwise nulls count as 0', () => {
    assert.equal(run('#{A} - #{B}', { '#{B}': 4 }), -4);
    assert.equal(run('#{A} + #{B} - #{C}', { '#{C}': 1 }), -1);
    assert.equal(run('#{A} - (#{B} + #{C})'), null);
    assert.equal(run('#{A} - (#{B} + #{C})', { '#{C}': 2 }), -2);
    assert.equal(run('#{A} * 2 + #{B}', { '#{B}': 3 }), 3);
    assert.equal(run('N{X} + #{B}', { 'N{X}': 3 }), 3);
  });
  it('plain numbers and constants do not keep a chain alive', () => {
    assert.equal(run('#{A} + 1'), null);
    assert.equal(run('#{A} + C{K}', { 'C{K}': 5 }), null);
    assert.equal(run('#{A} + 1', { '#{A}': 2 }), 3);
    assert.equal(run('1 + 2'), 3);
    assert.equal(run('C{K} + 1', { 'C{K}': 5 }), 6);
  });
  it('*, /, %, ^ and unary minus with a null operand are null', () => {
    assert.equal(run('#{A} * 2'), null);
    assert.equal(run('2 * #{A}'), null);
    assert.equal(run('#{A} / 2'), null);
    assert.equal(run('#{A} % 2'), null);
    assert.equal(run('#{A} ^ 2'), null);
    assert.equal(run('2 ^ #{A}'), null);
    assert.equal(run('-#{A}'), null);
    assert.equal(run('C{K} * 100'), null);
  });
  it('comparisons with null are false, != included; isNull tests for it', () => {
    assert.equal(run('#{A} == 0'), 0);
    assert.equal(run('#{A} != 0'), 0);
    assert.equal(run('#{A} < 1'), 0);
    assert.equal(run('#{A} >= 1'), 0);
    assert.equal(run('#{A} == #{B}'), 0);
    assert.equal(run('isNull(#{A})'), 1);
    assert.equal(run('!#{A}'), 1);
  });
  it('division by zero is null, never Infinity or NaN', () => {
    assert.equal(run('1 / 0'), null);
    assert.equal(run('0 / 0'), null);
    assert.equal(run('5 % 0'), null);
    assert.equal(run('#{A} / #{B}', { '#{A}': 3, '#{B}': 0 }), null);
    assert.equal(run('0 ^ -1'), null);
    assert.equal(run('(-8) ^ 0.5'), null);
    assert.equal(run('1e308 * 10'), null);
  });
  it('a term that divides by zero counts as a missing term in a sum', () => {
    assert.equal(run('#{A} / #{B} + #{C}', { '#{A}': 1, '#{B}': 0, '#{C}': 2 }), 2);
    assert.equal(run('#{A} / #{B} + #{C}', { '#{A}': 1, '#{B}': 0 }), null);
  });
});

describe('expression: formatting', () => {
  const cases: [string, string][] = [
    ['#{A}/#{B}×100', '#{A} / #{B} * 100'],
    ['2+3*4', '2 + 3 * 4'],
    ['(2+3)*4', '(2 + 3) * 4'],
    ['2^3^2', '2 ^ 3 ^ 2'],
    ['(2^3)^2', '(2 ^ 3) ^ 2'],
    ['-2^2', '-2 ^ 2'],
    ['(-2)^2', '(-2) ^ 2'],
    ['2^-1', '2 ^ -1'],
    ['2^(1+1)', '2 ^ (1 + 1)'],
    ['-(2*3)', '-(2 * 3)'],
    ['+#{A}', '#{A}'],
    ['#{A} - (#{B} - #{C})', '#{A} - (#{B} - #{C})'],
    ['(#{A} - #{B}) - #{C}', '#{A} - #{B} - #{C}'],
    ['#{A} + (#{B} + #{C})', '#{A} + (#{B} + #{C})'],
    ['not #{A} and (#{B} or #{C})', '!#{A} && (#{B} || #{C})'],
    ['!(#{A} > 0)', '!(#{A} > 0)'],
    ['(1 < 2) == (3 > 2)', '(1 < 2) == (3 > 2)'],
    ['IF( #{A}>=1 ,1,0 )', 'if(#{A} >= 1, 1, 0)'],
    ['firstnonnull(#{ A . B },C{K},N{I})', 'firstNonNull(#{A.B}, C{K}, N{I})'],
    ['#{E.*.A}', '#{E.*.A}'],
    ['1e3 + 0.5 + .25', '1000 + 0.5 + 0.25'],
    ['1e21', '1e+21'],
    ['--1', '--1'],
    ['2 ≥ 1', '2 >= 1'],
  ];
  for (const [input, expected] of cases) {
    it(`${input}  →  ${expected}`, () => {
      const e = parseExpression(input);
      assert.equal(formatExpression(e), expected);
      assert.deepEqual(parseExpression(formatExpression(e)), e);
    });
  }
  it('parse(format(x)) equals x for assorted formulas', () => {
    const formulas = [
      'if(isNull(#{A}), firstNonNull(#{B}, 0), round(#{A} / #{B} * 100, 2)) - -#{C} ^ -2',
      '((#{A} + #{B}) * (#{C} - #{D})) % 7 / greatest(1, least(#{E}, 3))',
      '#{A} > 1 || #{B} <= 2 && !(#{C} == 3) or not #{D} != 4',
      'abs(-#{X.Y.Z}) ^ 0.5 ^ 2 + removeZeros(N{IND} - C{K})',
      '-(-(-1))',
      '(2 ^ 3) ^ (-2) ^ 2',
    ];
    for (const f of formulas) {
      const e = parseExpression(f);
      assert.deepEqual(parseExpression(formatExpression(e)), e, f);
      assert.equal(
        evaluate(parseExpression(formatExpression(e)), () => 3),
        evaluate(e, () => 3),
      );
    }
  });
  it('the AST is plain data', () => {
    const e: Expr = parseExpression('#{A} / 2');
    assert.deepEqual(e, {
      type: 'binary',
      op: '/',
      left: { type: 'item', ref: { kind: 'element', element: 'A' } },
      right: { type: 'number', value: 2 },
    });
  });
});

describe('expression: parse errors say where and what', () => {
  it('#{A} + : a value is missing at the end', () => {
    parseFails('#{A} +', 7, 'the formula ends where a value is expected');
  });
  it("(#{A} : thiếu dấu ')'", () => {
    const err = parseFails('(#{A}', 6, "thiếu dấu ')'");
    assert.match(err.messages.en, /missing '\)'/);
    parseFails('round((#{A}, 2)', 12, "thiếu dấu ')'");
    parseFails('abs(#{A}', 9, "missing ')'");
  });
  it('#{A} #{B} : an operator is missing', () => {
    parseFails('#{A} #{B}', 6, 'an operator is missing between two values');
    parseFails('2 (3)', 3, 'operator is missing');
    parseFails('abs(1 2)', 7, 'operator is missing');
  });
  it('foo(1) : unknown function', () => {
    parseFails('foo(1)', 1, 'unknown function "foo"');
    parseFails('1 + sum(#{A})', 5, 'unknown function "sum"');
  });
  it('#{} : the code is missing', () => {
    parseFails('#{}', 3, 'code is missing');
    parseFails('#{ }', 4, 'code is missing');
    parseFails('C{}', 3, 'code is missing');
    parseFails('#{A.}', 5, "a code is missing after '.'");
    parseFails('#{.A}', 3, 'code is missing');
  });
  it('malformed items', () => {
    parseFails('#{A', 4, "missing '}'");
    parseFails('#{A B}', 5, "expected '.' or '}'");
    parseFails('#{A$}', 4, "unexpected character '$' in a code");
    parseFails('#{A.B.C.D}', 8, 'at most 3 parts');
    parseFails('C{A.B}', 4, 'single code');
    parseFails('N{A.B}', 4, 'single code');
    parseFails('#{A.*.*}', 7, 'write #{A} for the total');
    parseFails('#{*}', 3, "'*'");
    parseFails('#{*.B}', 3, "'*'");
    parseFails('#A', 1, "'#' must be followed by '{'");
    parseFails('OUG{G}', 1, 'not supported');
    parseFails('D{P.E}', 1, 'not supported');
    parseFails('c{K}', 1, 'not supported');
  });
  it('if(1,2) : wrong number of arguments', () => {
    parseFails('if(1,2)', 1, 'if takes 3 arguments');
  });
  it('a stray character', () => {
    parseFails('$', 1, "unexpected character '$'");
    parseFails('#{A} $ 2', 6, "ký tự không hợp lệ '$'");
    parseFails('#{A} @ 2', 6);
    parseFails('"text"', 1);
    parseFails('#{A};', 5);
    parseFails('[1]', 1);
  });
  it('eval-like input is simply a parse error', () => {
    parseFails('process.exit()', 1, 'unknown name "process"');
    parseFails('constructor', 1, 'unknown name "constructor"');
    parseFails('constructor(1)', 1, 'unknown function "constructor"');
    parseFails('__proto__', 1, 'unknown name');
    parseFails('toString(1)', 1, 'unknown function');
    parseFails('hasOwnProperty(1)', 1, 'unknown function');
    parseFails('this', 1);
    parseFails('x => 1', 1);
    parseFails('require("fs")', 1);
    parseFails('1; process.exit()', 2);
    parseFails('`1`', 1);
    parseFails('#{A} + thuê_bao', 8, 'unknown name "thuê_bao"');
  });
  it('other mistakes', () => {
    parseFails('', 1, 'the formula is empty');
    parseFails('   ', 1, 'the formula is empty');
    parseFails(')', 1, "a value is missing before ')'");
    parseFails('1)', 2, "unmatched ')'");
    parseFails('* 2', 1, "a value is missing before '*'");
    parseFails('2 * / 3', 5, "a value is missing before '/'");
    parseFails('()', 2, "a value is missing before ')'");
    parseFails('1,5', 2, "',' only separates");
    parseFails('(1, 2)', 3, "missing ')' (the '(' at position 1 is not closed)");
    parseFails('abs(1,)', 7, "a value is missing before ')'");
    parseFails('abs', 4, "missing '(' after the function name abs");
    parseFails('1 = 1', 3, "use '=='");
    parseFails('1 & 1', 3, "use '&&'");
    parseFails('1 | 1', 3, "use '||'");
    parseFails('1.2.3', 1, 'invalid number "1.2.3"');
    parseFails('2x', 1, 'invalid number "2x"');
    parseFails('5.', 1, 'invalid number');
    parseFails('1e999', 1, 'number too large');
    parseFails('1 and', 6, 'ends where a value is expected');
  });
  it('the first problem in reading order is the one reported', () => {
    parseFails('foo + $', 1, 'unknown name "foo"');
    parseFails('(1 + $', 6, "'$'");
  });
  it('refuses nesting deep enough to threaten the stack, and very long formulas', () => {
    const deep = '('.repeat(5000) + '1' + ')'.repeat(5000);
    parseFails(deep, 201, 'nested too deeply');
    const signs = '-'.repeat(5000) + '1';
    parseFails(signs, 201, 'nested too deeply');
    parseFails('2*'.repeat(1000) + '1', 2000, 'too complex');
    assert.equal(
      evaluate(parseExpression('2*'.repeat(999) + '1'), () => null),
      2 ** 999,
    );
    assert.throws(
      () => parseExpression('1+'.repeat(20_000) + '1'),
      (err: unknown) => err instanceof AppError && err.messages.en.includes('longer than 20000'),
    );
  });
  it('still takes long sums of many parts', () => {
    const parts = Array.from({ length: 700 }, (_, i) => `#{P${i}}`);
    const e = parseExpression(parts.join(' + '));
    assert.equal(
      evaluate(e, () => 1),
      700,
    );
    assert.equal(itemsOf(e).length, 700);
    assert.deepEqual(parseExpression(formatExpression(e)), e);
  });
});

describe("expression: DHIS2's items by uid", () => {
  it('takes uids wherever codes are taken: #{uid}, #{uid.uid}, #{uid.uid.uid}, #{uid.*.uid}, N{uid}', () => {
    const refs = itemsOf(
      parseExpression(
        '#{fbfJHSPpUQD} + #{fbfJHSPpUQD.pq2XI5kz2BY} + #{fbfJHSPpUQD.pq2XI5kz2BY.HllvX50cXC0}' +
          ' + #{fbfJHSPpUQD.*.HllvX50cXC0} + N{Uid0000Ind1}',
      ),
    );
    assert.deepEqual(refs, [
      { kind: 'element', element: 'fbfJHSPpUQD' },
      { kind: 'element', element: 'fbfJHSPpUQD', option: 'pq2XI5kz2BY' },
      { kind: 'element', element: 'fbfJHSPpUQD', option: 'pq2XI5kz2BY', attribute: 'HllvX50cXC0' },
      { kind: 'element', element: 'fbfJHSPpUQD', option: '*', attribute: 'HllvX50cXC0' },
      { kind: 'indicator', code: 'Uid0000Ind1' },
    ]);
  });
  it("reads DHIS2's #{E.*} as #{E} and #{E.O.*} as #{E.O}", () => {
    assert.deepEqual(parseExpression('#{E.*}'), parseExpression('#{E}'));
    assert.deepEqual(parseExpression('#{E.O.*}'), parseExpression('#{E.O}'));
    assert.equal(formatExpression(parseExpression('#{E.*} + #{E.O.*}')), '#{E} + #{E.O}');
  });
});

describe('expression: modifiers .periodOffset, .yearToDate, .aggregationType', () => {
  const refsOf = (formula: string) => itemsOf(parseExpression(formula));
  it('are stored on the item they follow', () => {
    assert.deepEqual(
      refsOf('#{A}.periodOffset(-1) + #{A}.yearToDate() + #{A}.aggregationType(MAX)'),
      [
        { kind: 'element', element: 'A', periodOffset: -1 },
        { kind: 'element', element: 'A', yearToDate: true },
        { kind: 'element', element: 'A', aggregationType: 'MAX' },
      ],
    );
    assert.deepEqual(refsOf('#{A.B}.periodOffset( +2 )'), [
      { kind: 'element', element: 'A', option: 'B', periodOffset: 2 },
    ]);
  });
  it('chain: offsets add up, year-to-date stays, the inner aggregation type wins', () => {
    assert.deepEqual(refsOf('#{A}.periodOffset(-1).periodOffset(-2).yearToDate()'), [
      { kind: 'element', element: 'A', periodOffset: -3, yearToDate: true },
    ]);
    assert.deepEqual(refsOf('#{A}.periodOffset(1).periodOffset(-1)'), [
      { kind: 'element', element: 'A' },
    ]);
    assert.deepEqual(refsOf('#{A}.periodOffset(0)'), [{ kind: 'element', element: 'A' }]);
    assert.deepEqual(refsOf('#{A}.aggregationType(MAX).aggregationType(MIN)'), [
      { kind: 'element', element: 'A', aggregationType: 'MAX' },
    ]);
    assert.deepEqual(refsOf('(#{A}.aggregationType(MAX) + #{B}).aggregationType(MIN)'), [
      { kind: 'element', element: 'A', aggregationType: 'MAX' },
      { kind: 'element', element: 'B', aggregationType: 'MIN' },
    ]);
  });
  it('after a bracket or a call, reach every item inside', () => {
    const e = parseExpression(
      '(#{A} + #{B}).periodOffset(-1) + if(#{C} > 0, #{C}, 0).yearToDate()',
    );
    assert.equal(
      formatExpression(e),
      '#{A}.periodOffset(-1) + #{B}.periodOffset(-1) + if(#{C}.yearToDate() > 0, #{C}.yearToDate(), 0)',
    );
    assert.deepEqual(
      parseExpression('-#{A}.periodOffset(-12)'),
      parseExpression('(-#{A}).periodOffset(-12)'),
    );
  });
  it('apply to N{…}, R{…} and [days] too (an aggregation type only to #{…}, N{…} and subExpression)', () => {
    assert.deepEqual(refsOf('N{I}.periodOffset(-12).aggregationType(SUM)'), [
      { kind: 'indicator', code: 'I', periodOffset: -12, aggregationType: 'SUM' },
    ]);
    assert.deepEqual(refsOf('R{DS.REPORTING_RATE}.periodOffset(-1) * [days].yearToDate()'), [
      { kind: 'reportingRate', dataSet: 'DS', metric: 'REPORTING_RATE', periodOffset: -1 },
      { kind: 'days', yearToDate: true },
    ]);
    assert.deepEqual(refsOf('(#{A} + [days]).aggregationType(LAST)'), [
      { kind: 'element', element: 'A', aggregationType: 'LAST' },
      { kind: 'days' },
    ]);
  });
  it('names and aggregation types in any case, printed canonically; every DHIS2 type Opsroom computes', () => {
    assert.equal(
      formatExpression(
        parseExpression('#{A}.PeriodOffset(-1).yeartodate().aggregationtype(average)'),
      ),
      '#{A}.periodOffset(-1).yearToDate().aggregationType(AVERAGE)',
    );
    for (const t of [
      'SUM',
      'AVERAGE',
      'AVERAGE_SUM_ORG_UNIT',
      'LAST',
      'LAST_AVERAGE_ORG_UNIT',
      'COUNT',
      'MIN',
      'MAX',
    ])
      assert.deepEqual(refsOf(`#{A}.aggregationType(${t})`), [
        { kind: 'element', element: 'A', aggregationType: t },
      ]);
  });
  it('give each reading of an element its own key, so values never collide', () => {
    const values: Values = {
      '#{A}': 10,
      '#{A}.periodOffset(-1)': 7,
      '#{A}.yearToDate()': 25,
      '#{A}.aggregationType(MAX)': 6,
    };
    assert.equal(run('#{A} - #{A}.periodOffset(-1)', values), 3);
    assert.equal(run('#{A} / #{A}.yearToDate() * 100', values), 40);
    assert.equal(run('#{A}.aggregationType(MAX)', values), 6);
    assert.equal(run('#{A}.periodOffset(-2)', values), null);
  });
  it('print and parse back to the same tree', () => {
    for (const f of [
      '#{A}.periodOffset(-1).yearToDate().aggregationType(MAX) / N{I}.periodOffset(2)',
      '(#{A} + #{B.C}).periodOffset(-12) - R{DS.ACTUAL_REPORTS}.yearToDate() * [days]',
      'subExpression(if(#{A}.periodOffset(-1) > 0, 1, 0)).aggregationType(COUNT)',
    ]) {
      const e = parseExpression(f);
      assert.deepEqual(parseExpression(formatExpression(e)), e, f);
    }
  });
  it('refuse what DHIS2 refuses, or what Opsroom cannot compute, saying why', () => {
    parseFails('#{A}.aggregationType(FOO)', 22, 'takes an aggregation type: SUM, AVERAGE');
    parseFails('#{A}.aggregationType(STDDEV)', 22, 'takes an aggregation type');
    parseFails('#{A}.aggregationType()', 22, 'takes an aggregation type');
    parseFails('#{A}.periodOffset(1.5)', 19, 'whole number');
    parseFails('#{A}.periodOffset()', 19, 'whole number');
    parseFails('#{A}.periodOffset(20000)', 19, 'from -10000 to 10000');
    parseFails('#{A}.periodOffset(#{B})', 19, 'whole number');
    parseFails('#{A}.yearToDate(1)', 17, "missing ')'");
    parseFails('#{A}.yearToDate', 16, "missing '('");
    parseFails('#{A}.minDate(2020-01-01)', 5, 'predictors or program indicators');
    parseFails('#{A}.foo()', 5, 'unknown modifier ".foo"');
    parseFails('(1 + 2).periodOffset(1)', 8, 'applies to #{…}, N{…}, R{…}, [days]');
    parseFails('[days].aggregationType(SUM)', 7, 'applies to #{…}, N{…} and subExpression');
    parseFails('#{A} + .yearToDate()', 8, 'a value is missing before ".yearToDate"');
    parseFails('#{A}.', 5, "unexpected character '.'");
  });
});

describe('expression: subExpression', () => {
  it('is an item made of its formula; itemsOf lists the data elements inside unless told not to', () => {
    const e = parseExpression('subExpression(if(#{A} > #{B}.periodOffset(-1), 1, 0)) * 2');
    const sub = itemsOf(e, { intoSubExpressions: false });
    assert.equal(sub.length, 1);
    assert.equal(sub[0]?.kind, 'subExpression');
    assert.equal(itemKey(sub[0]), 'subExpression(if(#{A} > #{B}.periodOffset(-1), 1, 0))');
    assert.deepEqual(itemsOf(e).map(itemKey), [
      'subExpression(if(#{A} > #{B}.periodOffset(-1), 1, 0))',
      '#{A}',
      '#{B}.periodOffset(-1)',
    ]);
  });
  it('takes an aggregation type as its own (how unit results are totalled), not inside; period modifiers reach inside', () => {
    const [sub] = itemsOf(
      parseExpression('subExpression(#{A} * [days]).aggregationType(AVERAGE).periodOffset(-1)'),
      { intoSubExpressions: false },
    );
    assert.equal(
      itemKey(sub!),
      'subExpression(#{A}.periodOffset(-1) * [days].periodOffset(-1)).aggregationType(AVERAGE)',
    );
  });
  it('is data in sums, and its value comes from the lookup', () => {
    const key = 'subExpression(#{A} / #{B})';
    assert.equal(run(`${key} + 1`, { [key]: 4 }), 5);
    assert.equal(run(`subExpression(#{A} / #{B}) + #{C}`), null);
  });
  it('holds data elements (and [days]) only, and at least one', () => {
    parseFails('subExpression(N{I} + #{A})', 1, 'not N{I}');
    parseFails('subExpression(R{DS.REPORTING_RATE})', 1, 'data elements #{…} (and [days]) only');
    parseFails('subExpression(subExpression(#{A}))', 1, 'not subExpression(#{A})');
    parseFails('subExpression(1 + [days])', 1, 'at least one data element');
    parseFails('subExpression(#{A}, #{B})', 19, 'subExpression takes 1 argument');
    parseFails('subExpression #{A}', 15, "missing '(' after the function name subExpression");
    parseFails('subExpression(#{A}', 19, "missing ')'");
  });
});

describe('expression: R{…} and [days]', () => {
  it("R{DATA_SET.METRIC} for each of DHIS2's reporting metrics, by code or uid", () => {
    assert.deepEqual(
      itemsOf(
        parseExpression(
          'R{DS.REPORTING_RATE} + R{DS.reporting_rate_on_time} + R{BfMAe6Itzgt.ACTUAL_REPORTS} + R{DS.ACTUAL_REPORTS_ON_TIME} + R{DS.EXPECTED_REPORTS}',
        ),
      ).map(itemKey),
      [
        'R{DS.REPORTING_RATE}',
        'R{DS.REPORTING_RATE_ON_TIME}',
        'R{BfMAe6Itzgt.ACTUAL_REPORTS}',
        'R{DS.ACTUAL_REPORTS_ON_TIME}',
        'R{DS.EXPECTED_REPORTS}',
      ],
    );
    parseFails('R{DS}', 5, 'R{…} needs what to read');
    parseFails('R{DS.RATE}', 6, 'REPORTING_RATE, REPORTING_RATE_ON_TIME');
    parseFails('R{DS.REPORTING_RATE.X}', 20, 'R{…} has two parts');
    parseFails('R{*.REPORTING_RATE}', 3, "'*'");
  });
  it('[days] is the number of days the lookup gives, and like a constant keeps no sum alive', () => {
    assert.equal(run('#{A} / [days]', { '#{A}': 62, '[days]': 31 }), 2);
    assert.equal(run('#{A} + [ DAYS ]', { '[days]': 31 }), null);
    assert.equal(run('[days] + 1', { '[days]': 28 }), 29);
    parseFails('[day]', 1, 'only [days]');
    parseFails('[1]', 1, 'only [days]');
  });
});

describe('expression: applyModifiers and mapItems', () => {
  it('applyModifiers reads a formula as if each item were followed by the modifiers', () => {
    const { expr, reached } = applyModifiers(parseExpression('#{A} / N{I} + 1'), {
      periodOffset: -12,
    });
    assert.equal(reached, true);
    assert.equal(formatExpression(expr), '#{A}.periodOffset(-12) / N{I}.periodOffset(-12) + 1');
    assert.equal(applyModifiers(parseExpression('1 + C{K}'), { yearToDate: true }).reached, false);
  });
  it('mapItems replaces items, inside subExpression too', () => {
    const e = mapItems(parseExpression('#{a} + subExpression(#{b} * 2)'), (r) =>
      r.kind === 'element' ? { ...r, element: r.element.toUpperCase() } : r,
    );
    assert.equal(formatExpression(e), '#{A} + subExpression(#{B} * 2)');
  });
});

describe('indicators referring to indicators', () => {
  const ind = (code: string, formula: string) => ({ code, formula });

  it('orders each indicator after those it refers to (in the order it names them), otherwise keeping the input order', () => {
    const ordered = dependencyOrder([
      ind('GAP', 'N{TARGET} - N{SHARE}'),
      ind('SHARE', '#{SMARTPHONE_SUBS} / #{MOBILE_SUBS} * 100'),
      ind('TARGET', '85'),
      ind('OTHER', '#{X}'),
      ind('GAP2', 'N{GAP} * 2 + N{SHARE}'),
    ]);
    assert.deepEqual(
      ordered.map((o) => o.code),
      ['TARGET', 'SHARE', 'GAP', 'OTHER', 'GAP2'],
    );
    const gap2 = ordered.find((o) => o.code === 'GAP2');
    assert.deepEqual(gap2?.dependsOn, ['GAP', 'SHARE']);
    assert.equal(gap2?.indicator.formula, 'N{GAP} * 2 + N{SHARE}');
    assert.equal(
      formatExpression(gap2?.expr ?? { type: 'number', value: 0 }),
      'N{GAP} * 2 + N{SHARE}',
    );
  });

  it('lets the caller evaluate in that order, feeding results into N{…}', () => {
    const values: Values = { '#{S}': 9132, '#{M}': 12580 };
    const results = new Map<string, number | null>();
    for (const o of dependencyOrder([ind('GAP', '85 - N{SHARE}'), ind('SHARE', '#{S}/#{M}*100')])) {
      const lookup = (ref: ItemRef) =>
        ref.kind === 'indicator' ? (results.get(ref.code) ?? null) : (values[itemKey(ref)] ?? null);
      results.set(o.code, evaluate(o.expr, lookup));
    }
    close(results.get('GAP') ?? null, 85 - (9132 / 12580) * 100);
  });

  it('refuses a cycle between indicators, naming it', () => {
    assert.throws(
      () => dependencyOrder([ind('A', 'N{B} + 1'), ind('B', 'N{A} * 2')]),
      (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'validation_failed');
        assert.deepEqual(err.details, { cycle: ['A', 'B', 'A'] });
        assert.match(err.messages.vi, /vòng tròn.*A → B → A/);
        assert.match(err.messages.en, /cycle: A → B → A/);
        return true;
      },
    );
  });

  it('refuses longer cycles and an indicator that refers to itself', () => {
    assert.throws(
      () =>
        dependencyOrder([
          ind('X', '#{E}'),
          ind('A', 'N{X} + N{B}'),
          ind('B', 'N{C}'),
          ind('C', 'if(1, N{A}, 0)'),
        ]),
      (err: unknown) =>
        err instanceof AppError &&
        JSON.stringify(err.details) === JSON.stringify({ cycle: ['A', 'B', 'C', 'A'] }),
    );
    assert.throws(
      () => dependencyOrder([ind('SELF', 'N{SELF} + 1')]),
      (err: unknown) =>
        err instanceof AppError &&
        JSON.stringify(err.details) === JSON.stringify({ cycle: ['SELF', 'SELF'] }),
    );
  });

  it('refuses references to unknown indicators, duplicate codes and formulas that do not parse', () => {
    assert.throws(
      () => dependencyOrder([ind('A', 'N{NOPE}')]),
      (err: unknown) =>
        err instanceof AppError &&
        err.code === 'validation_failed' &&
        err.messages.en.includes('N{NOPE}'),
    );
    assert.throws(
      () => dependencyOrder([ind('A', '1'), ind('A', '2')]),
      (err: unknown) => err instanceof AppError && err.messages.en.includes('Duplicate'),
    );
    assert.throws(
      () => dependencyOrder([ind('OK', '1'), ind('BAD', '(#{A}')]),
      (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'validation_failed');
        assert.deepEqual(err.details, { formula: '(#{A}', position: 6, indicator: 'BAD' });
        assert.ok(err.messages.vi.startsWith('Chỉ số BAD: Công thức sai ở vị trí 6'));
        return true;
      },
    );
  });

  it('accepts an empty list', () => {
    assert.deepEqual(dependencyOrder([]), []);
  });

  it('follows N{uid} to the indicator with that DHIS2 uid, and names it by code', () => {
    const ordered = dependencyOrder([
      { code: 'GAP', uid: 'GapIndic001', formula: '85 - N{ShareIndic1}' },
      { code: 'SHARE', uid: 'ShareIndic1', formula: '#{S} / #{M} * 100' },
      { code: 'BOTH', uid: null, formula: 'N{SHARE} + N{ShareIndic1} + N{GapIndic001}' },
    ]);
    assert.deepEqual(
      ordered.map((o) => [o.code, o.dependsOn]),
      [
        ['SHARE', []],
        ['GAP', ['SHARE']],
        ['BOTH', ['SHARE', 'GAP']],
      ],
    );
    assert.throws(
      () => dependencyOrder([{ code: 'A', uid: 'AAAAAAAAAA1', formula: 'N{AAAAAAAAAA1}' }]),
      (err: unknown) =>
        err instanceof AppError && JSON.stringify(err.details) === '{"cycle":["A","A"]}',
    );
  });
});
