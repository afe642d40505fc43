import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * DHIS2's `filter=` counts its items as one: a filter over units, periods or a breakdown's
 * options answers what asking the combined question directly answers — the parent of those
 * units, the quarter of those months, the element without the breakdown — for flows, stocks,
 * averages and a ratio indicator. Property-based: fast-check generates the values (units,
 * days and months, options, amounts), each run on elements of its own.
 */

/** Ba Đình (01/001) in the 2022 tree and its wards; Hoàn Kiếm (01/002) beside it. */
const DISTRICT = '001';
const OTHER_DISTRICT = '002';
const QUARTER = '2022Q1';
const MONTHS = ['202201', '202202', '202203'];
const DAYS = ['20220105', '20220117', '20220203', '20220228', '20220310', '20220331'];
const SEXES = ['M', 'F', 'X'];

/** One run's elements: a flow with a breakdown, a stock, two averages and a ratio's inputs. */
function metadataOf(run: number) {
  const el = (code: string, aggTime: string, extra: Record<string, string> = {}) => ({
    code: `${code}_${run}`,
    nameVi: `${code} ${run}`,
    nameEn: `${code} ${run}`,
    sector: 'covid',
    valueType: 'number',
    aggTime,
    ...extra,
  });
  return {
    dataElements: [
      el('FLOW', 'sum', { breakdown: 'SEX_F' }),
      el('STOCK', 'last'),
      el('AVG', 'average', { aggUnits: 'average' }),
      el('AVGSUM', 'average'),
      el('NUM', 'sum'),
      el('DEN', 'sum'),
    ],
    indicators: [
      {
        code: `RATIO_${run}`,
        nameVi: `Tỷ lệ ${run}`,
        nameEn: `Ratio ${run}`,
        sector: 'covid',
        formula: `#{NUM_${run}} / #{DEN_${run}} × 100`,
        unit: '%',
      },
    ],
  };
}

interface Row {
  element: string;
  unit: string;
  period: string;
  option?: string;
  value: number;
}

for (const engine of testEngines()) {
  describe(`analytics filters on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let wards: string[] = [];
    let otherWards: string[] = [];
    let run = 0;

    /** The one value of an answer whose every dimension but dx is a filter. */
    const valueOf = async (query: string): Promise<number | null> => {
      const r = await admin.get(`/api/analytics?${query}`);
      assert.equal(r.status, 200, `${query}: ${r.text}`);
      const json = r.json as { headers: { name: string }[]; rows: string[][] };
      const at = json.headers.findIndex((h) => h.name === 'value');
      assert.ok(json.rows.length <= 1, `${query}: one row at most`);
      return json.rows.length ? Number(json.rows[0]![at]) : null;
    };
    const close = (a: number | null, b: number | null, what: string) => {
      if (a === null || b === null) return assert.equal(a, b, what);
      assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);
    };

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      const breakdown = {
        breakdowns: [
          {
            code: 'SEX_F',
            nameVi: 'Giới tính',
            nameEn: 'Sex',
            options: SEXES.map((code) => ({ code, nameVi: code, nameEn: code })),
          },
        ],
      };
      assert.equal((await admin.post('/api/metadata', breakdown)).status, 200);
      const children = async (code: string) => {
        const r = await admin.get(`/api/orgunits/${code}/children?version=2022&limit=1000`);
        assert.equal(r.status, 200, r.text);
        return (r.json as { items: { code: string }[] }).items.map((u) => u.code);
      };
      wards = await children(DISTRICT);
      otherWards = await children(OTHER_DISTRICT);
      assert.ok(wards.length >= 10 && otherWards.length >= 10);
    });
    after(() => t.close());

    // Values at wards of both districts, on days and months of the first quarter.
    const rowsArb = () =>
      fc.uniqueArray(
        fc.record({
          element: fc.constantFrom('FLOW', 'STOCK', 'AVG', 'AVGSUM', 'NUM', 'DEN'),
          unit: fc.oneof(fc.constantFrom(...wards.slice(0, 6)), fc.constantFrom(...otherWards)),
          period: fc.constantFrom(...DAYS, ...MONTHS),
          option: fc.constantFrom(...SEXES),
          value: fc.integer({ min: 1, max: 1000 }),
        }),
        {
          minLength: 1,
          maxLength: 60,
          selector: (r) =>
            `${r.element}|${r.unit}|${r.period}|${r.element === 'FLOW' ? r.option : ''}`,
        },
      );

    it('filters over units, periods and options answer the combined question', async () => {
      await fc.assert(
        fc.asyncProperty(rowsArb(), fc.boolean(), async (generated: Row[], flowByMonth) => {
          // Half the runs keep the flow to months (the days' month), so that its options are
          // at one kind of period (see "two options" below).
          const seen = new Set<string>();
          const rows = generated
            .map((r) =>
              flowByMonth && r.element === 'FLOW' ? { ...r, period: r.period.slice(0, 6) } : r,
            )
            .filter((r) => {
              const key = `${r.element}|${r.unit}|${r.period}|${r.option}`;
              return !seen.has(key) && !!seen.add(key);
            });
          run++;
          const meta = await admin.post('/api/metadata', metadataOf(run));
          assert.equal(meta.status, 200, meta.text);
          const imported = await admin.post('/api/data/import', {
            dataValues: rows.map((r) => ({
              dataElement: `${r.element}_${run}`,
              period: r.period,
              orgUnit: r.unit,
              value: String(r.value),
              ...(r.element === 'FLOW' ? { categoryOptionCombo: r.option } : {}),
            })),
          });
          assert.equal(imported.status, 200, imported.text);
          const dx = (e: string) => `dimension=dx:${e}_${run}`;
          const elements = ['FLOW', 'STOCK', 'AVG', 'AVGSUM', 'NUM', 'DEN', 'RATIO'];
          for (const e of elements) {
            // Units: every ward of the district, as a filter, is the district.
            const district = await valueOf(`${dx(e)}&filter=pe:${QUARTER}&filter=ou:${DISTRICT}`);
            close(
              await valueOf(`${dx(e)}&filter=pe:${QUARTER}&filter=ou:${wards.join(';')}`),
              district,
              `${e}: wards of ${DISTRICT} as a filter`,
            );
            // Periods: the three months, as a filter, are the quarter.
            close(
              await valueOf(`${dx(e)}&filter=pe:${MONTHS.join(';')}&filter=ou:${DISTRICT}`),
              district,
              `${e}: months as a filter`,
            );
            // Both at once, and the district given twice (inside the filter) counts once.
            close(
              await valueOf(
                `${dx(e)}&filter=pe:${MONTHS.join(';')}&filter=ou:${DISTRICT};${wards[0]}`,
              ),
              district,
              `${e}: months and units as filters`,
            );
          }
          // The defect: a ratio over two districts adds its inputs first, then divides.
          const inputs = (e: string) =>
            valueOf(`${dx(e)}&filter=pe:${QUARTER}&filter=ou:${DISTRICT};${OTHER_DISTRICT}`);
          const [num, den] = [await inputs('NUM'), await inputs('DEN')];
          close(
            await valueOf(
              `${dx('RATIO')}&filter=pe:${QUARTER}&filter=ou:${DISTRICT};${OTHER_DISTRICT}`,
            ),
            num === null || den === null || den === 0 ? null : (num / den) * 100,
            'ratio over two districts',
          );
          // Options: every option of the breakdown is the element; two are their sum.
          const flow = `${dx('FLOW')}&filter=pe:${QUARTER}&filter=ou:${DISTRICT};${OTHER_DISTRICT}`;
          close(
            await valueOf(`${flow}&filter=SEX_F:${SEXES.join(';')}`),
            await valueOf(flow),
            'all options',
          );
          const one = async (o: string) =>
            (await valueOf(
              `dimension=dx:FLOW_${run}.${o}&filter=pe:${QUARTER}&filter=ou:${DISTRICT};${OTHER_DISTRICT}`,
            )) ?? 0;
          // Two options are their sum — when the flow is stored at one kind of period: a unit
          // with days and months reads one kind only (analytics.repo.ts, `chosen`), so an
          // option stored by day and another by month are not added together.
          const kinds = new Set(
            rows.filter((r) => r.element === 'FLOW').map((r) => r.period.length),
          );
          if (kinds.size <= 1) {
            const both = (await one('M')) + (await one('F'));
            close(
              await valueOf(`${flow}&filter=SEX_F:M;F`),
              both === 0 ? null : both,
              'two options',
            );
          }
          // An element without that breakdown has no value under its filter.
          close(
            await valueOf(`${dx('NUM')}&filter=pe:${QUARTER}&filter=ou:${DISTRICT}&filter=SEX_F:M`),
            null,
            'element without the breakdown',
          );
        }),
        { numRuns: 6, interruptAfterTimeLimit: 120_000 },
      );
    });

    it('states a ratio over a unit filter as DHIS2 does: 9/10 and 15/30 give 60, not 140', async () => {
      const meta = await admin.post('/api/metadata', metadataOf(0));
      assert.equal(meta.status, 200, meta.text);
      const at = (element: string, unit: string, value: number) => ({
        dataElement: `${element}_0`,
        period: '202201',
        orgUnit: unit,
        value: String(value),
      });
      const imported = await admin.post('/api/data/import', {
        dataValues: [
          at('NUM', '79', 9),
          at('DEN', '79', 10),
          at('NUM', '01', 15),
          at('DEN', '01', 30),
        ],
      });
      assert.equal(imported.status, 200, imported.text);
      assert.equal(await valueOf('dimension=dx:RATIO_0&dimension=pe:202201&filter=ou:79;01'), 60);
      // Comma-joined dimensions, as DHIS2's client sends them.
      assert.equal(await valueOf('dimension=dx:RATIO_0,pe:202201&filter=ou:79;01'), 60);
    });

    it('refuses a breakdown filter with an option it does not have, clearly', async () => {
      const r = await admin.get(
        '/api/analytics?dimension=dx:FLOW_0&dimension=pe:202201&filter=SEX_F:NOPE',
      );
      assert.equal(r.status, 400);
      assert.match(r.text, /no option \\?"NOPE\\?"|không có lựa chọn \\?"NOPE\\?"/);
    });
  });
}
