import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arriving } from '../test/body-sender.ts';
import { parseAdx } from './adx.ts';
import { ByteCodes } from './byte-codes.ts';
import {
  parseCsv,
  parseDataValueSet,
  parseJson,
  parseXml,
  readCsvBatches,
  type DataValueFormat,
} from './data-value-set.ts';
import { checkValue, isNumericType, zeroNotStored, type ValueType } from './data-value.ts';
import { AppError } from './errors.ts';
import { evaluate, formatExpression, parseExpression } from './expression.ts';
import { Code } from './metadata.ts';
import { parsePeriod, parsePeriodList } from './period.ts';
import { textProblem, visibleText } from './text-hygiene.ts';

/**
 * Property-based tests of every parser that reads what a user or a file sends: whatever the
 * input, a parser answers or throws an AppError (which the API turns into a 4xx), never another
 * error (a 500). Bounded: each property stops after its runs or its time, whichever comes first.
 */

const BUDGET = { numRuns: 400, interruptAfterTimeLimit: 4_000, markInterruptAsFailure: false };

/** Runs `f`; anything it throws must be an AppError. */
function answersOrAppError(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (e instanceof AppError) return true;
    throw e;
  }
}

/** Characters that make parsers work: separators, quotes, controls, a lone surrogate, Vietnamese. */
const tricky = fc.constantFrom(
  ',',
  '"',
  '\n',
  '\r',
  '\t',
  ' ',
  '\u0000',
  '\u0007',
  '\u007f',
  '\ud800',
  '\udc00',
  '\ufeff',
  'đ',
  'ế',
  '<',
  '>',
  '&',
  ';',
  '=',
  '/',
  '-',
  '+',
  '.',
  'e',
  'W',
  'Q',
  'S',
  '0',
  '1',
  '9',
  '#',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
);
const trickyString = (maxLength = 60) =>
  fc.oneof(
    fc.array(tricky, { maxLength }).map((a) => a.join('')),
    fc.string({ maxLength, unit: 'binary' }),
    fc.string({ maxLength }),
  );

const field = fc.oneof(
  fc.constant(undefined),
  trickyString(12),
  fc.constantFrom('CASES_TRACED', '2025-09-01', '202509', '2025W36', '26740', '-5', '1e308', ''),
  fc.integer().map(String),
  fc.double().map(String),
);
const dataValue = fc.record(
  {
    dataElement: field,
    period: field,
    orgUnit: field,
    categoryOptionCombo: field,
    attributeOptionCombo: field,
    value: field,
    comment: field,
    followup: field,
    deleted: field,
    estimate: field,
    reportedYoyPct: field,
  },
  { requiredKeys: [] },
);

describe('parsers under fuzzing', () => {
  it('JSON data value sets: any text, any JSON value, any rows', () => {
    fc.assert(
      fc.property(trickyString(200), (s) => answersOrAppError(() => parseJson(s))),
      BUDGET,
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => answersOrAppError(() => parseJson(JSON.stringify(v)))),
      BUDGET,
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(dataValue, fc.jsonValue()), { maxLength: 8 }),
        fc.record({ period: field, orgUnit: field, dataSet: field }, { requiredKeys: [] }),
        (rows, header) =>
          answersOrAppError(() => parseJson(JSON.stringify({ ...header, dataValues: rows }))),
      ),
      BUDGET,
    );
  });

  it('JSON fields that cannot be made strings', () => {
    // String({toString: 1}) throws a TypeError: such a field is shown as its JSON instead.
    const doc = parseJson('{"dataValues":[{"value":{"toString":1},"comment":[{"valueOf":{}}]}]}');
    assert.equal(doc.values[0]?.value, '{"toString":1}');
  });

  it('CSV data value sets: whole, and in pieces cut anywhere (bytes, not only characters)', async () => {
    const csvText = fc
      .tuple(
        fc.array(fc.array(field, { maxLength: 8 }), { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
      )
      .map(([rows, eol]) =>
        rows.map((r) => r.map((c) => (c === undefined ? '' : c)).join(',')).join(eol),
      );
    fc.assert(
      fc.property(fc.oneof(csvText, trickyString(200)), (s) =>
        answersOrAppError(() => parseCsv(s)),
      ),
      BUDGET,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(300), { maxLength: 5 }),
        async (bytes, cuts) => {
          const at = [...new Set(cuts.filter((c) => c < bytes.length))].sort((a, b) => a - b);
          const pieces: Uint8Array[] = [];
          let from = 0;
          for (const c of [...at, bytes.length]) {
            pieces.push(bytes.subarray(from, c));
            from = c;
          }
          try {
            for await (const batch of readCsvBatches(arriving(pieces), 3))
              assert.ok(batch.length > 0);
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
          }
        },
      ),
      { ...BUDGET, numRuns: 300 },
    );
  });

  it('XML data value sets, entities and DTDs included', () => {
    const attr = fc
      .tuple(fc.constantFrom('dataElement', 'period', 'orgUnit', 'value', 'comment', 'x'), field)
      .map(([k, v]) => (v === undefined ? '' : ` ${k}="${v}"`));
    const piece = fc.oneof(
      fc.array(attr, { maxLength: 5 }).map((a) => `<dataValue${a.join('')}/>`),
      fc.constantFrom(
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        '<!ENTITY a "aaaaaaaaaa">',
        '&e;',
        '&amp;',
        '&#0;',
        '&#xD800;',
        '<![CDATA[x]]>',
        '<!-- c -->',
        '<?xml version="1.0"?>',
        '<dataValueSet>',
        '</dataValueSet>',
        '<dataValue>',
        '</dataValue>',
        '<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" period="2025-09-01">',
      ),
      trickyString(20),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) =>
        answersOrAppError(() => parseXml(parts.join(''))),
      ),
      BUDGET,
    );
  });

  it('ADX, categories, annotations, entities and DTDs included', () => {
    const attr = fc
      .tuple(
        fc.constantFrom(
          'dataElement',
          'value',
          'categoryOptionCombo',
          'SEX',
          'xmlns',
          'xmlns:x',
          'group',
          'annotation',
          'period',
        ),
        field,
      )
      .map(([k, v]) => (v === undefined ? '' : ` ${k}="${v}"`));
    const piece = fc.oneof(
      fc.array(attr, { maxLength: 5 }).map((a) => `<dataValue${a.join('')}/>`),
      fc.array(attr, { maxLength: 5 }).map((a) => `<group${a.join('')}>`),
      fc.constantFrom(
        '<!DOCTYPE adx [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        '&e;',
        '&#0;',
        '<adx xmlns="urn:ihe:qrph:adx:2015">',
        '</adx>',
        '<group period="2022-01-01/P1M" orgUnit="VN">',
        '</group>',
        '<dataValue dataElement="X" value="0">',
        '<annotation>',
        '</annotation>',
        '<annotation a="b">t</annotation>',
        '</dataValue>',
        '<![CDATA[x]]>',
      ),
      trickyString(20),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) =>
        answersOrAppError(() => {
          const set = parseAdx(parts.join(''));
          for (const v of set.values) {
            for (const x of [v.dataElement, v.value, v.annotation, v.period, v.orgUnit]) {
              assert.ok(x === undefined || typeof x === 'string');
            }
          }
        }),
      ),
      BUDGET,
    );
  });

  it('any bytes in any format', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom<DataValueFormat>('json', 'csv', 'xml', 'adx'),
        (bytes, format) => answersOrAppError(() => parseDataValueSet(bytes, format)),
      ),
      BUDGET,
    );
  });

  it('periods: any text, and text shaped like periods', () => {
    const periodish = fc
      .array(fc.constantFrom(...'0123456789-WQSABbiweklyMonthsApriloctNovDecthángquý/ ;,'), {
        maxLength: 14,
      })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(periodish, trickyString(30)), (s) =>
        answersOrAppError(() => {
          const p = parsePeriod(s);
          assert.ok(p.start <= p.end, `${s}: ${p.start} > ${p.end}`);
        }),
      ),
      BUDGET,
    );
    fc.assert(
      fc.property(fc.oneof(periodish, trickyString(40)), (s) =>
        answersOrAppError(() => parsePeriodList(s, '2026-11-23')),
      ),
      { ...BUDGET, numRuns: 200 },
    );
  });

  it('formulas: parsed, printed and evaluated, or refused with an AppError', () => {
    const token = fc.oneof(
      fc.constantFrom(
        '#{A}',
        '#{A.B}',
        '#{A.B.C}',
        'I{X}',
        'C{K}',
        '#{',
        '}',
        '(',
        ')',
        '+',
        '-',
        '*',
        '/',
        '%',
        '^',
        '!',
        '&&',
        '||',
        '==',
        '!=',
        '<',
        '<=',
        ',',
        'if(',
        'isNull(',
        'firstNonNull(',
        'min(',
        'max(',
        'log(',
        '1',
        '0',
        '2.5',
        '1e308',
        '"s"',
        ' ',
      ),
      trickyString(4),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 20 }), (tokens) =>
        answersOrAppError(() => {
          const expr = parseExpression(tokens.join(''));
          // What is printed parses back; evaluation answers a number or null.
          parseExpression(formatExpression(expr));
          const v = evaluate(expr, () => 3);
          assert.ok(v === null || typeof v === 'number');
        }),
      ),
      BUDGET,
    );
    // Deep nesting is refused, not a stack overflow.
    assert.ok(answersOrAppError(() => parseExpression('('.repeat(100_000) + '1')));
    assert.ok(answersOrAppError(() => parseExpression('-'.repeat(100_000) + '1')));
  });

  it('codes and values: checked, never thrown', () => {
    const codes = new ByteCodes();
    fc.assert(
      fc.property(
        trickyString(30),
        fc.constantFrom<ValueType>(
          'integer',
          'number',
          'percentage',
          'boolean',
          'true_only',
          'date',
          'text',
        ),
        (s, type) => {
          // A code read from bytes is the same code every time, and reads back as its text.
          const buf = Buffer.from(s);
          const id = codes.id(buf, 0, buf.length);
          assert.equal(codes.id(Buffer.from(s), 0, buf.length), id);
          if (id !== 0) assert.equal(codes.strings[id], buf.toString('utf8'));
          assert.equal(typeof Code.safeParse(s).success, 'boolean');
          const checked = checkValue(type, s, { element: 'E', min: 0, max: 10 });
          if (checked.ok && checked.number !== null && isNumericType(type)) {
            assert.ok(checked.number >= 0 && checked.number <= 10, `${type} ${s}`);
          }
          // TRUE_ONLY holds only "true"; a zero is never a boolean's "not stored".
          if (checked.ok && type === 'true_only') assert.equal(checked.text, 'true');
          if (checked.ok && !isNumericType(type)) {
            assert.equal(
              zeroNotStored({ valueType: type, zeroSignificant: false, aggTime: 'sum' }, 0),
              false,
            );
          }
          // What the text check passes, PostgreSQL stores; what it shows is clean.
          if (textProblem(s, { multiline: true }) === undefined) {
            assert.ok(!s.includes('\u0000'));
            assert.equal(Buffer.from(s).toString('utf8'), s);
          }
          assert.equal(textProblem(visibleText(s)), undefined);
          return true;
        },
      ),
      BUDGET,
    );
  });
});
