/**
 * `GET /api/outlierDetection` (issue 17) on both engines: the numbers the API computes in SQL
 * equal simple-statistics' on the same values (mean, population SD, median, MAD, z, modified z,
 * the seasonal baseline's median and MAD), planted slips are found, min–max ranges set and
 * removed, bad input refused in Vietnamese and English, and the caller's scope kept.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import * as ss from 'simple-statistics';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import type { OutlierResponse, OutlierValue } from '../contract/outlier.ts';
import { isScaleSlip, seasonShape, seasonSlot, slotsNear } from '../domain/outlier.ts';

const PW = 'Outlier-pw-123';
const EL = 'OUTLIER_FLOW';
const DS = 'OUTLIER_DAILY';
const [A, B]: [string, string] = ['26740', '25747']; // wards of Hồ Chí Minh City (79), 2025 tree
const START = '2025-07-01';
const DAYS = 366; // to 2026-07-01

const dayOf = (i: number) => new Date(Date.parse(`${START}T00:00:00Z`) + i * 86_400_000);
const iso = (i: number) => dayOf(i).toISOString().slice(0, 10);
const dhis2Day = (i: number) => iso(i).replaceAll('-', '');

/** A unit's daily series: a seasonal level, ±8% noise, and the planted slips. */
function series(unit: string, planted: Map<number, number>): number[] {
  let seed = unit === A ? 11 : 23;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: DAYS }, (_, i) => {
    const level = 300 * (2 - Math.cos((2 * Math.PI * i) / 365));
    const v = Math.round(level * (1 + 0.08 * rand()));
    return Math.round(v * (planted.get(i) ?? 1) * 10) / 10;
  });
}
const PLANTED: Record<string, Map<number, number>> = {
  [A]: new Map([
    [40, 10],
    [150, 1000],
  ]),
  [B]: new Map([[220, 0.1]]),
};
const VALUES: Record<string, number[]> = {
  [A]: series(A, PLANTED[A]!),
  [B]: series(B, PLANTED[B]!),
};

const close = (a: number | undefined, b: number, what: string) =>
  assert.ok(
    a !== undefined && Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(b)),
    `${what}: ${a} vs ${b}`,
  );

/** Leave-one-out scale slip, as the API computes it. */
function slips(xs: number[]): boolean[] {
  return xs.map((x, i) => {
    const others = xs.filter((y, j) => j !== i && y !== 0);
    if (others.length === 0) return false;
    const typical = Math.exp(ss.mean(others.map((y) => Math.log(Math.abs(y)))));
    return isScaleSlip(x, typical);
  });
}

for (const engine of testEngines()) {
  describe(`outlier detection on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let province: ApiClient;
    let ouId: Record<string, string> = {};
    let otherCommune = '';

    const detect = async (q: string, c = admin) => {
      const r = await c.get(`/api/outlierDetection?${q}`);
      assert.equal(r.status, 200, r.text);
      return r.json as OutlierResponse;
    };
    const base = `de=${EL}&startDate=${START}&endDate=2026-07-01`;
    const byUnit = (vs: OutlierValue[], unit: string) =>
      vs.filter((v) => v.ou === ouId[unit]).map((v) => ({ ...v, i: dayIndex(v.pe) }));
    const dayIndex = (pe: string) =>
      Math.round(
        (Date.parse(`${pe.slice(0, 4)}-${pe.slice(4, 6)}-${pe.slice(6, 8)}T00:00:00Z`) -
          Date.parse(`${START}T00:00:00Z`)) /
          86_400_000,
      );

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      await t.services.auth.createUser('system', {
        username: 'ol-province',
        password: PW,
        role: 'leader',
        scope: { version: '2025', code: '79' },
      });
      province = ApiClient.for(t.services);
      assert.equal((await province.login('ol-province', PW)).status, 200);
      const m = await admin.post('/api/metadata', {
        dataElements: [
          {
            code: EL,
            nameVi: 'Số lượt khách',
            nameEn: 'Visitors',
            sector: 'ict',
            valueType: 'number',
            aggTime: 'sum',
          },
        ],
        dataSets: [
          {
            code: DS,
            nameVi: 'Báo cáo ngày',
            nameEn: 'Daily report',
            periodType: 'day',
            version: '2025',
            level: 2,
            elements: [EL],
          },
        ],
      });
      assert.equal(m.status, 200, m.text);
      const dataValues = [A, B].flatMap((u) =>
        VALUES[u]!.map((v, i) => ({
          dataElement: EL,
          period: dhis2Day(i),
          orgUnit: u,
          value: String(v),
        })),
      );
      otherCommune = (
        await sql<{ code: string }>`select code from org_unit where version = '2025'
          and kind = 'commune' and path like '/VN/48/%' order by code limit 1`.execute(
          t.database.db,
        )
      ).rows[0]!.code;
      dataValues.push({ dataElement: EL, period: dhis2Day(0), orgUnit: otherCommune, value: '5' });
      const r = await admin.post('/api/data/import', { dataValues });
      assert.equal(r.status, 200, r.text.slice(0, 2000));
      const ids = await sql<{ code: string; id: string }>`select code, coalesce(uid, code) as id
        from org_unit where version = '2025' and code = any(${[A, B, otherCommune]}::text[])`.execute(
        t.database.db,
      );
      ouId = Object.fromEntries(ids.rows.map((x) => [x.code, x.id]));
    });
    after(() => t.close());

    it('Z_SCORE: mean, population SD and z equal simple-statistics; DHIS2’s answer shape', async () => {
      const r = await detect(`${base}&ou=79`);
      assert.equal(r.metadata.algorithm, 'Z_SCORE');
      assert.equal(r.metadata.threshold, 3);
      assert.equal(r.metadata.maxResults, 500);
      assert.equal(r.metadata.count, r.outlierValues.length);
      for (const u of [A, B]) {
        const xs = VALUES[u]!;
        const m = ss.mean(xs);
        const sd = ss.standardDeviation(xs);
        const slip = slips(xs);
        const expected = xs.flatMap((x, i) =>
          Math.abs(ss.zScore(x, m, sd)) >= 3 || slip[i] ? [i] : [],
        );
        const got = byUnit(r.outlierValues, u);
        assert.deepEqual(
          got.map((v) => v.i).sort((a, b) => a - b),
          expected,
          `unit ${u}`,
        );
        for (const v of got) {
          assert.equal(v.value, xs[v.i]);
          close(v.mean, m, 'mean');
          close(v.stdDev, sd, 'population SD');
          close(v.zScore, Math.abs(ss.zScore(v.value, m, sd)), 'z');
          close(v.absDev, Math.abs(v.value - m), 'absDev');
          close(v.lowerBound, m - 3 * sd, 'lower');
          close(v.upperBound, m + 3 * sd, 'upper');
          assert.equal(v.scaleSlip, slip[v.i]);
          assert.equal(v.followup, false);
          assert.equal(
            v.de,
            (await t.services.store.repos.outliers.elementsNamed([EL]))[0]!.uid ?? EL,
          );
          assert.ok(v.deName && v.ouName && v.coc && v.aoc);
        }
      }
      // The 1,000× slip inflates its series' SD: the 10× one hides from the z-score.
      const a = byUnit(r.outlierValues, A).map((v) => v.i);
      assert.ok(a.includes(150) && !a.includes(40));
      assert.ok(byUnit(r.outlierValues, A).find((v) => v.i === 150)!.scaleSlip);
      // Ordered by z-score, highest first.
      const zs = r.outlierValues.map((v) => v.zScore ?? -1);
      assert.deepEqual(
        zs,
        [...zs].sort((x, y) => y - x),
      );
    });

    it('MOD_Z_SCORE: median, MAD and the modified z equal simple-statistics', async () => {
      const r = await detect(`${base}&ou=79&algorithm=MOD_Z_SCORE&threshold=3.5&maxResults=10000`);
      for (const u of [A, B]) {
        const xs = VALUES[u]!;
        const med = ss.median(xs);
        const d = ss.medianAbsoluteDeviation(xs);
        const slip = slips(xs);
        const expected = xs.flatMap((x, i) =>
          (0.6745 * Math.abs(x - med)) / d >= 3.5 || slip[i] ? [i] : [],
        );
        const got = byUnit(r.outlierValues, u);
        assert.deepEqual(
          got.map((v) => v.i).sort((a, b) => a - b),
          expected,
          `unit ${u}`,
        );
        for (const v of got) {
          close(v.median, med, 'median');
          close(v.stdDev, d, 'MAD');
          close(v.zScore, (0.6745 * Math.abs(v.value - med)) / d, 'modified z');
          close(v.lowerBound, med - (3.5 * d) / 0.6745, 'lower');
          assert.equal(v.mean, undefined);
        }
      }
    });

    it('SEASONAL: finds the 10×, 1,000× and ×0.1 slips, not the peak; baseline numbers as simple-statistics', async () => {
      const r = await detect(`${base}&ou=79&algorithm=SEASONAL&maxResults=10000`);
      for (const u of [A, B]) {
        const got = byUnit(r.outlierValues, u);
        assert.deepEqual(
          got.map((v) => v.i).sort((a, b) => a - b),
          [...PLANTED[u]!.keys()].sort((a, b) => a - b),
          `unit ${u}: exactly the planted slips`,
        );
        const xs = VALUES[u]!;
        const { slots, reach } = seasonShape('day');
        for (const v of got) {
          const slot = seasonSlot('day', iso(v.i));
          const baseline = xs.filter((_, j) =>
            slotsNear(seasonSlot('day', iso(j)), slot, slots, reach),
          );
          const med = ss.median(baseline);
          const d = ss.medianAbsoluteDeviation(baseline);
          const spread = Math.max(1.4826 * d, 0.1 * Math.abs(med));
          assert.equal(v.baseline, baseline.length);
          close(v.median, med, 'seasonal median');
          close(v.stdDev, d, 'seasonal MAD');
          close(v.zScore, Math.abs(v.value - med) / spread, 'seasonal score');
        }
      }
      // DHIS2's z-score on the same data misses the 10× and the ×0.1 slips.
      const z = await detect(`${base}&ou=79&maxResults=10000`);
      assert.ok(!byUnit(z.outlierValues, A).some((v) => v.i === 40));
      assert.ok(!byUnit(z.outlierValues, B).some((v) => v.i === 220));
    });

    it('SEASONAL: the baseline of an outlier, to draw: the same points, median and bounds', async () => {
      const r = await detect(`${base}&ou=79&algorithm=SEASONAL&maxResults=10000`);
      const v = byUnit(r.outlierValues, A).find((x) => x.i === 40)!;
      const got = await admin.get(
        `/api/outlierDetection/baseline?de=${v.de}&ou=${v.ou}&pe=${v.pe}&coc=${v.coc}&aoc=${v.aoc}`,
      );
      assert.equal(got.status, 200, got.text);
      const b = got.json as {
        value: number;
        median: number;
        lowerBound: number;
        upperBound: number;
        zScore: number;
        points: { pe: string; start: string; value: number; self: boolean }[];
      };
      // The days of the same season (±1 week of the year), oldest first, the value among them.
      const { slots, reach } = seasonShape('day');
      const slot = seasonSlot('day', iso(40));
      const days = VALUES[A]!.flatMap((x, j) =>
        slotsNear(seasonSlot('day', iso(j)), slot, slots, reach) ? [{ j, x }] : [],
      );
      assert.equal(b.points.length, v.baseline);
      assert.deepEqual(
        b.points.map((p) => [p.pe, p.value, p.self]),
        days.map(({ j, x }) => [dhis2Day(j), x, j === 40]),
      );
      assert.equal(b.value, v.value);
      close(b.median, v.median!, 'median as outlierDetection');
      close(b.lowerBound, v.lowerBound!, 'lower bound');
      close(b.upperBound, v.upperBound!, 'upper bound');
      close(b.zScore, v.zScore!, 'score');
      close(b.median, ss.median(days.map((d) => d.x)), 'median as simple-statistics');
      // Another province's leader may not read a ward of Hồ Chí Minh City's series.
      await t.services.auth.createUser('system', {
        username: 'ol-hanoi',
        password: PW,
        role: 'leader',
        scope: { version: '2025', code: '01' },
      });
      const hanoi = ApiClient.for(t.services);
      assert.equal((await hanoi.login('ol-hanoi', PW)).status, 200);
      const out = await hanoi.get(
        `/api/outlierDetection/baseline?de=${v.de}&ou=${v.ou}&pe=${v.pe}&coc=${v.coc}`,
      );
      assert.equal(out.status, 403, out.text);
      // A period with no value, and one that is no period: clear errors.
      const none = await admin.get(
        `/api/outlierDetection/baseline?de=${EL}&ou=${v.ou}&pe=20200101`,
      );
      assert.equal(none.status, 404, none.text);
      const bad = await admin.get(`/api/outlierDetection/baseline?de=${EL}&ou=${v.ou}&pe=nope`);
      assert.equal(bad.status, 400, bad.text);
      assert.match(bad.text, /không phải một kỳ/);
    });

    it('data range, ordering and maxResults', async () => {
      const r = await detect(
        `${base}&ou=${A}&dataStartDate=2025-07-01&dataEndDate=2025-12-31&maxResults=1&orderBy=MEAN_ABS_DEV`,
      );
      assert.equal(r.outlierValues.length, 1);
      assert.equal(r.metadata.dataStartDate, '2025-07-01');
      const first = VALUES[A]!.slice(0, 184);
      close(r.outlierValues[0]!.mean, ss.mean(first), 'mean over the data range');
      close(r.outlierValues[0]!.stdDev, ss.standardDeviation(first), 'SD over the data range');
      assert.equal(dayIndex(r.outlierValues[0]!.pe), 150);
      const asc = await detect(`${base}&ou=${A}&sortOrder=ASC&algorithm=MOD_Z_SCORE`);
      const zs = asc.outlierValues.map((v) => v.zScore!);
      assert.deepEqual(
        zs,
        [...zs].sort((x, y) => x - y),
      );
      // A data set names its elements.
      const viaDs = await detect(`ds=${DS}&startDate=${START}&endDate=2026-07-01&ou=79`);
      assert.equal(
        viaDs.outlierValues.length,
        (await detect(`${base}&ou=79`)).outlierValues.length,
      );
    });

    it('MIN_MAX: a range set by hand flags what lies outside it; removed again', async () => {
      const range = { source: { id: A }, dataElement: { id: EL }, min: 100, max: 900 };
      const set = await admin.post('/api/minMaxDataElements', range);
      assert.equal(set.status, 201, set.text);
      const r = await detect(`${base}&ou=79&algorithm=MIN_MAX&maxResults=10000`);
      const xs = VALUES[A]!;
      const got = byUnit(r.outlierValues, A);
      const slip = slips(xs);
      assert.deepEqual(
        got.map((v) => v.i).sort((a, b) => a - b),
        xs.flatMap((x, i) => (x < 100 || x > 900 || slip[i] ? [i] : [])),
      );
      for (const v of got) {
        assert.equal(v.lowerBound, 100);
        assert.equal(v.upperBound, 900);
        assert.equal(v.absDev, v.value > 900 ? v.value - 900 : v.value < 100 ? 100 - v.value : 0);
      }
      // B has no range: only its scale slips (none).
      assert.equal(byUnit(r.outlierValues, B).length, 0);
      const audited = await sql<{ n: number }>`select count(*)::int as n from audit_event
        where action = 'outlier.minmax.set'`.execute(t.database.db);
      assert.equal(audited.rows[0]!.n, 1);
      const del = (body: unknown) => admin.request('DELETE', '/api/minMaxDataElements', body);
      assert.equal((await del(range)).status, 200);
      assert.equal((await del(range)).status, 404);
      const bad = await admin.post('/api/minMaxDataElements', { ...range, min: 5, max: 1 });
      assert.equal(bad.status, 400);
      // Generated ranges, DHIS2's way: mean ± 2 · SD; a range set by hand is kept.
      assert.equal((await admin.post('/api/minMaxDataElements', range)).status, 201);
      const repo = t.services.store.repos.outliers;
      const [el] = await repo.elementsNamed([EL]);
      const [vn] = (await repo.unitsNamed('79')).filter((u) => u.version === '2025');
      const written = await repo.generateMinMax(
        { elementIds: [el!.id], unitId: vn!.id, factor: 2 },
        'test',
      );
      assert.equal(written, 1, 'B generated; A kept as set by hand');
      const ranges = await sql<{ code: string; min_value: number; max_value: number }>`
        select u.code, m.min_value, m.max_value from min_max_value m
        join org_unit u on u.id = m.unit_id order by u.code`.execute(t.database.db);
      const byCode = Object.fromEntries(ranges.rows.map((x) => [x.code, x]));
      assert.deepEqual([byCode[A]!.min_value, byCode[A]!.max_value], [100, 900]);
      const xb = VALUES[B]!;
      close(byCode[B]!.min_value, ss.mean(xb) - 2 * ss.standardDeviation(xb), 'generated min');
      close(byCode[B]!.max_value, ss.mean(xb) + 2 * ss.standardDeviation(xb), 'generated max');
      assert.equal((await del(range)).status, 200);
    });

    it('refuses bad input with clear Vietnamese and English errors', async () => {
      const cases: [string, number, string][] = [
        [`${base}&threshold=0`, 400, 'outlier_query_invalid'],
        [`${base}&threshold=-1`, 400, 'outlier_query_invalid'],
        [`${base}&threshold=abc`, 400, 'outlier_query_invalid'],
        [`${base}&threshold=NaN`, 400, 'outlier_query_invalid'],
        [`${base}&threshold=101`, 400, 'outlier_query_invalid'],
        [`${base}&maxResults=10001`, 400, 'outlier_query_invalid'],
        [`${base}&algorithm=MAGIC`, 400, 'outlier_query_invalid'],
        [`de=${EL}&startDate=2014-01-01&endDate=2025-01-01`, 400, 'outlier_query_invalid'],
        [`de=${EL}&startDate=2025-02-01&endDate=2025-01-01`, 400, 'outlier_query_invalid'],
        [`de=${EL}&startDate=2025-02-30&endDate=2025-03-01`, 400, 'outlier_query_invalid'],
        [`de=${EL}&endDate=2025-03-01`, 400, 'outlier_query_invalid'],
        [`startDate=${START}&endDate=2026-07-01`, 400, 'outlier_query_invalid'],
        [`de=NO_SUCH&startDate=${START}&endDate=2026-07-01`, 404, 'outlier_unknown_item'],
        [`ds=NO_SUCH&startDate=${START}&endDate=2026-07-01`, 404, 'outlier_unknown_item'],
        [`${base}&ou=NO_SUCH_UNIT`, 404, 'outlier_unknown_item'],
      ];
      for (const [q, status, code] of cases) {
        const r = await admin.get(`/api/outlierDetection?${q}`);
        assert.equal(r.status, status, `${q}: ${r.text}`);
        const e = (r.json as { error: { code: string; messages: { vi: string; en: string } } })
          .error;
        assert.equal(e.code, code, q);
        assert.ok(e.messages.vi.length > 10 && e.messages.en.length > 10, q);
        assert.notEqual(e.messages.vi, e.messages.en, q);
      }
    });

    it('keeps to the caller’s scope', async () => {
      // Outside the province: refused; inside: answered; by default the caller's own subtree.
      const out = await province.get(`/api/outlierDetection?${base}&ou=${otherCommune}`);
      assert.equal(out.status, 403, out.text);
      assert.equal((out.json as { error: { code: string } }).error.code, 'out_of_scope');
      const own = await detect(base, province);
      assert.ok(own.outlierValues.length > 0);
      assert.ok(own.outlierValues.every((v) => v.ou === ouId[A] || v.ou === ouId[B]));
      const range = { source: { id: otherCommune }, dataElement: { id: EL }, min: 0, max: 1 };
      assert.equal((await province.post('/api/minMaxDataElements', range)).status, 403);
      // Not signed in.
      const anon = ApiClient.for(t.services);
      assert.equal((await anon.get(`/api/outlierDetection?${base}`)).status, 401);
    });
  });
}
