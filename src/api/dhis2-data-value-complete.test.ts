import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * A data value set that carries DHIS2's `completeDate` registers its data set complete for the
 * period and unit of its header, in the same transaction as its values: listed back by
 * /api/completeDataSetRegistrations and counted in completeness; a dry run and a refused
 * all-or-nothing import register nothing; a unit the data set is not assigned to gets the
 * registration's conflict while its values follow DHIS2's rules; a retry registers nothing
 * twice. The `dataSet` query parameter names the data set of a CSV file (which has no header)
 * and of a JSON set that names none.
 */
for (const engine of testEngines()) {
  describe(`data value sets registering their data set complete on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    /** Communes of Thành phố Hồ Chí Minh in the 2022 tree: the first two report DSC_DAILY. */
    let communes: string[];
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

    const send = async (query: string, body: string, type = 'application/json') => {
      const res = await admin.app.request(`/api/dataValueSets${query}`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: basic, 'accept-language': 'en' },
        body,
      });
      return { status: res.status, json: await res.json() };
    };
    const post = (query: string, set: Record<string, unknown>) => send(query, JSON.stringify(set));
    const stored = async (period: string) =>
      (
        await sql<{ element: string; unit: string; value: number }>`
          select e.code as element, u.code as unit, d.value from data_value d
          join data_element e on e.id = d.element_id join org_unit u on u.id = d.unit_id
          join period p on p.id = d.period_id
          where p.pid = ${period} and e.code like 'DSC_%' order by e.code, u.code`.execute(
          t.database.db,
        )
      ).rows.map((r) => `${r.element} ${r.unit} ${r.value}`);
    const registrations = async (period: string) => {
      const r = await admin.get(
        `/api/completeDataSetRegistrations?dataSet=DSC_DAILY&period=${period}&orgUnit=79&children=true`,
      );
      assert.equal(r.status, 200, r.text);
      return (
        r.json.completeDataSetRegistrations as {
          period: string;
          organisationUnit: string;
          completed: boolean;
          storedBy: string;
        }[]
      ).map((x) => `${x.organisationUnit} ${x.period} ${x.completed} ${x.storedBy}`);
    };
    const completeness = async (period: string) => {
      const r = await admin.get(
        `/api/reporting/completeness?dataSet=DSC_DAILY&period=${period}&orgUnit=79`,
      );
      assert.equal(r.status, 200, r.text);
      return r.json as { expected: number; reported: number };
    };
    const audits = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('audit_event')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('entity_type', '=', 'complete_registration')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const codes = (json: {
      response: { conflicts: { errorCode: string; property: string; indexes: number[] }[] };
    }) =>
      json.response.conflicts
        .map((c) => `${c.errorCode}:${c.property}:${c.indexes.join(',')}`)
        .sort();
    /** A day's form of DSC_DAILY at one commune, as DHIS2's data entry sends it. */
    const form = (day: string, orgUnit: string, extra: Record<string, unknown> = {}) => ({
      dataSet: 'DSC_DAILY',
      period: day,
      orgUnit,
      completeDate: '2022-06-01',
      dataValues: [
        { dataElement: 'DSC_A', value: '1' },
        { dataElement: 'DSC_B', value: '2' },
      ],
      ...extra,
    });

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      communes = (
        await sql<{ code: string }>`
          select code from org_unit where version = '2022' and level = 3 and path like '/VN/79/%'
          order by code limit 5`.execute(t.database.db)
      ).rows.map((r) => r.code);
      const element = (code: string) => ({
        code,
        nameVi: code,
        nameEn: code,
        sector: 'other' as const,
        valueType: 'integer' as const,
        aggTime: 'sum' as const,
      });
      await t.services.metadata.apply('system', {
        dataElements: ['DSC_A', 'DSC_B', 'DSC_OTHER'].map(element),
        dataSets: [
          {
            code: 'DSC_DAILY',
            nameVi: 'Báo cáo ngày',
            nameEn: 'Daily report',
            periodType: 'day',
            version: '2022',
            level: 3,
            elements: ['DSC_A', 'DSC_B'],
            units: [communes[0]!, communes[1]!],
          },
          {
            code: 'DSC_WIDE',
            nameVi: 'Báo cáo ngày khác',
            nameEn: 'Another daily report',
            periodType: 'day',
            version: '2022',
            level: 3,
            elements: ['DSC_OTHER'],
          },
        ],
      });
    });
    after(() => t.close());

    it('registers the data set complete with the values: listed, counted, audited', async () => {
      const r = await post('', form('20220502', communes[0]!));
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.status, 'SUCCESS');
      assert.equal(r.json.response.dataSetComplete, '2022-06-01');
      assert.deepEqual(r.json.response.importCount, {
        imported: 2,
        updated: 0,
        ignored: 0,
        deleted: 0,
      });
      assert.match(r.json.response.description, /DSC_DAILY registered complete on 2022-06-01/);
      assert.deepEqual(await stored('2022-05-02'), [
        `DSC_A ${communes[0]} 1`,
        `DSC_B ${communes[0]} 2`,
      ]);
      assert.deepEqual(await registrations('20220502'), [`${communes[0]} 20220502 true admin`]);
      const counted = await completeness('2022-05-02');
      assert.deepEqual([counted.expected, counted.reported], [2, 1]);
      assert.equal(await audits(), 1);

      // A form sent complete without values is a report of its own.
      const empty = await post('', { ...form('20220503', communes[1]!), dataValues: [] });
      assert.equal(empty.status, 200, JSON.stringify(empty.json));
      assert.equal(empty.json.response.dataSetComplete, '2022-06-01');
      assert.deepEqual(await stored('2022-05-03'), []);
      assert.equal((await completeness('2022-05-03')).reported, 1);
      assert.equal(await audits(), 2);
    });

    it('registers nothing twice when the same set is sent again', async () => {
      const r = await post('', form('20220502', communes[0]!));
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.status, 'SUCCESS');
      // DHIS2 counts values only: unchanged ones are ignored; the registration stands.
      assert.deepEqual(r.json.response.importCount, {
        imported: 0,
        updated: 0,
        ignored: 2,
        deleted: 0,
      });
      assert.equal(r.json.response.dataSetComplete, '2022-06-01');
      assert.deepEqual(await registrations('20220502'), [`${communes[0]} 20220502 true admin`]);
      assert.equal((await completeness('2022-05-02')).reported, 1);
      assert.equal(await audits(), 2);
    });

    it('writes nothing in a dry run, and nothing when an all-or-nothing import is refused', async () => {
      const dry = await post('?dryRun=true', form('20220505', communes[0]!));
      assert.equal(dry.status, 200, JSON.stringify(dry.json));
      assert.equal(dry.json.response.importOptions.dryRun, true);
      assert.equal(dry.json.response.dataSetComplete, '2022-06-01');
      assert.deepEqual(await stored('2022-05-05'), []);
      assert.deepEqual(await registrations('20220505'), []);

      const bad = form('20220506', communes[0]!);
      bad.dataValues.push({ dataElement: 'DSC_OTHER', value: '3' });
      const refused = await post('?atomic=true', bad);
      assert.equal(refused.status, 409, JSON.stringify(refused.json));
      assert.equal(refused.json.response.status, 'ERROR');
      assert.equal(refused.json.response.dataSetComplete, 'false');
      assert.deepEqual(codes(refused.json), ['E7633:dataElement:2']);
      assert.deepEqual(await stored('2022-05-06'), []);
      assert.deepEqual(await registrations('20220506'), []);

      // All or nothing holds for the registration too: one that cannot be made refuses the set.
      const noUnit = await post('?atomic=true', {
        ...form('20220506', communes[0]!),
        orgUnit: undefined,
        dataValues: [{ dataElement: 'DSC_A', orgUnit: communes[0], value: '4' }],
      });
      assert.equal(noUnit.status, 409, JSON.stringify(noUnit.json));
      assert.deepEqual(codes(noUnit.json), ['E7612:orgUnit:']);
      assert.deepEqual(await stored('2022-05-06'), []);
      assert.deepEqual(await registrations('20220506'), []);
      assert.equal(await audits(), 2);
    });

    it('gives the registration its conflict and the values DHIS2’s rules at a unit not assigned', async () => {
      const r = await post('', form('20220507', communes[2]!, { completeDate: 'true' }));
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.status, 'WARNING');
      assert.equal(r.json.response.dataSetComplete, 'false');
      // Each value: E7636 (the unit does not report the data set); the registration: no row.
      assert.deepEqual(codes(r.json), ['E7612:orgUnit:', 'E7636:orgUnit:0,1']);
      assert.deepEqual(r.json.response.rejectedIndexes, [0, 1]);
      const registration = r.json.response.conflicts.find(
        (c: { errorCode: string }) => c.errorCode === 'E7612',
      );
      assert.equal(registration.object, communes[2]);
      assert.match(registration.value, /not registered complete.*not assigned/);
      assert.deepEqual(await stored('2022-05-07'), []);
      assert.deepEqual(await registrations('20220507'), []);

      // Without the header's unit: the values (each with its own) are kept, nothing registered.
      const noUnit = await post('', {
        ...form('20220508', communes[0]!),
        orgUnit: undefined,
        dataValues: [{ dataElement: 'DSC_A', orgUnit: communes[0], value: '4' }],
      });
      assert.equal(noUnit.status, 200, JSON.stringify(noUnit.json));
      assert.equal(noUnit.json.response.status, 'WARNING');
      assert.equal(noUnit.json.response.importCount.imported, 1);
      assert.deepEqual(codes(noUnit.json), ['E7612:orgUnit:']);
      assert.deepEqual(noUnit.json.response.rejectedIndexes, []);
      assert.deepEqual(await stored('2022-05-08'), [`DSC_A ${communes[0]} 4`]);
      assert.deepEqual(await registrations('20220508'), []);
      assert.equal(await audits(), 2);
    });

    it('registers nothing when the import deletes, and refuses a completeDate that is no date', async () => {
      assert.equal(
        (await post('', { ...form('20220510', communes[0]!), completeDate: undefined })).status,
        200,
      );
      const d = await post('?importStrategy=DELETE', form('20220510', communes[0]!));
      assert.equal(d.status, 200, JSON.stringify(d.json));
      assert.equal(d.json.response.importCount.deleted, 2);
      assert.equal(d.json.response.dataSetComplete, 'false');
      assert.deepEqual(await registrations('20220510'), []);

      const bad = await post('', form('20220511', communes[0]!, { completeDate: 'soon' }));
      assert.equal(bad.status, 400, JSON.stringify(bad.json));
      assert.equal(bad.json.error.code, 'validation_failed');
      assert.deepEqual(await stored('2022-05-11'), []);
      assert.equal(await audits(), 2);
    });

    it('takes dataSetComplete from the query when the set gives no completeDate', async () => {
      const r = await post(
        '?dataSetComplete=true',
        form('20220512', communes[1]!, { completeDate: undefined }),
      );
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.importOptions.dataSetComplete, 'true');
      assert.equal(r.json.response.dataSetComplete, t.services.hierarchy.today());
      assert.deepEqual(await registrations('20220512'), [`${communes[1]} 20220512 true admin`]);
      assert.equal(await audits(), 3);
    });

    it('checks a CSV file against the data set named by ?dataSet=', async () => {
      const csv = [
        'dataelement,period,orgunit,value',
        `DSC_A,20220513,${communes[0]},5`,
        `DSC_OTHER,20220513,${communes[0]},6`,
        `DSC_B,20220513,${communes[2]},7`,
      ].join('\n');
      const r = await send('?dataSet=DSC_DAILY', csv, 'text/csv');
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.importOptions.dataSet, 'DSC_DAILY');
      assert.equal(r.json.response.importCount.imported, 1);
      assert.deepEqual(codes(r.json), ['E7633:dataElement:1', 'E7636:orgUnit:2']);
      assert.deepEqual(await stored('2022-05-13'), [`DSC_A ${communes[0]} 5`]);

      const unknown = await send('?dataSet=NO_SUCH_SET', csv, 'text/csv');
      assert.equal(unknown.status, 409);
      assert.deepEqual(codes(unknown.json), ['E7600:dataSet:']);
    });

    it('checks a JSON set that names no data set against ?dataSet=; a set’s own comes first', async () => {
      const values = [
        { dataElement: 'DSC_A', period: '20220514', orgUnit: communes[0], value: '8' },
        { dataElement: 'DSC_OTHER', period: '20220514', orgUnit: communes[0], value: '9' },
      ];
      const r = await post('?dataSet=DSC_DAILY', { dataValues: values });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.deepEqual(codes(r.json), ['E7633:dataElement:1']);
      assert.deepEqual(await stored('2022-05-14'), [`DSC_A ${communes[0]} 8`]);

      const own = await post('?dataSet=DSC_DAILY', { dataSet: 'DSC_WIDE', dataValues: values });
      assert.equal(own.status, 200, JSON.stringify(own.json));
      assert.deepEqual(codes(own.json), ['E7633:dataElement:0']);
      assert.deepEqual(await stored('2022-05-14'), [
        `DSC_A ${communes[0]} 8`,
        `DSC_OTHER ${communes[0]} 9`,
      ]);
    });
  });
}
