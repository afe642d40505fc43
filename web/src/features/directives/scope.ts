import type { Me } from '../../shared/api/types.ts';
import { useVersions } from '../units/queries.ts';
import { useUnitChildren, useUnitDetail } from './queries.ts';

const ROOT = 'VN';

/**
 * The tree a form works in (the scope's own for a scoped user, the one in force for the
 * nation), the user's unit in it and the units right below: what the directive and task forms
 * offer to choose from.
 */
export function useScopeTree(me: Me) {
  const own = me.scope.code === ROOT ? undefined : me.scope.version;
  const versionsQ = useVersions();
  const versions = versionsQ.data;
  const version =
    own ??
    (versions ? ((versions.find((v) => v.current) ?? versions[0])?.id ?? '2025') : undefined);
  const unitQ = useUnitDetail(version, me.scope.code);
  const childrenQ = useUnitChildren(version, me.scope.code, version !== undefined);
  const loadError: unknown =
    (own === undefined ? versionsQ.error : null) ?? unitQ.error ?? childrenQ.error ?? null;
  return { version, scopeUnit: unitQ.data, children: childrenQ.data, loadError };
}

/** Folds Vietnamese diacritics so "sai gon" finds "Sài Gòn". */
export const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd');
