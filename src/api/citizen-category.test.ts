import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Role } from '../domain/access.ts';
import { SHIPPED_CITIZEN_CATEGORIES } from '../services/citizen-category.shipped.ts';

/**
 * Citizens' report categories (issue 20) through the API: national metadata written by those
 * who manage metadata at the nation, every write audited, bad input refused whole with a clear
 * message in both languages.
 */

const PW = 'Citizen-pw-12345';
const USERS: { username: string; role: Role; code: string }[] = [
  { username: 'cb79', role: 'officer', code: '79' },
  { username: 'ld79', role: 'leader', code: '79' },
];

const category = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  nameVi: 'Cây xanh gãy đổ',
  nameEn: 'Fallen trees',
  descriptionVi: 'Cây gãy, đổ chắn đường hoặc nguy cơ đổ.',
  descriptionEn: 'A tree broken, fallen across a road, or about to fall.',
  groupVi: 'Đô thị',
  groupEn: 'Urban',
  keywords: ['cây đổ', 'cay do'],
  handledBy: { level: 'commune' },
  acknowledgeWithin: { hours: 8 },
  answerWithin: { days: 5 },
  photoRequired: true,
  ...extra,
});

for (const engine of testEngines()) {
  describe(`citizen report categories on ${engine}`, () => {
    let t: TestDb;
    const as = new Map<string, ApiClient>();
    const api = (u: string) => as.get(u)!;

    const count = async (table: 'citizen_category' | 'audit_event', action?: string) => {
      const r = action
        ? await sql<{ n: number }>`select count(*)::int as n from audit_event
            where action = ${action}`.execute(t.database.db)
        : await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
            t.database.db,
          );
      return r.rows[0]!.n;
    };

    before(async () => {
      t = await openTestDb(engine);
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      as.set('admin', admin);
      await signInUsers(t.services, USERS, PW, '2025', as);
    });
    after(() => t.close());

    it('ships the cities’ categories, installed once on first start', async () => {
      const r = await api('cb79').get('/api/citizenCategories');
      assert.equal(r.status, 200, r.text);
      const codes = r.json.items.map((c: { code: string }) => c.code);
      for (const s of SHIPPED_CITIZEN_CATEGORIES) assert.ok(codes.includes(s.code), s.code);
      const spam = r.json.items.find((c: { code: string }) => c.code === 'TIN_NHAN_RAC_5656');
      assert.equal(spam.nameVi, 'Tin nhắn rác, cuộc gọi rác (5656)');
      assert.deepEqual(spam.handledBy, { level: 'province' });
      assert.deepEqual(spam.acknowledgeWithin, { hours: 8 });
      assert.deepEqual(spam.answerWithin, { days: 5 });
      // Once: a shipped category deleted stays deleted when the server starts again.
      const d = await api('admin').request('DELETE', '/api/citizenCategories/AN_NINH_TRAT_TU');
      assert.equal(d.status, 204, d.text);
      assert.equal(await t.services.citizenCategories.installShipped(), 0);
      assert.equal((await api('admin').get('/api/citizenCategories/AN_NINH_TRAT_TU')).status, 404);
    });

    it('creates, reads, replaces and deletes a category, each write audited', async () => {
      const c = await api('admin').post('/api/citizenCategories', category('CAY_XANH'));
      assert.equal(c.status, 201, c.text);
      assert.equal(c.json.code, 'CAY_XANH');
      assert.equal(c.json.active, true);
      assert.deepEqual(c.json.handledBy, { level: 'commune' });
      assert.equal(await count('audit_event', 'citizen_category.create'), 1 + 5);

      const g = await api('cb79').get('/api/citizenCategories/CAY_XANH');
      assert.equal(g.status, 200);
      assert.equal(g.json.nameEn, 'Fallen trees');
      assert.deepEqual(g.json.keywords, ['cây đổ', 'cay do']);

      // A named unit handles it: Hồ Chí Minh City, in the tree in force today.
      const u = await api('admin').request(
        'PUT',
        '/api/citizenCategories/CAY_XANH',
        category('CAY_XANH', {
          nameVi: 'Cây xanh gãy, đổ',
          handledBy: { level: 'unit', unit: '79' },
          answerWithin: { hours: 16 },
          photoRequired: false,
          active: false,
        }),
      );
      assert.equal(u.status, 200, u.text);
      assert.equal(u.json.nameVi, 'Cây xanh gãy, đổ');
      assert.deepEqual(u.json.handledBy, { level: 'unit', unit: '79' });
      assert.deepEqual(u.json.answerWithin, { hours: 16 });
      assert.equal(u.json.active, false);
      const row = await sql<{ before: { nameVi: string }; after: { nameVi: string } }>`
        select before, after from audit_event where action = 'citizen_category.update'
          and entity_id = 'CAY_XANH'`.execute(t.database.db);
      assert.equal(row.rows.length, 1);
      assert.equal(row.rows[0]!.before.nameVi, 'Cây xanh gãy đổ');
      assert.equal(row.rows[0]!.after.nameVi, 'Cây xanh gãy, đổ');

      const d = await api('admin').request('DELETE', '/api/citizenCategories/CAY_XANH');
      assert.equal(d.status, 204);
      assert.equal((await api('admin').get('/api/citizenCategories/CAY_XANH')).status, 404);
      assert.equal(await count('audit_event', 'citizen_category.delete'), 2);
    });

    it('lists the active categories to anyone, without account, keywords or handler', async () => {
      const c = await api('admin').post(
        '/api/citizenCategories',
        category('CAY_AN', { active: false }),
      );
      assert.equal(c.status, 201, c.text);
      const r = await ApiClient.for(t.services).get('/api/public/categories');
      assert.equal(r.status, 200, r.text);
      const codes = r.json.items.map((x: { code: string }) => x.code);
      assert.ok(codes.includes('TIN_NHAN_RAC_5656'));
      assert.ok(!codes.includes('CAY_AN'), 'an inactive category is not offered');
      const spam = r.json.items.find((x: { code: string }) => x.code === 'TIN_NHAN_RAC_5656');
      assert.equal(spam.nameVi, 'Tin nhắn rác, cuộc gọi rác (5656)');
      assert.deepEqual(spam.answerWithin, { days: 5 });
      assert.equal(spam.keywords, undefined);
      assert.equal(spam.handledBy, undefined);
      const d = await api('admin').request('DELETE', '/api/citizenCategories/CAY_AN');
      assert.equal(d.status, 204);
    });

    it('refuses a province officer and a province leader, storing nothing', async () => {
      const rows = await count('citizen_category');
      const audits = await count('audit_event');
      const officer = await api('cb79').post('/api/citizenCategories', category('CB79'));
      assert.equal(officer.status, 403, officer.text);
      assert.equal(officer.json.error.code, 'forbidden');
      assert.match(officer.json.error.messages.vi, /Vai trò của bạn không được phép/);
      const put = await api('cb79').request(
        'PUT',
        '/api/citizenCategories/HA_TANG_DO_THI',
        category('HA_TANG_DO_THI', { nameVi: 'Đổi tên' }),
      );
      assert.equal(put.status, 403);
      const del = await api('cb79').request('DELETE', '/api/citizenCategories/HA_TANG_DO_THI');
      assert.equal(del.status, 403);
      // Metadata is national: a province's leader manages metadata, but not the nation's.
      const leader = await api('ld79').post('/api/citizenCategories', category('LD79'));
      assert.equal(leader.status, 403);
      assert.equal(leader.json.error.code, 'out_of_scope');
      assert.equal(await count('citizen_category'), rows);
      assert.equal(await count('audit_event'), audits);
      const g = await api('admin').get('/api/citizenCategories/HA_TANG_DO_THI');
      assert.equal(g.json.nameVi, 'Hạ tầng đô thị hư hỏng');
    });

    it('refuses bad input with a clear message in both languages, storing nothing', async () => {
      const rows = await count('citizen_category');
      const audits = await count('audit_event');
      const cases: {
        what: string;
        body: unknown;
        status: number;
        code: string;
        vi: RegExp;
        en: RegExp;
      }[] = [
        {
          what: 'unknown level',
          body: category('BAD_LEVEL', { handledBy: { level: 'district' } }),
          status: 400,
          code: 'validation_failed',
          vi: /handledBy/,
          en: /handledBy/,
        },
        {
          what: 'a unit level without a unit',
          body: category('BAD_UNIT', { handledBy: { level: 'unit' } }),
          status: 400,
          code: 'validation_failed',
          vi: /handledBy\.unit/,
          en: /handledBy\.unit/,
        },
        {
          what: 'a unit not in the tree in force',
          body: category('NO_UNIT', { handledBy: { level: 'unit', unit: '99999' } }),
          status: 404,
          code: 'unknown_unit',
          vi: /Không có đơn vị mã "99999" trong cây 2025/,
          en: /No unit with code "99999" in the 2025 tree/,
        },
        {
          what: 'a code in lower case with a dash',
          body: category('ha-tang'),
          status: 400,
          code: 'validation_failed',
          vi: /Mã gồm 1 đến 50 chữ in hoa/,
          en: /capital letters A–Z, digits and underscores/,
        },
        {
          what: 'a code too long',
          body: category('X'.repeat(51)),
          status: 400,
          code: 'validation_failed',
          vi: /code/,
          en: /code/,
        },
        {
          what: 'a name over 200 characters',
          body: category('LONG_NAME', { nameVi: 'Đ'.repeat(201) }),
          status: 400,
          code: 'validation_failed',
          vi: /nameVi/,
          en: /nameVi/,
        },
        {
          what: 'an empty English name',
          body: category('EMPTY_NAME', { nameEn: '   ' }),
          status: 400,
          code: 'validation_failed',
          vi: /nameEn/,
          en: /nameEn/,
        },
        {
          what: 'a deadline of zero',
          body: category('ZERO', { acknowledgeWithin: { hours: 0 } }),
          status: 422,
          code: 'working_time_invalid',
          vi: /thời hạn acknowledgeWithin phải lớn hơn 0/,
          en: /the acknowledgeWithin deadline must be more than zero/,
        },
        {
          what: 'a negative deadline',
          body: category('NEGATIVE', { answerWithin: { hours: -3 } }),
          status: 422,
          code: 'working_time_invalid',
          vi: /thời hạn phải là số giờ, số phút không âm/,
          en: /a deadline is a non-negative number of hours/,
        },
        {
          what: 'half a working day',
          body: category('HALF_DAY', { answerWithin: { days: 2.5 } }),
          status: 422,
          code: 'working_time_invalid',
          vi: /số nguyên ngày làm việc/,
          en: /a whole number of working days/,
        },
        {
          what: 'a deadline beyond the working-time horizon',
          body: category('FOREVER', { answerWithin: { days: 100000 } }),
          status: 422,
          code: 'working_time_invalid',
          vi: /10 năm/,
          en: /10 years/,
        },
        {
          what: 'a deadline longer than a working year',
          body: category('TOO_LONG', { answerWithin: { hours: 5000 } }),
          status: 422,
          code: 'working_time_invalid',
          vi: /dài quá 2000 giờ làm việc/,
          en: /longer than 2000 working hours/,
        },
        {
          what: 'a deadline in weeks',
          body: category('WEEKS', { answerWithin: { weeks: 1 } }),
          status: 400,
          code: 'validation_failed',
          vi: /answerWithin/,
          en: /answerWithin/,
        },
      ];
      for (const k of cases) {
        const r = await api('admin').post('/api/citizenCategories', k.body);
        assert.equal(r.status, k.status, `${k.what}: ${r.text}`);
        assert.equal(r.json.error.code, k.code, k.what);
        assert.match(r.json.error.messages.vi, k.vi, k.what);
        assert.match(r.json.error.messages.en, k.en, k.what);
        assert.notEqual(r.json.error.messages.vi, r.json.error.messages.en, k.what);
        assert.equal(r.json.error.message, r.json.error.messages.vi, `${k.what}: vi by default`);
        const en = await api('admin').post('/api/citizenCategories', k.body, {
          'accept-language': 'en',
        });
        assert.equal(en.json.error.message, en.json.error.messages.en, `${k.what}: en asked`);
      }
      // A code taken, and a PUT that would change the code.
      const dup = await api('admin').post('/api/citizenCategories', category('HA_TANG_DO_THI'));
      assert.equal(dup.status, 409);
      assert.equal(dup.json.error.code, 'conflict');
      assert.match(dup.json.error.messages.vi, /Đã có lĩnh vực phản ánh mã "HA_TANG_DO_THI"/);
      const moved = await api('admin').request(
        'PUT',
        '/api/citizenCategories/HA_TANG_DO_THI',
        category('HA_TANG_KHAC'),
      );
      assert.equal(moved.status, 400);
      assert.match(moved.json.error.messages.en, /cannot change/);
      const missing = await api('admin').request(
        'PUT',
        '/api/citizenCategories/KHONG_CO',
        category('KHONG_CO'),
      );
      assert.equal(missing.status, 404);
      assert.match(missing.json.error.messages.vi, /Không có lĩnh vực phản ánh mã "KHONG_CO"/);
      assert.equal(await count('citizen_category'), rows);
      assert.equal(await count('audit_event'), audits);
    });

    it('applies a retried create with the same Idempotency-Key once', async () => {
      const key = { 'Idempotency-Key': `citizen-${engine}-1` };
      const body = category('CHIEU_SANG', { nameVi: 'Chiếu sáng công cộng' });
      const first = await api('admin').post('/api/citizenCategories', body, key);
      assert.equal(first.status, 201, first.text);
      const again = await api('admin').post('/api/citizenCategories', body, key);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.json, first.json);
      const audits = await sql<{ n: number }>`select count(*)::int as n from audit_event
        where action = 'citizen_category.create' and entity_id = 'CHIEU_SANG'`.execute(
        t.database.db,
      );
      assert.equal(audits.rows[0]!.n, 1);
      // The same key with another body is refused, nothing applied.
      const other = await api('admin').post(
        '/api/citizenCategories',
        category('CHIEU_SANG_2'),
        key,
      );
      assert.equal(other.status, 422);
      assert.equal(other.json.error.code, 'idempotency_key_reused');
      assert.equal((await api('admin').get('/api/citizenCategories/CHIEU_SANG_2')).status, 404);
    });
  });
}
