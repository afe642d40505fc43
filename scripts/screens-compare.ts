/**
 * Compares two directories of screenshots from scripts/screens.ts, pixel by pixel.
 *
 *   node --import tsx scripts/screens-compare.ts DIR_A DIR_B [--threshold 0.1]
 *
 * For every PNG of the same name in both directories: a table of screen, size, the share of
 * pixels that differ (pixelmatch, its default colour threshold 0.1, anti-aliased pixels not
 * counted) and the pixels themselves. Images of different heights (a page grew or shrank) are
 * compared over the larger size, the missing part counting as differing, and the heights are
 * shown. Writes DIR_B/diff/NAME.png for every image that differs: the differing pixels in red
 * over a faded copy of A. Files present in only one directory are listed. Exit code 0 always;
 * the table is the result.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { threshold: { type: 'string', default: '0.1' } },
});
if (positionals.length !== 2) {
  console.error('usage: node --import tsx scripts/screens-compare.ts DIR_A DIR_B [--threshold T]');
  process.exit(2);
}
const [dirA, dirB] = positionals as [string, string];
const threshold = Number(values.threshold);

/** Screen by screen, the sizes from the narrowest. */
const order = (x: string, y: string) => {
  const [sx, wx] = split(x);
  const [sy, wy] = split(y);
  return sx === sy ? Number(wx) - Number(wy) : sx < sy ? -1 : 1;
};

const pngs = (dir: string) =>
  new Set(
    readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort(order),
  );

/** The image on a canvas of width × height, transparent where it does not reach. */
function padded(img: PNG, width: number, height: number): Uint8Array {
  if (img.width === width && img.height === height) return img.data;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < img.height; y++)
    out.set(img.data.subarray(y * img.width * 4, (y + 1) * img.width * 4), y * width * 4);
  return out;
}

/** '02-overview-1366.png' → ['02-overview', '1366']. */
function split(file: string): [string, string] {
  const m = /^(.*)-(\d+)\.png$/.exec(file);
  return m ? [m[1]!, m[2]!] : [basename(file, '.png'), ''];
}

const a = pngs(dirA);
const b = pngs(dirB);
const diffDir = join(dirB, 'diff');
if (existsSync(diffDir)) rmSync(diffDir, { recursive: true });
mkdirSync(diffDir, { recursive: true });

const rows: string[][] = [['screen', 'size', 'differing %', 'pixels', 'note']];
let worst = 0;
for (const file of a) {
  if (!b.has(file)) continue;
  const ia = PNG.sync.read(readFileSync(join(dirA, file)));
  const ib = PNG.sync.read(readFileSync(join(dirB, file)));
  const width = Math.max(ia.width, ib.width);
  const height = Math.max(ia.height, ib.height);
  const diff = new PNG({ width, height });
  const n = pixelmatch(
    padded(ia, width, height),
    padded(ib, width, height),
    diff.data,
    width,
    height,
    {
      threshold,
    },
  );
  const pct = (100 * n) / (width * height);
  worst = Math.max(worst, pct);
  const note =
    ia.width !== ib.width || ia.height !== ib.height
      ? `A ${ia.width}×${ia.height}, B ${ib.width}×${ib.height}`
      : `${width}×${height}`;
  if (n > 0) writeFileSync(join(diffDir, file), PNG.sync.write(diff));
  const [screen, size] = split(file);
  rows.push([screen, size, pct.toFixed(3), String(n), note]);
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const line = (r: string[]) =>
  r.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
console.log(line(rows[0]!));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
const onlyA = [...a].filter((f) => !b.has(f));
const onlyB = [...b].filter((f) => !a.has(f));
if (onlyA.length) console.log(`only in ${dirA}: ${onlyA.join(', ')}`);
if (onlyB.length) console.log(`only in ${dirB}: ${onlyB.join(', ')}`);
console.log(
  `${rows.length - 1} compared; largest difference ${worst.toFixed(3)} %; diff images in ${diffDir}`,
);
