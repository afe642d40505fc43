/**
 * End-to-end: the operations room across the 2025 reform, with the real server (first start: the
 * real units and the demo data) and a real browser. Values posted through the API on the 2022
 * tree for January 2024 (e2e/carried-values.ts) are read on the 2025 tree — the 34 new provinces,
 * each the sum of the old ones merged into it, marked as carried — and the leader switches the
 * room to the 2022 tree (63 provinces, the old names, nothing carried) and back; a commune that
 * received half of a split one is marked as estimated, with the share, and is redrawn live when
 * the weights of the split change.
 * Screenshots land in test-artifacts/operations-room-trees-*.png.
 *
 * Run: node --import tsx --test e2e/operations-room-trees.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { formatValue } from '../web/src/shared/format.ts';
import {
  CARRIED_ELEMENTS,
  CARRIED_PERIOD,
  CARRIED_ROOM,
  CARRIED_UNIT,
  COMMUNES,
  postCarriedValues,
  postedSum,
  type PostedValue,
} from './carried-values.ts';
import {
  adminApi,
  fillSignIn,
  launchBrowser,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  watchErrors,
  type RunningServer,
} from './harness.ts';

const DX = CARRIED_ELEMENTS[0]!;
const UNIT = CARRIED_UNIT;

let srv: RunningServer | undefined;
let browser: Browser | undefined;
let api: APIRequestContext | undefined;
let page: Page;
let csrf = '';
let values: PostedValue[] = [];
const pageErrors: string[] = [];

const sum = (units: string[]) => postedSum(values, DX, CARRIED_PERIOD, units);
/** The nation: every value posted, on every tree. */
const nationSum = () => sum([...new Set(values.map((v) => v.orgUnit))]);
const shown = (v: number) => formatValue('vi', v, UNIT);
const text = async (testId: string) =>
  (await page.getByTestId(testId).innerText()).replace(/\s+/g, ' ').trim();

/** The map of `tree` has drawn the nation's provinces with these values. */
async function mapDrawn(tree: string, total: number) {
  await page
    .locator(`[data-testid=map][data-map^="${tree}|VN|1|"][data-total="${total}"]`)
    .waitFor();
}

const query = () => new URL(page.url()).searchParams;

describe('Phòng điều hành qua các cây đơn vị — in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      browser = await launchBrowser();
      ({ api, csrf } = await adminApi(srv));
      values = await postCarriedValues(api, srv.baseUrl, csrf);
      const context = await browser.newContext({
        viewport: { width: 1366, height: 900 },
        locale: 'vi-VN',
      });
      context.setDefaultTimeout(UI_TIMEOUT_MS);
      page = await context.newPage();
      watchErrors(page, pageErrors);
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await api?.dispose().catch(() => {});
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('opens January 2024 on its own tree, then on the 2025 tree with carried figures', async () => {
    const nation = nationSum();
    await page.goto(srv!.baseUrl + CARRIED_ROOM);
    await fillSignIn(page, 'admin', srv!.adminPassword);
    // A period before the reform opens on the tree in force then: nothing carried there.
    await mapDrawn('2022', nation);
    assert.equal(await page.getByLabel('Cây đơn vị').inputValue(), '2022');
    assert.equal(await page.getByTestId('carried-mark').count(), 0);

    await page.getByLabel('Cây đơn vị').selectOption('2025');
    await mapDrawn('2025', nation);
    assert.equal(query().get('v'), '2025');
    assert.equal(query().get('pe'), CARRIED_PERIOD, 'the period is kept');
    assert.equal(await page.getByTestId('map').getAttribute('data-regions'), '34');
    assert.equal(await page.getByTestId('ranking').locator('tbody tr').count(), 34);

    // The nation's tile: the same total, carried whole from the 2022 tree.
    await page.getByTestId(`tile-value-${DX}`).getByText(shown(nation).split(' ')[0]!).waitFor();
    const mark = page.getByTestId(`tile-${DX}`).getByTestId('carried-mark');
    assert.equal(await mark.getAttribute('data-exact'), 'true');
    assert.match(await mark.innerText(), /Quy đổi từ cây 2022/);
    assert.match((await mark.getAttribute('title')) ?? '', /chính xác/);

    // Tuyên Quang (new) is Hà Giang + Tuyên Quang (old), marked in its row.
    const tq = sum(['02', '08']);
    assert.match(await text('rank-08'), /Tuyên Quang/);
    assert.ok((await text('rank-value-08')).startsWith(shown(tq)), await text('rank-value-08'));
    const badge = page.getByTestId('rank-value-08').getByTestId('carried-badge');
    assert.equal(await badge.getAttribute('data-exact'), 'true');
    assert.match(await badge.innerText(), /2022/);
    // Thành phố Hồ Chí Minh (new) = Bà Rịa - Vũng Tàu, Bình Dương and Hồ Chí Minh City.
    const hcm = sum(['74', '77', '79']);
    assert.ok((await text('rank-value-79')).startsWith(shown(hcm)), await text('rank-value-79'));
    await shot(page, 'operations-room-trees-2025.png');
  });

  it('marks a commune that received part of a split one as estimated, with the share', async () => {
    await page.getByRole('link', { name: 'Xem Thành phố Hà Nội' }).click();
    await page.locator('[data-testid=map][data-map^="2025|01|2|"][data-total]').waitFor();
    // 00008 (2025) = 00006 whole + half of 00007 (equal shares by default).
    const half = sum(['00007']) / 2;
    const ward = sum(['00006']) + half;
    const share = Math.round((half / ward) * 100);
    assert.equal(
      share,
      25,
      `${COMMUNES['00007']} a day split in two, over ${COMMUNES['00006']} whole`,
    );
    assert.ok((await text('rank-value-00008')).startsWith(shown(ward)));
    const badge = page.getByTestId('rank-value-00008').getByTestId('carried-badge');
    assert.equal(await badge.getAttribute('data-exact'), 'false');

    await page.getByTestId('rank-00008').getByRole('link').click();
    await page.getByTestId(`tile-value-${DX}`).getByText(shown(ward).split(' ')[0]!).waitFor();
    const mark = page.getByTestId(`tile-${DX}`).getByTestId('carried-mark');
    assert.equal(await mark.getAttribute('data-exact'), 'false');
    assert.match(await mark.innerText(), new RegExp(`Ước tính theo tỷ lệ · ${share}%`));
    assert.match((await mark.getAttribute('title')) ?? '', /chia cho nhiều đơn vị mới/);
    await shot(page, 'operations-room-trees-estimated.png');
  });

  it('redraws the estimated figure when the weights change, without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    // 00007 (2025-03) split 70/30 between 00008 and 00025 instead of half and half.
    const weights = [
      { toCode: '00008', share: 0.7 },
      { toCode: '00025', share: 0.3 },
    ].map((w) => ({ fromVersion: '2025-03', fromCode: '00007', toVersion: '2025', ...w }));
    const r = await api!.put(srv!.baseUrl + '/api/link-weights', {
      headers: { 'X-CSRF-Token': csrf },
      data: { basis: 'e2e: dân số giả định', weights },
    });
    assert.equal(r.status(), 200, await r.text());
    const part = sum(['00007']) * 0.7;
    const ward = sum(['00006']) + part;
    const share = Math.round((part / ward) * 100);
    await page.getByTestId(`tile-value-${DX}`).getByText(shown(ward).split(' ')[0]!).waitFor();
    const mark = page.getByTestId(`tile-${DX}`).getByTestId('carried-mark');
    await mark.getByText(`Ước tính theo tỷ lệ · ${share}%`).waitFor();
    assert.equal(
      await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
      true,
    );

    const crumbs = page.getByRole('navigation', { name: 'Đường dẫn đơn vị' });
    await crumbs.getByRole('link', { name: 'Việt Nam' }).click();
    await page.locator('[data-testid=map][data-map^="2025|VN|1|"][data-total]').waitFor();
  });

  it('switches to the 2022 tree: 63 provinces, the old names, nothing carried', async () => {
    const nation = nationSum();
    await page.getByLabel('Cây đơn vị').selectOption('2022');
    await mapDrawn('2022', nation);
    assert.equal(query().get('v'), '2022');
    assert.equal(query().get('pe'), CARRIED_PERIOD);
    assert.equal(await page.getByTestId('map').getAttribute('data-regions'), '63');
    assert.equal(await page.getByTestId('ranking').locator('tbody tr').count(), 63);
    assert.match(await text('rank-02'), /Hà Giang/);
    assert.ok((await text('rank-value-02')).startsWith(shown(sum(['02']))));
    assert.ok((await text('rank-value-08')).startsWith(shown(sum(['08']))));
    await page.getByTestId(`tile-value-${DX}`).getByText(shown(nation).split(' ')[0]!).waitFor();
    // Stored on this tree: no mark on the tiles or in the ranking.
    assert.equal(await page.getByTestId('carried-mark').count(), 0);
    assert.equal(await page.getByTestId('carried-badge').count(), 0);
    await shot(page, 'operations-room-trees-2022.png');
  });

  it('switches back to the 2025 tree, and says it in English too', async () => {
    const nation = nationSum();
    await page.getByLabel('Cây đơn vị').selectOption('2025');
    await mapDrawn('2025', nation);
    assert.equal(query().get('v'), '2025');
    assert.equal(await page.getByTestId('map').getAttribute('data-regions'), '34');
    assert.equal(await page.getByTestId('rank-02').count(), 0, 'Hà Giang is gone');
    await page.getByTestId(`tile-${DX}`).getByTestId('carried-mark').waitFor();
    // The address reopens the same screen.
    await page.reload();
    await mapDrawn('2025', nation);
    assert.equal(await page.getByLabel('Cây đơn vị').inputValue(), '2025');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    const mark = page.getByTestId(`tile-${DX}`).getByTestId('carried-mark');
    await mark.getByText('Carried from the 2022 tree').waitFor();
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
    await mark.getByText('Quy đổi từ cây 2022').waitFor();
  });

  it('had no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
