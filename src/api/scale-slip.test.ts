/**
 * Scale slips checked on arrival (issue 17): a value 100× or more above or below the typical
 * magnitude (geometric mean, checked with simple-statistics) of the same unit's recent values,
 * beyond three of their spreads in log space,
 * is kept and flagged by the save that wrote it, with why, in the summary, on the data quality
 * list, in dataValueSets' followup and in a follow-up task; a 50× change, a zero, a series with
 * too little history are not; the flag goes when the value is corrected and its task closes; a
 * write too large to be checked keeps a slip re-sent and drops one whose value changed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ss from 'simple-statistics';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

const A = '26740';
const B = '25747';

interface WebMessage {
  response: {
    status: string;
    description: string;
    importCount: { imported: number; updated: number };
    validationViolations?: { violations: number; outliers?: number; scaleSlips?: number };
  };
}

interface Listed {
  valueOutliers: {
    dataElement: string;
    orgUnit: string;
    period: string;
    value: number;
    kind: string;
    min: number | null;
    max: number | null;
    state: string;
    taskId: number | null;
  }[];
}

for (const engine of testEngines()) {
  describe(`scale slips flagged on arrival on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      const r = await admin.post('/api/metadata', {
        dataElements: [
          {
            code: 'SS_REV',
            nameVi: 'Doanh thu SS',
            nameEn: 'SS revenue',
            sector: 'ict',
            valueType: 'number',
            aggTime: 'sum',
          },
        ],
      });
      assert.equal(r.status, 200, r.text);
    });
    after(() => t.close());

    const save = async (values: [string, string, string][]) => {
      const r = await admin.post('/api/dataValueSets?importStrategy=CREATE_AND_UPDATE', {
        dataValues: values.map(([orgUnit, period, value]) => ({
          dataElement: 'SS_REV',
          orgUnit,
          period,
          value,
        })),
      });
      assert.equal(r.status, 200, r.text);
      return (r.json as WebMessage).response;
    };
    const listed = async () => {
      const r = await admin.get('/api/valueOutliers?ou=VN&state=all');
      assert.equal(r.status, 200, r.text);
      return (r.json as Listed).valueOutliers.filter((f) => f.dataElement === 'SS_REV');
    };
    const history = [1992, 1850, 2100, 1760, 2040, 1905];

    it('keeps and flags a thousandfold slip, with the band it left', async () => {
      const first = await save(history.map((v, i) => [A, `2026-0${i + 1}`, String(v)]));
      assert.equal(first.status, 'SUCCESS', first.description);
      assert.equal(first.validationViolations, undefined);

      // 1,992 written as 1,992,000 (đồng for thousand đồng): 1000× the series.
      const r = await save([[A, '2026-07', '1992000']]);
      assert.equal(r.status, 'WARNING');
      assert.equal(r.importCount.imported, 1);
      assert.equal(r.validationViolations?.scaleSlips, 1);
      assert.equal(r.validationViolations?.outliers, undefined);
      assert.match(r.description, /1 giá trị lệch từ 100 lần trở lên.*nghi nhầm đơn vị/);
      const [f, ...rest] = await listed();
      assert.equal(rest.length, 0);
      assert.equal(f?.kind, 'scale_slip');
      assert.equal(f?.period, '2026-07');
      assert.equal(f?.value, 1992000);
      // The band: 100× the typical magnitude (geometric mean), widened by three of the
      // series' spreads in log space (population SD of ln y).
      const typical = ss.geometricMean(history);
      const widen = 100 * Math.exp(3 * ss.standardDeviation(history.map(Math.log)));
      assert.ok(widen > 100 && widen < 130, String(widen));
      assert.ok(Math.abs(f.min! - typical / widen) < 1e-9 * typical);
      assert.ok(Math.abs(f.max! - typical * widen) < 1e-6 * typical * widen);
      assert.ok(f?.taskId, 'a follow-up task for the unit');
      const task = await t.database.db
        .selectFrom('task')
        .select(['title', 'status', 'unit_code'])
        .where('id', '=', f.taskId)
        .executeTakeFirstOrThrow();
      assert.equal(task.unit_code, A);
      assert.match(task.title, /Doanh thu SS \(1 giá trị nghi nhầm đơn vị\/thang đo\)/);

      const out = await admin.get(
        `/api/dataValueSets?dataElement=SS_REV&startDate=2026-01-01&endDate=2026-07-31&orgUnit=${A}&idScheme=code&format=json`,
      );
      assert.equal(out.status, 200, out.text);
      const followup = (
        out.json as { dataValues: { period: string; followup: boolean }[] }
      ).dataValues
        .filter((v) => v.followup)
        .map((v) => v.period);
      assert.deepEqual(followup, ['202607']);
      // The figure read through analytics carries the flag and why (the room's tiles, the map).
      const cells = await admin.get(
        `/api/analytics?dimension=dx:SS_REV&dimension=pe:2026-07&dimension=ou:${A}`,
      );
      assert.equal(cells.status, 200, cells.text);
      const flags = (
        cells.json as {
          metaData: {
            opsroom?: {
              flags?: {
                ou: string;
                reasons: { rule: string; importance: string; left: number }[];
              }[];
            };
          };
        }
      ).metaData.opsroom?.flags;
      assert.deepEqual(
        flags?.map((f) => [f.ou, f.reasons.map((r) => [r.rule, r.importance, r.left])]),
        [[A, [['SCALE_SLIP', 'HIGH', 1992000]]]],
      );
    });

    it('flags a slip below; not a 50× change, a zero, an outbreak of small counts nor a short series', async () => {
      // A slip below: 1/1000 of the series (the slip above, still open, is not part of it).
      const below = await save([[A, '2026-08', '1.9']]);
      assert.equal(below.validationViolations?.scaleSlips, 1, below.description);
      const r = await save([
        [A, '2026-09', String(1950 * 50)],
        [A, '2026-10', '0'],
        [B, '2026-01', '10'],
        [B, '2026-02', '10000'],
      ]);
      assert.equal(r.validationViolations, undefined, r.description);
      // Small counts (a commune's cases: 1–12 a month) vary widely: their outbreak month,
      // 150× the usual, is within their own spread.
      const counts = await save(
        [3, 1, 7, 12, 2, 5].map(
          (v, i) => ['79', `2026-0${i + 1}`, String(v)] as [string, string, string],
        ),
      );
      assert.equal(counts.validationViolations, undefined, counts.description);
      const outbreak = await save([['79', '2026-07', '600']]);
      assert.equal(outbreak.validationViolations, undefined, outbreak.description);
      assert.deepEqual((await listed()).map((f) => [f.period, f.kind]).sort(), [
        ['2026-07', 'scale_slip'],
        ['2026-08', 'scale_slip'],
      ]);
    });

    it('drops the flag of a corrected value and closes its task', async () => {
      const before = (await listed()).find((f) => f.period === '2026-07')!;
      const r = await save([[A, '2026-07', '1992']]);
      assert.equal(r.validationViolations, undefined, r.description);
      assert.deepEqual(
        (await listed()).map((f) => f.period),
        ['2026-08'],
      );
      const task = await t.database.db
        .selectFrom('task')
        .select('status')
        .where('id', '=', before.taskId!)
        .executeTakeFirstOrThrow();
      // The unit's task stays while 2026-08 is still open on it.
      assert.equal(task.status === 'done', false);
      await save([[A, '2026-08', '1900']]);
      assert.deepEqual(await listed(), []);
      const done = await t.database.db
        .selectFrom('task')
        .select('status')
        .where('id', '=', before.taskId!)
        .executeTakeFirstOrThrow();
      assert.equal(done.status, 'done');
    });

    it('keeps a slip re-sent in a write too large to check, drops it when the value changes', async () => {
      const r = await save([[A, '2026-11', '1992000000']]);
      assert.equal(r.validationViolations?.scaleSlips, 1, r.description);
      // 5,001 other numbers (daily values of B over 2010–2023): the write is not checked for
      // slips, as SCALE_SLIP_MAX_ON_ARRIVAL says.
      const days = Array.from({ length: 5001 }, (_, i) => {
        const d = new Date(Date.UTC(2010, 0, 1 + i)).toISOString().slice(0, 10);
        return [B, d, String(100 + (i % 7))] as [string, string, string];
      });
      const resent = await save([...days, [A, '2026-11', '1992000000']]);
      // The slip written again unchanged is counted, not stored again.
      assert.equal(resent.importCount.imported, 5001, resent.description);
      assert.equal(resent.validationViolations, undefined, resent.description);
      assert.deepEqual(
        (await listed()).map((f) => [f.period, f.value]),
        [['2026-11', 1992000000]],
      );
      const changed = await save([...days, [A, '2026-11', '1992']]);
      assert.equal(changed.validationViolations, undefined, changed.description);
      assert.deepEqual(await listed(), []);
    });
  });
}
