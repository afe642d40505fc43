import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { createApp } from './app.ts';

/**
 * DHIS2's single data value (/api/dataValues) as a DHIS2 user meets it: a value saved with
 * DHIS2's parameters or its JSON body and read back, refused outside the caller's scope and in
 * a locked period, deleted (gone from analytics, its history kept), marked for follow-up, and a
 * retry with the same Idempotency-Key applied once.
 */

const WARD = '26740'; // Phường Sài Gòn, Hồ Chí Minh City (2025 tree)
const metadata = {
  dataElements: [
    {
      code: 'DV_CASES',
      nameVi: 'Số ca dv',
      nameEn: 'dv cases',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
    },
    {
      code: 'DV_VISITS',
      nameVi: 'Lượt khám dv',
      nameEn: 'dv visits',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
      zeroSignificant: false,
    },
  ],
  dataSets: [
    {
      code: 'DV_DAILY',
      nameVi: 'Báo cáo ngày dv',
      nameEn: 'dv daily report',
      periodType: 'day',
      version: '2025',
      level: 2,
      dueDays: 1,
      elements: ['DV_CASES', 'DV_VISITS'],
    },
  ],
};

/** DHIS2's own client, loaded as dhis2-client.test.ts explains (CommonJS in Node 20). */
interface Engine {
  query(query: Record<string, { resource: string; params?: unknown }>): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  mutate(mutation: Record<string, unknown>): Promise<unknown>;
}
const dhis2 = createRequire(import.meta.url)('@dhis2/data-engine') as {
  DataEngine: new (link: unknown) => Engine;
  RestAPILink: new (config: { baseUrl: string; apiVersion: number; apiToken?: string }) => unknown;
};

const at = (pe: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({ de: 'DV_CASES', pe, ou: WARD, ...extra }).toString();

for (const engine of testEngines()) {
  describe(`DHIS2 /api/dataValues on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let outsider: ApiClient;

    /** The ward's total for a day in analytics, or undefined when it has none. */
    const analytics = async (pe: string, de = 'DV_CASES') => {
      const r = await admin.get(
        `/api/analytics?dimension=dx:${de}&dimension=pe:${pe}&dimension=ou:${WARD}`,
      );
      assert.equal(r.status, 200, r.text);
      const row = (r.json.rows as string[][])[0];
      return row === undefined ? undefined : Number(row[row.length - 1]);
    };
    const count = async (table: 'audit_event' | 'data_value_history') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      const m = await admin.post('/api/metadata', metadata);
      assert.equal(m.status, 200, m.text);
      await t.services.auth.createUser('system', {
        username: 'dv-danang',
        password: 'Dv-password-123',
        role: 'data_entry',
        scope: { version: '2025', code: '48' },
      });
      outsider = ApiClient.for(t.services);
      assert.equal((await outsider.login('dv-danang', 'Dv-password-123')).status, 200);
    });
    after(() => t.close());

    it('stores a value posted with DHIS2’s query parameters and reads it back (201, then the value)', async () => {
      const saved = await admin.post(
        `/api/dataValues?${at('20261120', { value: '12', comment: 'ok' })}`,
      );
      assert.equal(saved.status, 201, saved.text);
      const r = await admin.get(`/api/41/dataValues.json?${at('20261120')}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.value, '12');
      assert.equal(r.json.comment, 'ok');
      assert.equal(r.json.period, '20261120');
      assert.equal(r.json.storedBy, 'admin');
      assert.equal(r.json.followup, false);
      assert.equal(r.json.attributeOptionCombo, 'HllvX50cXC0');
      assert.ok(r.json.created && r.json.lastUpdated);
      assert.equal(await analytics('2026-11-20'), 12);
    });

    it('takes DHIS2 2.39’s JSON body, and keeps what a request leaves out (the comment, then the value)', async () => {
      const body = { dataElement: 'DV_CASES', period: '20261120', orgUnit: WARD, value: '15' };
      assert.equal((await admin.post('/api/dataValues', body)).status, 201);
      let r = await admin.get(`/api/dataValues?${at('20261120')}`);
      assert.deepEqual([r.json.value, r.json.comment], ['15', 'ok']);
      const comment = await admin.post(`/api/dataValues?${at('20261120', { comment: 'checked' })}`);
      assert.equal(comment.status, 201, comment.text);
      r = await admin.get(`/api/dataValues?${at('20261120')}`);
      assert.deepEqual([r.json.value, r.json.comment], ['15', 'checked']);
      assert.equal(await analytics('2026-11-20'), 15);
    });

    it('refuses a caller outside the unit’s scope with DHIS2’s web message, and stores nothing', async () => {
      const audits = await count('audit_event');
      const w = await outsider.post(`/api/dataValues?${at('20261120', { value: '99' })}`);
      assert.equal(w.status, 403, w.text);
      assert.equal(w.json.httpStatusCode, 403);
      assert.equal(w.json.status, 'ERROR');
      assert.equal(w.json.errorCode, 'E1006');
      const r = await outsider.get(`/api/dataValues?${at('20261120')}`);
      assert.equal(r.status, 403);
      assert.ok(!r.text.includes('checked'));
      assert.equal(await count('audit_event'), audits);
      assert.equal(await analytics('2026-11-20'), 15);
    });

    it('refuses a locked period and a value of the wrong type (409 with DHIS2’s conflict code)', async () => {
      const lock = await admin.post('/api/periodLocks', {
        period: '2026-11-18',
        dataSet: 'DV_DAILY',
      });
      assert.equal(lock.status, 201, lock.text);
      const locked = await admin.post(`/api/dataValues?${at('20261118', { value: '3' })}`);
      assert.equal(locked.status, 409, locked.text);
      assert.equal(locked.json.errorCode, 'E7641');
      assert.equal((await admin.get(`/api/dataValues?${at('20261118')}`)).status, 409);
      const bad = await admin.post(`/api/dataValues?${at('20261121', { value: 'abc' })}`);
      assert.equal(bad.status, 409);
      assert.equal(bad.json.errorCode, 'E7619');
      const unknown = await admin.post(
        `/api/dataValues?${new URLSearchParams({ de: 'NO_SUCH', pe: '20261121', ou: WARD, value: '1' })}`,
      );
      assert.equal(unknown.status, 409);
      assert.equal(unknown.json.errorCode, 'E7610');
    });

    it('marks a value for follow-up and unmarks it', async () => {
      const path = '/api/dataValues/followup';
      const key = { dataElement: 'DV_CASES', period: '20261120', orgUnit: WARD };
      const put = (followup: boolean) => admin.request('PUT', path, { ...key, followup });
      assert.equal((await put(true)).status, 200);
      let r = await admin.get(`/api/dataValues?${at('20261120')}`);
      assert.deepEqual([r.json.followup, r.json.value, r.json.comment], [true, '15', 'checked']);
      assert.equal((await put(false)).status, 200);
      r = await admin.get(`/api/dataValues?${at('20261120')}`);
      assert.equal(r.json.followup, false);
    });

    it('deletes a value: gone from analytics, its history kept, audited; a second delete is a 409', async () => {
      const history = await count('data_value_history');
      const audits = await count('audit_event');
      const d = await admin.request('DELETE', `/api/41/dataValues?${at('20261120')}`);
      assert.equal(d.status, 204, d.text);
      assert.equal(await analytics('2026-11-20'), undefined);
      const r = await admin.get(`/api/dataValues?${at('20261120')}`);
      assert.equal(r.status, 409);
      assert.equal(r.json.message, 'Data value does not exist');
      assert.ok((await count('data_value_history')) > history, 'history kept');
      assert.equal(await count('audit_event'), audits + 1);
      const again = await admin.request('DELETE', `/api/dataValues?${at('20261120')}`);
      assert.equal(again.status, 409);
    });

    it('works with DHIS2’s client: create, read back and delete mutations of @dhis2/data-engine', async () => {
      const app = createApp(t.services);
      const server = await new Promise<Server>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
          resolve(s as Server),
        );
      });
      try {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        const { token } = await t.services.auth.createToken('system', {
          name: 'dv-client',
          scope: { version: '2025', code: '79' },
          permissions: ['data.read', 'data.write'],
        });
        const engine = new dhis2.DataEngine(
          new dhis2.RestAPILink({
            baseUrl: `http://127.0.0.1:${port}`,
            apiVersion: 41,
            apiToken: token,
          }),
        );
        const params = { de: 'DV_CASES', pe: '20261123', ou: WARD };
        await engine.mutate({
          resource: 'dataValues',
          type: 'create',
          params: { ...params, value: '31', comment: 'from the client' },
        });
        const read = await engine.query({ dv: { resource: 'dataValues', params } });
        assert.deepEqual([read.dv.value, read.dv.comment], ['31', 'from the client']);
        assert.equal(await analytics('2026-11-23'), 31);
        await engine.mutate({ resource: 'dataValues', type: 'delete', params });
        assert.equal(await analytics('2026-11-23'), undefined);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('applies a retry with the same Idempotency-Key once', async () => {
      const audits = await count('audit_event');
      const path = `/api/dataValues?${at('20261122', { value: '7' })}`;
      const key = { 'idempotency-key': 'dv-retry-1' };
      const first = await admin.request('POST', path, undefined, key);
      assert.equal(first.status, 201, first.text);
      const second = await admin.request('POST', path, undefined, key);
      assert.equal(second.status, 201);
      assert.equal(second.headers.get('idempotent-replayed'), 'true');
      assert.equal(await count('audit_event'), audits + 1);
      assert.equal(await analytics('2026-11-22'), 7);
    });

    it('applies zero significance as the import does: a zero for a stored value removes it', async () => {
      const visits = (extra: Record<string, string> = {}) =>
        new URLSearchParams({ de: 'DV_VISITS', pe: '20261124', ou: WARD, ...extra }).toString();
      assert.equal((await admin.post(`/api/dataValues?${visits({ value: '5' })}`)).status, 201);
      assert.equal(await analytics('2026-11-24', 'DV_VISITS'), 5);
      const zero = await admin.post(`/api/dataValues?${visits({ value: '0' })}`);
      assert.equal(zero.status, 201, zero.text);
      assert.equal((await admin.get(`/api/dataValues?${visits()}`)).status, 409);
      assert.equal(await analytics('2026-11-24', 'DV_VISITS'), undefined);
      // Where zeros are significant, a zero is a value like any other.
      assert.equal(
        (await admin.post(`/api/dataValues?${at('20261124', { value: '0' })}`)).status,
        201,
      );
      assert.equal((await admin.get(`/api/dataValues?${at('20261124')}`)).json.value, '0');
    });

    it('reads the attribute option combo as DHIS2’s cc and cp, or as aoc', async () => {
      const option = (id: string, code: string) => ({ id, code, name: code, shortName: code });
      const m = await admin.post('/api/metadata?version=2025', {
        categoryOptions: [option('DvOptA00001', 'DV_A'), option('DvOptB00001', 'DV_B')],
        categories: [
          {
            id: 'DvMechCat01',
            code: 'DV_MECH_CAT',
            name: 'dv mechanism',
            shortName: 'dv mechanism',
            dataDimensionType: 'ATTRIBUTE',
            categoryOptions: [{ id: 'DvOptA00001' }, { id: 'DvOptB00001' }],
          },
        ],
        categoryCombos: [
          {
            id: 'DvMechCC001',
            code: 'DV_MECH_CC',
            name: 'dv mechanism combo',
            dataDimensionType: 'ATTRIBUTE',
            categories: [{ id: 'DvMechCat01' }],
          },
        ],
        categoryOptionCombos: [
          ['DvCocA00001', 'DV_COC_A', 'DvOptA00001'],
          ['DvCocB00001', 'DV_COC_B', 'DvOptB00001'],
        ].map(([id, code, opt]) => ({
          id,
          code,
          name: code,
          categoryCombo: { id: 'DvMechCC001' },
          categoryOptions: [{ id: opt }],
        })),
        dataElements: [
          {
            id: 'DvMechNum01',
            code: 'DV_MECH',
            name: 'dv by mechanism',
            shortName: 'dv by mechanism',
            valueType: 'INTEGER',
            aggregationType: 'SUM',
            domainType: 'AGGREGATE',
            categoryCombo: { id: 'bjDvmb4bfuf' },
          },
        ],
      });
      assert.equal(m.status, 200, m.text);
      const key = { de: 'DvMechNum01', pe: '202611', ou: WARD };
      const q = (extra: Record<string, string>) => new URLSearchParams({ ...key, ...extra });
      const saved = await admin.post(
        `/api/dataValues?${q({ cc: 'DvMechCC001', cp: 'DvOptA00001', value: '8' })}`,
      );
      assert.equal(saved.status, 201, saved.text);
      let r = await admin.get(`/api/dataValues?${q({ aoc: 'DvCocA00001' })}`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual([r.json.value, r.json.attributeOptionCombo], ['8', 'DvCocA00001']);
      r = await admin.get(`/api/dataValues?${q({ cc: 'DV_MECH_CC', cp: 'DV_A' })}`);
      assert.equal(r.json.value, '8');
      assert.equal((await admin.get(`/api/dataValues?${q({ aoc: 'DvCocB00001' })}`)).status, 409);
      const unknown = await admin.get(
        `/api/dataValues?${q({ cc: 'DvMechCC001', cp: 'NoSuchOpt01' })}`,
      );
      assert.equal(unknown.status, 409);
      assert.equal(unknown.json.errorCode, 'E7615');
    });
  });
}
