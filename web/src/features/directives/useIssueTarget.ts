import { useEffect, useMemo } from 'react';
import { useWatch, type Control, type UseFormSetValue } from 'react-hook-form';
import type { Schemas } from '../../shared/api/client.ts';
import type { Priority, Target } from './data.ts';
import { useGroups, useUnitDetail } from './queries.ts';

export type Kind = Target['kind'];

/** The fields of the directive form (`/chi-dao/moi`). */
export interface IssueValues {
  title: string;
  body: string;
  priority: Priority;
  dueDate: string;
  kind: Kind;
  /** The units ticked when the directive goes to chosen units. */
  chosen: string[];
  /** Narrows the units offered to tick; not sent. */
  filter: string;
  /** The unit a level is counted under. */
  under: string;
  level: number | undefined;
  group: string;
}

/**
 * Who a directive will reach: the unit a level is counted under (read when another than the
 * user's own is chosen), the levels below it, the groups of the tree, and how many units that
 * makes. The lowest level is chosen by default: a directive to communes is the common case.
 */
export function useIssueTarget(
  control: Control<IssueValues>,
  setValue: UseFormSetValue<IssueValues>,
  version: string | undefined,
  scopeUnit: Schemas['OrgUnitDetail'] | undefined,
) {
  const [kind, chosen, under, level, group] = useWatch({
    control,
    name: ['kind', 'chosen', 'under', 'level', 'group'],
  });
  const groupsQ = useGroups(version);
  // the groups are offered when they can be read; otherwise none are
  const groups = groupsQ.isError ? [] : groupsQ.data;
  const ownUnder = scopeUnit !== undefined && under === scopeUnit.code;
  const underQ = useUnitDetail(version, under, scopeUnit !== undefined && !ownUnder);
  const underDetail = ownUnder ? scopeUnit : underQ.data;

  // A level is counted under the chosen unit, or under the nation for a national directive.
  const levelUnit = kind === 'nation' ? scopeUnit : underDetail;
  const levels = useMemo(
    () =>
      Object.keys(levelUnit?.countsBelow ?? {})
        .map(Number)
        .filter((l) => Number.isFinite(l))
        .sort((a, b) => a - b),
    [levelUnit],
  );
  useEffect(() => {
    if (levels.length && (level === undefined || !levels.includes(level)))
      setValue('level', levels[levels.length - 1]);
  }, [levels, level, setValue]);

  const recipients: number | undefined =
    kind === 'units'
      ? chosen.length
      : kind === 'level' || kind === 'nation'
        ? level !== undefined
          ? (levelUnit?.countsBelow[String(level)] ?? 0)
          : undefined
        : kind === 'group'
          ? groups?.find((g) => g.code === group)?.members
          : undefined;

  return {
    kind,
    levelUnit,
    levels,
    groups,
    recipients,
    /** The chosen unit could not be read: the form cannot count its levels. */
    loadError: ownUnder ? null : underQ.error,
  };
}
