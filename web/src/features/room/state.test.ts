import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  classOf,
  coloursFor,
  makeScale,
  PALETTE_BAD_LIGHT,
  PALETTE_GOOD_DARK,
  PALETTE_LIGHT,
  paletteFor,
} from './scale.ts';
import { goodEnd } from '../../shared/format.ts';
import {
  DEFAULT_TILES,
  elementsOf,
  readState,
  resolvePeriod,
  versionOn,
  vnToday,
  writeState,
} from './state.ts';

describe('the overview in the address bar', () => {
  it('reads defaults from an empty address and writes them back as nothing', () => {
    const s = readState('');
    assert.deepEqual(s, {
      dx: DEFAULT_TILES,
      map: DEFAULT_TILES[0],
      ou: undefined,
      v: undefined,
      pe: '7d',
      wall: false,
      all: false,
    });
    assert.equal(writeState(s), '');
  });

  it('round-trips a drilled-down, chosen screen', () => {
    const q =
      '?dx=CYBERATTACKS,CYBERATTACKS.PHISHING&m=CYBERATTACKS.PHISHING&ou=79&v=2022&pe=2022-01&all=1&wall=1';
    const s = readState(q);
    assert.deepEqual(s.dx, ['CYBERATTACKS', 'CYBERATTACKS.PHISHING']);
    assert.equal(s.map, 'CYBERATTACKS.PHISHING');
    assert.equal(s.ou, '79');
    assert.equal(s.wall, true);
    assert.equal(writeState(s), q);
    // duplicates dropped, the map defaults to the first tile
    assert.deepEqual(readState('?dx=A,B,A').dx, ['A', 'B']);
    assert.equal(readState('?dx=A,B').map, 'A');
  });
});

describe('periods of the overview', () => {
  const today = '2026-11-23';
  it('turns presets into periods ending yesterday, with a trend of 30 days', () => {
    const week = resolvePeriod('7d', today);
    assert.equal(week.id, '2026-11-16/2026-11-22');
    assert.equal(week.days, 7);
    assert.equal(week.trendKind, 'days');
    assert.equal(week.trend.length, 30);
    assert.equal(week.trend.at(-1)!.id, '2026-11-22');
    assert.equal(resolvePeriod('1d', today).id, '2026-11-22');
    assert.equal(resolvePeriod('today', today).id, '2026-11-23');
    // The month so far: its change on last year is on the same days.
    assert.equal(resolvePeriod('month', today).id, '2026-11-01/2026-11-23');
    assert.equal(resolvePeriod('month', '2026-11-01').id, '2026-11-01');
    assert.equal(resolvePeriod('lastmonth', today).id, '2026-10');
  });

  it('takes any period the server reads, with 12 months of trend for a month', () => {
    const jan = resolvePeriod('2022-01', today);
    assert.equal(jan.id, '2022-01');
    assert.equal(jan.trendKind, 'months');
    assert.deepEqual(
      [jan.trend[0]!.id, jan.trend.at(-1)!.id, jan.trend.length],
      ['2021-02', '2022-01', 12],
    );
    assert.equal(resolvePeriod('tháng 01/2022', today).id, '2022-01');
    assert.throws(() => resolvePeriod('không phải kỳ', today));
  });

  it('knows today in Viet Nam and the tree in force on a day', () => {
    assert.equal(vnToday(Date.parse('2026-11-22T17:30:00Z')), '2026-11-23');
    const versions = [
      { id: '2022', validFrom: '2022-10-01', validUntil: '2023-04-09' },
      { id: '2025-03', validFrom: '2025-03-01', validUntil: '2025-06-30' },
      { id: '2025', validFrom: '2025-07-01', validUntil: null },
    ];
    assert.equal(versionOn(versions, '2026-11-16'), '2025');
    assert.equal(versionOn(versions, '2025-04-01'), '2025-03');
    assert.equal(versionOn(versions, '2024-01-01'), '2022', 'between trees: the one before');
    assert.equal(versionOn(versions, '2021-01-01'), '2022', 'before the first: the oldest');
  });

  it('knows which elements an indicator reads, through nested indicators', () => {
    const formulas = new Map([
      ['POSITIVITY', '#{POSITIVE_CASES} / #{TESTS_DONE} * 100'],
      ['DOUBLE', 'N{POSITIVITY} * 2 + #{EXTRA.OPT}'],
    ]);
    assert.deepEqual(elementsOf('TESTS_DONE', formulas), ['TESTS_DONE']);
    assert.deepEqual(elementsOf('CYBERATTACKS.PHISHING', formulas), ['CYBERATTACKS']);
    assert.deepEqual(elementsOf('POSITIVITY', formulas).sort(), ['POSITIVE_CASES', 'TESTS_DONE']);
    assert.deepEqual(elementsOf('DOUBLE', formulas).sort(), [
      'EXTRA',
      'POSITIVE_CASES',
      'TESTS_DONE',
    ]);
  });
});

describe('colour classes of the map', () => {
  it('breaks at rounded quantiles and colours each class', () => {
    const values = Array.from({ length: 100 }, (_, i) => 1000 + i * 137);
    const scale = makeScale(values)!;
    assert.equal(scale.breaks.length, 4);
    for (const b of scale.breaks) assert.equal(Number(b.toPrecision(2)), b, `${b} is rounded`);
    assert.equal(classOf(scale, scale.min), 0);
    assert.equal(classOf(scale, scale.max), 4);
    assert.deepEqual(coloursFor(scale, PALETTE_LIGHT), PALETTE_LIGHT);
    assert.equal(makeScale([]), null);
    const flat = makeScale([5, 5, 5])!;
    assert.deepEqual(flat.breaks, []);
    assert.equal(coloursFor(flat, PALETTE_LIGHT).length, 1);
  });
});

describe('the map colours what a rise means', () => {
  it('red when more is worse, green when more is better, blue otherwise', () => {
    assert.deepEqual(paletteFor(goodEnd('rise_bad'), false), PALETTE_BAD_LIGHT);
    assert.deepEqual(paletteFor(goodEnd('rise_good'), true), PALETTE_GOOD_DARK);
    assert.deepEqual(paletteFor(goodEnd('neutral'), false), PALETTE_LIGHT);
    assert.deepEqual(paletteFor(goodEnd(undefined), false), PALETTE_LIGHT);
  });
});
