/**
 * The monthly briefing (issue 18): the national briefing of January 2022 on the 2022 tree, with
 * the Ministry's template (every sector, ~80 lines), built, issued and exported, against reading
 * the same figures through analytics alone, in the same run, on each engine.
 *
 *   npm run bench -- briefing --format md
 *
 * Data: the demo's seed figures (national), and for every line's element a value at each of the
 * 63 provinces for January 2022, December 2021 and January 2021 (so that the annex, one level
 * below the nation, and the comparisons read real values). Cases:
 * - build: a draft written from the data (figures, comparisons, completeness, the annex of 63
 *   provinces), against the analytics query of the same figures (`analytics alone`);
 * - annex: the 63 provinces' values of every line, as the annex asks analytics;
 * - issue: a draft issued (snapshot, number, audit, live event);
 * - each export of the issued briefing: DOCX, XLSX (with the annex sheet), PDF (Chromium, warm),
 *   CSV, JSON.
 * Goals: each export ≤ 1 s, PDF ≤ 3 s, the annex ≤ 2 s. Building, issuing and the annex take a
 * second or so each: they are measured at most MAX_SLOW times. Analytics answers each question
 * afresh (`coalesce` off): otherwise a question repeated within a moment takes the previous
 * answer, and the bench would time a lookup.
 */
import type { Engine } from '../src/db/client.ts';
import type { BriefingFormat } from '../src/contract/briefing.ts';
import { loadSeedFigures } from '../src/jobs/demo-data.ts';
import { briefingYearToDate } from '../src/domain/briefing.ts';
import { parsePeriod } from '../src/domain/period.ts';
import { openTestDb } from '../src/test/harness.ts';
import {
  benchAdmin,
  measureInterleaved,
  type Bench,
  type BenchOptions,
  type Measurement,
} from './lib.ts';

const PERIOD = '2022-01';
const VERSION = '2022';
const MAX_SLOW = 10;

async function runEngine(engine: Engine, opts: BenchOptions): Promise<Measurement[]> {
  const t = await openTestDb(engine);
  try {
    const s = t.services;
    s.analytics.coalesce = false;
    await loadSeedFigures(s);
    const actor = benchAdmin(VERSION);
    const template = await s.briefings.template(actor, 'MIC_MONTHLY');
    const lines = template.sections.flatMap((x) => x.lines);
    const provinces = (
      await s.hierarchy.list(actor, { version: VERSION, level: 1, limit: 100, offset: 0 })
    ).items.map((u) => u.code);
    const values = lines.flatMap((l, i) =>
      provinces.flatMap((p, j) =>
        ['2022-01', '2021-12', '2021-01'].map((pe, k) => ({
          index: (i * provinces.length + j) * 3 + k,
          dataElement: l.item,
          period: pe,
          orgUnit: p,
          value: String(10 + ((i * 7 + j * 13 + k * 3) % 97)),
        })),
      ),
    );
    const imported = await s.dataValues.import('system', { values }, { atomic: false });
    opts.log(
      `${engine}: ${lines.length} lines, ${provinces.length} provinces, ${imported.description.en}`,
    );

    const period = parsePeriod(PERIOD);
    const ytd = briefingYearToDate(period);
    const dx = [...new Set(lines.map((l) => l.item))];
    const create = async () =>
      (
        await s.briefings.create(actor, {
          template: 'MIC_MONTHLY',
          period: PERIOD,
          version: VERSION,
        })
      ).id;
    const issued = await s.briefings.issue(actor, await create());

    const section = `${engine}: national briefing of ${PERIOD}, ${lines.length} lines, annex of ${provinces.length} provinces`;
    const out: Measurement[] = [];
    const push = (
      c: string,
      variant: string,
      st: { iterations: number; rows: number; p50: number; p95: number; max: number },
    ) => out.push({ engine, section, case: c, variant, ...st });

    // Build against the same figures read through analytics alone.
    const [build, alone] = await measureInterleaved(
      [
        async () => {
          await create();
          return 1;
        },
        async () =>
          (
            await s.analytics.query(
              actor,
              { dx, pe: [period.id, ...(ytd ? [ytd.id] : [])], ou: ['VN'], version: VERSION },
              { changes: true },
            )
          ).cells.length,
      ],
      { iterations: Math.min(opts.iterations, MAX_SLOW), warmup: Math.min(opts.warmup, 1) },
    );
    push('build a draft', 'briefing (figures, completeness, annex)', build!);
    push('build a draft', 'analytics alone (baseline)', alone!);

    const [annex] = await measureInterleaved(
      [
        async () =>
          (await s.analytics.query(actor, { dx, pe: [period.id], ou: provinces, version: VERSION }))
            .cells.length,
      ],
      { iterations: Math.min(opts.iterations, MAX_SLOW), warmup: Math.min(opts.warmup, 1) },
    );
    push('annex: 63 provinces × every line', 'analytics', annex!);

    const drafts: number[] = [];
    const slow = {
      iterations: Math.min(opts.iterations, MAX_SLOW),
      warmup: Math.min(opts.warmup, 1),
    };
    for (let i = 0; i < slow.iterations + slow.warmup; i++) drafts.push(await create());
    let next = 0;
    const [issue] = await measureInterleaved(
      [
        async () => {
          await s.briefings.issue(actor, drafts[next++]!);
          return 1;
        },
      ],
      slow,
    );
    push('issue a draft', 'snapshot, number, audit, live event', issue!);

    for (const f of ['docx', 'xlsx', 'pdf', 'csv', 'json'] as BriefingFormat[]) {
      const [e] = await measureInterleaved(
        [async () => (await s.briefings.export(actor, issued.id, f)).bytes.length],
        { iterations: opts.iterations, warmup: Math.max(1, opts.warmup) },
      );
      push('export the issued briefing', f, e!);
    }
    return out;
  } finally {
    await t.close();
  }
}

export const bench: Bench = {
  name: 'briefing',
  title: 'The monthly briefing: build, issue and each export, against analytics alone',
  async run(opts) {
    const results: Measurement[] = [];
    for (const engine of opts.engines) results.push(...(await runEngine(engine, opts)));
    return results;
  },
};
