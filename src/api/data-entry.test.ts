import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

// Monday 23 November 2026, 10:00 in Viet Nam: "yesterday" is 2026-11-22.
const NOW = new Date('2026-11-23T03:00:00Z');

const metadata = {
  breakdowns: [
    {
      code: 'ATTACK_TYPE',
      nameVi: 'Loại tấn công',
      nameEn: 'Attack type',
      options: [
        { code: 'PHISHING', nameVi: 'Lừa đảo', nameEn: 'Phishing' },
        { code: 'MALWARE', nameVi: 'Mã độc', nameEn: 'Malware' },
      ],
    },
  ],
  dataElements: [
    {
      code: 'TESTS_DONE',
      nameVi: 'Số mẫu xét nghiệm',
      nameEn: 'Tests done',
      sector: 'covid',
      valueType: 'integer',
      unit: 'mẫu',
      aggTime: 'sum',
    },
    {
      code: 'POSITIVE_CASES',
      nameVi: 'Số ca dương tính',
      nameEn: 'Positive test results',
      sector: 'covid',
      valueType: 'integer',
      unit: 'ca',
      aggTime: 'sum',
    },
    {
      code: 'VACCINATED_PCT',
      nameVi: 'Tỷ lệ tiêm chủng',
      nameEn: 'Vaccinated share',
      sector: 'covid',
      valueType: 'percentage',
      unit: '%',
      aggTime: 'last',
      aggUnits: 'average',
    },
    {
      code: 'ATTACKS',
      nameVi: 'Số cuộc tấn công mạng',
      nameEn: 'Cyberattacks',
      sector: 'security',
      valueType: 'integer',
      aggTime: 'sum',
      breakdown: 'ATTACK_TYPE',
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
      expiryDays: 60,
      elements: ['TESTS_DONE', 'POSITIVE_CASES', 'VACCINATED_PCT', 'ATTACKS'],
    },
    {
      code: 'PROVINCE_MONTHLY',
      nameVi: 'Báo cáo tháng cấp tỉnh',
      nameEn: 'Province monthly report',
      periodType: 'month',
      version: '2025',
      level: 1,
      elements: ['TESTS_DONE'],
    },
  ],
};

const SAI_GON = '26740'; // Phường Sài Gòn, Thành phố Hồ Chí Minh (79)
const HONG_HA = '00097'; // Phường Hồng Hà, Hà Nội
const form = (q: Record<string, string>) => `/api/dataEntry/form?${new URLSearchParams(q)}`;
const base = { dataSet: 'COMMUNE_DAILY', orgUnit: SAI_GON, period: '2026-11-22' };

for (const engine of testEngines()) {
  describe(`data entry form on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let officer: ApiClient;
    let leader: ApiClient;

    before(async () => {
      t = await openTestDb(engine, { clock: () => NOW });
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      const m = await admin.post('/api/metadata', metadata);
      assert.equal(m.status, 200, JSON.stringify(m.json));
      for (const u of [
        { username: 'canbo.saigon', role: 'officer', scope: { version: '2025', code: SAI_GON } },
        { username: 'lanhdao.hcm', role: 'leader', scope: { version: '2025', code: '79' } },
      ]) {
        const r = await admin.post('/api/users', { ...u, password: 'Officer-pw-123' });
        assert.equal(r.status, 201, JSON.stringify(r.json));
      }
      officer = ApiClient.for(t.services);
      assert.equal((await officer.login('canbo.saigon', 'Officer-pw-123')).status, 200);
      leader = ApiClient.for(t.services);
      assert.equal((await leader.login('lanhdao.hcm', 'Officer-pw-123')).status, 200);
    });
    after(() => t.close());

    it('lists the data sets an officer can enter, with his commune', async () => {
      const r = await officer.get('/api/dataEntry/dataSets');
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.today, '2026-11-23');
      // The province data set is above a commune officer: not listed.
      assert.deepEqual(
        r.json.items.map((d: { code: string }) => d.code),
        ['COMMUNE_DAILY'],
      );
      const [ds] = r.json.items;
      assert.equal(ds.unitsTotal, 1);
      assert.deepEqual(ds.units, [{ code: SAI_GON, name: 'Sài Gòn', fullName: 'Phường Sài Gòn' }]);
      assert.equal(ds.elementCount, 4);

      const l = await leader.get('/api/dataEntry/dataSets');
      const codes = l.json.items.map((d: { code: string }) => d.code);
      assert.deepEqual(codes, ['COMMUNE_DAILY', 'PROVINCE_MONTHLY']);
      const daily = l.json.items[0];
      assert.ok(daily.unitsTotal > 100, `communes of Hồ Chí Minh: ${daily.unitsTotal}`);
      assert.ok(daily.units.some((u: { code: string }) => u.code === SAI_GON));
      assert.deepEqual(l.json.items[1].units, [
        { code: '79', name: 'Hồ Chí Minh', fullName: 'Thành phố Hồ Chí Minh' },
      ]);
    });

    it('answers the form: data set, period, unit and one field per element and option', async () => {
      const r = await officer.get(form(base));
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const f = r.json;
      assert.equal(f.dataSet.code, 'COMMUNE_DAILY');
      assert.equal(f.dataSet.periodType, 'day');
      assert.deepEqual(
        {
          id: f.period.id,
          labelVi: f.period.labelVi,
          labelEn: f.period.labelEn,
          dueDate: f.period.dueDate,
          pastDue: f.period.pastDue,
          locked: f.period.locked,
          previous: f.period.previous,
          next: f.period.next,
        },
        {
          id: '2026-11-22',
          labelVi: 'ngày 22/11/2026',
          labelEn: '22 Nov 2026',
          dueDate: '2026-11-23',
          pastDue: false,
          locked: false,
          previous: '2026-11-21',
          next: '2026-11-23',
        },
      );
      assert.equal(f.orgUnit.fullName, 'Phường Sài Gòn');
      assert.deepEqual(f.orgUnit.parents, [{ code: '79', fullName: 'Thành phố Hồ Chí Minh' }]);
      assert.equal(f.editable, true);
      assert.deepEqual(
        f.fields.map((x: { key: string }) => x.key),
        ['TESTS_DONE', 'POSITIVE_CASES', 'VACCINATED_PCT', 'ATTACKS.PHISHING', 'ATTACKS.MALWARE'],
      );
      const tests = f.fields[0];
      assert.deepEqual(
        [tests.nameVi, tests.nameEn, tests.valueType, tests.unit, tests.value, tests.optionVi],
        ['Số mẫu xét nghiệm', 'Tests done', 'integer', 'mẫu', null, null],
      );
      assert.deepEqual([f.fields[3].optionVi, f.fields[3].optionEn], ['Lừa đảo', 'Phishing']);
      assert.equal(f.filled, 0);
    });

    it('gives each field its min–max range at the unit, null where none is stored', async () => {
      const none = await officer.get(form(base));
      assert.equal(none.status, 200, JSON.stringify(none.json));
      for (const x of none.json.fields) assert.equal(x.minMax, null, x.key);
      for (const range of [
        { source: { id: SAI_GON }, dataElement: { id: 'TESTS_DONE' }, min: 10, max: 200 },
        {
          source: { id: SAI_GON },
          dataElement: { id: 'ATTACKS' },
          optionCombo: { id: 'MALWARE' },
          min: 0,
          max: 5.5,
        },
        // Another commune's range is not this form's.
        { source: { id: HONG_HA }, dataElement: { id: 'POSITIVE_CASES' }, min: 1, max: 9 },
      ]) {
        const r = await admin.post('/api/minMaxDataElements', range);
        assert.equal(r.status, 201, r.text);
      }
      const ranges = (f: { fields: { key: string; minMax: unknown }[] }) =>
        Object.fromEntries(f.fields.map((x) => [x.key, x.minMax]));
      const r = await officer.get(form(base));
      assert.deepEqual(ranges(r.json), {
        TESTS_DONE: { min: 10, max: 200 },
        POSITIVE_CASES: null,
        VACCINATED_PCT: null,
        'ATTACKS.PHISHING': null,
        'ATTACKS.MALWARE': { min: 0, max: 5.5 },
      });
      // Hồng Hà's form has its own range only; the province's form (no range there) none.
      const hh = await admin.get(form({ ...base, orgUnit: HONG_HA }));
      assert.equal(hh.status, 200, JSON.stringify(hh.json));
      assert.deepEqual(ranges(hh.json).POSITIVE_CASES, { min: 1, max: 9 });
      assert.equal(ranges(hh.json).TESTS_DONE, null);
      const province = await leader.get(
        form({ dataSet: 'PROVINCE_MONTHLY', orgUnit: '79', period: '2026-10' }),
      );
      assert.equal(province.status, 200, JSON.stringify(province.json));
      assert.deepEqual(ranges(province.json), { TESTS_DONE: null });
      // A range is a warning, not a refusal: a value outside it saves (another day, so that the
      // cases below see the form as before), and the saved form keeps the range.
      const day = { ...base, period: '2026-11-20' };
      const s = await officer.post('/api/dataEntry/form', {
        ...day,
        values: { TESTS_DONE: '900' },
      });
      assert.equal(s.status, 200, JSON.stringify(s.json));
      assert.deepEqual(s.json.form.fields[0].minMax, { min: 10, max: 200 });
      // Removed again: the form has no range any more.
      for (const range of [
        { source: { id: SAI_GON }, dataElement: { id: 'TESTS_DONE' } },
        { source: { id: SAI_GON }, dataElement: { id: 'ATTACKS' }, optionCombo: { id: 'MALWARE' } },
        { source: { id: HONG_HA }, dataElement: { id: 'POSITIVE_CASES' } },
      ]) {
        const d = await admin.request('DELETE', '/api/minMaxDataElements', range);
        assert.equal(d.status, 200, d.text);
      }
      const back = await officer.get(form(base));
      for (const x of back.json.fields) assert.equal(x.minMax, null, x.key);
    });

    it('is in the OpenAPI document', async () => {
      const r = await admin.get('/api/openapi.json');
      assert.ok(r.json.paths['/api/dataEntry/form'].get);
      assert.ok(r.json.paths['/api/dataEntry/form'].post);
      assert.ok(r.json.paths['/api/dataEntry/dataSets'].get);
    });

    it('refuses a unit outside the scope, at the wrong level, or unknown, in both languages', async () => {
      const out = await officer.get(form({ ...base, orgUnit: HONG_HA }));
      assert.equal(out.status, 403);
      assert.equal(out.json.error.code, 'out_of_scope');
      assert.equal(
        out.json.error.messages.vi,
        'Phường Hồng Hà (mã 00097) nằm ngoài phạm vi được giao cho tài khoản của bạn',
      );
      assert.match(out.json.error.messages.en, /outside the scope of your account/);

      const level = await leader.get(form({ ...base, orgUnit: '79' }));
      assert.equal(level.status, 400);
      assert.equal(level.json.error.code, 'validation_failed');
      assert.match(level.json.error.messages.vi, /là đơn vị cấp tỉnh; bộ dữ liệu COMMUNE_DAILY/);
      assert.match(level.json.error.messages.en, /province level unit/);

      const unknown = await officer.get(form({ ...base, orgUnit: '99999' }));
      assert.equal(unknown.status, 400);
      assert.match(unknown.json.error.messages.vi, /Không có đơn vị mã "99999" trong cây 2025/);

      const noSet = await officer.get(form({ ...base, dataSet: 'NOPE' }));
      assert.equal(noSet.status, 400);
      assert.equal(noSet.json.error.messages.vi, 'Không có bộ dữ liệu "NOPE"');

      // The 2022 tree is not the officer's.
      const before2025 = await officer.get(form({ ...base, period: '2025-06-30' }));
      assert.equal(before2025.status, 400);
      assert.match(before2025.json.error.messages.vi, /ngoài thời gian hiệu lực của cây 2025/);

      const week = await officer.get(form({ ...base, period: '2026-W47' }));
      assert.equal(week.status, 400);
      assert.match(week.json.error.messages.vi, /báo cáo theo ngày; "2026-W47" là kỳ tuần/);

      const future = await officer.get(form({ ...base, period: '2026-11-24' }));
      assert.equal(future.status, 400);
      assert.match(future.json.error.messages.vi, /^Chưa đến kỳ ngày 24\/11\/2026/);

      const missing = await officer.get('/api/dataEntry/form?dataSet=COMMUNE_DAILY');
      assert.equal(missing.status, 400);

      const save = await officer.post('/api/dataEntry/form', {
        ...base,
        orgUnit: HONG_HA,
        values: { TESTS_DONE: '1' },
      });
      assert.equal(save.status, 403);
    });

    it('offers a data set assigned to units for those units only, and refuses another', async () => {
      const m = await admin.post('/api/metadata', {
        dataSets: [
          {
            code: 'WARD_ASSIGNED',
            nameVi: 'Báo cáo của phường được giao',
            nameEn: 'Assigned wards report',
            periodType: 'day',
            version: '2025',
            level: 2,
            elements: ['TESTS_DONE'],
            units: [SAI_GON],
          },
        ],
      });
      assert.equal(m.status, 200, m.text);
      const sets = await leader.get('/api/dataEntry/dataSets');
      assert.equal(sets.status, 200, sets.text);
      const assigned = (
        sets.json.items as { code: string; unitsTotal: number; units: { code: string }[] }[]
      ).find((d) => d.code === 'WARD_ASSIGNED')!;
      assert.equal(assigned.unitsTotal, 1);
      assert.deepEqual(
        assigned.units.map((u) => u.code),
        [SAI_GON],
      );
      const ok = await leader.get(form({ ...base, dataSet: 'WARD_ASSIGNED' }));
      assert.equal(ok.status, 200, ok.text);
      const other = await leader.get(form({ ...base, dataSet: 'WARD_ASSIGNED', orgUnit: '26743' }));
      assert.equal(other.status, 400, other.text);
      assert.match(
        other.json.error.messages.vi,
        /không được giao báo cáo bộ dữ liệu WARD_ASSIGNED/,
      );
      assert.match(
        other.json.error.messages.en,
        /is not assigned to report data set WARD_ASSIGNED/,
      );
    });

    it('refuses bad values field by field, in Vietnamese, and saves nothing', async () => {
      const r = await officer.post(
        '/api/dataEntry/form',
        {
          ...base,
          values: {
            TESTS_DONE: 'abc',
            POSITIVE_CASES: '12',
            VACCINATED_PCT: '120',
            'ATTACKS.PHISHING': '3',
            NOT_A_FIELD: '1',
          },
        },
        { 'accept-language': 'en' },
      );
      assert.equal(r.status, 409, JSON.stringify(r.json));
      assert.equal(r.json.error.code, 'import_conflicts');
      assert.deepEqual(r.json.error.details.fields, [
        {
          key: 'NOT_A_FIELD',
          dataElement: null,
          categoryOptionCombo: null,
          value: '1',
          errorCode: 'E7610',
          vi: 'Bộ dữ liệu COMMUNE_DAILY không có chỉ tiêu "NOT_A_FIELD"',
          en: 'Data set COMMUNE_DAILY has no field "NOT_A_FIELD"',
        },
      ]);

      const bad = await officer.post('/api/dataEntry/form', {
        ...base,
        values: { TESTS_DONE: 'abc', POSITIVE_CASES: '12', VACCINATED_PCT: '120' },
      });
      assert.equal(bad.status, 409);
      assert.equal(bad.json.error.message, 'Chưa lưu: 2 chỉ tiêu có lỗi, hãy sửa rồi lưu lại');
      const byKey = Object.fromEntries(
        bad.json.error.details.fields.map((f: { key: string; vi: string; en: string }) => [
          f.key,
          [f.vi, f.en],
        ]),
      );
      assert.deepEqual(byKey, {
        TESTS_DONE: ['"abc" không phải số nguyên', '"abc" is not an integer'],
        VACCINATED_PCT: [
          '"120" không phải tỷ lệ phần trăm từ 0 đến 100',
          '"120" is not a percentage from 0 to 100',
        ],
      });
      const after = await officer.get(form(base));
      assert.equal(after.json.filled, 0, 'all or nothing: the good value was not saved');
    });

    it('saves, reads the values back, updates and removes', async () => {
      const r = await officer.post('/api/dataEntry/form', {
        ...base,
        values: {
          TESTS_DONE: '1250',
          POSITIVE_CASES: ' 12 ',
          VACCINATED_PCT: '87.5',
          'ATTACKS.PHISHING': '3',
          'ATTACKS.MALWARE': '',
        },
        comments: { POSITIVE_CASES: 'đã báo Trung tâm y tế' },
      });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.saved, 4);
      assert.equal(r.json.message.vi.split(' — ')[0], 'Đã lưu 4 chỉ tiêu, 1 không đổi');
      assert.equal(r.json.message.en.split(' — ')[0], 'Saved 4 values, 1 unchanged');
      assert.equal(r.json.form.filled, 4);

      const back = await officer.get(form(base));
      const values = Object.fromEntries(
        back.json.fields.map((f: { key: string; value: string | null }) => [f.key, f.value]),
      );
      assert.deepEqual(values, {
        TESTS_DONE: '1250',
        POSITIVE_CASES: '12',
        VACCINATED_PCT: '87.5',
        'ATTACKS.PHISHING': '3',
        'ATTACKS.MALWARE': null,
      });
      const positive = back.json.fields[1];
      assert.equal(positive.comment, 'đã báo Trung tâm y tế');
      assert.equal(positive.storedBy, 'canbo.saigon');

      // Through the DHIS2 export too: the values landed on the commune of the 2025 tree.
      const exp = await officer.get(
        '/api/dataValueSets?dataSet=COMMUNE_DAILY&period=2026-11-22&orgUnit=26740&version=2025',
      );
      assert.equal(exp.json.dataValues.length, 4);

      // A change keeps the stored comment; an emptied field removes its value.
      const u = await officer.post('/api/dataEntry/form', {
        ...base,
        values: { POSITIVE_CASES: '13', 'ATTACKS.PHISHING': '' },
      });
      assert.equal(u.status, 200, JSON.stringify(u.json));
      assert.deepEqual(u.json.importCount, { imported: 0, updated: 1, ignored: 0, deleted: 1 });
      assert.equal(u.json.message.vi.split(' — ')[0], 'Đã lưu 1 chỉ tiêu, xoá 1');
      const again = u.json.form.fields;
      assert.equal(again[1].value, '13');
      assert.equal(again[1].comment, 'đã báo Trung tâm y tế');
      assert.equal(again[3].value, null);

      // A leader of the province sees the commune's values.
      const l = await leader.get(form(base));
      assert.equal(l.json.filled, 3);
    });

    it('tells when a period is past due, and refuses a locked period', async () => {
      const old = await officer.get(form({ ...base, period: '2026-11-01' }));
      assert.equal(old.status, 200);
      assert.equal(old.json.period.pastDue, true);
      assert.equal(old.json.period.locked, false);

      // 60 days after its end the period closes for entry.
      const closed = await officer.get(form({ ...base, period: '2026-09-01' }));
      assert.equal(closed.json.period.locked, true);
      assert.equal(closed.json.editable, false);
      assert.match(closed.json.period.lockedReason.vi, /đã hết hạn nhập \(sau ngày 31\/10\/2026\)/);
      const s = await officer.post('/api/dataEntry/form', {
        ...base,
        period: '2026-09-01',
        values: { TESTS_DONE: '5' },
      });
      assert.equal(s.status, 409);
      assert.equal(s.json.error.code, 'period_locked');
    });

    it('needs data.write to save and to list data sets', async () => {
      const r = await admin.post('/api/users', {
        username: 'xem.saigon',
        role: 'viewer',
        scope: { version: '2025', code: SAI_GON },
        password: 'Viewer-pw-1234',
      });
      assert.equal(r.status, 201);
      const viewer = ApiClient.for(t.services);
      await viewer.login('xem.saigon', 'Viewer-pw-1234');
      assert.equal((await viewer.get('/api/dataEntry/dataSets')).status, 403);
      const f = await viewer.get(form(base));
      assert.equal(f.status, 200);
      assert.equal(f.json.editable, false);
      const s = await viewer.post('/api/dataEntry/form', { ...base, values: { TESTS_DONE: '1' } });
      assert.equal(s.status, 403);
      assert.equal(
        s.json.error.messages.vi,
        'Vai trò của bạn không được phép thực hiện thao tác này',
      );
    });
  });
}
