/**
 * End-to-end: a leader of Hồ Chí Minh City issues a directive to the city's communes through
 * the form; a ward officer's inbox, already open on a phone, receives it without reload; he
 * opens it, is refused "done" before acknowledging, acknowledges and reports done; the
 * leader's board, already open, changes as he acts. Real server, real Chromium; screenshots
 * in test-artifacts/.
 *
 * Run: node --import tsx --test e2e/directives.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchBrowser,
  shot,
  startServer,
  STARTUP_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  watchErrors as watch,
  type RunningServer,
  createUsers,
  fillSignIn,
  vnDay,
} from './harness.ts';

const LEADER = { username: 'lanhdao.hcm', password: 'Lanhdao-pw-12345', name: 'Trần Thị Bình' };
const OFFICER = { username: 'canbo.saigon', password: 'Canbo-pw-12345', name: 'Nguyễn Văn An' };
const TITLE = 'Tuyên truyền phòng, chống lừa đảo qua mạng';
const BODY =
  'Các phường, xã tổ chức tuyên truyền tới từng hộ dân về các thủ đoạn lừa đảo qua mạng; báo cáo kết quả trước hạn.';

let srv: RunningServer | undefined;
let baseUrl = '';
let browser: Browser | undefined;
let leaderCtx: BrowserContext | undefined;
let officerCtx: BrowserContext | undefined;
let leader: Page;
let officer: Page;
let boardUrl = '';
const pageErrors: string[] = [];

async function signIn(p: Page, path: string, who: { username: string; password: string }) {
  await p.goto(baseUrl + path);
  await fillSignIn(p, who.username, who.password);
}

async function tile(p: Page, key: string): Promise<string> {
  return (await p.getByTestId(`total-${key}`).innerText()).replace(/\s+/g, ' ');
}

describe('Chỉ đạo — in a browser', () => {
  before(
    async () => {
      srv = await startServer();
      baseUrl = srv.baseUrl;
      browser = await launchBrowser();

      // The admin creates the two accounts through the API, signed in like the browser is.
      await createUsers(browser, srv, [
        { ...LEADER, role: 'leader', unit: '79' },
        { ...OFFICER, role: 'officer', unit: '26740' },
      ]);

      leaderCtx = await browser.newContext({
        viewport: { width: 1366, height: 900 },
        locale: 'vi-VN',
      });
      leaderCtx.setDefaultTimeout(UI_TIMEOUT_MS);
      leader = await leaderCtx.newPage();
      watch(leader, pageErrors);

      officerCtx = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'vi-VN',
      });
      officerCtx.setDefaultTimeout(UI_TIMEOUT_MS);
      officer = await officerCtx.newPage();
      watch(officer, pageErrors);
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('opens the ward officer’s inbox on a phone, empty and listening', async () => {
    await signIn(officer, '/chi-dao', OFFICER);
    await officer.getByRole('heading', { name: 'Chỉ đạo, nhiệm vụ', level: 1 }).waitFor();
    await officer.getByText('Chưa có việc nào được giao cho đơn vị của bạn.').waitFor();
    await officer.getByTestId('live-mark').getByText('Trực tiếp').waitFor();
    // an officer does not issue directives
    assert.equal(await officer.getByRole('link', { name: 'Ban hành chỉ đạo' }).count(), 0);
  });

  it('lets the leader issue a directive to the city’s communes through the form', async () => {
    await signIn(leader, '/chi-dao/moi', LEADER);
    await leader.getByRole('heading', { name: 'Ban hành chỉ đạo', level: 1 }).waitFor();
    await leader.getByLabel('Tiêu đề').fill(TITLE);
    await leader.getByLabel('Nội dung chỉ đạo').fill(BODY);
    await leader.getByLabel('Mức độ').selectOption({ label: 'Khẩn' });
    await leader.getByLabel('Hạn hoàn thành').fill(vnDay(7));

    // A file is uploaded as it is chosen and listed; one taken off is not sent.
    const pdf = (name: string) => ({
      name,
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    const files = leader.getByLabel('Tệp đính kèm');
    await files.setInputFiles(pdf('nham-file.pdf'));
    await leader.getByRole('button', { name: 'Bỏ tệp nham-file.pdf' }).click();
    await files.setInputFiles(pdf('ke-hoach-tuyen-truyen.pdf'));
    await leader.getByRole('button', { name: 'Bỏ tệp ke-hoach-tuyen-truyen.pdf' }).waitFor();
    assert.equal(await leader.getByRole('button', { name: 'Bỏ tệp nham-file.pdf' }).count(), 0);

    // A level under the leader's city is the default target: its 168 wards and communes.
    await leader.getByLabel('Một cấp dưới một đơn vị').check();
    await leader.getByLabel('Dưới đơn vị').selectOption('79');
    await leader.getByLabel('Cấp', { exact: true }).selectOption('2');
    await leader.getByTestId('recipient-count').getByText('Sẽ gửi tới 168 đơn vị').waitFor();

    // Chosen units count as they are ticked.
    await leader.getByLabel('Các đơn vị chọn').check();
    await leader.getByLabel('Lọc theo tên').fill('sai gon');
    await leader.getByLabel('Phường Sài Gòn').check();
    await leader.getByTestId('recipient-count').getByText('Sẽ gửi tới 1 đơn vị').waitFor();
    await leader.getByLabel('Một cấp dưới một đơn vị').check();
    await leader.getByTestId('recipient-count').getByText('Sẽ gửi tới 168 đơn vị').waitFor();
    await shot(leader, 'directives-issue-form.png');

    await leader.getByRole('button', { name: 'Ban hành', exact: true }).click();
    await leader.getByTestId('board').waitFor();
    await leader.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    boardUrl = leader.url();
    assert.match(boardUrl, /\/chi-dao\/\d+$/);
    assert.match(await tile(leader, 'total'), /168/);
    assert.match(await tile(leader, 'acknowledged'), /^0/);
    assert.equal(await leader.getByTestId('board-row').count(), 168);
    await leader.getByTestId('live-mark').getByText('Trực tiếp').waitFor();
  });

  it('brings the directive to the officer’s open inbox without reload', async () => {
    const item = officer.getByTestId('inbox-item').filter({ hasText: TITLE });
    await item.waitFor();
    await item.getByTestId('new-badge').waitFor();
    assert.match(await item.innerText(), /Khẩn/);
    assert.match(await item.innerText(), /Phường Sài Gòn|Sài Gòn/);
    assert.match(await officer.getByTestId('inbox-announce').innerText(), /Có chỉ đạo mới/);
    const overflow = await officer.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `the inbox is ${overflow}px wider than the phone`);
    await shot(officer, 'directives-inbox-phone.png', false);
  });

  it('opens it (recorded as read), refuses done before acknowledging, then acknowledges', async () => {
    // The previous step proves the live arrival; should it have failed, start from a fresh list.
    const item = officer.getByTestId('inbox-item').filter({ hasText: TITLE });
    if (!(await item.isVisible())) await officer.reload();
    await item.getByRole('link').click();
    await officer.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    await officer.getByTestId('read-at').waitFor();
    assert.match(
      await officer.getByTestId('task-detail').innerText(),
      /tuyên truyền tới từng hộ dân/,
    );
    await officer
      .getByTestId('task-detail')
      .getByRole('link', { name: 'ke-hoach-tuyen-truyen.pdf' })
      .waitFor();
    assert.equal(
      await officer.getByTestId('task-detail').getByText('nham-file.pdf').count(),
      0,
      'the file taken off was not sent',
    );
    // the leader's board counts the read
    await leader.getByTestId('total-read').getByText('1', { exact: true }).waitFor();

    await officer.getByRole('button', { name: 'Báo cáo hoàn thành' }).click();
    const error = officer.getByTestId('task-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Cần tiếp nhận nhiệm vụ trước/);
    await shot(officer, 'directives-task-refused-phone.png');

    await officer.getByRole('button', { name: 'Tiếp nhận' }).click();
    await officer.getByTestId('task-saved').getByText('Đã ghi nhận: Đã tiếp nhận.').waitFor();
    await officer.getByTestId('status').getByText('Đã tiếp nhận').first().waitFor();
  });

  it('changes the leader’s open board live as the officer acknowledges', async () => {
    await leader.getByTestId('total-acknowledged').getByText('1', { exact: true }).waitFor();
    const row = leader.locator('[data-testid=board-row][data-unit="26740"]');
    assert.match((await row.innerText()).replace(/\s+/g, ' '), /Sài Gòn 1 1 1 0 0 0 0/);
  });

  it('reports done with a note and figures, and the board counts it at once', async () => {
    await officer.getByLabel('Ghi chú').fill('Đã tổ chức 3 buổi tuyên truyền tại khu phố.');
    await officer.getByLabel('Số liệu').fill('hộ được tuyên truyền = 1.250');
    await officer.getByRole('button', { name: 'Báo cáo hoàn thành' }).click();
    await officer.getByText('Đã ghi nhận: Hoàn thành.').waitFor();
    await officer.getByTestId('history').getByText('Đã tổ chức 3 buổi tuyên truyền').waitFor();
    await shot(officer, 'directives-task-done-phone.png');

    await leader.getByTestId('total-done').getByText('1', { exact: true }).waitFor();
    assert.match(await tile(leader, 'acknowledged'), /^1/);
    await shot(leader, 'directives-board.png');
  });

  it('reminds the communes that have not finished', async () => {
    await leader.getByRole('button', { name: 'Nhắc việc' }).click();
    await leader.getByTestId('remind-result').getByText('Đã nhắc 167 đơn vị').waitFor();
  });

  it('shows the board on a wall screen (1920×1080)', async () => {
    const wall = await browser!.newContext({
      storageState: await leaderCtx!.storageState(),
      viewport: { width: 1920, height: 1080 },
      locale: 'vi-VN',
    });
    wall.setDefaultTimeout(UI_TIMEOUT_MS);
    try {
      const p = await wall.newPage();
      watch(p, pageErrors);
      await p.goto(boardUrl);
      await p.getByTestId('board').waitFor();
      await p.getByTestId('total-done').getByText('1', { exact: true }).waitFor();
      await p.locator('.dir-chart canvas').first().waitFor();
      await shot(p, 'directives-board-wall.png', false);
    } finally {
      await wall.close();
    }
  });

  it('shows the officer’s weekly plan and the leader’s follow-up board', async () => {
    await officer.getByRole('link', { name: 'Kế hoạch tuần' }).click();
    await officer.getByRole('heading', { name: 'Kế hoạch công tác tuần', level: 1 }).waitFor();
    await shot(officer, 'directives-plan-phone.png');

    await leader.getByRole('link', { name: 'Theo dõi', exact: true }).click();
    await leader.getByRole('heading', { name: 'Theo dõi của Văn phòng', level: 1 }).waitFor();
    await shot(leader, 'directives-followup.png');
  });

  it('raised no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
