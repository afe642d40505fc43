import { ApiError } from '../../shared/api/client.ts';
import type { OrgUnit, OrgUnitDetail } from '../../shared/api/types.ts';
import type { OverviewT } from './messages.ts';

export interface Place {
  unit: OrgUnitDetail;
  /** The unit whose units the map and the ranking show: the unit, or its parent for a leaf. */
  frame: { code: string; name: string; fullName: string; level: number; path: string };
  /** The frame's units within the caller's scope. */
  children: OrgUnit[];
}

export function hasUnitsBelow(unit: OrgUnitDetail): boolean {
  return (unit.countsBelow[String(unit.level + 1)] ?? 0) > 0;
}

/** The unit whose units the map shows: the unit itself, or its parent for a unit without any. */
export function frameOf(unit: OrgUnitDetail): Place['frame'] {
  const parent = unit.ancestors.at(-1);
  if (hasUnitsBelow(unit) || !parent) return unit;
  return { ...parent, path: unit.path.slice(0, unit.path.length - unit.code.length - 1) };
}

/** The unit or its units could not be read: a sentence for the address's mistake. */
export function placeMessage(e: ApiError, t: OverviewT, code: string, version: string): Error {
  if (e.code === 'unknown_unit') return new Error(t('errUnknownUnit', { code, version }));
  if (e.code === 'unknown_version') return new Error(t('errUnknownVersion', { version }));
  if (e.code === 'out_of_scope') return new Error(t('errOutOfScope', { code }));
  return e;
}
