import { readFileSync } from 'node:fs';
import { ACTIONS, type Actor } from '../domain/access.ts';
import { ROOT_CODE } from '../domain/hierarchy.ts';
import { AppError } from '../domain/errors.ts';
import type { RawDataValue } from '../domain/data-value-set.ts';
import type { ImportSummary } from '../domain/data-value.ts';
import { vnDate } from '../domain/dates.ts';
import type { MetadataDocumentInput } from '../domain/metadata.ts';
import type { MetadataWithRulesInput } from '../domain/validation.ts';
import { addDays } from '../domain/period.ts';
import type { Services } from '../services/index.ts';
import type { MetadataSummary } from '../services/metadata.service.ts';

/**
 * The demo data set:
 *
 * - the seed figures (`data/seed-figures/`, the MIC articles of 2020-2022) as national values at
 *   unit VN, with the changes the articles printed (`data/demo/figures.json`, built from the seed
 *   by `scripts/build-demo-data.ts`, whose rules are written in that file);
 * - a deterministic generator of plausible daily commune data (health declarations, tests,
 *   positive cases, cases traced, spam reports, …) for every commune of a tree over any days.
 *
 * The generator draws every value from a hash of (seed, commune, day): the same seed gives the
 * same value for a commune and day whatever range or element list is asked for.
 */

// ---------------------------------------------------------------------------------------------
// Daily commune elements

export interface DailyElement {
  code: string;
  nameVi: string;
  nameEn: string;
  sector: 'covid' | 'telecom' | 'government';
  unit: string;
  /** What a rise means (issue 19): more tests are good news, more positive cases bad. */
  direction: 'rise_good' | 'rise_bad' | 'neutral';
  description: string;
}

export const DAILY_ELEMENTS: DailyElement[] = [
  {
    code: 'HEALTH_DECLARATIONS',
    nameVi: 'Số lượt khai báo y tế',
    nameEn: 'Health declarations',
    sector: 'covid',
    unit: 'lượt',
    direction: 'rise_good',
    description:
      'Lượt khai báo y tế điện tử của người dân trên địa bàn xã trong ngày (dữ liệu demo).',
  },
  {
    code: 'TESTS_DONE',
    nameVi: 'Số mẫu xét nghiệm',
    nameEn: 'Tests done',
    sector: 'covid',
    unit: 'mẫu',
    direction: 'rise_good',
    description: 'Mẫu xét nghiệm COVID-19 đã có kết quả trong ngày (dữ liệu demo).',
  },
  {
    code: 'POSITIVE_CASES',
    nameVi: 'Số ca dương tính',
    nameEn: 'Positive test results',
    sector: 'covid',
    unit: 'ca',
    direction: 'rise_bad',
    description: 'Kết quả xét nghiệm dương tính trong ngày (dữ liệu demo).',
  },
  {
    code: 'CASES_TRACED',
    nameVi: 'Số ca truy vết',
    nameEn: 'Cases traced',
    sector: 'covid',
    unit: 'ca',
    direction: 'rise_good',
    description: 'Ca nhiễm, nghi nhiễm và tiếp xúc gần đã truy vết trong ngày (dữ liệu demo).',
  },
  {
    code: 'SPAM_REPORTS',
    nameVi: 'Số phản ánh tin nhắn rác',
    nameEn: 'Spam reports',
    sector: 'telecom',
    unit: 'phản ánh',
    direction: 'rise_bad',
    description: 'Phản ánh tin nhắn, cuộc gọi rác (5656) từ thuê bao trên địa bàn (dữ liệu demo).',
  },
  {
    code: 'CITIZEN_REPORTS',
    nameVi: 'Số phản ánh, kiến nghị của người dân',
    nameEn: 'Citizen reports and questions',
    sector: 'government',
    unit: 'phản ánh',
    direction: 'neutral',
    description: 'Phản ánh, kiến nghị người dân gửi tới xã trong ngày (dữ liệu demo).',
  },
  {
    code: 'APP_INSTALLS',
    nameVi: 'Số lượt cài đặt ứng dụng phòng chống dịch',
    nameEn: 'Anti-epidemic app installs',
    sector: 'covid',
    unit: 'lượt',
    direction: 'rise_good',
    description: 'Lượt cài đặt Bluezone, Sổ sức khỏe điện tử trên địa bàn (dữ liệu demo).',
  },
];

/** What `loadDemoData` generates unless told otherwise. */
export const DEFAULT_DAILY_ELEMENTS = [
  'HEALTH_DECLARATIONS',
  'TESTS_DONE',
  'POSITIVE_CASES',
  'CASES_TRACED',
  'SPAM_REPORTS',
];

export const DAILY_INDICATORS: NonNullable<MetadataDocumentInput['indicators']> = [
  {
    code: 'TEST_POSITIVITY_PCT',
    nameVi: 'Tỷ lệ xét nghiệm dương tính',
    nameEn: 'Test positivity',
    sector: 'covid',
    formula: '#{POSITIVE_CASES} / #{TESTS_DONE} * 100',
    unit: '%',
    decimals: 2,
    direction: 'rise_bad',
  },
  {
    code: 'TRACED_PER_CASE',
    nameVi: 'Số ca truy vết trên một ca dương tính',
    nameEn: 'Cases traced per positive case',
    sector: 'covid',
    formula: '#{CASES_TRACED} / #{POSITIVE_CASES}',
    unit: 'ca',
    decimals: 1,
    direction: 'rise_good',
  },
];

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: a 32-bit hash of integers, and mulberry32 seeded from it.

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a few integers (murmur3's mixing). */
export function hashInts(...ks: number[]): number {
  let h = 0x2545f491;
  for (const k of ks) h = mix(h, k | 0);
  return finish(h ^ ks.length);
}

const u01 = (...ks: number[]) => hashInts(...ks) / 4294967296;

/** mulberry32: a small, fast, seeded PRNG giving numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gauss(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function poisson(mean: number, rand: () => number): number {
  if (!(mean > 0)) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = rand();
    while (p > limit) {
      k++;
      p *= rand();
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss(rand)));
}

// ---------------------------------------------------------------------------------------------
// Communes and their profiles

export interface Commune {
  code: string;
  type: string;
  /**
   * The province of the newest tree the commune lies in (REGION_TREE). Communes of any tree
   * share out their region's people, so that a province's figures run on across the reform
   * whichever tree they were written on.
   */
  region?: string;
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoOfDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Residents of an average unit of a kind, relative to a rural commune (xã). */
const TYPE_SIZE: Record<string, number> = {
  phuong: 1.7,
  thi_tran: 1.0,
  xa: 0.85,
  dac_khu: 0.35,
};

interface Profile {
  key: number;
  people: number;
  /** How much people use the apps and report spam (urban > rural). */
  digital: number;
  /** Yearly drift of activity, e.g. +0.2 = 20% more a year. */
  drift: number;
  phase: number;
  positivity: number;
}

const POPULATION = 100_000_000;

/**
 * Each commune's profile. With `regions` (people per region) a commune's people are its
 * region's shared out by size (type and a random factor), whatever the tree; without, each
 * commune has the national average for its size.
 */
function profiles(communes: Commune[], seed: number, regions?: Map<string, number>): Profile[] {
  const avg = POPULATION / Math.max(1, communes.length);
  const byRegion =
    regions !== undefined &&
    communes.length > 0 &&
    communes.every((c) => c.region !== undefined && regions.has(c.region));
  const out = communes.map((c) => {
    const key =
      Number.parseInt(c.code, 10) || hashInts(...[...c.code].map((ch) => ch.charCodeAt(0)));
    const rand = mulberry32(hashInts(seed, key, 0x51fe));
    const typeSize = TYPE_SIZE[c.type] ?? 1;
    const urban = c.type === 'phuong' ? 1 : c.type === 'thi_tran' ? 0.5 : 0;
    return {
      key,
      people: typeSize * Math.exp(0.45 * gauss(rand)),
      digital: (0.6 + 0.6 * urban) * (0.8 + 0.4 * rand()),
      drift: -0.15 + 0.45 * rand(),
      phase: rand(),
      positivity: 0.004 + 0.02 * rand() * rand(),
    };
  });
  if (!byRegion || !regions) {
    for (const p of out) p.people *= avg;
    return out;
  }
  const size = new Map<string, number>();
  communes.forEach((c, i) => size.set(c.region!, (size.get(c.region!) ?? 0) + out[i]!.people));
  communes.forEach((c, i) => (out[i]!.people *= regions.get(c.region!)! / size.get(c.region!)!));
  return out;
}

/** Mon..Sun activity, as offices and clinics work. */
const WEEKDAY = [1.12, 1.06, 1.02, 1.0, 0.96, 0.72, 0.56];
/** Where the slow drift is 1 (the demo is about the 2020s). */
const REFERENCE_DAY = dayNumber('2022-01-01');
const OUTBREAK_P = 0.004;
const OUTBREAK_DAYS = 7;
const SPAM_WAVE_P = 0.01;

const weekdayOf = (day: number) => WEEKDAY[(((day + 3) % 7) + 7) % 7]!; // day 0 was a Thursday
const nationalOf = (day: number) => 1 + 0.15 * Math.sin((2 * Math.PI * day) / 120);

/**
 * Each element's own change a year (a rate: `exp(rate)` a year), beyond the communes' drift that
 * all elements share: the epidemic work winding down (fewer declarations, tests and app
 * installs, fewer spam reports as the filters work) while positive results and the tracing
 * they bring, and citizens' reports, grow. Counted from TREND_DAY, so the volumes near it are
 * the generator's own; both ways, so that a year-over-year change shows rises and falls.
 */
const ELEMENT_TREND: Record<string, number> = {
  HEALTH_DECLARATIONS: -0.16,
  TESTS_DONE: -0.11,
  POSITIVE_CASES: 0.08,
  CASES_TRACED: 0.03,
  SPAM_REPORTS: -0.22,
  CITIZEN_REPORTS: 0.12,
  APP_INSTALLS: -0.3,
};
const TREND_DAY = dayNumber('2025-07-01');

/** An element's own factor on a day (ELEMENT_TREND), kept within 0.5–2 like the drift. */
function trendOf(element: string, day: number): number {
  const years = (day - TREND_DAY) / 365.25;
  return Math.min(2, Math.max(0.5, Math.exp((ELEMENT_TREND[element] ?? 0) * years)));
}

/** Every element's factor on a day. */
function trendsOf(day: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of Object.keys(ELEMENT_TREND)) out[e] = trendOf(e, day);
  return out;
}

/** A commune's slow activity on a day: its drift, its season and the national wave. */
function levelOf(p: Profile, day: number): number {
  const years = (day - REFERENCE_DAY) / 365.25;
  const drift = Math.min(2, Math.max(0.5, 1 + p.drift * years));
  const season = 1 + 0.25 * Math.sin(2 * Math.PI * (day / 365.25 + p.phase));
  return drift * season * nationalOf(day);
}

/** Every generated element of one commune on one day (always all, so a subset is the same). */
function communeDay(
  p: Profile,
  day: number,
  seed: number,
  trend: Record<string, number> = trendsOf(day),
): Record<string, number> {
  const rand = mulberry32(hashInts(seed, p.key, day));
  const weekday = weekdayOf(day);
  const national = nationalOf(day);
  const level = levelOf(p, day);
  // An outbreak starts on a day with a small chance and fades over a week.
  let outbreak = 0;
  for (let k = 0; k < OUTBREAK_DAYS; k++) {
    if (u01(seed, p.key, day - k, 0x0b) < OUTBREAK_P)
      outbreak += (3 + 5 * u01(seed, p.key, day - k, 0x0c)) * Math.pow(0.7, k);
  }
  const spamWave = u01(seed, p.key, day, 0x5a) < SPAM_WAVE_P ? 5 + 10 * rand() : 1;

  const people = p.people;
  // Each mean times its element's trend: positives are tests times positivity, traced cases
  // positives times cases per positive, so those two carry the ratio of two trends.
  const t = trend;
  const declarations = poisson(
    people * 0.012 * p.digital * weekday * level * (1 + 0.3 * outbreak) * t.HEALTH_DECLARATIONS!,
    rand,
  );
  const tests = poisson(
    people * 0.0025 * weekday * level * (1 + 0.6 * outbreak) * t.TESTS_DONE!,
    rand,
  );
  const positivity = Math.min(
    0.5,
    p.positivity * (1 + outbreak * 1.5) * national * (t.POSITIVE_CASES! / t.TESTS_DONE!),
  );
  const positives = Math.min(tests, poisson(tests * positivity, rand));
  const traced = poisson(
    positives * (2 + 4 * rand()) * (t.CASES_TRACED! / t.POSITIVE_CASES!),
    rand,
  );
  const spam = poisson(
    people * 0.00006 * p.digital * spamWave * (2 - weekday) * t.SPAM_REPORTS!,
    rand,
  );
  const citizen = poisson(
    people * 0.00008 * weekday * (1 + 0.2 * outbreak) * t.CITIZEN_REPORTS!,
    rand,
  );
  const installs = poisson(
    people * 0.0006 * p.digital * level * (1 + 0.8 * outbreak) * t.APP_INSTALLS!,
    rand,
  );
  return {
    HEALTH_DECLARATIONS: declarations,
    TESTS_DONE: tests,
    POSITIVE_CASES: positives,
    CASES_TRACED: traced,
    SPAM_REPORTS: spam,
    CITIZEN_REPORTS: citizen,
    APP_INSTALLS: installs,
  };
}

/** What an outbreak adds on an average day: chance × mean size × its week's fading. */
const OUTBREAK_MEAN =
  OUTBREAK_P *
  5 *
  Array.from({ length: OUTBREAK_DAYS }, (_, k) => 0.7 ** k).reduce((a, b) => a + b);
/**
 * Its mean square: positives grow with an outbreak twice (more tests, each more often
 * positive), so their mean holds E[X²], not only E[X]² (about a fifth more positives than the
 * means alone). Each day's start of size S = 3 + 5U: E[S] = 5, E[S²] = 97/3.
 */
const OUTBREAK_SQUARE =
  Array.from({ length: OUTBREAK_DAYS }, (_, k) => 0.49 ** k).reduce((a, b) => a + b) *
    (OUTBREAK_P * (97 / 3) - OUTBREAK_P ** 2 * 25) +
  OUTBREAK_MEAN ** 2;
const SPAM_WAVE_MEAN = 1 + SPAM_WAVE_P * (10 - 1);

/** The generated elements, in the order of the arrays below. */
const GENERATED = [
  'HEALTH_DECLARATIONS',
  'TESTS_DONE',
  'POSITIVE_CASES',
  'CASES_TRACED',
  'SPAM_REPORTS',
  'CITIZEN_REPORTS',
  'APP_INSTALLS',
] as const;
/** Whether an element's mean follows a commune's level (`levelOf`). */
const LEVELLED = [true, true, true, true, false, false, true];

/**
 * `communeDay`'s means of one commune (GENERATED's order) with outbreaks and spam waves at
 * their average, on a day whose level, weekday, national wave and trends are all 1.
 */
function meansOf(p: Profile): number[] {
  const o = OUTBREAK_MEAN;
  const people = p.people;
  const testing = people * 0.0025;
  // E[(1 + 0.6 X)(1 + 1.5 X)]: tests and positivity both rise in an outbreak.
  const positivity = p.positivity * (1 + 2.1 * o + 0.9 * OUTBREAK_SQUARE);
  return [
    people * 0.012 * p.digital * (1 + 0.3 * o),
    testing * (1 + 0.6 * o),
    testing * positivity,
    testing * positivity * 4,
    people * 0.00006 * p.digital * SPAM_WAVE_MEAN,
    people * 0.00008 * (1 + 0.2 * o),
    people * 0.0006 * p.digital * (1 + 0.8 * o),
  ];
}

/**
 * What multiplies each element's `meansOf` on a day but the commune's level (which multiplies
 * the LEVELLED ones): its weekday, the national wave (positivity) and the element's trend.
 */
function dayFactors(day: number): number[] {
  const weekday = weekdayOf(day);
  const national = nationalOf(day);
  const t = trendsOf(day);
  return [
    weekday * t.HEALTH_DECLARATIONS!,
    weekday * t.TESTS_DONE!,
    weekday * national * t.POSITIVE_CASES!,
    weekday * national * t.CASES_TRACED!,
    (2 - weekday) * t.SPAM_REPORTS!, // spam comes when offices rest
    weekday * t.CITIZEN_REPORTS!,
    t.APP_INSTALLS!,
  ];
}

/** `dayFactors` of days `first`…`last`. */
function daysFactors(first: number, last: number): number[][] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => dayFactors(first + i));
}

/** Sums in GENERATED's order as a record, never more positives than tests. */
function byElement(sums: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  GENERATED.forEach((e, k) => (out[e] = sums[k]!));
  out.POSITIVE_CASES = Math.min(out.TESTS_DONE!, out.POSITIVE_CASES!);
  return out;
}

/**
 * The expected sum of every element of one commune over days `first`…`last` (day numbers):
 * `communeDay`'s means, outbreaks and spam waves at their average. Cheap (no draw per day), for
 * history where daily values of every commune would cost too much to write. `factors`: each
 * day's `dayFactors`, from `first` (given when many communes share the days).
 */
function communeDaysExpected(
  p: Profile,
  first: number,
  last: number,
  factors: number[][] = daysFactors(first, last),
): Record<string, number> {
  const means = meansOf(p);
  const sums = means.map(() => 0);
  for (let day = first; day <= last; day++) {
    const level = levelOf(p, day);
    const f = factors[day - first]!;
    for (let k = 0; k < means.length; k++)
      sums[k]! += means[k]! * f[k]! * (LEVELLED[k] ? level : 1);
  }
  return byElement(sums);
}

export interface GenerateOptions {
  /** Hierarchy version whose communes report: '2022', '2025-03', '2025'. */
  version: string;
  /** First and last day, inclusive, 'YYYY-MM-DD'. */
  from: string;
  to: string;
  seed?: number;
  /** Codes of DAILY_ELEMENTS; all of them by default. */
  elements?: string[];
  /** Values per batch (default 20,000). */
  batchSize?: number;
  /** People per region (see `Commune.region`, `regionPeople`); none: the national average. */
  regions?: Map<string, number>;
}

export const DEFAULT_SEED = 20210830;

function checkedElements(elements: string[] | undefined): string[] {
  const known = new Set(DAILY_ELEMENTS.map((e) => e.code));
  const list = elements ?? DAILY_ELEMENTS.map((e) => e.code);
  for (const e of list) if (!known.has(e)) throw new Error(`Unknown daily element ${e}`);
  return list;
}

/**
 * The values for given communes, day by day, commune by commune (pure; for tests and
 * benchmarks that bring their own list). Batches of `batchSize` values, indexed from 0.
 */
export function* communeDayValues(
  communes: Commune[],
  opts: Omit<GenerateOptions, 'version'>,
): Generator<RawDataValue[]> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const elements = checkedElements(opts.elements);
  const size = opts.batchSize ?? 20_000;
  const first = dayNumber(opts.from);
  const last = dayNumber(opts.to);
  const units = profiles(communes, seed, opts.regions);
  let batch: RawDataValue[] = [];
  for (let day = first; day <= last; day++) {
    const period = isoOfDay(day);
    const trend = trendsOf(day);
    for (const [i, p] of units.entries()) {
      const values = communeDay(p, day, seed, trend);
      const orgUnit = communes[i]!.code;
      for (const dataElement of elements) {
        batch.push({
          index: batch.length,
          dataElement,
          period,
          orgUnit,
          value: String(values[dataElement]),
        });
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
    }
  }
  if (batch.length) yield batch;
}

/** The communes of a tree, by code. */
export async function listCommunes(
  services: Pick<Services, 'store'>,
  version: string,
): Promise<Commune[]> {
  return services.store.repos.orgUnits.communes(version);
}

/** A commune with its province on its own tree (monthly history is written per province). */
export interface PlacedCommune extends Commune {
  province: string;
}

/**
 * The tree whose provinces are the regions: every tree's communes share out the people of the
 * province of this tree they lie in (the reform merged whole provinces, so each old province
 * lies in one).
 */
export const REGION_TREE = '2025';

/** The reform's day, and the tree whose communes report before it (issue 16). */
export const REFORM_DAY = '2025-07-01';
export const BEFORE_REFORM_TREE = '2025-03';

type DemoStore = Pick<Services, 'store'>;

async function placed(services: DemoStore, version: string): Promise<PlacedCommune[]> {
  const repo = services.store.repos.orgUnits;
  const [communes, tree] = await Promise.all([repo.communes(version), repo.treeOf(version)]);
  // A path is /VN/<province>/…/
  const province = new Map(tree.map((u) => [u.code, u.path.split('/')[2] ?? '']));
  return communes.map((c) => ({ ...c, province: province.get(c.code) ?? '' }));
}

/**
 * Each province of `version` → the province of REGION_TREE it lies in, following the links
 * between trees forward (2022 → 2025-03 → 2025). A province with no single one is left out.
 */
async function regionOfProvince(
  services: DemoStore,
  version: string,
  provinces: string[],
): Promise<Map<string, string>> {
  if (version === REGION_TREE) return new Map(provinces.map((p) => [p, p]));
  const next = new Map<string, { version: string; code: string }[]>();
  for (const l of await services.store.repos.carry.links()) {
    const k = `${l.fromVersion}|${l.fromCode}`;
    next.set(k, [...(next.get(k) ?? []), { version: l.toVersion, code: l.toCode }]);
  }
  const out = new Map<string, string>();
  for (const p of provinces) {
    let at = [{ version, code: p }];
    for (let step = 0; step < 4 && at.some((u) => u.version !== REGION_TREE); step++)
      at = at.flatMap((u) =>
        u.version === REGION_TREE ? [u] : (next.get(`${u.version}|${u.code}`) ?? []),
      );
    const codes = new Set(at.filter((u) => u.version === REGION_TREE).map((u) => u.code));
    if (codes.size === 1) out.set(p, [...codes][0]!);
  }
  return out;
}

/**
 * The communes of a tree with their province and region, and the people of each region: the
 * nation's population shared among REGION_TREE's provinces by the size of their communes.
 * Without REGION_TREE (or links to it) no regions: each commune has the national average.
 */
export async function demoCommunes(
  services: DemoStore,
  version: string,
): Promise<{ communes: PlacedCommune[]; regions?: Map<string, number> }> {
  const communes = await placed(services, version);
  const newest = version === REGION_TREE ? communes : await placed(services, REGION_TREE);
  if (newest.length === 0) return { communes };
  const regions = new Map<string, number>();
  let all = 0;
  for (const c of newest) {
    const size = TYPE_SIZE[c.type] ?? 1;
    regions.set(c.province, (regions.get(c.province) ?? 0) + size);
    all += size;
  }
  for (const [r, size] of regions) regions.set(r, (POPULATION * size) / all);
  const regionOf = await regionOfProvince(services, version, [
    ...new Set(communes.map((c) => c.province)),
  ]);
  return {
    communes: communes.map((c) => ({ ...c, region: regionOf.get(c.province) })),
    regions,
  };
}

/** Plausible daily values for every commune of `version` from `from` to `to`, in batches. */
export async function* generateCommuneDays(
  services: DemoStore,
  opts: GenerateOptions,
): AsyncGenerator<RawDataValue[]> {
  const { communes, regions } = await demoCommunes(services, opts.version);
  if (communes.length === 0) throw new Error(`No communes in hierarchy version ${opts.version}`);
  yield* communeDayValues(communes, { regions, ...opts });
}

/** 'YYYY-MM' months from the one of `from` to the one of `to`. */
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * Monthly values of every province for the given months ('YYYY-MM'): the expected sums of its
 * communes' days (`communeDaysExpected`), with a few percent of noise per province and month.
 * Cheap: one value per province, month and element instead of one per commune and day.
 */
export function provinceMonthValues(
  communes: PlacedCommune[],
  opts: {
    months: string[];
    seed?: number;
    elements?: string[];
    regions?: Map<string, number>;
  },
): RawDataValue[] {
  const seed = opts.seed ?? DEFAULT_SEED;
  const elements = checkedElements(opts.elements);
  const units = profiles(communes, seed, opts.regions);
  const out: RawDataValue[] = [];
  for (const month of opts.months) {
    const first = dayNumber(`${month}-01`);
    const last = dayNumber(lastDayOfMonth(month));
    const sums = new Map<string, Record<string, number>>();
    const factors = daysFactors(first, last);
    units.forEach((p, i) => {
      const e = communeDaysExpected(p, first, last, factors);
      const province = communes[i]!.province;
      const s = sums.get(province);
      if (!s) sums.set(province, e);
      else for (const k of Object.keys(e)) s[k]! += e[k]!;
    });
    for (const [province, s] of [...sums].sort(([a], [b]) => a.localeCompare(b))) {
      const rand = mulberry32(hashInts(seed, Number.parseInt(province, 10) || 0, first, 0x3e));
      const noisy: Record<string, number> = {};
      for (const k of Object.keys(s).sort())
        noisy[k] = Math.max(0, Math.round(s[k]! * Math.exp(0.04 * gauss(rand))));
      noisy.POSITIVE_CASES = Math.min(noisy.POSITIVE_CASES!, noisy.TESTS_DONE!);
      for (const dataElement of elements)
        out.push({
          index: out.length,
          dataElement,
          period: month,
          orgUnit: province,
          value: String(noisy[dataElement]),
        });
    }
  }
  return out;
}

/**
 * Daily values of every province over days `from`…`to` ('YYYY-MM-DD'): the expected sums of its
 * communes' days (`communeDaysExpected`, trends included), each drawn around its mean with the
 * spread of a day's count and a few percent of the province's own day-to-day noise. A
 * province's days, not its communes': a year of them is ~60,000 values for five elements
 * where its communes' would be ~6 million, so the first start can hold last year's days.
 */
export function provinceDayValues(
  communes: PlacedCommune[],
  opts: {
    from: string;
    to: string;
    seed?: number;
    elements?: string[];
    regions?: Map<string, number>;
  },
): RawDataValue[] {
  const seed = opts.seed ?? DEFAULT_SEED;
  const elements = checkedElements(opts.elements);
  const units = profiles(communes, seed, opts.regions);
  const provinces = [...new Set(communes.map((c) => c.province))].sort();
  const index = new Map(provinces.map((p, i) => [p, i]));
  const where = communes.map((c) => index.get(c.province)!);
  const means = units.map(meansOf);
  // `communeDaysExpected` of one day, added up by province (the means that do not follow the
  // level are the same every day).
  const fixed = provinces.map(() => GENERATED.map(() => 0));
  means.forEach((m, i) => m.forEach((x, k) => (fixed[where[i]!]![k]! += LEVELLED[k] ? 0 : x)));
  const out: RawDataValue[] = [];
  for (let day = dayNumber(opts.from); day <= dayNumber(opts.to); day++) {
    const f = dayFactors(day);
    const sums = fixed.map((x) => [...x]);
    units.forEach((p, i) => {
      const level = levelOf(p, day);
      const s = sums[where[i]!]!;
      const m = means[i]!;
      for (let k = 0; k < m.length; k++) if (LEVELLED[k]) s[k]! += m[k]! * level;
    });
    const period = isoOfDay(day);
    provinces.forEach((province, i) => {
      const rand = mulberry32(hashInts(seed, Number.parseInt(province, 10) || 0, day, 0xda));
      const drawn = byElement(
        sums[i]!.map((x, k) => poisson(x * f[k]! * Math.exp(0.05 * gauss(rand)), rand)),
      );
      for (const dataElement of elements)
        out.push({
          index: out.length,
          dataElement,
          period,
          orgUnit: province,
          value: String(drawn[dataElement]),
        });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Loading

const DEMO_DIR = new URL('../../data/demo/', import.meta.url);

export interface DemoValue extends Omit<RawDataValue, 'index' | 'estimate'> {
  figure: string;
  estimate?: boolean;
}

export interface DemoFigures {
  rules: string[];
  values: DemoValue[];
  leftOut: { figure: string; why: string }[];
  notPlaced: { figure: string; what: string; why: string }[];
}

export function readDemoMetadata(): MetadataWithRulesInput {
  return JSON.parse(
    readFileSync(new URL('metadata.json', DEMO_DIR), 'utf8'),
  ) as MetadataWithRulesInput;
}

export function readDemoFigures(): DemoFigures {
  return JSON.parse(readFileSync(new URL('figures.json', DEMO_DIR), 'utf8')) as DemoFigures;
}

function failed(what: string, summary: ImportSummary): Error {
  const first = summary.conflicts
    .slice(0, 5)
    .map((c) => `#${c.index} ${c.errorCode} ${c.property}=${c.object}: ${c.reason.en}`);
  return new Error(`${what}: ${summary.description.en}\n${first.join('\n')}`);
}

/**
 * Applies the demo metadata (seed-figure elements, daily commune elements, indicators, targets,
 * data sets), imports the national values of the seed figures and installs the Ministry's
 * briefing template over them (issue 18). A second call changes nothing.
 */
export async function loadSeedFigures(
  services: Pick<Services, 'metadata' | 'dataValues' | 'briefings' | 'printedFigures'>,
): Promise<{ metadata: MetadataSummary; values: ImportSummary }> {
  const metadata = await services.metadata.apply('system', readDemoMetadata());
  const values = readDemoFigures().values.map(
    ({ figure: _figure, estimate, ...v }, index): RawDataValue => ({
      ...v,
      index,
      ...(estimate ? { estimate: 'true' } : {}),
    }),
  );
  const summary = await services.dataValues.import(
    'system',
    // No data set named: the seed figures are of many elements and period types, and a named
    // data set has each value checked against it (DHIS2's E7632/E7633/E7636).
    { values },
    { atomic: true },
  );
  if (summary.status === 'ERROR') throw failed('Seed figures not imported', summary);
  // What the articles print beyond the values: qualifiers, changes of totals (printed.json).
  await services.printedFigures.loadDemo();
  await services.briefings.installDefaultTemplate();
  return { metadata, values: summary };
}

/**
 * The demo's national briefing of January 2022 (the MIC article's month) on the 2022 tree,
 * issued, so that the first start shows one in the room and the briefings list; once.
 */
export async function issueDemoBriefing(services: Pick<Services, 'briefings'>): Promise<void> {
  const system: Actor = {
    kind: 'user',
    id: '0',
    name: 'system',
    displayName: 'Vụ Kế hoạch - Tài chính',
    role: 'admin',
    permissions: ACTIONS,
    scope: { version: '2022', code: ROOT_CODE, path: `/${ROOT_CODE}/` },
  };
  if ((await services.briefings.list(system)).items.length > 0) return;
  try {
    const draft = await services.briefings.create(system, {
      template: 'MIC_MONTHLY',
      period: '2022-01',
      version: '2022',
    });
    await services.briefings.issue(system, draft.id);
  } catch (e) {
    // A database holding only the 2025 tree has no 2022 nation to write it for.
    if (!(e instanceof AppError && e.code === 'unknown_version')) throw e;
  }
}

/**
 * Days of commune data the first start loads. Measured (3,321 communes of the 2025 tree, 5
 * elements, 20,000 values per import): PGlite imports ~12,000 values/s, so 21 days (348,705
 * values) took 32 s and 14 days (232,470) 21 s; a PostgreSQL server ~17,000 values/s (21 days
 * in 21 s). Fourteen days keep the first start on PGlite within ~30 s.
 */
export const DEFAULT_DAYS = 14;

/**
 * What the demo writes before its recent days, back to `historyFrom`, so that a newcomer sees
 * one series across the reform (on the 2025-03 tree before REFORM_DAY, on `version` from it):
 *
 * - 'monthly' (the first start's): each province's monthly values up to the last whole month
 *   before today, expected sums of its communes' days — about 8,600 values for 35 months and 5
 *   elements, a second or two of the first start;
 * - 'daily': every commune's daily values up to the recent days (about 36 million values for
 *   five elements from 2024-01: hours of import; meant for one element, or a short span);
 * - 'none': the recent days only.
 */
export type DemoHistory = 'none' | 'monthly' | 'daily';
/**
 * Days of daily values per province the first start writes before its commune days (with the
 * 'monthly' history): over a year, so that the days the room shows (the last 1, 7 or 30) have
 * the same days a year earlier for a year-over-year change, and its 30-day trend is whole.
 * 34 provinces × 400 days × 5 elements = 68,000 values, loaded in bulk.
 */
export const DEFAULT_PROVINCE_DAYS = 400;
export const DEMO_HISTORIES: readonly DemoHistory[] = ['none', 'monthly', 'daily'];
export const DEFAULT_HISTORY_FROM = '2024-01-01';

export interface LoadDemoOptions {
  /** Hierarchy version of the communes (default '2025'). */
  version?: string;
  /** How many days, ending the day before `today` (DEFAULT_DAYS). */
  days?: number;
  /** 'YYYY-MM-DD'; default: today in Viet Nam by the services' clock. */
  today?: string;
  elements?: string[];
  seed?: number;
  batchSize?: number;
  /** What to write before the recent days (default 'monthly'). */
  history?: DemoHistory;
  /** First day of the history, 'YYYY-MM-DD' (DEFAULT_HISTORY_FROM). */
  historyFrom?: string;
  /**
   * With the 'monthly' history, days of daily province values just before the commune days
   * (DEFAULT_PROVINCE_DAYS; 0: none). They add to whatever is stored on those days: meant for a
   * new database, not one holding commune days of an earlier load there.
   */
  provinceDays?: number;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface DemoHistoryResult {
  mode: DemoHistory;
  /** First and last day written (none when nothing was). */
  from?: string;
  to?: string;
  values: number;
  imported: number;
}

export interface DemoProvinceDaysResult {
  /** First and last day written (none when nothing was). */
  from?: string;
  to?: string;
  values: number;
  imported: number;
}

export interface DemoLoadResult {
  communes: number;
  from: string;
  to: string;
  values: number;
  imported: number;
  updated: number;
  ignored: number;
  history: DemoHistoryResult;
  provinceDays: DemoProvinceDaysResult;
  ms: {
    seed: number;
    generate: number;
    import: number;
    history: number;
    provinceDays: number;
    total: number;
  };
}

/** `from`…`to` cut at the reform: the days before it on BEFORE_REFORM_TREE, from it on `version`. */
function spansByTree(
  from: string,
  to: string,
  version: string,
): { tree: string; from: string; to: string }[] {
  const parts: { tree: string; from: string; to: string }[] = [];
  if (from > to) return parts;
  if (from < REFORM_DAY)
    parts.push({
      tree: BEFORE_REFORM_TREE,
      from,
      to: to < REFORM_DAY ? to : addDays(REFORM_DAY, -1),
    });
  if (to >= REFORM_DAY)
    parts.push({ tree: version, from: from < REFORM_DAY ? REFORM_DAY : from, to });
  return parts;
}

/**
 * The demo as the first start loads it: the seed figures, the generated commune days for the
 * last `days` days before `today`, then the history before them (`DemoHistory`), imported in
 * batches (each one all or nothing), and with the monthly history the province days before
 * the commune days (`provinceDays`), in bulk. A second call changes nothing.
 */
export async function loadDemoData(
  services: Services,
  opts: LoadDemoOptions = {},
): Promise<DemoLoadResult> {
  const t0 = performance.now();
  const version = opts.version ?? '2025';
  const days = opts.days ?? DEFAULT_DAYS;
  const today = opts.today ?? vnDate(services.clock());
  const elements = checkedElements(opts.elements ?? DEFAULT_DAILY_ELEMENTS);
  const history = opts.history ?? 'monthly';
  if (!DEMO_HISTORIES.includes(history)) throw new Error(`Unknown demo history ${history}`);
  const historyFrom = opts.historyFrom ?? DEFAULT_HISTORY_FROM;
  const from = addDays(today, -days);
  const to = addDays(today, -1);
  opts.onProgress?.('seed', 0, 1);
  await loadSeedFigures(services);
  await issueDemoBriefing(services);
  opts.onProgress?.('seed', 1, 1);
  const t1 = performance.now();

  const trees = new Map<string, ReturnType<typeof demoCommunes>>();
  const communesOf = async (tree: string) => {
    let c = trees.get(tree);
    if (!c) trees.set(tree, (c = demoCommunes(services, tree)));
    const r = await c;
    if (r.communes.length === 0) throw new Error(`No communes in hierarchy version ${tree}`);
    return r;
  };
  // Days are checked against the tree's daily data set where the demo metadata has one.
  const dailySets = new Set((readDemoMetadata().dataSets ?? []).map((d) => d.code));
  const write = async (tree: string, values: RawDataValue[], daily: boolean, bulk = false) => {
    const dataSet = `COMMUNE_DAILY_${tree}`;
    const s = await services.dataValues.import(
      'system',
      daily && dailySets.has(dataSet) ? { dataSet, values } : { values },
      // In bulk: the values of new periods copied into a partition of their own (COPY).
      { atomic: true, version: tree, ...(bulk ? { bulk: 'always' as const } : {}) },
    );
    if (s.status === 'ERROR') throw failed('Demo values not imported', s);
    return s.importCount;
  };

  const { communes, regions } = await communesOf(version);
  const total = communes.length * Math.max(0, days) * elements.length;
  const result: DemoLoadResult = {
    communes: communes.length,
    from,
    to,
    values: 0,
    imported: 0,
    updated: 0,
    ignored: 0,
    history: { mode: history, values: 0, imported: 0 },
    provinceDays: { values: 0, imported: 0 },
    ms: { seed: t1 - t0, generate: 0, import: 0, history: 0, provinceDays: 0, total: 0 },
  };
  opts.onProgress?.('communes', 0, total);
  if (days > 0) {
    const batches = communeDayValues(communes, {
      from,
      to,
      elements,
      seed: opts.seed,
      batchSize: opts.batchSize,
      regions,
    });
    for (;;) {
      const g = performance.now();
      const next = batches.next();
      result.ms.generate += performance.now() - g;
      if (next.done) break;
      const i = performance.now();
      const c = await write(version, next.value, true);
      result.ms.import += performance.now() - i;
      result.values += next.value.length;
      result.imported += c.imported;
      result.updated += c.updated;
      result.ignored += c.ignored;
      opts.onProgress?.('communes', result.values, total);
    }
  }

  const h = performance.now();
  // Monthly: up to the last whole month before today; daily: up to the recent days.
  const beforeDays = addDays(days > 0 ? from : today, -1);
  const last = history === 'monthly' ? addDays(`${today.slice(0, 7)}-01`, -1) : beforeDays;
  const parts = history === 'none' ? [] : spansByTree(historyFrom, last, version);
  const batchesOf = async function* (part: (typeof parts)[number]) {
    const { communes: placedOnes, regions: people } = await communesOf(part.tree);
    if (history === 'daily') {
      yield* communeDayValues(placedOnes, {
        from: part.from,
        to: part.to,
        elements,
        seed: opts.seed,
        batchSize: opts.batchSize,
        regions: people,
      });
      return;
    }
    // Whole months only: the first month is written from its first day.
    const months = monthsBetween(part.from, part.to);
    const all = provinceMonthValues(placedOnes, {
      months,
      seed: opts.seed,
      elements,
      regions: people,
    });
    const size = opts.batchSize ?? 20_000;
    for (let i = 0; i < all.length; i += size)
      yield all.slice(i, i + size).map((v, index) => ({ ...v, index }));
  };
  if (parts.length > 0) {
    result.history.from =
      history === 'monthly' ? `${parts[0]!.from.slice(0, 7)}-01` : parts[0]!.from;
    result.history.to = parts.at(-1)!.to;
  }
  let historyTotal = 0;
  for (const p of parts) {
    const placedOnes = (await communesOf(p.tree)).communes;
    historyTotal +=
      history === 'daily'
        ? placedOnes.length * (dayNumber(p.to) - dayNumber(p.from) + 1) * elements.length
        : new Set(placedOnes.map((c) => c.province)).size *
          monthsBetween(p.from, p.to).length *
          elements.length;
  }
  if (parts.length > 0) opts.onProgress?.('history', 0, historyTotal);
  for (const part of parts) {
    for await (const batch of batchesOf(part)) {
      const c = await write(part.tree, batch, history === 'daily');
      result.history.values += batch.length;
      result.history.imported += c.imported;
      result.updated += c.updated;
      result.ignored += c.ignored;
      opts.onProgress?.('history', result.history.values, historyTotal);
    }
  }
  result.ms.history = performance.now() - h;

  // The province days: one import per tree, in bulk (their days are new periods).
  const d = performance.now();
  const provinceDays = history === 'monthly' ? (opts.provinceDays ?? DEFAULT_PROVINCE_DAYS) : 0;
  const daySpans =
    provinceDays > 0
      ? spansByTree(addDays(beforeDays, -(provinceDays - 1)), beforeDays, version)
      : [];
  if (daySpans.length > 0) {
    result.provinceDays.from = daySpans[0]!.from;
    result.provinceDays.to = daySpans.at(-1)!.to;
  }
  const provinceTotal = (
    await Promise.all(
      daySpans.map(
        async (p) =>
          new Set((await communesOf(p.tree)).communes.map((c) => c.province)).size *
          (dayNumber(p.to) - dayNumber(p.from) + 1) *
          elements.length,
      ),
    )
  ).reduce((a, b) => a + b, 0);
  if (daySpans.length > 0) opts.onProgress?.('province days', 0, provinceTotal);
  for (const span of daySpans) {
    const { communes: placedOnes, regions: people } = await communesOf(span.tree);
    const g = performance.now();
    const values = provinceDayValues(placedOnes, {
      from: span.from,
      to: span.to,
      elements,
      seed: opts.seed,
      regions: people,
    });
    result.ms.generate += performance.now() - g;
    const c = await write(span.tree, values, false, true);
    result.provinceDays.values += values.length;
    result.provinceDays.imported += c.imported;
    result.updated += c.updated;
    result.ignored += c.ignored;
    opts.onProgress?.('province days', result.provinceDays.values, provinceTotal);
  }
  result.ms.provinceDays = performance.now() - d;
  result.ms.total = performance.now() - t0;
  return result;
}
