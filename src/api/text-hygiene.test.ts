import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * Text that PostgreSQL refuses (NUL) or that has no business in a name (control characters,
 * lone surrogates) is refused where it enters, with a clear answer: a conflict on its row in
 * an import (the good rows of a per-row import kept), a 400 elsewhere; never a 500. A count
 * that cannot be negative says so, and every way a value enters checks it.
 */

const SAI_GON = '26740'; // Phường Sài Gòn (2025 tree)
const metadata = {
  dataElements: [
    {
      code: 'CASES_TRACED',
      nameVi: 'Số ca truy vết',
      nameEn: 'Cases traced',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
      min: 0,
    },
    {
      code: 'TEMPERATURE',
      nameVi: 'Nhiệt độ',
      nameEn: 'Temperature',
      sector: 'other',
      valueType: 'number',
      aggTime: 'last',
      min: -10,
      max: 45,
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
      elements: ['CASES_TRACED', 'TEMPERATURE'],
    },
  ],
};

for (const engine of testEngines()) {
  describe(`text hygiene and value ranges on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let basic: string;
    const send = async (path: string, body: string, type = 'application/json') => {
      const res = await admin.app.request(path, {
        method: 'POST',
        headers: { 'content-type': type, authorization: basic },
        body,
      });
      const text = await res.text();
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = { text };
      }
      return { status: res.status, json };
    };
    /** The conflicts of an import's answer, one per row. */
    type Row = {
      index: number;
      line?: number;
      field: string;
      value: string;
      vi: string;
      en: string;
    };
    const conflictRows = (json: {
      response: { conflicts: { errorCode: string; rows: Row[] }[] };
    }) =>
      json.response.conflicts.flatMap((c) => c.rows.map((r) => ({ ...r, errorCode: c.errorCode })));
    const stored = async (period: string) =>
      (
        await sql<{ code: string; value: string; comment: string | null }>`
          select u.code, v.text_value as value, v.comment from data_value v
          join org_unit u on u.id = v.unit_id join period p on p.id = v.period_id
          join data_element e on e.id = v.element_id
          where p.pid = ${period} and e.code = 'CASES_TRACED' order by u.code`.execute(
          t.database.db,
        )
      ).rows;

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
      const r = await admin.post('/api/metadata', metadata);
      assert.equal(r.status, 200, JSON.stringify(r.json));
    });
    after(() => t.close());

    const row = (orgUnit: string, value: string, comment?: string, period = '2025-09-01') => ({
      dataElement: 'CASES_TRACED',
      period,
      orgUnit,
      value,
      ...(comment === undefined ? {} : { comment }),
    });

    it('keeps the good rows of a per-row JSON import when one comment holds a NUL', async () => {
      const body = JSON.stringify({
        dataValues: [
          row('26740', '1', 'ok'),
          row('25747', '2', 'bad\u0000comment'),
          row('25750', '3'),
        ],
      });
      const r = await send('/api/dataValueSets', body);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.importCount.imported, 2, JSON.stringify(r.json));
      const [c, ...rest] = conflictRows(r.json);
      assert.equal(rest.length, 0);
      assert.equal(c!.index, 1);
      assert.equal(c!.field, 'comment');
      assert.equal(c!.errorCode, 'E7622');
      assert.equal(c!.value, 'bad\\u0000comment');
      assert.match(c!.en, /control character U\+0000/);
      assert.match(c!.vi, /ký tự điều khiển U\+0000/);
      assert.deepEqual(
        (await stored('2025-09-01')).map((v) => v.code),
        ['25750', '26740'],
      );
    });

    it('does the same for a CSV file, and for a lone surrogate in JSON', async () => {
      const csv = [
        'dataelement,period,orgunit,value,comment',
        `CASES_TRACED,2025-09-02,26740,4,fine`,
        `CASES_TRACED,2025-09-02,25747,5,"bell\u0007 and nul\u0000"`,
        `CASES_TRACED,2025-09-02,25750,6,`,
      ].join('\n');
      const r = await send('/api/dataValueSets', csv, 'text/csv');
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.response.importCount.imported, 2);
      assert.deepEqual(
        conflictRows(r.json).map((c) => [c.line, c.errorCode]),
        [[3, 'E7622']],
      );
      // JSON may spell a lone surrogate, which PostgreSQL cannot store as it is.
      const lone =
        '{"dataValues":[{"dataElement":"CASES_TRACED","period":"2025-09-03","orgUnit":"26740","value":"7","comment":"x\\ud800y"}]}';
      const s = await send('/api/dataValueSets', lone);
      assert.equal(s.status, 200, JSON.stringify(s.json));
      assert.equal(conflictRows(s.json)[0]?.errorCode, 'E7622');
      assert.match(conflictRows(s.json)[0]!.en, /surrogate/);
    });

    it('refuses a NUL in a sign-in name with 400, not 500, before sign-in', async () => {
      const anon = ApiClient.for(t.services);
      const r = await anon.login('ad\u0000min', 'whatever-pw-1');
      assert.equal(r.status, 400, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'validation_failed');
      assert.match(r.json.error.messages.en, /username .*U\+0000/);
      assert.match(r.json.error.messages.vi, /ký tự điều khiển U\+0000/);
    });

    it('answers a NUL in an HTTP Basic name as wrong credentials (401), not 500', async () => {
      const res = await admin.app.request('/api/auth/me', {
        headers: {
          authorization: `Basic ${Buffer.from('ad\u0000min:whatever-pw-1').toString('base64')}`,
        },
      });
      assert.equal(res.status, 401, await res.text());
    });

    it('answers 400, not 500, to a NUL in a unit code, a search or a form query', async () => {
      for (const path of [
        '/api/orgunits/26740%00?version=2025',
        '/api/orgunits?q=b%E1%BA%BFn%00ngh%C3%A9',
        `/api/dataEntry/form?dataSet=COMMUNE_DAILY%00&orgUnit=${SAI_GON}&period=2025-09-10`,
      ]) {
        const r = await admin.get(path);
        assert.equal(r.status, 400, `${path}: ${r.text}`);
        assert.equal(r.json.error.code, 'validation_failed');
      }
      const d = await admin.post('/api/directives', {
        title: 'Chỉ đạo\u0000',
        body: 'Nội dung\nnhiều dòng',
        dueDate: '2030-01-01',
        target: { kind: 'nation' },
      });
      assert.equal(d.status, 400, JSON.stringify(d.json));
      assert.match(d.json.error.messages.vi, /title — có ký tự điều khiển U\+0000/);
    });

    it('refuses a NUL in a display name with 400', async () => {
      const r = await admin.post('/api/users', {
        username: 'nul.user',
        displayName: 'Nguyễn\u0000Văn A',
        password: 'Officer-pw-123',
        role: 'officer',
        scope: { version: '2025', code: SAI_GON },
      });
      assert.equal(r.status, 400, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'validation_failed');
      assert.match(r.json.error.messages.vi, /ký tự điều khiển/);
      // The same through the service (the CLI's `opsroom user add`).
      await assert.rejects(
        t.services.auth.createUser('system', {
          username: 'nul.user2',
          displayName: 'A\u0000',
          password: 'Officer-pw-123',
          role: 'officer',
          scope: { version: '2025', code: SAI_GON },
        } as never),
        (e: { code?: string }) => e.code === 'validation_failed',
      );
    });

    it('refuses an XML body with a DTD or an external entity with 400, expanding nothing', async () => {
      const xxe = `<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">
  <dataValue dataElement="CASES_TRACED" period="2025-09-04" orgUnit="26740" value="1" comment="&e;"/>
</dataValueSet>`;
      const r = await send('/api/dataValueSets', xxe, 'application/xml');
      assert.equal(r.status, 400, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'file_invalid');
      assert.match(r.json.error.messages.en, /DTD/);
      assert.match(r.json.error.messages.vi, /DTD/);
      assert.deepEqual(await stored('2025-09-04'), []);
    });

    it('refuses −5 for a count declared non-negative: JSON, CSV and XML', async () => {
      const json = await send(
        '/api/dataValueSets',
        JSON.stringify({
          dataValues: [
            row('26740', '-5', undefined, '2025-09-05'),
            row('25747', '5', undefined, '2025-09-05'),
          ],
        }),
      );
      assert.equal(json.status, 200, JSON.stringify(json.json));
      assert.equal(json.json.response.importCount.imported, 1);
      const [c] = conflictRows(json.json);
      assert.equal(c!.errorCode, 'E7619');
      assert.equal(c!.field, 'value');
      assert.equal(c!.vi, 'Giá trị -5 nhỏ hơn mức tối thiểu 0 của chỉ tiêu CASES_TRACED');
      assert.equal(c!.en, 'The value -5 is below the minimum 0 of data element CASES_TRACED');

      const csv = await send(
        '/api/dataValueSets?atomic=true',
        'dataelement,period,orgunit,value\nCASES_TRACED,2025-09-06,26740,3\nCASES_TRACED,2025-09-06,25747,-5\n',
        'text/csv',
      );
      assert.equal(csv.json.response.status, 'ERROR', JSON.stringify(csv.json));
      assert.equal(conflictRows(csv.json)[0]?.errorCode, 'E7619');
      assert.deepEqual(await stored('2025-09-06'), []);

      const xml = await send(
        '/api/dataValueSets',
        '<dataValueSet><dataValue dataElement="TEMPERATURE" period="2025-09-06" orgUnit="26740" value="46.5"/></dataValueSet>',
        'application/xml',
      );
      assert.match(conflictRows(xml.json)[0]!.en, /above the maximum 45/);
    });

    it('refuses −5 on the bulk CSV path too, which reads digits in place', async () => {
      const lines = ['dataelement,period,orgunit,value'];
      for (const [i, u] of ['26740', '25747', '25750'].entries())
        lines.push(`CASES_TRACED,2025-10-0${i + 1},${u},${i === 1 ? '-5' : '2'}`);
      const bytes = Buffer.from(lines.join('\n') + '\n');
      const refused = await t.services.dataValues.importCsvBytes('system', bytes, {
        atomic: true,
        bulk: 'always',
      });
      assert.equal(refused.status, 'ERROR');
      assert.equal(refused.conflicts[0]?.errorCode, 'E7619');
      assert.equal(refused.conflicts[0]?.line, 3);
      const perRow = await t.services.dataValues.importCsvBytes('system', bytes, {
        atomic: false,
        bulk: 'always',
      });
      assert.equal(perRow.importCount.imported, 2);
      assert.equal(perRow.conflicts.length, 1);
      assert.deepEqual(await stored('2025-10-02'), []);
    });

    it('refuses −5 in the commune form and shows the floor to the form', async () => {
      const save = await admin.post('/api/dataEntry/form', {
        dataSet: 'COMMUNE_DAILY',
        orgUnit: SAI_GON,
        period: '2025-09-10',
        values: { CASES_TRACED: '-5' },
      });
      assert.equal(save.status, 409, JSON.stringify(save.json));
      const [f] = save.json.error.details.fields;
      assert.equal(f.key, 'CASES_TRACED');
      assert.match(f.vi, /nhỏ hơn mức tối thiểu 0/);
      const form = await admin.get(
        `/api/dataEntry/form?dataSet=COMMUNE_DAILY&orgUnit=${SAI_GON}&period=2025-09-10`,
      );
      const field = form.json.fields.find((x: { key: string }) => x.key === 'CASES_TRACED');
      assert.equal(field.min, 0);
      assert.equal(field.max, null);
    });

    it('exports the range with the metadata and refuses a range upside down', async () => {
      const m = await admin.get('/api/metadata');
      const e = m.json.dataElements.find((x: { code: string }) => x.code === 'TEMPERATURE');
      assert.deepEqual([e.min, e.max], [-10, 45]);
      const bad = await admin.post('/api/metadata', {
        dataElements: [{ ...metadata.dataElements[1], code: 'UPSIDE_DOWN', min: 5, max: 1 }],
      });
      assert.equal(bad.status, 400, JSON.stringify(bad.json));
    });
  });
}
