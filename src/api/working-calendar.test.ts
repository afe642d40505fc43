import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient, signInUsers } from '../test/http.ts';
import type { Role } from '../domain/access.ts';
import { vnTime } from '../domain/dates.ts';
import {
  addWorkingTime,
  VN_CIVIL_SERVICE_DAYS_OFF_2026,
  VN_CIVIL_SERVICE_WEEK,
} from '../domain/working-time.ts';

/**
 * Offices' working calendars (issue 20) through the API: a province sets its own hours and an
 * extra holiday, its communes inherit them, other provinces keep the nation's; deadlines counted
 * with `forUnit` follow; bad calendars and callers outside the scope are refused, nothing stored.
 */

const PW = 'Calendar-pw-12345';
const USERS: { username: string; role: Role; code: string }[] = [
  { username: 'ld79', role: 'leader', code: '79' },
  { username: 'cb79', role: 'officer', code: '79' },
  { username: 'ld48', role: 'leader', code: '48' },
];

/** Hồ Chí Minh City: opens at 07:30, and takes 29 April off besides the nation's days. */
const HCMC_DAY = [
  ['07:30', '11:30'],
  ['13:00', '17:00'],
];
const hcmc = {
  week: {
    mon: HCMC_DAY,
    tue: HCMC_DAY,
    wed: HCMC_DAY,
    thu: HCMC_DAY,
    fri: HCMC_DAY,
    sat: [],
    sun: [],
  },
  holidays: [...VN_CIVIL_SERVICE_DAYS_OFF_2026.holidays, '2026-04-29'],
  extraWorkingDays: VN_CIVIL_SERVICE_DAYS_OFF_2026.extraWorkingDays,
};

const SAI_GON = '26740'; // Phường Sài Gòn, Hồ Chí Minh City (79)
const HAI_VAN = '20194'; // Phường Hải Vân, Đà Nẵng (48)
const path = (code: string) => `/api/orgunits/${code}/workingCalendar?version=2025`;

/** An instant as Viet Nam's wall clock reads it: 2026-05-04 16:00. */
const vn = (t: Date) => {
  const local = new Date(t.getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
};

for (const engine of testEngines()) {
  describe(`working calendars on ${engine}`, () => {
    let t: TestDb;
    const as = new Map<string, ApiClient>();
    const api = (u: string) => as.get(u)!;

    const stored = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from working_calendar`.execute(
          t.database.db,
        )
      ).rows[0]!.n;
    const audited = async (action: string) =>
      (
        await sql<{ n: number }>`select count(*)::int as n from audit_event
          where action = ${action}`.execute(t.database.db)
      ).rows[0]!.n;

    before(async () => {
      t = await openTestDb(engine);
      const admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      as.set('admin', admin);
      await signInUsers(t.services, USERS, PW, '2025', as);
    });
    after(() => t.close());

    it('has the nation’s calendar from the start: the civil-service week and 2026’s days off', async () => {
      const r = await api('admin').get(path('VN'));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.inheritedFrom, null);
      assert.deepEqual(r.json.spec.week.mon, [
        ['08:00', '12:00'],
        ['13:00', '17:00'],
      ]);
      assert.ok(r.json.spec.holidays.includes('2026-09-02'));
      assert.deepEqual(r.json.spec.extraWorkingDays, ['2026-08-22']);
      // Installed once: starting again does not add another.
      assert.equal(await t.services.workingCalendars.installNational(), false);
      assert.equal(await stored(), 1);
      // A ward with no calendar of its own, and no province's above it, has the nation's.
      const w = await api('ld79').get(path(SAI_GON));
      assert.equal(w.status, 200, w.text);
      assert.deepEqual(w.json.inheritedFrom, { code: 'VN', name: 'Việt Nam' });
    });

    it('a province sets its own; its wards inherit it, another province keeps the nation’s', async () => {
      const r = await api('ld79').request('PUT', path('79'), hcmc);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.inheritedFrom, null);
      assert.equal(r.json.unit.code, '79');
      assert.equal(r.json.updatedBy, 'ld79');
      assert.equal(await audited('working_calendar.set'), 1);
      const row = await sql<{ unit_code: string; after: { holidays: string[] } }>`
        select unit_code, after from audit_event where action = 'working_calendar.set'`.execute(
        t.database.db,
      );
      assert.equal(row.rows[0]!.unit_code, '79');
      assert.ok(row.rows[0]!.after.holidays.includes('2026-04-29'));

      const ward = await api('cb79').get(path(SAI_GON));
      assert.equal(ward.status, 200, ward.text);
      assert.equal(ward.json.inheritedFrom.code, '79');
      assert.match(ward.json.inheritedFrom.name, /Hồ Chí Minh/);
      assert.deepEqual(ward.json.spec.week.tue[0], ['07:30', '11:30']);

      const other = await api('ld48').get(path(HAI_VAN));
      assert.equal(other.status, 200, other.text);
      assert.equal(other.json.inheritedFrom.code, 'VN');
      assert.deepEqual(other.json.spec.week.tue[0], ['08:00', '12:00']);

      // The same calendar again: answered the same, nothing written.
      const again = await api('ld79').request('PUT', path('79'), hcmc);
      assert.equal(again.status, 200, again.text);
      assert.equal(await audited('working_calendar.set'), 1);
    });

    it('a deadline counted with the ward’s calendar crosses the city’s extra holiday', async () => {
      // Received Tuesday 28 April 2026 at 16:00; 8 working hours to acknowledge.
      const start = vnTime('2026-04-28T16:00');
      const ward = await t.services.workingCalendars.forUnit('2025', SAI_GON);
      // 16:00–17:00 on Tuesday; 29 April (the city's), 30 April and 1 May (the nation's) off,
      // then the weekend; Monday 4 May from 07:30: 4 hours, lunch, 3 hours.
      assert.equal(vn(addWorkingTime(ward, start, { hours: 8 })), '2026-05-04 16:00');
      // In Đà Nẵng 29 April is worked from 08:00.
      const other = await t.services.workingCalendars.forUnit('2025', HAI_VAN);
      assert.equal(vn(addWorkingTime(other, start, { hours: 8 })), '2026-04-29 16:00');
      // Five working days from the same moment: in the city, Mon 4 to Fri 8 May.
      assert.equal(vn(addWorkingTime(ward, start, { days: 5 })), '2026-05-08 17:00');
    });

    it('refuses bad calendars with clear messages, and stores nothing', async () => {
      const before = await stored();
      const auditsBefore = await audited('working_calendar.set');
      const bad: [string, unknown, number, string, RegExp][] = [
        [
          'a span ending before it starts',
          { ...hcmc, week: { ...hcmc.week, mon: [['17:00', '08:00']] } },
          400,
          'validation_failed',
          /week\.mon\.0.*must end after it starts/,
        ],
        [
          'overlapping spans',
          {
            ...hcmc,
            week: {
              ...hcmc.week,
              mon: [
                ['08:00', '12:00'],
                ['11:00', '17:00'],
              ],
            },
          },
          400,
          'validation_failed',
          /week\.mon\.1.*in order and do not overlap/,
        ],
        [
          'a time that is not HH:MM',
          { ...hcmc, week: { ...hcmc.week, fri: [['7h30', '11:30']] } },
          400,
          'validation_failed',
          /week\.fri\.0\.0.*HH:MM/,
        ],
        [
          'a date that does not exist',
          { ...hcmc, holidays: ['2026-02-30'] },
          400,
          'validation_failed',
          /holidays\.0.*YYYY-MM-DD/,
        ],
        [
          'a day of the week left out',
          { ...hcmc, week: { mon: HCMC_DAY } },
          400,
          'validation_failed',
          /week\.tue/,
        ],
        [
          'no working hours at all',
          {
            week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
            holidays: [],
          },
          422,
          'working_time_invalid',
          /no working hours at all/,
        ],
        [
          'a day both off and worked',
          { ...hcmc, extraWorkingDays: ['2026-04-29'] },
          422,
          'working_time_invalid',
          /2026-04-29 is both a holiday and an extra working day/,
        ],
      ];
      for (const [what, body, status, code, en] of bad) {
        const r = await api('ld79').request('PUT', path(SAI_GON), body);
        assert.equal(r.status, status, `${what}: ${r.text}`);
        assert.equal(r.json.error.code, code, what);
        assert.match(r.json.error.messages.en, en, what);
        assert.notEqual(r.json.error.messages.vi, r.json.error.messages.en, what);
      }
      assert.equal(await stored(), before);
      assert.equal(await audited('working_calendar.set'), auditsBefore);
      // The ward still inherits the city's.
      const ward = await api('ld79').get(path(SAI_GON));
      assert.equal(ward.json.inheritedFrom.code, '79');
    });

    it('only those who manage metadata, within their scope, set a calendar', async () => {
      const before = await stored();
      const other = await api('ld48').request('PUT', path('79'), VN_NATIONAL);
      assert.equal(other.status, 403, other.text);
      assert.equal(other.json.error.code, 'out_of_scope');
      const ward = await api('ld48').request('PUT', path(SAI_GON), VN_NATIONAL);
      assert.equal(ward.status, 403, ward.text);
      const officer = await api('cb79').request('PUT', path('79'), VN_NATIONAL);
      assert.equal(officer.status, 403, officer.text);
      assert.equal(officer.json.error.code, 'forbidden');
      const nation = await api('ld79').request('PUT', path('VN'), VN_NATIONAL);
      assert.equal(nation.status, 403, nation.text);
      const clear = await api('ld48').request('DELETE', path('79'));
      assert.equal(clear.status, 403, clear.text);
      // Reading another province's is out of scope too.
      assert.equal((await api('ld48').get(path('79'))).status, 403);
      assert.equal(await stored(), before);
      assert.equal((await api('cb79').get(path('79'))).json.spec.week.mon[0][0], '07:30');
    });

    it('a ward sets its own, then clears it and inherits the city’s again', async () => {
      const saturdays = {
        ...hcmc,
        week: { ...hcmc.week, sat: [['07:30', '11:30']] },
      };
      const r = await api('ld79').request('PUT', path(SAI_GON), saturdays);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.inheritedFrom, null);
      const open = await t.services.workingCalendars.forUnit('2025', SAI_GON);
      // Saturday 9 May 2026 at 08:00: the ward is open, 2 hours later is 10:00 the same day.
      assert.equal(
        vn(addWorkingTime(open, vnTime('2026-05-09T08:00'), { hours: 2 })),
        '2026-05-09 10:00',
      );

      const d = await api('ld79').request('DELETE', path(SAI_GON));
      assert.equal(d.status, 200, d.text);
      assert.equal(d.json.inheritedFrom.code, '79');
      assert.equal(await audited('working_calendar.clear'), 1);
      const closed = await t.services.workingCalendars.forUnit('2025', SAI_GON);
      assert.equal(
        vn(addWorkingTime(closed, vnTime('2026-05-09T08:00'), { hours: 2 })),
        '2026-05-11 09:30',
      );
      // Again: nothing to remove, the same answer, nothing audited.
      const again = await api('ld79').request('DELETE', path(SAI_GON));
      assert.equal(again.status, 200, again.text);
      assert.equal(await audited('working_calendar.clear'), 1);
      // The nation's is set, never removed.
      const nation = await api('admin').request('DELETE', path('VN'));
      assert.equal(nation.status, 400, nation.text);
      assert.match(nation.json.error.messages.en, /cannot be removed/);
      assert.match(nation.json.error.messages.vi, /Không xóa được lịch làm việc của cả nước/);
    });

    it('the nation’s calendar, set by a national admin, reaches every unit without its own', async () => {
      const r = await api('admin').request('PUT', path('VN'), {
        ...VN_NATIONAL,
        holidays: [...VN_NATIONAL.holidays, '2026-06-01'],
      });
      assert.equal(r.status, 200, r.text);
      const other = await t.services.workingCalendars.forUnit('2025', HAI_VAN);
      assert.ok(other.spec.holidays.includes('2026-06-01'));
      const ward = await t.services.workingCalendars.forUnit('2025', SAI_GON);
      assert.ok(!ward.spec.holidays.includes('2026-06-01'), 'the city’s own calendar applies');
      await assert.rejects(t.services.workingCalendars.forUnit('2025', '99999'), /unit/);
    });
  });
}

const VN_NATIONAL = {
  week: VN_CIVIL_SERVICE_WEEK,
  holidays: [...VN_CIVIL_SERVICE_DAYS_OFF_2026.holidays],
  extraWorkingDays: [...VN_CIVIL_SERVICE_DAYS_OFF_2026.extraWorkingDays],
};
