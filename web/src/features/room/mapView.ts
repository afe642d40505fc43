import type { GeoJSON } from './data.ts';

/** Where the map opens when it looks at one region (a ward is too small to find on its city's map). */

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

/** Centre and zoom that show one region with its neighbours around it. */
export function focusView(geo: GeoJSON, code: string | undefined) {
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
