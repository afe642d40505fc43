import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
      direction: 'rise_bad',
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
      direction: 'rise_good',
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
        'citizenCategories',
      ]) {
        assert.equal(r.json[kind].created + r.json[kind].updated, 0, kind);
      }
      assert.equal(r.json.dataElements.unchanged, 3);
      assert.equal(r.json.unitGroups.unchanged, 2, 'the two seeded groups');
      assert.equal(r.json.citizenCategories.unchanged, 5, "the five shipped citizens' categories");
      assert.deepEqual((await admin.get('/api/metadata')).json, exported);
    });

    it('says what a rise means for each element and indicator, neutral when not said', async () => {
      const all = (await admin.get('/api/metadata')).json;
      const direction = (list: { code: string; direction: string }[], code: string) =>
        list.find((x) => x.code === code)?.direction;
      assert.equal(direction(all.dataElements, 'CYBERATTACKS'), 'rise_bad');
      assert.equal(direction(all.dataElements, 'MOBILE_SUBS'), 'neutral', 'not said: neutral');
      assert.equal(direction(all.indicators, 'SMARTPHONE_SHARE'), 'rise_good');
      const one = (await admin.get('/api/metadata/dataElements')).json.items;
      assert.equal(direction(one, 'CYBERATTACKS'), 'rise_bad');

      // Said later: an update, audited with what it became.
      const r = await admin.post('/api/metadata/dataElements', {
        ...doc.dataElements[1],
        direction: 'rise_good',
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.deepEqual(r.json.dataElements, { created: 0, updated: 1, unchanged: 0 });
      const after = (await admin.get('/api/metadata/dataElements')).json.items;
      assert.equal(direction(after, 'MOBILE_SUBS'), 'rise_good');
      const log = await admin.get('/api/audit?entityType=data_element&limit=50');
      const entry = log.json.items.find(
        (e: { action: string; after: { code: string } }) =>
          e.action === 'data_element.update' && e.after?.code === 'MOBILE_SUBS',
      );
      assert.equal(entry?.after.direction, 'rise_good');
      // Back as it was, for the tests below.
      await admin.post('/api/metadata/dataElements', doc.dataElements[1]);
    });

    it('refuses a direction it does not know, naming the field, and writes nothing', async () => {
      const r = await admin.post('/api/metadata', {
        dataElements: [{ ...doc.dataElements[1], code: 'BAD_DIRECTION', direction: 'up' }],
        indicators: [{ ...doc.indicators[0], code: 'BAD_DIRECTION_I', direction: 'better' }],
      });
      assert.equal(r.status, 400);
      const issues = r.json.error.details.issues as { path: string; vi: string; en: string }[];
      assert.deepEqual(
        issues.map((i) => i.path),
        ['dataElements.0.direction', 'indicators.0.direction'],
      );
      assert.match(
        issues[0]!.vi,
        /^Tùy chọn không hợp lệ: mong đợi một trong các giá trị "rise_good"/,
      );
      assert.match(
        issues[0]!.en,
        /^Invalid option: expected one of "rise_good"\|"rise_bad"\|"neutral"/,
      );
      assert.match(r.json.error.messages.en, /dataElements\.0\.direction/);
      const codes = (await admin.get('/api/metadata/dataElements')).json.items.map(
        (e: { code: string }) => e.code,
      );
      assert.ok(!codes.includes('BAD_DIRECTION'), 'nothing was written');
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
          { ...doc.indicators[0], code: 'NO_SET', formula: 'R{NOPE.REPORTING_RATE}' },
          { ...doc.indicators[0], code: 'A_CONSTANT', formula: '#{SMARTPHONE_SUBS} * C{K}' },
        ],
        dataSets: [{ ...doc.dataSets[0], code: 'DS2', elements: ['MISSING'] }],
      });
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'validation_failed');
      const problems = r.json.error.details.problems as { path: string; en: string }[];
      assert.deepEqual(
        problems.map((p) => p.path),
        [
          'indicators.0.formula',
          'indicators.1.formula',
          'indicators.2.formula',
          'indicators.3.formula',
          'dataSets.0.elements',
        ],
      );
      assert.match(problems[2]!.en, /unknown data set: NOPE/);
      assert.match(problems[3]!.en, /no constants/);
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

/** A DHIS2 metadata export (2.41): a tree of its own, two category combos, a data set. */
const EXPORT = JSON.parse(
  readFileSync(new URL('../test/fixtures/dhis2-metadata-export.json', import.meta.url), 'utf8'),
);
const ROOT = 'ImspTQPwCqd'; // Sierra Leone, DHIS2 level 1
const REGION = 'O6uvpzGd5pu'; // Bo, level 2
const DISTRICT = 'YuQRtpLP10I'; // Badjia, level 3
const CHC = 'DiszpKrYNg8'; // Ngelehun CHC, level 4
const MCHP = 'g8upMTyEZGZ'; // Njandama MCHP, level 4
const OPD = 'qrur9Dvnyt5';
const ANC = 'fbfJHSPpUQD';
const MALARIA = 'vg6pdjObxsm';
const MALE_U5 = 'TkDhg29x18A';
const FEMALE_5P = 'V6L425pT3A0';
const MALE = 'O2PajOxjJSa';

type Report = {
  klass: string;
  stats: Record<string, number>;
  objectReports: {
    uid?: string;
    index: number;
    errorReports: { errorCode: string; errorProperty?: string; message: string }[];
  }[];
};
const typeReport = (json: { response: { typeReports: Report[] } }, simple: string) =>
  json.response.typeReports.find((t) => t.klass.endsWith(`.${simple}`));
const errorCodes = (json: { response: { typeReports: Report[] } }) =>
  json.response.typeReports.flatMap((t) =>
    t.objectReports.flatMap((o) => o.errorReports.map((e) => `${o.uid ?? o.index}:${e.errorCode}`)),
  );
/** The value in an analytics grid for a row whose columns hold these values. */
const cell = (
  json: { headers: { name: string }[]; rows: string[][] },
  where: Record<string, string>,
) => {
  const i = (n: string) => json.headers.findIndex((h) => h.name === n);
  const row = json.rows.find((r) => Object.entries(where).every(([k, v]) => r[i(k)] === v));
  return row === undefined ? undefined : Number(row[i('value')]);
};

for (const engine of testEngines()) {
  describe(`DHIS2 metadata import on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
    });
    after(() => t.close());

    it('validates an export without writing it (importMode=VALIDATE)', async () => {
      const r = await admin.post('/api/metadata?importMode=VALIDATE', EXPORT);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.status, 'OK');
      assert.equal(r.json.response.responseType, 'ImportReport');
      assert.equal(typeReport(r.json, 'OrganisationUnit')!.stats.created, 5);
      assert.equal((await admin.get(`/api/orgunits/${ROOT}?version=2025`)).status, 404);
    });

    it('imports a DHIS2 export whole and answers its importReport', async () => {
      const r = await admin.post('/api/metadata', EXPORT);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.httpStatus, 'OK');
      assert.equal(r.json.httpStatusCode, 200);
      assert.equal(r.json.response.status, 'OK');
      const stats = (simple: string) => typeReport(r.json, simple)?.stats;
      assert.deepEqual(stats('OrganisationUnit'), {
        created: 5,
        updated: 0,
        deleted: 0,
        ignored: 0,
        total: 5,
      });
      // The defaults of the file are DHIS2's, already here: matched, not created again.
      assert.deepEqual(stats('CategoryOption'), {
        created: 4,
        updated: 1,
        deleted: 0,
        ignored: 0,
        total: 5,
      });
      assert.deepEqual(stats('CategoryCombo'), {
        created: 2,
        updated: 1,
        deleted: 0,
        ignored: 0,
        total: 3,
      });
      assert.equal(stats('CategoryOptionCombo')!.created, 6);
      // The tracker element is left out: Opsroom holds aggregate data.
      assert.deepEqual(stats('DataElement'), {
        created: 4,
        updated: 0,
        deleted: 0,
        ignored: 1,
        total: 5,
      });
      assert.equal(stats('DataSet')!.created, 2);
      assert.equal(stats('Indicator')!.created, 2);
      assert.equal(stats('OrganisationUnitGroup')!.created, 2);
      assert.equal(r.json.response.stats.total, 36);
      assert.match(r.json.message, /organisationUnitLevels \(4\)/, 'says what it did not import');
      assert.deepEqual(errorCodes(r.json), [], 'ERRORS mode lists objects with errors only');
    });

    it('holds the tree with DHIS2 levels, paths and uids, read through Opsroom’s routes', async () => {
      const facility = await admin.get(`/api/orgunits/${CHC}?version=2025`);
      assert.equal(facility.status, 200, JSON.stringify(facility.json));
      assert.equal(facility.json.level, 3, 'DHIS2 level 4: Opsroom counts the root as 0');
      assert.equal(facility.json.path, `/${ROOT}/${REGION}/${DISTRICT}/${CHC}/`);
      assert.equal(facility.json.uid, CHC);
      assert.equal(facility.json.origin, 'added');
      assert.equal(facility.json.sourceCode, 'OU_559', 'the free DHIS2 code is kept');
      assert.deepEqual(
        facility.json.ancestors.map((a: { code: string }) => a.code),
        [ROOT, REGION, DISTRICT],
      );
      const root = await admin.get(`/api/orgunits/${ROOT}?version=2025`);
      assert.equal(root.json.level, 0);
      assert.equal(root.json.parentCode, null, 'a tree of its own, beside the nation');
      assert.deepEqual(root.json.countsBelow, { '1': 1, '2': 1, '3': 2 });
      const children = await admin.get(`/api/orgunits?version=2025&parent=${DISTRICT}`);
      assert.deepEqual(
        children.json.items.map((u: { code: string }) => u.code).sort(),
        [CHC, MCHP].sort(),
      );
      const levelFour = await admin.get(`/api/orgunits?version=2025&level=3&parent=${ROOT}`);
      assert.equal(levelFour.json.total, 2);
    });

    it('stores data sets with their period type, elements and assigned units', async () => {
      const sets = (await admin.get('/api/metadata/dataSets')).json.items;
      const monthly = sets.find((d: { uid?: string }) => d.uid === 'pBOMPrpg1QX');
      assert.equal(monthly.code, 'DS_FACILITY_MONTHLY');
      assert.equal(monthly.periodType, 'month');
      assert.equal(monthly.version, '2025');
      assert.equal(monthly.level, 3);
      assert.equal(monthly.dueDays, 15);
      assert.deepEqual(monthly.elements, ['DE_ANC1', 'DE_MALARIA', 'DE_OPD_VISITS']);
      assert.deepEqual(monthly.units, [CHC, MCHP].sort());
      const yearly = sets.find((d: { uid?: string }) => d.uid === 'BfMAe6Itzgt');
      assert.equal(yearly.periodType, 'year');
      assert.deepEqual(yearly.units, [DISTRICT]);
    });

    it('keeps elements, combos with their option combos and indicators under their uids', async () => {
      const all = (await admin.get('/api/metadata')).json;
      const opd = all.dataElements.find((e: { uid?: string }) => e.uid === OPD);
      assert.equal(opd.code, 'DE_OPD_VISITS');
      assert.equal(opd.valueType, 'integer');
      assert.equal(opd.min, 0, 'INTEGER_ZERO_OR_POSITIVE');
      assert.equal(opd.aggTime, 'sum');
      assert.equal(opd.zeroSignificant, false);
      assert.equal(opd.breakdown, 'SEX_AGE');
      const pop = all.dataElements.find((e: { uid?: string }) => e.uid === 'WUg3MYWQ7pt');
      assert.deepEqual([pop.aggTime, pop.aggUnits], ['average', 'sum'], 'AVERAGE_SUM_ORG_UNIT');
      const sexAge = all.breakdowns.find((b: { code: string }) => b.code === 'SEX_AGE');
      assert.equal(sexAge.uid, 'WBW7RjsApsv');
      assert.deepEqual(
        sexAge.options.map((o: { uid: string; nameEn: string }) => [o.uid, o.nameEn]),
        [
          [MALE_U5, 'Male, <5y'],
          ['zPpvbvpmkxN', 'Male, 5y+'],
          ['uX9yDetTdOp', 'Female, <5y'],
          [FEMALE_5P, 'Female, 5y+'],
        ],
      );
      const share = all.indicators.find((i: { uid?: string }) => i.uid === 'Uvn6LCg7dVU');
      assert.equal(share.formula, `(#{${MALARIA}.${MALE}}) / (#{${MALARIA}}) * 100`);
      assert.equal(share.unit, '%');
      const opdRate = all.indicators.find((i: { uid?: string }) => i.uid === 'ReUHfIn0pTQ');
      assert.equal(opdRate.formula, `(#{${OPD}}) / (#{WUg3MYWQ7pt}) * 1000`);
    });

    it('exports it in Opsroom’s own format, which imports back unchanged', async () => {
      const exported = (await admin.get('/api/metadata')).json;
      const r = await admin.post('/api/metadata', exported);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      for (const [kind, counts] of Object.entries(
        r.json as Record<string, { created: number; updated: number }>,
      ))
        assert.equal(counts.created + counts.updated, 0, kind);
      assert.deepEqual((await admin.get('/api/metadata')).json, exported);
    });

    it('rolls a facility’s values up to its district, region and root', async () => {
      const r = await admin.post('/api/dataValueSets', {
        dataSet: 'pBOMPrpg1QX',
        period: '202509',
        dataValues: [
          { dataElement: OPD, categoryOptionCombo: MALE_U5, orgUnit: CHC, value: '12' },
          { dataElement: OPD, categoryOptionCombo: FEMALE_5P, orgUnit: CHC, value: '30' },
          { dataElement: OPD, categoryOptionCombo: MALE_U5, orgUnit: MCHP, value: '5' },
          { dataElement: ANC, orgUnit: MCHP, value: '7' },
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(
        r.json.response?.importCount?.imported ?? r.json.importCount?.imported,
        4,
        JSON.stringify(r.json),
      );
      const q = (ou: string) =>
        admin.get(`/api/analytics?dimension=dx:${OPD}&dimension=pe:202509&dimension=ou:${ou}`);
      for (const [ou, want] of [
        [ROOT, 47],
        [REGION, 47],
        [DISTRICT, 47],
        [CHC, 42],
        [MCHP, 5],
      ] as const) {
        const a = await q(ou);
        assert.equal(a.status, 200, JSON.stringify(a.json));
        assert.equal(cell(a.json, { ou }), want, `${ou}: ${JSON.stringify(a.json.rows)}`);
      }
      // LEVEL-4 is DHIS2's facility level: level 1 is the root.
      const facilities = await admin.get(
        `/api/analytics?dimension=dx:${OPD}&dimension=pe:202509&dimension=ou:${ROOT};LEVEL-4`,
      );
      assert.equal(cell(facilities.json, { ou: CHC }), 42, JSON.stringify(facilities.json.rows));
      assert.equal(cell(facilities.json, { ou: MCHP }), 5);
    });

    it('imports the same export again as updates, changing nothing', async () => {
      const r = await admin.post('/api/metadata', EXPORT);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.stats.created, 0);
      assert.equal(r.json.response.stats.updated, 35);
      const sexAge = (await admin.get('/api/metadata/breakdowns')).json.items.find(
        (b: { code: string }) => b.code === 'SEX_AGE',
      );
      assert.equal(sexAge.options.length, 4, 'no option combo made twice');
      const a = await admin.get(
        `/api/analytics?dimension=dx:${OPD}&dimension=pe:202509&dimension=ou:${ROOT}`,
      );
      assert.equal(cell(a.json, { ou: ROOT }), 47);
    });

    it('refuses a bad file whole, with DHIS2’s error codes (atomicMode=ALL)', async () => {
      const r = await admin.post('/api/metadata', {
        organisationUnits: [
          {
            id: 'NewUnit0001',
            name: 'A new post',
            shortName: 'Post',
            openingDate: '2020-01-01',
            parent: { id: CHC },
          },
          {
            id: 'Orphan00001',
            name: 'Orphan',
            shortName: 'Orphan',
            openingDate: '2020-01-01',
            parent: { id: 'NoSuchUnit1' },
          },
          { id: 'bad-uid', shortName: 'No name', openingDate: '2020-01-01', parent: { id: CHC } },
        ],
        dataElements: [
          {
            id: 'NewElem0001',
            name: 'X',
            shortName: 'X',
            valueType: 'INTEGER',
            aggregationType: 'SUM',
            categoryCombo: { id: 'NoSuchCombo' },
          },
        ],
      });
      assert.equal(r.status, 409, JSON.stringify(r.json));
      assert.equal(r.json.httpStatus, 'Conflict');
      assert.equal(r.json.status, 'WARNING');
      assert.equal(r.json.response.status, 'ERROR');
      assert.deepEqual(errorCodes(r.json).sort(), [
        'NewElem0001:E5002',
        'Orphan00001:E5002',
        'bad-uid:E4000',
        'bad-uid:E4014',
      ]);
      assert.equal(r.json.response.stats.ignored, 4, 'everything ignored');
      assert.equal(r.json.response.stats.created, 0);
      const report = typeReport(r.json, 'DataElement')!.objectReports[0]!.errorReports[0]!;
      assert.equal(report.errorProperty, 'categoryCombo');
      assert.match(
        report.message,
        /^Invalid reference \[NoSuchCombo\] \(CategoryCombo\) on object X \[NewElem0001\] \(DataElement\) for association `categoryCombo`\.$/,
      );
      assert.equal(
        (await admin.get('/api/orgunits/NewUnit0001?version=2025')).status,
        404,
        'nothing was written',
      );
    });

    it('refuses DHIS2 indicators naming an unknown data set or a constant (E4015)', async () => {
      const indicator = (id: string, numerator: string) => ({
        id,
        name: id,
        shortName: id,
        numerator,
        denominator: '1',
        indicatorType: { id: 'JkWynlWMjJR' },
      });
      const r = await admin.post('/api/metadata', {
        indicatorTypes: [{ id: 'JkWynlWMjJR', name: 'Number (Factor 1)', factor: 1, number: true }],
        indicators: [
          indicator('RateNoSet01', 'R{NoSuchSet1.REPORTING_RATE}'),
          indicator('Constant001', '2 * C{SomeConst01}'),
        ],
      });
      assert.equal(r.status, 409, JSON.stringify(r.json));
      assert.deepEqual(errorCodes(r.json).sort(), ['Constant001:E4015', 'RateNoSet01:E4015']);
    });

    it('writes what has no error with atomicMode=NONE, and reports the rest', async () => {
      const r = await admin.post('/api/metadata?atomicMode=NONE', {
        organisationUnits: [
          {
            id: 'Orphan00001',
            name: 'Orphan',
            shortName: 'Orphan',
            openingDate: '2020-01-01',
            parent: { id: 'NoSuchUnit1' },
          },
          {
            id: 'Under0rphan',
            name: 'Below the orphan',
            shortName: 'Below',
            openingDate: '2020-01-01',
            parent: { id: 'Orphan00001' },
          },
          {
            id: 'HealthPost1',
            code: 'HP 1/a',
            name: 'Health post 1',
            shortName: 'HP1',
            openingDate: '2020-01-01',
            parent: { id: MCHP },
          },
        ],
      });
      assert.equal(r.status, 409, JSON.stringify(r.json));
      assert.equal(r.json.response.status, 'WARNING');
      assert.deepEqual(typeReport(r.json, 'OrganisationUnit')!.stats, {
        created: 1,
        updated: 0,
        deleted: 0,
        ignored: 2,
        total: 3,
      });
      assert.deepEqual(errorCodes(r.json).sort(), ['Orphan00001:E5002', 'Under0rphan:E5002']);
      const post = await admin.get('/api/orgunits/HealthPost1?version=2025');
      assert.equal(post.json.level, 4, 'DHIS2 level 5: any depth');
      assert.equal(post.json.sourceCode, 'HP 1/a', 'a free code, kept out of the path');
      assert.equal(post.json.path, `/${ROOT}/${REGION}/${DISTRICT}/${MCHP}/HealthPost1/`);
    });

    it('checks the import strategy (E5000, E5001) and official units (they keep their place)', async () => {
      const create = await admin.post('/api/metadata?importStrategy=CREATE', {
        organisationUnits: [EXPORT.organisationUnits[0]],
      });
      assert.deepEqual(errorCodes(create.json), [`${CHC}:E5000`]);
      const update = await admin.post('/api/metadata?importStrategy=UPDATE', {
        organisationUnits: [
          { id: 'NotThere001', name: 'N', shortName: 'N', openingDate: '2020-01-01' },
        ],
      });
      assert.deepEqual(errorCodes(update.json), ['NotThere001:E5001']);
      const move = await admin.post('/api/metadata', {
        organisationUnits: [
          {
            id: '79',
            name: 'Hồ Chí Minh',
            shortName: 'HCM',
            openingDate: '2025-07-01',
            parent: { id: ROOT },
          },
        ],
      });
      assert.equal(move.status, 409);
      assert.deepEqual(errorCodes(move.json), ['79:E4027']);
      assert.match(
        move.json.response.typeReports[0].objectReports[0].errorReports[0].message,
        /official unit keeps its place/,
      );
    });

    it('adds health stations under a commune: its values and theirs roll up to the nation', async () => {
      const communes = await admin.get('/api/orgunits?version=2025&parent=79&limit=1');
      const commune = communes.json.items[0];
      const province = '79';
      const put = (orgUnit: string, value: string) =>
        admin.post('/api/dataValueSets', {
          dataValues: [{ dataElement: ANC, period: '202510', orgUnit, value }],
        });
      // A value at the commune while it is still a leaf…
      assert.equal((await put(commune.code, '100')).status, 200);
      // …then a health station and a school below it (parent after child, by the commune's code).
      const r = await admin.post('/api/metadata', {
        organisationUnits: [
          {
            id: 'SchoolUnit1',
            name: 'Primary school',
            shortName: 'School',
            openingDate: '2000-09-05',
            parent: { id: 'HealthSta01' },
          },
          {
            id: 'HealthSta01',
            code: `TYT-${commune.code}`,
            name: 'Trạm y tế',
            shortName: 'TYT',
            openingDate: '1999-01-01',
            parent: { code: commune.code },
          },
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const school = (await admin.get('/api/orgunits/SchoolUnit1?version=2025')).json;
      assert.equal(school.path, `/VN/${province}/${commune.code}/HealthSta01/SchoolUnit1/`);
      assert.equal(school.level, 4);
      assert.equal((await put('HealthSta01', '20')).status, 200);
      assert.equal((await put('SchoolUnit1', '3')).status, 200);
      const q = (ou: string) =>
        admin.get(`/api/analytics?dimension=dx:${ANC}&dimension=pe:202510&dimension=ou:${ou}`);
      for (const [ou, want] of [
        ['SchoolUnit1', 3],
        ['HealthSta01', 23],
        [commune.code, 123],
        [province, 123],
        ['VN', 123],
      ] as const) {
        const a = await q(ou);
        assert.equal(cell(a.json, { ou }), want, `${ou}: ${JSON.stringify(a.json)}`);
      }
      // LEVEL-5 under the nation: DHIS2 counts the nation as level 1.
      const level5 = await admin.get(
        `/api/analytics?dimension=dx:${ANC}&dimension=pe:202510&dimension=ou:VN;LEVEL-5`,
      );
      assert.equal(cell(level5.json, { ou: 'SchoolUnit1' }), 3, JSON.stringify(level5.json.rows));
    });

    it('moves an added unit: the sums above it follow', async () => {
      const r = await admin.post('/api/metadata', {
        organisationUnits: [
          {
            id: 'SchoolUnit1',
            name: 'Primary school',
            shortName: 'School',
            openingDate: '2000-09-05',
            parent: { id: DISTRICT },
          },
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(typeReport(r.json, 'OrganisationUnit')!.stats.updated, 1);
      const school = (await admin.get('/api/orgunits/SchoolUnit1?version=2025')).json;
      assert.equal(school.path, `/${ROOT}/${REGION}/${DISTRICT}/SchoolUnit1/`);
      const q = async (ou: string) =>
        cell(
          (
            await admin.get(
              `/api/analytics?dimension=dx:${ANC}&dimension=pe:202510&dimension=ou:${ou}`,
            )
          ).json,
          { ou },
        );
      assert.equal(await q('HealthSta01'), 20);
      assert.equal(await q('VN'), 120);
      assert.equal(await q(DISTRICT), 3);
      assert.equal(await q(ROOT), 3);
    });

    it('answers in Vietnamese when asked', async () => {
      const r = await admin.post(
        '/api/metadata',
        { organisationUnits: [{ id: 'Orphan00001', shortName: 'O', openingDate: '2020-01-01' }] },
        { 'accept-language': 'vi-VN' },
      );
      assert.equal(r.status, 409);
      assert.equal(
        r.json.response.typeReports[0].objectReports[0].errorReports[0].message,
        'Thiếu thuộc tính bắt buộc `name`.',
      );
    });

    it('keeps added units when the official file is imported again, and refuses to orphan them', async () => {
      const file = (units: object[]) =>
        JSON.stringify({ validFrom: '2030-01-01', validUntil: null, units });
      const province = {
        code: '91',
        kind: 'province',
        level: 1,
        parent: null,
        type: 'tinh',
        name: 'Thử',
        fullName: 'Tỉnh Thử',
      };
      const commune = {
        code: '99001',
        kind: 'commune',
        level: 2,
        parent: '91',
        type: 'xa',
        name: 'Một',
        fullName: 'Xã Một',
      };
      await t.services.hierarchy.importUnitsFile('system', file([province, commune]), {
        fileName: 'units-2030.json',
      });
      const r = await admin.post('/api/metadata?version=2030', {
        organisationUnits: [
          {
            id: 'Station2030',
            name: 'Trạm',
            shortName: 'Trạm',
            openingDate: '2030-01-01',
            parent: { id: '99001' },
          },
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      await t.services.hierarchy.importUnitsFile('system', file([province, commune]), {
        fileName: 'units-2030.json',
      });
      const station = await admin.get('/api/orgunits/Station2030?version=2030');
      assert.equal(
        station.json.path,
        '/VN/91/99001/Station2030/',
        'still there, after the same file',
      );
      await assert.rejects(
        t.services.hierarchy.importUnitsFile('system', file([province]), {
          fileName: 'units-2030.json',
        }),
        (e: { code?: string; messages?: { en: string } }) =>
          e.code === 'units_file_invalid' && /99001 ← Station2030/.test(e.messages!.en),
      );
    });

    it('assigns a data set to units in Opsroom’s own format too', async () => {
      const set = {
        code: 'STATION_MONTHLY',
        nameVi: 'Báo cáo tháng của trạm',
        nameEn: 'Station monthly report',
        periodType: 'month',
        version: '2025',
        level: 3,
        elements: ['DE_ANC1'],
        units: ['HealthSta01', MCHP],
      };
      const r = await admin.post('/api/metadata/dataSets', set);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.deepEqual(r.json.dataSets, { created: 1, updated: 0, unchanged: 0 });
      const stored = (await admin.get('/api/metadata/dataSets')).json.items.find(
        (d: { code: string }) => d.code === 'STATION_MONTHLY',
      );
      assert.deepEqual(stored.units, ['HealthSta01', MCHP].sort());
      const again = await admin.post('/api/metadata/dataSets', { ...set, units: [MCHP] });
      assert.deepEqual(again.json.dataSets, { created: 0, updated: 1, unchanged: 0 });
      const bad = await admin.post('/api/metadata/dataSets', { ...set, units: ['NoSuchUnit1'] });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.details.problems[0].path, 'dataSets.0.units');
    });

    it('audits every object in the import’s transaction, and needs metadata rights', async () => {
      const log = (await admin.get('/api/audit?entityType=org_unit')).json.items;
      assert.ok(
        log.some(
          (e: { action: string; entity: { id: string } }) =>
            e.action === 'org_unit.create' && e.entity.id === CHC,
        ),
      );
      await t.services.auth.createUser('system', {
        username: 'viewer2',
        password: 'Viewer-pw-123',
        role: 'viewer',
        scope: { version: '2025', code: 'VN' },
      });
      const viewer = ApiClient.for(t.services);
      await viewer.login('viewer2', 'Viewer-pw-123');
      const r = await viewer.post('/api/metadata', {
        organisationUnits: [EXPORT.organisationUnits[3]],
      });
      assert.equal(r.status, 403);
    });
  });
}
