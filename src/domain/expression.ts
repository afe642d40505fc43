/**
 * Formulas of computed indicators, in the spirit of DHIS2's indicator expressions
 * (DHIS2 reference notes, §1 "Indicators"): `#{SMARTPHONE_SUBS} / #{MOBILE_SUBS} * 100`.
 *
 * A formula runs AFTER aggregation: the items are looked up as totals for the unit and period
 * at hand, so a national share is the ratio of national totals, not a sum of provincial ratios.
 *
 * Pipeline: a hand-written lazy tokenizer, a recursive-descent parser producing a
 * position-free AST (so `parseExpression(formatExpression(e))` deep-equals `e`), and an
 * evaluator over the AST.
 * Nothing is ever handed to `eval`/`Function`; names outside braces can only be the functions
 * listed in FUNCTIONS and the keywords and/or/not, so `process.exit()` is a parse error.
 *
 * Grammar, loosest binding first:
 *   1 `||` `or`                 left-associative
 *   2 `&&` `and`                left-associative
 *   3 `==` `!=` `<` `<=` `>` `>=` (also `≠` `≤` `≥`)   not chainable: `a < b < c` is an error
 *   4 `+` `-` (also `−`)        left-associative
 *   5 `*` `/` `%` (also `×` `÷`) left-associative
 *   6 unary `-` `+` `!` `not`
 *   7 `^`                       right-associative, binds tighter than unary minus, so
 *                               `-2^2` = -(2^2) = -4 (as in mathematics and DHIS2), `2^3^2` = 512,
 *                               and the exponent may carry a sign: `2^-1` = 0.5
 *   8 numbers, items, function calls, parentheses
 *
 * Values are numbers or null (no value); comparisons and logic give 1 (true) or 0 (false);
 * null and 0 are false, any other number is true. See `evaluate` for the null rules.
 *
 * DHIS2's indicator language (DHIS2 reference notes, §1; its expression grammar):
 * - items by code or DHIS2 uid: `#{E}`, `#{E.O}`, `#{E.O.A}`, `#{E.*.A}` (and DHIS2's `#{E.*}`,
 *   `#{E.O.*}`, the same as `#{E}` and `#{E.O}`), `N{I}` (an indicator), `C{K}` (a constant),
 *   `R{DS.REPORTING_RATE}` (a data set's reporting: REPORTING_RATE, REPORTING_RATE_ON_TIME,
 *   ACTUAL_REPORTS, ACTUAL_REPORTS_ON_TIME, EXPECTED_REPORTS), `[days]` (days in the period);
 * - modifiers after any value, chainable, binding tightest (level 8): `.periodOffset(n)` (the
 *   period n periods away, of the same type; offsets add up), `.yearToDate()` (from the start of
 *   the period's year to its end), `.aggregationType(T)` (T one of ITEM_AGGREGATION_TYPES; an
 *   inner one wins over an outer one). A modifier reaches every item inside what it follows —
 *   `(#{A} + #{B}).periodOffset(-1)` is `#{A}.periodOffset(-1) + #{B}.periodOffset(-1)` — and is
 *   stored on those items, so the AST keeps no modifier node; on `subExpression(…)` an
 *   aggregationType is the sub-expression's own (how its per-unit results are totalled) and does
 *   not reach inside, while period modifiers do;
 * - `subExpression(x)`: x evaluated at each unit holding values (of data elements only), then
 *   totalled over those units — stored as an item, since only the caller can read per unit.
 */
import { AppError } from './errors.ts';

// ---------------------------------------------------------------------------------------------
// Types

/** DHIS2's aggregation types an item may ask for with `.aggregationType(T)`. */
export const ITEM_AGGREGATION_TYPES = [
  'SUM',
  'AVERAGE',
  'AVERAGE_SUM_ORG_UNIT',
  'LAST',
  'LAST_AVERAGE_ORG_UNIT',
  'COUNT',
  'MIN',
  'MAX',
] as const;
export type ItemAggregationType = (typeof ITEM_AGGREGATION_TYPES)[number];

/** What `R{DATA_SET.METRIC}` reads of a data set's reports. */
export const REPORTING_METRICS = [
  'REPORTING_RATE',
  'REPORTING_RATE_ON_TIME',
  'ACTUAL_REPORTS',
  'ACTUAL_REPORTS_ON_TIME',
  'EXPECTED_REPORTS',
] as const;
export type ReportingMetric = (typeof REPORTING_METRICS)[number];

/** The period an item is read for, relative to the cell's: `periodOffset` periods away
 *  (never 0), then from the start of that period's year when `yearToDate`. Absent keys are
 *  left out. */
export interface PeriodModifiers {
  periodOffset?: number;
  yearToDate?: true;
}

/** DHIS2's query modifiers of an item. */
export interface Modifiers extends PeriodModifiers {
  aggregationType?: ItemAggregationType;
}

/** What a formula refers to. `option` is a breakdown option (DHIS2's category option combo) or
 *  `'*'` (any option, only together with an attribute); `attribute` is DHIS2's attribute option
 *  combo. Codes or DHIS2 uids, as written. Absent keys are left out, never set to undefined. */
export type ItemRef =
  | ({ kind: 'element'; element: string; option?: string; attribute?: string } & Modifiers)
  | { kind: 'constant'; code: string }
  | ({ kind: 'indicator'; code: string } & Modifiers)
  | ({ kind: 'reportingRate'; dataSet: string; metric: ReportingMetric } & PeriodModifiers)
  | ({ kind: 'days' } & PeriodModifiers)
  | { kind: 'subExpression'; expr: Expr; aggregationType?: ItemAggregationType };

export type UnaryOp = '-' | '!';
export type BinaryOp =
  '+' | '-' | '*' | '/' | '%' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type FunctionName =
  | 'if'
  | 'isNull'
  | 'isNotNull'
  | 'firstNonNull'
  | 'greatest'
  | 'least'
  | 'abs'
  | 'round'
  | 'removeZeros'
  | 'log'
  | 'log10';

/** The parsed formula. Unary plus and parentheses leave no trace; `and`/`or`/`not`, `×`, `÷`,
 *  `−`, `≤`, `≥`, `≠` are stored as their ASCII operators; function names in canonical case. */
export type Expr =
  | { type: 'number'; value: number }
  | { type: 'item'; ref: ItemRef }
  | { type: 'unary'; op: UnaryOp; operand: Expr }
  | { type: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { type: 'call'; fn: FunctionName; args: Expr[] };

export type Lookup = (ref: ItemRef) => number | null;

interface FunctionSpec {
  name: FunctionName;
  min: number;
  /** Infinity for variadic functions. */
  max: number;
}

const FUNCTION_SPECS: readonly FunctionSpec[] = [
  { name: 'if', min: 3, max: 3 },
  { name: 'isNull', min: 1, max: 1 },
  { name: 'isNotNull', min: 1, max: 1 },
  { name: 'firstNonNull', min: 1, max: Infinity },
  { name: 'greatest', min: 1, max: Infinity },
  { name: 'least', min: 1, max: Infinity },
  { name: 'abs', min: 1, max: 1 },
  { name: 'round', min: 1, max: 2 },
  { name: 'removeZeros', min: 1, max: 1 },
  { name: 'log', min: 1, max: 2 },
  { name: 'log10', min: 1, max: 1 },
];

/** The functions a formula may call, by lower-cased name (names are case-insensitive). A Map,
 *  so that names such as `constructor` or `__proto__` find nothing. */
const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(
  FUNCTION_SPECS.map((f) => [f.name.toLowerCase(), f]),
);

/** Canonical names of the functions, for help texts and autocompletion (subExpression, which
 *  makes an item, included). */
export const FUNCTION_NAMES: readonly string[] = [
  ...FUNCTION_SPECS.map((f) => f.name),
  'subExpression',
];

/** The modifiers, by lower-cased name, with their canonical names. */
const MODIFIER_NAMES: ReadonlyMap<string, 'periodOffset' | 'yearToDate' | 'aggregationType'> =
  new Map([
    ['periodoffset', 'periodOffset'],
    ['yeartodate', 'yearToDate'],
    ['aggregationtype', 'aggregationType'],
  ]);

/** Largest period offset accepted (either way). */
export const MAX_PERIOD_OFFSET = 10_000;

/** Longest formula accepted, in characters, and deepest nesting of the parsed tree. */
export const MAX_FORMULA_LENGTH = 20_000;
export const MAX_DEPTH = 1_000;

// ---------------------------------------------------------------------------------------------
// Errors

function parseError(
  formula: string,
  index: number,
  vi: string,
  en: string,
  extra?: Record<string, unknown>,
): never {
  const position = index + 1;
  throw new AppError(
    'validation_failed',
    {
      vi: `Công thức sai ở vị trí ${position}: ${vi}`,
      en: `Formula error at position ${position}: ${en}`,
    },
    { formula, position, ...extra },
  );
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

type OpText = BinaryOp | '!' | '(' | ')' | ',';

type Token =
  | { t: 'num'; value: number; pos: number; text: string }
  | { t: 'item'; ref: ItemRef; pos: number; text: string }
  | { t: 'name'; name: string; pos: number; text: string }
  /** `.name`, a modifier after a value (`.periodOffset`); `name` without the dot. */
  | { t: 'mod'; name: string; pos: number; text: string }
  | { t: 'op'; op: OpText; pos: number; text: string }
  | { t: 'end'; pos: number; text: string };

const NUMBER_RE = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD_RE = /[\p{L}_][\p{L}\p{N}_]*/uy;
const CODE_RE = /[\p{L}\p{N}_-]+/uy;
const WORD_CHAR_RE = /[\p{L}\p{N}_.]/u;
const SPACE_RE = /\s/u;

const TWO_CHAR_OPS: ReadonlyMap<string, OpText> = new Map<string, OpText>([
  ['==', '=='],
  ['!=', '!='],
  ['<=', '<='],
  ['>=', '>='],
  ['&&', '&&'],
  ['||', '||'],
]);

const ONE_CHAR_OPS: ReadonlyMap<string, OpText> = new Map<string, OpText>([
  ['+', '+'],
  ['-', '-'],
  ['\u2212', '-'], // − minus sign
  ['*', '*'],
  ['\u00d7', '*'], // ×
  ['/', '/'],
  ['\u00f7', '/'], // ÷
  ['%', '%'],
  ['^', '^'],
  ['<', '<'],
  ['>', '>'],
  ['\u2264', '<='], // ≤
  ['\u2265', '>='], // ≥
  ['\u2260', '!='], // ≠
  ['!', '!'],
  ['(', '('],
  [')', ')'],
  [',', ','],
]);

const KEYWORD_OPS: ReadonlyMap<string, OpText> = new Map<string, OpText>([
  ['and', '&&'],
  ['or', '||'],
  ['not', '!'],
]);

function charAt(src: string, i: number): string {
  const cp = src.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/** Reads the token at or after `from` (whitespace skipped), or the end token. The parser pulls
 *  tokens one at a time, so problems are reported in reading order: in `process.exit()` it is
 *  the unknown name at position 1, not the '.' after it. */
function readToken(src: string, from: number): { token: Token; next: number } {
  let i = from;
  while (i < src.length && SPACE_RE.test(charAt(src, i))) i += charAt(src, i).length;
  if (i >= src.length) return { token: { t: 'end', pos: src.length, text: '' }, next: i };
  const ch = charAt(src, i);
  const start = i;

  // Numbers: 100, 0.5, .5, 1e3, 2.5E-3
  if ((ch >= '0' && ch <= '9') || (ch === '.' && /\d/.test(src[i + 1] ?? ''))) {
    NUMBER_RE.lastIndex = i;
    const text = NUMBER_RE.exec(src)?.[0] ?? ch;
    const after = charAt(src, i + text.length);
    if (after !== '' && WORD_CHAR_RE.test(after)) {
      let end = i + text.length;
      while (end < src.length && WORD_CHAR_RE.test(charAt(src, end))) end++;
      const bad = src.slice(i, end);
      parseError(src, start, `số không hợp lệ "${bad}"`, `invalid number "${bad}"`);
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      parseError(src, start, `số quá lớn "${text}"`, `number too large "${text}"`);
    }
    return { token: { t: 'num', value, pos: start, text }, next: i + text.length };
  }

  // Data element items: #{ELEMENT}, #{ELEMENT.OPTION}, #{ELEMENT.OPTION.ATTR}, #{ELEMENT.*.ATTR}
  if (ch === '#') {
    if (src[i + 1] !== '{') {
      parseError(
        src,
        start,
        "sau dấu '#' phải là '{', ví dụ #{MA_CHI_TIEU}",
        "'#' must be followed by '{', as in #{ELEMENT_CODE}",
      );
    }
    return readItem(src, start, 'element');
  }

  // Modifiers: .periodOffset(…), .yearToDate(), .aggregationType(…) after a value
  if (ch === '.' && /\p{L}/u.test(charAt(src, i + 1))) {
    WORD_RE.lastIndex = i + 1;
    const name = WORD_RE.exec(src)?.[0] ?? '';
    return {
      token: { t: 'mod', name, pos: start, text: `.${name}` },
      next: i + 1 + name.length,
    };
  }

  // [days]: the number of days in the period
  if (ch === '[') {
    const m = /^\[\s*days\s*\]/iu.exec(src.slice(i, i + 40));
    if (!m) {
      parseError(
        src,
        start,
        'chỉ có [days] (số ngày của kỳ) được viết trong ngoặc vuông',
        'only [days] (the number of days in the period) is written in square brackets',
      );
    }
    return {
      token: { t: 'item', ref: { kind: 'days' }, pos: start, text: m[0] },
      next: i + m[0].length,
    };
  }

  // Words: function names, and/or/not, and the C{…} / N{…} / R{…} item prefixes
  WORD_RE.lastIndex = i;
  const word = WORD_RE.exec(src)?.[0];
  if (word !== undefined) {
    const end = i + word.length;
    if (src[end] === '{') {
      if (word === 'C') return readItem(src, start, 'constant');
      if (word === 'N') return readItem(src, start, 'indicator');
      if (word === 'R') return readItem(src, start, 'reportingRate');
      parseError(
        src,
        start,
        `không hỗ trợ loại mục "${word}{…}"; chỉ dùng #{…} (chỉ tiêu), N{…} (chỉ số), R{…} (báo cáo của bộ dữ liệu), C{…} (hằng số) hoặc [days]`,
        `items of the form "${word}{…}" are not supported; use #{…} (data element), N{…} (indicator), R{…} (a data set's reports), C{…} (constant) or [days]`,
      );
    }
    const keyword = KEYWORD_OPS.get(word.toLowerCase());
    const token: Token =
      keyword !== undefined
        ? { t: 'op', op: keyword, pos: start, text: word }
        : { t: 'name', name: word, pos: start, text: word };
    return { token, next: end };
  }

  const pair = src.slice(i, i + 2);
  const two = TWO_CHAR_OPS.get(pair);
  if (two !== undefined)
    return { token: { t: 'op', op: two, pos: start, text: pair }, next: i + 2 };
  const one = ONE_CHAR_OPS.get(ch);
  if (one !== undefined) {
    return { token: { t: 'op', op: one, pos: start, text: ch }, next: i + ch.length };
  }
  if (ch === '=') {
    parseError(src, start, "dùng '==' để so sánh bằng", "use '==' to compare for equality");
  }
  if (ch === '&' || ch === '|') {
    parseError(src, start, `dùng '${ch}${ch}'`, `use '${ch}${ch}'`);
  }
  return parseError(src, start, `ký tự không hợp lệ '${ch}'`, `unexpected character '${ch}'`);
}

const ITEM_LABEL = {
  element: { prefix: '#', vi: 'chỉ tiêu', en: 'data element', parts: 3 },
  constant: { prefix: 'C', vi: 'hằng số', en: 'constant', parts: 1 },
  indicator: { prefix: 'N', vi: 'chỉ số', en: 'indicator', parts: 1 },
  reportingRate: { prefix: 'R', vi: 'bộ dữ liệu', en: 'data set', parts: 2 },
} as const;

/** Reads `P{…}` starting at `start` (the prefix). Whitespace is tolerated around codes and
 *  dots. */
function readItem(
  src: string,
  start: number,
  kind: keyof typeof ITEM_LABEL,
): { token: Token; next: number } {
  const label = ITEM_LABEL[kind];
  let i = start + 2; // past `P{`
  const parts: { text: string; pos: number }[] = [];
  const skipSpace = () => {
    while (i < src.length && SPACE_RE.test(src[i] ?? '')) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= src.length) {
      parseError(
        src,
        i,
        `thiếu dấu '}' để đóng mục ở vị trí ${start + 1}`,
        `missing '}' to close the item at position ${start + 1}`,
      );
    }
    CODE_RE.lastIndex = i;
    const code = src[i] === '*' ? '*' : CODE_RE.exec(src)?.[0];
    if (code === undefined) {
      const ch = charAt(src, i);
      if (ch === '}' || ch === '.') {
        parseError(
          src,
          i,
          parts.length === 0
            ? `thiếu mã ${label.vi} trong ${label.prefix}{…}`
            : "thiếu mã sau dấu '.'",
          parts.length === 0
            ? `the ${label.en} code is missing in ${label.prefix}{…}`
            : "a code is missing after '.'",
        );
      }
      parseError(
        src,
        i,
        `ký tự không hợp lệ '${ch}' trong mã (chỉ dùng chữ, số, '_' và '-')`,
        `unexpected character '${ch}' in a code (use letters, digits, '_' and '-')`,
      );
    }
    parts.push({ text: code, pos: i });
    i += code.length;
    const codeEnd = i;
    skipSpace();
    const next = src[i];
    if (next === '.') {
      if (parts.length >= label.parts) {
        parseError(
          src,
          i,
          label.parts === 1
            ? `${label.vi} ${label.prefix}{…} chỉ có một mã, không có dấu '.'`
            : kind === 'reportingRate'
              ? `R{…} có hai phần: R{BO_DU_LIEU.REPORTING_RATE}`
              : `${label.vi} có nhiều nhất ${label.parts} phần: #{CHI_TIEU.PHAN_TO.THUOC_TINH}`,
          label.parts === 1
            ? `a ${label.en} ${label.prefix}{…} has a single code, without '.'`
            : kind === 'reportingRate'
              ? `R{…} has two parts: R{DATA_SET.REPORTING_RATE}`
              : `a ${label.en} has at most ${label.parts} parts: #{ELEMENT.OPTION.ATTRIBUTE}`,
        );
      }
      i++;
      continue;
    }
    if (next === '}') {
      i++;
      break;
    }
    if (i >= src.length) continue; // reported at the top of the loop
    const ch = charAt(src, i);
    if (i > codeEnd) {
      parseError(
        src,
        i,
        `thiếu dấu '.' hoặc '}' sau mã "${code}"`,
        `expected '.' or '}' after the code "${code}"`,
      );
    }
    parseError(
      src,
      i,
      `ký tự không hợp lệ '${ch}' trong mã (chỉ dùng chữ, số, '_' và '-')`,
      `unexpected character '${ch}' in a code (use letters, digits, '_' and '-')`,
    );
  }

  let ref: ItemRef;
  const [first, option, attribute] = parts;
  if (first === undefined) throw new Error('unreachable: an item has at least one part');
  if (first.text === '*' || (kind !== 'element' && option?.text === '*')) {
    const star = first.text === '*' ? first : (option ?? first);
    parseError(
      src,
      star.pos,
      "dấu '*' chỉ dùng ở vị trí phân tổ, ví dụ #{CHI_TIEU.*.THUOC_TINH}",
      "'*' only stands for the breakdown option, as in #{ELEMENT.*.ATTRIBUTE}",
    );
  }
  if (kind === 'element') {
    // DHIS2's #{E.*} and #{E.O.*} are #{E} and #{E.O}: every option, every attribute.
    if (option?.text === '*' && attribute?.text === '*') {
      parseError(
        src,
        attribute.pos,
        `viết #{${first.text}} cho tổng mọi phân tổ và thuộc tính`,
        `write #{${first.text}} for the total over every option and attribute`,
      );
    }
    ref = { kind: 'element', element: first.text };
    if (option !== undefined && !(option.text === '*' && attribute === undefined))
      ref.option = option.text;
    if (attribute !== undefined && attribute.text !== '*') ref.attribute = attribute.text;
  } else if (kind === 'reportingRate') {
    const metric = REPORTING_METRICS.find((m) => m === option?.text.toUpperCase());
    if (metric === undefined) {
      parseError(
        src,
        option?.pos ?? i - 1,
        `R{…} cần chỉ số báo cáo sau dấu '.': ${REPORTING_METRICS.join(', ')}`,
        `R{…} needs what to read of the reports after '.': ${REPORTING_METRICS.join(', ')}`,
      );
    }
    ref = { kind: 'reportingRate', dataSet: first.text, metric };
  } else {
    ref = { kind, code: first.text };
  }
  return { token: { t: 'item', ref, pos: start, text: src.slice(start, i) }, next: i };
}

// ---------------------------------------------------------------------------------------------
// Parser

const BINARY_PREC: ReadonlyMap<OpText, number> = new Map<OpText, number>([
  ['||', 1],
  ['&&', 2],
  ['==', 3],
  ['!=', 3],
  ['<', 3],
  ['<=', 3],
  ['>', 3],
  ['>=', 3],
  ['+', 4],
  ['-', 4],
  ['*', 5],
  ['/', 5],
  ['%', 5],
]);
const COMPARISON = 3;
const UNARY = 6;
const POWER = 7;
const ATOM = 8;

class Parser {
  /** Where the lexer goes on reading, and the token read but not yet consumed. */
  private offset = 0;
  private lookahead: Token | undefined;
  private nesting = 0;
  private readonly depth = new WeakMap<Expr, number>();

  constructor(private readonly formula: string) {}

  parse(): Expr {
    const first = this.peek();
    if (first.t === 'end') {
      parseError(this.formula, 0, 'công thức trống', 'the formula is empty');
    }
    const e = this.parseBinary(1);
    const t = this.peek();
    if (t.t !== 'end') this.unexpected(t, 'top');
    return e;
  }

  private peek(): Token {
    if (this.lookahead === undefined) {
      const { token, next } = readToken(this.formula, this.offset);
      this.lookahead = token;
      this.offset = next;
    }
    return this.lookahead;
  }

  private next(): Token {
    const t = this.peek();
    this.lookahead = undefined;
    return t;
  }

  private fail(index: number, vi: string, en: string): never {
    return parseError(this.formula, index, vi, en);
  }

  /** Builds a node, keeping the tree's depth within MAX_DEPTH so that evaluating and
   *  formatting it cannot overflow the stack. */
  private node(e: Expr, pos: number): Expr {
    let d = 0;
    if (e.type === 'item' && e.ref.kind === 'subExpression') d = this.depthOf(e.ref.expr);
    else if (e.type === 'unary') d = this.depthOf(e.operand);
    else if (e.type === 'binary') d = Math.max(this.depthOf(e.left), this.depthOf(e.right));
    else if (e.type === 'call') for (const a of e.args) d = Math.max(d, this.depthOf(a));
    if (d + 1 > MAX_DEPTH) {
      this.fail(
        pos,
        `công thức quá phức tạp (quá ${MAX_DEPTH} tầng lồng nhau)`,
        `the formula is too complex (more than ${MAX_DEPTH} levels deep)`,
      );
    }
    this.depth.set(e, d + 1);
    return e;
  }

  private depthOf(e: Expr): number {
    return this.depth.get(e) ?? 1;
  }

  private enter(pos: number): void {
    if (++this.nesting > 200) {
      this.fail(
        pos,
        'công thức lồng quá sâu (quá 200 tầng ngoặc, dấu hoặc hàm)',
        'the formula is nested too deeply (more than 200 levels of brackets, signs or calls)',
      );
    }
  }

  private leave(): void {
    this.nesting--;
  }

  private parseBinary(minPrec: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const prec = t.t === 'op' ? BINARY_PREC.get(t.op) : undefined;
      if (t.t !== 'op' || prec === undefined || prec < minPrec) return left;
      this.next();
      const right = this.parseBinary(prec + 1);
      left = this.node({ type: 'binary', op: t.op as BinaryOp, left, right }, t.pos);
      if (prec === COMPARISON) {
        const n = this.peek();
        if (n.t === 'op' && BINARY_PREC.get(n.op) === COMPARISON) {
          this.fail(
            n.pos,
            `không so sánh nối tiếp được ('${n.text}' sau một phép so sánh); dùng && để ghép các điều kiện`,
            `comparisons cannot be chained ('${n.text}' after a comparison); join conditions with &&`,
          );
        }
      }
    }
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.t === 'op' && (t.op === '-' || t.op === '+' || t.op === '!')) {
      this.next();
      this.enter(t.pos);
      const operand = this.parseUnary();
      this.leave();
      if (t.op === '+') return operand;
      return this.node({ type: 'unary', op: t.op, operand }, t.pos);
    }
    return this.parsePower();
  }

  private parsePower(): Expr {
    const base = this.parseModifiers(this.parsePrimary());
    const t = this.peek();
    if (t.t === 'op' && t.op === '^') {
      this.next();
      this.enter(t.pos);
      const exponent = this.parseUnary(); // right-associative, and may carry a sign
      this.leave();
      return this.node({ type: 'binary', op: '^', left: base, right: exponent }, t.pos);
    }
    return base;
  }

  private parsePrimary(): Expr {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return { type: 'number', value: t.value };
      case 'item':
        return { type: 'item', ref: t.ref };
      case 'name':
        return this.parseCall(t);
      case 'mod':
        return this.fail(
          t.pos,
          `thiếu giá trị trước "${t.text}"`,
          `a value is missing before "${t.text}"`,
        );
      case 'end':
        return this.fail(
          t.pos,
          'công thức kết thúc khi còn thiếu một giá trị',
          'the formula ends where a value is expected',
        );
      case 'op': {
        if (t.op === '(') {
          this.enter(t.pos);
          const e = this.parseBinary(1);
          const close = this.peek();
          if (close.t !== 'op' || close.op !== ')') this.unexpected(close, 'paren', t.pos);
          this.next();
          this.leave();
          return e;
        }
        return this.fail(
          t.pos,
          `thiếu giá trị trước '${t.text}'`,
          `a value is missing before '${t.text}'`,
        );
      }
    }
  }

  /** `.periodOffset(n)`, `.yearToDate()`, `.aggregationType(T)` after a value, any number of
   *  them, each applied to the items of what it follows. */
  private parseModifiers(e: Expr): Expr {
    let out = e;
    for (;;) {
      const t = this.peek();
      if (t.t !== 'mod') return out;
      this.next();
      const name = MODIFIER_NAMES.get(t.name.toLowerCase());
      if (name === undefined) {
        const dhis2Only = ['mindate', 'maxdate', 'stageoffset'].includes(t.name.toLowerCase());
        this.fail(
          t.pos,
          dhis2Only
            ? `".${t.name}" chỉ dùng trong bộ dự báo hay chỉ số chương trình của DHIS2, không dùng trong chỉ số`
            : `không có bổ ngữ ".${t.name}" (các bổ ngữ: .periodOffset(n), .yearToDate(), .aggregationType(LOAI))`,
          dhis2Only
            ? `".${t.name}" belongs to DHIS2's predictors or program indicators, not to indicators`
            : `unknown modifier ".${t.name}" (modifiers: .periodOffset(n), .yearToDate(), .aggregationType(TYPE))`,
        );
      }
      const open = this.next();
      if (open.t !== 'op' || open.op !== '(') {
        this.fail(open.pos, `thiếu dấu '(' sau .${name}`, `missing '(' after .${name}`);
      }
      let mods: Modifiers;
      if (name === 'yearToDate') {
        mods = { yearToDate: true };
      } else if (name === 'periodOffset') {
        mods = { periodOffset: this.offsetArgument(name) };
      } else {
        const a = this.next();
        const type = ITEM_AGGREGATION_TYPES.find(
          (x) => a.t === 'name' && x === a.name.toUpperCase(),
        );
        if (type === undefined) {
          this.fail(
            a.pos,
            `.aggregationType cần một loại tổng hợp: ${ITEM_AGGREGATION_TYPES.join(', ')}`,
            `.aggregationType takes an aggregation type: ${ITEM_AGGREGATION_TYPES.join(', ')}`,
          );
        }
        mods = { aggregationType: type };
      }
      const close = this.next();
      if (close.t !== 'op' || close.op !== ')') {
        this.fail(close.pos, `thiếu dấu ')' để đóng .${name}(`, `missing ')' to close .${name}(`);
      }
      const applied = applyModifiers(out, mods);
      if (!applied.reached) {
        this.fail(
          t.pos,
          name === 'aggregationType'
            ? '.aggregationType(…) chỉ áp dụng cho #{…}, N{…} và subExpression(…)'
            : `.${name}(…) chỉ áp dụng cho #{…}, N{…}, R{…}, [days] và subExpression(…)`,
          name === 'aggregationType'
            ? '.aggregationType(…) applies to #{…}, N{…} and subExpression(…) only'
            : `.${name}(…) applies to #{…}, N{…}, R{…}, [days] and subExpression(…) only`,
        );
      }
      // Same shape, so the same depth (node() reads only the root's).
      this.depth.set(applied.expr, this.depthOf(out));
      out = applied.expr;
    }
  }

  /** The whole number, with an optional sign, of `.periodOffset(n)`. */
  private offsetArgument(name: string): number {
    let sign = 1;
    let t = this.next();
    if (t.t === 'op' && (t.op === '-' || t.op === '+')) {
      if (t.op === '-') sign = -1;
      t = this.next();
    }
    if (t.t !== 'num' || !Number.isInteger(t.value) || t.value > MAX_PERIOD_OFFSET) {
      this.fail(
        t.pos,
        `.${name} cần một số nguyên từ -${MAX_PERIOD_OFFSET} đến ${MAX_PERIOD_OFFSET}`,
        `.${name} takes a whole number from -${MAX_PERIOD_OFFSET} to ${MAX_PERIOD_OFFSET}`,
      );
    }
    return sign * t.value;
  }

  /** `subExpression(x)`: an item made of x, which may refer to data elements only. */
  private parseSubExpression(t: Extract<Token, { t: 'name' }>): Expr {
    const open = this.peek();
    if (open.t !== 'op' || open.op !== '(') {
      this.fail(
        open.pos,
        "thiếu dấu '(' sau tên hàm subExpression",
        "missing '(' after the function name subExpression",
      );
    }
    this.next();
    this.enter(t.pos);
    const inner = this.parseBinary(1);
    const close = this.peek();
    if (close.t !== 'op' || close.op !== ')') {
      if (close.t === 'op' && close.op === ',') {
        this.fail(close.pos, 'subExpression nhận đúng 1 đối số', 'subExpression takes 1 argument');
      }
      this.unexpected(close, 'call', open.pos);
    }
    this.next();
    this.leave();
    const refs = itemsOf(inner);
    const other = refs.find((r) => r.kind !== 'element' && r.kind !== 'days');
    if (other !== undefined || !refs.some((r) => r.kind === 'element')) {
      this.fail(
        t.pos,
        other === undefined
          ? 'subExpression cần ít nhất một chỉ tiêu #{…}'
          : `subExpression chỉ chứa chỉ tiêu #{…} (và [days]), không chứa ${itemKey(other)}`,
        other === undefined
          ? 'subExpression needs at least one data element #{…}'
          : `subExpression holds data elements #{…} (and [days]) only, not ${itemKey(other)}`,
      );
    }
    const e: Expr = { type: 'item', ref: { kind: 'subExpression', expr: inner } };
    return this.node(e, t.pos);
  }

  private parseCall(t: Extract<Token, { t: 'name' }>): Expr {
    if (t.name.toLowerCase() === 'subexpression') return this.parseSubExpression(t);
    const spec = FUNCTIONS.get(t.name.toLowerCase());
    if (spec === undefined) {
      // Decided on the raw text: reading the next token could fail first (`process.exit()`).
      if (/^\s*\(/u.test(this.formula.slice(t.pos + t.text.length))) {
        this.fail(
          t.pos,
          `không có hàm "${t.name}" (các hàm: ${FUNCTION_NAMES.join(', ')})`,
          `unknown function "${t.name}" (functions: ${FUNCTION_NAMES.join(', ')})`,
        );
      }
      this.fail(
        t.pos,
        `không hiểu "${t.name}"; chỉ tiêu viết là #{MA}, hằng số C{MA}, chỉ số N{MA}`,
        `unknown name "${t.name}"; write data elements as #{CODE}, constants as C{CODE}, indicators as N{CODE}`,
      );
    }
    const open = this.peek();
    if (open.t !== 'op' || open.op !== '(') {
      this.fail(
        open.pos,
        `thiếu dấu '(' sau tên hàm ${spec.name}`,
        `missing '(' after the function name ${spec.name}`,
      );
    }
    this.next();
    this.enter(t.pos);
    const args: Expr[] = [];
    const first = this.peek();
    if (first.t === 'op' && first.op === ')') {
      this.next();
    } else {
      for (;;) {
        args.push(this.parseBinary(1));
        const sep = this.peek();
        if (sep.t === 'op' && sep.op === ',') {
          this.next();
          continue;
        }
        if (sep.t === 'op' && sep.op === ')') {
          this.next();
          break;
        }
        this.unexpected(sep, 'call', open.pos);
      }
    }
    this.leave();
    if (args.length < spec.min || args.length > spec.max) {
      const wantVi =
        spec.max === Infinity
          ? `ít nhất ${spec.min}`
          : spec.min === spec.max
            ? `${spec.min}`
            : `${spec.min} hoặc ${spec.max}`;
      const wantEn =
        spec.max === Infinity
          ? `at least ${spec.min} argument${spec.min === 1 ? '' : 's'}`
          : spec.min === spec.max
            ? `${spec.min} argument${spec.min === 1 ? '' : 's'}`
            : `${spec.min} or ${spec.max} arguments`;
      this.fail(
        t.pos,
        `hàm ${spec.name} cần ${wantVi} đối số, ở đây có ${args.length}`,
        `${spec.name} takes ${wantEn}, got ${args.length}`,
      );
    }
    return this.node({ type: 'call', fn: spec.name, args }, t.pos);
  }

  /** A token that cannot follow a complete value. `openPos` is the bracket being closed. */
  private unexpected(t: Token, where: 'top' | 'paren' | 'call', openPos?: number): never {
    const startsValue =
      t.t === 'num' ||
      t.t === 'item' ||
      t.t === 'name' ||
      (t.t === 'op' && (t.op === '(' || t.op === '!'));
    if (startsValue) {
      return this.fail(
        t.pos,
        `thiếu phép toán giữa hai giá trị (trước "${t.text}")`,
        `an operator is missing between two values (before "${t.text}")`,
      );
    }
    const opened = openPos === undefined ? '' : openPos + 1;
    if (where === 'paren' || where === 'call') {
      return this.fail(
        t.pos,
        where === 'call'
          ? `thiếu dấu ')' (hoặc ',') để đóng lời gọi hàm mở ở vị trí ${opened}`
          : `thiếu dấu ')' (dấu '(' ở vị trí ${opened} chưa được đóng)`,
        where === 'call'
          ? `missing ')' (or ',') to close the call opened at position ${opened}`
          : `missing ')' (the '(' at position ${opened} is not closed)`,
      );
    }
    if (t.t === 'op' && t.op === ')') {
      return this.fail(t.pos, "thừa dấu ')' (không có '(' tương ứng)", "unmatched ')'");
    }
    if (t.t === 'op' && t.op === ',') {
      return this.fail(
        t.pos,
        "dấu ',' chỉ dùng để ngăn cách các đối số của hàm (số thập phân viết bằng dấu '.')",
        "',' only separates the arguments of a function (decimals are written with '.')",
      );
    }
    return this.fail(t.pos, `không mong đợi "${t.text}"`, `unexpected "${t.text}"`);
  }
}

/** Parses a formula into an AST. Throws AppError('validation_failed') naming the 1-based
 *  position and the problem, details `{ formula, position }`. */
export function parseExpression(formula: string): Expr {
  if (formula.length > MAX_FORMULA_LENGTH) {
    parseError(
      formula.slice(0, 200),
      MAX_FORMULA_LENGTH,
      `công thức dài quá ${MAX_FORMULA_LENGTH} ký tự`,
      `the formula is longer than ${MAX_FORMULA_LENGTH} characters`,
    );
  }
  return new Parser(formula).parse();
}

// ---------------------------------------------------------------------------------------------
// Items

/** The modifiers of an item as written after it, in a fixed order. */
function modifiersText(m: Modifiers): string {
  let s = '';
  if (m.periodOffset !== undefined) s += `.periodOffset(${m.periodOffset})`;
  if (m.yearToDate) s += '.yearToDate()';
  if (m.aggregationType !== undefined) s += `.aggregationType(${m.aggregationType})`;
  return s;
}

/** An item's modifiers alone (those it has), as a new object. */
export function modifiersOf(ref: ItemRef): Modifiers {
  const m: Modifiers = {};
  if (ref.kind === 'constant') return m;
  if (ref.kind !== 'subExpression') {
    if (ref.periodOffset !== undefined) m.periodOffset = ref.periodOffset;
    if (ref.yearToDate) m.yearToDate = true;
  }
  if (
    (ref.kind === 'element' || ref.kind === 'indicator' || ref.kind === 'subExpression') &&
    ref.aggregationType !== undefined
  )
    m.aggregationType = ref.aggregationType;
  return m;
}

/** The item without its period modifiers (what is read, before choosing the period). */
export function withoutPeriodModifiers<R extends ItemRef>(ref: R): R {
  if (ref.kind === 'constant' || ref.kind === 'subExpression') return ref;
  const { periodOffset: _o, yearToDate: _y, ...rest } = ref as R & PeriodModifiers;
  return rest as R;
}

/** A stable text for an item, as it is written in a formula: `#{A}`, `#{A.B}`, `#{A.*.C}`,
 *  `C{K}`, `N{I}`, `R{DS.REPORTING_RATE}`, `[days]`, `subExpression(…)`, each followed by its
 *  modifiers (`#{A}.periodOffset(-1).yearToDate()`). Usable as a map key. */
export function itemKey(ref: ItemRef): string {
  switch (ref.kind) {
    case 'element': {
      let s = ref.element;
      if (ref.option !== undefined || ref.attribute !== undefined) s += `.${ref.option ?? '*'}`;
      if (ref.attribute !== undefined) s += `.${ref.attribute}`;
      return `#{${s}}${modifiersText(ref)}`;
    }
    case 'constant':
      return `C{${ref.code}}`;
    case 'indicator':
      return `N{${ref.code}}${modifiersText(ref)}`;
    case 'reportingRate':
      return `R{${ref.dataSet}.${ref.metric}}${modifiersText(ref)}`;
    case 'days':
      return `[days]${modifiersText(ref)}`;
    case 'subExpression':
      return `subExpression(${formatExpression(ref.expr)})${modifiersText(ref)}`;
  }
}

/**
 * The items a formula refers to, each once, in order of first appearance (all branches of
 * `if` included). A `subExpression(…)` is listed, followed by the items inside it (so that
 * every data element a formula names is listed) unless `intoSubExpressions` is false.
 */
export function itemsOf(expr: Expr, opts: { intoSubExpressions?: boolean } = {}): ItemRef[] {
  const into = opts.intoSubExpressions ?? true;
  const seen = new Map<string, ItemRef>();
  const walk = (e: Expr): void => {
    switch (e.type) {
      case 'number':
        return;
      case 'item': {
        const k = itemKey(e.ref);
        if (!seen.has(k)) seen.set(k, e.ref);
        if (into && e.ref.kind === 'subExpression') walk(e.ref.expr);
        return;
      }
      case 'unary':
        return walk(e.operand);
      case 'binary':
        walk(e.left);
        return walk(e.right);
      case 'call':
        for (const a of e.args) walk(a);
    }
  };
  walk(expr);
  return [...seen.values()];
}

/** A copy of the formula with each item replaced by `f(item)`; items inside `subExpression(…)`
 *  are replaced too, before the sub-expression itself is given to f. */
export function mapItems(expr: Expr, f: (ref: ItemRef) => ItemRef): Expr {
  const map = (e: Expr): Expr => {
    switch (e.type) {
      case 'number':
        return e;
      case 'item':
        return {
          type: 'item',
          ref: f(e.ref.kind === 'subExpression' ? { ...e.ref, expr: map(e.ref.expr) } : e.ref),
        };
      case 'unary':
        return { type: 'unary', op: e.op, operand: map(e.operand) };
      case 'binary':
        return { type: 'binary', op: e.op, left: map(e.left), right: map(e.right) };
      case 'call':
        return { type: 'call', fn: e.fn, args: e.args.map(map) };
    }
  };
  return map(expr);
}

/** Adds outer modifiers to an item's own: offsets add up (0 is no offset), year-to-date stays,
 *  the item's own aggregation type wins. Null when they do not concern this item. */
function modified(ref: ItemRef, mods: Modifiers): ItemRef | null {
  if (ref.kind === 'constant') return null;
  const periodic = mods.periodOffset !== undefined || mods.yearToDate === true;
  if (ref.kind === 'subExpression') {
    // The aggregation type is the sub-expression's own; period modifiers reach inside.
    const inner = periodic
      ? applyModifiers(ref.expr, { ...mods, aggregationType: undefined }).expr
      : ref.expr;
    const out: ItemRef = { kind: 'subExpression', expr: inner };
    const agg = ref.aggregationType ?? mods.aggregationType;
    if (agg !== undefined) out.aggregationType = agg;
    return periodic || mods.aggregationType !== undefined ? out : null;
  }
  const takesType = ref.kind === 'element' || ref.kind === 'indicator';
  if (!periodic && !(takesType && mods.aggregationType !== undefined)) return null;
  const out = { ...ref } as ItemRef & Modifiers;
  if (mods.periodOffset !== undefined) {
    const sum = (out.periodOffset ?? 0) + mods.periodOffset;
    if (sum === 0) delete out.periodOffset;
    else out.periodOffset = sum;
  }
  if (mods.yearToDate) out.yearToDate = true;
  if (takesType && out.aggregationType === undefined && mods.aggregationType !== undefined)
    out.aggregationType = mods.aggregationType;
  return out;
}

/**
 * The formula with modifiers applied to every item they concern (as if each item were
 * followed by them): `reached` tells whether any item was concerned. Used for a modifier
 * written after a value, and for `N{I}.periodOffset(-1)`, whose formula is read so.
 */
export function applyModifiers(expr: Expr, mods: Modifiers): { expr: Expr; reached: boolean } {
  let reached = false;
  const map = (e: Expr): Expr => {
    switch (e.type) {
      case 'number':
        return e;
      case 'item': {
        const m = modified(e.ref, mods);
        if (m === null) return e;
        reached = true;
        return { type: 'item', ref: m };
      }
      case 'unary':
        return { type: 'unary', op: e.op, operand: map(e.operand) };
      case 'binary':
        return { type: 'binary', op: e.op, left: map(e.left), right: map(e.right) };
      case 'call':
        return { type: 'call', fn: e.fn, args: e.args.map(map) };
    }
  };
  const out = map(expr);
  return { expr: out, reached };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Finite numbers only; -0 becomes 0; NaN and ±Infinity become null. */
function finite(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  return x === 0 ? 0 : x;
}

function truthy(x: number | null): boolean {
  return x !== null && x !== 0;
}

function bool(b: boolean): number {
  return b ? 1 : 0;
}

/** x × 10^e computed on the decimal text, so that round(1.005, 2) is 1.01. */
function shift(x: number, e: number): number {
  const [mantissa, exp] = String(x).split('e');
  return Number(`${mantissa}e${Number(exp ?? 0) + e}`);
}

/** Rounds half away from zero: round(2.5) = 3, round(-2.5) = -3; negative digits round to tens,
 *  hundreds…: round(1234, -2) = 1200. */
function roundTo(x: number, digits: number): number | null {
  const d = Math.max(-308, Math.min(308, Math.trunc(digits)));
  const shifted = shift(Math.abs(x), d);
  if (!Number.isFinite(shifted)) return finite(x); // more digits than the number carries
  return finite(Math.sign(x) * shift(Math.round(shifted), -d));
}

/**
 * Evaluates a parsed formula. `lookup` gives each item's (aggregated) value, or null when there
 * is none; it is called only for the items the evaluation reaches (`if`, `&&`, `||` and
 * `firstNonNull` are lazy). A lookup answer that is not a finite number counts as null.
 *
 * Missing values:
 * - An additive chain (`a + b - c`, parentheses included) is null when every term that refers
 *   to data (`#{…}` or `N{…}`) is null; otherwise null terms count as 0, so a sum of parts with
 *   one part missing still shows. Plain numbers and constants `C{…}` do not keep a chain alive:
 *   `#{A} + 1` is null when A has no value. A chain without data (`1 + 2`) is just summed.
 * - `*`, `/`, `%`, `^` and unary minus with a null operand give null.
 * - Division (and `%`) by zero gives null, and so does any result that is not a finite number
 *   (`0 ^ -1`, `(-8) ^ 0.5`): the result is never Infinity or NaN.
 * - Comparisons with a null side are false (0), `!=` included; test with isNull/isNotNull.
 * - In conditions (`if`, `&&`, `||`, `!`) null and 0 are false.
 * - greatest/least ignore nulls (null only if all are null); abs, round, removeZeros, log and
 *   log10 keep null; round(x, digits) and log(x, base) with a null second argument are null;
 *   the log of 0 or of a negative number is null.
 * - `[days]` is, like a constant, not data: `#{A} + [days]` is null when A has no value.
 *   `R{…}` and `subExpression(…)` are data.
 */
export function evaluate(expr: Expr, lookup: Lookup): number | null {
  const dataMemo = new WeakMap<Expr, boolean>();
  const hasData = (e: Expr): boolean => {
    const known = dataMemo.get(e);
    if (known !== undefined) return known;
    let r: boolean;
    switch (e.type) {
      case 'number':
        r = false;
        break;
      case 'item':
        r = e.ref.kind !== 'constant' && e.ref.kind !== 'days';
        break;
      case 'unary':
        r = hasData(e.operand);
        break;
      case 'binary':
        r = hasData(e.left) || hasData(e.right);
        break;
      case 'call':
        r = e.args.some(hasData);
    }
    dataMemo.set(e, r);
    return r;
  };

  const additive = (e: Expr): number | null => {
    const terms: { e: Expr; sign: number }[] = [];
    const stack: { e: Expr; sign: number }[] = [{ e, sign: 1 }];
    while (stack.length > 0) {
      const top = stack.pop();
      if (top === undefined) break;
      const n = top.e;
      if (n.type === 'binary' && (n.op === '+' || n.op === '-')) {
        stack.push({ e: n.right, sign: n.op === '-' ? -top.sign : top.sign });
        stack.push({ e: n.left, sign: top.sign });
      } else {
        terms.push(top);
      }
    }
    let sum = 0;
    let dataTerms = 0;
    let dataValues = 0;
    for (const term of terms) {
      const v = ev(term.e);
      if (hasData(term.e)) {
        dataTerms++;
        if (v !== null) dataValues++;
      }
      if (v !== null) sum += term.sign * v;
    }
    if (dataTerms > 0 && dataValues === 0) return null;
    return finite(sum);
  };

  const call = (fn: FunctionName, args: Expr[]): number | null => {
    const arg = (i: number): Expr => {
      const a = args[i];
      if (a === undefined) throw new Error(`unreachable: ${fn} lacks argument ${i + 1}`);
      return a;
    };
    switch (fn) {
      case 'if':
        return truthy(ev(arg(0))) ? ev(arg(1)) : ev(arg(2));
      case 'isNull':
        return bool(ev(arg(0)) === null);
      case 'isNotNull':
        return bool(ev(arg(0)) !== null);
      case 'firstNonNull':
        for (const a of args) {
          const v = ev(a);
          if (v !== null) return v;
        }
        return null;
      case 'greatest':
      case 'least': {
        const values = args.map(ev).filter((v): v is number => v !== null);
        if (values.length === 0) return null;
        return fn === 'greatest' ? Math.max(...values) : Math.min(...values);
      }
      case 'abs': {
        const v = ev(arg(0));
        return v === null ? null : Math.abs(v);
      }
      case 'round': {
        const v = ev(arg(0));
        if (v === null) return null;
        const digits = args.length > 1 ? ev(arg(1)) : 0;
        if (digits === null) return null;
        return roundTo(v, digits);
      }
      case 'removeZeros': {
        const v = ev(arg(0));
        return v === 0 ? null : v;
      }
      case 'log': {
        const v = ev(arg(0));
        if (v === null) return null;
        if (args.length === 1) return finite(Math.log(v));
        const base = ev(arg(1));
        return base === null ? null : finite(Math.log(v) / Math.log(base));
      }
      case 'log10': {
        const v = ev(arg(0));
        return v === null ? null : finite(Math.log10(v));
      }
    }
  };

  const ev = (e: Expr): number | null => {
    switch (e.type) {
      case 'number':
        return e.value;
      case 'item': {
        const v: unknown = lookup(e.ref);
        return typeof v === 'number' ? finite(v) : null;
      }
      case 'unary': {
        const v = ev(e.operand);
        if (e.op === '!') return bool(!truthy(v));
        return v === null ? null : finite(-v);
      }
      case 'call':
        return call(e.fn, e.args);
      case 'binary':
        break;
    }
    const op = e.op;
    switch (op) {
      case '+':
      case '-':
        return additive(e);
      case '&&':
        return bool(truthy(ev(e.left)) && truthy(ev(e.right)));
      case '||':
        return bool(truthy(ev(e.left)) || truthy(ev(e.right)));
      default:
        break;
    }
    const l = ev(e.left);
    const r = ev(e.right);
    switch (op) {
      case '==':
        return bool(l !== null && r !== null && l === r);
      case '!=':
        return bool(l !== null && r !== null && l !== r);
      case '<':
        return bool(l !== null && r !== null && l < r);
      case '<=':
        return bool(l !== null && r !== null && l <= r);
      case '>':
        return bool(l !== null && r !== null && l > r);
      case '>=':
        return bool(l !== null && r !== null && l >= r);
    }
    if (l === null || r === null) return null;
    switch (op) {
      case '*':
        return finite(l * r);
      case '/':
        return r === 0 ? null : finite(l / r);
      case '%':
        return r === 0 ? null : finite(l % r);
      case '^':
        return finite(Math.pow(l, r));
    }
  };

  return ev(expr);
}

// ---------------------------------------------------------------------------------------------
// Formatting

function precedence(e: Expr): number {
  switch (e.type) {
    case 'number':
    case 'item':
    case 'call':
      return ATOM;
    case 'unary':
      return UNARY;
    case 'binary':
      return e.op === '^' ? POWER : (BINARY_PREC.get(e.op) ?? ATOM);
  }
}

/**
 * The formula as normalised text: single spaces around binary operators, ASCII operators
 * (`×` → `*`, `and` → `&&`), canonical function names, the fewest parentheses that keep the
 * meaning. `parseExpression(formatExpression(e))` deep-equals `e`.
 */
export function formatExpression(expr: Expr): string {
  const wrap = (e: Expr, parens: boolean): string => (parens ? `(${fmt(e)})` : fmt(e));
  const fmt = (e: Expr): string => {
    switch (e.type) {
      case 'number':
        return String(e.value);
      case 'item':
        return itemKey(e.ref);
      case 'call':
        return `${e.fn}(${e.args.map(fmt).join(', ')})`;
      case 'unary':
        // The operand of a sign is parsed at the unary level, which takes powers: -2 ^ 2.
        return `${e.op}${wrap(e.operand, precedence(e.operand) < UNARY)}`;
      case 'binary': {
        const p = precedence(e);
        const lp = precedence(e.left);
        const rp = precedence(e.right);
        let left: boolean;
        let right: boolean;
        if (e.op === '^') {
          left = lp <= POWER; // (-2) ^ 2, (2 ^ 3) ^ 2
          right = rp < UNARY; // 2 ^ -1 and 2 ^ 3 ^ 2 need none
        } else if (p === COMPARISON) {
          left = lp <= p;
          right = rp <= p;
        } else {
          left = lp < p;
          right = rp <= p;
        }
        return `${wrap(e.left, left)} ${e.op} ${wrap(e.right, right)}`;
      }
    }
  };
  return fmt(expr);
}

// ---------------------------------------------------------------------------------------------
// Indicators referring to indicators

export interface OrderedIndicator<T> {
  code: string;
  expr: Expr;
  /** Codes of the indicators this one refers to with N{…} (by code or uid), each once. */
  dependsOn: string[];
  indicator: T;
}

/**
 * Parses the formulas and orders the indicators so that each comes after every indicator it
 * refers to with N{…} (by code, or by DHIS2 uid when the indicators carry `uid`); otherwise the
 * input order is kept. Refuses, with AppError ('validation_failed'): a formula that does not
 * parse (details gain `indicator`), duplicate codes, a reference to an indicator not in the
 * list, and cycles such as A → B → A or a formula referring to itself (details
 * `{ cycle: ['A', 'B', 'A'] }`).
 */
export function dependencyOrder<
  T extends { code: string; uid?: string | null | undefined; formula: string },
>(indicators: readonly T[]): OrderedIndicator<T>[] {
  const codeOfUid = new Map<string, string>();
  for (const i of indicators) if (i.uid) codeOfUid.set(i.uid, i.code);
  const codes = new Set(indicators.map((i) => i.code));
  const resolve = (ref: string) => (codes.has(ref) ? ref : (codeOfUid.get(ref) ?? ref));
  const byCode = new Map<string, OrderedIndicator<T>>();
  for (const indicator of indicators) {
    const { code } = indicator;
    if (byCode.has(code)) {
      throw new AppError(
        'validation_failed',
        { vi: `Mã chỉ số "${code}" bị trùng`, en: `Duplicate indicator code "${code}"` },
        { indicator: code },
      );
    }
    let expr: Expr;
    try {
      expr = parseExpression(indicator.formula);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const details =
        typeof err.details === 'object' && err.details !== null ? err.details : undefined;
      throw new AppError(
        err.code,
        { vi: `Chỉ số ${code}: ${err.messages.vi}`, en: `Indicator ${code}: ${err.messages.en}` },
        { ...details, indicator: code },
      );
    }
    const dependsOn = [
      ...new Set(itemsOf(expr).flatMap((r) => (r.kind === 'indicator' ? [resolve(r.code)] : []))),
    ];
    byCode.set(code, { code, expr, dependsOn, indicator });
  }

  for (const entry of byCode.values()) {
    for (const dep of entry.dependsOn) {
      if (!byCode.has(dep)) {
        throw new AppError(
          'validation_failed',
          {
            vi: `Chỉ số ${entry.code} dùng N{${dep}} nhưng không có chỉ số mã "${dep}"`,
            en: `Indicator ${entry.code} uses N{${dep}}, but there is no indicator "${dep}"`,
          },
          { indicator: entry.code, missing: dep },
        );
      }
    }
  }

  // Depth-first, iteratively: 1 = on the current path, 2 = placed.
  const state = new Map<string, 1 | 2>();
  const order: OrderedIndicator<T>[] = [];
  const get = (code: string): OrderedIndicator<T> => {
    const e = byCode.get(code);
    if (e === undefined) throw new Error(`unreachable: indicator ${code} checked above`);
    return e;
  };
  for (const root of byCode.values()) {
    if (state.has(root.code)) continue;
    state.set(root.code, 1);
    const path: { code: string; next: number }[] = [{ code: root.code, next: 0 }];
    while (path.length > 0) {
      const top = path[path.length - 1];
      if (top === undefined) break;
      const entry = get(top.code);
      const dep = entry.dependsOn[top.next++];
      if (dep === undefined) {
        state.set(top.code, 2);
        order.push(entry);
        path.pop();
        continue;
      }
      const s = state.get(dep);
      if (s === 2) continue;
      if (s === 1) {
        const from = path.findIndex((f) => f.code === dep);
        const cycle = [...path.slice(from).map((f) => f.code), dep];
        const text = cycle.join(' → ');
        throw new AppError(
          'validation_failed',
          {
            vi: `Các chỉ số tham chiếu vòng tròn lẫn nhau: ${text}`,
            en: `Indicators refer to each other in a cycle: ${text}`,
          },
          { cycle },
        );
      }
      state.set(dep, 1);
      path.push({ code: dep, next: 0 });
    }
  }
  return order;
}
