/**
 * End-to-end (issue 19): the room's panels leave the screen. With the real server (first start,
 * demo data) and a real browser: the map panel's "Tải xuống" menu, used with the keyboard and
 * the mouse, gives an XLSX that LibreOffice reads back with the map's figures and Vietnamese
 * names, and a PNG of the map; the tiles' CSV has the tiles' figures; the room printed to PDF
 * (A4 landscape) has the tiles' figures and diacritics and none of the navigation or menus, and
 * each page is rendered to PNG to look at; the menu at 1366 px and on a 390 px phone, none on the
 * wall. Screenshots and pages land in test-artifacts/room-export-*.png.
 *
 * Run: node --import tsx --test e2e/room-export.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { formatValue } from '../web/src/shared/format.ts';
import { resolvePeriod, vnToday } from '../web/src/features/room/state.ts';
import {
  csvRows,
  libreOfficeConvert,
  pdfPageCount,
  pdfPages,
  pdfText,
  SKIP_DOCUMENTS,
} from '../src/test/documents.ts';
import {
  adminApi,
  ARTIFACTS,
  fillSignIn,
  launchBrowser,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  watchErrors,
  type RunningServer,
} from './harness.ts';
import { download } from './screen.ts';

let srv: RunningServer | undefined;
let browser: Browser | undefined;
let api: APIRequestContext | undefined;
let page: Page;
const pageErrors: string[] = [];

const mapMenu = (p: Page) => p.locator('.ov-map').getByTestId('panel-menu');

async function signedInRoom(width: number, height: number): Promise<Page> {
  const context = await browser!.newContext({
    viewport: { width, height },
    locale: 'vi-VN',
    acceptDownloads: true,
    ...(width < 500 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const p = await context.newPage();
  watchErrors(p, pageErrors);
  await p.goto(srv!.baseUrl + '/');
  await fillSignIn(p, 'admin', srv!.adminPassword);
  await p.getByRole('heading', { name: 'Tổng quan điều hành', level: 1 }).waitFor();
  await p.goto(srv!.baseUrl + '/?m=POSITIVE_CASES');
  await p.locator('[data-testid=map][data-total]').waitFor();
  return p;
}

describe('Tải xuống: the room’s panels as files, and printed', { skip: SKIP_DOCUMENTS }, () => {
  const period = resolvePeriod('7d', vnToday());
  let positives = 0;

  before(
    async () => {
      srv = await startServer();
      browser = await launchBrowser();
      ({ api } = await adminApi(srv));
      const r = await api.get(
        `${srv.baseUrl}/api/analytics/query?dx=POSITIVE_CASES&pe=${encodeURIComponent(period.id)}&ou=VN`,
      );
      assert.equal(r.status(), 200, await r.text());
      positives = ((await r.json()) as { items: { value: number }[] }).items[0]!.value;
      assert.ok(positives > 0, 'the demo has positive cases in the last 7 days');
      page = await signedInRoom(1366, 900);
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await api?.dispose().catch(() => {});
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('opens and closes the map’s menu with the keyboard', async () => {
    const summary = mapMenu(page).locator('summary');
    assert.equal(await summary.getAttribute('aria-label'), 'Tải xuống: Bản đồ: Số ca dương tính');
    await summary.focus();
    await page.keyboard.press('Enter');
    const xlsx = mapMenu(page).getByRole('link', { name: 'Bảng tính (XLSX)' });
    await xlsx.waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Số liệu (CSV)');
    await page.keyboard.press('Escape');
    await xlsx.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SUMMARY');
    await summary.click();
    await xlsx.waitFor();
    await shot(page, 'room-export-menu-1366.png', false);
    await summary.click();
  });

  it('downloads the map’s XLSX: the map’s figures, read back by LibreOffice', async () => {
    const map = page.locator('[data-testid=map][data-total]');
    const total = Number(await map.getAttribute('data-total'));
    const drawn = Number(await map.getAttribute('data-drawn'));
    await mapMenu(page).locator('summary').click();
    const file = await download(page, () =>
      mapMenu(page).getByRole('link', { name: 'Bảng tính (XLSX)' }).click(),
    );
    assert.match(file.name, /^ban-do-so-ca-duong-tinh-[0-9_-]+\.xlsx$/);
    const csv = await libreOfficeConvert(
      file.bytes,
      'map.xlsx',
      'csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false',
    );
    const rows = csvRows([...csv.values()][0]!.toString('utf8'), ';');
    assert.match(rows[0]![0]!, /^Chỉ tiêu: Số ca dương tính/);
    assert.match(rows[2]![0]!, /^Đơn vị: /);
    const head = rows.findIndex((r) => r[0] === 'Chỉ tiêu');
    assert.deepEqual(rows[head]!.slice(0, 4), ['Chỉ tiêu', 'Kỳ', 'Đơn vị', 'Giá trị']);
    const cells = rows.slice(head + 1).filter((r) => r[0]);
    assert.equal(cells.length, drawn, 'a row for each unit the map colours');
    const sum = cells.reduce((s, r) => s + Number(r[3]!.replace(',', '.')), 0);
    assert.ok(Math.abs(sum - total) < 1e-6 * Math.max(1, total), `${sum} = ${total}`);
    assert.ok(
      cells.some((r) => /Hà Nội/.test(r[2]!)),
      `units by their Vietnamese names: ${cells.map((r) => r[2]).join(', ')}`,
    );
  });

  it('downloads the map as a PNG twice its size on screen', async () => {
    const box = await page.locator('[data-testid=map]').boundingBox();
    await mapMenu(page).locator('summary').click();
    const file = await download(page, () =>
      mapMenu(page).getByRole('button', { name: 'Ảnh (PNG)' }).click(),
    );
    assert.match(file.name, /^ban-do-so-ca-duong-tinh-[0-9_-]+\.png$/);
    assert.deepEqual([...file.bytes.slice(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    const view = new DataView(file.bytes.buffer, file.bytes.byteOffset);
    const [w, h] = [view.getUint32(16), view.getUint32(20)];
    assert.ok(Math.abs(w - 2 * box!.width) <= 4 && Math.abs(h - 2 * box!.height) <= 4, `${w}×${h}`);
    assert.ok(file.bytes.length > 20_000, `a map, not a blank image: ${file.bytes.length} bytes`);
  });

  it('downloads the tiles’ CSV with the tiles’ figures', async () => {
    await page.locator('.tiles-bar summary').click();
    const file = await download(page, () =>
      page.locator('.tiles-bar').getByRole('link', { name: 'Số liệu (CSV)' }).click(),
    );
    assert.match(file.name, /^so-lieu-chinh-[0-9_-]+\.csv$/);
    const rows = csvRows(new TextDecoder().decode(file.bytes), ',');
    assert.deepEqual(rows[0]!.slice(0, 4), ['Chỉ tiêu', 'Kỳ', 'Đơn vị', 'Giá trị']);
    const row = rows.find((r) => r[0] === 'Số ca dương tính');
    assert.ok(row, rows.map((r) => r[0]).join(', '));
    assert.equal(Number(row[3]), positives);
    assert.equal(row[2], 'Việt Nam');
    assert.ok(rows[0]!.includes('So với cùng kỳ (%)'), 'the comparisons the tiles show');
  });

  it('prints the room on A4 landscape: figures and diacritics, no navigation or menus', async () => {
    const nav = (await page.locator('.topnav').innerText())
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s && s !== 'Tổng quan');
    assert.ok(nav.length >= 3, nav.join(', '));
    await page.emulateMedia({ media: 'print' });
    const pdf = new Uint8Array(await page.pdf({ format: 'A4', landscape: true }));
    await page.emulateMedia({ media: 'screen' });
    await pdfPages(pdf, ARTIFACTS, 'room-export-print');
    const pages = await pdfPageCount(pdf);
    assert.ok(pages >= 2 && pages <= 6, `${pages} pages`);
    const raw = await pdfText(pdf);
    // pdftotext ends each page with a form feed: no page is left blank.
    const blank = raw
      .split('\f')
      .slice(0, pages)
      .map((t, i) => (t.trim() ? 0 : i + 1))
      .filter(Boolean);
    assert.deepEqual(blank, [], 'blank pages');
    const text = raw.replace(/\s+/g, ' ');
    assert.match(text, /Tổng quan điều hành/);
    assert.match(text, /Số ca dương tính/);
    assert.match(text, /Xếp hạng: Số ca dương tính/);
    const figure = formatValue('vi', positives, 'ca');
    assert.ok(text.includes(figure), `the tile's figure ${figure} in the PDF`);
    for (const word of [...nav, 'Tải xuống', 'Màn hình lớn', 'Xem trên bản đồ'])
      assert.ok(!text.includes(word), `no "${word}" on paper`);
  });

  it('shows the menu on a phone and none on the wall', async () => {
    const phone = await signedInRoom(390, 844);
    await mapMenu(phone).scrollIntoViewIfNeeded();
    await mapMenu(phone).locator('summary').tap();
    const xlsx = mapMenu(phone).getByRole('link', { name: 'Bảng tính (XLSX)' });
    await xlsx.waitFor();
    const box = await xlsx.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `inside the screen: ${box?.x}`);
    assert.ok(box.height >= 40, 'a finger’s height');
    await shot(phone, 'room-export-menu-390.png', false);
    await page.goto(srv!.baseUrl + '/?m=POSITIVE_CASES&wall=1');
    await page.locator('[data-wall="1"] [data-testid=map][data-total]').waitFor();
    assert.equal(await page.getByTestId('panel-menu').count(), 0);
    assert.deepEqual(pageErrors, []);
  });
});
