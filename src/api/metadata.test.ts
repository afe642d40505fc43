import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

const doc = {
  breakdowns: [
    {
      code: 'ATTACK_TYPE',
      nameVi: 'Loại tấn công',
      nameEn: 'Attack type',
      options: [
        { code: 'PHISHING', nameVi: 'Lừa đảo (phishing)', nameEn: 'Phishing' },
        { code: 'DEFACE', nameVi: 'Thay đổi giao diện (deface)', nameEn: 'Deface' },
        { code: 'MALWARE', nameVi: 'Mã độc (malware)', nameEn: 'Malware' },
      ],
    },
  ],
  dataElements: [
    {
      code: 'CYBERATTACKS',
      nameVi: 'Số cuộc tấn công mạng',
      nameEn: 'Cyberattacks',
      sector: 'security',
      valueType: 'integer',
      unit: 'vụ',
      aggTime: 'sum',
      breakdown: 'ATTACK_TYPE',
    },
    {
      code: 'MOBILE_SUBS',
      nameVi: 'Số thuê bao điện thoại di động',
      nameEn: 'Mobile subscribers',
      sector: 'telecom',
      valueType: 'number',
      unit: 'triệu',
      aggTime: 'last',
    },
    {
      code: 'SMARTPHONE_SUBS',
      uid: 'aSmartPhone',
      nameVi: 'Số thuê bao smartphone',
      nameEn: 'Smartphone subscribers',
      sector: 'telecom',
      valueType: 'number',
      unit: 'triệu',
      aggTime: 'last',
    },
  ],
  indicators: [
    {
      code: 'SMARTPHONE_SHARE',
      nameVi: 'Tỷ lệ thuê bao smartphone',
      nameEn: 'Smartphone share',
      sector: 'telecom',
      formula: '#{SMARTPHONE_SUBS} / #{MOBILE_SUBS} × 100',
      unit: '%',
    },
  ],
  targets: [
    {
      subject: { type: 'indicator', code: 'SMARTPHONE_SHARE' },
      unit: { version: '2025', code: 'VN' },
      value: 100,
      due: '2025-12-31',
    },
  ],
  dataSets: [
    {
      code: 'COMMUNE_DAILY',
      nameVi: 'Báo cáo ngày cấp xã',
      nameEn: 'Commune daily report',
      periodType: 'day',
      version: '2025',
      level: 2,
      dueDays: 1,
      elements: ['CYBERATTACKS'],
    },
  ],
};

for (const engine of testEngines()) {
  describe(`metadata on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
    });
    after(() => t.close());

    it('checks a dry run without changing anything', async () => {
      const r = await admin.post('/api/metadata?dryRun=true', doc);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.deepEqual(r.json.dataElements, { created: 3, updated: 0, unchanged: 0 });
      const list = await admin.get('/api/metadata/dataElements');
      assert.equal(list.json.items.length, 0);
    });

    it('creates breakdowns, elements, indicators, targets and data sets in one document', async () => {
      const r = await admin.post('/api/metadata', doc);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.deepEqual(r.json.indicators, { created: 1, updated: 0, unchanged: 0 });
      const all = (await admin.get('/api/metadata')).json;
      assert.deepEqual(
        all.breakdowns[0].options.map((o: { code: string }) => o.code),
        ['PHISHING', 'DEFACE', 'MALWARE'],
      );
      assert.equal(
        all.dataElements.find((e: { code: string }) => e.code === 'SMARTPHONE_SUBS').uid,
        'aSmartPhone',
      );
      assert.deepEqual(all.dataSets[0].elements, ['CYBERATTACKS']);
    });

    it('round-trips: the export applied again creates nothing', async () => {
      const exported = (await admin.get('/api/metadata')).json;
      const r = await admin.post('/api/metadata', exported);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      for (const kind of [
        'breakdowns',
        'dataElements',
        'indicators',
        'targets',
        'dataSets',
        'unitGroups',
      ]) {
        assert.equal(r.json[kind].created + r.json[kind].updated, 0, kind);
      }
      assert.equal(r.json.dataElements.unchanged, 3);
      assert.equal(r.json.unitGroups.unchanged, 2, 'the two seeded groups');
      assert.deepEqual((await admin.get('/api/metadata')).json, exported);
    });

    it('says what is wrong with a field in Vietnamese and English', async () => {
      const r = await admin.post('/api/metadata', {
        dataElements: [{ ...doc.dataElements[1], code: 'BAD_SECTOR', sector: 'cyber' }],
      });
      assert.equal(r.status, 400);
      const [problem] = r.json.error.details.issues;
      assert.equal(problem.path, 'dataElements.0.sector');
      assert.match(problem.vi, /^Tùy chọn không hợp lệ: mong đợi một trong các giá trị "postal"/);
      assert.match(problem.en, /^Invalid option: expected one of "postal"/);
      assert.match(r.json.error.messages.vi, /dataElements\.0\.sector — Tùy chọn không hợp lệ/);
    });

    it('refuses a bad document whole, naming each problem', async () => {
      const r = await admin.post('/api/metadata', {
        dataElements: [{ ...doc.dataElements[1], code: 'NEW_ONE' }],
        indicators: [
          { ...doc.indicators[0], code: 'BROKEN', formula: '#{SMARTPHONE_SUBS} / (#{MOBILE_SUBS}' },
          { ...doc.indicators[0], code: 'UNKNOWN_REF', formula: '#{NOPE} * 100' },
        ],
        dataSets: [{ ...doc.dataSets[0], code: 'DS2', elements: ['MISSING'] }],
      });
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'validation_failed');
      const paths = r.json.error.details.problems.map((p: { path: string }) => p.path);
      assert.deepEqual(paths, [
        'indicators.0.formula',
        'indicators.1.formula',
        'dataSets.0.elements',
      ]);
      const codes = (await admin.get('/api/metadata/dataElements')).json.items.map(
        (e: { code: string }) => e.code,
      );
      assert.ok(!codes.includes('NEW_ONE'), 'nothing was written');
    });

    it('creates and changes groups of units from the same document', async () => {
      const group = {
        version: '2022',
        code: 'quan-1-phuong',
        name: 'Các phường Quận 1',
        owner: '760',
        definition: { under: [{ code: '760', level: 3 }] },
      };
      const first = await admin.post('/api/metadata', { unitGroups: [group] });
      assert.deepEqual(first.json.unitGroups, { created: 1, updated: 0, unchanged: 0 });
      const changed = await admin.post('/api/metadata/unitGroups', {
        ...group,
        definition: { codes: ['26734', '26737'] },
      });
      assert.deepEqual(changed.json.unitGroups, { created: 0, updated: 1, unchanged: 0 });
      const members = await admin.get('/api/groups/quan-1-phuong?version=2022');
      assert.deepEqual(
        members.json.members.map((m: { code: string }) => m.code),
        ['26734', '26737'],
      );
    });

    it('refuses indicators that depend on each other in a cycle', async () => {
      const r = await admin.post('/api/metadata/indicators', [
        { ...doc.indicators[0], code: 'A', formula: 'N{B} + 1' },
        { ...doc.indicators[0], code: 'B', formula: 'N{A} + 1' },
      ]);
      assert.equal(r.status, 400);
    });

    it('lets only metadata managers change metadata, audited', async () => {
      await t.services.auth.createUser('system', {
        username: 'viewer1',
        password: 'Viewer-pw-123',
        role: 'viewer',
        scope: { version: '2025', code: 'VN' },
      });
      const viewer = ApiClient.for(t.services);
      await viewer.login('viewer1', 'Viewer-pw-123');
      const r = await viewer.post('/api/metadata/attributeOptions', {
        code: 'PLATFORM_A',
        nameVi: 'Nền tảng A',
        nameEn: 'Platform A',
      });
      assert.equal(r.status, 403);
      assert.equal((await viewer.get('/api/metadata/indicators')).status, 200);
      const log = (await admin.get('/api/audit?entityType=indicator')).json.items;
      assert.equal(log[0].action, 'indicator.create');
      assert.equal(log[0].entity.id, 'SMARTPHONE_SHARE');
    });
  });
}
