import {
  parsePeriod,
  periodContaining,
  previousPeriod,
  type Period,
} from '../../../../src/domain/period.ts';
import type { Schemas } from '../../shared/api/client.ts';

/** The data sets an account can enter, with the units of its scope (generated types). */
export type EntryDataSets = Schemas['DataEntryDataSets'];
export type EntryDataSet = EntryDataSets['items'][number];
/** Every period type the server knows (a data set may use DHIS2's weekly and financial ones). */
export type PeriodType = EntryDataSet['periodType'];

/** What the form shows, also held by the address: ?ds=<data set>&u=<unit>&p=<period>. */
export interface Choice {
  ds: string;
  u: string;
  p: string;
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Yesterday for a daily report; the last finished week, month… otherwise. */
export function defaultPeriod(type: PeriodType, today: string): string {
  if (type === 'day') return addDays(today, -1);
  if (type === 'range') return today;
  return previousPeriod(periodContaining(today, type)).id;
}

export function tryParse(id: string): Period | null {
  try {
    return parsePeriod(id);
  } catch {
    return null;
  }
}

/** The first choice: the address's when it names a data set of the list, defaults otherwise. */
export function initialChoice(
  sets: EntryDataSets,
  wanted: { ds?: string; u?: string; p?: string },
): Choice | null {
  const first = sets.items[0];
  if (!first) return null;
  const ds = sets.items.find((d) => d.code === wanted.ds) ?? first;
  const fromUrl = ds.code === wanted.ds;
  return {
    ds: ds.code,
    u: (fromUrl && wanted.u) || ds.units[0]!.code,
    p: (fromUrl && wanted.p && tryParse(wanted.p)?.id) || defaultPeriod(ds.periodType, sets.today),
  };
}

/** Another data set: the unit and period stay when they still make sense. */
export function choiceForDataSet(
  sets: EntryDataSets,
  from: EntryDataSet,
  choice: Choice,
  code: string,
): Choice | null {
  const ds = sets.items.find((d) => d.code === code);
  if (!ds) return null;
  const keepUnit = ds.version === from.version && ds.level === from.level;
  return {
    ds: ds.code,
    u: keepUnit ? choice.u : ds.units[0]!.code,
    p: ds.periodType === from.periodType ? choice.p : defaultPeriod(ds.periodType, sets.today),
  };
}
