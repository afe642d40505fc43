import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { SHIPPED_CITIZEN_CATEGORIES } from '../services/citizen-category.shipped.ts';

/**
 * Citizens' report categories in the metadata document (issue 20): `GET /api/metadata` lists
 * them in the shape their routes take, `POST /api/metadata` upserts them by code with the rest
 * of the document, all or nothing, with the routes' own checks and audit rows.
 */

type Category = { code: string; [k: string]: unknown };

const custom: Category = {
  code: 'CAY_XANH',
  nameVi: 'Cây xanh gãy đổ',
  nameEn: 'Fallen trees',
  descriptionVi: 'Cây gãy, đổ chắn đường hoặc nguy cơ đổ.',
  descriptionEn: 'A tree broken, fallen across a road, or about to fall.',
  groupVi: 'Đô thị',
  groupEn: 'Urban',
  keywords: ['cây đổ', 'cay do'],
  handledBy: { level: 'unit', unit: '79' },
  acknowledgeWithin: { hours: 4 },
  answerWithin: { days: 3 },
  photoRequired: true,
  active: true,
};

const element = {
  code: 'CC_META_ELEMENT',
  nameVi: 'Chỉ tiêu thử',
  nameEn: 'A test element',
  sector: 'other',
  valueType: 'integer',
  aggTime: 'sum',
};

for (const engine of testEngines()) {
  describe(`citizen report categories in the metadata document on ${engine}`, () => {
    let source: TestDb;
    let target: TestDb;
    let from: ApiClient;
    let into: ApiClient;

    const audits = async (t: TestDb) =>
      (await sql<{ n: number }>`select count(*)::int as n from audit_event`.execute(t.database.db))
        .rows[0]!.n;
    const categories = async (api: ApiClient) =>
      (await api.get('/api/metadata')).json.citizenCategories as Category[];

    before(async () => {
      [source, target] = [await openTestDb(engine), await openTestDb(engine)];
      from = ApiClient.for(source.services);
      into = ApiClient.for(target.services);
      assert.equal((await from.login('admin', ADMIN_PASSWORD)).status, 200);
      assert.equal((await into.login('admin', ADMIN_PASSWORD)).status, 200);
    });
    after(async () => {
      await source.close();
      await target.close();
    });

    it('exports the categories as their routes take them, and a fresh database imports the same', async () => {
      // The source: one category of its own, one shipped category changed.
      assert.equal((await from.post('/api/citizenCategories', custom)).status, 201);
      const changed = await from.request('PUT', '/api/citizenCategories/HA_TANG_DO_THI', {
        ...SHIPPED_CITIZEN_CATEGORIES.find((c) => c.code === 'HA_TANG_DO_THI'),
        answerWithin: { days: 7 },
        keywords: ['ổ gà', 'o ga'],
      });
      assert.equal(changed.status, 200, changed.text);

      const exported = (await from.get('/api/metadata')).json;
      const listed = (await from.get('/api/citizenCategories')).json.items as Category[];
      assert.deepEqual(
        exported.citizenCategories,
        listed.map(({ createdAt: _c, updatedAt: _u, ...c }) => c),
        'the document lists every category, without its times',
      );
      assert.deepEqual(
        exported.citizenCategories.find((c: Category) => c.code === 'CAY_XANH'),
        custom,
      );

      const before = await audits(target);
      const r = await into.post('/api/metadata', exported);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.citizenCategories, {
        created: 1,
        updated: 1,
        unchanged: SHIPPED_CITIZEN_CATEGORIES.length - 1,
      });
      assert.deepEqual(await categories(into), exported.citizenCategories);

      // Each write audited as the routes audit theirs, and nothing for what did not change.
      const log = (await into.get('/api/audit?entityType=citizen_category&limit=50')).json
        .items as { action: string; entity: { id: string }; before?: Category; after: Category }[];
      const created = log.find(
        (e) => e.action === 'citizen_category.create' && e.entity.id === 'CAY_XANH',
      );
      assert.deepEqual(created?.after, custom);
      const updated = log.find(
        (e) => e.action === 'citizen_category.update' && e.entity.id === 'HA_TANG_DO_THI',
      );
      assert.deepEqual(updated?.before?.answerWithin, { days: 5 });
      assert.deepEqual(updated?.after.answerWithin, { days: 7 });
      // Two category rows, plus whatever the rest of the document changed (unit groups: none).
      assert.equal(await audits(target), before + 2);
    });

    it('imports the same document again without a change or a new audit row', async () => {
      const exported = (await into.get('/api/metadata')).json;
      const before = await audits(target);
      const r = await into.post('/api/metadata', exported);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.citizenCategories, {
        created: 0,
        updated: 0,
        unchanged: SHIPPED_CITIZEN_CATEGORIES.length + 1,
      });
      assert.equal(await audits(target), before);
      assert.deepEqual((await into.get('/api/metadata')).json, exported);
    });

    it('refuses a file with a bad category whole, naming the field in both languages', async () => {
      const before = { audits: await audits(target), categories: await categories(into) };
      const r = await into.post('/api/metadata', {
        dataElements: [element],
        citizenCategories: [
          { ...custom, code: 'GOOD_ONE' },
          { ...custom, code: 'ZERO_DAYS', answerWithin: { days: 0 } },
          {
            ...custom,
            code: 'HALF_A_DAY',
            acknowledgeWithin: { days: 1.5 },
            handledBy: { level: 'unit', unit: 'NOPE' },
          },
          { ...custom, code: 'GOOD_ONE', nameVi: 'Trùng mã' },
        ],
      });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, 'validation_failed');
      const problems = r.json.error.details.problems as { path: string; vi: string; en: string }[];
      assert.deepEqual(
        problems.map((p) => p.path),
        [
          'citizenCategories.3.code',
          'citizenCategories.1.answerWithin.days',
          'citizenCategories.2.acknowledgeWithin.days',
          'citizenCategories.2.handledBy.unit',
        ],
      );
      const zero = problems[1]!;
      assert.match(zero.vi, /thời hạn answerWithin phải lớn hơn 0/);
      assert.match(zero.en, /the answerWithin deadline must be more than zero/);
      assert.match(problems[3]!.vi, /Không có đơn vị mã "NOPE" trong cây 2025/);
      assert.match(problems[3]!.en, /No unit with code "NOPE" in the 2025 tree/);
      assert.match(r.json.error.messages.vi, /không có gì thay đổi/);
      assert.match(r.json.error.messages.en, /nothing was changed/);

      // Nothing of the file is stored: not the good category, not the element, no audit row.
      assert.deepEqual(await categories(into), before.categories);
      const elements = (await into.get('/api/metadata/dataElements')).json.items as Category[];
      assert.ok(!elements.some((e) => e.code === element.code), 'the element was not written');
      assert.equal(await audits(target), before.audits);
    });

    it('refuses a category the schema refuses, with its path, before anything is checked', async () => {
      const r = await into.post('/api/metadata', {
        dataElements: [element],
        citizenCategories: [custom, { ...custom, code: 'WORDS', answerWithin: { days: 'năm' } }],
      });
      assert.equal(r.status, 400, r.text);
      const issues = r.json.error.details.issues as { path: string; vi: string; en: string }[];
      assert.ok(
        issues.length > 0 &&
          issues.every((i) => i.path.startsWith('citizenCategories.1.answerWithin')),
        JSON.stringify(issues),
      );
      assert.match(r.json.error.messages.vi, /citizenCategories\.1\.answerWithin/);
      assert.match(r.json.error.messages.en, /citizenCategories\.1\.answerWithin/);
      const elements = (await into.get('/api/metadata/dataElements')).json.items as Category[];
      assert.ok(!elements.some((e) => e.code === element.code));
    });

    it('lets only a metadata manager at the nation import categories', async () => {
      await target.services.auth.createUser('system', {
        username: 'meta79',
        password: 'Meta79-pw-12345',
        role: 'admin',
        scope: { version: '2025', code: '79' },
      });
      const local = ApiClient.for(target.services);
      assert.equal((await local.login('meta79', 'Meta79-pw-12345')).status, 200);
      const r = await local.post('/api/metadata', {
        citizenCategories: [{ ...custom, code: 'LOCAL_ONE' }],
      });
      assert.equal(r.status, 403, r.text);
      assert.ok(!(await categories(into)).some((c) => c.code === 'LOCAL_ONE'));
    });
  });
}
