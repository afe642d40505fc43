import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { feature } from 'topojson-client';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { GeoMap } from '../contract/geo.ts';
import { AppError } from '../domain/errors.ts';
import { ROOT_CODE } from '../domain/hierarchy.ts';

/**
 * Boundaries of administrative units for the operations room's map, from the files shipped in
 * `data/vn-admin/` (see its README), keyed by our unit codes. What exists:
 *
 * - provinces of the 2022 tree and of the 2025-03 tree (the same 63 provinces, 2016 boundaries);
 * - provinces and communes of the 2025 tree (communes by province, and all of them at once,
 *   simplified further so a national map of 3,321 communes stays light).
 *
 * Districts and communes before the reform have no boundaries: the map shows a list there.
 * Each answer is built once, on first use, and kept with its gzip form and an ETag.
 */

const DATA_DIR = new URL('../../data/vn-admin/', import.meta.url);

/** Bumped when the output changes for the same input files, so cached copies are refetched. */
const FORMAT = 'geo-1';

/** Share of the communes' points kept on the map of every commune of the country. */
const NATIONAL_COMMUNES_KEEP = 0.1;

interface VersionSources {
  provinces: string;
  communes?: string;
}

const SOURCES: Record<string, VersionSources> = {
  // The 2025-03 tree still had the 63 provinces of 2022, within the same borders.
  '2022': { provinces: 'provinces-2022.geojson' },
  '2025-03': { provinces: 'provinces-2022.geojson' },
  '2025': { provinces: 'provinces-2025.geojson', communes: 'communes-2025.topojson' },
};

/** A map as `GET /api/geo` lists it (src/contract/geo.ts), before the route adds its address. */
export type GeoEntry = Omit<GeoMap, 'href'>;

export interface GeoAsset extends GeoEntry {
  body: Buffer;
  gzip: Buffer;
}

export interface UnitProperties {
  code: string;
  name: string;
  /** For a commune: its province. */
  province?: string;
}

type CommuneTopology = Topology<{
  communes: GeometryCollection<UnitProperties>;
  provinces: GeometryCollection<{ code: string }>;
}>;

/** Four decimals (about 11 m) are finer than the files' own precision. */
function round(geometry: Geometry): Geometry {
  const r = (p: Position): Position => [
    Math.round(p[0]! * 1e4) / 1e4,
    Math.round(p[1]! * 1e4) / 1e4,
  ];
  switch (geometry.type) {
    case 'Polygon':
      return { type: 'Polygon', coordinates: geometry.coordinates.map((ring) => ring.map(r)) };
    case 'MultiPolygon':
      return {
        type: 'MultiPolygon',
        coordinates: geometry.coordinates.map((poly) => poly.map((ring) => ring.map(r))),
      };
    default:
      return geometry;
  }
}

function hash(...parts: (string | Buffer)[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest('base64url').slice(0, 20);
}

export class GeoService {
  private readonly files = new Map<string, Buffer>();
  private readonly assets = new Map<string, GeoAsset>();
  private topology?: CommuneTopology;
  private entries?: GeoEntry[];

  constructor(private readonly dir: URL = DATA_DIR) {}

  private file(name: string): Buffer {
    let b = this.files.get(name);
    if (!b) {
      b = readFileSync(new URL(name, this.dir));
      this.files.set(name, b);
    }
    return b;
  }

  private communes(name: string): CommuneTopology {
    this.topology ??= JSON.parse(this.file(name).toString('utf8')) as CommuneTopology;
    return this.topology;
  }

  /**
   * The communes of a tree at the files' full precision (neither simplified further nor
   * rounded), to place points in them (services/place.service.ts); undefined for a tree
   * without commune boundaries.
   */
  communeShapes(version: string): Feature<Geometry, UnitProperties>[] | undefined {
    const src = SOURCES[version];
    if (!src?.communes) return undefined;
    const topo = this.communes(src.communes);
    return feature<UnitProperties>(topo, topo.objects.communes).features;
  }

  /** Every map there is, with the ETag its answer will carry (the answers are built later). */
  index(): GeoEntry[] {
    if (this.entries) return this.entries;
    const out: GeoEntry[] = [];
    for (const [version, src] of Object.entries(SOURCES)) {
      const provinces = JSON.parse(this.file(src.provinces).toString('utf8')) as FeatureCollection;
      out.push({
        version,
        parent: ROOT_CODE,
        level: 1,
        features: provinces.features.length,
        etag: hash(FORMAT, version, ROOT_CODE, '1', this.file(src.provinces)),
      });
      if (!src.communes) continue;
      const topo = this.communes(src.communes);
      const perProvince = new Map<string, number>();
      for (const g of topo.objects.communes.geometries) {
        const p = (g.properties as UnitProperties).province!;
        perProvince.set(p, (perProvince.get(p) ?? 0) + 1);
      }
      const fileHash = hash(this.file(src.communes));
      out.push({
        version,
        parent: ROOT_CODE,
        level: 2,
        features: topo.objects.communes.geometries.length,
        etag: hash(FORMAT, version, ROOT_CODE, '2', String(NATIONAL_COMMUNES_KEEP), fileHash),
      });
      for (const [province, n] of [...perProvince].sort(([a], [b]) => (a < b ? -1 : 1)))
        out.push({
          version,
          parent: province,
          level: 2,
          features: n,
          etag: hash(FORMAT, version, province, '2', fileHash),
        });
    }
    this.entries = out;
    return out;
  }

  /**
   * The boundaries of the units at `level` under `parent` in a tree, as a GeoJSON
   * FeatureCollection whose properties are `code`, `name` (and `province` for a commune).
   * `level` defaults to the level just below `parent`.
   */
  boundaries(version: string, parent: string, level?: number): GeoAsset {
    const entry = this.index().find(
      (e) =>
        e.version === version &&
        e.parent === parent &&
        (level === undefined ? e.parent !== ROOT_CODE || e.level === 1 : e.level === level),
    );
    if (!entry) throw noBoundaries(version, parent);
    const key = `${entry.version}|${entry.parent}|${entry.level}`;
    let asset = this.assets.get(key);
    if (!asset) {
      const fc = this.build(entry);
      const body = Buffer.from(JSON.stringify(fc));
      asset = { ...entry, body, gzip: gzipSync(body, { level: 9 }) };
      this.assets.set(key, asset);
    }
    return asset;
  }

  private build(entry: GeoEntry): FeatureCollection<Geometry, UnitProperties> {
    const src = SOURCES[entry.version]!;
    if (entry.level === 1) {
      const fc = JSON.parse(this.file(src.provinces).toString('utf8')) as FeatureCollection<
        Geometry,
        UnitProperties
      >;
      return {
        type: 'FeatureCollection',
        features: fc.features.map((f) => ({
          type: 'Feature',
          properties: { code: f.properties.code, name: f.properties.name },
          geometry: f.geometry,
        })),
      };
    }
    let topo = this.communes(src.communes!);
    const national = entry.parent === ROOT_CODE;
    if (national) {
      // Every commune of the country: keep the tenth of the points that carry the most area.
      // At that scale a commune is a few pixels wide, and the browser draws the 3,321 of them
      // in one main-thread task of about 0.4 s instead of 0.8 s with a fifth of the points.
      const pre = presimplify(structuredClone(topo));
      topo = simplify<CommuneTopology['objects']>(pre, quantile(pre, NATIONAL_COMMUNES_KEEP));
    }
    const geometries = national
      ? topo.objects.communes.geometries
      : topo.objects.communes.geometries.filter(
          (g) => (g.properties as UnitProperties | undefined)?.province === entry.parent,
        );
    const fc = feature<UnitProperties>(topo, { type: 'GeometryCollection', geometries });
    return {
      type: 'FeatureCollection',
      features: fc.features.map((f): Feature<Geometry, UnitProperties> => ({
        type: 'Feature',
        properties: {
          code: f.properties.code,
          name: f.properties.name,
          province: f.properties.province,
        },
        geometry: round(f.geometry),
      })),
    };
  }
}

/** The boundary files never change while the server runs: one copy for every app instance. */
let shared: GeoService | undefined;
export const sharedGeo = (): GeoService => (shared ??= new GeoService());

function noBoundaries(version: string, parent: string): AppError {
  return new AppError(
    'not_found',
    {
      vi: `Chưa có bản đồ ranh giới cho các đơn vị trực thuộc "${parent}" trong cây ${version}; hãy xem dạng danh sách`,
      en: `No boundary map for the units under "${parent}" in the ${version} tree; use the list instead`,
    },
    { version, parent },
  );
}
