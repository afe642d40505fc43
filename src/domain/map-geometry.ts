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
