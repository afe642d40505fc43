import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import exifr from 'exifr';
import sharp from 'sharp';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Role } from '../domain/access.ts';
import { autoFlag } from '../domain/citizen-report-moderation.ts';
import { citizenUploadKey } from '../services/citizen-report.service.ts';

/**
 * Moderation of citizens' reports and officers' answer photos (issue 20, "Abuse"): a report
 * that breaks a rule at intake is still received and routed but waits in its unit's queue; an
 * officer may flag one; the queue shows a unit's own; release puts it back, hide refuses it as
 * abusive and the public page then shows neither its text nor its photos. An answer photo loses
 * its GPS position before anyone outside sees it.
 */

const PW = 'Moder-pw-12345';
const USERS: { username: string; role: Role; code: string }[] = [
  // Phường Bến Thành, Hồ Chí Minh City; the city; Phường Hoàn Kiếm, Hà Nội.
  { username: 'cb26743', role: 'officer', code: '26743' },
  { username: 'ld79', role: 'leader', code: '79' },
  { username: 'cb00070', role: 'officer', code: '00070' },
  { username: 'xem26743', role: 'viewer', code: '26743' },
];
const vn = (s: string) => new Date(`${s}+07:00`);
const BEN_THANH = { lat: 10.7725, lon: 106.698 };

/** A phone's JPEG with its GPS position in Hà Nội (as public-photo.test.ts makes one). */
const phoneJpeg = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a6fb0' } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'PhoneCam', Artist: 'Nguyen Van A' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '21/1 1/1 30/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '105/1 51/1 0/1',
      },
    })
    .toBuffer();

describe('the automatic moderation rule', () => {
  it('flags links, repeats, mashing and insults, and leaves ordinary reports alone', () => {
    assert.equal(autoFlag('Vay tiền nhanh tại https://vay-nhanh.example', false), 'link');
    assert.equal(autoFlag('Xem ngay www.khuyenmai.vn nhé', false), 'link');
    assert.equal(autoFlag('Ổ gà lớn trước số 12 đường Lê Lợi', true), 'repeat');
    assert.equal(autoFlag('aaaaaaaaaaaaaaaa', false), 'gibberish');
    assert.equal(autoFlag('!!!! 1234 5678 #### $$$$ %%%% 999', false), 'gibberish');
    assert.equal(autoFlag('Cán bộ phường là đồ chó', false), 'insult');
    assert.equal(autoFlag('dit me may', false), 'insult');
    assert.equal(autoFlag('Ổ gà lớn trước số 12 đường Lê Lợi', false), undefined);
    assert.equal(autoFlag('Gọi tôi 0912 345 678 hoặc dan.pho@mail.example.vn', false), undefined);
    // "lớn" (big) and "đèo" (a pass) are not insults, with or without diacritics.
    assert.equal(autoFlag('Cay lon do qua deo Hai Van', false), undefined);
    assert.equal(autoFlag('Số nhà 123/45/67 đường 3/2, quận 10', false), undefined);
  });
});

for (const engine of testEngines()) {
  describe(`moderation of citizens' reports on ${engine}`, () => {
    let t: TestDb;
    let now = vn('2026-11-23T10:00:00');
    const as = new Map<string, ApiClient>();
    const api = (u: string) => as.get(u)!;
    let citizen: ApiClient;

    const send = (description: string, place: unknown = BEN_THANH, photos: unknown[] = []) =>
      citizen.post('/api/public/reports', {
        category: 'THU_TUC_HANH_CHINH',
        description,
        place,
        photos,
      });
    const idOf = async (code: string) =>
      (await t.services.store.repos.citizenReports.byCode(code))!.id;
    const audits = async (id: number) =>
      t.database.db
        .selectFrom('audit_event')
        .select(['action', 'actor_kind', 'actor_name', 'after'])
        .where('entity_type', '=', 'citizen_report')
        .where('entity_id', '=', String(id))
        .orderBy('id')
        .execute();
    const queue = async (u: string) => {
      const r = await api(u).get('/api/reports/moderation');
      assert.equal(r.status, 200, r.text);
      return r.json.items as { id: number; code: string; moderation: { rule: string } }[];
    };
    /** Uploads through the signed-in attachment route, as the officer's browser does. */
    const upload = async (user: string, bytes: Uint8Array, name: string) => {
      const app = api(user).app;
      const login = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user, password: PW }),
      });
      const cookie = login.headers
        .getSetCookie()
        .map((s) => s.split(';')[0])
        .join('; ');
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const form = new FormData();
      form.append('file', new File([new Uint8Array(bytes)], name));
      const res = await app.request('/api/attachments', {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken },
        body: form,
      });
      assert.equal(res.status, 201, await res.clone().text());
      return ((await res.json()) as { id: number }).id;
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => now, publicLimitScale: 1000 });
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      await signInUsers(t.services, USERS, PW, '2025', as);
      citizen = ApiClient.for(t.services);
    });
    after(() => t.close());

    it('receives and routes a report with a link, flagged into its unit’s queue only', async () => {
      const r = await send('Vay tiền không thế chấp, xem tại http://vay-nhanh.example/ngay');
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.handler.code, '26743', 'routed as any report');
      const id = await idOf(r.json.code);
      const officer = await api('cb26743').get(`/api/reports/${id}`);
      assert.equal(officer.json.moderation.state, 'flagged');
      assert.equal(officer.json.moderation.rule, 'link');
      assert.equal(officer.json.moderation.by, 'system');
      assert.ok(officer.json.taskId, 'its task is open in the unit’s inbox');
      // In the ward's and the city's queue; not in Hà Nội's.
      assert.ok((await queue('cb26743')).some((x) => x.id === id && x.moderation.rule === 'link'));
      assert.ok((await queue('ld79')).some((x) => x.id === id));
      assert.ok(!(await queue('cb00070')).some((x) => x.id === id));
      // A viewer reads reports but does not moderate.
      assert.equal((await api('xem26743').get('/api/reports/moderation')).status, 403);
      // The citizen's page does not tell why it waits.
      const pub = await citizen.get(`/api/public/reports/${r.json.code}`);
      assert.equal(pub.status, 200);
      assert.ok(!pub.text.includes('đường dẫn'), pub.text);
      assert.ok(!pub.text.includes('moderation'), pub.text);
      const log = await audits(id);
      assert.deepEqual(
        log.map((a) => [a.action, a.actor_kind]),
        [
          ['citizen_report.receive', 'citizen'],
          ['citizen_report.flag', 'system'],
        ],
      );
    });

    it('flags the same text sent again within a day, from any address', async () => {
      const text = 'Hồ sơ cấp giấy phép xây dựng trễ hẹn ba tuần rồi';
      const first = await send(text);
      assert.equal(first.status, 201, first.text);
      now = new Date(now.getTime() + 3_600_000);
      const again = await send(`  ${text.toUpperCase()}!! `);
      assert.equal(again.status, 201, again.text);
      const firstId = await idOf(first.json.code);
      const againId = await idOf(again.json.code);
      const q = await queue('cb26743');
      assert.ok(!q.some((x) => x.id === firstId), 'the first one is not flagged');
      assert.ok(q.some((x) => x.id === againId && x.moderation.rule === 'repeat'));
      // A day later the same text is a report like any.
      now = new Date(now.getTime() + 25 * 3_600_000);
      // Sessions end after a day idle: sign in again.
      for (const u of USERS)
        assert.equal((await api(u.username).login(u.username, PW)).status, 200);
      const later = await send(text);
      assert.ok(!(await queue('cb26743')).some((x) => x.code === later.json.code));
    });

    it('lets an officer of the handling unit flag a report, never one of another unit', async () => {
      const r = await send('Cán bộ tiếp dân nói chuyện khó nghe');
      const id = await idOf(r.json.code);
      assert.ok(!(await queue('cb26743')).some((x) => x.id === id));
      const outside = await api('cb00070').post(`/api/reports/${id}/flag`, { reason: 'Thử' });
      assert.equal(outside.status, 403, outside.text);
      const empty = await api('cb26743').post(`/api/reports/${id}/flag`, { reason: '  ' });
      assert.equal(empty.status, 400, empty.text);
      const f = await api('cb26743').post(`/api/reports/${id}/flag`, {
        reason: 'Nghi ngờ phản ánh giả mạo lặp lại',
      });
      assert.equal(f.status, 200, f.text);
      assert.equal(f.json.moderation.state, 'flagged');
      assert.equal(f.json.moderation.rule, 'officer');
      assert.ok((await queue('cb26743')).some((x) => x.id === id));
      const twice = await api('cb26743').post(`/api/reports/${id}/flag`, { reason: 'Lại' });
      assert.equal(twice.status, 409, twice.text);
      const pub = await citizen.get(`/api/public/reports/${r.json.code}`);
      assert.ok(!pub.text.includes('giả mạo'), 'the reason stays inside');
      const log = await audits(id);
      assert.equal(log.at(-1)!.action, 'citizen_report.flag');
      assert.equal(log.at(-1)!.actor_kind, 'user');
      // Released: back to normal, out of the queue, and a release needs a flag.
      const rel = await api('cb26743').post(`/api/reports/${id}/moderate`, {
        decision: 'release',
        reason: 'Đã xác minh là phản ánh thật',
      });
      assert.equal(rel.status, 200, rel.text);
      assert.equal(rel.json.moderation.state, 'none');
      assert.equal(rel.json.status, 'received', 'its handling goes on');
      assert.ok(!(await queue('cb26743')).some((x) => x.id === id));
      const again = await api('cb26743').post(`/api/reports/${id}/moderate`, {
        decision: 'hide',
        reason: 'x',
      });
      assert.equal(again.status, 409, again.text);
      assert.equal((await audits(id)).at(-1)!.action, 'citizen_report.moderate');
    });

    it('hides an abusive report: refused, its task done, the public sees neither text nor photos', async () => {
      const key = 'photo-key-1';
      const photo = (
        await t.services.store.repos.attachments.insert({
          fileName: 'anh.jpg',
          contentType: 'image/jpeg',
          bytes: new Uint8Array(await phoneJpeg()),
          createdBy: citizenUploadKey(key),
          at: now,
        })
      ).id;
      const r = await send('Bọn cán bộ phường là đồ chó hết', BEN_THANH, [{ id: photo, key }]);
      assert.equal(r.status, 201, r.text);
      const id = await idOf(r.json.code);
      assert.ok(
        (await queue('cb26743')).some((x) => x.id === id && x.moderation.rule === 'insult'),
      );
      const outside = await api('cb00070').post(`/api/reports/${id}/moderate`, {
        decision: 'hide',
        reason: 'x',
      });
      assert.equal(outside.status, 403, outside.text);
      const h = await api('ld79').post(`/api/reports/${id}/moderate`, {
        decision: 'hide',
        reason: 'Lăng mạ cán bộ, không có nội dung phản ánh',
      });
      assert.equal(h.status, 200, h.text);
      assert.equal(h.json.status, 'refused');
      assert.equal(h.json.moderation.state, 'hidden');
      assert.equal(h.json.description, 'Bọn cán bộ phường là đồ chó hết', 'officers still see it');
      const task = await t.services.store.repos.tasks.byId(h.json.taskId);
      assert.equal(task!.status, 'done');
      assert.ok(!(await queue('cb26743')).some((x) => x.id === id));

      const pub = await citizen.get(`/api/public/reports/${r.json.code}`);
      assert.equal(pub.status, 200, pub.text);
      assert.equal(pub.json.status, 'refused');
      assert.equal(pub.json.description, '');
      assert.match(pub.json.refusedReason, /vi phạm/);
      assert.deepEqual(pub.json.photos, []);
      assert.ok(!pub.text.includes('đồ chó'));
      assert.ok(!pub.text.includes('Lăng mạ'), 'the officer’s reason stays inside');
      const file = await citizen.download(`/api/public/reports/${r.json.code}/photos/${photo}`);
      assert.equal(file.status, 404);

      const log = await audits(id);
      const last = log.at(-1)!;
      assert.equal(last.action, 'citizen_report.moderate');
      assert.equal(last.actor_kind, 'user');
      assert.deepEqual((last.after as { decision: string; status: string }).decision, 'hide');
    });

    it('keeps a flagged report off the public answers and Open311 lists until released', async () => {
      const text = 'Rác thải đổ trộm ở hẻm 45 Lê Thánh Tôn www.dondep.vn';
      const r = await send(text);
      const id = await idOf(r.json.code);
      assert.equal((await api('cb26743').post(`/api/reports/${id}/acknowledge`, {})).status, 200);
      const a = await api('cb26743').post(`/api/reports/${id}/answer`, {
        answer: 'Đã thu gom rác ngày 25/11',
      });
      assert.equal(a.status, 200, a.text);
      assert.equal(a.json.moderation.state, 'flagged');
      const listed = async () => {
        const answers = await citizen.get('/api/public/answers?unit=79');
        assert.equal(answers.status, 200, answers.text);
        const o311 = await citizen.get('/open311/v2/requests.json');
        assert.equal(o311.status, 200, o311.text);
        return {
          answers: answers.text.includes('Lê Thánh Tôn'),
          open311: o311.text.includes('Lê Thánh Tôn'),
        };
      };
      assert.deepEqual(await listed(), { answers: false, open311: false });
      const rel = await api('cb26743').post(`/api/reports/${id}/moderate`, {
        decision: 'release',
        reason: 'Phản ánh thật, đường dẫn là của công ty vệ sinh',
      });
      assert.equal(rel.status, 200, rel.text);
      assert.deepEqual(await listed(), { answers: true, open311: true });
    });

    it('strips the GPS position from an officer’s answer photo, and refuses a non-image', async () => {
      const r = await send('Đèn đường trước chợ Bến Thành bị hỏng');
      const id = await idOf(r.json.code);
      assert.equal((await api('cb26743').post(`/api/reports/${id}/acknowledge`, {})).status, 200);
      const jpeg = new Uint8Array(await phoneJpeg());
      assert.ok((await exifr.gps(jpeg))?.latitude, 'the photo as taken has a position');

      const pdf = await upload('cb26743', new TextEncoder().encode('%PDF-1.4\n%%EOF\n'), 'cv.pdf');
      const refused = await api('cb26743').post(`/api/reports/${id}/answer`, {
        answer: 'Đã thay bóng đèn',
        attachmentIds: [pdf],
      });
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.json.error.code, 'file_invalid');
      assert.match(refused.json.error.messages.vi, /chỉ nhận ảnh/);
      const still = await api('cb26743').get(`/api/reports/${id}`);
      assert.equal(still.json.status, 'in_progress', 'nothing stored half');

      const photo = await upload('cb26743', jpeg, 'IMG_2041.jpg');
      const ok = await api('cb26743').post(`/api/reports/${id}/answer`, {
        answer: 'Đã thay bóng đèn ngày 24/11',
        attachmentIds: [photo],
      });
      assert.equal(ok.status, 200, ok.text);
      const pub = await citizen.get(`/api/public/reports/${r.json.code}`);
      assert.equal(pub.json.answerPhotos.length, 1);
      const file = await citizen.download(pub.json.answerPhotos[0].url);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-type'), 'image/jpeg');
      const meta = await sharp(file.bytes).metadata();
      assert.equal(meta.width, 64, 'still the photo');
      assert.equal(meta.exif, undefined, 'no EXIF left');
      assert.equal(await exifr.gps(file.bytes).catch(() => undefined), undefined);
    });
  });
}
