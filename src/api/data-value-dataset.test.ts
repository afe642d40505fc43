import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * A data value set that names its data set (DHIS2's `dataSet`) is checked against it: a data
 * set that does not exist refuses the whole import (E7600); a value of another period type
 * (E7632), of an element outside the set (E7633) or of a unit that does not report the set
 * (E7636) is refused, the others kept — or nothing written when the import is atomic. A CSV
 * file, which has no header, names its data set in the import's options; a large one takes the
 * bulk path, which applies the same rules.
 */
for (const engine of testEngines()) {
  describe(`data value sets checked against their data set on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    /** Communes of Thành phố Hồ Chí Minh in the 2022 tree: the first two report DS_DAILY. */
    let communes: string[];
    /** A district (level 2), which reports DS_DISTRICT (assigned to no unit: by its level). */
    let district: string;

    const stored = async (element: string) =>
      (
        await sql<{ unit: string; period: string; value: number }>`
          select u.code as unit, p.pid as period, d.value from data_value d
          join data_element e on e.id = d.element_id join org_unit u on u.id = d.unit_id
          join period p on p.id = d.period_id
          where e.code = ${element} order by u.code, p.pid`.execute(t.database.db)
      ).rows.map((r) => `${r.unit} ${r.period} ${r.value}`);
    const codes = (json: { response: { conflicts: { errorCode: string; indexes: number[] }[] } }) =>
      json.response.conflicts.map((c) => `${c.errorCode}:${c.indexes.join(',')}`).sort();

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      communes = (
        await sql<{ code: string }>`
          select code from org_unit where version = '2022' and level = 3 and path like '/VN/79/%'
          order by code limit 600`.execute(t.database.db)
      ).rows.map((r) => r.code);
      district = (
        await sql<{ code: string }>`
          select code from org_unit where version = '2022' and level = 2 and path like '/VN/79/%'
          order by code limit 1`.execute(t.database.db)
      ).rows[0]!.code;
      const element = (code: string) => ({
        code,
        nameVi: code,
        nameEn: code,
        sector: 'other' as const,
        valueType: 'integer' as const,
        aggTime: 'sum' as const,
      });
      await t.services.metadata.apply('system', {
        dataElements: ['DSX_A', 'DSX_B', 'DSX_OTHER'].map(element),
        dataSets: [
          {
            code: 'DS_DAILY',
            nameVi: 'Báo cáo ngày',
            nameEn: 'Daily report',
            periodType: 'day',
            version: '2022',
            level: 3,
            elements: ['DSX_A', 'DSX_B'],
            units: [communes[0]!, communes[1]!],
          },
          {
            code: 'DS_DISTRICT',
            nameVi: 'Báo cáo tháng cấp huyện',
            nameEn: 'District monthly',
            periodType: 'month',
            version: '2022',
            level: 2,
            elements: ['DSX_B'],
          },
        ],
      });
    });
    after(() => t.close());

    const daily = {
      dataSet: 'DS_DAILY',
      dataValues: () => [
        { dataElement: 'DSX_A', period: '2022-05-02', orgUnit: communes[0], value: '1' },
        // A month: not the data set's period type.
        { dataElement: 'DSX_A', period: '2022-05', orgUnit: communes[0], value: '2' },
        // A commune the data set is not assigned to.
        { dataElement: 'DSX_A', period: '2022-05-02', orgUnit: communes[2], value: '3' },
        // An element outside the data set.
        { dataElement: 'DSX_OTHER', period: '2022-05-02', orgUnit: communes[1], value: '4' },
        { dataElement: 'DSX_B', period: '2022-05-02', orgUnit: communes[1], value: '5' },
      ],
    };

    it('refuses with atomic=true every value when one does not fit its data set', async () => {
      const r = await admin.post('/api/dataValueSets?atomic=true', {
        dataSet: daily.dataSet,
        dataValues: daily.dataValues(),
      });
      assert.equal(r.status, 409, JSON.stringify(r.json));
      assert.equal(r.json.response.status, 'ERROR');
      assert.deepEqual(codes(r.json), ['E7632:1', 'E7633:3', 'E7636:2']);
      assert.deepEqual(await stored('DSX_A'), []);
      assert.deepEqual(await stored('DSX_B'), []);
    });

    it('keeps the values that fit and reports the others with DHIS2’s codes', async () => {
      const r = await admin.post('/api/dataValueSets', {
        dataSet: daily.dataSet,
        dataValues: daily.dataValues(),
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.status, 'WARNING');
      assert.deepEqual(r.json.response.importCount, {
        imported: 2,
        updated: 0,
        ignored: 3,
        deleted: 0,
      });
      assert.deepEqual(codes(r.json), ['E7632:1', 'E7633:3', 'E7636:2']);
      assert.deepEqual(r.json.response.rejectedIndexes, [1, 2, 3]);
      const assignment = r.json.response.conflicts.find(
        (c: { errorCode: string }) => c.errorCode === 'E7636',
      );
      assert.equal(assignment.property, 'orgUnit');
      assert.equal(assignment.object, communes[2]);
      assert.deepEqual(await stored('DSX_A'), [`${communes[0]} 2022-05-02 1`]);
      assert.deepEqual(await stored('DSX_B'), [`${communes[1]} 2022-05-02 5`]);
      assert.deepEqual(await stored('DSX_OTHER'), []);
    });

    it('takes the same values without a data set named: nothing is checked against one', async () => {
      const r = await admin.post('/api/dataValueSets', {
        dataValues: [
          { dataElement: 'DSX_OTHER', period: '2022-05', orgUnit: communes[2], value: '7' },
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.importCount.imported, 1);
      assert.deepEqual(await stored('DSX_OTHER'), [`${communes[2]} 2022-05 7`]);
    });

    it('lets a data set without assignments be reported by the units of its level', async () => {
      const r = await admin.post('/api/dataValueSets', {
        dataSet: 'DS_DISTRICT',
        period: '2022-06',
        dataValues: [
          { dataElement: 'DSX_B', orgUnit: district, value: '11' },
          { dataElement: 'DSX_B', orgUnit: communes[0], value: '12' },
        ],
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.importCount.imported, 1);
      assert.deepEqual(codes(r.json), ['E7636:1']);
      assert.ok((await stored('DSX_B')).includes(`${district} 2022-06 11`));
    });

    it('refuses the whole set when its data set does not exist (E7600)', async () => {
      const r = await admin.post('/api/dataValueSets', {
        dataSet: 'NO_SUCH_SET',
        dataValues: [
          { dataElement: 'DSX_A', period: '2022-05-09', orgUnit: communes[0], value: '1' },
        ],
      });
      assert.equal(r.status, 409, JSON.stringify(r.json));
      assert.equal(r.json.response.status, 'ERROR');
      assert.deepEqual(r.json.response.importCount, {
        imported: 0,
        updated: 0,
        ignored: 0,
        deleted: 0,
      });
      const [c] = r.json.response.conflicts;
      assert.equal(c.errorCode, 'E7600');
      assert.equal(c.property, 'dataSet');
      assert.equal(c.object, 'NO_SUCH_SET');
      assert.deepEqual(c.indexes, [], 'no row is named: the whole set is refused');
      assert.deepEqual(r.json.response.rejectedIndexes, []);
      assert.ok(!(await stored('DSX_A')).some((v) => v.includes('2022-05-09')));
    });

    it('applies the same rules to a large CSV file on the bulk path', async () => {
      const day = '2022-07-01';
      const lines = [
        ...communes
          .slice(0, 2)
          .flatMap((c, i) => [`DSX_A,${day},${c},${i + 1}`, `DSX_B,${day},${c},${i + 10}`]),
        `DSX_A,${day},${communes[2]},3`, // not assigned
        `DSX_OTHER,${day},${communes[0]},4`, // not in the set
        `DSX_A,2022-07,${communes[0]},5`, // a month
      ];
      const bytes = Buffer.from(['dataelement,period,orgunit,value', ...lines].join('\n') + '\n');
      const csv = (opts: { atomic: boolean; dataSet?: string }) =>
        t.services.dataValues.importCsvBytes('system', bytes, { ...opts, bulk: 'always' });
      const conflicts = (s: { conflicts: { errorCode: string; index: number }[] }) =>
        s.conflicts.map((c) => `${c.errorCode}:${c.index}`).sort();

      const refused = await csv({ atomic: true, dataSet: 'DS_DAILY' });
      assert.equal(refused.status, 'ERROR');
      assert.deepEqual(conflicts(refused), ['E7632:6', 'E7633:5', 'E7636:4']);
      assert.ok(!(await stored('DSX_A')).some((v) => v.includes(day)));

      const unknown = await csv({ atomic: false, dataSet: 'NO_SUCH_SET' });
      assert.equal(unknown.status, 'ERROR');
      assert.deepEqual(conflicts(unknown), ['E7600:-1']);
      assert.ok(!(await stored('DSX_A')).some((v) => v.includes(day)));

      const perRow = await csv({ atomic: false, dataSet: 'DS_DAILY' });
      assert.equal(perRow.status, 'WARNING');
      assert.equal(perRow.importCount.imported, 4);
      assert.deepEqual(conflicts(perRow), ['E7632:6', 'E7633:5', 'E7636:4']);
      const july = (await stored('DSX_A')).filter((v) => v.includes('2022-07'));
      assert.deepEqual(july, [`${communes[0]} ${day} 1`, `${communes[1]} ${day} 2`]);
    });
  });
}
