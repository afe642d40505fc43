import type { Me, Version } from '../../shared/api/types.ts';
import { itemOf, type Catalogue } from './data.ts';
import type { OverviewT } from './messages.ts';
import {
  DEFAULT_TILES,
  resolvePeriod,
  versionOn,
  type OverviewState,
  type ResolvedPeriod,
} from './state.ts';

export const ROOT = 'VN';

/** What the address asks for, checked against the catalogue and the trees. */
export interface Selection {
  /** What the address asks for that does not exist, as sentences. */
  problems: string[];
  /** The address's period, if it is one. */
  resolved: ResolvedPeriod | undefined;
  /** The period shown: the address's, else the last 7 days. */
  period: ResolvedPeriod;
  tileCodes: string[];
  mapCode: string;
  version: string;
  unitCode: string;
  /** Whether the caller sees the whole country. */
  rootScope: boolean;
}

export function selectionOf(
  state: OverviewState,
  cat: Catalogue,
  versions: Version[],
  me: Me,
  today: string,
  t: OverviewT,
): Selection {
  const problems: string[] = [];
  let resolved: ResolvedPeriod | undefined;
  try {
    resolved = resolvePeriod(state.pe, today);
  } catch {
    problems.push(t('errBadPeriod', { period: state.pe }));
  }
  if (state.v && !versions.some((v) => v.id === state.v))
    problems.push(t('errUnknownVersion', { version: state.v }));
  const unknown = [...new Set([...state.dx, state.map])].filter((c) => !itemOf(cat, c));
  for (const code of unknown) problems.push(t('errUnknownDx', { code }));

  let tileCodes = state.dx.filter((c) => itemOf(cat, c));
  if (tileCodes.length === 0) tileCodes = DEFAULT_TILES.filter((c) => itemOf(cat, c));
  const mapCode = itemOf(cat, state.map) ? state.map : (tileCodes[0] ?? '');
  const period = resolved ?? resolvePeriod('7d', today);
  const version =
    (state.v && versions.some((v) => v.id === state.v) ? state.v : undefined) ??
    versionOn(versions, period.period.start) ??
    me.scope.version;
  return {
    problems,
    resolved,
    period,
    tileCodes,
    mapCode,
    version,
    unitCode: state.ou ?? me.scope.code,
    rootScope: me.scope.code === ROOT,
  };
}
