import { api, ApiError, query, type OrgUnit, type OrgUnitDetail, type Version } from '../../api.ts';

/** The answers of the server the overview reads (see /api/openapi.json). */

export interface Change {
  pct: number | null;
  previous: number | null;
  source: 'computed' | 'reported';
  period: string;
}

export interface Cell {
  dx: string;
  pe: string;
  ou: string;
  version: string;
  value: number | null;
  yoy?: Change;
  pop?: Change;
  target?: { value: number; due: string; share: number | null };
  rank?: number;
}

export interface AnalyticsAnswer {
  items: Cell[];
  periods: { id: string; label: string }[];
}

/** An element or indicator as the tiles and the map name it. */
export interface Item {
  code: string;
  kind: 'element' | 'indicator';
  nameVi: string;
  nameEn: string;
  sector: string;
  unit: string | null;
  valueType?: string;
  decimals?: number;
  formula?: string;
}

export interface Catalogue {
  items: Map<string, Item>;
  /** Indicator formulas by code, to know which elements an indicator reads. */
  formulas: Map<string, string>;
  options: Map<string, { code: string; nameVi: string; nameEn: string }>;
}

export interface GeoEntry {
  version: string;
  parent: string;
  level: number;
  features: number;
  etag: string;
  href: string;
}

/** An alert raised by a rule (GET /api/alerts; also the payload of the live `alert` event). */
export interface Alert {
  id: number;
  state: 'open' | 'resolved';
  period: string;
  periodLabel: { vi: string; en: string };
  value: number | null;
  threshold: number;
  operator: '>' | '>=' | '<' | '<=';
  openedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  rule: {
    id: number;
    nameVi: string;
    nameEn: string;
    subject: string;
    subjectType: 'element' | 'indicator';
    periodType: string;
  };
  unit: {
    version: string;
    code: string;
    name: string;
    fullName: string;
    level: number;
    path: string;
  };
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= fn().catch((e) => {
      p = undefined;
      throw e;
    });
    return p;
  };
}

interface ElementDoc {
  code: string;
  nameVi: string;
  nameEn: string;
  sector: string;
  unit?: string;
  valueType: string;
  breakdown?: string;
}
interface IndicatorDoc {
  code: string;
  nameVi: string;
  nameEn: string;
  sector: string;
  unit?: string;
  decimals?: number;
  formula: string;
}
interface BreakdownDoc {
  code: string;
  options: { code: string; nameVi: string; nameEn: string }[];
}

/** Elements, indicators and breakdown options: read once a page load (they change rarely). */
export const loadCatalogue = once(async (): Promise<Catalogue> => {
  // One request for the whole document: the server builds it once either way.
  const doc = await api<{
    dataElements?: ElementDoc[];
    indicators?: IndicatorDoc[];
    breakdowns?: BreakdownDoc[];
  }>('/api/metadata');
  const elements = { items: doc.dataElements ?? [] };
  const indicators = { items: doc.indicators ?? [] };
  const breakdowns = { items: doc.breakdowns ?? [] };
  const items = new Map<string, Item>();
  for (const e of elements.items)
    items.set(e.code, {
      code: e.code,
      kind: 'element',
      nameVi: e.nameVi,
      nameEn: e.nameEn,
      sector: e.sector,
      unit: e.valueType === 'percentage' ? '%' : (e.unit ?? null),
      valueType: e.valueType,
    });
  const formulas = new Map<string, string>();
  for (const i of indicators.items) {
    items.set(i.code, {
      code: i.code,
      kind: 'indicator',
      nameVi: i.nameVi,
      nameEn: i.nameEn,
      sector: i.sector,
      unit: i.unit ?? null,
      decimals: i.decimals,
      formula: i.formula,
    });
    formulas.set(i.code, i.formula);
  }
  const options = new Map<string, { code: string; nameVi: string; nameEn: string }>();
  for (const b of breakdowns.items) for (const o of b.options) options.set(o.code, o);
  return { items, formulas, options };
});

/** An item by its code, ELEMENT.OPTION included (named "Element — Option"). */
export function itemOf(cat: Catalogue, code: string): Item | undefined {
  const direct = cat.items.get(code);
  if (direct) return direct;
  const [el, opt] = code.split('.');
  const base = el ? cat.items.get(el) : undefined;
  const option = opt ? cat.options.get(opt) : undefined;
  if (!base || base.kind !== 'element' || !option) return undefined;
  return {
    ...base,
    code,
    nameVi: `${base.nameVi} — ${option.nameVi}`,
    nameEn: `${base.nameEn} — ${option.nameEn}`,
  };
}

export const loadVersions = once(
  async () => (await api<{ items: Version[] }>('/api/versions')).items,
);

export const loadGeoIndex = once(async () => (await api<{ items: GeoEntry[] }>('/api/geo')).items);

export async function analytics(
  dx: string[],
  pe: string[],
  ou: string[],
  version: string | undefined,
  signal?: AbortSignal,
): Promise<AnalyticsAnswer> {
  return api<AnalyticsAnswer>(
    '/api/analytics/query' +
      query({ dx: dx.join(','), pe: pe.join(','), ou: ou.join(','), version }),
    { signal },
  );
}

export async function unitDetail(code: string, version: string, signal?: AbortSignal) {
  return api<OrgUnitDetail>(`/api/orgunits/${encodeURIComponent(code)}` + query({ version }), {
    signal,
  });
}

export async function unitChildren(code: string, version: string, signal?: AbortSignal) {
  const r = await api<{ items: OrgUnit[] }>(
    `/api/orgunits/${encodeURIComponent(code)}/children` + query({ version, limit: 5000 }),
    { signal },
  );
  return r.items;
}

/** Every unit of a level in a tree (for the map of every commune). */
export async function unitsAtLevel(level: number, version: string, signal?: AbortSignal) {
  const r = await api<{ items: OrgUnit[] }>(
    '/api/orgunits' + query({ version, level, limit: 20000 }),
    { signal },
  );
  return r.items;
}

/** Open alerts in the caller's scope, or null when the server has no alerts (404) or refuses. */
export async function openAlerts(signal?: AbortSignal): Promise<Alert[] | null> {
  try {
    return (await api<{ items: Alert[] }>('/api/alerts?state=open&limit=200', { signal })).items;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return null;
    throw e;
  }
}

/** Whether an alert is about a unit or a unit under it (its path runs through the code). */
export function alertUnder(a: Alert, version: string, code: string): boolean {
  return a.unit.version === version && a.unit.path.includes(`/${code}/`);
}

const geoCache = new Map<string, Promise<GeoJSON>>();

export interface GeoJSON {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: { code: string; name: string; province?: string };
    geometry: unknown;
  }[];
}

/** A boundary map; the URL carries its hash, so the browser caches it for good. */
export function loadGeo(entry: GeoEntry): Promise<GeoJSON> {
  let p = geoCache.get(entry.href);
  if (!p) {
    p = api<GeoJSON>(entry.href).catch((e) => {
      geoCache.delete(entry.href);
      throw e;
    });
    geoCache.set(entry.href, p);
  }
  return p;
}
