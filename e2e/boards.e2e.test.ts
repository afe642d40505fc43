/**
 * End-to-end (issue 19): boards in the web app, with the real server (first start, demo data)
 * and a real browser. The national administrator builds a board in the builder (a figure tile and
 * a text panel added through the "Thêm ô" dialog, the text panel dragged along the grid), saves
 * it, reloads and finds it as saved; shares it with the leaders of Hồ Chí Minh City through the
 * sharing dialog; the city's leader then finds it shared with him and opens it on his own city.
 * The slideshow of two boards (`?giay=5`) turns from one to the next by itself, and ← / space
 * move and pause it. The board, its builder and its wall are shot at 1366×768, 3840×2160 and on
 * a phone (test-artifacts/boards-*.png); the wall fits those screens without scrolling.
 *
 * Run: npm run build:web && node --import tsx --test e2e/boards.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { pdfPages, pdfText, SKIP_DOCUMENTS } from '../src/test/documents.ts';
import {
  adminApi,
  ARTIFACTS,
  createUsers,
  fillSignIn,
  launchBrowser,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  watchErrors,
  type RunningServer,
} from './harness.ts';

const LEADER = { username: 'lanhdao.bang', password: 'Lanhdao-pw-12345', name: 'Lê Văn Cường' };
const NAME = 'Bảng thử: ca dương tính';
const TEXT = 'Ghi chú cho cuộc họp giao ban';

let srv: RunningServer | undefined;
let browser: Browser | undefined;
let api: APIRequestContext | undefined;
let adminCtx: BrowserContext | undefined;
let admin: Page;
let boardId = 0;
const pageErrors: string[] = [];

interface Saved {
  name: string;
  revision: number;
  panels: { panel: { id: string; kind: string; grid: { x: number; y: number } } }[];
  shares: { kind: string; unit?: string; role?: string; access: string }[];
}

/** A GET through the administrator's second client, again once if an idle connection was reset. */
async function get(path: string) {
  try {
    return await api!.get(srv!.baseUrl + path);
  } catch (e) {
    if (!String(e).includes('ECONNRESET')) throw e;
    return api!.get(srv!.baseUrl + path);
  }
}

async function read(id: number): Promise<Saved> {
  const r = await get(`/api/boards/${id}`);
  assert.equal(r.status(), 200, await r.text());
  return (await r.json()) as Saved;
}

async function signedIn(
  ctx: BrowserContext,
  path: string,
  user: string,
  password: string,
): Promise<Page> {
  const p = await ctx.newPage();
  watchErrors(p, pageErrors);
  await p.goto(srv!.baseUrl + path);
  await fillSignIn(p, user, password);
  return p;
}

async function newContext(width: number, height: number): Promise<BrowserContext> {
  const phone = width < 500;
  const ctx = await browser!.newContext({
    viewport: { width, height },
    locale: 'vi-VN',
    ...(phone ? { isMobile: true, hasTouch: true } : {}),
  });
  ctx.setDefaultTimeout(UI_TIMEOUT_MS);
  return ctx;
}

/** Whether the page scrolls, as the browser lays it out. */
const SCROLL = `({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight })`;

describe('Boards — build, share, view, wall and slideshow in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      browser = await launchBrowser();
      ({ api } = await adminApi(srv));
      await createUsers(browser, srv, [{ ...LEADER, role: 'leader', unit: '79' }]);
      adminCtx = await newContext(1366, 768);
      admin = await signedIn(adminCtx, '/bang/', 'admin', srv.adminPassword);
      await admin.getByRole('heading', { name: 'Bảng số liệu', level: 1 }).waitFor();
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await adminCtx?.close().catch(() => {});
    await api?.dispose().catch(() => {});
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('the main menu leads to the boards, with the unit’s default board', async () => {
    await admin.goto(srv!.baseUrl + '/');
    await admin.getByRole('navigation').getByRole('link', { name: 'Bảng', exact: true }).click();
    await admin.getByRole('heading', { name: 'Bảng số liệu', level: 1 }).waitFor();
    await admin.getByTestId('boards-default').getByText('Tổng quan').waitFor();
    assert.equal(await admin.title(), 'Bảng số liệu — Opsroom');
  });

  it('builds a board: a tile and a text panel, one dragged, saved, and still so after a reload', async () => {
    await admin.getByRole('link', { name: '+ Tạo bảng mới' }).click();
    await admin.getByTestId('board-builder').waitFor();
    await admin.getByLabel('Tên bảng').fill(NAME);

    // A tile of positive cases.
    await admin.getByRole('button', { name: '+ Thêm ô' }).click();
    let dialog = admin.getByTestId('panel-editor');
    await dialog.getByLabel('Tìm chỉ tiêu').fill('POSITIVE_CASES');
    await dialog.locator('.board-figure-list input[type=checkbox]').first().check();
    await shot(admin, 'boards-panel-editor-1366.png', false);
    await dialog.getByRole('button', { name: 'Xong' }).click();
    await dialog.waitFor({ state: 'detached' });

    // A text panel, its kind chosen in the same dialog; "Xong" without text is refused.
    await admin.getByRole('button', { name: '+ Thêm ô' }).click();
    dialog = admin.getByTestId('panel-editor');
    await dialog.getByLabel('Loại ô').selectOption('text');
    await dialog.getByRole('button', { name: 'Xong' }).click();
    await dialog.getByText('Nhập nội dung.').waitFor();
    await dialog.getByLabel('Nội dung').fill(TEXT);
    await dialog.getByRole('button', { name: 'Xong' }).click();
    await dialog.waitFor({ state: 'detached' });
    await admin.getByTestId('panel-tile-1').getByTestId('panel-time').waitFor();
    await shot(admin, 'boards-builder-1366.png');

    // The text panel (placed after the tile: columns 3 to 6) dragged by its bar, 3 columns right.
    const handle = admin.getByTestId('cell-text-1').locator('.board-cell-handle');
    const box = (await handle.boundingBox())!;
    const grid = (await admin.getByTestId('board-edit-grid').boundingBox())!;
    const column = (grid.width + 12) / 12;
    await admin.mouse.move(box.x + 20, box.y + box.height / 2);
    await admin.mouse.down();
    for (let i = 1; i <= 10; i++)
      await admin.mouse.move(box.x + 20 + (column * 3 * i) / 10, box.y + box.height / 2);
    await admin.mouse.up();

    await admin.getByTestId('board-save').click();
    await admin.getByTestId('board-view').waitFor();
    const m = /\/bang\/(\d+)$/.exec(new URL(admin.url()).pathname);
    assert.ok(m, `a saved board opens at its address: ${admin.url()}`);
    boardId = Number(m[1]);
    await admin.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    assert.equal(await admin.title(), `${NAME} — Opsroom`);

    await admin.reload();
    await admin.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await admin.getByTestId('panel-tile-1').waitFor();
    await admin.getByTestId('panel-text-1').getByText(TEXT).waitFor();
    const saved = await read(boardId);
    const text = saved.panels.find((p) => p.panel.id === 'text-1')!.panel;
    const tile = saved.panels.find((p) => p.panel.id === 'tile-1')!.panel;
    assert.equal(tile.kind, 'tile');
    assert.deepEqual({ x: tile.grid.x, y: tile.grid.y }, { x: 0, y: 0 });
    assert.equal(text.grid.x, 6, 'the text panel was dragged from column 3 to column 6');
    await shot(admin, 'boards-view-1366.png');
  });

  it(
    'prints the board on A4 landscape: its panels, none of the navigation or buttons',
    { skip: SKIP_DOCUMENTS },
    async () => {
      await admin.emulateMedia({ media: 'print' });
      const pdf = new Uint8Array(await admin.pdf({ format: 'A4', landscape: true }));
      await admin.emulateMedia({ media: 'screen' });
      await pdfPages(pdf, ARTIFACTS, 'boards-print');
      const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
      assert.ok(text.includes(NAME), 'the board’s name is printed');
      // Side by side, the panels' lines interleave in the PDF's text: the text panel's first words.
      assert.ok(text.includes('Ghi chú cho cuộc'), 'the text panel is printed');
      assert.ok(text.includes('Số ca dương tính'), 'the tile is printed');
      for (const gone of ['Chia sẻ', 'Sửa bảng', 'Giao ban', 'Đăng xuất'])
        assert.ok(!text.includes(gone), `“${gone}” is not printed`);
    },
  );

  it('shares the board with the leaders of Hồ Chí Minh City', async () => {
    await admin.getByRole('button', { name: 'Chia sẻ' }).click();
    const dialog = admin.getByTestId('share-dialog');
    await dialog.getByText('Chưa chia sẻ với ai.').waitFor();
    await dialog.getByLabel('Chia sẻ với').selectOption('role');
    await dialog.getByLabel('Mã đơn vị').fill('79');
    await dialog.getByLabel('Vai trò').selectOption('leader');
    await dialog.getByLabel('Quyền').selectOption('read');
    await dialog.getByRole('button', { name: 'Thêm vào danh sách' }).click();
    await dialog.getByTestId('share-list').getByText('Lãnh đạo ở đơn vị 79').waitFor();
    // A unit that does not exist: the server says so, and nothing is saved.
    await dialog.getByLabel('Chia sẻ với').selectOption('unit');
    await dialog.getByLabel('Mã đơn vị').fill('KHONG_CO');
    await dialog.getByRole('button', { name: 'Thêm vào danh sách' }).click();
    await dialog.getByRole('button', { name: 'Lưu chia sẻ' }).click();
    await dialog.getByTestId('share-error').getByText('KHONG_CO').waitFor();
    assert.equal((await read(boardId)).shares.length, 0);
    await dialog.getByRole('button', { name: 'Bỏ Đơn vị KHONG_CO' }).click();
    await dialog.getByRole('button', { name: 'Lưu chia sẻ' }).click();
    await dialog.getByText('Đã lưu chia sẻ.').waitFor();
    await dialog.getByRole('button', { name: 'Đóng' }).first().click();
    const shares = (await read(boardId)).shares;
    assert.deepEqual(
      shares.map((s) => [s.kind, s.unit, s.role, s.access]),
      [['role', '79', 'leader', 'read']],
    );
  });

  it('the city’s leader finds the board shared with him and opens it on his own city', async () => {
    const ctx = await newContext(1366, 768);
    try {
      const p = await signedIn(ctx, '/bang/', LEADER.username, LEADER.password);
      const shared = p.getByTestId('boards-shared');
      await shared.getByRole('link', { name: new RegExp(NAME) }).click();
      await p.getByRole('heading', { name: NAME, level: 1 }).waitFor();
      const unit = p.getByLabel('Đơn vị', { exact: true });
      assert.match(await unit.locator('option:checked').innerText(), /Hồ Chí Minh/);
      await p.getByTestId('panel-text-1').getByText(TEXT).waitFor();
      // The tile counts his city's cases: the board's unit is the viewer's own.
      await p
        .getByTestId('panel-tile-1')
        .getByText(/Hồ Chí Minh/)
        .first()
        .waitFor();
      // Shared to read: no edit, share or delete.
      assert.equal(await p.getByRole('button', { name: 'Sửa bảng' }).count(), 0);
      assert.equal(await p.getByRole('button', { name: 'Xóa bảng' }).count(), 0);
    } finally {
      await ctx.close();
    }
  });

  it('the slideshow turns from one board to the next, and the keys move and pause it', async () => {
    const list = await get('/api/boards');
    const items = ((await list.json()) as { items: { id: number; name: string }[] }).items;
    const other = items.find((b) => b.id !== boardId)!;
    assert.ok(other, 'the shipped board is in the list');
    await admin.goto(`${srv!.baseUrl}/trinh-chieu/?bang=${boardId},${other.id}&giay=5`);
    await admin.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await admin.getByTestId('playlist-now').getByText('Bảng 1/2').waitFor();
    // Five seconds later, by itself.
    await admin.getByRole('heading', { name: other.name, level: 1 }).waitFor();
    await admin.getByTestId('playlist-now').getByText('Bảng 2/2').waitFor();
    await admin.keyboard.press('ArrowLeft');
    await admin.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    await admin.keyboard.press(' ');
    await admin.getByRole('button', { name: 'Tiếp tục trình chiếu' }).waitFor();
    await admin.getByRole('progressbar', { name: 'Thời gian còn lại của bảng này' }).waitFor();
  });

  for (const size of [
    { name: '1366', width: 1366, height: 768 },
    { name: '3840', width: 3840, height: 2160 },
    { name: 'phone', width: 390, height: 844 },
  ])
    it(`shows the board, its builder and its wall at ${size.width}×${size.height}`, async () => {
      const ctx = await newContext(size.width, size.height);
      try {
        const p = await signedIn(ctx, `/bang/${boardId}`, 'admin', srv!.adminPassword);
        await p.getByRole('heading', { name: NAME, level: 1 }).waitFor();
        await p.getByTestId('panel-tile-1').getByTestId('panel-time').waitFor();
        await shot(p, `boards-view-${size.name}.png`);
        await p.goto(`${srv!.baseUrl}/bang/${boardId}?sua=1`);
        await p.getByTestId('board-builder').waitFor();
        await p.getByTestId('cell-tile-1').getByTestId('panel-time').waitFor();
        await shot(p, `boards-builder-${size.name}.png`);
        await p.goto(`${srv!.baseUrl}/bang/${boardId}?wall=1`);
        await p.getByTestId('board-wall').getByTestId('panel-text-1').waitFor();
        await p.getByTestId('panel-tile-1').getByTestId('panel-time').waitFor();
        await p.getByTestId('live').getByText('Trực tiếp').waitFor();
        await shot(p, `boards-wall-${size.name}.png`, false);
        if (size.name !== 'phone') {
          const s = await p.evaluate<{ w: number; h: number }>(SCROLL);
          assert.ok(
            s.w <= size.width && s.h <= size.height,
            `the wall does not scroll at ${size.name} (${s.w}×${s.h})`,
          );
        }
      } finally {
        await ctx.close();
      }
    });

  it('left no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
