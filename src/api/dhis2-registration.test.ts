import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { vnDate } from '../domain/dates.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * DHIS2's complete data set registrations as a DHIS2 user meets them: registered in DHIS2's
 * shape and counted in completeness (with or without values), listed back, refused outside the
 * caller's scope, for a unit the data set is not assigned to and in a locked period, removed
 * (uncomplete), and a retry with the same Idempotency-Key applied once.
 */

const yesterday = vnDate(new Date(Date.now() - 86_400_000));
const dhis2Day = yesterday.replaceAll('-', '');
const metadata = {
  dataElements: [
    {
      code: 'REG_CASES',
      nameVi: 'Số ca reg',
      nameEn: 'reg cases',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
  dataSets: [
    {
      code: 'REG_DAILY',
      nameVi: 'Báo cáo ngày reg',
      nameEn: 'reg daily report',
      periodType: 'day',
      version: '2025',
      level: 2,
      dueDays: 1,
      elements: ['REG_CASES'],
    },
    {
      code: 'REG_ASSIGNED',
      nameVi: 'Báo cáo giao reg',
      nameEn: 'reg assigned report',
      periodType: 'day',
      version: '2025',
      level: 2,
      dueDays: 1,
      elements: ['REG_CASES'],
    },
  ],
};

const registration = (orgUnit: string, extra: Record<string, unknown> = {}) => ({
  dataSet: 'REG_DAILY',
  period: dhis2Day,
  organisationUnit: orgUnit,
  ...extra,
});

for (const engine of testEngines()) {
  describe(`DHIS2 /api/completeDataSetRegistrations on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let outsider: ApiClient;
    let communes: string[];

    const completeness = async (dataSet = 'REG_DAILY') => {
      const r = await admin.get(
        `/api/reporting/completeness?dataSet=${dataSet}&period=${yesterday}&orgUnit=79`,
      );
      assert.equal(r.status, 200, r.text);
      return r.json as {
        expected: number;
        reported: number;
        onTime: number;
        missing: { code: string }[];
      };
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
    const register = (
      rows: unknown[],
      client = admin,
      path = '/api/completeDataSetRegistrations',
    ) => client.post(path, { completeDataSetRegistrations: rows });

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      const m = await admin.post('/api/metadata', metadata);
      assert.equal(m.status, 200, m.text);
      const list = await admin.get('/api/orgunits?version=2025&parent=79&limit=1000');
      communes = list.json.items.map((u: { code: string }) => u.code);
      await t.services.auth.createUser('system', {
        username: 'reg-danang',
        password: 'Reg-password-123',
        role: 'data_entry',
        scope: { version: '2025', code: '48' },
      });
      outsider = ApiClient.for(t.services);
      assert.equal((await outsider.login('reg-danang', 'Reg-password-123')).status, 200);
    });
    after(() => t.close());

    it('counts a registration in completeness as a value is, once per unit, on time', async () => {
      const before = await completeness();
      assert.equal(before.reported, 0);
      const r = await register([registration(communes[0]!), registration(communes[1]!)]);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.response.responseType, 'ImportSummary');
      assert.equal(r.json.response.status, 'SUCCESS');
      assert.deepEqual(r.json.response.importCount, {
        imported: 2,
        updated: 0,
        ignored: 0,
        deleted: 0,
      });
      // A value at a registered unit and at another one: three units reported, not four.
      const values = [communes[1]!, communes[2]!].map((orgUnit) => ({
        dataElement: 'REG_CASES',
        period: yesterday,
        orgUnit,
        value: '4',
      }));
      assert.equal((await admin.post('/api/data/import', { dataValues: values })).status, 200);
      const after = await completeness();
      assert.equal(after.expected, communes.length);
      assert.equal(after.reported, 3);
      assert.equal(after.onTime, 3);
      assert.ok(!after.missing.some((x) => communes.slice(0, 3).includes(x.code)));
      assert.equal(await audits(), 2);
    });

    it('does not count a registration left incomplete, and a repeat changes nothing', async () => {
      const r = await register(
        [registration(communes[3]!, { completed: false })],
        admin,
        '/api/41/completeDataSetRegistrations',
      );
      assert.equal(r.status, 200, r.text);
      assert.equal((await completeness()).reported, 3);
      const again = await register([registration(communes[0]!)]);
      assert.equal(again.json.response.importCount.ignored, 1);
      assert.equal(again.json.response.importCount.imported, 0);
    });

    it('lists registrations under a unit with DHIS2’s ids', async () => {
      const r = await admin.get(
        `/api/completeDataSetRegistrations.json?dataSet=REG_DAILY&period=${dhis2Day}&orgUnit=79&children=true`,
      );
      assert.equal(r.status, 200, r.text);
      const rows = r.json.completeDataSetRegistrations as {
        period: string;
        organisationUnit: string;
        completed: boolean;
        storedBy: string;
        attributeOptionCombo: string;
      }[];
      assert.equal(rows.length, 3);
      assert.ok(rows.every((x) => x.period === dhis2Day && x.storedBy === 'admin'));
      assert.ok(rows.every((x) => x.attributeOptionCombo === 'HllvX50cXC0'));
      assert.equal(rows.filter((x) => x.completed).length, 2);
      const none = await admin.get(
        `/api/completeDataSetRegistrations?dataSet=REG_DAILY&period=${dhis2Day}&orgUnit=${communes[5]}`,
      );
      assert.deepEqual(none.json.completeDataSetRegistrations, []);
    });

    it('refuses units outside the caller’s scope, of another level, and locked periods, row by row', async () => {
      const before = await audits();
      const out = await register([registration(communes[4]!)], outsider);
      assert.equal(out.status, 409, out.text);
      assert.equal(out.json.response.status, 'ERROR');
      assert.equal(out.json.response.conflicts[0].errorCode, 'E7617');
      const read = await outsider.get(
        `/api/completeDataSetRegistrations?dataSet=REG_DAILY&period=${dhis2Day}&orgUnit=${communes[0]}`,
      );
      assert.equal(read.status, 403);
      const province = await register([registration('79'), registration(communes[4]!)]);
      assert.equal(province.status, 200);
      assert.equal(province.json.response.status, 'WARNING');
      assert.equal(province.json.response.importCount.imported, 1);
      assert.deepEqual(province.json.response.rejectedIndexes, [0]);
      const lock = await admin.post('/api/periodLocks', {
        period: '2026-01-05',
        dataSet: 'REG_DAILY',
      });
      assert.equal(lock.status, 201, lock.text);
      const locked = await register([registration(communes[0]!, { period: '20260105' })]);
      assert.equal(locked.status, 409);
      assert.equal(locked.json.response.conflicts[0].errorCode, 'E7641');
      const wrongType = await register([registration(communes[0]!, { period: '202601' })]);
      assert.equal(wrongType.json.response.conflicts[0].errorCode, 'E7611');
      assert.equal(await audits(), before + 1);
      assert.equal((await completeness()).reported, 4);
    });

    it('lets only assigned units register a data set that has assignments', async () => {
      const ids = await t.database.db
        .selectFrom('org_unit')
        .select(['id', 'code'])
        .where('version', '=', '2025')
        .where('code', '=', communes[6]!)
        .execute();
      const ds = await t.database.db
        .selectFrom('data_set')
        .select('id')
        .where('code', '=', 'REG_ASSIGNED')
        .executeTakeFirstOrThrow();
      await t.database.db
        .insertInto('data_set_unit')
        .values({ data_set_id: ds.id, unit_id: ids[0]!.id })
        .execute();
      const r = await register([
        registration(communes[6]!, { dataSet: 'REG_ASSIGNED' }),
        registration(communes[7]!, { dataSet: 'REG_ASSIGNED' }),
      ]);
      assert.equal(r.json.response.importCount.imported, 1);
      assert.deepEqual(r.json.response.rejectedIndexes, [1]);
      assert.match(r.json.response.conflicts[0].value, /not assigned/);
      // Its one assigned unit is expected, and reported (the values of its element elsewhere
      // are at units it is not assigned to).
      const c = await completeness('REG_ASSIGNED');
      assert.deepEqual([c.expected, c.reported, c.onTime], [1, 1, 1]);
    });

    it('uncompletes: DELETE removes the registration from completeness, audited', async () => {
      const before = await audits();
      const d = await admin.request(
        'DELETE',
        `/api/completeDataSetRegistrations?ds=REG_DAILY&pe=${dhis2Day}&ou=${communes[0]}`,
      );
      assert.equal(d.status, 204, d.text);
      assert.equal((await completeness()).reported, 3);
      assert.equal(await audits(), before + 1);
      const out = await outsider.request(
        'DELETE',
        `/api/completeDataSetRegistrations?ds=REG_DAILY&pe=${dhis2Day}&ou=${communes[1]}`,
      );
      assert.equal(out.status, 403);
      assert.equal((await completeness()).reported, 3);
    });

    it('applies a retry with the same Idempotency-Key once', async () => {
      const before = await audits();
      const body = { completeDataSetRegistrations: [registration(communes[8]!)] };
      const key = { 'idempotency-key': 'reg-retry-1' };
      const first = await admin.request('POST', '/api/completeDataSetRegistrations', body, key);
      assert.equal(first.status, 200, first.text);
      const second = await admin.request('POST', '/api/completeDataSetRegistrations', body, key);
      assert.equal(second.status, 200);
      assert.equal(second.headers.get('idempotent-replayed'), 'true');
      assert.equal(second.json.response.importCount.imported, 1);
      assert.equal(await audits(), before + 1);
      assert.equal((await completeness()).reported, 4);
    });
  });
}
