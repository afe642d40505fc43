/**
 * Builds data/demo/printed.json: what the articles print about a figure beyond the value stored
 * for it (issue 18), read into `printed_figure` by `loadSeedFigures` (src/jobs/demo-data.ts):
 *
 * - the qualifier of a printed number: "khoảng", "~" (about), "gần" (nearly), "hơn", "trên"
 *   (over) — "hơn 700.000 lượt" is not "700.000 lượt";
 * - the printed change of a breakdown's total ("1.383 sự cố …, tăng 10,29% so với tháng
 *   12/2021": the values are stored per option, so no value carries it);
 * - a change printed with no value at all ("doanh thu, sản lượng … tăng trưởng khoảng 30%");
 * - the qualifier of a printed change ("giảm khoảng 23%", "tăng trên 40%").
 *
 * Run: node --import tsx scripts/build-printed-figures.ts [seed figures.json]
 * (default data/seed-figures/figures.json). It reads data/demo/figures.json (built by
 * scripts/build-demo-data.ts) for where each figure's values were placed; the output is
 * committed, and the product reads it, never this script.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { periodContaining } from '../src/domain/period.ts';

const root = new URL('../', import.meta.url);
const seedPath = resolve(
  process.argv[2] ?? fileURLToPath(new URL('data/seed-figures/figures.json', root)),
);

type Qualifier = 'about' | 'nearly' | 'over' | 'under';
interface Flags {
  approx?: boolean;
  lower_bound?: boolean;
}
interface Compare extends Flags {
  basis: string;
  change_pct?: number;
}
interface Part extends Flags {
  value: number;
  value_usd_billion?: number;
}
interface Figure extends Flags {
  id: string;
  period: { start: string | null; end: string; label_vi: string | null };
  value: number | null;
  share_pct?: { value: number; approx?: boolean };
  value_usd_billion?: number;
  breakdown?: Record<string, Part>;
  related?: Record<string, Part>;
  compare?: Compare[];
  source: string;
  quote_vi: string;
}
interface DemoValue {
  figure: string;
  dataElement: string;
  period: string;
  categoryOptionCombo?: string;
  value: string;
  comment: string;
}

/** One row of printed.json: a key of `printed_figure` and what was printed there. */
interface Printed {
  figure: string;
  dataElement: string;
  period: string;
  orgUnit: 'VN';
  /** absent: the element's total */
  categoryOptionCombo?: string;
  qualifier?: Qualifier;
  reportedYoyPct?: number;
  reportedPrevPct?: number;
  yoyQualifier?: Qualifier;
  prevQualifier?: Qualifier;
  source: string;
}

/**
 * Figures printed with a change and no value: the elements the change is of (their period is
 * the figure's). "doanh thu, sản lượng" is postal revenue and the postal items handled.
 */
const CHANGE_ONLY: Record<string, string[]> = {
  'postal.revenue_growth': ['POSTAL_REVENUE', 'POSTAL_ITEMS'],
};

const LEFT_OUT: Record<string, string> = {
  'postal.growth_vs_april_2020':
    'A range of change (5-15%) against a named month (April), not a previous period: no key to sit on.',
  'it.online_services_level4_doubled':
    "A multiple ('tăng gấp đôi'), not a percentage; no value to place it at either.",
};

const seed = JSON.parse(readFileSync(seedPath, 'utf8')) as { figures: Figure[] };
const demo = JSON.parse(readFileSync(new URL('data/demo/figures.json', root), 'utf8')) as {
  values: DemoValue[];
};

const byFigure = new Map<string, DemoValue[]>();
for (const v of demo.values) byFigure.set(v.figure, [...(byFigure.get(v.figure) ?? []), v]);

/** A number as the articles print it: 700.000, 15,7, 2. */
function printedForms(n: number): string[] {
  const [int, frac] = String(Math.abs(n)).split('.') as [string, string | undefined];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const forms = [frac ? `${grouped},${frac}` : grouped];
  if (grouped !== int) forms.push(frac ? `${int},${frac}` : int);
  return forms;
}

const WORDS: [RegExp, Qualifier][] = [
  [/gần\s*$/i, 'nearly'],
  [/(khoảng|~)\s*$/i, 'about'],
  [/(hơn|trên)\s*$/i, 'over'],
  [/dưới\s*$/i, 'under'],
];

/**
 * The qualifier of a number: the word printed before it in the quote ("gần 600.000", "khoảng
 * 23%", "hơn 15 tỷ"), else what the seed's flags say (approx: about; lower_bound: over).
 */
function qualifierOf(quote: string, n: number, flags: Flags): Qualifier | undefined {
  if (!flags.approx && !flags.lower_bound) return undefined;
  for (const form of printedForms(n)) {
    const esc = form.replace(/[.]/g, '\\.');
    const re = new RegExp(`(?<![\\d.,])${esc}(?![\\d]|[.,]\\d)`, 'g');
    for (const m of quote.matchAll(re)) {
      const before = quote.slice(Math.max(0, m.index - 16), m.index);
      const hit = WORDS.find(([w]) => w.test(before));
      if (hit) return hit[1];
    }
  }
  return flags.approx ? 'about' : 'over';
}

/** The period of a figure printed as a calendar month, quarter, half-year or year. */
function calendarPeriod(f: Figure): string {
  const { start, end } = f.period;
  if (!start) throw new Error(`figure ${f.id}: no printed start`);
  for (const type of ['month', 'quarter', 'half', 'year'] as const) {
    const p = periodContaining(start, type);
    if (p.start === start && p.end === end) return p.id;
  }
  throw new Error(`figure ${f.id}: ${start}/${end} is not a calendar period`);
}

/** The printed changes of a figure, against last year and the previous period, with qualifiers. */
function changesOf(f: Figure) {
  const yoy = f.compare?.find((c) => c.basis === 'same period previous year');
  const prev = f.compare?.find(
    (c) => c.basis === 'previous month' || c.basis === 'previous half-year',
  );
  const out: Partial<Printed> = {};
  if (yoy?.change_pct !== undefined) {
    out.reportedYoyPct = yoy.change_pct;
    const q = qualifierOf(f.quote_vi, yoy.change_pct, yoy);
    if (q) out.yoyQualifier = q;
  }
  if (prev?.change_pct !== undefined) {
    out.reportedPrevPct = prev.change_pct;
    const q = qualifierOf(f.quote_vi, prev.change_pct, prev);
    if (q) out.prevQualifier = q;
  }
  return out;
}

const rows: Printed[] = [];
const leftOut: { figure: string; why: string }[] = [];
const at = (f: Figure, v: Pick<DemoValue, 'dataElement' | 'period' | 'categoryOptionCombo'>) => ({
  figure: f.id,
  dataElement: v.dataElement,
  period: v.period,
  orgUnit: 'VN' as const,
  ...(v.categoryOptionCombo ? { categoryOptionCombo: v.categoryOptionCombo } : {}),
  source: `${f.source}: "${f.quote_vi}"`,
});
const push = (row: Printed) => {
  // A row that says nothing beyond the stored value is not written.
  const said = Object.keys(row).some((k) =>
    ['qualifier', 'reportedYoyPct', 'reportedPrevPct'].includes(k),
  );
  if (said) rows.push(row);
};

for (const f of seed.figures) {
  const values = byFigure.get(f.id) ?? [];
  const changes = changesOf(f);
  if (values.length === 0) {
    const elements = CHANGE_ONLY[f.id];
    if (elements && Object.keys(changes).length) {
      const period = calendarPeriod(f);
      for (const dataElement of elements) push({ ...at(f, { dataElement, period }), ...changes });
    } else if (LEFT_OUT[f.id]) leftOut.push({ figure: f.id, why: LEFT_OUT[f.id]! });
    continue;
  }
  const parts = values.filter((v) => / \| part: /.test(v.comment));
  const qualifier = f.value === null ? undefined : qualifierOf(f.quote_vi, f.value, f);
  if (parts.length) {
    // The total is the sum of its stored parts: its qualifier and printed changes sit here.
    const { dataElement, period } = parts[0]!;
    push({ ...at(f, { dataElement, period }), ...(qualifier ? { qualifier } : {}), ...changes });
    for (const v of parts) {
      const name = / \| part: (\w+)/.exec(v.comment)![1]!;
      const part = f.breakdown?.[name];
      const q = part && qualifierOf(f.quote_vi, part.value, part);
      if (q) push({ ...at(f, v), qualifier: q });
    }
  } else {
    // The first value of a figure is its own (build-demo-data.ts writes earlier values and
    // secondary numbers after it). Its printed changes are stored with it; they are repeated
    // here only where a qualifier goes with them.
    const own = values[0]!;
    const qualified = changes.yoyQualifier || changes.prevQualifier ? changes : {};
    push({ ...at(f, own), ...(qualifier ? { qualifier } : {}), ...qualified });
  }
  // Secondary numbers stored as values of their own elements (`| share_pct`, `| related.x` …).
  for (const v of values) {
    const from =
      / \| ((?:share_pct|value_usd_billion|breakdown_usd|breakdown|related)(?:\.\w+)?)/.exec(
        v.comment,
      )?.[1];
    if (!from) continue;
    const [kind, name] = from.split('.') as [string, string | undefined];
    let q: Qualifier | undefined;
    if (kind === 'share_pct' && f.share_pct)
      q = qualifierOf(f.quote_vi, f.share_pct.value, f.share_pct);
    // "(~ 9,6 tỷ USD)": the USD equivalent is approximate by definition.
    else if (kind === 'value_usd_billion' || kind === 'breakdown_usd') q = 'about';
    else if (name) {
      const part = (kind === 'related' ? f.related : f.breakdown)?.[name];
      if (part) q = qualifierOf(f.quote_vi, part.value, part);
    }
    if (q) push({ ...at(f, v), qualifier: q });
  }
}

const doc = {
  about:
    'What the articles print about a figure beyond its stored value (issue 18): qualifiers of printed numbers (about: khoảng, ~; nearly: gần; over: hơn, trên), printed changes of breakdown totals and of figures printed with no value, and qualifiers of printed changes. Built by scripts/build-printed-figures.ts from the seed figures and data/demo/figures.json; loaded into printed_figure by loadSeedFigures (src/jobs/demo-data.ts).',
  rows,
  leftOut,
};
writeFileSync(new URL('data/demo/printed.json', root), `${JSON.stringify(doc, null, 1)}\n`);
console.log(`${rows.length} printed figures, ${leftOut.length} left out`);
