import { answer, ApiError, client, type Schemas } from '../../shared/api/client.ts';
import type { OrgUnit, OrgUnitDetail, Version } from '../../shared/api/types.ts';
import { directionOf, type FigureDirection } from '../../shared/format.ts';

/** The answers of the server the overview reads (see /api/openapi.json). */

export type Change = Schemas['Change'];

export type Cell = Schemas['AnalyticsCell'];

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
  /** What a rise means: colours a change good or bad (src/domain/direction.ts). */
  direction: FigureDirection;
}

export interface Catalogue {
  items: Map<string, Item>;
  /** Indicator formulas by code, to know which elements an indicator reads. */
  formulas: Map<string, string>;
  options: Map<string, { code: string; nameVi: string; nameEn: string }>;
}

export type GeoEntry = Schemas['GeoMap'];

/** An alert raised by a rule (GET /api/alerts; also the payload of the live `alert` event). */
export type Alert = Schemas['Alert'];

/** Elements, indicators and breakdown options: read once a page load (they change rarely). */
export async function loadCatalogue(signal?: AbortSignal): Promise<Catalogue> {
  // One request for the whole document: the server builds it once either way.
  const doc = await answer(client.GET('/api/metadata', { signal }));
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
      direction: directionOf(e.direction),
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
      direction: directionOf(i.direction),
    });
    formulas.set(i.code, i.formula);
  }
  const options = new Map<string, { code: string; nameVi: string; nameEn: string }>();
  for (const b of breakdowns.items) for (const o of b.options) options.set(o.code, o);
  return { items, formulas, options };
}

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

export async function loadVersions(signal?: AbortSignal): Promise<Version[]> {
  return (await answer(client.GET('/api/versions', { signal }))).items;
}

export async function loadGeoIndex(signal?: AbortSignal): Promise<GeoEntry[]> {
  return (await answer(client.GET('/api/geo', { signal }))).items;
}

export async function analytics(
  dx: string[],
  pe: string[],
  ou: string[],
  version: string | undefined,
  signal?: AbortSignal,
): Promise<AnalyticsAnswer> {
  const query = { dx: dx.join(','), pe: pe.join(','), ou: ou.join(','), version };
  return answer(client.GET('/api/analytics/query', { params: { query }, signal }));
}

export async function unitDetail(
  code: string,
  version: string,
  signal?: AbortSignal,
): Promise<OrgUnitDetail> {
  return answer(
    client.GET('/api/orgunits/{code}', { params: { path: { code }, query: { version } }, signal }),
  );
}

export async function unitChildren(
  code: string,
  version: string,
  signal?: AbortSignal,
): Promise<OrgUnit[]> {
  const r = await answer(
    client.GET('/api/orgunits/{code}/children', {
      params: { path: { code }, query: { version, limit: 5000 } },
      signal,
    }),
  );
  return r.items;
}

/** Every unit of a level in a tree (for the map of every commune). */
export async function unitsAtLevel(
  level: number,
  version: string,
  signal?: AbortSignal,
): Promise<OrgUnit[]> {
  const r = await answer(
    client.GET('/api/orgunits', { params: { query: { version, level, limit: 20000 } }, signal }),
  );
  return r.items;
}

/** Open alerts in the caller's scope, or null when the server has no alerts (404) or refuses. */
export async function openAlerts(signal?: AbortSignal): Promise<Alert[] | null> {
  try {
    const r = await answer(
      client.GET('/api/alerts', { params: { query: { state: 'open', limit: 200 } }, signal }),
    );
    return r.items;
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

/**
 * A boundary map as the screen reads it. The route answers GeoJSON without a declared schema
 * (src/contract/geo.ts has none), so its shape is checked here when it arrives.
 */
export interface GeoJSON {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: { code: string; name: string; province?: string };
    geometry: unknown;
  }[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function isGeoJSON(x: unknown): x is GeoJSON {
  return (
    isObject(x) &&
    x.type === 'FeatureCollection' &&
    Array.isArray(x.features) &&
    x.features.every(
      (f: unknown) =>
        isObject(f) &&
        f.type === 'Feature' &&
        isObject(f.properties) &&
        typeof f.properties.code === 'string' &&
        typeof f.properties.name === 'string',
    )
  );
}

/**
 * A boundary map; the address (the entry's href: version, parent, level and the hash `h`)
 * carries its hash, so the browser caches it for good.
 */
async function fetchGeo(entry: GeoEntry): Promise<GeoJSON> {
  const { data }: { data?: unknown } = await client.GET('/api/geo/{version}/{parent}', {
    params: {
      path: { version: entry.version, parent: entry.parent },
      query: { level: entry.level, h: entry.etag },
    },
  });
  if (!isGeoJSON(data)) throw new ApiError(0, 'network', '', undefined);
  return data;
}

export function loadGeo(entry: GeoEntry): Promise<GeoJSON> {
  let p = geoCache.get(entry.href);
  if (!p) {
    p = fetchGeo(entry).catch((e) => {
      geoCache.delete(entry.href);
      throw e;
    });
    geoCache.set(entry.href, p);
  }
  return p;
}
