import Flatbush from 'flatbush';
import pointInPolygon from 'point-in-polygon-hao';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { AppError } from './errors.ts';

/**
 * Placing a point in a commune (issue 20): which commune of a tree holds a point given as
 * latitude and longitude (WGS 84), from the communes' boundary polygons. Pure: the polygons
 * come in, an index is built once, and each question is answered from memory.
 *
 * The rule (docs/decisions.md, "Placing a citizen's report"):
 * - a point inside a commune's polygon is in that commune (on a shared edge: the one of the
 *   smaller code, so the answer never depends on the order of the file);
 * - a point outside every polygon but within SNAP_METERS of one goes to the nearest commune:
 *   a report from a boat off the coast, a beach, or a street the simplified boundary (5 % of
 *   the surveyed vertices) cuts off;
 * - the offshore archipelagos (the special zones of Hoàng Sa and Trường Sa) reach farther, to
 *   the territorial sea around their islands (TERRITORIAL_SEA_METERS): their islets are
 *   specks that the simplified file draws kilometres off, and the zone is the only
 *   government out there;
 * - farther than that it is not in Viet Nam's communes: `place_outside`.
 */

/** How far outside every polygon a point still goes to the nearest commune. */
export const SNAP_METERS = 2_000;

/** 12 nautical miles: the territorial sea (Law of the Sea of Viet Nam 2012, art. 11). */
export const TERRITORIAL_SEA_METERS = 22_224;

/** Metres in a degree of latitude (and of longitude at the equator), mean Earth radius. */
const METERS_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;

export interface LatLon {
  lat: number;
  lon: number;
}

/** A commune as the index knows it: its code and its boundary. */
export interface CommuneShape {
  code: string;
  geometry: Polygon | MultiPolygon;
  /** How far outside its polygons a point still goes to it; default SNAP_METERS. */
  reachMeters?: number;
}

export interface Placement {
  code: string;
  /** 0 when the point is inside the commune; else how far its boundary is, rounded to a metre. */
  distanceMeters: number;
}

/** The polygons (each a list of rings, the first the outer one) of a Polygon or MultiPolygon. */
function partsOf(g: Polygon | MultiPolygon): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** The squared distance from (px, py) to the segment (ax, ay)–(bx, by), in the plane. */
function segmentDistance2(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  const x = ax + t * dx - px;
  const y = ay + t * dy - py;
  return x * x + y * y;
}

/**
 * The distance in metres from a point to the nearest edge of a polygon (any ring), in a plane
 * tangent at the point: within a few kilometres it is off by far less than a metre.
 */
export function distanceToPolygon(p: LatLon, rings: Position[][]): number {
  const kx = Math.cos((p.lat * Math.PI) / 180) * METERS_PER_DEGREE;
  const ky = METERS_PER_DEGREE;
  let best = Infinity;
  for (const ring of rings)
    for (let i = 1; i < ring.length; i++) {
      const a = ring[i - 1]!;
      const b = ring[i]!;
      const d = segmentDistance2(
        0,
        0,
        (a[0]! - p.lon) * kx,
        (a[1]! - p.lat) * ky,
        (b[0]! - p.lon) * kx,
        (b[1]! - p.lat) * ky,
      );
      if (d < best) best = d;
    }
  return Math.sqrt(best);
}

/**
 * A point inside a polygon (not only inside its box): on the horizontal line through the middle
 * of the outer ring's height, the middle of the widest stretch that lies inside. Used to label
 * a commune, and by the tests to ask for a commune from its own shape.
 */
export function interiorPoint(rings: Position[][]): LatLon {
  const outer = rings[0]!;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const q of outer) {
    minY = Math.min(minY, q[1]!);
    maxY = Math.max(maxY, q[1]!);
  }
  // A line exactly through a vertex would cross twice there; try a few heights near the middle.
  let best: { lon: number; lat: number; width: number } | undefined;
  for (const f of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
    const y = minY + (maxY - minY) * f + (maxY - minY) * 1e-7;
    const xs: number[] = [];
    for (const ring of rings)
      for (let i = 1; i < ring.length; i++) {
        const [ax, ay] = ring[i - 1] as [number, number];
        const [bx, by] = ring[i] as [number, number];
        if (ay > y !== by > y) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
      }
    xs.sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const width = xs[i + 1]! - xs[i]!;
      if (!best || width > best.width) best = { lon: (xs[i]! + xs[i + 1]!) / 2, lat: y, width };
    }
  }
  if (!best) return { lon: outer[0]![0]!, lat: outer[0]![1]! };
  return { lon: best.lon, lat: best.lat };
}

/** The largest polygon of a commune (by its box), where its interior point is taken. */
export function mainPart(g: Polygon | MultiPolygon): Position[][] {
  let best: Position[][] = [];
  let bestArea = -1;
  for (const rings of partsOf(g)) {
    let a = 0;
    const outer = rings[0] ?? [];
    for (let i = 1; i < outer.length; i++)
      a += outer[i - 1]![0]! * outer[i]![1]! - outer[i]![0]! * outer[i - 1]![1]!;
    if (Math.abs(a) > bestArea) {
      bestArea = Math.abs(a);
      best = rings;
    }
  }
  return best;
}

/**
 * The communes of one tree, indexed: each polygon's bounding box in a packed R-tree
 * (flatbush), then the exact test on the few polygons whose box holds the point.
 */
export class PlaceIndex {
  private readonly tree: Flatbush;
  /** For each indexed polygon: the commune's code and its rings. */
  private readonly parts: { code: string; rings: Position[][]; reach: number }[] = [];
  /** The longest reach of any commune. */
  private readonly reach: number = SNAP_METERS;

  constructor(communes: readonly CommuneShape[]) {
    for (const c of communes) {
      const reach = c.reachMeters ?? SNAP_METERS;
      this.reach = Math.max(this.reach, reach);
      for (const rings of partsOf(c.geometry))
        if (rings[0]?.length) this.parts.push({ code: c.code, rings, reach });
    }
    this.tree = new Flatbush(Math.max(1, this.parts.length));
    for (const { rings } of this.parts) {
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const [x, y] of rings[0]! as [number, number][]) {
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
      this.tree.add(minX, minY, maxX, maxY);
    }
    if (this.parts.length === 0) this.tree.add(0, 0, 0, 0); // flatbush needs one item
    this.tree.finish();
  }

  get size(): number {
    return this.parts.length;
  }

  /** The commune holding the point, or the nearest within its reach; undefined beyond. */
  locate(p: LatLon): Placement | undefined {
    let inside: string | undefined;
    for (const i of this.tree.search(p.lon, p.lat, p.lon, p.lat)) {
      const part = this.parts[i];
      if (!part) continue;
      // true inside, 0 on an edge (shared by two communes: the smaller code takes it).
      if (pointInPolygon([p.lon, p.lat], part.rings) !== false)
        if (inside === undefined || part.code < inside) inside = part.code;
    }
    if (inside !== undefined) return { code: inside, distanceMeters: 0 };
    // Boxes within the longest reach: a degree of longitude is the shorter, so this reach in
    // degrees covers it every way.
    const reach = this.reach / (METERS_PER_DEGREE * Math.cos((p.lat * Math.PI) / 180));
    let best: Placement | undefined;
    for (const i of this.tree.neighbors(p.lon, p.lat, Infinity, reach)) {
      const part = this.parts[i];
      if (!part) continue;
      const d = distanceToPolygon(p, part.rings);
      if (
        d <= part.reach &&
        (!best || d < best.distanceMeters || (d === best.distanceMeters && part.code < best.code))
      )
        best = { code: part.code, distanceMeters: d };
    }
    return (
      best && { code: best.code, distanceMeters: Math.max(1, Math.round(best.distanceMeters)) }
    );
  }
}

export const placeErrors = {
  /** A point in no commune of Viet Nam, nor within reach of one. */
  outside: (p: LatLon, version: string) =>
    new AppError(
      'place_outside',
      {
        vi: `Vị trí (${p.lat}, ${p.lon}) nằm ngoài lãnh thổ Việt Nam: không thuộc xã, phường, đặc khu nào và cách bờ hơn ${SNAP_METERS / 1000} km (12 hải lý quanh quần đảo Hoàng Sa, Trường Sa); hãy chọn lại điểm trên bản đồ hoặc tìm xã theo tên`,
        en: `The place (${p.lat}, ${p.lon}) is outside Viet Nam: in no commune and more than ${SNAP_METERS / 1000} km from the shore (12 nautical miles around the Hoàng Sa and Trường Sa archipelagos); pick the point again on the map or search the commune by name`,
      },
      {
        lat: p.lat,
        lon: p.lon,
        version,
        snapMeters: SNAP_METERS,
        offshoreMeters: TERRITORIAL_SEA_METERS,
      },
    ),
  /** The tree in force on the date has no commune boundaries (the trees before the 2025 reform). */
  noBoundaries: (version: string) =>
    new AppError(
      'not_found',
      {
        vi: `Cây đơn vị hành chính ${version} không có ranh giới xã; chỉ xác định được xã trên cây có ranh giới (cây 2025)`,
        en: `The ${version} tree has no commune boundaries; places are found only on a tree that has them (the 2025 tree)`,
      },
      { version },
    ),
};
