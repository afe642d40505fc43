import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * DHIS2's own fixture files (data/dhis2-fixtures, from dhis2-core's integration tests; BSD-3,
 * see its README) imported unchanged through the API, with the metadata DHIS2's tests create
 * — imported in DHIS2's shape through `POST /api/metadata` — and the answers DHIS2's tests
 * assert. The tests were read in dhis2-core, branch 2.42 (the counts keep imported, updated,
 * ignored and deleted apart up to 2.42; from 2.43 every accepted row counts as updated):
 *
 * - `DataValueSetServiceIntegrationTest`: dataValueSetJ.json, dataValueSetB.xml,
 *   dataValueSetBNewDeleted.xml, dataValueSetBooleanTest.csv;
 * - `AnalyticsServiceTest`: dataValues.csv and the sums of its analytics;
 * - `AdxDataServiceIntegrationTest`: importA.adx.xml (`testGetAllDataValuesA`).
 *
 * Each DHIS2 test class has its own metadata, so each is a database of its own here; DHIS2
 * runs each test on empty data, so the tests of one class are replayed in an order that starts
 * each from the data DHIS2's starts from. Elements are made as DHIS2's `createDataElement`
 * makes them: INTEGER, SUM, zeros not significant; units flat (each a root) where DHIS2's are.
 * The few differences from DHIS2's metadata are said where they are.
 */

const FIXTURES = new URL('../../data/dhis2-fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/** The tree the units go into: the earliest, so the tree in force at the fixtures' periods. */
const VERSION = '2022';
const OPENED = '1970-01-01';

const counts = (imported: number, updated: number, ignored: number, deleted: number) => ({
  imported,
  updated,
  ignored,
  deleted,
});

const unit = (id: string, code: string, name: string, parent?: string) => ({
  id,
  code,
  name,
  shortName: name,
  openingDate: OPENED,
  ...(parent ? { parent: { id: parent } } : {}),
});

/** A data element as DHIS2's `createDataElement` makes it (unless said). */
const element = (id: string, code: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  code,
  name,
  shortName: name,
  valueType: 'INTEGER',
  aggregationType: 'SUM',
  domainType: 'AGGREGATE',
  zeroIsSignificant: false,
  categoryCombo: { id: 'bjDvmb4bfuf' },
  ...extra,
});

interface Summary {
  status: string;
  importCount: ReturnType<typeof counts>;
  conflicts: { errorCode: string; property: string; object: string; indexes: number[] }[];
  rejectedIndexes: number[];
}

/**
 * One database on `engine` with `metadata` imported in DHIS2's shape, and a Basic-auth caller.
 * `ownTree`: the units go into a tree of their own, in force from this date (DHIS2 codes such
 * as "123" would otherwise name official units).
 */
function dhis2World(
  engine: Parameters<typeof openTestDb>[0],
  metadata: Record<string, unknown>,
  ownTree?: { version: string; validFrom: string },
) {
  const w = {
    t: undefined as unknown as TestDb,
    admin: undefined as unknown as ApiClient,
    basic: '',
    /** POSTs a raw fixture as a DHIS2 client would: Basic auth, no session, no CSRF header. */
    async send(file: string, type: string, query = '', path = '/api/dataValueSets') {
      const res = await w.admin.app.request(`${path}${query}`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: w.basic },
        body: fixture(file),
      });
      const json = (await res.json()) as { status: string; response: Summary };
      assert.equal(res.status, 200, JSON.stringify(json));
      return json.response;
    },
    async exportJson(query: string) {
      const res = await w.admin.app.request(`/api/dataValueSets?${query}`, {
        headers: { authorization: w.basic },
      });
      assert.equal(res.status, 200, await res.clone().text());
      return ((await res.json()) as { dataValues: Record<string, string>[] }).dataValues;
    },
    /** Every value stored (DHIS2's `assertDataValuesCount`), as "element period unit value". */
    async all() {
      return (await w.exportJson('idScheme=UID')).map(
        (v) => `${v.dataElement} ${v.period} ${v.orgUnit} ${v.value}`,
      );
    },
  };
  before(async () => {
    w.t = await openTestDb(engine);
    w.admin = ApiClient.for(w.t.services);
    await w.admin.login('admin', ADMIN_PASSWORD);
    w.basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    if (ownTree) {
      const tree = await w.admin.post(`/api/orgunits/import?version=${ownTree.version}`, {
        dataset: 'DHIS2 test units (dhis2-core integration tests)',
        validFrom: ownTree.validFrom,
        validUntil: null,
        units: [],
      });
      assert.equal(tree.status, 200, JSON.stringify(tree.json));
    }
    const r = await w.admin.post(`/api/metadata?version=${ownTree?.version ?? VERSION}`, metadata);
    assert.equal(r.status, 200, JSON.stringify(r.json));
  });
  after(() => w.t.close());
  return w;
}

/**
 * `DataValueSetServiceIntegrationTest.setUp`: three flat units, elements A–D (INTEGER), F
 * (BOOLEAN) and G (TRUE_ONLY), a category combo A of two options, data set A (monthly) of A–D
 * for units A and C. Not here: the option set of element E (DHIS2's setUp never saves E, and
 * Opsroom holds no option sets), the CUSTOM_ID attribute, users and the registration.
 */
const valueSetMetadata = {
  organisationUnits: [
    unit('DiszpKrYNg8', 'OU_A', 'OrganisationUnitA'),
    unit('BdfsJfj87js', 'OU_B', 'OrganisationUnitB'),
    unit('j7Hg26FpoIa', 'OU_C', 'OrganisationUnitC'),
  ],
  categoryOptions: [
    { id: 'CatOptAaaaa', name: 'CategoryOptionA', shortName: 'CategoryOptionA' },
    { id: 'CatOptBbbbb', name: 'CategoryOptionB', shortName: 'CategoryOptionB' },
  ],
  categories: [
    {
      id: 'CategoryAaa',
      name: 'CategoryA',
      shortName: 'CategoryA',
      dataDimensionType: 'DISAGGREGATION',
      categoryOptions: [{ id: 'CatOptAaaaa' }, { id: 'CatOptBbbbb' }],
    },
  ],
  categoryCombos: [
    {
      id: 'CatComboAaa',
      name: 'CategoryComboA',
      dataDimensionType: 'DISAGGREGATION',
      categories: [{ id: 'CategoryAaa' }],
    },
  ],
  categoryOptionCombos: [
    {
      id: 'kjuiHgy67hg',
      code: 'OC_A',
      name: 'CategoryOptionA',
      categoryCombo: { id: 'CatComboAaa' },
      categoryOptions: [{ id: 'CatOptAaaaa' }],
    },
    {
      id: 'Gad33qy67g5',
      code: 'OC_B',
      name: 'CategoryOptionB',
      categoryCombo: { id: 'CatComboAaa' },
      categoryOptions: [{ id: 'CatOptBbbbb' }],
    },
  ],
  dataElements: [
    element('f7n9E0hX8qk', 'DE_A', 'DataElementA'),
    element('Ix2HsbDMLea', 'DE_B', 'DataElementB'),
    element('eY5ehpbEsB7', 'DE_C', 'DataElementC'),
    element('deabcdefghD', 'DE_D', 'DataElementD'),
    element('jH26dja2f30', 'DataElementCodeF', 'DataElementF', { valueType: 'BOOLEAN' }),
    element('jH26dja2f31', 'DataElementCodeG', 'DataElementG', { valueType: 'TRUE_ONLY' }),
  ],
  dataSets: [
    {
      id: 'pBOMPrpg1QX',
      code: 'DS_A',
      name: 'DataSetA',
      shortName: 'DataSetA',
      periodType: 'Monthly',
      categoryCombo: { id: 'bjDvmb4bfuf' },
      dataSetElements: ['f7n9E0hX8qk', 'Ix2HsbDMLea', 'eY5ehpbEsB7', 'deabcdefghD'].map((id) => ({
        dataElement: { id },
      })),
      organisationUnits: [{ id: 'DiszpKrYNg8' }, { id: 'j7Hg26FpoIa' }],
    },
  ],
};

/**
 * `AnalyticsServiceTest.setUpMetadata`: units A → B, C; B → D, E; elements A–E (INTEGER, SUM),
 * F (BOOLEAN), G (TEXT), H (DATE); data sets A (units C, D) and B (unit D). F, G and H are
 * MAX in DHIS2, which Opsroom does not hold: LAST here (no sum below reads them). Groups,
 * indicators and validation results are not about the data values.
 */
const analyticsMetadata = {
  organisationUnits: [
    unit('ouabcdefghA', 'OrganisationUnitCodeA', 'OrganisationUnitA'),
    unit('ouabcdefghB', 'OrganisationUnitCodeB', 'OrganisationUnitB', 'ouabcdefghA'),
    unit('ouabcdefghC', 'OrganisationUnitCodeC', 'OrganisationUnitC', 'ouabcdefghA'),
    unit('ouabcdefghD', 'OrganisationUnitCodeD', 'OrganisationUnitD', 'ouabcdefghB'),
    unit('ouabcdefghE', 'OrganisationUnitCodeE', 'OrganisationUnitE', 'ouabcdefghB'),
  ],
  dataElements: [
    ...['A', 'B', 'C', 'D', 'E'].map((c) =>
      element(`deabcdefgh${c}`, `DataElementCode${c}`, `DataElement${c}`),
    ),
    ...(
      [
        ['F', 'BOOLEAN'],
        ['G', 'TEXT'],
        ['H', 'DATE'],
      ] as const
    ).map(([c, valueType]) =>
      element(`deabcdefgh${c}`, `DataElementCode${c}`, `DataElement${c}`, {
        valueType,
        aggregationType: 'LAST',
      }),
    ),
  ],
  dataSets: (
    [
      ['a23dataSetA', 'A', ['ouabcdefghC', 'ouabcdefghD']],
      ['a23dataSetB', 'B', ['ouabcdefghD']],
    ] satisfies [string, string, string[]][]
  ).map(([id, c, units]) => ({
    id,
    code: `DataSetCode${c}`,
    name: `DataSet${c}`,
    shortName: `DataSet${c}`,
    periodType: 'Monthly',
    categoryCombo: { id: 'bjDvmb4bfuf' },
    dataSetElements: [],
    organisationUnits: units.map((u) => ({ id: u })),
  })),
};

/**
 * `AdxDataServiceIntegrationTest.setUp`: categories age, sex and mechanism with their options
 * and combos (the uids and codes DHIS2's test gives them), elements "Malaria numeric" (by age
 * and sex) and "Malaria text", data sets MalariaDS (monthly) and MalariaMechanismDS
 * (quarterly, by mechanism), units 123 → 456. The mechanism combo is declared an ATTRIBUTE
 * combo, as a data set's attribute combo is in DHIS2 (its test leaves the type at
 * DISAGGREGATION, which DHIS2 does not check).
 */
const adxMetadata = (() => {
  const option = (id: string, code: string, name: string) => ({ id, code, name, shortName: name });
  const coc = (id: string, code: string, name: string, combo: string, options: string[]) => ({
    id,
    code,
    name,
    categoryCombo: { id: combo },
    categoryOptions: options.map((o) => ({ id: o })),
  });
  return {
    organisationUnits: [
      unit('P1233333333', '123', 'Provincial Hospital'),
      unit('D4566666666', '456', 'District Hospital', 'P1233333333'),
    ],
    categoryOptions: [
      option('under555555', 'under5', 'Under 5'),
      option('over5555555', 'over5', 'Over 5'),
      option('FFFFFFFFFFF', 'F', 'Female'),
      option('MMMMMMMMMMM', 'M', 'Male'),
      option('PEPFARRRRRR', 'PEPFAR', 'PEPFAR mechanism'),
      option('McDonaldsss', 'McDonalds', 'McDonalds mechanism'),
    ],
    categories: [
      ['ageeeeeeeee', 'age', 'Age_category', 'DISAGGREGATION', ['under555555', 'over5555555']],
      ['sexxxxxxxxx', 'sex', 'Sex_category', 'DISAGGREGATION', ['FFFFFFFFFFF', 'MMMMMMMMMMM']],
      [
        'mechanismmm',
        'mechanism',
        'Mechanism_category',
        'ATTRIBUTE',
        ['PEPFARRRRRR', 'McDonaldsss'],
      ],
    ].map(([id, code, name, dataDimensionType, options]) => ({
      id,
      code,
      name,
      shortName: name,
      dataDimensionType,
      categoryOptions: (options as string[]).map((o) => ({ id: o })),
    })),
    categoryCombos: [
      {
        id: 'ccAgeAndSex',
        name: 'Age and Sex Category Combo',
        dataDimensionType: 'DISAGGREGATION',
        categories: [{ id: 'ageeeeeeeee' }, { id: 'sexxxxxxxxx' }],
      },
      {
        id: 'ccMechanism',
        name: 'Mechanism Category Combo',
        dataDimensionType: 'ATTRIBUTE',
        categories: [{ id: 'mechanismmm' }],
      },
    ],
    categoryOptionCombos: [
      coc('FUnder55555', 'F_Under5', 'Female Under 5', 'ccAgeAndSex', [
        'FFFFFFFFFFF',
        'under555555',
      ]),
      coc('MUnder55555', 'M_Under5', 'Male Under 5', 'ccAgeAndSex', ['MMMMMMMMMMM', 'under555555']),
      coc('FOver555555', 'F_Over5', 'Female Over 5', 'ccAgeAndSex', ['FFFFFFFFFFF', 'over5555555']),
      coc('MOver555555', 'M_Over5', 'Male Over 5', 'ccAgeAndSex', ['MMMMMMMMMMM', 'over5555555']),
      coc('cocPEPFARRR', 'coc_PEPFAR', 'PEPFAR CategoryOptionCombo', 'ccMechanism', [
        'PEPFARRRRRR',
      ]),
      coc('cocMcDonald', 'coc_McDonalds', 'McDonalds CategoryOptionCombo', 'ccMechanism', [
        'McDonaldsss',
      ]),
    ],
    dataElements: [
      element('MalNummmmmm', 'Mal_num', 'Malaria numeric', {
        categoryCombo: { id: 'ccAgeAndSex' },
      }),
      element('MalTexttttt', 'Mal_text', 'Malaria text', { valueType: 'TEXT' }),
    ],
    dataSets: [
      ['MalariaDSSS', 'MalariaDS', 'Malaria DS', 'Monthly', 'bjDvmb4bfuf', ['P1233333333']],
      ['MalariaMech', 'MalariaMechanismDS', 'Malaria Mechanism DS', 'Quarterly', 'ccMechanism', []],
    ].map(([id, code, name, periodType, combo, units]) => ({
      id,
      code,
      name,
      shortName: name,
      periodType,
      categoryCombo: { id: combo },
      dataSetElements: [
        { dataElement: { id: 'MalNummmmmm' } },
        { dataElement: { id: 'MalTexttttt' } },
      ],
      organisationUnits: (units as string[]).map((u) => ({ id: u })),
    })),
  };
})();

for (const engine of testEngines()) {
  describe(`DHIS2's DataValueSetServiceIntegrationTest (2.42) on ${engine}`, () => {
    const w = dhis2World(engine, valueSetMetadata);

    it('testImportValueJson: dataValueSetJ.json imports its one value', async () => {
      const r = await w.send('dataValueSetJ.json', 'application/json');
      assert.equal(r.status, 'SUCCESS');
      assert.deepEqual(r.importCount, counts(1, 0, 0, 0));
      assert.deepEqual(await w.all(), ['f7n9E0hX8qk 201201 DiszpKrYNg8 10']);
    });

    it('testImportDeleteValueJson: the same file with importStrategy=DELETE deletes it', async () => {
      const r = await w.send('dataValueSetJ.json', 'application/json', '?importStrategy=DELETE');
      assert.equal(r.status, 'SUCCESS');
      assert.deepEqual(r.importCount, counts(0, 0, 0, 1));
      assert.deepEqual(await w.all(), []);
    });

    it('testImportValuesXml: dataValueSetB.xml imports its 12 values (at DHIS2’s versioned path)', async () => {
      const r = await w.send('dataValueSetB.xml', 'application/xml', '', '/api/40/dataValueSets');
      assert.equal(r.status, 'SUCCESS');
      assert.deepEqual(r.importCount, counts(12, 0, 0, 0));
      assert.equal((await w.all()).length, 12);
      // The file's storedBy is kept, as DHIS2 keeps it.
      assert.deepEqual(
        [...new Set((await w.exportJson('dataElement=f7n9E0hX8qk')).map((v) => v.storedBy))],
        ['john'],
      );
    });

    it('testImportValuesDeleteStrategyXml: B again with importStrategy=DELETE deletes the 12', async () => {
      const r = await w.send('dataValueSetB.xml', 'text/xml', '?importStrategy=DELETE');
      assert.equal(r.status, 'SUCCESS');
      assert.deepEqual(r.importCount, counts(0, 0, 0, 12));
      assert.deepEqual(await w.all(), []);
    });

    it('testImportAndDeleteValuesXml: B, then dataValueSetBNewDeleted.xml: 2 imported, 4 deleted, 6 ignored', async () => {
      assert.deepEqual(
        (await w.send('dataValueSetB.xml', 'application/xml')).importCount,
        counts(12, 0, 0, 0),
      );
      const r = await w.send('dataValueSetBNewDeleted.xml', 'application/xml');
      assert.equal(r.status, 'SUCCESS');
      assert.deepEqual(r.importCount, counts(2, 0, 6, 4));
      assert.equal((await w.all()).length, 10);
      assert.deepEqual(await w.exportJson('dataElement=Ix2HsbDMLea'), [], 'the four deleted');
      // Kept as DHIS2 keeps them (soft deletion): an export with includeDeleted has them.
      const deleted = await w.exportJson('dataElement=Ix2HsbDMLea&includeDeleted=true');
      assert.equal(deleted.length, 4);
      assert.ok(deleted.every((v) => (v.deleted as unknown) === true));
      assert.deepEqual(
        (await w.exportJson('dataElement=eY5ehpbEsB7&idScheme=UID')).map(
          (v) => `${v.period} ${v.orgUnit} ${v.value}`,
        ),
        [
          '201201 BdfsJfj87js 10010',
          '201201 DiszpKrYNg8 10009',
          '201202 BdfsJfj87js 10012',
          '201202 DiszpKrYNg8 10011',
          '201203 BdfsJfj87js 10012',
          '201203 DiszpKrYNg8 10011',
        ],
      );
    });

    it('testImportDataValuesBooleanCsv: four E7619 conflicts, in two groups (rows 10, 11 and 16, 17); only true and false stored', async () => {
      // Rows 10 ("test") and 11 ("not true") are no booleans; row 16 ("false") is refused by
      // jH26dja2f31, a TRUE_ONLY element, and row 17 ("test") too. "0" and "false" of the
      // BOOLEAN element are stored although its zeros are not significant: zero significance
      // is for numbers. DHIS2's 2.42 test asserts the conflicts; its 2.43 test also asserts
      // 14 values accepted and 4 ignored, as counted here.
      const r = await w.send('dataValueSetBooleanTest.csv', 'text/csv');
      assert.equal(r.status, 'WARNING');
      assert.deepEqual(r.importCount, counts(14, 0, 4, 0));
      assert.deepEqual(r.rejectedIndexes, [10, 11, 16, 17]);
      assert.deepEqual(
        r.conflicts.map((c) => [c.errorCode, c.object, c.indexes]),
        [
          ['E7619', 'jH26dja2f30', [10, 11]],
          ['E7619', 'jH26dja2f31', [16, 17]],
        ],
      );
      const values = await w.exportJson('dataElement=jH26dja2f30&dataElement=jH26dja2f31');
      assert.equal(values.length, 14);
      assert.deepEqual([...new Set(values.map((v) => v.value))].sort(), ['false', 'true']);
      assert.deepEqual(
        values.filter((v) => v.dataElement === 'DataElementCodeF').map((v) => v.value),
        ['true', 'true', 'false', 'false', 'false', 'false', 'true', 'true', 'true', 'false'],
      );
    });
  });

  describe(`DHIS2's AnalyticsServiceTest data (2.42) on ${engine}`, () => {
    const w = dhis2World(engine, analyticsMetadata);
    const sum = async (dx: string, pe: string, ou: string) => {
      const r = await w.admin.get(
        `/api/analytics?dimension=dx:${dx}&dimension=pe:${pe}&filter=ou:${ou}`,
      );
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const rows = r.json.rows as string[][];
      assert.equal(rows.length, 1, JSON.stringify(rows));
      return Number(rows[0]!.at(-1));
    };

    it('dataValues.csv (quoted, padded header; 2017-01 periods): its 32 values are stored', async () => {
      const r = await w.send('dataValues.csv', 'application/csv');
      assert.equal(r.status, 'SUCCESS', JSON.stringify(r.conflicts));
      assert.deepEqual(r.importCount, counts(32, 0, 0, 0));
      assert.equal((await w.all()).length, 32);
      const again = await w.send('dataValues.csv', 'text/csv');
      assert.deepEqual(again.importCount, counts(0, 0, 32, 0));
    });

    it('test_deA_ouA_2017_Q01: element A at unit A in 2017Q1 sums to 308', async () => {
      assert.equal(await sum('deabcdefghA', '2017Q1', 'ouabcdefghA'), 308);
    });

    it('test_deC_ouB_2017_03: element C at unit B (with D and E under it) in 201703 sums to 6', async () => {
      assert.equal(await sum('deabcdefghC', '201703', 'ouabcdefghB'), 6);
    });

    it('exports by unit uid and its children, read in the tree of each period', async () => {
      assert.deepEqual(
        (
          await w.exportJson(
            'dataElement=deabcdefghA&orgUnit=ouabcdefghB&children=true&idScheme=UID',
          )
        ).map((v) => `${v.period} ${v.orgUnit} ${v.value}`),
        [
          '201701 ouabcdefghB 1',
          '201701 ouabcdefghD 66',
          '201701 ouabcdefghE 1',
          '201702 ouabcdefghD 233',
        ],
      );
    });
  });

  describe(`DHIS2's AdxDataServiceIntegrationTest (2.42) on ${engine}`, () => {
    const w = dhis2World(engine, adxMetadata, { version: '2019', validFrom: '2019-01-01' });

    it('testGetAllDataValuesA: importA.adx.xml gives the nine values DHIS2’s test lists', async () => {
      // DHIS2's test reads elements by name, categories by name, category options and combos
      // by uid; Opsroom reads categories and their options by code, uid or name alike.
      const r = await w.send(
        'importA.adx.xml',
        'application/adx+xml',
        '?dataElementIdScheme=NAME&categoryIdScheme=NAME&categoryOptionIdScheme=UID&categoryOptionComboIdScheme=UID',
      );
      assert.deepEqual(r.conflicts, []);
      assert.equal(r.status, 'SUCCESS');
      assert.deepEqual(r.importCount, counts(9, 0, 0, 0));
      const values = (await w.exportJson('idScheme=UID')).map(
        (v) =>
          `${v.dataElement} ${v.period} ${v.orgUnit} ${v.categoryOptionCombo} ${v.attributeOptionCombo} ${v.value}`,
      );
      assert.deepEqual(values.sort(), [
        'MalNummmmmm 202001 P1233333333 FOver555555 HllvX50cXC0 3',
        'MalNummmmmm 202001 P1233333333 FUnder55555 HllvX50cXC0 1',
        'MalNummmmmm 202001 P1233333333 MOver555555 HllvX50cXC0 4',
        'MalNummmmmm 202001 P1233333333 MUnder55555 HllvX50cXC0 2',
        'MalNummmmmm 202002 D4566666666 FUnder55555 HllvX50cXC0 6',
        'MalNummmmmm 2021Q1 D4566666666 FOver555555 cocMcDonald 20',
        'MalNummmmmm 2021Q1 D4566666666 FUnder55555 cocPEPFARRR 10',
        'MalNummmmmm 2021Q1 D4566666666 MUnder55555 cocMcDonald 30',
        'MalTexttttt 202001 P1233333333 HllvX50cXC0 HllvX50cXC0 Text data value',
      ]);
    });

    it('exports ADX that imports back unchanged', async () => {
      const res = await w.admin.app.request('/api/dataValueSets?idScheme=UID', {
        headers: { authorization: w.basic, accept: 'application/adx+xml' },
      });
      const adx = await res.text();
      assert.match(
        adx,
        /period="2021-01-01\/P3M" orgUnit="D4566666666" attributeOptionCombo="cocMcDonald"/,
      );
      const back = await w.admin.app.request('/api/dataValueSets', {
        method: 'POST',
        headers: { 'content-type': 'application/adx+xml', authorization: w.basic },
        body: adx,
      });
      const json = (await back.json()) as { response: Summary };
      assert.deepEqual(json.response.importCount, counts(0, 0, 9, 0), adx);
    });
  });
}
