/**
 * The outlier methods' numbers (issue 17) against simple-statistics, a library nobody here
 * wrote: mean, population SD, median, MAD, z-score and modified z-score on random series; the
 * edge cases (constant series, MAD 0, fewer than 3 values); the seasonal baseline and scale
 * slips on a planted example.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as ss from 'simple-statistics';
import {
  generatedMinMax,
  isScaleSlip,
  isoWeek,
  mad,
  mean,
  median,
  scaleSlips,
  minMaxScore,
  modifiedZScores,
  seasonSlot,
  seasonalScores,
  stdDevPop,
  typicalMagnitude,
  zScores,
  type SeasonalPoint,
} from './outlier.ts';

const close = (a: number, b: number, what: string) =>
  assert.ok(
    Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)),
    `${what}: ${a} vs ${b}`,
  );

// Figures as reported: up to three decimals (subnormal doubles have no relative precision).
const series = fc.array(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => Math.round(x * 1000) / 1000),
  { minLength: 1, maxLength: 200 },
);

describe('DHIS2 outlier methods against simple-statistics', () => {
  it('mean, population SD, median and MAD equal the library on random series', () => {
    fc.assert(
      fc.property(series, (xs) => {
        close(mean(xs), ss.mean(xs), 'mean');
        close(stdDevPop(xs), ss.standardDeviation(xs), 'population SD');
        close(median(xs), ss.median(xs), 'median');
        close(mad(xs), ss.medianAbsoluteDeviation(xs), 'MAD');
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('z-scores and modified z-scores equal those computed from the library', () => {
    fc.assert(
      fc.property(series, fc.double({ min: 0.5, max: 10, noNaN: true }), (xs, threshold) => {
        const m = ss.mean(xs);
        const sd = ss.standardDeviation(xs);
        const z = zScores(xs, threshold);
        if (sd === 0) assert.equal(z.length, 0);
        else
          z.forEach((s, i) => {
            close(s.zScore!, Math.abs(ss.zScore(xs[i]!, m, sd)), 'z');
            close(s.lowerBound, m - threshold * sd, 'lower');
            close(s.upperBound, m + threshold * sd, 'upper');
            assert.equal(s.outlier, s.zScore! >= threshold);
          });
        const med = ss.median(xs);
        const d = ss.medianAbsoluteDeviation(xs);
        const mz = modifiedZScores(xs, threshold);
        if (d === 0) assert.equal(mz.length, 0);
        else
          mz.forEach((s, i) => {
            close(s.zScore!, (0.6745 * Math.abs(xs[i]! - med)) / d, 'modified z');
            close(s.stdDev!, d, 'MAD as stdDev');
            close(s.lowerBound, med - (threshold * d) / 0.6745, 'lower');
          });
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('edge cases: constant series, MAD 0, fewer than 3 values, empty', () => {
    assert.deepEqual(zScores([5, 5, 5, 5]), [], 'a constant series has no z-score');
    assert.deepEqual(modifiedZScores([1, 1, 1, 1, 50]), [], 'MAD 0: no modified z-score');
    assert.equal(zScores([1, 1, 1, 1, 50]).filter((s) => s.outlier).length, 0, '|z| = 2 < 3');
    const two = zScores([1, 3]);
    assert.equal(two.length, 2);
    close(two[0]!.zScore!, 1, 'two values are each one SD away');
    assert.deepEqual(zScores([7]), [], 'one value: SD 0');
    assert.ok(Number.isNaN(mean([])) && Number.isNaN(median([])));
    // Population, not sample: [1, 3] has SD 1, the sample SD would be √2.
    close(stdDevPop([1, 3]), 1, 'population SD');
    close(ss.sampleStandardDeviation([1, 3]), Math.SQRT2, 'the sample SD differs');
  });

  it('min–max: outside the bounds, distance to the crossed bound; generated mean ± 2·SD', () => {
    assert.deepEqual(minMaxScore(12, 0, 10), {
      value: 12,
      absDev: 2,
      lowerBound: 0,
      upperBound: 10,
      outlier: true,
    });
    assert.equal(minMaxScore(-1, 0, 10).absDev, 1);
    assert.equal(minMaxScore(10, 0, 10).outlier, false);
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    const r = generatedMinMax(xs)!;
    close(r.min, ss.mean(xs) - 2 * ss.standardDeviation(xs), 'min');
    close(r.max, 9, 'max');
  });
});

describe('seasonal baseline and scale slips', () => {
  it('season slots match PostgreSQL: ISO weeks, weeks of the year, months', () => {
    assert.equal(isoWeek('2025-01-01'), 1);
    assert.equal(isoWeek('2024-12-30'), 1);
    assert.equal(isoWeek('2021-01-03'), 53);
    assert.equal(seasonSlot('day', '2025-01-07'), 0);
    assert.equal(seasonSlot('day', '2025-01-08'), 1);
    assert.equal(seasonSlot('day', '2024-12-31'), 52);
    assert.equal(seasonSlot('month', '2025-07-01'), 6);
    assert.equal(seasonSlot('quarter', '2025-07-01'), 0);
  });

  it('a yearly peak is not an outlier; 10×, 1,000× and ×0.1 slips are', () => {
    // Three years of daily values: a summer peak three times the winter level, ±5% noise.
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const points: SeasonalPoint[] = [];
    for (let t = Date.UTC(2023, 0, 1); t <= Date.UTC(2025, 11, 31); t += 86_400_000) {
      const start = new Date(t).toISOString().slice(0, 10);
      const doy = (t - Date.UTC(new Date(t).getUTCFullYear(), 0, 1)) / 86_400_000;
      const level = 200 * (2 - Math.cos((2 * Math.PI * (doy - 15)) / 365));
      points.push({ start, type: 'day', value: Math.round(level * (1 + 0.05 * rand())) });
    }
    const planted = new Map([
      [400, 10],
      [700, 1000],
      [900, 0.1],
    ]);
    for (const [i, f] of planted) points[i]!.value *= f;
    const scores = seasonalScores(points);
    const flagged = scores.flatMap((s, i) => (s?.outlier ? [i] : []));
    assert.deepEqual(flagged, [...planted.keys()], 'exactly the planted slips');
    // DHIS2's z-score over the whole series: the 1,000× slip hides the others.
    const z = zScores(points.map((p) => p.value));
    assert.deepEqual(
      z.flatMap((s, i) => (s.outlier ? [i] : [])),
      [700],
    );
    const typical = typicalMagnitude(points.map((p) => p.value));
    assert.ok(isScaleSlip(points[700]!.value, typical));
    assert.ok(!isScaleSlip(points[400]!.value, typical), '10× is not a scale slip');
    assert.ok(isScaleSlip(0.5, 100) && isScaleSlip(-20_000, 100) && !isScaleSlip(0, 100));
    // Each value against the others: even in a short series the slip shows, the rest do not.
    assert.deepEqual(scaleSlips([120, 95, 110, 105_000]), [false, false, false, true]);
    assert.deepEqual(scaleSlips([0, 5, 0]), [false, false, false]);
  });

  it('no seasonal score on a short baseline or a zero spread', () => {
    const few = [1, 2, 3].map((v, i) => ({ start: `2025-0${i + 1}-01`, type: 'month', value: v }));
    assert.deepEqual(seasonalScores(few), [undefined, undefined, undefined]);
    const zeros = Array.from({ length: 10 }, (_, i) => ({
      start: `2025-01-${String(i + 1).padStart(2, '0')}`,
      type: 'day',
      value: 0,
    }));
    assert.ok(seasonalScores(zeros).every((s) => s === undefined));
  });
});
