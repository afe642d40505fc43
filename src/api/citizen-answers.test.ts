import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Role } from '../domain/access.ts';

/**
 * The public answers page's reads (issue 20): choosing the place by a province's or a
 * commune's name typed without diacritics, the place asked named in the answer (a shared link
 * shows it), a province holding its communes' answers, one answer by its permalink, and pages.
 */

const PW = 'Answers-pw-12345';
const USERS: { username: string; role: Role; code: string }[] = [
  { username: 'cb26740', role: 'officer', code: '26740' }, // Phường Sài Gòn
  { username: 'cb26743', role: 'officer', code: '26743' }, // Phường Bến Thành
];

interface Item {
  id: number;
  answer: string;
  commune: { code: string; name: string };
  province: { code: string } | null;
}

for (const engine of testEngines()) {
  describe(`public answers page on ${engine}`, () => {
    let t: TestDb;
    let now = new Date('2026-11-02T02:00:00Z');
    const as = new Map<string, ApiClient>();
    let citizen: ApiClient;
    const ids: Record<string, number> = {};

    /** A report filed by the citizen, acknowledged and answered by the ward's officer. */
    const answered = async (name: string, unit: string, description: string, answer: string) => {
      const r = await citizen.post('/api/public/reports', {
        category: 'THU_TUC_HANH_CHINH',
        description,
        place: { unit },
      });
      assert.equal(r.status, 201, r.text);
      const id = (await t.services.store.repos.citizenReports.byCode(r.json.code))!.id;
      ids[name] = id;
      const officer = as.get(`cb${unit}`)!;
      assert.equal((await officer.post(`/api/reports/${id}/acknowledge`, {})).status, 200);
      now = new Date(now.getTime() + 60_000);
      const a = await officer.post(`/api/reports/${id}/answer`, { answer });
      assert.equal(a.status, 200, a.text);
      now = new Date(now.getTime() + 60_000);
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => now, publicLimitScale: 10 });
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      await signInUsers(t.services, USERS, PW, '2025', as);
      citizen = ApiClient.for(t.services);
      await answered(
        'saigon',
        '26740',
        'Đèn đường trước chợ cũ bị hỏng nhiều ngày',
        'Đã thay bóng đèn đường ngày 3/11',
      );
      await answered(
        'benthanh',
        '26743',
        'Vỉa hè đường Lê Thánh Tôn bị bong gạch',
        'Đã lát lại vỉa hè Lê Thánh Tôn',
      );
      const open = await citizen.post('/api/public/reports', {
        category: 'THU_TUC_HANH_CHINH',
        description: 'Cống thoát nước bị tắc chưa ai xử lý',
        place: { unit: '26740' },
      });
      assert.equal(open.status, 201, open.text);
      ids.open = (await t.services.store.repos.citizenReports.byCode(open.json.code))!.id;
    });
    after(() => t.close());

    it('finds a province and a commune by their names typed without diacritics', async () => {
      const hcm = await citizen.get('/api/public/answers/places?q=ho%20chi%20minh');
      assert.equal(hcm.status, 200, hcm.text);
      assert.deepEqual(hcm.json.items[0], {
        code: '79',
        name: 'Hồ Chí Minh',
        fullName: 'Thành phố Hồ Chí Minh',
        level: 1,
        province: null,
      });
      const hanoi = await citizen.get('/api/public/answers/places?q=HA%20NOI');
      assert.equal(hanoi.json.items[0].code, '01');

      // A ward by the name of a ward merged into it in 2025: the ward, with its province.
      const benNghe = await citizen.get('/api/public/answers/places?q=ben%20nghe');
      const saigon = benNghe.json.items.find((i: { code: string }) => i.code === '26740');
      assert.ok(saigon, benNghe.text);
      assert.equal(saigon.fullName, 'Phường Sài Gòn');
      assert.equal(saigon.level, 2);
      assert.equal(saigon.province.code, '79');
      assert.match(saigon.matchedName.name, /Bến Nghé/);

      // Never the nation itself; nothing to search in punctuation alone.
      const vn = await citizen.get('/api/public/answers/places?q=viet%20nam');
      assert.ok(!vn.json.items.some((i: { level: number }) => i.level === 0));
      const bad = await citizen.get('/api/public/answers/places?q=%21%21');
      assert.equal(bad.status, 400, bad.text);
      assert.equal(bad.json.error.code, 'validation_failed');
    });

    it('names the place asked, and a province holds its communes’ answers', async () => {
      const city = await citizen.get('/api/public/answers?unit=79');
      assert.equal(city.status, 200, city.text);
      assert.deepEqual(city.json.place, {
        code: '79',
        name: 'Hồ Chí Minh',
        fullName: 'Thành phố Hồ Chí Minh',
        level: 1,
        province: null,
      });
      assert.deepEqual(
        (city.json.items as Item[]).map((i) => [i.commune.code, i.answer]),
        [
          ['26743', 'Đã lát lại vỉa hè Lê Thánh Tôn'],
          ['26740', 'Đã thay bóng đèn đường ngày 3/11'],
        ],
      );
      const ward = await citizen.get('/api/public/answers?unit=26740');
      assert.equal(ward.json.place.fullName, 'Phường Sài Gòn');
      assert.deepEqual(ward.json.place.province, {
        code: '79',
        name: 'Hồ Chí Minh',
        fullName: 'Thành phố Hồ Chí Minh',
      });
      assert.deepEqual(
        (ward.json.items as Item[]).map((i) => i.answer),
        ['Đã thay bóng đèn đường ngày 3/11'],
      );
      const nation = await citizen.get('/api/public/answers');
      assert.equal(nation.json.place, null);
      assert.equal(nation.json.items.length, 2);
    });

    it('gives one answer by its permalink, and nothing for a report not public', async () => {
      const one = await citizen.get(`/api/public/answers?id=${ids.saigon}`);
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(
        (one.json.items as Item[]).map((i) => [i.id, i.answer]),
        [[ids.saigon, 'Đã thay bóng đèn đường ngày 3/11']],
      );
      assert.equal(one.json.hasMore, false);
      assert.ok(!one.text.includes('PA-'), 'no tracking code in public');
      const unanswered = await citizen.get(`/api/public/answers?id=${ids.open}`);
      assert.deepEqual(unanswered.json.items, []);
      const elsewhere = await citizen.get(`/api/public/answers?id=${ids.saigon}&unit=01`);
      assert.deepEqual(elsewhere.json.items, []);
      const bad = await citizen.get('/api/public/answers?id=abc');
      assert.equal(bad.status, 400, bad.text);
    });

    it('pages through more answers than a page holds, newest first, none twice', async () => {
      // 21 more answered in Bến Thành, each a minute after the one before.
      for (let i = 1; i <= 21; i++) {
        const r = await t.services.citizenReports.receive({
          category: 'THU_TUC_HANH_CHINH',
          description: `Biển báo số ${i} bị nghiêng ở đường Nam Kỳ Khởi Nghĩa`,
          place: { unit: '26743' },
          photos: [],
        });
        await t.database.db
          .updateTable('citizen_report')
          .set({
            status: 'answered',
            answered_at: new Date(now.getTime() + i * 60_000),
            answer: `Đã dựng lại biển báo số ${i}`,
          })
          .where('code', '=', r.code)
          .execute();
      }
      const first = await citizen.get('/api/public/answers?unit=26743');
      assert.equal(first.json.items.length, 20);
      assert.equal(first.json.hasMore, true);
      assert.equal(first.json.items[0].answer, 'Đã dựng lại biển báo số 21');
      const second = await citizen.get('/api/public/answers?unit=26743&page=2');
      assert.equal(second.json.hasMore, false);
      assert.deepEqual(
        (second.json.items as Item[]).map((i) => i.answer),
        ['Đã dựng lại biển báo số 1', 'Đã lát lại vỉa hè Lê Thánh Tôn'],
      );
      const seen = [...first.json.items, ...second.json.items].map((i: Item) => i.id);
      assert.equal(new Set(seen).size, 22);
      // The search narrows the pages: one sign, by its words without diacritics.
      const sign = await citizen.get('/api/public/answers?unit=26743&q=bien%20bao%20so%2017');
      assert.deepEqual(
        (sign.json.items as Item[]).map((i) => i.answer),
        ['Đã dựng lại biển báo số 17'],
      );
    });

    it('matches the words typed at the start of words, not inside them', async () => {
      // "ngay" (ngày) and "cho" (chợ) are in the Sài Gòn report; "ga" and "on" start none of its words.
      const words = async (q: string) =>
        (
          (await citizen.get(`/api/public/answers?unit=26740&q=${encodeURIComponent(q)}`)).json
            .items as Item[]
        ).map((i) => i.answer);
      assert.deepEqual(await words('ngay'), ['Đã thay bóng đèn đường ngày 3/11']);
      assert.deepEqual(await words('cho cu'), ['Đã thay bóng đèn đường ngày 3/11']);
      assert.deepEqual(await words('ga'), []);
      assert.deepEqual(await words('on'), []);
      assert.deepEqual(await words('DEN DUONG'), ['Đã thay bóng đèn đường ngày 3/11']);
    });
  });
}
