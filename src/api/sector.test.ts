import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadSeedFigures } from '../jobs/demo-data.ts';
import { monthsOfPeriod } from '../services/sector.service.ts';
import { parsePeriod } from '../domain/period.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * The sector pages' API over the demo's seed figures (the MIC articles): the months a sector
 * has values in, the figures of a month at the periods they were reported for, and the values
 * analytics gives for them — January 2022's 1.383 cyberattacks with its parts among them.
 */

interface Figure {
  element: string;
  period: { id: string; type: string; labelVi: string; labelEn: string };
  placement: 'month' | 'within' | 'span';
  through: string | null;
  options: string[];
  estimate: boolean;
  notes: string[];
  yoy: { period: string; comparable: boolean; reported: number | null; qualifier: string | null };
  prev: { period: string; comparable: boolean; reported: number | null; qualifier: string | null };
}

describe('monthsOfPeriod', () => {
  const months = (id: string) => monthsOfPeriod(parsePeriod(id));
  it('places a period in the month it lies in, or the month it ends in', () => {
    assert.deepEqual(months('2022-01'), ['2022-01']);
    assert.deepEqual(months('2022-01-20'), ['2022-01']);
    assert.deepEqual(months('2021-01-01/2021-08-31'), ['2021-08']);
    assert.deepEqual(months('2020-S1'), ['2020-06']);
  });
  it('places a short period across a month edge in both months', () => {
    assert.deepEqual(months('2022-01-29/2022-02-05'), ['2022-01', '2022-02']);
    assert.deepEqual(months('2022-W05'), ['2022-01', '2022-02']);
  });
});

for (const engine of testEngines()) {
  describe(`sector pages on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    const get = async (path: string, c = admin) => {
      const r = await c.get(path);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      return r.json;
    };
    const find = (figures: Figure[], element: string, period?: string) => {
      const f = figures.find((x) => x.element === element && (!period || x.period.id === period));
      assert.ok(
        f,
        `${element} ${period ?? ''} in ${JSON.stringify(figures.map((x) => x.element))}`,
      );
      return f;
    };

    before(async () => {
      t = await openTestDb(engine);
      await loadSeedFigures(t.services);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
    });
    after(() => t?.close());

    it('lists the sectors with the month each opens on', async () => {
      const { items } = await get('/api/sectors');
      assert.deepEqual(
        items.map((s: { code: string }) => s.code),
        ['postal', 'telecom', 'it', 'security', 'ict', 'press', 'covid'],
      );
      const by = Object.fromEntries(items.map((s: { code: string }) => [s.code, s]));
      assert.equal(by.security.nameVi, 'An toàn thông tin');
      // February 2022 holds only the end of the Tết week: January is the newest month of its own.
      assert.equal(by.security.latestMonth, '2022-01');
      assert.equal(by.postal.latestMonth, '2021-08');
      assert.equal(by.covid.latestMonth, '2021-08');
      assert.ok(by.telecom.elements > 10);
    });

    it('January 2022 cybersecurity: 1.383 incidents in three parts, the Tết week beside it', async () => {
      const page = await get('/api/sectors/security?month=2022-01');
      assert.equal(page.sector.nameVi, 'An toàn thông tin');
      assert.equal(page.month.id, '2022-01');
      assert.equal(page.month.labelVi, 'tháng 01/2022');
      assert.equal(page.orgUnit, 'VN');
      assert.deepEqual(
        page.months.map((m: { id: string }) => m.id),
        ['2022-02', '2022-01', '2021-08', '2021-01', '2020-07', '2020-06'],
      );
      const attacks = find(page.figures, 'CYBERATTACKS', '2022-01');
      assert.equal(attacks.placement, 'month');
      assert.deepEqual(attacks.options, ['DEFACE', 'MALWARE', 'PHISHING']);
      // The change of the total the article printed ("tăng 10,29% so với tháng 12/2021"): its
      // printed figure, which analytics also answers with (a reported change).
      assert.deepEqual(attacks.prev, {
        period: '2021-12',
        comparable: true,
        reported: 10.29,
        qualifier: null,
      });
      // The article's own words come with the values, with the change it printed.
      assert.ok(attacks.notes.some((n) => n.includes('tăng 10,29% so với tháng 12/2021')));
      const tet = find(page.figures, 'CYBERATTACKS', '2022-01-29/2022-02-05');
      assert.equal(tet.placement, 'span');
      assert.equal(tet.period.labelVi, 'từ 29/01/2022 đến 05/02/2022');
      assert.deepEqual(tet.options, ['ATTACK_UNCLASSIFIED']);
      // Figures of the month first, the ones with periods of their own after.
      assert.equal(page.figures.at(-1).placement, 'span');
      const element = page.elements.find((e: { code: string }) => e.code === 'CYBERATTACKS');
      assert.equal(element.unit, 'sự cố');
      assert.equal(element.direction, 'rise_bad', 'more attacks are bad news: the page colours it');
      assert.deepEqual(
        element.breakdown.options.map((o: { code: string }) => o.code),
        ['PHISHING', 'DEFACE', 'MALWARE', 'ATTACK_UNCLASSIFIED'],
      );

      // The values, from analytics at exactly those cells.
      const dx = ['CYBERATTACKS', ...attacks.options.map((o: string) => `CYBERATTACKS.${o}`)];
      const q = await get(`/api/analytics/query?dx=${dx.join(',')}&pe=2022-01&ou=VN`);
      const value = (d: string) => q.items.find((c: { dx: string }) => c.dx === d).value;
      assert.equal(value('CYBERATTACKS'), 1383);
      assert.equal(value('CYBERATTACKS.PHISHING'), 197);
      assert.equal(value('CYBERATTACKS.DEFACE'), 125);
      assert.equal(value('CYBERATTACKS.MALWARE'), 1061);

      const certs = find(page.figures, 'SECURITY_PUBLIC_CERTS_ISSUED', '2022-01');
      assert.deepEqual(certs.yoy, {
        period: '2021-01',
        comparable: true,
        reported: 14.1,
        qualifier: null,
      });
      const c = await get(`/api/analytics/query?dx=${certs.element}&pe=2022-01&ou=VN`);
      // 4.581.000 against 4.014.701 a year earlier: the printed "tăng 14,1%", computed.
      assert.equal(c.items[0].yoy.source, 'computed');
      assert.equal(Number(c.items[0].yoy.pct.toFixed(1)), 14.1);
      const botnet = find(page.figures, 'SECURITY_BOTNET_IPS', '2022-01');
      const b = await get(`/api/analytics/query?dx=${botnet.element}&pe=2022-01&ou=VN`);
      assert.deepEqual(b.items[0].pop, {
        pct: -9.29,
        previous: null,
        source: 'reported',
        period: '2021-12',
      });
    });

    it('opens on the newest month of its own, and a day inside the month keeps its date', async () => {
      const security = await get('/api/sectors/security');
      assert.equal(security.month.id, '2022-01');
      const it_ = await get('/api/sectors/it?month=2022-01');
      const l4 = find(it_.figures, 'IT_ONLINE_SERVICES_L4_ELIGIBLE_PCT');
      assert.equal(l4.placement, 'within');
      assert.equal(l4.period.id, '2022-01-20');
      assert.equal(l4.period.labelVi, 'ngày 20/01/2022');
      assert.equal(l4.yoy.comparable, false);
      assert.equal(l4.yoy.period, '2021-01-20');
      const telecom = await get('/api/sectors/telecom?month=2022-01');
      const revenue = find(telecom.figures, 'TELECOM_REVENUE', '2022-01');
      assert.equal(revenue.estimate, true);
      assert.ok(revenue.notes[0]!.includes('11,496 nghìn tỷ'));
    });

    it('a month reaching back: "8 tháng đầu năm 2021" with its own period', async () => {
      const postal = await get('/api/sectors/postal');
      assert.equal(postal.month.id, '2021-08');
      const revenue = find(postal.figures, 'POSTAL_REVENUE');
      assert.equal(revenue.placement, 'span');
      assert.equal(revenue.period.id, '2021-01-01/2021-08-31');
      assert.equal(revenue.period.labelVi, '8 tháng đầu năm 2021');
      assert.equal(revenue.estimate, true);
      const points = find(postal.figures, 'POSTAL_ESSENTIAL_GOODS_POINTS');
      assert.equal(points.placement, 'within');
      assert.equal(points.period.id, '2021-08-25');
      const q = await get(`/api/analytics/query?dx=POSTAL_REVENUE&pe=${revenue.period.id}&ou=VN`);
      assert.equal(q.items[0].value, 24500);
      // Analytics sums what lies inside the first eight months of 2020 — the half-year 2020-S1
      // alone — so its change is not like for like; the page shows the printed +10% instead.
      assert.equal(q.items[0].yoy.period, '2020-01-01/2020-08-31');
      assert.deepEqual(revenue.yoy, {
        period: '2020-01-01/2020-08-31',
        comparable: false,
        reported: 10,
        qualifier: null,
      });
    });

    it('a month without values is a page with no figures, not an error', async () => {
      const postal = await get('/api/sectors/postal?month=2021-11');
      assert.equal(postal.month.id, '2021-11');
      assert.deepEqual(postal.figures, []);
      assert.ok(postal.months.length > 0);
    });

    it('a change printed with no value is a figure of its month, with the printed change', async () => {
      // jan-2022: "doanh thu, sản lượng của lĩnh vực tăng trưởng khoảng 30% so với cùng kỳ 2021".
      const postal = await get('/api/sectors/postal?month=2022-01');
      assert.equal(postal.month.id, '2022-01');
      for (const element of ['POSTAL_REVENUE', 'POSTAL_ITEMS']) {
        const f = find(postal.figures, element);
        assert.equal(f.placement, 'month');
        assert.deepEqual(f.yoy, {
          period: '2021-01',
          comparable: true,
          reported: 30,
          qualifier: 'about',
        });
        assert.equal(f.prev.reported, null);
        assert.ok(
          f.notes.some((n: string) => n.includes('tăng trưởng khoảng 30% so với cùng kỳ 2021')),
        );
      }
      assert.ok(postal.months.some((m: { id: string }) => m.id === '2022-01'));
      // Nothing stored there: the page still opens on the newest month with values.
      assert.equal((await get('/api/sectors/postal')).month.id, '2021-08');
    });

    it('a month of daily commune values is summed to the month, up to the last day held', async () => {
      const summary = await t.services.dataValues.import(
        'system',
        {
          values: [
            {
              index: 0,
              dataElement: 'SPAM_REPORTS',
              period: '2022-03-05',
              orgUnit: '26740',
              value: '4',
            },
            {
              index: 1,
              dataElement: 'SPAM_REPORTS',
              period: '2022-03-07',
              orgUnit: '26740',
              value: '6',
            },
            {
              index: 2,
              dataElement: 'SPAM_REPORTS',
              period: '2022-03-07',
              orgUnit: '26743',
              value: '1',
            },
          ],
        },
        { atomic: true },
      );
      assert.equal(summary.status, 'SUCCESS', JSON.stringify(summary));
      const telecom = await get('/api/sectors/telecom?month=2022-03');
      const spam = find(telecom.figures, 'SPAM_REPORTS');
      assert.equal(spam.placement, 'month');
      assert.equal(spam.period.id, '2022-03');
      assert.equal(spam.through, '2022-03-07');
      // A month still being reported is not compared with whole months.
      assert.equal(spam.prev.comparable, false);
      const q = await get('/api/analytics/query?dx=SPAM_REPORTS&pe=2022-03&ou=VN');
      assert.equal(q.items[0].value, 11);
      const list = await get('/api/sectors');
      assert.equal(
        list.items.find((s: { code: string }) => s.code === 'telecom').latestMonth,
        '2022-03',
      );
    });

    it('explains an unknown sector, a bad month and a scope that is not the nation', async () => {
      const unknown = await admin.get('/api/sectors/weather');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json.error.code, 'not_found');
      assert.match(unknown.json.error.messages.vi, /Không có lĩnh vực "weather"/);
      assert.match(unknown.json.error.messages.en, /No sector "weather"/);
      const bad = await admin.get('/api/sectors/security?month=2022-13');
      assert.equal(bad.status, 400);
      assert.match(bad.json.error.messages.vi, /Tháng không hợp lệ/);
      const day = await admin.get('/api/sectors/security?month=2022-01-20');
      assert.equal(day.status, 400);

      await t.services.auth.createUser('system', {
        username: 'hcm-leader',
        password: 'Leader-pw-1234',
        role: 'leader',
        scope: { version: '2022', code: '79' },
      });
      const leader = ApiClient.for(t.services);
      await leader.login('hcm-leader', 'Leader-pw-1234');
      const denied = await leader.get('/api/sectors/security');
      assert.equal(denied.status, 403);
      assert.equal(denied.json.error.code, 'out_of_scope');
      const anonymous = await ApiClient.for(t.services).get('/api/sectors');
      assert.equal(anonymous.status, 401);
    });
  });
}
