import { useEffect, useState } from 'react';
import { api, query, type Me, type OrgUnit, type OrgUnitDetail, type Version } from '../../api.ts';

const ROOT = 'VN';

/**
 * The tree a form works in (the scope's own for a scoped user, the one in force for the
 * nation), the user's unit in it and the units right below: what the directive and task forms
 * offer to choose from.
 */
export function useScopeTree(me: Me) {
  const [version, setVersion] = useState<string | undefined>(
    me.scope.code === ROOT ? undefined : me.scope.version,
  );
  const [scopeUnit, setScopeUnit] = useState<OrgUnitDetail | undefined>();
  const [children, setChildren] = useState<OrgUnit[] | undefined>();
  const [loadError, setLoadError] = useState<unknown>(null);

  useEffect(() => {
    if (version) return;
    api<{ items: Version[] }>('/api/versions')
      .then((r) => setVersion((r.items.find((v) => v.current) ?? r.items[0])?.id ?? '2025'))
      .catch(setLoadError);
  }, [version]);

  useEffect(() => {
    if (!version) return;
    const code = encodeURIComponent(me.scope.code);
    Promise.all([
      api<OrgUnitDetail>(`/api/orgunits/${code}${query({ version })}`),
      api<{ items: OrgUnit[] }>(`/api/orgunits/${code}/children${query({ version, limit: 5000 })}`),
    ])
      .then(([u, c]) => {
        setScopeUnit(u);
        setChildren(c.items);
      })
      .catch(setLoadError);
  }, [version, me.scope.code]);

  return { version, scopeUnit, children, loadError, setLoadError };
}

/** Folds Vietnamese diacritics so "sai gon" finds "Sài Gòn". */
export const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd');
