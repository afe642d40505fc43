/**
 * What the browser tests of screens share (the room's wall, a board's wall, the downloads):
 * the boxes a screen draws, measured in the browser, and what is wrong with them; a network
 * that can be cut under an open page; a download's bytes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { Page } from 'playwright-core';

/**
 * The screens a wall is shown on — a projector, full HD, QHD and 4K televisions, a portrait
 * kiosk — and the smallest text each must keep: 0.9 of the wall's text, which is 1.04 % of the
 * width and never under 18 px (17.97 px at 1920).
 */
export const WALL_SIZES = [
  { name: '1366', width: 1366, height: 768, minText: 16 },
  { name: '1920', width: 1920, height: 1080, minText: 17.9 },
  { name: '2560', width: 2560, height: 1440, minText: 23.9 },
  { name: '3840', width: 3840, height: 2160, minText: 35.9 },
  { name: 'portrait', width: 1080, height: 1920, minText: 16 },
];

export interface Box {
  what: string;
  x: number;
  y: number;
  w: number;
  h: number;
  cut: boolean;
}

export interface Measured {
  boxes: Box[];
  /** The smallest text shown under `root`, in px, and its words. */
  minText: number;
  minWhat: string;
  scrollW: number;
  scrollH: number;
}

/**
 * The boxes matching `boxes` as the browser lays them out, and the smallest text under `root`.
 * A string, not a function: tsx names the functions it compiles with a helper the page does not
 * have.
 */
function measureScript(root: string, boxes: string): string {
  return `(() => {
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const name = (el) =>
    el.getAttribute('data-testid') ?? el.querySelector('h2, h3')?.textContent?.trim() ?? el.className;
  const boxes = [...document.querySelectorAll(${JSON.stringify(boxes)})]
    .filter(shown)
    .map((el) => {
      const r = el.getBoundingClientRect();
      return {
        what: name(el), x: r.x, y: r.y, w: r.width, h: r.height,
        // Content wider or taller than its box is cut (the boxes do not scroll on a wall).
        cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
      };
    });
  // The smallest text a person reads: every text shown, by the size of its element.
  let minText = Infinity;
  let minWhat = '';
  const walker = document.createTreeWalker(document.querySelector(${JSON.stringify(root)}), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || !shown(el)) continue;
    if (el.closest('.sr-only, [aria-hidden=true]')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minText) { minText = size; minWhat = n.textContent.trim().slice(0, 40); }
  }
  return {
    boxes, minText, minWhat,
    scrollW: document.documentElement.scrollWidth,
    scrollH: document.documentElement.scrollHeight,
  };
})()`;
}

/** Measures the boxes `boxes` and the text under `root` on the page as it is now. */
export async function measure(p: Page, root: string, boxes: string): Promise<Measured> {
  return p.evaluate<Measured>(measureScript(root, boxes));
}

export function overlaps(a: Box, b: Box): boolean {
  const e = 0.5; // sub-pixel rounding
  return a.x + a.w > b.x + e && b.x + b.w > a.x + e && a.y + a.h > b.y + e && b.y + b.h > a.y + e;
}

/**
 * What a person at a wall of `width`×`height` would notice wrong with the measured boxes: the
 * page scrolls, a box leaves the screen, cuts its content or overlaps another. Empty when none.
 */
export function wallProblems(m: Measured, width: number, height: number): string[] {
  const out: string[] = [];
  if (m.scrollW > width || m.scrollH > height)
    out.push(`the page scrolls (${m.scrollW}×${m.scrollH})`);
  for (const b of m.boxes) {
    const inside =
      b.x >= -0.5 && b.y >= -0.5 && b.x + b.w <= width + 0.5 && b.y + b.h <= height + 0.5;
    if (!inside) out.push(`${b.what} leaves the screen ${JSON.stringify(b)}`);
    if (b.cut) out.push(`${b.what} cuts its content ${JSON.stringify(b)}`);
  }
  for (let i = 0; i < m.boxes.length; i++)
    for (let j = i + 1; j < m.boxes.length; j++)
      if (overlaps(m.boxes[i]!, m.boxes[j]!))
        out.push(`${m.boxes[i]!.what} overlaps ${m.boxes[j]!.what}`);
  return out;
}

/**
 * The network between a page and the server: a TCP relay that can be cut (every open connection
 * closed, new ones refused, as when a meeting room's network goes down) and restored.
 */
export function startRelay(target: URL) {
  const open = new Set<Socket>();
  let down = false;
  const server = createServer((inbound) => {
    if (down) return inbound.destroy();
    const outbound = connect(Number(target.port), target.hostname);
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => s.destroy());
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  return new Promise<{ url: string; cut(): void; restore(): void; close(): void }>((done) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      done({
        url: `http://127.0.0.1:${port}`,
        cut() {
          down = true;
          for (const s of open) s.destroy();
        },
        restore() {
          down = false;
        },
        close() {
          for (const s of open) s.destroy();
          server.close();
        },
      });
    });
  });
}

/** A download started by `click`, as bytes, with the name the browser gives it. */
export async function download(p: Page, click: () => Promise<void>) {
  const [dl] = await Promise.all([p.waitForEvent('download'), click()]);
  const path = await dl.path();
  assert.ok(path, 'the download was saved');
  return { name: dl.suggestedFilename(), bytes: new Uint8Array(readFileSync(path)) };
}
