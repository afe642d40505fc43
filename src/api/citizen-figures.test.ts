import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Role } from '../domain/access.ts';

/**
 * Response-time figures and public answers of citizens' reports (issue 20): reports in two
 * wards of Hồ Chí Minh City become data values by the job (received, answered on time or late
 * in working hours, time to answer, ratings), read through analytics at the ward and the city
 * as a leader would; the public answers page shows the answers without personal data.
 */

const PW = 'Figures-pw-12345';
const USERS: { username: string; role: Role; code: string }[] = [
  { username: 'cb26743', role: 'officer', code: '26743' }, // Phường Bến Thành
  { username: 'cb26740', role: 'officer', code: '26740' }, // Phường Sài Gòn
  { username: 'ld79', role: 'leader', code: '79' }, // Hồ Chí Minh City
];
const OFFICER_NAME = 'Trần Văn Cán Bộ';
const vn = (s: string) => new Date(`${s}+07:00`);
// A real 1×1 PNG: an answer's photos are decoded and encoded anew (without metadata).
const PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);

for (const engine of testEngines()) {
  describe(`citizens' report figures and public answers on ${engine}`, () => {
    let t: TestDb;
    let now = vn('2026-11-02T09:00:00');
    const as = new Map<string, ApiClient>();
    const api = (u: string) => as.get(u)!;
    let citizen: ApiClient;
    const codes: Record<string, string> = {};

    const send = async (
      name: string,
      unit: string,
      category: string,
      description: string,
      extra = {},
    ) => {
      const r = await citizen.post('/api/public/reports', {
        category,
        description,
        place: { unit },
        ...extra,
      });
      assert.equal(r.status, 201, r.text);
      codes[name] = r.json.code;
    };
    const idOf = async (name: string) =>
      (await t.services.store.repos.citizenReports.byCode(codes[name]!))!.id;
    const act = async (officer: string, name: string, action: string, body = {}) => {
      const r = await api(officer).post(`/api/reports/${await idOf(name)}/${action}`, body);
      assert.equal(r.status, 200, r.text);
    };
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
    /** Moves the clock, and signs the officers in again (their sessions end after hours). */
    const at = async (s: string) => {
      now = vn(s);
      for (const u of USERS)
        assert.equal((await api(u.username).login(u.username, PW)).status, 200);
    };
    const grid = async (query: string) => {
      const r = await api('ld79').get(`/api/analytics?${query}`);
      assert.equal(r.status, 200, r.text);
      const i = (n: string) => r.json.headers.findIndex((h: { name: string }) => h.name === n);
      return Object.fromEntries(
        (r.json.rows as string[][]).map((row) => [
          [row[i('dx')], row[i('ou')]].filter(Boolean).join(' '),
          Number(row[i('value')]),
        ]),
      );
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => now });
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      await signInUsers(t.services, USERS, PW, '2025', as);
      await t.database.db
        .updateTable('app_user')
        .set({ display_name: OFFICER_NAME })
        .where('username', '=', 'cb26743')
        .execute();
      citizen = ApiClient.for(t.services);

      // Bến Thành: B, received Monday 2 November, answered three weeks later (late).
      await send('B', '26743', 'THU_TUC_HANH_CHINH', 'Hồ sơ cấp phép xây dựng trễ hẹn');
      await at('2026-11-03T09:00:00');
      await act('cb26743', 'B', 'acknowledge');
      // A: Friday 16:00; due the next Friday 17:00 in working time (7 calendar days later).
      await at('2026-11-20T16:00:00');
      await send(
        'A',
        '26743',
        'THU_TUC_HANH_CHINH',
        'Xin hỏi thủ tục đăng ký hộ kinh doanh, gọi tôi 0912 345 678 hoặc dan.pho@example.vn',
        { contact: { phone: '0987654321', email: 'rieng@example.vn' } },
      );
      // Sài Gòn: C (pollution, a photo to answer) and D (never answered), Monday 23.
      await at('2026-11-23T10:00:00');
      await send('C', '26740', 'O_NHIEM_MOI_TRUONG', 'Rác thải tồn đọng ở chợ Bến Thành cũ');
      await send('D', '26740', 'THU_TUC_HANH_CHINH', 'Chưa được trả lời');
      await act('cb26743', 'A', 'acknowledge');
      await act('cb26740', 'C', 'acknowledge');
      await at('2026-11-24T10:00:00');
      await act('cb26740', 'C', 'answer', {
        answer: 'Đã thu gom rác ngày 24/11',
        attachmentIds: [await officerPhoto('cb26740')],
      });
      await at('2026-11-25T10:00:00');
      await act('cb26743', 'B', 'answer', { answer: 'Hồ sơ đã có kết quả' });
      await at('2026-11-27T16:30:00');
      await act('cb26743', 'A', 'answer', {
        answer: 'Mời ông/bà mang CCCD đến bộ phận một cửa',
        internalNote: 'Cán bộ Lan phụ trách',
      });
    });
    after(() => t.close());

    it('computes the figures by the job and rolls them up from the wards to the city', async () => {
      const run = await t.services.citizenFigures.run();
      assert.ok(run.cells >= 2, JSON.stringify(run));
      const left = await sql<{ n: number }>`select count(*)::int as n
        from citizen_report_figure_queue`.execute(t.database.db);
      assert.equal(left.rows[0]!.n, 0, 'the queue is empty');

      const dims =
        'dimension=dx:PA_RECEIVED;PA_ANSWERED_ON_TIME;PA_ANSWERED_LATE;PA_ON_TIME_PCT&filter=pe:202611';
      assert.deepEqual(await grid(`${dims}&dimension=ou:26743;26740;79`), {
        'PA_RECEIVED 26743': 2,
        'PA_RECEIVED 26740': 2,
        'PA_RECEIVED 79': 4,
        'PA_ANSWERED_ON_TIME 26743': 1,
        'PA_ANSWERED_ON_TIME 26740': 1,
        'PA_ANSWERED_ON_TIME 79': 2,
        'PA_ANSWERED_LATE 26743': 1,
        'PA_ANSWERED_LATE 79': 1,
        'PA_ON_TIME_PCT 26743': 50,
        'PA_ON_TIME_PCT 26740': 100,
        'PA_ON_TIME_PCT 79': 66.666667,
      });
      // A was answered 7 calendar days after it came, on time: the weekend is not counted.
      // Working hours: A 40.5 (Fri 1 + Mon–Thu 32 + Fri 7.5), B 137, C 8.
      assert.deepEqual(
        await grid(
          'dimension=dx:PA_ANSWER_HOURS;PA_MEAN_ANSWER_HOURS&filter=pe:202611&dimension=ou:26743;79',
        ),
        {
          'PA_ANSWER_HOURS 26743': 177.5,
          'PA_ANSWER_HOURS 79': 185.5,
          'PA_MEAN_ANSWER_HOURS 26743': 88.75,
          'PA_MEAN_ANSWER_HOURS 79': 61.833333,
        },
      );
      // Medians of all categories, each at the level it is computed for.
      assert.deepEqual(
        await grid('dimension=dx:PA_MEDIAN_HOURS_UNIT&filter=pe:202611&dimension=ou:26743;26740'),
        {
          'PA_MEDIAN_HOURS_UNIT 26743': 88.75,
          'PA_MEDIAN_HOURS_UNIT 26740': 8,
        },
      );
      assert.deepEqual(
        await grid('dimension=dx:PA_MEDIAN_HOURS_PROVINCE&filter=pe:202611&dimension=ou:79'),
        {
          'PA_MEDIAN_HOURS_PROVINCE 79': 40.5,
        },
      );
      // Per category: the breakdown's options.
      assert.deepEqual(
        await grid(
          'dimension=dx:PA_RECEIVED.PA_THU_TUC_HANH_CHINH;PA_RECEIVED.PA_O_NHIEM_MOI_TRUONG&filter=pe:202611&dimension=ou:79',
        ),
        {
          'PA_RECEIVED.PA_THU_TUC_HANH_CHINH 79': 3,
          'PA_RECEIVED.PA_O_NHIEM_MOI_TRUONG 79': 1,
        },
      );
    });

    it('counts satisfaction after the citizens rate, and a second run changes nothing', async () => {
      for (const [name, stars] of [
        ['A', 5],
        ['B', 2],
        ['C', 4],
      ] as const) {
        const r = await citizen.post(`/api/public/reports/${codes[name]}/rating`, { stars });
        assert.equal(r.status, 200, r.text);
      }
      const changes: string[][] = [];
      const off = t.services.dataValues.onChange((c) => changes.push(c.elements));
      await t.services.citizenFigures.run();
      off();
      assert.ok(changes.flat().includes('PA_RATED'), 'written through the data-value service');
      assert.deepEqual(
        await grid(
          'dimension=dx:PA_RATED;PA_SATISFACTION_STARS;PA_SATISFIED_PCT&filter=pe:202611&dimension=ou:26743;79',
        ),
        {
          'PA_RATED 26743': 2,
          'PA_RATED 79': 3,
          'PA_SATISFACTION_STARS 26743': 3.5,
          'PA_SATISFACTION_STARS 79': 3.666667,
          'PA_SATISFIED_PCT 26743': 50,
          'PA_SATISFIED_PCT 79': 66.666667,
        },
      );
      const again = await t.services.citizenFigures.run();
      assert.equal(again.cells, 0);
    });

    it('moves the counts when a report is transferred to another ward', async () => {
      await at('2026-11-27T17:00:00');
      const r = await api('cb26740').post(`/api/reports/${await idOf('D')}/transfer`, {
        unit: '26743',
        reason: 'Thuộc địa bàn phường Bến Thành',
      });
      assert.equal(r.status, 200, r.text);
      await t.services.citizenFigures.run();
      assert.deepEqual(
        await grid('dimension=dx:PA_RECEIVED&filter=pe:202611&dimension=ou:26743;26740;79'),
        { 'PA_RECEIVED 26743': 3, 'PA_RECEIVED 26740': 1, 'PA_RECEIVED 79': 4 },
      );
    });

    it('shows the public answers under a ward or the city, newest first, without personal data', async () => {
      const city = await citizen.get('/api/public/answers?unit=79');
      assert.equal(city.status, 200, city.text);
      const items = city.json.items as {
        question: string;
        answer: string;
        commune: { name: string };
        province: { code: string; name: string };
        answerPhotos: { url: string }[];
        rating: number;
      }[];
      assert.deepEqual(
        items.map((i) => i.answer),
        [
          'Mời ông/bà mang CCCD đến bộ phận một cửa',
          'Hồ sơ đã có kết quả',
          'Đã thu gom rác ngày 24/11',
        ],
      );
      assert.equal(city.json.hasMore, false);
      const a = items[0]!;
      assert.equal(a.province.code, '79');
      assert.match(a.commune.name, /Bến Thành/);
      assert.equal(a.rating, 5);
      assert.match(a.question, /gọi tôi 09xx xxx x78 hoặc d\*\*\*@example\.vn/);
      for (const secret of [
        '0912',
        'dan.pho',
        '0987654321',
        'rieng@',
        OFFICER_NAME,
        'Lan phụ trách',
      ])
        assert.ok(!city.text.includes(secret), `no ${secret} in public`);
      // The answer's photo, public; any other file is not.
      const photo = items[2]!.answerPhotos[0]!;
      const f = await citizen.get(photo.url);
      assert.equal(f.status, 200);
      assert.equal(f.headers.get('content-type'), 'image/png');
      const pending = await officerPhoto('cb26743');
      assert.equal((await citizen.get(`/api/public/photos/${pending}`)).status, 404);

      // A ward; a search without diacritics; a category; another province; an unknown unit.
      const ward = await citizen.get('/api/public/answers?unit=26740');
      assert.deepEqual(
        ward.json.items.map((i: { answer: string }) => i.answer),
        ['Đã thu gom rác ngày 24/11'],
      );
      const found = await citizen.get('/api/public/answers?unit=79&q=rac%20thai');
      assert.equal(found.json.items.length, 1);
      assert.equal(found.json.items[0].category.code, 'O_NHIEM_MOI_TRUONG');
      const byPhone = await citizen.get('/api/public/answers?q=0912345678');
      assert.equal(byPhone.json.items.length, 3, 'a phone number is not a search word');
      const cat = await citizen.get('/api/public/answers?category=THU_TUC_HANH_CHINH');
      assert.equal(cat.json.items.length, 2);
      const hanoi = await citizen.get('/api/public/answers?unit=01');
      assert.deepEqual(hanoi.json.items, []);
      const unknown = await citizen.get('/api/public/answers?unit=99999');
      assert.equal(unknown.status, 404, unknown.text);
    });

    it('counts a report left unanswered past its deadline as overdue, then late once answered', async () => {
      // D came on Monday 23 November, due a week of working hours later; nothing else changes.
      await at('2026-12-02T09:00:00');
      const run = await t.services.citizenFigures.run();
      assert.ok(run.cells >= 1, 'the passed deadline queued its cell');
      const dims = 'dimension=dx:PA_OVERDUE_OPEN;PA_ANSWERED_LATE&dimension=ou:26743;79';
      assert.deepEqual(await grid(`${dims}&filter=pe:202611`), {
        'PA_OVERDUE_OPEN 26743': 1,
        'PA_OVERDUE_OPEN 79': 1,
        'PA_ANSWERED_LATE 26743': 1,
        'PA_ANSWERED_LATE 79': 1,
      });
      assert.equal((await t.services.citizenFigures.run()).cells, 0, 'marked once');

      await act('cb26743', 'D', 'acknowledge');
      await act('cb26743', 'D', 'answer', { answer: 'Đã có kết quả' });
      await t.services.citizenFigures.run();
      assert.deepEqual(await grid(`${dims}&filter=pe:202611`), {
        'PA_ANSWERED_LATE 26743': 1,
        'PA_ANSWERED_LATE 79': 1,
      });
      assert.deepEqual(await grid(`${dims}&filter=pe:202612`), {
        'PA_ANSWERED_LATE 26743': 1,
        'PA_ANSWERED_LATE 79': 1,
      });
    });
  });
}
