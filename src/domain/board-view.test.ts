import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BoardPanel } from '../contract/board.ts';
import {
  doneShare,
  headerSpans,
  mapModel,
  panelTitle,
  periodsLabel,
  rankUnits,
  unitCellIndex,
} from './board-view.ts';

const h = (...ids: string[]) => ids.map((id) => ({ id, label: id }));

describe("a pivot's headers", () => {
  it('span the rows they group, dimension by dimension', () => {
    // Two figures × three units, then one unit of a third figure.
    const spans = headerSpans([
      h('CASES', 'HN'),
      h('CASES', 'HCM'),
      h('CASES', 'DN'),
      h('DEATHS', 'HN'),
      h('DEATHS', 'HCM'),
      h('TESTS', 'HN'),
    ]);
    assert.deepEqual(spans, [
      [3, 1],
      [0, 1],
      [0, 1],
      [2, 1],
      [0, 1],
      [1, 1],
    ]);
  });

  it('start a new group below when the group above changes, even on the same item', () => {
    // The unit HN repeats under two figures: two headers, not one spanning across figures.
    const spans = headerSpans([
      h('CASES', 'HN', '202601'),
      h('CASES', 'HN', '202602'),
      h('DEATHS', 'HN', '202601'),
      h('DEATHS', 'HN', '202602'),
    ]);
    assert.deepEqual(spans, [
      [2, 2, 1],
      [0, 0, 1],
      [2, 2, 1],
      [0, 0, 1],
    ]);
  });

  it('of one dimension span nothing, and no headers make no spans', () => {
    assert.deepEqual(headerSpans([h('A'), h('B')]), [[1], [1]]);
    assert.deepEqual(headerSpans([]), []);
  });
});

describe("a panel's title", () => {
  const panel = {
    id: 'p1',
    kind: 'trend',
    grid: { x: 0, y: 0, w: 4, h: 3 },
    figures: ['A', 'B'],
    units: [],
    periods: [],
    options: {},
  } as BoardPanel;
  it("is the panel's own, else its figures' names, else its kind", () => {
    assert.equal(panelTitle({ ...panel, title: '  Dịch bệnh ' }, ['Ca'], 'Xu hướng'), 'Dịch bệnh');
    assert.equal(panelTitle(panel, ['Số ca', 'Số xét nghiệm'], 'Xu hướng'), 'Số ca, Số xét nghiệm');
    assert.equal(panelTitle({ ...panel, title: '' }, [], 'Xu hướng'), 'Xu hướng');
  });
});

describe('the cells of a one-value panel', () => {
  it('are found by figure and unit, whatever the combined period they carry', () => {
    const cell = (dx: string, ou: string, value: number) => ({
      dx,
      pe: '2026-09-01_2026-11-30',
      ou,
      value,
      version: '2025',
    });
    const at = unitCellIndex([cell('A', '01', 5), cell('A', '79', 7), cell('B', '01', 9)]);
    assert.equal(at('A', '79')?.value, 7);
    assert.equal(at('B', '01')?.value, 9);
    assert.equal(at('B', '79'), undefined);
  });
  it('are labelled with their one period, or the first and last of several', () => {
    assert.equal(periodsLabel([{ label: 'tháng 11/2026' }]), 'tháng 11/2026');
    assert.equal(
      periodsLabel([{ label: 'tháng 09/2026' }, { label: 'x' }, { label: 'tháng 11/2026' }]),
      'tháng 09/2026 – tháng 11/2026',
    );
    assert.equal(periodsLabel([]), '');
  });
});

describe("a map panel's regions", () => {
  const features = ['01', '79', '48', '92'].map((code) => ({
    properties: { code, name: `Tỉnh ${code}` },
  }));
  const words = {
    noValue: 'Chưa có số liệu',
    outOfScope: 'Ngoài ô này',
    rank: (r: number, n: number) => `Hạng ${r}/${n}`,
  };
  const model = mapModel({
    lang: 'vi',
    features,
    units: [
      { code: '01', name: 'Hà Nội' },
      { code: '79', name: 'Hồ Chí Minh' },
      { code: '48', name: 'Đà Nẵng' },
    ],
    values: new Map([
      ['01', 1200],
      ['79', 3400],
      ['48', null],
    ]),
    direction: 'rise_bad',
    format: { unit: 'ca' },
    dark: false,
    words,
  });
  const byCode = new Map(model.regions.map((r) => [r.code, r]));
  it("colour the panel's units by value in the colours of a figure whose rise is bad", () => {
    assert.equal(byCode.get('79')!.name, 'Hồ Chí Minh');
    assert.deepEqual(byCode.get('79')!.tooltip, ['Hồ Chí Minh', '3.400 ca', 'Hạng 1/2']);
    assert.ok(byCode.get('79')!.colour);
    assert.notEqual(byCode.get('79')!.colour, byCode.get('01')!.colour);
    assert.equal(model.legendNote, 'legendMoreWorse');
    assert.ok(model.legend.length >= 2);
  });
  it('leave units without a value blank and the others out of the panel', () => {
    assert.equal(byCode.get('48')!.colour, undefined);
    assert.deepEqual(byCode.get('48')!.tooltip, ['Đà Nẵng', 'Chưa có số liệu']);
    assert.equal(byCode.get('92')!.inScope, false);
    assert.deepEqual(byCode.get('92')!.tooltip, ['Tỉnh 92', 'Ngoài ô này']);
    assert.ok(model.hasNoData && model.hasOutOfScope);
  });
  it('write a short value for the wall', () => {
    assert.equal(byCode.get('01')!.short, '1.200');
  });
});

describe("a ranking panel's order", () => {
  const units = [
    { code: 'A', name: 'An Giang' },
    { code: 'B', name: 'Bắc Ninh' },
    { code: 'C', name: 'Cà Mau' },
  ];
  const values: Record<string, number | null> = { A: 5, B: null, C: 9 };
  it('is highest first or lowest first, units without a value last and unranked', () => {
    const desc = rankUnits(units, (c) => values[c], 'desc');
    assert.deepEqual(
      desc.map((r) => [r.unit.code, r.rank]),
      [
        ['C', 1],
        ['A', 2],
        ['B', undefined],
      ],
    );
    const asc = rankUnits(units, (c) => values[c], 'asc');
    assert.deepEqual(
      asc.map((r) => r.unit.code),
      ['A', 'C', 'B'],
    );
  });
});

describe("a directive's progress", () => {
  it('is the share of its tasks done, none without tasks', () => {
    assert.equal(doneShare({ total: 8, done: 3 }), 38);
    assert.equal(doneShare({ total: 0, done: 0 }), null);
  });
});
