/**
 * Outlier detection (issue 17): DHIS2's three methods, Opsroom's seasonal baseline, and the
 * scale-slip check. Pure: the server computes the same numbers in SQL (db/outlier.repo.ts) over
 * millions of values; these functions are the definition, used by tests, the bench and the
 * browser (a value typed in the form is checked against the series it joins).
 *
 * DHIS2's methods, as dhis2-core's outlier detection SQL computes them
 * (ZscoreSqlStatementProcessor, MinMaxOutlierDetectionManager), per series = (element, unit,
 * category option combo, attribute option combo), over the values stored in the data range:
 *
 * - Z_SCORE: middle value = the mean, spread = the POPULATION standard deviation
 *   (`stddev_pop`, divisor n, not n − 1); zScore = |x − mean| / sd; an outlier when
 *   zScore ≥ threshold; bounds mean ± threshold · sd; series with sd = 0 are skipped.
 * - MOD_Z_SCORE: middle value = the median (`percentile_cont(0.5)`, the mean of the two middle
 *   values for an even count), spread = the median absolute deviation MAD = median(|x − median|)
 *   (unscaled; DHIS2 answers it in `stdDev`); zScore = 0.6745 · |x − median| / MAD; bounds
 *   median ± threshold · MAD / 0.6745; series with MAD = 0 are skipped.
 * - MIN_MAX: a value below the stored minimum or above the stored maximum; absDev = its distance
 *   to the bound it crosses; bounds = the stored min and max.
 *
 * Threshold default 3.0 (DHIS2's). z-scores are absolute values, as DHIS2 answers them.
 *
 * SEASONAL (Opsroom, beyond DHIS2; docs/decisions.md "Outliers: the seasonal baseline"):
 * a value is compared with the values of the same series in the same season — the same time of
 * year in every year of the data range, its recent neighbours included:
 *
 * - The season slot of a period: daily → week of the year, floor((day of year − 1) / 7), 53
 *   slots, window ±1 slot (about 21 days a year); weekly → ISO week − 1, 53 slots, window ±2
 *   (5 weeks a year); monthly → month − 1, 12 slots, window ±1 (3 months a year); other types
 *   (quarter, half, year) → one slot: the whole series. Slots wrap round the year (late
 *   December is next to early January).
 * - The baseline of a value: every value of its series in the data range whose slot lies within
 *   the window of its own (the value itself included: a median is barely moved by one value).
 * - median and MAD of the baseline; spread = max(1.4826 · MAD, 0.1 · |median|) — 1.4826 makes
 *   the MAD estimate a normal standard deviation, the 10% floor keeps a near-constant series
 *   from flagging ordinary wobbles; score = |x − median| / spread; an outlier when score ≥
 *   threshold (default 3.0); no score when the baseline holds fewer than 5 values or the spread
 *   is 0; bounds median ± threshold · spread.
 *
 * So the yearly peak of a seasonal figure is compared with the same weeks of other years and its
 * own neighbouring days (which peak too): not an outlier. A tenfold or thousandfold slip stands
 * far outside any season's spread.
 *
 * Scale slips, whatever the method: a value is compared with the typical magnitude of the same
 * series' OTHER non-zero values in the data range, their geometric mean exp(mean(ln |y|)) (a
 * thousandfold slip elsewhere among 365 values moves it by 2%; the value itself is left out, so
 * even a short series shows its slip); a non-zero value 100× or more above or below it is a
 * likely unit or scale error (`scaleSlip`), answered even when the method's score is below the
 * threshold (a slip that inflates its own series' standard deviation hides from the z-score).
 */

export const OUTLIER_ALGORITHMS = ['Z_SCORE', 'MOD_Z_SCORE', 'MIN_MAX', 'SEASONAL'] as const;
export type OutlierAlgorithm = (typeof OUTLIER_ALGORITHMS)[number];

/** DHIS2's default threshold (z-score and modified z-score), Opsroom's for the seasonal score. */
export const DEFAULT_THRESHOLD = 3.0;
/** The modified z-score's constant: Φ⁻¹(0.75), the MAD of a standard normal distribution. */
export const MOD_Z_FACTOR = 0.6745;
/** 1 / 0.6745: the MAD of a normal distribution times this estimates its standard deviation. */
export const MAD_TO_SD = 1.4826;
/** The seasonal spread's floor, relative to the baseline's median. */
export const SEASONAL_SPREAD_FLOOR = 0.1;
/** Fewer baseline values than this: no seasonal score. */
export const SEASONAL_MIN_BASELINE = 5;
/** A value this many times above or below its series' typical magnitude is a likely slip. */
export const SCALE_SLIP_RATIO = 100;
/** DHIS2's default factor of min–max generation (system setting `factorDeviation`, 2.0). */
export const MIN_MAX_FACTOR = 2.0;

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** The population standard deviation (divisor n), as PostgreSQL's `stddev_pop`. */
export function stdDevPop(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / xs.length);
}

/** The median as `percentile_cont(0.5)`: the mean of the two middle values for an even count. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The median absolute deviation, unscaled: median(|x − median(x)|). */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/**
 * The median of values sorted ascending as PostgreSQL's `percentile_cont(0.5)` computes it, to
 * the last bit: the middle value, or lo + 0.5 · (hi − lo) for an even count (its linear
 * interpolation, which may differ from (lo + hi) / 2 in the last place). NaN when empty.
 */
export function sortedMedianPg(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const lo = sorted[(n - 1) >> 1]!;
  if (n % 2) return lo;
  const hi = sorted[n >> 1]!;
  return lo + 0.5 * (hi - lo);
}

/**
 * Median and MAD (unscaled) of a series, exactly as MOD_Z_SCORE's SQL would compute them with
 * `percentile_cont(0.5)` (sorts `xs` in place). The server reads each series' values once and
 * computes these here, instead of two sorts per series in SQL (db/outlier.repo.ts).
 */
export function medianAndMadPg(xs: Float64Array): { median: number; mad: number } {
  xs.sort();
  const median = sortedMedianPg(xs);
  const d = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) d[i] = Math.abs(xs[i]! - median);
  d.sort();
  return { median, mad: sortedMedianPg(d) };
}

/** What a method answers for one value (DHIS2's OutlierValue numbers). */
export interface OutlierScore {
  value: number;
  mean?: number;
  median?: number;
  stdDev?: number;
  absDev: number;
  zScore?: number;
  lowerBound: number;
  upperBound: number;
  outlier: boolean;
}

/** Z_SCORE of every value of a series; empty when the standard deviation is 0 (or no value). */
export function zScores(xs: readonly number[], threshold = DEFAULT_THRESHOLD): OutlierScore[] {
  const m = mean(xs);
  const sd = stdDevPop(xs);
  if (!(sd > 0)) return [];
  return xs.map((value) => {
    const absDev = Math.abs(value - m);
    const zScore = absDev / sd;
    return {
      value,
      mean: m,
      stdDev: sd,
      absDev,
      zScore,
      lowerBound: m - sd * threshold,
      upperBound: m + sd * threshold,
      outlier: zScore >= threshold,
    };
  });
}

/** MOD_Z_SCORE of every value of a series; empty when MAD is 0. */
export function modifiedZScores(
  xs: readonly number[],
  threshold = DEFAULT_THRESHOLD,
): OutlierScore[] {
  const med = median(xs);
  const d = mad(xs);
  if (!(d > 0)) return [];
  return xs.map((value) => {
    const absDev = Math.abs(value - med);
    const zScore = (MOD_Z_FACTOR * absDev) / d;
    return {
      value,
      median: med,
      stdDev: d,
      absDev,
      zScore,
      lowerBound: med - (d * threshold) / MOD_Z_FACTOR,
      upperBound: med + (d * threshold) / MOD_Z_FACTOR,
      outlier: zScore >= threshold,
    };
  });
}

/** MIN_MAX of one value against stored bounds. */
export function minMaxScore(value: number, min: number, max: number): OutlierScore {
  const absDev = value < min ? min - value : value > max ? value - max : 0;
  return { value, absDev, lowerBound: min, upperBound: max, outlier: value < min || value > max };
}

/** A generated min–max range, DHIS2's way: mean ± factor · sd (population), default factor 2. */
export function generatedMinMax(
  xs: readonly number[],
  factor = MIN_MAX_FACTOR,
): { min: number; max: number } | undefined {
  if (xs.length === 0) return undefined;
  const m = mean(xs);
  const sd = stdDevPop(xs);
  return { min: m - factor * sd, max: m + factor * sd };
}

// ---------------------------------------------------------------------------------------------
// The seasonal baseline

/** Slots of a period type and how far the window reaches (see the comment at the top). */
export function seasonShape(type: string): { slots: number; reach: number } {
  if (type === 'day') return { slots: 53, reach: 1 };
  if (type === 'week') return { slots: 53, reach: 2 };
  if (type === 'month') return { slots: 12, reach: 1 };
  return { slots: 1, reach: 0 };
}

function dayOfYear(iso: string): number {
  const t = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  const y = new Date(t).getUTCFullYear();
  return Math.round((t - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
}

/** The ISO 8601 week number of a date (PostgreSQL's `extract(week from d)`). */
export function isoWeek(iso: string): number {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0
  d.setUTCDate(d.getUTCDate() - day + 3); // the Thursday of its week
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const fd = (firstThursday.getUTCDay() + 6) % 7;
  firstThursday.setUTCDate(firstThursday.getUTCDate() - fd + 3);
  return 1 + Math.round((d.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
}

/** The season slot of a period starting on `start` (ISO date) of period type `type`. */
export function seasonSlot(type: string, start: string): number {
  if (type === 'day') return Math.floor((dayOfYear(start) - 1) / 7);
  if (type === 'week') return isoWeek(start) - 1;
  if (type === 'month') return Number(start.slice(5, 7)) - 1;
  return 0;
}

/** Whether two slots are within `reach` of each other, round the year of `slots`. */
export function slotsNear(a: number, b: number, slots: number, reach: number): boolean {
  const d = Math.abs(a - b) % slots;
  return Math.min(d, slots - d) <= reach;
}

export interface SeasonalPoint {
  /** the period's first day, ISO */
  start: string;
  /** the period type: day, week, month, quarter, half, year */
  type: string;
  value: number;
}

export interface SeasonalScore extends OutlierScore {
  median: number;
  /** the baseline's MAD (unscaled), as MOD_Z_SCORE answers it */
  stdDev: number;
  /** max(1.4826 · MAD, 0.1 · |median|) */
  spread: number;
  /** how many values the baseline holds */
  baseline: number;
}

/**
 * The indices of the points in the baseline of point `i`: its season, in every year. `slotOf`:
 * each point's season slot, when the caller asks for many points of one series.
 */
export function seasonalBaseline(
  points: readonly SeasonalPoint[],
  i: number,
  slotOf: readonly number[] = points.map((p) => seasonSlot(p.type, p.start)),
): number[] {
  const p = points[i]!;
  const { slots, reach } = seasonShape(p.type);
  return points.flatMap((q, j) =>
    q.type === p.type && slotsNear(slotOf[j]!, slotOf[i]!, slots, reach) ? [j] : [],
  );
}

/**
 * The seasonal score of each point of one series (one period type), against the baseline of
 * the same season in every year given; undefined where there is no score (a baseline of fewer
 * than 5 values, or a spread of 0).
 */
export function seasonalScores(
  points: readonly SeasonalPoint[],
  threshold = DEFAULT_THRESHOLD,
): (SeasonalScore | undefined)[] {
  const slotOf = points.map((p) => seasonSlot(p.type, p.start));
  return points.map((_, i) => seasonalScoreAt(points, i, threshold, slotOf));
}

/** The seasonal score of point `i` of a series (see `seasonalScores`). */
export function seasonalScoreAt(
  points: readonly SeasonalPoint[],
  i: number,
  threshold = DEFAULT_THRESHOLD,
  slotOf: readonly number[] = points.map((p) => seasonSlot(p.type, p.start)),
): SeasonalScore | undefined {
  const p = points[i]!;
  const base = seasonalBaseline(points, i, slotOf).map((j) => points[j]!.value);
  if (base.length < SEASONAL_MIN_BASELINE) return undefined;
  const med = median(base);
  const d = mad(base);
  const spread = Math.max(MAD_TO_SD * d, SEASONAL_SPREAD_FLOOR * Math.abs(med));
  if (!(spread > 0)) return undefined;
  const absDev = Math.abs(p.value - med);
  const zScore = absDev / spread;
  return {
    value: p.value,
    median: med,
    stdDev: d,
    spread,
    baseline: base.length,
    absDev,
    zScore,
    lowerBound: med - threshold * spread,
    upperBound: med + threshold * spread,
    outlier: zScore >= threshold,
  };
}

// ---------------------------------------------------------------------------------------------
// Scale slips

/** exp(mean(ln |x|)) over the non-zero values; undefined when there is none. */
export function typicalMagnitude(xs: readonly number[]): number | undefined {
  let s = 0;
  let n = 0;
  for (const x of xs)
    if (x !== 0 && Number.isFinite(x)) {
      s += Math.log(Math.abs(x));
      n++;
    }
  return n ? Math.exp(s / n) : undefined;
}

/**
 * Whether a value is 100× or more above or below a typical magnitude (either way): a likely
 * unit or scale error. Zero is never a slip (it is a figure, or a missing one).
 */
export function isScaleSlip(
  value: number,
  typical: number | undefined,
  ratio = SCALE_SLIP_RATIO,
): boolean {
  if (typical === undefined || !(typical > 0) || value === 0 || !Number.isFinite(value))
    return false;
  const r = Math.abs(value) / typical;
  return r >= ratio || r <= 1 / ratio;
}

/** How many of its own spreads (SD of ln |y|) the arrival check widens a slip's band by. */
export const SCALE_SLIP_SPREADS = 3;

/**
 * The band outside which a value arriving is a likely scale slip (checked as it is saved,
 * against its unit's recent values): SCALE_SLIP_RATIO times above or below their typical
 * magnitude, widened by SCALE_SLIP_SPREADS of their spread in log space (`sdLn`, the standard
 * deviation of ln |y|). A steady series (revenue: sdLn ≈ 0.06) keeps a band of about 120×; a
 * series of small counts (a commune's 1–12 cases a day: sdLn ≈ 0.7) widens to about 800×, so
 * that an outbreak's hundredfold day is not called a slip while a thousandfold one still is.
 */
export function scaleSlipBand(
  typical: number,
  sdLn: number,
  ratio = SCALE_SLIP_RATIO,
): { low: number; high: number } {
  const factor = ratio * Math.exp(SCALE_SLIP_SPREADS * (Number.isFinite(sdLn) ? sdLn : 0));
  return { low: typical / factor, high: typical * factor };
}

/** The scale-slip flag of every value of a series, each against the others (see the top). */
export function scaleSlips(xs: readonly number[], ratio = SCALE_SLIP_RATIO): boolean[] {
  let sum = 0;
  let n = 0;
  for (const x of xs)
    if (x !== 0 && Number.isFinite(x)) {
      sum += Math.log(Math.abs(x));
      n++;
    }
  return xs.map((x) => {
    if (x === 0 || !Number.isFinite(x) || n < 2) return false;
    const own = Math.log(Math.abs(x));
    return Math.abs(own - (sum - own) / (n - 1)) >= Math.log(ratio);
  });
}
