/**
 * violatedColumns, the bulk checks' evaluator, gives evaluateCompiled's decision on every cell:
 * random rules over three elements (and an option), random cells with values missing, zero,
 * negative or large, every operator and missing-value strategy; an item missing in every cell
 * (C) and one present in every cell (D), which are not copied; working columns reused from
 * rule to rule (ScratchColumns), as a bulk check reuses them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileRule,
  ScratchColumns,
  violatedColumns,
  evaluateCompiled,
  MISSING_VALUE_STRATEGIES,
  VALIDATION_OPERATORS,
  type CellColumns,
  type ElementItem,
} from './validation.ts';

let seed = 17;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const ITEMS = ['#{A}', '#{B}', '#{C}', '#{D}', '#{A.X}'];
function expression(depth: number): string {
  const r = random();
  if (depth === 0 || r < 0.3)
    return random() < 0.75 ? pick(ITEMS) : pick(['0', '2', '1000', '0.5']);
  if (r < 0.4) return `-(${expression(depth - 1)})`;
  return `(${expression(depth - 1)} ${pick(['+', '-', '*', '/'])} ${expression(depth - 1)})`;
}

describe('violatedColumns', () => {
  it('gives evaluateCompiled’s outcome on 200 rules × 300 cells', () => {
    const slots = ['A', 'B', 'C', 'D', 'A.X'];
    const cells = 300;
    const columns: CellColumns = {
      sums: slots.map(() => new Float64Array(cells)),
      counts: slots.map(() => new Uint32Array(cells)),
    };
    for (let s = 0; s < slots.length; s++)
      for (let c = 0; c < cells; c++) {
        if (slots[s] === 'C' || (slots[s] !== 'D' && random() < 0.25)) continue;
        columns.counts[s]![c] = 1;
        columns.sums[s]![c] = pick([
          0,
          0,
          1,
          -3,
          7.5,
          1e6,
          0.1,
          0.2,
          0.3,
          Math.round(random() * 100),
        ]);
      }
    const slotOf = (ref: ElementItem) =>
      slots.indexOf(ref.option ? `${ref.element}.${ref.option}` : ref.element);
    let compared = 0;
    const before = columns.sums.map((x) => x.slice());
    const items = new Map<number, Float64Array | number>();
    const scratch = new ScratchColumns(cells);
    for (let i = 0; i < 200; i++) {
      const rule = compileRule({
        operator: pick(VALIDATION_OPERATORS),
        left: { expression: expression(3), missingValueStrategy: pick(MISSING_VALUE_STRATEGIES) },
        right: { expression: expression(2), missingValueStrategy: pick(MISSING_VALUE_STRATEGIES) },
      });
      // The item columns shared by every rule, as a bulk check shares them: none may be changed.
      const mask = violatedColumns(
        rule,
        slotOf,
        (s) => columns.sums[s]!,
        columns,
        cells,
        items,
        scratch,
      );
      assert.ok(mask, 'the subset compiles to columns');
      for (let c = 0; c < cells; c++) {
        const slow = evaluateCompiled(rule, (ref) => {
          if (ref.kind !== 'element') return null;
          const s = slotOf(ref);
          return columns.counts[s]![c]! > 0 ? columns.sums[s]![c]! : null;
        });
        assert.equal(mask[c] === 1, slow.status === 'violated', `columns: rule ${i}, cell ${c}`);
        compared++;
      }
      scratch.release();
    }
    assert.equal(compared, 60_000);
    assert.deepEqual(columns.sums, before, 'the cells’ sums are never written');
  });

  it('leaves functions to evaluateCompiled', () => {
    const rule = compileRule({
      operator: 'less_than',
      left: { expression: 'abs(#{A})', missingValueStrategy: 'NEVER_SKIP' },
      right: { expression: '5', missingValueStrategy: 'NEVER_SKIP' },
    });
    const columns: CellColumns = { sums: [new Float64Array(1)], counts: [new Uint32Array(1)] };
    assert.equal(
      violatedColumns(
        rule,
        () => 0,
        () => new Float64Array(1),
        columns,
        1,
      ),
      undefined,
    );
  });
});
