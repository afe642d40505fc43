import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { createApp } from './app.ts';

/**
 * DHIS2's `GET /api/dataEntry/metadata`: the document DHIS2's Data Entry app reads first — the
 * data sets the caller may enter data for and everything their forms refer to, each reference
 * resolving inside the document, with the same uids and names as the DHIS2 metadata lists.
 */

// Monday 23 November 2026, 10:00 in Viet Nam: the 2025 tree is in force.
const NOW = new Date('2026-11-23T03:00:00Z');
const PASSWORD = 'Dhis2-entry-pw-1';

const METADATA = {
  breakdowns: [
    {
      code: 'DE_SEX',
      uid: 'DeSexCombo1',
      nameVi: 'Giới tính',
      nameEn: 'Sex',
      options: [
        { code: 'DE_MALE', uid: 'DeSexMale01', nameVi: 'Nam', nameEn: 'Male' },
        { code: 'DE_FEMALE', uid: 'DeSexFemal1', nameVi: 'Nữ', nameEn: 'Female' },
      ],
    },
  ],
  dataElements: [
    {
      code: 'DE_CASES',
      uid: 'DeCases0001',
      nameVi: 'Số ca bệnh',
      nameEn: 'Cases',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
      breakdown: 'DE_SEX',
      min: 0,
    },
    {
      code: 'DE_POPULATION',
      nameVi: 'Dân số',
      nameEn: 'Population',
      sector: 'other',
      valueType: 'number',
      aggTime: 'average',
    },
    {
      code: 'DE_STOCK',
      nameVi: 'Tồn kho',
      nameEn: 'Stock on hand',
      sector: 'other',
      valueType: 'integer',
      aggTime: 'last',
    },
    {
      code: 'DE_UNUSED',
      nameVi: 'Chỉ tiêu không thuộc bộ nào',
      nameEn: 'Element of no data set',
      sector: 'other',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
  dataSets: [
    {
      // For every ward of the 2025 tree (level 2), no assignments.
      code: 'DE_WARD',
      uid: 'DeWardWeek1',
      nameVi: 'Báo cáo tuần của xã',
      nameEn: 'Ward weekly report',
      periodType: 'week',
      version: '2025',
      level: 2,
      dueDays: 3,
      expiryDays: 14,
      elements: ['DE_CASES'],
    },
    {
      code: 'DE_HERE',
      nameVi: 'Báo cáo của Phường Sài Gòn',
      nameEn: 'Sai Gon ward report',
      periodType: 'month',
      version: '2025',
      level: 2,
      elements: ['DE_POPULATION'],
      units: ['26740'],
    },
    {
      code: 'DE_ELSEWHERE',
      nameVi: 'Báo cáo của phường khác',
      nameEn: 'Another ward report',
      periodType: 'month',
      version: '2025',
      level: 2,
      elements: ['DE_STOCK'],
      units: ['25747'],
    },
    {
      code: 'DE_PROVINCE',
      nameVi: 'Báo cáo tháng của tỉnh',
      nameEn: 'Provincial monthly report',
      periodType: 'month',
      version: '2025',
      level: 1,
      elements: ['DE_CASES', 'DE_POPULATION'],
    },
    {
      code: 'DE_OLD',
      nameVi: 'Báo cáo cây cũ',
      nameEn: 'Old tree report',
      periodType: 'year',
      version: '2022',
      level: 1,
      elements: ['DE_STOCK'],
    },
  ],
};

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any[]>;

const KEYS = [
  'dataSets',
  'dataElements',
  'indicators',
  'categoryCombos',
  'categories',
  'categoryOptions',
  'categoryOptionCombos',
  'optionSets',
];

/** Every id the document refers to, by the list it must be found in. */
function references(doc: Doc): [string, string, string][] {
  const out: [string, string, string][] = [];
  const to = (list: string, id: unknown, where: string) => {
    assert.equal(typeof id, 'string', `${where}: a reference without an id`);
    out.push([list, id as string, where]);
  };
  for (const s of doc.dataSets!) {
    to('categoryCombos', s.categoryCombo?.id, `dataSet ${s.id} categoryCombo`);
    for (const e of s.dataSetElements) {
      to('dataElements', e.dataElement?.id, `dataSet ${s.id} element`);
      if (e.categoryCombo) to('categoryCombos', e.categoryCombo.id, `dataSet ${s.id} override`);
    }
    for (const i of s.indicators) to('indicators', i, `dataSet ${s.id} indicator`);
  }
  for (const e of doc.dataElements!) {
    to('categoryCombos', e.categoryCombo?.id, `dataElement ${e.id}`);
    if (e.optionSet) to('optionSets', e.optionSet.id, `dataElement ${e.id} optionSet`);
  }
  for (const c of doc.categoryCombos!) {
    for (const x of c.categories) to('categories', x, `categoryCombo ${c.id}`);
    for (const coc of c.categoryOptionCombos) {
      to('categoryOptionCombos', coc.id, `categoryCombo ${c.id} option combo`);
      for (const o of coc.categoryOptions) to('categoryOptions', o, `option combo ${coc.id}`);
    }
  }
  for (const c of doc.categories!)
    for (const o of c.categoryOptions) to('categoryOptions', o, `category ${c.id}`);
  for (const coc of doc.categoryOptionCombos!) {
    to('categoryCombos', coc.categoryCombo?.id, `option combo ${coc.id}`);
    for (const o of coc.categoryOptions) to('categoryOptions', o, `option combo ${coc.id}`);
  }
  return out;
}

function assertClosed(doc: Doc) {
  assert.deepEqual(Object.keys(doc).sort(), [...KEYS].sort());
  const present = new Map(KEYS.map((k) => [k, new Set(doc[k]!.map((x) => x.id as string))]));
  for (const k of KEYS) assert.equal(present.get(k)!.size, doc[k]!.length, `${k}: ids repeat`);
  const dangling = references(doc).filter(([list, id]) => !present.get(list)!.has(id));
  assert.deepEqual(dangling, [], 'references that do not resolve in the document');
  // And nothing is there that no data set needs.
  const used = new Set(references(doc).map(([list, id]) => `${list}:${id}`));
  for (const k of KEYS.filter((k) => k !== 'dataSets'))
    for (const x of doc[k]!) assert.ok(used.has(`${k}:${x.id}`), `${k} ${x.id} is not referred to`);
}

const codes = (doc: Doc) =>
  doc.dataSets!.map((s) => s.code as string).filter((c) => c.startsWith('DE_'));

/** DHIS2's own client, loaded as dhis2-client.test.ts does (its ESM build does not load). */
const dhis2 = createRequire(import.meta.url)('@dhis2/data-engine') as {
  DataEngine: new (link: unknown) => { query(q: unknown): Promise<Record<string, any>> };
  RestAPILink: new (config: { baseUrl: string; apiVersion: number; apiToken?: string }) => unknown;
};

for (const engine of testEngines()) {
  describe(`DHIS2 dataEntry/metadata on ${engine}`, () => {
    let t: TestDb;
    let app: ReturnType<typeof createApp>;
    let admin: ApiClient;
    /** A data entry clerk of Phường Sài Gòn (26740). */
    let ward: ApiClient;
    /** A viewer of Hồ Chí Minh City (79): may read, not enter. */
    let viewer: ApiClient;
    let national: Doc;

    const get = async (c: ApiClient, path: string, headers?: Record<string, string>) => {
      const r = await c.get(path, headers);
      assert.equal(r.status, 200, `${path}: ${r.text.slice(0, 400)}`);
      return r.json as Doc;
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => NOW });
      app = createApp(t.services);
      admin = new ApiClient(app);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      const m = await admin.post('/api/metadata', METADATA);
      assert.equal(m.status, 200, m.text);
      const { auth } = t.services;
      await auth.createUser('system', {
        username: 'de-ward-26740',
        password: PASSWORD,
        role: 'data_entry',
        scope: { version: '2025', code: '26740' },
      });
      await auth.createUser('system', {
        username: 'de-viewer-79',
        password: PASSWORD,
        role: 'viewer',
        scope: { version: '2025', code: '79' },
      });
      ward = new ApiClient(app);
      assert.equal((await ward.login('de-ward-26740', PASSWORD)).status, 200);
      viewer = new ApiClient(app);
      assert.equal((await viewer.login('de-viewer-79', PASSWORD)).status, 200);
      national = await get(admin, '/api/dataEntry/metadata');
    });

    after(() => t.close());

    it('gives a national caller every data set, with its elements and their categories', () => {
      assert.deepEqual(codes(national).sort(), [
        'DE_ELSEWHERE',
        'DE_HERE',
        'DE_OLD',
        'DE_PROVINCE',
        'DE_WARD',
      ]);
      const ward = national.dataSets!.find((s) => s.code === 'DE_WARD');
      assert.deepEqual(ward, {
        id: 'DeWardWeek1',
        code: 'DE_WARD',
        name: 'Ward weekly report',
        shortName: 'Ward weekly report',
        displayName: 'Ward weekly report',
        displayShortName: 'Ward weekly report',
        periodType: 'Weekly',
        displayFormName: 'Ward weekly report',
        categoryCombo: { id: 'bjDvmb4bfuf' },
        dataSetElements: [{ dataElement: { id: 'DeCases0001' } }],
        expiryDays: 14,
        openFuturePeriods: 0,
        timelyDays: 3,
        compulsoryFieldsCompleteOnly: false,
        fieldCombinationRequired: false,
        validCompleteOnly: false,
        noValueRequiresComment: false,
        renderAsTabs: false,
        renderHorizontally: false,
        dataElementDecoration: false,
        formType: 'DEFAULT',
        indicators: [],
        compulsoryDataElementOperands: [],
        dataInputPeriods: [],
        sections: [],
      });
      const cases = national.dataElements!.find((e) => e.id === 'DeCases0001');
      assert.equal(cases.displayName, 'Cases');
      assert.equal(cases.displayFormName, 'Cases');
      assert.equal(cases.valueType, 'INTEGER_ZERO_OR_POSITIVE');
      assert.equal(cases.aggregationType, 'SUM');
      assert.equal(cases.zeroIsSignificant, true);
      assert.deepEqual(cases.categoryCombo, { id: 'DeSexCombo1' });
      // An element of no data set is not in the document.
      assert.ok(!national.dataElements!.some((e) => e.code === 'DE_UNUSED'));

      const sex = national.categoryCombos!.find((c) => c.id === 'DeSexCombo1');
      assert.equal(sex.displayName, 'Sex');
      assert.equal(sex.isDefault, false);
      assert.equal(sex.categories.length, 1);
      assert.deepEqual(
        sex.categoryOptionCombos.map((c: any) => [c.id, c.displayName]),
        [
          ['DeSexMale01', 'Male'],
          ['DeSexFemal1', 'Female'],
        ],
      );
      const category = national.categories!.find((c) => c.id === sex.categories[0]);
      assert.equal(category.displayName, 'Sex');
      assert.deepEqual(
        category.categoryOptions.map(
          (id: string) => national.categoryOptions!.find((o) => o.id === id).displayName,
        ),
        ['Male', 'Female'],
      );
      // Each option combo is made of one option of that category.
      for (const coc of sex.categoryOptionCombos)
        assert.ok(category.categoryOptions.includes(coc.categoryOptions[0]));
      const byDefault = national.categoryCombos!.find((c) => c.id === 'bjDvmb4bfuf');
      assert.equal(byDefault.isDefault, true);
      assert.deepEqual(byDefault.categoryOptionCombos, [
        {
          id: 'HllvX50cXC0',
          code: 'default',
          name: byDefault.categoryOptionCombos[0].name,
          displayName: byDefault.categoryOptionCombos[0].displayName,
          categoryOptions: ['xYerKDKCefk'],
        },
      ]);
      assert.deepEqual(national.optionSets, []);
    });

    it('refers only to objects it holds (referential closure)', async () => {
      assertClosed(national);
      assertClosed(await get(ward, '/api/dataEntry/metadata'));
    });

    it('gives the same uids and names as the DHIS2 metadata lists', async () => {
      const list = async (resource: string) =>
        new Map(
          (await get(admin, `/api/${resource}?fields=id,displayName&paging=false`))[resource]!.map(
            (x) => [x.id, x.displayName],
          ),
        );
      for (const resource of [
        'dataSets',
        'dataElements',
        'categoryCombos',
        'categories',
        'categoryOptions',
        'categoryOptionCombos',
      ]) {
        const known = await list(resource);
        for (const x of national[resource]!)
          assert.equal(known.get(x.id), x.displayName, `${resource} ${x.id}`);
      }
    });

    it('gives a ward clerk only the data sets of units in the scope', async () => {
      const doc = await get(ward, '/api/dataEntry/metadata');
      // DE_WARD: its level; DE_HERE: assigned to the ward. Not the set assigned to another
      // ward, the province's set, nor a set of the 2022 tree.
      assert.deepEqual(codes(doc).sort(), ['DE_HERE', 'DE_WARD']);
      const elements = doc.dataElements!.map((e) => e.code).filter((c) => c.startsWith('DE_'));
      assert.deepEqual(elements.sort(), ['DE_CASES', 'DE_POPULATION']);
    });

    it('answers at /api/41/, with .json, and in Vietnamese when asked', async () => {
      for (const path of [
        '/api/dataEntry/metadata.json',
        '/api/41/dataEntry/metadata',
        '/api/41/dataEntry/metadata.json',
      ])
        assert.deepEqual(await get(admin, path), national, path);
      const vi = await get(admin, '/api/dataEntry/metadata', { 'accept-language': 'vi' });
      const set = vi.dataSets!.find((s) => s.code === 'DE_WARD');
      assert.equal(set.displayName, 'Báo cáo tuần của xã');
      assert.equal(set.name, 'Ward weekly report');
      const cases = vi.dataElements!.find((e) => e.id === 'DeCases0001');
      assert.equal(cases.displayFormName, 'Số ca bệnh');
      const male = vi.categoryOptionCombos!.find((c) => c.id === 'DeSexMale01');
      assert.equal(male.displayName, 'Nam');
    });

    it('answers DHIS2’s web message: 401 unauthenticated, 403 without data entry', async () => {
      const anonymous = new ApiClient(app);
      for (const path of ['/api/dataEntry/metadata', '/api/41/dataEntry/metadata.json']) {
        const r = await anonymous.get(path);
        assert.equal(r.status, 401, path);
        assert.equal(r.json.httpStatus, 'Unauthorized');
        assert.equal(r.json.httpStatusCode, 401);
        assert.equal(r.json.status, 'ERROR');
        assert.equal(typeof r.json.message, 'string');
      }
      const r = await viewer.get('/api/dataEntry/metadata');
      assert.equal(r.status, 403);
      assert.equal(r.json.httpStatusCode, 403);
      assert.equal(r.json.status, 'ERROR');
      assert.equal(r.json.errorCode, 'E1006');
    });

    it('is read by DHIS2’s client (@dhis2/data-engine) as the Data Entry app queries it', async () => {
      const { token } = await t.services.auth.createToken('system', {
        name: 'de-token',
        scope: { version: '2025', code: 'VN' },
        permissions: ['data.read', 'data.write', 'unit.read'],
      });
      const server = await new Promise<Server>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
          resolve(s as Server),
        );
      });
      try {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        const client = new dhis2.DataEngine(
          new dhis2.RestAPILink({
            baseUrl: `http://127.0.0.1:${port}`,
            apiVersion: 41,
            apiToken: token,
          }),
        );
        const { metadata } = await client.query({ metadata: { resource: 'dataEntry/metadata' } });
        assert.deepEqual(codes(metadata as Doc).sort(), codes(national).sort());
        assertClosed(metadata as Doc);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    });
  });
}
