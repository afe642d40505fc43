import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Role } from '../domain/access.ts';
import { citizenUploadKey } from '../services/citizen-report.service.ts';

/**
 * Citizens' reports (issue 20) through the API: a citizen without an account sends a report,
 * it becomes a task of the unit that must act (the commune of the place, its province, or a
 * named unit, on the 2025 tree), with deadlines in working time; officers acknowledge,
 * transfer, ask, answer with proof; the citizen follows, adds, reopens, rates. The public page
 * never shows the contact nor an officer's name. Bad input is refused whole.
 */

const PW = 'Report-pw-12345';
const USERS: { username: string; role: Role; code: string }[] = [
  // Phường Bến Thành and Phường Sài Gòn, Hồ Chí Minh City; the city; Phường Hoàn Kiếm, Hà Nội.
  { username: 'cb26743', role: 'officer', code: '26743' },
  { username: 'cb26740', role: 'officer', code: '26740' },
  { username: 'xem26743', role: 'viewer', code: '26743' },
  { username: 'ld79', role: 'leader', code: '79' },
  { username: 'cb00070', role: 'officer', code: '00070' },
];
const OFFICER_NAME = 'Nguyễn Thị Cán Bộ';

/** Viet Nam's wall clock (UTC+7) as an instant. */
const vn = (s: string) => new Date(`${s}+07:00`);
const BEN_THANH = { lat: 10.7725, lon: 106.698 };
// A real 1×1 PNG: an answer's photos are decoded and encoded anew (without metadata).
const PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);

for (const engine of testEngines()) {
  describe(`citizens' reports on ${engine}`, () => {
    let t: TestDb;
    let now = vn('2026-11-23T10:00:00'); // a Monday
    const as = new Map<string, ApiClient>();
    const api = (u: string) => as.get(u)!;
    let citizen: ApiClient;

    const count = async (table: string, where = sql`true`) => {
      const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
        where ${where}`.execute(t.database.db);
      return r.rows[0]!.n;
    };
    const counts = async () => ({
      reports: await count('citizen_report'),
      events: await count('citizen_report_event'),
      tasks: await count('task'),
      audit: await count('audit_event'),
      claimed: await count('attachment', sql`owner_kind <> 'pending'`),
    });
    const send = (body: Record<string, unknown>, headers?: Record<string, string>) =>
      citizen.post('/api/public/reports', body, headers);
    const report = (description: string, extra: Record<string, unknown> = {}) => ({
      category: 'THU_TUC_HANH_CHINH',
      description,
      place: BEN_THANH,
      ...extra,
    });
    const idOf = async (code: string) =>
      (await t.services.store.repos.citizenReports.byCode(code))!.id;
    /** A photo uploaded by a signed-in officer, pending until cited. */
    const officerPhoto = async (username: string) => {
      const u = await t.database.db
        .selectFrom('app_user')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      return (
        await t.services.store.repos.attachments.insert({
          fileName: 'proof.png',
          contentType: 'image/png',
          bytes: PNG,
          createdBy: `user:${u.id}`,
          at: now,
        })
      ).id;
    };
    /** A photo as the public upload stores it: pending, owned by the hash of its key. */
    const citizenPhoto = async (key: string) =>
      (
        await t.services.store.repos.attachments.insert({
          fileName: 'o-ga.png',
          contentType: 'image/png',
          bytes: PNG,
          createdBy: citizenUploadKey(key),
          at: now,
        })
      ).id;
    const acknowledged = async (code: string, officer = 'cb26743') => {
      const id = await idOf(code);
      const r = await api(officer).post(`/api/reports/${id}/acknowledge`, {});
      assert.equal(r.status, 200, r.text);
      return id;
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => now, publicLimitScale: 1000 });
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      as.set('admin', admin);
      await signInUsers(t.services, USERS, PW, '2025', as);
      await t.database.db
        .updateTable('app_user')
        .set({ display_name: OFFICER_NAME })
        .where('username', '=', 'cb26743')
        .execute();
      citizen = ApiClient.for(t.services);
      // A category handled by one named unit: the city's water company, as the city (79).
      const c = await admin.post('/api/citizenCategories', {
        code: 'CAP_NUOC',
        nameVi: 'Cấp nước',
        nameEn: 'Water supply',
        handledBy: { level: 'unit', unit: '79' },
        acknowledgeWithin: { hours: 4 },
        answerWithin: { days: 3 },
      });
      assert.equal(c.status, 201, c.text);
    });
    after(() => t.close());

    it('routes a report from a map point or a commune code to the unit the category names, as its task', async () => {
      const seen = new Promise<{ topic: string; json: string; path: string | null }>((resolve) => {
        void t.services.live.subscribe((e) => {
          if (e.topic === 'task' && e.json.includes('"reportId"') && e.json.includes('"created"'))
            resolve(e);
        });
      });
      // Commune level, from a point: Bến Thành market lies in Phường Bến Thành.
      const r = await send(report('Hồ sơ đất đai trễ hẹn 3 tuần'));
      assert.equal(r.status, 201, r.text);
      assert.match(r.json.code, /^PA-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      assert.equal(r.json.status, 'received');
      assert.equal(r.json.handler.code, '26743');
      assert.equal(r.json.handler.name, 'Bến Thành');
      assert.equal(r.json.statusUrl, `/api/public/reports/${r.json.code}`);
      // Its task, in the ward's open inbox, and live.
      const event = await seen;
      assert.ok(event.path?.endsWith('/26743/'), event.path ?? '');
      const inbox = await api('cb26743').get('/api/inbox');
      const task = inbox.json.items.find((x: { title: string }) => x.title.includes(r.json.code));
      assert.ok(task, 'the task is in the ward inbox');
      assert.equal(task.title, `Phản ánh ${r.json.code}: Thủ tục hành chính`);
      assert.equal(task.reportId, await idOf(r.json.code));
      assert.equal(task.dueDate, '2026-11-30');
      assert.equal(task.status, 'received');

      // Province level (5656), from the same point: Hồ Chí Minh City.
      const spam = await send(
        report('Tin nhắn lừa đảo từ số 0899999999', { category: 'TIN_NHAN_RAC_5656' }),
      );
      assert.equal(spam.status, 201, spam.text);
      assert.equal(spam.json.handler.code, '79');
      // Commune level from a commune found by name (its code): Phường Hoàn Kiếm, Hà Nội.
      const hk = await send(report('Xin hỏi thủ tục cấp phép', { place: { unit: '00070' } }));
      assert.equal(hk.status, 201, hk.text);
      assert.equal(hk.json.handler.code, '00070');
      const province = await send(
        report('Tin nhắn rác', { category: 'TIN_NHAN_RAC_5656', place: { unit: '00070' } }),
      );
      assert.equal(province.json.handler.code, '01');
      // A named unit whatever the place: the city, for a report from Hà Nội's commune too.
      const water = await send(
        report('Mất nước 2 ngày', { category: 'CAP_NUOC', place: { unit: '00070' } }),
      );
      assert.equal(water.status, 201, water.text);
      assert.equal(water.json.handler.code, '79');
      const pub = await citizen.get(`/api/public/reports/${water.json.code}`);
      assert.equal(pub.json.place.commune.fullName, 'Phường Hoàn Kiếm');
      assert.equal(pub.json.place.province.code, '01');
      assert.equal(pub.json.handler.code, '79');
      // Audited as the public, in the same transaction.
      assert.equal(
        await count(
          'audit_event',
          sql`action = 'citizen_report.receive' and actor_kind = 'citizen' and entity_id = ${String(await idOf(water.json.code))}`,
        ),
        1,
      );
    });

    it('counts the deadlines in working hours, past a weekend and a holiday', async () => {
      // Friday 16:00, 8 working hours to acknowledge, 5 working days to answer.
      now = vn('2026-11-20T16:00:00');
      const fri = await send(report('Gửi chiều thứ Sáu'));
      assert.equal(fri.status, 201, fri.text);
      assert.equal(fri.json.acknowledgeDue, vn('2026-11-23T16:00:00').toISOString());
      assert.equal(fri.json.answerDue, vn('2026-11-27T17:00:00').toISOString());
      // Friday 28 August: 29 August to 2 September are off (National Day).
      now = vn('2026-08-28T16:00:00');
      const nd = await send(report('Gửi trước lễ Quốc khánh'));
      assert.equal(nd.status, 201, nd.text);
      assert.equal(nd.json.acknowledgeDue, vn('2026-09-03T16:00:00').toISOString());
      assert.equal(nd.json.answerDue, vn('2026-09-09T17:00:00').toISOString());
      const task = await t.services.store.repos.tasks.byId(
        (await t.services.store.repos.citizenReports.byCode(nd.json.code))!.task_id!,
      );
      assert.equal(task!.due_date, '2026-09-09');
      now = vn('2026-11-23T10:00:00');
    });

    it('escalates an overdue report with its task, and says so in public', async () => {
      now = vn('2026-11-02T09:00:00');
      const r = await send(report('Chưa ai xử lý'));
      assert.equal(r.status, 201, r.text);
      now = vn('2026-11-23T10:00:00');
      assert.ok((await t.services.tasks.escalateOverdue()) >= 1);
      const pub = await citizen.get(`/api/public/reports/${r.json.code}`);
      const last = pub.json.history.at(-1);
      assert.equal(last.kind, 'escalated');
      assert.match(last.note, /cấp trên/);
      const officer = await api('ld79').get(`/api/reports/${await idOf(r.json.code)}`);
      assert.equal(officer.json.overdue, true);
      const task = await t.services.store.repos.tasks.byId(officer.json.taskId);
      assert.ok(task!.escalated_at);
      // Once: a second run adds nothing.
      const events = await count('citizen_report_event', sql`kind = 'escalated'`);
      await t.services.tasks.escalateOverdue();
      assert.equal(await count('citizen_report_event', sql`kind = 'escalated'`), events);
    });

    it('transfers within reach with a reason, audited; refuses beyond reach or without a reason', async () => {
      const r = await send(report('Việc của phường bên cạnh'));
      const id = await idOf(r.json.code);
      const before = await counts();
      const noReason = await api('cb26743').post(`/api/reports/${id}/transfer`, { unit: '26740' });
      assert.equal(noReason.status, 400, noReason.text);
      const blank = await api('cb26743').post(`/api/reports/${id}/transfer`, {
        unit: '26740',
        reason: '   ',
      });
      assert.equal(blank.status, 400, blank.text);
      assert.match(blank.json.error.messages.vi, /Lý do chuyển không được để trống/);
      const far = await api('cb26743').post(`/api/reports/${id}/transfer`, {
        unit: '00070',
        reason: 'Sai địa bàn',
      });
      assert.equal(far.status, 403, far.text);
      assert.equal(far.json.error.code, 'out_of_scope');
      assert.match(far.json.error.messages.vi, /Hoàn Kiếm/);
      assert.match(far.json.error.messages.en, /parent unit/);
      const stranger = await api('cb00070').post(`/api/reports/${id}/transfer`, {
        unit: '00070',
        reason: 'Lấy về',
      });
      assert.equal(stranger.status, 403, stranger.text);
      assert.deepEqual(await counts(), before, 'nothing stored');

      // A sibling ward of the same city is within the ward's parent's scope.
      const ok = await api('cb26743').post(`/api/reports/${id}/transfer`, {
        unit: '26740',
        reason: 'Địa điểm thuộc phường Sài Gòn',
        internalNote: 'Đã gọi điện cho phường Sài Gòn',
      });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.status, 'forwarded');
      assert.equal(ok.json.handler.code, '26740');
      assert.equal(ok.json.answerDue, r.json.answerDue, "the citizen's clock does not restart");
      const task = await t.services.store.repos.tasks.byId(ok.json.taskId);
      assert.equal(task!.unit_code, '26740');
      assert.equal(task!.status, 'received');
      const moved = await t.services.store.repos.tasks.events(ok.json.taskId);
      assert.equal(moved.at(-1)!.kind, 'transferred');
      assert.equal(
        await count(
          'audit_event',
          sql`action = 'citizen_report.transfer' and entity_id = ${String(id)}`,
        ),
        1,
      );
      // The ward it left no longer sees it; the new one does.
      assert.equal((await api('cb26743').get(`/api/reports/${id}`)).status, 403);
      assert.equal((await api('cb26740').get(`/api/reports/${id}`)).status, 200);
      const pub = await citizen.get(`/api/public/reports/${r.json.code}`);
      const fwd = pub.json.history.find((e: { kind: string }) => e.kind === 'forwarded');
      assert.equal(fwd.note, 'Địa điểm thuộc phường Sài Gòn');
      assert.deepEqual(fwd.fromUnit, { code: '26743', name: 'Bến Thành' });
      assert.deepEqual(fwd.toUnit, { code: '26740', name: 'Sài Gòn' });
      assert.ok(!pub.text.includes('Đã gọi điện'), 'the internal note stays inside');
    });

    it('shows the public page without the contact and without officers’ names', async () => {
      const r = await send(
        report('Cán bộ một cửa hẹn lại nhiều lần', {
          contact: { phone: '+84 912 345 678', email: 'Dan.Pho@Example.VN' },
        }),
      );
      assert.equal(r.status, 201, r.text);
      const id = await acknowledged(r.json.code);
      const q = await api('cb26743').post(`/api/reports/${id}/request-info`, {
        question: 'Xin cho biết ngày nộp hồ sơ',
      });
      assert.equal(q.status, 200, q.text);
      const answered = await api('cb26743').post(`/api/reports/${id}/answer`, {
        answer: 'Hồ sơ đã được trả kết quả ngày 20/11',
        internalNote: 'Cán bộ Lan phụ trách',
      });
      assert.equal(answered.status, 200, answered.text);
      // The officers see the contact (normalized), who acted and the internal notes.
      const officer = await api('ld79').get(`/api/reports/${id}`);
      assert.equal(officer.status, 200, officer.text);
      assert.deepEqual(officer.json.contact, { phone: '0912345678', email: 'Dan.Pho@example.vn' });
      assert.ok(
        officer.json.history.some((e: { actorName: string }) => e.actorName === OFFICER_NAME),
      );
      const list = await api('cb26743').get('/api/reports?status=answered');
      assert.ok(
        list.json.items.some(
          (x: { contact: { phone: string } }) => x.contact.phone === '0912345678',
        ),
      );
      // The public: none of it, in the raw text.
      const pub = await citizen.get(`/api/public/reports/${r.json.code.toLowerCase()}`);
      assert.equal(pub.status, 200, pub.text);
      assert.equal(pub.json.answer, 'Hồ sơ đã được trả kết quả ngày 20/11');
      assert.equal(pub.json.handler.name, 'Bến Thành');
      for (const hidden of [
        '912345678',
        'Dan.Pho',
        'example.vn',
        OFFICER_NAME,
        'cb26743',
        'Lan phụ trách',
        'contact',
      ])
        assert.ok(!pub.text.includes(hidden), `the public page shows ${hidden}`);
      assert.deepEqual(
        pub.json.history.map((e: { kind: string }) => e.kind),
        ['received', 'acknowledged', 'info_requested', 'answered'],
      );
    });

    it('lets the citizen add what was asked, only when asked', async () => {
      const r = await send(report('Thiếu thông tin'));
      const id = await acknowledged(r.json.code);
      const early = await citizen.post(`/api/public/reports/${r.json.code}/info`, { info: 'Thêm' });
      assert.equal(early.status, 409, early.text);
      await api('cb26743').post(`/api/reports/${id}/request-info`, { question: 'Số hồ sơ?' });
      let pub = await citizen.get(`/api/public/reports/${r.json.code}`);
      assert.equal(pub.json.infoRequested, true);
      const info = await citizen.post(`/api/public/reports/${r.json.code}/info`, {
        info: 'Số hồ sơ 123/2026',
      });
      assert.equal(info.status, 200, info.text);
      pub = await citizen.get(`/api/public/reports/${r.json.code}`);
      assert.equal(pub.json.infoRequested, false);
      assert.equal(pub.json.history.at(-1).note, 'Số hồ sơ 123/2026');
    });

    it('answers and closes a report with the photo its category requires', async () => {
      const key = 'key-of-the-citizen-photo';
      const photo = await citizenPhoto(key);
      const r = await send({
        category: 'HA_TANG_DO_THI',
        description: 'Ổ gà sâu trước chợ Bến Thành',
        place: BEN_THANH,
        photos: [{ id: photo, key }],
      });
      assert.equal(r.status, 201, r.text);
      const id = await acknowledged(r.json.code);
      const before = await counts();
      const bare = await api('cb26743').post(`/api/reports/${id}/answer`, { answer: 'Đã vá' });
      assert.equal(bare.status, 422, bare.text);
      assert.equal(bare.json.error.code, 'proof_required');
      assert.match(bare.json.error.messages.vi, /ảnh/);
      const closeBare = await api('cb26743').post(`/api/reports/${id}/close`, { note: 'Đã vá' });
      assert.equal(closeBare.status, 422, closeBare.text);
      assert.equal(closeBare.json.error.code, 'proof_required');
      assert.deepEqual(await counts(), before, 'nothing stored');

      const proof = await officerPhoto('cb26743');
      const ok = await api('cb26743').post(`/api/reports/${id}/answer`, {
        answer: 'Đã vá ổ gà ngày 23/11',
        attachmentIds: [proof],
      });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.status, 'answered');
      const task = await t.services.store.repos.tasks.byId(ok.json.taskId);
      assert.equal(task!.status, 'done');
      const pub = await citizen.get(`/api/public/reports/${r.json.code}`);
      assert.equal(pub.json.photos.length, 1);
      assert.equal(pub.json.answerPhotos.length, 1);
      const file = await citizen.download(pub.json.answerPhotos[0].url);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-type'), 'image/png');
      assert.deepEqual(file.bytes.subarray(0, 8), PNG.subarray(0, 8), 'a PNG, encoded anew');
      assert.equal((await citizen.download(pub.json.photos[0].url)).status, 200);
      // Another report's code does not open this one's photos.
      const other = await send(report('Khác'));
      assert.equal(
        (await citizen.download(`/api/public/reports/${other.json.code}/photos/${proof}`)).status,
        404,
      );
      const closed = await api('cb26743').post(`/api/reports/${id}/close`, {});
      assert.equal(closed.status, 200, closed.text);
      assert.equal(closed.json.status, 'closed');
    });

    it('refuses a generic status change on a report task, pointing to the report', async () => {
      const r = await send(report('Qua nhiệm vụ'));
      const id = await idOf(r.json.code);
      const taskId = (await t.services.store.repos.citizenReports.byId(id))!.task_id!;
      const s = await api('cb26743').post(`/api/tasks/${taskId}/status`, {
        status: 'acknowledged',
      });
      assert.equal(s.status, 409, s.text);
      assert.match(s.json.error.messages.en, new RegExp(`/api/reports/${id}`));
    });

    it('rates an answer once, and not before it', async () => {
      const r = await send(report('Để đánh giá'));
      const early = await citizen.post(`/api/public/reports/${r.json.code}/rating`, { stars: 5 });
      assert.equal(early.status, 409, early.text);
      const id = await acknowledged(r.json.code);
      await api('cb26743').post(`/api/reports/${id}/answer`, { answer: 'Đã giải quyết' });
      const rated = await citizen.post(`/api/public/reports/${r.json.code}/rating`, {
        stars: 4,
        note: 'Nhanh',
      });
      assert.equal(rated.status, 200, rated.text);
      assert.deepEqual(rated.json.rating, { stars: 4, note: 'Nhanh' });
      const again = await citizen.post(`/api/public/reports/${r.json.code}/rating`, { stars: 1 });
      assert.equal(again.status, 409, again.text);
      assert.equal(again.json.error.code, 'conflict');
      const bad = await citizen.post(`/api/public/reports/${r.json.code}/rating`, { stars: 6 });
      assert.equal(bad.status, 400, bad.text);
    });

    it('reopens within seven days as a new task, not after', async () => {
      const a = await send(report('Trả lời chưa thỏa đáng'));
      const b = await send(report('Trả lời đã lâu'));
      for (const r of [a, b]) {
        const id = await acknowledged(r.json.code);
        await api('cb26743').post(`/api/reports/${id}/answer`, { answer: 'Đã trả lời' });
      }
      const start = now;
      now = new Date(start.getTime() + 2 * 86_400_000);
      const firstTask = (await t.services.store.repos.citizenReports.byCode(a.json.code))!.task_id;
      const noReason = await citizen.post(`/api/public/reports/${a.json.code}/reopen`, {});
      assert.equal(noReason.status, 400, noReason.text);
      const ok = await citizen.post(`/api/public/reports/${a.json.code}/reopen`, {
        reason: 'Ổ gà vẫn còn',
      });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.status, 'reopened');
      assert.equal(ok.json.answer, null);
      const row = (await t.services.store.repos.citizenReports.byCode(a.json.code))!;
      assert.notEqual(row.task_id, firstTask);
      const task = await t.services.store.repos.tasks.byId(row.task_id!);
      assert.equal(task!.unit_code, '26743');
      assert.equal(task!.status, 'received');
      now = new Date(start.getTime() + 8 * 86_400_000);
      const late = await citizen.post(`/api/public/reports/${b.json.code}/reopen`, {
        reason: 'Vẫn chưa xong',
      });
      assert.equal(late.status, 409, late.text);
      assert.match(late.json.error.messages.vi, /hết thời hạn mở lại/);
      now = start;
    });

    it('answers a retry with the same Idempotency-Key with the same code, one report stored', async () => {
      const before = await count('citizen_report');
      const headers = { 'idempotency-key': 'retry-of-a-citizen-1' };
      const body = report('Gửi lại do mất sóng');
      const first = await send(body, headers);
      assert.equal(first.status, 201, first.text);
      const again = await send(body, headers);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.json.code, first.json.code);
      assert.equal(await count('citizen_report'), before + 1);
    });

    it('refuses bad input clearly, in both languages, storing nothing', async () => {
      const before = await counts();
      const photo = await citizenPhoto('the-right-key');
      const cases: [string, Record<string, unknown>, number, string, RegExp][] = [
        [
          'empty description',
          report('   '),
          400,
          'validation_failed',
          /Nội dung phản ánh không được để trống/,
        ],
        [
          'over-long description',
          report('x'.repeat(4001)),
          400,
          'validation_failed',
          /tối đa 4.000/,
        ],
        [
          'unknown category',
          report('?', { category: 'KHONG_CO' }),
          422,
          'unknown_category',
          /KHONG_CO/,
        ],
        [
          'outside Viet Nam',
          report('Bangkok', { place: { lat: 13.7563, lon: 100.5018 } }),
          422,
          'place_outside',
          /ngoài lãnh thổ Việt Nam/,
        ],
        [
          'unknown commune',
          report('?', { place: { unit: '99999' } }),
          404,
          'unknown_unit',
          /99999/,
        ],
        [
          'a province is not a commune',
          report('?', { place: { unit: '79' } }),
          404,
          'unknown_unit',
          /xã, phường/,
        ],
        [
          'bad phone',
          report('?', { contact: { phone: '12345' } }),
          400,
          'validation_failed',
          /số điện thoại/,
        ],
        [
          'bad email',
          report('?', { contact: { email: 'dan@' } }),
          400,
          'validation_failed',
          /email/,
        ],
        [
          'a photo with a wrong key',
          report('?', { photos: [{ id: photo, key: 'guessed' }] }),
          400,
          'file_invalid',
          /Ảnh không hợp lệ/,
        ],
      ];
      for (const [what, body, status, code, vi] of cases) {
        const r = await send(body);
        assert.equal(r.status, status, `${what}: ${r.text}`);
        assert.equal(r.json.error.code, code, what);
        assert.match(r.json.error.messages.vi, vi, what);
        assert.ok(r.json.error.messages.en.length > 0, what);
      }
      assert.deepEqual(await counts(), before, 'nothing stored');
      // A tracking code that does not exist.
      const unknown = await citizen.get('/api/public/reports/PA-2222-2222');
      assert.equal(unknown.status, 404, unknown.text);
      assert.match(unknown.json.error.messages.vi, /Không có phản ánh nào mang mã theo dõi/);
      assert.match(unknown.json.error.messages.en, /No report has the tracking code/);
      const rate = await citizen.post('/api/public/reports/PA-2222-2222/rating', { stars: 3 });
      assert.equal(rate.status, 404, rate.text);
      // Closing without proof: a report in progress closed without a note of what was done.
      const r = await send(report('Đóng không bằng chứng'));
      const id = await acknowledged(r.json.code);
      const mid = await counts();
      const close = await api('cb26743').post(`/api/reports/${id}/close`, {});
      assert.equal(close.status, 422, close.text);
      assert.equal(close.json.error.code, 'proof_required');
      assert.match(close.json.error.messages.vi, /kết quả xử lý/);
      // A viewer reads but does not act.
      assert.equal((await api('xem26743').get(`/api/reports/${id}`)).status, 200);
      assert.equal(
        (await api('xem26743').post(`/api/reports/${id}/refuse`, { reason: 'x' })).status,
        403,
      );
      assert.deepEqual(await counts(), mid, 'nothing stored');
    });
  });
}
