/**
 * What the overview shows, read from and written to the address bar so that a link reopens the
 * same screen: `/?dx=A,B&m=A&ou=79&v=2025&pe=7d&wall=1&all=1`. Pure, no DOM.
 */
import { itemsOf, parseExpression, type ItemRef } from '../../../../src/domain/expression.ts';
import {
  addDays,
  parsePeriod,
  periodContaining,
  previousPeriod,
  type Period,
} from '../../../../src/domain/period.ts';

/** The tiles a leader sees first: the daily commune figures of the demo (and of the PM's room). */
export const DEFAULT_TILES = [
  'HEALTH_DECLARATIONS',
  'TESTS_DONE',
  'POSITIVE_CASES',
  'CASES_TRACED',
  'TEST_POSITIVITY_PCT',
];

export const PRESETS = ['today', '1d', '7d', '30d', 'month', 'lastmonth'] as const;
export type Preset = (typeof PRESETS)[number];
export const DEFAULT_PRESET: Preset = '7d';

export interface OverviewState {
  /** Items on the tiles (element, ELEMENT.OPTION or indicator codes). */
  dx: string[];
  /** The item the map, the trend and the ranking show. */
  map: string;
  /** The unit looked at; undefined: the user's own scope. */
  ou?: string;
  /** The tree; undefined: the tree in force at the period. */
  v?: string;
  /** A preset or a period in any form the server reads. */
  pe: string;
  wall: boolean;
  /** On the national map of a tree with commune boundaries: every commune instead of provinces. */
  all: boolean;
}

const CODE = /^[A-Za-z0-9_.-]{1,100}$/;

export function readState(search: string): OverviewState {
  const q = new URLSearchParams(search);
  const list = (q.get('dx') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const dx = list.length ? [...new Set(list)].slice(0, 12) : DEFAULT_TILES;
  const map = q.get('m')?.trim() || dx[0]!;
  return {
    dx,
    map,
    ou: q.get('ou')?.trim() || undefined,
    v: q.get('v')?.trim() || undefined,
    pe: q.get('pe')?.trim() || DEFAULT_PRESET,
    wall: q.get('wall') === '1',
    all: q.get('all') === '1',
  };
}

/** The query string for a state; defaults are left out so links stay short. */
export function writeState(s: OverviewState): string {
  const q = new URLSearchParams();
  const tilesDefault = s.dx.join(',') === DEFAULT_TILES.join(',');
  if (!tilesDefault) q.set('dx', s.dx.join(','));
  if (s.map !== s.dx[0]) q.set('m', s.map);
  if (s.ou) q.set('ou', s.ou);
  if (s.v) q.set('v', s.v);
  if (s.pe !== DEFAULT_PRESET) q.set('pe', s.pe);
  if (s.all) q.set('all', '1');
  if (s.wall) q.set('wall', '1');
  const str = q.toString().replace(/%2C/g, ',');
  return str ? '?' + str : '';
}

/** Codes the URL names that do not look like codes at all (a mistyped or pasted link). */
export function malformedCodes(s: OverviewState): string[] {
  return [...s.dx, s.map, ...(s.ou ? [s.ou] : [])].filter((c) => !CODE.test(c));
}

export { vnToday } from '../../shared/format.ts';

export interface ResolvedPeriod {
  /** The period the tiles, the map and the ranking show. */
  period: Period;
  /** The id sent to the server. */
  id: string;
  preset?: Preset;
  /** The periods of the trend chart, oldest first. */
  trend: Period[];
  trendKind: 'days' | 'months';
  /** Days in the period when it is a run of days (for "vs previous 7 days"). */
  days?: number;
}

function rangeOf(start: string, end: string): Period {
  return start === end ? parsePeriod(start) : parsePeriod(`${start}/${end}`);
}

function lastDays(end: string, n: number): Period[] {
  const out: Period[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(parsePeriod(addDays(end, -i)));
  return out;
}

function lastMonths(end: string, n: number): Period[] {
  const out: Period[] = [];
  let m = periodContaining(end, 'month');
  for (let i = 0; i < n; i++) {
    out.unshift(m);
    m = previousPeriod(m);
  }
  return out;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000) + 1;
}

/** A preset or a period id, on `today`; throws the period parser's AppError when unreadable. */
export function resolvePeriod(pe: string, today: string): ResolvedPeriod {
  let period: Period;
  let preset: Preset | undefined;
  switch (pe) {
    case 'today':
      period = parsePeriod(today);
      preset = pe;
      break;
    case '1d':
      period = parsePeriod(addDays(today, -1));
      preset = pe;
      break;
    case '7d':
      period = rangeOf(addDays(today, -7), addDays(today, -1));
      preset = pe;
      break;
    case '30d':
      period = rangeOf(addDays(today, -30), addDays(today, -1));
      preset = pe;
      break;
    case 'month':
      // The month so far, not the whole month: compared with the same days a year earlier, as
      // a whole month of last year against a few days of this one would read as a fall of 80 %.
      period = rangeOf(periodContaining(today, 'month').start, today);
      preset = pe;
      break;
    case 'lastmonth':
      period = previousPeriod(periodContaining(today, 'month'));
      preset = pe;
      break;
    default:
      period = parsePeriod(pe);
  }
  const days = daysBetween(period.start, period.end);
  const daily =
    period.type === 'day' || period.type === 'week' || (period.type === 'range' && days <= 92);
  return {
    period,
    id: period.id,
    preset,
    trend: daily ? lastDays(period.end, 30) : lastMonths(period.end, 12),
    trendKind: daily ? 'days' : 'months',
    days: period.type === 'range' || period.type === 'day' ? days : undefined,
  };
}

/** The tree in force on a day, from the versions' spans. */
export function versionOn(
  versions: { id: string; validFrom: string; validUntil: string | null }[],
  day: string,
): string | undefined {
  const inForce = versions.find(
    (v) => v.validFrom <= day && (v.validUntil === null || day <= v.validUntil),
  );
  if (inForce) return inForce.id;
  // Before the first tree: the oldest; between trees: the one that ended last before the day.
  const sorted = [...versions].sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
  const before = sorted.filter((v) => v.validFrom <= day).at(-1);
  return (before ?? sorted[0])?.id;
}

/** Element codes an item reads: itself, or those its indicator formula needs (indicators nest). */
export function elementsOf(
  item: string,
  formulas: Map<string, string>,
  seen = new Set<string>(),
): string[] {
  const formula = formulas.get(item);
  if (formula === undefined) return [item.split('.')[0]!];
  if (seen.has(item)) return [];
  seen.add(item);
  let refs: ItemRef[];
  try {
    refs = itemsOf(parseExpression(formula));
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const r of refs) {
    if (r.kind === 'element') out.add(r.element);
    else if (r.kind === 'indicator') for (const e of elementsOf(r.code, formulas, seen)) out.add(e);
  }
  return [...out];
}
