import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { vnDate } from '../domain/dates.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

const yesterday = vnDate(new Date(Date.now() - 86_400_000));
const metadata = {
  dataElements: [
    {
      code: 'CASES_TRACED',
      nameVi: 'Số ca truy vết',
      nameEn: 'Cases traced',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
    },
    {
      code: 'TESTS_DONE',
      nameVi: 'Số xét nghiệm',
      nameEn: 'Tests done',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
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
      elements: ['CASES_TRACED', 'TESTS_DONE'],
    },
  ],
};

for (const engine of testEngines()) {
  describe(`reporting completeness and locks on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let communesOf79: string[];
    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const list = await admin.get('/api/orgunits?version=2025&parent=79&limit=1000');
      communesOf79 = list.json.items.map((u: { code: string }) => u.code);
      const values = communesOf79.slice(0, 3).map((orgUnit, i) => ({
        dataElement: i === 2 ? 'TESTS_DONE' : 'CASES_TRACED',
        period: yesterday,
        orgUnit,
        value: '4',
      }));
      assert.equal((await admin.post('/api/data/import', { dataValues: values })).status, 200);
    });
    after(() => t.close());

    it('counts who reported a data set for a period, and on time, under a unit', async () => {
      const r = await admin.get(
        `/api/reporting/completeness?dataSet=COMMUNE_DAILY&period=${yesterday}&orgUnit=79`,
      );
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.expected, communesOf79.length);
      assert.equal(r.json.reported, 3);
      assert.equal(r.json.onTime, 3);
      assert.equal(r.json.missing.length, communesOf79.length - 3);
      assert.ok(
        !r.json.missing.some((m: { code: string }) => communesOf79.slice(0, 3).includes(m.code)),
      );
      assert.match(r.json.period.labelVi, /^ngày \d\d\/\d\d\/\d{4}$/);
    });

    it('rolls completeness up from the nation, per province', async () => {
      const r = await admin.get(
        `/api/reporting/completeness?dataSet=COMMUNE_DAILY&period=${yesterday}`,
      );
      assert.equal(r.json.expected, 3321);
      const hcm = r.json.children.find((c: { code: string }) => c.code === '79');
      assert.deepEqual(
        [hcm.expected, hcm.reported, hcm.fullName],
        [communesOf79.length, 3, 'Thành phố Hồ Chí Minh'],
      );
      assert.equal(r.json.children.length, 34);
    });

    it('refuses a period of another type than the data set’s', async () => {
      const r = await admin.get('/api/reporting/completeness?dataSet=COMMUNE_DAILY&period=2026-10');
      assert.equal(r.status, 400);
    });

    it('counts a DHIS2 complete registration as reported, on time by the earlier of it and the first value', async () => {
      const completeness = async (period: string) =>
        (
          await admin.get(
            `/api/reporting/completeness?dataSet=COMMUNE_DAILY&period=${period}&orgUnit=79`,
          )
        ).json;
      const register = (period: string, units: string[]) =>
        admin.post('/api/completeDataSetRegistrations', {
          completeDataSetRegistrations: units.map((organisationUnit) => ({
            dataSet: 'COMMUNE_DAILY',
            period,
            organisationUnit,
          })),
        });
      // One unit without values, one with: four units reported, not five.
      const r = await register(yesterday, [communesOf79[3]!, communesOf79[0]!]);
      assert.equal(r.status, 200, r.text);
      const now = await completeness(yesterday);
      assert.deepEqual([now.reported, now.onTime], [4, 4]);
      // A month ago: a value sent today is late, a registration made in time is not.
      const past = vnDate(new Date(Date.now() - 30 * 86_400_000));
      const value = {
        dataElement: 'CASES_TRACED',
        period: past,
        orgUnit: communesOf79[4],
        value: '2',
      };
      assert.equal((await admin.post('/api/data/import', { dataValues: [value] })).status, 200);
      let late = await completeness(past);
      assert.deepEqual([late.reported, late.onTime], [1, 0]);
      assert.equal((await register(past, [communesOf79[4]!])).status, 200);
      await t.database.db
        .updateTable('complete_registration')
        .set({ created_at: `${past}T12:00:00+07:00` })
        .execute();
      late = await completeness(past);
      assert.deepEqual([late.reported, late.onTime], [1, 1]);
    });

    it('locks a period: writes are refused until it is unlocked, and both are audited', async () => {
      const lock = await admin.post('/api/periodLocks', {
        period: yesterday,
        dataSet: 'COMMUNE_DAILY',
      });
      assert.equal(lock.status, 201, JSON.stringify(lock.json));
      const body = {
        dataValues: [
          { dataElement: 'CASES_TRACED', period: yesterday, orgUnit: communesOf79[5], value: '1' },
        ],
      };
      const refused = await admin.post('/api/data/import', body);
      assert.equal(refused.status, 409);
      assert.equal(refused.json.response.conflicts[0].errorCode, 'E7641');
      assert.match(refused.json.response.conflicts[0].value, /khoá sổ/);
      assert.equal((await admin.request('DELETE', `/api/periodLocks/${lock.json.id}`)).status, 204);
      assert.equal((await admin.post('/api/data/import', body)).status, 200);
      const log = (await admin.get('/api/audit?entityType=period_lock')).json.items.map(
        (e: { action: string }) => e.action,
      );
      assert.deepEqual(log, ['period.unlock', 'period.lock']);
    });
  });
}
