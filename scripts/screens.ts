/**
 * Screenshots of every screen of the web app at four sizes, for comparing the screens before and
 * after a change of the web app (scripts/screens-compare.ts compares two such directories).
 *
 *   node --import tsx scripts/screens.ts --out DIR
 *       starts the server of this checkout as e2e/harness.ts does (`opsroom serve`, a new
 *       temporary data directory, the embedded database, the real units and the demo data; the
 *       web app is built first if web/dist is missing), and stops it by its pid at the end
 *   node --import tsx scripts/screens.ts --out DIR --root /path/to/other/checkout
 *       the same with another checkout's server and web/dist (e.g. a git worktree of the commit
 *       before the change; it must have node_modules and its own e2e/harness.ts)
 *   node --import tsx scripts/screens.ts --out DIR --base-url http://127.0.0.1:3000 --password PW
 *       a server already running with the demo data (PW: admin's password, or
 *       OPSROOM_ADMIN_PASSWORD)
 *   --only overview,wall   only the screens whose names are listed
 *
 * Writes DIR/NN-screen-WIDTH.png (full page) for widths 390 (phone: 390×844, touch), 1366 (×768),
 * 1920 (×1080) and 3840 (×2160), all at device scale factor 1, signed in as admin, in Vietnamese.
 *
 * So that two runs of one build give the same pixels:
 * - the browser's clock starts at 09:00 (Viet Nam) of today and runs from there (Playwright's
 *   clock), so the periods the app asks for, "today" and the wall clock are the same in every run;
 * - the demo data is generated for the days before the server's today: take both sets of
 *   screenshots on the same day (Viet Nam time) — the figures change from one day to the next;
 * - masked, as text replaced just before each screenshot: every clock time hh:mm in the page
 *   (times of server records created by this script or at the server's first start: the
 *   directive's issue time, "updated" marks, alert times, history) becomes 00:00;
 * - the wall screen's panel rotation is paused (its button reads "Tiếp tục chuyển bảng") and the
 *   first panel chosen;
 * - CSS animations and transitions are finished and the text caret hidden (Playwright's
 *   screenshot options), and the screenshot is taken only once two consecutive captures are
 *   identical (charts have finished their animations).
 * A page is settled when no request other than the live stream (/api/live) is in flight for
 * 500 ms, no spinner, `aria-busy=true` or pending sector figure is shown, the fonts are loaded,
 * the live mark says it is connected where there is one, and the screen's own sign is there (the
 * map drawn with its values — `[data-testid=map][data-total]` — a heading, a chart canvas), as the
 * e2e tests wait.
 *
 * Data the script adds through the API (once; reused when it finds it): one directive from admin
 * to the 168 wards and communes of Thành phố Hồ Chí Minh (2025 tree), due in 7 days; its board
 * and the task of Phường Sài Gòn are screens. For the `carried` screen (the room on January 2024
 * asked on the 2025 tree, its figures carried from the 2022 tree), the values of
 * e2e/carried-values.ts on the 2022 tree (posting them again writes the same values).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { CARRIED_ROOM, postCarriedValues } from '../e2e/carried-values.ts';
import { launchBrowser, ROOT, vnDay, type RunningServer } from '../e2e/harness.ts';

const SIZES = [
  { width: 390, height: 844, phone: true },
  { width: 1366, height: 768, phone: false },
  { width: 1920, height: 1080, phone: false },
  { width: 3840, height: 2160, phone: false },
] as const;

const WAIT_MS = 60_000;
const DIRECTIVE_TITLE = 'Ảnh màn hình: tuyên truyền phòng, chống lừa đảo qua mạng';
const WARD = '26740'; // Phường Sài Gòn, 2025 tree

interface Screen {
  name: string;
  path: string;
  signedIn: boolean;
  /** Waits for the screen's own sign that it has drawn. */
  ready(p: Page): Promise<void>;
  /** Run once it is ready, before the last settle (e.g. stop the wall's rotation). */
  prepare?(p: Page): Promise<void>;
  /**
   * Reads values the script posts (e2e/carried-values.ts): shot after every other screen, and
   * the values posted just before, so that the other screens are the same with or without it.
   */
  posts?: boolean;
}

const heading = (name: string) => (p: Page) =>
  p.getByRole('heading', { name, level: 1 }).first().waitFor();

function screens(directiveId: number, taskId: number): Screen[] {
  const overviewReady = async (p: Page) => {
    await p.getByTestId('tile-value-POSITIVE_CASES').getByText(/\d/).first().waitFor();
    const attached = { state: 'attached' } as const;
    await p.locator('[data-testid=map][data-map^="2025|VN|1|"][data-total]').waitFor(attached);
    await p.getByTestId('trend').locator('canvas').first().waitFor(attached);
    await p.getByTestId('live').getByText('Trực tiếp').waitFor(attached);
  };
  return [
    {
      name: 'signin',
      path: '/',
      signedIn: false,
      ready: (p) => p.getByRole('heading', { name: 'Đăng nhập' }).waitFor(),
    },
    { name: 'overview', path: '/', signedIn: true, ready: overviewReady },
    {
      name: 'wall',
      path: '/?wall=1',
      signedIn: true,
      ready: overviewReady,
      async prepare(p) {
        await p.getByRole('button', { name: 'Tạm dừng chuyển bảng' }).click();
        await p.getByRole('button', { name: 'Bảng 1/3' }).click();
      },
    },
    {
      name: 'sector',
      path: '/linh-vuc/an-toan-thong-tin?thang=2022-01',
      signedIn: true,
      ready: (p) =>
        p.getByTestId('sector-title').filter({ hasText: 'An toàn thông tin' }).waitFor(),
    },
    {
      name: 'directives',
      path: '/chi-dao',
      signedIn: true,
      async ready(p) {
        await heading('Chỉ đạo, nhiệm vụ')(p);
        await p.getByText(DIRECTIVE_TITLE).first().waitFor();
      },
    },
    {
      name: 'board',
      path: `/chi-dao/${directiveId}`,
      signedIn: true,
      async ready(p) {
        await p.getByTestId('board').waitFor();
        await heading(DIRECTIVE_TITLE)(p);
        await p.locator('.dir-chart canvas').first().waitFor();
      },
    },
    {
      name: 'task',
      path: `/chi-dao/viec/${taskId}`,
      signedIn: true,
      ready: heading(DIRECTIVE_TITLE),
    },
    { name: 'plans', path: '/ke-hoach', signedIn: true, ready: heading('Kế hoạch công tác tuần') },
    {
      name: 'followup',
      path: '/theo-doi',
      signedIn: true,
      ready: heading('Theo dõi của Văn phòng'),
    },
    {
      name: 'units',
      path: '/don-vi',
      signedIn: true,
      async ready(p) {
        await heading('Đơn vị hành chính')(p);
        await p.getByTestId('totals').getByText(/\d/).first().waitFor();
      },
    },
    { name: 'data-entry', path: '/nhap-lieu', signedIn: true, ready: heading('Nhập số liệu') },
    // Added after the eleven above so that their file numbers stay those of earlier sets.
    {
      name: 'issue-form',
      path: '/chi-dao/moi',
      signedIn: true,
      async ready(p) {
        await p.getByTestId('issue-form').waitFor();
        await p.locator('#d-title').waitFor();
      },
    },
    {
      name: 'assign-form',
      path: '/chi-dao/giao-viec',
      signedIn: true,
      ready: (p) => p.getByTestId('assign-form').waitFor(),
    },
    {
      name: 'carried',
      path: `${CARRIED_ROOM}&v=2025`,
      signedIn: true,
      posts: true,
      async ready(p) {
        const attached = { state: 'attached' } as const;
        await p.getByTestId('carried-mark').first().waitFor(attached);
        await p.locator('[data-testid=map][data-map^="2025|VN|1|"][data-total]').waitFor(attached);
        await p.getByTestId('trend').locator('canvas').first().waitFor(attached);
        await p.getByTestId('live').getByText('Trực tiếp').waitFor(attached);
      },
    },
    // Boards (issue 19): the list, and the unit's default board (the shipped one) read and on
    // the wall.
    {
      name: 'boards',
      path: '/bang/',
      signedIn: true,
      async ready(p) {
        await heading('Bảng số liệu')(p);
        await p.getByTestId('boards-default').getByText('Tổng quan').waitFor();
      },
    },
    { name: 'board-view', path: '/bang/mac-dinh', signedIn: true, ready: boardReady },
    { name: 'board-wall', path: '/bang/mac-dinh?wall=1', signedIn: true, ready: boardReady },
  ];
}

/** A board has drawn: its tiles' figures read, its map drawn with its values. */
async function boardReady(p: Page): Promise<void> {
  await p.getByRole('heading', { name: 'Tổng quan', level: 1 }).waitFor();
  await p.getByTestId('panel-tile-positive_cases').getByTestId('panel-time').waitFor();
  await p.locator('[data-testid=map][data-total]').first().waitFor({ state: 'attached' });
}

/** Every hh:mm in the page's text becomes 00:00 (see the header). */
const MASK_TIMES = `(() => {
  const re = /\\b([01]\\d|2[0-3]):[0-5]\\d\\b/g;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const hits = [];
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if (re.test(n.data)) hits.push(n);
  for (const n of hits) n.data = n.data.replace(re, '00:00');
  return hits.length;
})()`;

/** Counts requests in flight, the live stream left out (it stays open). */
const TRACK_REQUESTS = `(() => {
  const t = (window.__inflight = { n: 0, last: performance.now() });
  const live = (u) => String(u).includes('/api/live');
  const done = () => { t.n--; t.last = performance.now(); };
  const f = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (live(url)) return f.call(this, input, init);
    t.n++; t.last = performance.now();
    return f.call(this, input, init).finally(done);
  };
})();`;

interface Args {
  out: string;
  baseUrl?: string;
  password?: string;
  root: string;
  only?: string[];
}

function args(): Args {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'base-url': { type: 'string' },
      password: { type: 'string' },
      root: { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (!values.out) {
    console.error(
      'usage: node --import tsx scripts/screens.ts --out DIR [--base-url URL --password PW] [--root CHECKOUT] [--only a,b]',
    );
    process.exit(2);
  }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(process.cwd(), p));
  return {
    out: abs(values.out),
    baseUrl: values['base-url']?.replace(/\/$/, ''),
    password: values.password ?? process.env.OPSROOM_ADMIN_PASSWORD,
    root: values.root ? abs(values.root) : ROOT,
    only: values.only?.split(',').map((s) => s.trim()),
  };
}

/** Starts the server of `root` with that checkout's own harness (its server, its web/dist). */
async function startServerOf(root: string): Promise<RunningServer> {
  const harness = (await import(pathToFileURL(join(root, 'e2e/harness.ts')).href)) as {
    startServer(): Promise<RunningServer>;
  };
  return harness.startServer();
}

async function signIn(req: APIRequestContext, baseUrl: string, password: string): Promise<string> {
  const r = await req.post(baseUrl + '/api/auth/login', {
    data: { username: 'admin', password },
  });
  if (r.status() !== 200) throw new Error(`sign-in failed: ${r.status()} ${await r.text()}`);
  return ((await r.json()) as { csrfToken: string }).csrfToken;
}

/** The directive and the ward's task the screens show: found, or issued once. */
async function directiveData(
  browser: Browser,
  baseUrl: string,
  password: string,
): Promise<{ directiveId: number; taskId: number }> {
  const ctx = await browser.newContext();
  try {
    const csrf = await signIn(ctx.request, baseUrl, password);
    const listed = await ctx.request.get(baseUrl + '/api/directives');
    if (!listed.ok()) throw new Error(`GET /api/directives: ${listed.status()}`);
    const items = ((await listed.json()) as { items: { id: number; title: string }[] }).items;
    let id = items.find((d) => d.title === DIRECTIVE_TITLE)?.id;
    if (id === undefined) {
      const r = await ctx.request.post(baseUrl + '/api/directives', {
        headers: { 'X-CSRF-Token': csrf },
        data: {
          title: DIRECTIVE_TITLE,
          body: 'Các phường, xã tổ chức tuyên truyền tới từng hộ dân về các thủ đoạn lừa đảo qua mạng; báo cáo kết quả trước hạn.',
          priority: 'urgent',
          dueDate: vnDay(7),
          target: { kind: 'level', version: '2025', unit: '79', level: 2 },
        },
      });
      if (r.status() !== 201) throw new Error(`issue failed: ${r.status()} ${await r.text()}`);
      id = ((await r.json()) as { directive: { id: number } }).directive.id;
    }
    const inbox = await ctx.request.get(`${baseUrl}/api/inbox?limit=1000`);
    if (!inbox.ok()) throw new Error(`inbox: ${inbox.status()} ${await inbox.text()}`);
    const { items: tasks } = (await inbox.json()) as {
      items: { id: number; directiveId: number | null; unit: { code: string } }[];
    };
    const ours = tasks.filter((t) => t.directiveId === id);
    const task = ours.find((t) => t.unit.code === WARD) ?? ours[0];
    if (!task) throw new Error(`the inbox lists no task of directive ${id}`);
    return { directiveId: id, taskId: task.id };
  } finally {
    await ctx.close();
  }
}

/** The values before the reform that the `carried` screen reads on the 2025 tree. */
async function carriedData(browser: Browser, baseUrl: string, password: string): Promise<void> {
  const ctx = await browser.newContext();
  try {
    await postCarriedValues(ctx.request, baseUrl, await signIn(ctx.request, baseUrl, password));
  } finally {
    await ctx.close();
  }
}

/** 09:00 today in Viet Nam. */
function pinnedTime(): Date {
  return new Date(`${vnDay(0)}T09:00:00+07:00`);
}

async function settle(p: Page): Promise<void> {
  await p.waitForFunction(
    () => {
      const w = window as unknown as { __inflight?: { n: number; last: number } };
      const t = w.__inflight;
      if (!t || t.n > 0 || performance.now() - t.last < 500) return false;
      if (document.querySelector('.spinner, [aria-busy=true], .sector-pending')) return false;
      return document.fonts.status === 'loaded';
    },
    undefined,
    { timeout: WAIT_MS, polling: 100 },
  );
}

/** A full-page capture once two consecutive captures agree. */
async function stableShot(p: Page, path: string): Promise<boolean> {
  const opts = { fullPage: true, animations: 'disabled', caret: 'hide' } as const;
  await p.evaluate(MASK_TIMES);
  let prev = await p.screenshot(opts);
  for (let i = 0; i < 30; i++) {
    await p.waitForTimeout(300);
    await p.evaluate(MASK_TIMES);
    const next = await p.screenshot(opts);
    if (next.equals(prev)) {
      writeFileSync(path, next);
      return true;
    }
    prev = next;
  }
  writeFileSync(path, prev);
  return false;
}

async function newContext(
  browser: Browser,
  size: (typeof SIZES)[number],
  baseUrl: string,
  password: string | undefined,
): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: { width: size.width, height: size.height },
    deviceScaleFactor: 1,
    isMobile: size.phone,
    hasTouch: size.phone,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  ctx.setDefaultTimeout(WAIT_MS);
  await ctx.clock.install({ time: pinnedTime() });
  await ctx.addInitScript(TRACK_REQUESTS);
  if (password !== undefined) await signIn(ctx.request, baseUrl, password);
  return ctx;
}

/** Every screen of `list` at every size, into `out`; the files still changing go to `unsettled`. */
async function shootAll(
  browser: Browser,
  baseUrl: string,
  password: string,
  out: string,
  unsettled: string[],
  list: (Screen & { n: string })[],
): Promise<void> {
  for (const size of SIZES) {
    const signedIn = await newContext(browser, size, baseUrl, password);
    const signedOut = await newContext(browser, size, baseUrl, undefined);
    try {
      for (const s of list) {
        const file = `${s.n}-${s.name}-${size.width}.png`;
        const page = await (s.signedIn ? signedIn : signedOut).newPage();
        try {
          await page.goto(baseUrl + s.path);
          await s.ready(page);
          await settle(page);
          if (s.prepare) {
            await s.prepare(page);
            await settle(page);
          }
          await page.evaluate(() => document.fonts.ready.then(() => undefined));
          const stable = await stableShot(page, join(out, file));
          if (!stable) unsettled.push(file);
          console.log(`${file}${stable ? '' : ' (still changing after 30 captures)'}`);
        } finally {
          await page.close();
        }
      }
    } finally {
      await signedIn.close();
      await signedOut.close();
    }
  }
}

async function main() {
  const a = args();
  mkdirSync(a.out, { recursive: true });
  let srv: RunningServer | undefined;
  let baseUrl = a.baseUrl;
  let password = a.password;
  if (!baseUrl) {
    console.error(`starting the server of ${a.root} (first start: units and demo data)…`);
    srv = await startServerOf(a.root);
    baseUrl = srv.baseUrl;
    password = srv.adminPassword;
  }
  if (!password)
    throw new Error('--password (or OPSROOM_ADMIN_PASSWORD) is needed with --base-url');
  const browser = await launchBrowser();
  const unsettled: string[] = [];
  try {
    const { directiveId, taskId } = await directiveData(browser, baseUrl, password);
    const list = screens(directiveId, taskId)
      .map((s, i) => ({ ...s, n: String(i + 1).padStart(2, '0') }))
      .filter((s) => !a.only || a.only.includes(s.name));
    await shootAll(
      browser,
      baseUrl,
      password,
      a.out,
      unsettled,
      list.filter((s) => !s.posts),
    );
    const posting = list.filter((s) => s.posts);
    if (posting.length) {
      await carriedData(browser, baseUrl, password);
      await shootAll(browser, baseUrl, password, a.out, unsettled, posting);
    }
  } finally {
    await browser.close().catch(() => {});
    await srv?.stop();
  }
  if (unsettled.length) console.error(`not settled: ${unsettled.join(', ')}`);
  console.log(`screenshots in ${a.out}`);
}

await main();
