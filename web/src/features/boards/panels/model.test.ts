import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapEntryFor, rowPageStarts, timeOf } from './model.ts';

describe("a wall's pivot cut into pages of rows", () => {
  it('is one page when every row fits, and no page turns its columns', () => {
    assert.deepEqual(rowPageStarts([30, 30, 30], 90, 20), [0]);
  });

  it('fills each page with the rows whose heights fit above the page number', () => {
    // 100 px less 20 for the number: three one-line rows, or a two-line row and a one-line one.
    assert.deepEqual(rowPageStarts([25, 25, 25, 50, 25, 25, 25, 25], 100, 20), [0, 3, 5]);
  });

  it('keeps room for the number when only the columns turn', () => {
    assert.deepEqual(rowPageStarts([30, 30, 30], 90, 20), [0]);
    assert.deepEqual(rowPageStarts([30, 30, 30], 90, 20, true), [0, 2]);
  });

  it('puts a row taller than the page on a page of its own', () => {
    assert.deepEqual(rowPageStarts([10, 200, 10], 100, 20), [0, 1, 2]);
  });
});

describe('when the figures were read', () => {
  it("is written in Viet Nam's time", () => {
    assert.equal(timeOf('2026-11-23T02:05:00Z'), '09:05');
    assert.equal(timeOf('2026-11-23T20:30:00.000Z'), '03:30');
    assert.equal(timeOf('not a time'), '');
  });
});

describe("a map panel's boundaries", () => {
  const entry = (version: string, parent: string, level: number) => ({
    version,
    parent,
    level,
    etag: 'e',
    features: 34,
    href: `/api/geo/${version}/${parent}?level=${level}`,
  });
  const entries = [entry('2025', 'VN', 1), entry('2025', 'VN', 2), entry('2025', '79', 2)];
  it("are the units' parent's map at their level", () => {
    const provinces = [
      { level: 1, parent: 'VN' },
      { level: 1, parent: 'VN' },
    ];
    assert.equal(mapEntryFor(entries, provinces, '2025'), entries[0]);
    assert.equal(mapEntryFor(entries, [{ level: 2, parent: '79' }], '2025'), entries[2]);
  });
  it('are the map of every commune for communes of several provinces; none on another tree', () => {
    const communes = [
      { level: 2, parent: '79' },
      { level: 2, parent: '01' },
    ];
    assert.equal(mapEntryFor(entries, communes, '2025'), entries[1]);
    assert.equal(mapEntryFor(entries, [{ level: 1, parent: 'VN' }], '2022'), undefined);
    assert.equal(mapEntryFor(entries, [], '2025'), undefined);
  });
});
