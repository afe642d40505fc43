import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Role } from '../domain/access.ts';

const PW = 'Directive-pw-123';
/** Monday 23/11/2026, 09:00 in Viet Nam: the tests move this clock, never the machine's. */
const START = new Date('2026-11-23T02:00:00Z');

const USERS: { username: string; role: Role; code: string }[] = [
  { username: 'lanhdao', role: 'leader', code: 'VN' },
  { username: 'ld79', role: 'leader', code: '79' },
  { username: 'tinh79', role: 'officer', code: '79' },
  { username: 'xa26740', role: 'officer', code: '26740' },
  { username: 'xa00004', role: 'officer', code: '00004' },
];

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

for (const engine of testEngines()) {
  describe(`directives and tasks through the API on ${engine}`, () => {
    let t: TestDb;
    let now = START;
    const as = new Map<string, ApiClient>();
    const api = (u: string) => as.get(u)!;
    let directiveId: number;
    let taskId: number;

    const counts = async () => {
      const r = await sql<{ d: number; t: number; a: number }>`select
        (select count(*)::int from directive) as d, (select count(*)::int from task) as t,
        (select count(*)::int from attachment where owner_kind <> 'pending') as a`.execute(
        t.database.db,
      );
      return r.rows[0]!;
    };

    /** Multipart upload with the session of `user` (the ApiClient speaks JSON only). */
    const upload = async (user: string, name: string, bytes: Uint8Array) => {
      const c = api(user);
      const login = await c.app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user, password: user === 'admin' ? ADMIN_PASSWORD : PW }),
      });
      const cookie = login.headers
        .getSetCookie()
        .map((s) => s.split(';')[0])
        .join('; ');
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const form = new FormData();
      form.append('file', new File([new Uint8Array(bytes)], name));
      const res = await c.app.request('/api/attachments', {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken },
        body: form,
      });
      return { status: res.status, json: await res.json() };
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => now, auth: { sessionHours: 24 * 60 } });
      await signInUsers(t.services, USERS, PW, '2025', as);
    });
    after(() => t.close());

    it('issues a directive to the communes of a province: one task per commune', async () => {
      const r = await api('lanhdao').post('/api/directives', {
        title: 'Rà soát hộ nghèo',
        body: 'Các xã, phường rà soát danh sách hộ nghèo và báo cáo trước thứ Sáu.',
        priority: 'high',
        dueDate: '2026-11-27',
        target: { kind: 'level', version: '2025', unit: '79', level: 2 },
      });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.taskCount, 168);
      assert.equal(r.json.directive.scopePath, '/VN/79/');
      directiveId = r.json.directive.id;
      const got = await api('ld79').get(`/api/directives/${directiveId}`);
      assert.equal(got.status, 200, got.text);
      const list = await api('lanhdao').get('/api/directives?limit=5');
      assert.equal(list.json.items[0].id, directiveId);
    });

    it('shows a commune only its own task, a province the tasks of its units', async () => {
      const own = await api('xa26740').get('/api/inbox');
      assert.equal(own.status, 200, own.text);
      assert.equal(own.json.items.length, 1);
      assert.equal(own.json.items[0].unit.code, '26740');
      assert.equal(own.json.items[0].directive.title, 'Rà soát hộ nghèo');
      assert.equal(own.json.items[0].directive.priority, 'high');
      taskId = own.json.items[0].id;
      assert.equal((await api('xa00004').get('/api/inbox')).json.items.length, 0);
      const province = await api('tinh79').get('/api/inbox?limit=1000');
      assert.equal(province.json.items.length, 168);
      assert.ok(
        province.json.items.every((i: { unit: { path: string } }) =>
          i.unit.path.startsWith('/VN/79/'),
        ),
      );
      const other = await api('xa00004').get(`/api/tasks/${taskId}`);
      assert.equal(other.status, 403);
      assert.equal(other.json.error.code, 'out_of_scope');
    });

    it('records read_at once when the recipient opens the task, not when a superior does', async () => {
      const sup = await api('tinh79').get(`/api/tasks/${taskId}`);
      assert.equal(sup.json.readAt, null);
      now = new Date(START.getTime() + 60_000);
      const first = await api('xa26740').get(`/api/tasks/${taskId}`);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.json.readAt, now.toISOString());
      now = new Date(START.getTime() + 120_000);
      const again = await api('xa26740').get(`/api/tasks/${taskId}`);
      assert.equal(again.json.readAt, first.json.readAt);
    });

    it('runs the status machine and refuses moves out of order', async () => {
      const post = (u: string, body: unknown) => api(u).post(`/api/tasks/${taskId}/status`, body);
      let r = await post('xa26740', { status: 'done' });
      assert.equal(r.status, 409);
      assert.equal(r.json.error.code, 'invalid_transition');
      assert.match(r.json.error.messages.vi, /tiếp nhận/);
      r = await post('xa26740', { status: 'in_progress' });
      assert.equal(r.json.error.code, 'invalid_transition');
      r = await post('xa00004', { status: 'acknowledged' });
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'not_recipient');
      r = await post('tinh79', { status: 'acknowledged' });
      assert.equal(r.json.error.code, 'not_recipient');
      r = await post('xa26740', { status: 'acknowledged' });
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.acknowledgedAt);
      r = await post('xa26740', { status: 'blocked' });
      assert.equal(r.status, 409);
      assert.match(r.json.error.messages.en, /reason/);
      const file = await upload('xa26740', 'danh-sach.png', PNG);
      assert.equal(file.status, 201, JSON.stringify(file.json));
      r = await post('xa26740', {
        status: 'in_progress',
        progress: 40,
        note: 'Đã rà soát 3/8 khu phố',
        figures: { households: 120 },
        attachmentIds: [file.json.id],
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.progress, 40);
      assert.deepEqual(r.json.figures, { households: 120 });
      assert.ok(r.json.attachments.some((a: { id: number }) => a.id === file.json.id));
      r = await post('xa26740', { status: 'blocked', reason: 'Thiếu biểu mẫu' });
      assert.equal(r.json.blockedReason, 'Thiếu biểu mẫu');
      r = await post('xa26740', { status: 'in_progress' });
      assert.equal(r.json.blockedReason, null);
      r = await post('xa26740', { status: 'done', note: 'Hoàn thành' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.progress, 100);
      r = await post('xa26740', { status: 'in_progress' });
      assert.equal(r.status, 409);
      assert.match(r.json.error.messages.vi, /đã hoàn thành/);
      const h = await api('tinh79').get(`/api/tasks/${taskId}/history`);
      assert.deepEqual(
        h.json.events.map((e: { kind: string; to: string | null }) => e.to ?? e.kind),
        ['read', 'acknowledged', 'in_progress', 'blocked', 'in_progress', 'done'],
      );
      const audit = await sql<{ n: number }>`select count(*)::int as n from audit_event
        where entity_type = 'task' and entity_id = ${String(taskId)}`.execute(t.database.db);
      assert.equal(audit.rows[0]!.n, 6);
    });

    it('counts the board per province and per commune, lists laggards and reminds them', async () => {
      // Another commune acknowledges, a third is blocked.
      const tasks = (await api('tinh79').get('/api/inbox?limit=1000')).json.items as {
        id: number;
        unit: { code: string };
      }[];
      const others = tasks.filter((x) => x.unit.code !== '26740').slice(0, 2);
      await t.services.auth.createUser('system', {
        username: 'xa-a',
        password: PW,
        role: 'officer',
        scope: { version: '2025', code: others[0]!.unit.code },
      });
      await t.services.auth.createUser('system', {
        username: 'xa-b',
        password: PW,
        role: 'officer',
        scope: { version: '2025', code: others[1]!.unit.code },
      });
      const a = ApiClient.for(t.services);
      await a.login('xa-a', PW);
      const b = ApiClient.for(t.services);
      await b.login('xa-b', PW);
      assert.equal(
        (await a.post(`/api/tasks/${others[0]!.id}/status`, { status: 'acknowledged' })).status,
        200,
      );
      await b.post(`/api/tasks/${others[1]!.id}/status`, { status: 'acknowledged' });
      await b.post(`/api/tasks/${others[1]!.id}/status`, { status: 'blocked', reason: 'Mất điện' });

      const top = await api('lanhdao').get(`/api/directives/${directiveId}/board`);
      assert.equal(top.status, 200, top.text);
      assert.equal(top.json.unit.code, 'VN');
      assert.deepEqual(top.json.rows, [
        {
          unit: { code: '79', name: 'Hồ Chí Minh', level: 1 },
          total: 168,
          read: 3,
          acknowledged: 3,
          inProgress: 0,
          done: 1,
          blocked: 1,
          overdue: 0,
        },
      ]);
      assert.equal(top.json.laggardCount, 167);
      const down = await api('ld79').get(`/api/directives/${directiveId}/board?unit=79`);
      assert.equal(down.json.rows.length, 168);
      const row = down.json.rows.find((r: { unit: { code: string } }) => r.unit.code === '26740');
      assert.equal(row.done, 1);
      assert.equal(down.json.totals.total, 168);
      assert.ok(down.json.laggards.every((l: { status: string }) => l.status !== 'done'));
      assert.match(down.json.laggards[0].unit.pathNames, /^Hồ Chí Minh \/ /);
      // Overdue once the due date has passed.
      now = new Date('2026-11-28T02:00:00Z');
      const late = await api('lanhdao').get(`/api/directives/${directiveId}/board`);
      assert.equal(late.json.rows[0].overdue, 167);
      assert.equal(late.json.laggards[0].daysLate, 1);
      now = START;
      const denied = await api('tinh79').post(`/api/directives/${directiveId}/remind`);
      assert.equal(denied.status, 403);
      const r = await api('lanhdao').post(`/api/directives/${directiveId}/remind`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { reminded: 167 });
      const mine = await api('xa00004').get(`/api/directives/${directiveId}/board`);
      assert.equal(mine.status, 404);
    });

    it('refuses bad input with clear errors and creates nothing', async () => {
      const before = await counts();
      const base = {
        title: 'Chỉ đạo thử',
        body: 'Nội dung',
        priority: 'normal',
        dueDate: '2026-12-01',
        target: { kind: 'units', version: '2025', units: ['26740'] },
      };
      const cases: [string, ApiClient, unknown, number, string][] = [
        [
          'past due date',
          api('lanhdao'),
          { ...base, dueDate: '2026-11-22' },
          400,
          'validation_failed',
        ],
        [
          'body over the limit',
          api('lanhdao'),
          { ...base, body: 'x'.repeat(20_001) },
          400,
          'validation_failed',
        ],
        [
          'no unit',
          api('lanhdao'),
          { ...base, target: { kind: 'level', version: '2025', unit: '26740', level: 3 } },
          422,
          'no_recipients',
        ],
        [
          'unknown unit',
          api('lanhdao'),
          { ...base, target: { kind: 'units', version: '2025', units: ['99999'] } },
          404,
          'unknown_unit',
        ],
        [
          'unknown group',
          api('lanhdao'),
          { ...base, target: { kind: 'group', version: '2025', group: 'NOPE' } },
          404,
          'not_found',
        ],
        [
          'outside the scope',
          api('ld79'),
          { ...base, target: { kind: 'units', units: ['26740', '00004'] } },
          403,
          'out_of_scope',
        ],
        [
          'nation from a province',
          api('ld79'),
          { ...base, target: { kind: 'nation' } },
          403,
          'out_of_scope',
        ],
        ['an officer issuing', api('tinh79'), base, 403, 'forbidden'],
        [
          'an attachment not uploaded',
          api('lanhdao'),
          { ...base, attachmentIds: [999999] },
          400,
          'file_invalid',
        ],
      ];
      for (const [what, client, body, status, code] of cases) {
        const r = await client.post('/api/directives', body);
        assert.equal(r.status, status, `${what}: ${r.text}`);
        assert.equal(r.json.error.code, code, what);
        assert.ok(r.json.error.messages.vi && r.json.error.messages.en, what);
      }
      const exe = await upload('lanhdao', 'virus.exe', new Uint8Array([0x4d, 0x5a, 0, 0]));
      assert.equal(exe.status, 400);
      assert.equal(exe.json.error.code, 'file_invalid');
      assert.match(exe.json.error.messages.vi, /không được phép/);
      const big = new Uint8Array(10 * 1024 * 1024 + 1);
      big.set([0x25, 0x50, 0x44, 0x46]);
      const tooBig = await upload('lanhdao', 'lon.pdf', big);
      assert.equal(tooBig.status, 413);
      assert.match(tooBig.json.error.messages.en, /too large/);
      assert.deepEqual(await counts(), before);
    });

    it('issues with an attachment the recipients may download', async () => {
      const pdf = await upload(
        'lanhdao',
        'cong-van.pdf',
        new TextEncoder().encode('%PDF-1.4 test'),
      );
      assert.equal(pdf.status, 201);
      assert.equal(pdf.json.contentType, 'application/pdf');
      const r = await api('lanhdao').post('/api/directives', {
        title: 'Công văn kèm tệp',
        body: 'Xem tệp đính kèm',
        priority: 'urgent',
        dueDate: '2026-12-01',
        target: { kind: 'units', version: '2025', units: ['26740'] },
        attachmentIds: [pdf.json.id],
      });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.directive.attachments[0].fileName, 'cong-van.pdf');
      const dl = await api('xa26740').get(`/api/attachments/${pdf.json.id}`);
      assert.equal(dl.status, 200);
      assert.equal(dl.text, '%PDF-1.4 test');
      assert.equal((await api('xa00004').get(`/api/attachments/${pdf.json.id}`)).status, 404);
      // Claimed once: citing it again is refused.
      const again = await api('lanhdao').post('/api/directives', {
        title: 'Lần hai',
        body: '',
        priority: 'normal',
        dueDate: '2026-12-01',
        target: { kind: 'units', version: '2025', units: ['26740'] },
        attachmentIds: [pdf.json.id],
      });
      assert.equal(again.json.error.code, 'file_invalid');
    });

    it('assigns a standalone task with milestones, comments, a weekly plan and the follow-up board', async () => {
      const r = await api('tinh79').post('/api/tasks', {
        title: 'Tổng hợp báo cáo tuần',
        unit: '26740',
        dueDate: '2026-11-26',
        milestones: [{ title: 'Thu thập số liệu', due: '2026-11-24' }],
      });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.directive, null);
      assert.equal(r.json.milestones.length, 1);
      const id = r.json.id;
      const m = await api('xa26740').post(
        `/api/tasks/${id}/milestones/${r.json.milestones[0].id}/done`,
      );
      assert.equal(m.status, 200, m.text);
      assert.ok(m.json.milestones[0].doneAt);
      const c = await api('tinh79').post(`/api/tasks/${id}/comments`, { body: 'Nhớ gửi đúng hạn' });
      assert.equal(c.status, 201, c.text);
      const h = await api('xa26740').get(`/api/tasks/${id}/history`);
      assert.equal(h.json.comments[0].body, 'Nhớ gửi đúng hạn');
      const outside = await api('tinh79').post('/api/tasks', {
        title: 'x',
        unit: '00004',
        dueDate: '2026-11-26',
      });
      assert.equal(outside.status, 403);

      const week = '2026-W48';
      const plan = await api('xa26740').get(`/api/plans/26740/${week}`);
      assert.equal(plan.status, 200, plan.text);
      assert.equal(plan.json.status, 'draft');
      assert.ok(plan.json.tasks.some((x: { id: number }) => x.id === id));
      assert.equal((await api('xa26740').get('/api/plans/26740/2026-48')).status, 400);
      const early = await api('ld79').post(`/api/plans/26740/${week}/decision`, { approve: true });
      assert.equal(early.json.error.code, 'invalid_transition');
      const sub = await api('xa26740').post(`/api/plans/26740/${week}/submit`, {
        note: 'Kế hoạch tuần 48',
      });
      assert.equal(sub.status, 200, sub.text);
      assert.equal(sub.json.status, 'submitted');
      // The leader's list of the week: the ward's plan awaits a decision; the ward itself
      // does not see its own plan among those to decide.
      const waiting = await api('ld79').get(`/api/plans?week=${week}&status=submitted`);
      assert.equal(waiting.status, 200, waiting.text);
      assert.deepEqual(
        waiting.json.items.map((x: { unit: { code: string }; status: string }) => [
          x.unit.code,
          x.status,
        ]),
        [['26740', 'submitted']],
      );
      assert.equal(waiting.json.week, week);
      assert.deepEqual((await api('xa26740').get(`/api/plans?week=${week}`)).json.items, []);
      assert.equal((await api('ld79').get('/api/plans?week=2026-48')).status, 400);
      const self = await api('xa26740').post(`/api/plans/26740/${week}/decision`, {
        approve: true,
      });
      assert.equal(self.status, 403);
      const ret = await api('ld79').post(`/api/plans/26740/${week}/decision`, {
        approve: false,
        note: 'Bổ sung chỉ tiêu',
      });
      assert.equal(ret.json.status, 'returned');
      await api('xa26740').post(`/api/plans/26740/${week}/submit`, {});
      const ok = await api('ld79').post(`/api/plans/26740/${week}/decision`, { approve: true });
      assert.equal(ok.json.status, 'approved');
      assert.equal(ok.json.decidedBy, 'ld79');

      now = new Date('2026-11-27T02:00:00Z');
      const f = await api('ld79').get('/api/followup?unit=79&weeks=4');
      assert.equal(f.status, 200, f.text);
      assert.equal(f.json.week, '2026-W48');
      assert.ok(f.json.overdue.some((x: { id: number }) => x.id === id));
      assert.ok(f.json.dueThisWeek.length >= 160);
      const saigon = f.json.onTime.find((u: { unit: { code: string } }) => u.unit.code === '26740');
      assert.equal(saigon.weeks.length, 4);
      const w48 = saigon.weeks.at(-1);
      assert.equal(w48.week, '2026-W48');
      assert.equal(w48.due, 2);
      assert.equal(w48.onTime, 1);
      now = START;
    });
  });
}
