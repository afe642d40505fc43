/**
 * Where a boundary map opens and what it names, read from its geometry alone. Pure: the room's
 * and the boards' maps on screen (web/src/features/room/mapView.ts re-exports this) and the
 * board's PDF.
 */

/** A boundary map (GeoJSON) as far as it is read here: each region's code and geometry. */
export interface MapGeometry {
  features: readonly { properties: { code: string }; geometry: unknown }[];
}

type Box = [number, number, number, number];

function extend(box: Box, c: unknown): Box {
  if (Array.isArray(c) && typeof c[0] === 'number') {
    const [x, y] = c as number[];
    return [Math.min(box[0], x!), Math.min(box[1], y!), Math.max(box[2], x!), Math.max(box[3], y!)];
  }
  if (Array.isArray(c)) for (const k of c) box = extend(box, k);
  return box;
}

const EMPTY: Box = [Infinity, Infinity, -Infinity, -Infinity];

// Where the map opens when it looks at one region (a ward is too small to find on its city's map).
/** Centre and zoom that show one region with its neighbours around it. */
export function focusView(geo: MapGeometry, code: string | undefined) {
  if (!code) return undefined;
  const f = geo.features.find((x) => x.properties.code === code);
  if (!f) return undefined;
  const coords = (f.geometry as { coordinates?: unknown }).coordinates;
  const b = extend(EMPTY, coords);
  const all = geo.features.reduce(
    (box, x) => extend(box, (x.geometry as { coordinates?: unknown }).coordinates),
    EMPTY,
  );
  const w = Math.max(b[2] - b[0], 1e-3);
  const h = Math.max(b[3] - b[1], 1e-3);
  const zoom = Math.min((all[2] - all[0]) / w, (all[3] - all[1]) / h) / 8;
  if (zoom <= 1.2) return undefined; // big enough to see as it is
  return { center: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2], zoom: Math.min(zoom, 12) };
}

/** Viet Nam's two archipelagos, where a map's geometry holds them. */
export type Archipelago = 'hoang_sa' | 'truong_sa';

/**
 * Which archipelago a point belongs to, if any: Hoàng Sa lies north of 15°N and east of 110.5°E,
 * Trường Sa south of 11.5°N and east of 109.3°E (its western banks reach 109.47°E); the mainland
 * and near-shore islands stay west of them (Lý Sơn 109.1°E, Phú Quý 108.9°E, Mũi Dinh 109.0°E).
 */
function archipelagoOf(x: number, y: number): Archipelago | undefined {
  if (y > 15 && x > 110.5) return 'hoang_sa';
  if (y < 11.5 && x > 109.3) return 'truong_sa';
  return undefined;
}

/**
 * Where to name Hoàng Sa and Trường Sa on a map whose geometry includes them: the middle of the
 * islands' extent, found in the geometry itself (they draw as specks, so without a name nobody
 * sees them).
 */
export function archipelagoSpots(geo: MapGeometry): { id: Archipelago; coord: [number, number] }[] {
  const boxes: Record<Archipelago, Box> = { hoang_sa: EMPTY, truong_sa: EMPTY };
  const visit = (c: unknown) => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      const [x, y] = c as number[];
      const id = archipelagoOf(x!, y!);
      if (id) boxes[id] = extend(boxes[id], c);
      return;
    }
    for (const k of c) visit(k);
  };
  for (const f of geo.features) visit((f.geometry as { coordinates?: unknown }).coordinates);
  return (Object.keys(boxes) as Archipelago[])
    .filter((id) => boxes[id][0] <= boxes[id][2])
    .map((id) => {
      const b = boxes[id];
      return { id, coord: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] as [number, number] };
    });
}

/** A corner of the map's box, where the inset of far-off islands is drawn. */
export type InsetCorner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

/**
 * How far from the main body a group of regions must lie to go to the inset: 15 % of its extent.
 * Measured on every commune map of 2025: at 10 % and at 15 % the same four maps get an inset; at
 * 20 % Thổ Châu (about 100 km south-west of An Giang's Phú Quốc) would stretch its province's map again.
 */
export const FAR_SHARE = 0.15;

/** The gap between two boxes (0 when they touch or overlap), in degrees. */
function gapOf(a: Box, b: Box): number {
  const dx = Math.max(0, a[0] - b[2], b[0] - a[2]);
  const dy = Math.max(0, a[1] - b[3], b[1] - a[3]);
  return Math.hypot(dx, dy);
}

const union = (a: Box, b: Box): Box => [
  Math.min(a[0], b[0]),
  Math.min(a[1], b[1]),
  Math.max(a[2], b[2]),
  Math.max(a[3], b[3]),
];

/**
 * A map split into its main body and the far-off islands drawn in an inset (as atlases do), so a
 * city with an island 180 km out at sea (Hồ Chí Minh City's Côn Đảo) fills its box instead of
 * sitting in its top third above empty sea. Decided from the geometry alone:
 *
 * 1. regions whose bounding boxes touch or overlap form groups (neighbours share a border, so a
 *    mainland is one group);
 * 2. the main body starts as the group with the most regions; any other group whose box lies
 *    within `FAR_SHARE` (15 %) of the main body's extent (its box's longer side) of the main
 *    body's box joins it, again until none does (near-shore islands: Phú Quốc, Phú Quý, Cô Tô,
 *    Lý Sơn stay in place);
 * 3. what is left lies farther out: those regions go to the inset (Côn Đảo 126 % of Hồ Chí Minh
 *    City's extent away, Bạch Long Vĩ 69 % of Hải Phòng's, Thổ Châu off An Giang (Phú Quốc included in its main body), Hoàng Sa
 *    and Trường Sa on Đà Nẵng's and Khánh Hòa's commune maps).
 *
 * A map that holds both Hoàng Sa and Trường Sa is the country's: it has no inset, the two
 * archipelagos stay where they are and are named there (`archipelagoSpots`). The inset goes to
 * the corner on the islands' side of the main body. `inset` is empty when there is nothing far.
 */
export function farRegions(geo: MapGeometry): {
  inset: string[];
  corner: InsetCorner;
  /** The main body's bounding box: [west, south, east, north]. */
  main: Box;
} {
  const regions = geo.features.map((f) => ({
    code: f.properties.code,
    box: extend(EMPTY, (f.geometry as { coordinates?: unknown }).coordinates),
  }));
  const whole = regions.reduce((b, r) => union(b, r.box), EMPTY);
  const none = { inset: [], corner: 'bottom-right' as const, main: whole };
  if (regions.length < 2 || archipelagoSpots(geo).length === 2) return none;
  // Groups of touching boxes (union–find).
  const parent = regions.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < regions.length; i++)
    for (let j = i + 1; j < regions.length; j++)
      if (gapOf(regions[i]!.box, regions[j]!.box) === 0) parent[root(i)] = root(j);
  const groups = new Map<number, { codes: string[]; box: Box }>();
  regions.forEach((r, i) => {
    const g = groups.get(root(i)) ?? { codes: [], box: EMPTY };
    g.codes.push(r.code);
    g.box = union(g.box, r.box);
    groups.set(root(i), g);
  });
  const rest = [...groups.values()].sort((a, b) => b.codes.length - a.codes.length);
  let main = rest.shift()!.box;
  for (let joined = true; joined;) {
    joined = false;
    const extent = Math.max(main[2] - main[0], main[3] - main[1]);
    for (let k = 0; k < rest.length; k++) {
      if (gapOf(rest[k]!.box, main) > FAR_SHARE * extent) continue;
      main = union(main, rest[k]!.box);
      rest.splice(k--, 1);
      joined = true;
    }
  }
  if (rest.length === 0) return { ...none, main };
  const far = rest.reduce((b, g) => union(b, g.box), EMPTY);
  const east = (far[0] + far[2]) / 2 >= (main[0] + main[2]) / 2;
  const north = (far[1] + far[3]) / 2 > (main[1] + main[3]) / 2;
  return {
    inset: rest.flatMap((g) => g.codes),
    corner: `${north ? 'top' : 'bottom'}-${east ? 'right' : 'left'}`,
    main,
  };
}

/** A map's features split as `farRegions` says: the main body's and the inset's. */
export function splitFar<F extends MapGeometry['features'][number]>(geo: {
  features: readonly F[];
}): { main: F[]; inset: F[]; corner: InsetCorner } {
  const { inset, corner } = farRegions(geo);
  const far = new Set(inset);
  return {
    main: geo.features.filter((f) => !far.has(f.properties.code)),
    inset: geo.features.filter((f) => far.has(f.properties.code)),
    corner,
  };
}
