/**
 * End-to-end: work outside directives and the weekly plan. A leader of Hồ Chí Minh City assigns
 * a task with two milestones to Phường Sài Gòn through the form; the ward officer, on a phone,
 * marks a milestone done and comments; the leader's open task page shows both without reload and
 * he answers. Then the officer submits this week's and next week's plans; the leader approves
 * the first and sends the second back with a note, which the officer's open page shows. Last,
 * the answer to an assignment is lost on its way back and the leader sends the form again: one
 * task, not two. Real server, real Chromium; screenshots in test-artifacts/.
 *
 * Run: node --import tsx --test e2e/tasks.e2e.test.ts
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TaskList } from '../src/contract/task.ts';
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
const TASK = 'Rà soát hộ nghèo, cận nghèo năm 2026';
const MS1 = 'Lập danh sách hộ cần rà soát';
const MS2 = 'Họp bình xét tại khu phố';
const OFFICER_COMMENT = 'Đã lập xong danh sách 412 hộ, đang lên lịch họp khu phố.';
const LEADER_COMMENT = 'Đề nghị phường gửi danh sách kèm biên bản họp.';
const RETURN_NOTE = 'Bổ sung việc rà soát hộ nghèo vào kế hoạch tuần.';

let srv: RunningServer | undefined;
let baseUrl = '';
let browser: Browser | undefined;
let leader: Page;
let officer: Page;
let taskUrl = '';
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function signIn(p: Page, path: string, who: { username: string; password: string }) {
  await p.goto(baseUrl + path);
  await fillSignIn(p, who.username, who.password);
}

async function noOverflow(p: Page, what: string) {
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} is ${overflow}px wider than the phone`);
}

describe('Giao việc, ý kiến, kế hoạch tuần — in a browser', () => {
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

      const leaderCtx = await browser.newContext({
        viewport: { width: 1366, height: 900 },
        locale: 'vi-VN',
      });
      const officerCtx = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'vi-VN',
      });
      for (const c of [leaderCtx, officerCtx]) {
        c.setDefaultTimeout(UI_TIMEOUT_MS);
        contexts.push(c);
      }
      leader = await leaderCtx.newPage();
      officer = await officerCtx.newPage();
      watch(leader, pageErrors);
      watch(officer, pageErrors);
    },
    { timeout: STARTUP_TIMEOUT_MS + 60_000 },
  );

  after(async () => {
    await browser?.close().catch(() => {});
    await srv?.stop();
  });

  it('lets the leader assign a task with two milestones to a ward', async () => {
    await signIn(officer, '/chi-dao', OFFICER);
    await officer.getByText('Chưa có việc nào được giao cho đơn vị của bạn.').waitFor();
    await officer.getByTestId('live-mark').getByText('Trực tiếp').waitFor();

    await signIn(leader, '/chi-dao', LEADER);
    await leader.getByRole('link', { name: 'Giao việc', exact: true }).click();
    await leader.getByRole('heading', { name: 'Giao việc cho đơn vị', level: 1 }).waitFor();

    // Refused before anything is sent: no unit yet, then a milestone after the deadline.
    await leader.getByLabel('Tên công việc').fill(TASK);
    await leader.getByRole('button', { name: 'Giao việc', exact: true }).click();
    await leader.getByTestId('assign-error').getByText('Hãy chọn đơn vị nhận việc.').waitFor();

    await leader.getByLabel('Lọc theo tên').fill('sai gon');
    await leader.getByLabel('Đơn vị nhận việc').selectOption({ label: 'Phường Sài Gòn' });
    // The ward's own account can be named; the whole unit is the default.
    await leader
      .getByLabel('Người thực hiện')
      .locator('option', { hasText: OFFICER.username })
      .waitFor({ state: 'attached' });
    await leader.getByLabel('Hạn hoàn thành').fill(vnDay(14));
    await leader.getByRole('button', { name: 'Thêm mốc' }).click();
    await leader.getByRole('button', { name: 'Thêm mốc' }).click();
    await leader.getByLabel('Mốc 1', { exact: true }).fill(MS1);
    await leader.getByLabel('Hạn mốc 1').fill(vnDay(3));
    await leader.getByLabel('Mốc 2', { exact: true }).fill(MS2);
    await leader.getByLabel('Hạn mốc 2').fill(vnDay(20));
    await leader.getByRole('button', { name: 'Giao việc', exact: true }).click();
    await leader
      .getByTestId('assign-error')
      .getByText(/Mốc 2 cần có tên và hạn/)
      .waitFor();
    await leader.getByLabel('Hạn mốc 2').fill(vnDay(10));
    await shot(leader, 'tasks-assign-form.png');

    await leader.getByRole('button', { name: 'Giao việc', exact: true }).click();
    await leader.getByRole('heading', { name: TASK, level: 1 }).waitFor();
    taskUrl = leader.url();
    assert.match(taskUrl, /\/chi-dao\/viec\/\d+$/);
    assert.equal(await leader.getByTestId('milestone').count(), 2);
    assert.equal(await leader.locator('[data-testid=milestone][data-done=true]').count(), 0);
    await leader.getByTestId('standalone-tag').waitFor();
    // the leader is not the recipient: no report form, but he can comment
    assert.equal(await leader.getByRole('button', { name: 'Tiếp nhận' }).count(), 0);
    await leader.getByLabel('Ý kiến').waitFor();
  });

  it('brings the task to the officer’s open inbox, where he marks a milestone done', async () => {
    const item = officer.getByTestId('inbox-item').filter({ hasText: TASK });
    await item.waitFor();
    assert.match(await item.innerText(), /Việc giao/);
    assert.match(await officer.getByTestId('inbox-announce').innerText(), /Có việc mới được giao/);
    await item.getByRole('link').click();
    await officer.getByRole('heading', { name: TASK, level: 1 }).waitFor();
    await officer.getByTestId('read-at').waitFor();

    const first = officer.getByTestId('milestone').filter({ hasText: MS1 });
    await first.getByRole('button', { name: 'Đánh dấu xong' }).click();
    await officer
      .locator('[data-testid=milestone][data-done=true]')
      .filter({ hasText: MS1 })
      .waitFor();
    assert.equal(
      await officer
        .locator('[data-testid=milestone][data-done=false]')
        .filter({ hasText: MS2 })
        .count(),
      1,
    );
    await officer.getByTestId('history').getByText(MS1).waitFor();
  });

  it('shows the milestone and the officer’s comment on the leader’s open page, and the reply on the officer’s', async () => {
    // the leader's task page is still open: the milestone turns done without reload
    await leader
      .locator('[data-testid=milestone][data-done=true]')
      .filter({ hasText: MS1 })
      .waitFor();

    await officer.getByLabel('Ý kiến').fill(OFFICER_COMMENT);
    await officer.getByRole('button', { name: 'Gửi ý kiến' }).click();
    await officer.getByTestId('comment').filter({ hasText: OFFICER_COMMENT }).waitFor();
    assert.equal(await officer.getByLabel('Ý kiến').inputValue(), '');

    const seen = leader.getByTestId('comment').filter({ hasText: OFFICER_COMMENT });
    await seen.waitFor();
    assert.match(await seen.innerText(), new RegExp(OFFICER.name));

    // An empty comment is refused with a clear message, nothing sent.
    await leader.getByRole('button', { name: 'Gửi ý kiến' }).click();
    await leader.getByTestId('comment-error').getByText('Hãy nhập nội dung ý kiến.').waitFor();
    await leader.getByLabel('Ý kiến').fill(LEADER_COMMENT);
    await leader.getByRole('button', { name: 'Gửi ý kiến' }).click();
    await leader.getByTestId('comment').filter({ hasText: LEADER_COMMENT }).waitFor();
    await shot(leader, 'tasks-task-leader.png');

    const reply = officer.getByTestId('comment').filter({ hasText: LEADER_COMMENT });
    await reply.waitFor();
    assert.match(await reply.innerText(), new RegExp(LEADER.name));
    await noOverflow(officer, 'the task page');
    await shot(officer, 'tasks-task-phone.png');
  });

  it('lets the officer submit this week’s and next week’s plans', async () => {
    await officer.getByRole('link', { name: 'Kế hoạch tuần' }).click();
    await officer.getByRole('heading', { name: 'Kế hoạch công tác tuần', level: 1 }).waitFor();
    await officer.getByTestId('plan-status').getByText('Đang soạn').waitFor();
    await officer.getByLabel('Ghi chú').fill('Tập trung rà soát hộ nghèo.');
    await officer.getByRole('button', { name: 'Trình duyệt' }).click();
    await officer
      .getByTestId('plan-done')
      .getByText('Đã trình kế hoạch tuần lên cấp trên.')
      .waitFor();
    await officer.getByTestId('plan-status').getByText('Đã trình, chờ duyệt').waitFor();
    assert.equal(await officer.getByRole('button', { name: 'Trình duyệt' }).count(), 0);

    await officer.getByRole('link', { name: /Tuần sau/ }).click();
    await officer.getByTestId('plan-status').getByText('Đang soạn').waitFor();
    // the task's second milestone week or its deadline may fall here; the plan lists due tasks
    await officer.getByRole('button', { name: 'Trình duyệt' }).click();
    await officer.getByTestId('plan-status').getByText('Đã trình, chờ duyệt').waitFor();
  });

  it('lets the leader approve one submitted plan and send the other back', async () => {
    await leader.getByRole('link', { name: 'Kế hoạch tuần' }).click();
    await leader.getByRole('heading', { name: 'Kế hoạch công tác tuần', level: 1 }).waitFor();
    // The week's plans of the city's wards: the ward's awaits a decision; open it from there.
    const list = leader.getByTestId('plan-list');
    await list.getByText('1 chờ duyệt').waitFor();
    const ward = list.getByRole('link', { name: 'Mở kế hoạch của Sài Gòn' });
    assert.match(await ward.innerText(), /Đã trình, chờ duyệt/);
    await shot(leader, 'tasks-plan-list.png');
    await ward.click();
    const status = leader.getByTestId('plan-status');
    await status.getByText('Đã trình, chờ duyệt').waitFor();
    assert.match(await leader.getByTestId('plan-submitted').innerText(), new RegExp(OFFICER.name));
    await leader.getByRole('button', { name: 'Duyệt', exact: true }).click();
    await status.getByText('Đã duyệt').waitFor();
    await leader.getByTestId('plan-done').getByText('Đã duyệt kế hoạch tuần.').waitFor();
    await list
      .getByRole('link', { name: 'Mở kế hoạch của Sài Gòn' })
      .getByText('Đã duyệt')
      .waitFor();
    assert.match(
      await leader.getByTestId('plan-decided').innerText(),
      new RegExp(`Duyệt: ${LEADER.name}`),
    );
    assert.equal(await leader.getByRole('button', { name: 'Duyệt', exact: true }).count(), 0);
    await shot(leader, 'tasks-plan-approved.png');

    await leader.getByRole('link', { name: /Tuần sau/ }).click();
    await status.getByText('Đã trình, chờ duyệt').waitFor();
    // sending back needs a reason
    await leader.getByRole('button', { name: 'Trả lại' }).click();
    await leader.getByTestId('plan-error').getByText('Hãy ghi lý do trả lại kế hoạch.').waitFor();
    assert.match(await status.innerText(), /Đã trình, chờ duyệt/);
    await leader.getByLabel('Ý kiến khi duyệt hoặc trả lại').fill(RETURN_NOTE);
    await leader.getByRole('button', { name: 'Trả lại' }).click();
    await status.getByText('Trả lại để sửa').waitFor();
    await leader.getByTestId('plan-decision-note').getByText(RETURN_NOTE).waitFor();
    await shot(leader, 'tasks-plan-returned.png');
  });

  it('shows the officer’s open plan sent back with the note, ready to submit again', async () => {
    // the officer still looks at next week's plan: the decision arrives without reload
    await officer.getByTestId('plan-status').getByText('Trả lại để sửa').waitFor();
    await officer.getByTestId('plan-decision-note').getByText(RETURN_NOTE).waitFor();
    await officer.getByRole('button', { name: 'Trình duyệt lại' }).waitFor();
    await noOverflow(officer, 'the plan page');
    await shot(officer, 'tasks-plan-returned-phone.png');

    await officer.getByRole('link', { name: /Tuần trước/ }).click();
    await officer.getByTestId('plan-status').getByText('Đã duyệt').waitFor();
  });

  it('creates one task when the leader sends again after the answer was lost', async () => {
    const title = 'Kiểm tra hồ sơ hộ cận nghèo, gửi lại sau khi mất kết nối';
    await leader.goto(baseUrl + '/chi-dao/giao-viec');
    await leader.getByRole('heading', { name: 'Giao việc cho đơn vị', level: 1 }).waitFor();
    await leader.getByLabel('Tên công việc').fill(title);
    await leader.getByLabel('Lọc theo tên').fill('sai gon');
    await leader.getByLabel('Đơn vị nhận việc').selectOption({ label: 'Phường Sài Gòn' });
    await leader.getByLabel('Hạn hoàn thành').fill(vnDay(7));

    // The first send reaches the server, which creates the task; its answer never reaches the
    // page (the connection fails on the way back). Later sends go through untouched.
    const keys: string[] = [];
    const statuses: number[] = [];
    let lost = 0;
    await leader.route('**/api/tasks', async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.continue();
      keys.push((await request.allHeaders())['idempotency-key'] ?? '');
      if (lost > 0) return route.continue();
      lost++;
      const answer = await route.fetch();
      statuses.push(answer.status());
      await route.abort('failed');
    });
    try {
      const send = leader.getByRole('button', { name: 'Giao việc', exact: true });
      await send.click();
      await leader
        .getByTestId('assign-error')
        .getByText('Không kết nối được máy chủ. Hãy kiểm tra mạng và thử lại.')
        .waitFor();
      assert.deepEqual(statuses, [201], 'the first send created the task');

      // The user presses send again: the same key, so the server answers the first answer.
      const replayed = leader.waitForResponse(
        (r) => r.url() === baseUrl + '/api/tasks' && r.request().method() === 'POST',
      );
      await send.click();
      const answer = await replayed;
      assert.equal(answer.status(), 201);
      assert.equal(answer.headers()['idempotent-replayed'], 'true');
      await leader.getByRole('heading', { name: title, level: 1 }).waitFor();
    } finally {
      await leader.unroute('**/api/tasks');
    }
    assert.equal(keys.length, 2);
    assert.ok(keys[0], 'the form sends an Idempotency-Key');
    assert.equal(keys[1], keys[0], 'the resend keeps the key');

    // Exactly one such task exists, and it is the one the page opened.
    const inbox = await officer.context().request.get(baseUrl + '/api/inbox');
    assert.equal(inbox.status(), 200);
    const { items } = TaskList.parse(await inbox.json()); // the inbox's answer, as its contract says
    const made = items.filter((t) => t.title === title);
    assert.equal(made.length, 1, `one task titled ${title}, not ${made.length}`);
    assert.match(leader.url(), new RegExp(`/chi-dao/viec/${made[0]!.id}$`));
  });

  it('raised no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
