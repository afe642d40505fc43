import type { Store } from '../db/store.ts';
import type { StoredPeriodRow } from '../db/sector.repo.ts';
import { can, isRootScope, type Actor } from '../domain/access.ts';
import { AppError, errors } from '../domain/errors.ts';
import { ROOT_CODE } from '../domain/hierarchy.ts';
import {
  comparePeriods,
  formatPeriodEn,
  formatPeriodVi,
  parsePeriod,
  previousPeriod,
  samePeriodLastYear,
  type Period,
  type PeriodType,
} from '../domain/period.ts';
import { SECTOR_NAMES, SECTOR_PAGES, type SectorCode } from '../domain/sector.ts';
import type { SectorDetail, SectorList, SectorPeriod } from '../contract/sector.ts';
import type { PrintedFigureService } from './printed-figure.service.ts';

/**
 * The sector pages of the monthly briefing ("Tổng quan các lĩnh vực"): which elements a sector
 * has, which months hold its national values, and for a month the figures to show — each at
 * the period it was reported for, so the page can ask analytics for exactly those cells.
 */

/**
 * A figure of a month. placement — month: the element's values within the month, aggregated to
 * it; within: the one shorter period inside the month the value was reported for ("tính đến ngày
 * 20/01/2022"); span: a period reaching beyond the month that ends in it, or a short one across
 * its edge ("8 tháng đầu năm", the Tết week), shown with its own period.
 *
 * A change (`yoy`, `prev`) is only meaningful against a like period: for a figure reported for
 * its own period (a day, the Tết week, "8 tháng đầu năm"), a value stored for exactly the same
 * span earlier; for a month, a month that is complete. Analytics sums whatever lies inside the
 * earlier period (a half-year inside eight months), so the page shows its computed change only
 * where `comparable`, and otherwise the change the source printed (`reported`), if any.
 */
type SectorFigure = SectorDetail['figures'][number];
type SectorElement = SectorDetail['elements'][number];
/** A sector in the list: how many elements it has and the month its page opens on. */
type SectorSummary = SectorList['items'][number];

const info = (p: Period): SectorPeriod => ({
  id: p.id,
  type: p.type,
  start: p.start,
  end: p.end,
  labelVi: formatPeriodVi(p),
  labelEn: formatPeriodEn(p),
});

const toPeriod = (r: StoredPeriodRow): Period => ({
  id: r.pid,
  type: r.type as PeriodType,
  start: r.start_date,
  end: r.end_date,
});

const DAY_MS = 86_400_000;
const days = (p: Period) => (Date.parse(p.end) - Date.parse(p.start)) / DAY_MS + 1;
const monthOf = (iso: string) => iso.slice(0, 7);

/**
 * The months a stored period belongs to on the sector pages: the month it lies in; a period
 * longer than a month (a half-year, "8 tháng đầu năm", year to date) the month it ends in,
 * where the report giving it was written; a short period across a month's edge (the Tết week
 * 29/1–5/2) both months it touches.
 */
export function monthsOfPeriod(p: Period): string[] {
  const first = monthOf(p.start);
  const last = monthOf(p.end);
  if (first === last) return [last];
  return days(p) <= 31 ? [first, last] : [last];
}

interface Planned {
  figure: SectorFigure;
  /** the stored periods the figure is made of */
  pids: string[];
  /** a change the source printed with no value: shown, but no reason to open a page on */
  printedOnly: boolean;
}

interface MonthPlan {
  period: Period;
  figures: Planned[];
}

/**
 * The figures of one month: per element, its values within the month (one figure at the month,
 * or at the single shorter period they were reported for), then each period reaching beyond
 * the month with its own period.
 */
function planMonth(
  m: Period,
  rows: PlannedPeriod[],
  elementOrder: string[],
  storedOf: (element: string) => Set<string>,
): Planned[] {
  const printedOnly = (element: string, pids: string[]) =>
    pids.every((pid) => rows.some((r) => r.element === element && r.pid === pid && r.printedOnly));
  const out: Planned[] = [];
  const options = (rs: StoredPeriodRow[]) => [...new Set(rs.flatMap((r) => r.options))].sort();
  for (const element of elementOrder) {
    const mine = rows.filter((r) => r.element === element);
    if (mine.length === 0) continue;
    const inside = mine.filter((r) => r.start_date >= m.start && r.end_date <= m.end);
    const spans = mine.filter((r) => !inside.includes(r));
    const only = inside.length === 1 ? inside[0]! : undefined;
    if (only && only.pid !== m.id) {
      out.push({
        figure: figure(element, toPeriod(only), 'within', null, options(inside)),
        pids: [only.pid],
        printedOnly: printedOnly(element, [only.pid]),
      });
    } else if (inside.length > 0) {
      const lastEnd = inside.reduce((a, r) => (r.end_date > a ? r.end_date : a), m.start);
      const pids = inside.map((r) => r.pid);
      out.push({
        figure: figure(element, m, 'month', lastEnd < m.end ? lastEnd : null, options(inside)),
        pids,
        printedOnly: printedOnly(element, pids),
      });
    }
    for (const r of spans.sort((a, b) => comparePeriods(toPeriod(a), toPeriod(b))))
      out.push({
        figure: figure(element, toPeriod(r), 'span', null, r.options),
        pids: [r.pid],
        printedOnly: r.printedOnly === true,
      });
  }
  for (const { figure: f } of out) {
    const p = parsePeriod(f.period.id);
    const like = (earlier: Period) =>
      f.placement === 'month' ? f.through === null : storedOf(f.element).has(earlier.id);
    const yoy = samePeriodLastYear(p);
    const prev = previousPeriod(p);
    f.yoy = { period: yoy.id, comparable: like(yoy), reported: null, qualifier: null };
    f.prev = { period: prev.id, comparable: like(prev), reported: null, qualifier: null };
  }
  const rank = { month: 0, within: 0, span: 1 } as const;
  // stable: element order within each group
  return out.sort((a, b) => rank[a.figure.placement] - rank[b.figure.placement]);
}

/** A stored period, or one at which the source printed only a change (`printedOnly`). */
type PlannedPeriod = StoredPeriodRow & { printedOnly?: boolean };

/** The stored periods and, where nothing is stored, those with only a printed change. */
function withPrintedOnly(stored: StoredPeriodRow[], printed: StoredPeriodRow[]): PlannedPeriod[] {
  const held = new Set(stored.map((r) => `${r.element}|${r.pid}`));
  return [
    ...stored,
    ...printed
      .filter((r) => !held.has(`${r.element}|${r.pid}`))
      .map((r) => ({ ...r, printedOnly: true })),
  ];
}

/** Every month holding values or printed changes, newest first, with its figures. */
function planMonths(rows: PlannedPeriod[], elementOrder: string[]): MonthPlan[] {
  const stored = new Map<string, Set<string>>();
  for (const r of rows) stored.set(r.element, (stored.get(r.element) ?? new Set()).add(r.pid));
  const storedOf = (element: string) => stored.get(element) ?? new Set<string>();
  const byMonth = new Map<string, PlannedPeriod[]>();
  for (const r of rows)
    for (const m of monthsOfPeriod(toPeriod(r))) byMonth.set(m, [...(byMonth.get(m) ?? []), r]);
  return [...byMonth.keys()]
    .sort()
    .reverse()
    .map((id) => {
      const period = parsePeriod(id);
      return { period, figures: planMonth(period, byMonth.get(id)!, elementOrder, storedOf) };
    });
}

/**
 * The month a page opens on: the newest with figures of its own, not one that only holds the
 * tail of a period begun the month before (the Tết week in February).
 */
const defaultMonth = (plans: MonthPlan[]) =>
  plans.find((m) => m.figures.some((f) => f.figure.placement !== 'span' && !f.printedOnly)) ??
  plans[0];

export class SectorService {
  constructor(
    private readonly store: Store,
    private readonly printed: PrintedFigureService,
  ) {}

  /** The nation's units (one per tree), which national figures are stored at. */
  private async nation(actor: Actor): Promise<number[]> {
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    // The briefing's figures are the nation's; a narrower scope may not read them.
    if (!isRootScope(actor.scope)) throw errors.outOfScope(ROOT_CODE);
    return this.store.repos.sectors.nationalUnitIds(ROOT_CODE);
  }

  /** The sectors' stored periods and those holding only a printed change. */
  private async periods(sectors: string[], units: number[]): Promise<PlannedPeriod[]> {
    return withPrintedOnly(
      await this.store.repos.sectors.storedPeriods(sectors, units),
      await this.store.repos.sectors.printedOnlyPeriods(sectors, units),
    );
  }

  /** Every sector page with how many elements it has and the month it opens on. */
  async list(actor: Actor): Promise<SectorSummary[]> {
    const units = await this.nation(actor);
    const rows = await this.periods([...SECTOR_PAGES], units);
    const out: SectorSummary[] = [];
    for (const code of SECTOR_PAGES) {
      const elements = (await this.store.repos.sectors.sectorElements(code)).map((e) => e.code);
      const plans = planMonths(
        rows.filter((r) => r.sector === code),
        elements,
      );
      out.push({
        code,
        nameVi: SECTOR_NAMES[code].vi,
        nameEn: SECTOR_NAMES[code].en,
        elements: elements.length,
        latestMonth: defaultMonth(plans)?.period.id ?? null,
        months: plans.length,
      });
    }
    return out;
  }

  /** A sector's page for a month (default: its newest month with figures of its own). */
  async detail(actor: Actor, code: string, month?: string): Promise<SectorDetail> {
    const sector = sectorCode(code);
    const asked = month === undefined || month === '' ? undefined : monthPeriod(month);
    const units = await this.nation(actor);

    const elementRows = await this.store.repos.sectors.sectorElements(sector);
    const optionRows = await this.store.repos.sectors.breakdownOptions([
      ...new Set(elementRows.flatMap((e) => (e.breakdown_code ? [e.breakdown_code] : []))),
    ]);
    const elements: SectorElement[] = elementRows.map((e) => ({
      code: e.code,
      nameVi: e.name_vi,
      nameEn: e.name_en,
      unit: e.unit,
      valueType: e.value_type,
      aggTime: e.agg_time,
      direction: e.direction,
      description: e.description,
      breakdown: e.breakdown_code
        ? {
            code: e.breakdown_code,
            nameVi: e.breakdown_name_vi!,
            nameEn: e.breakdown_name_en!,
            options: optionRows
              .filter((o) => o.breakdown_code === e.breakdown_code)
              .map((o) => ({ code: o.code, nameVi: o.name_vi, nameEn: o.name_en })),
          }
        : null,
    }));
    const order = elements.map((e) => e.code);
    const stored = await this.periods([sector], units);
    const plans = planMonths(stored, order);
    const chosen = asked
      ? {
          period: asked,
          figures: plans.find((m) => m.period.id === asked.id)?.figures ?? [],
        }
      : defaultMonth(plans);
    const found = chosen?.figures ?? [];

    const notes = await this.store.repos.sectors.valueNotes(sector, units, [
      ...new Set(found.flatMap((f) => f.pids)),
    ]);
    for (const { figure: f, pids } of found) {
      const mine = notes.filter((n) => n.element === f.element && pids.includes(n.pid));
      f.estimate = mine.some((n) => n.estimate);
      f.notes = [...new Set(mine.flatMap((n) => n.comments))].sort();
      const own = mine.find((n) => n.pid === f.period.id);
      f.yoy.reported = own?.reported_yoy ?? null;
      f.prev.reported = own?.reported_prev ?? null;
    }
    // What the article printed beyond the value: "hơn", "khoảng", and its changes' qualifiers.
    const printed = await this.printed.printedFigures({
      elements: [...new Set(found.map((f) => f.figure.element))],
      unit: { code: ROOT_CODE },
      periods: [...new Set(found.map((f) => f.figure.period.id))],
    });
    for (const { figure: f } of found) {
      const p = printed.find(
        (x) => x.element === f.element && x.period === f.period.id && x.option === null,
      );
      if (!p) continue;
      // A change printed with no value, or of a total whose parts carry the values.
      f.yoy.reported ??= p.reportedYoyPct;
      f.prev.reported ??= p.reportedPrevPct;
      // Where no stored value carries the article's words, the printed figure does.
      if (f.notes.length === 0 && p.source) f.notes = [p.source];
      f.qualifier = p.qualifier;
      f.yoy.qualifier = p.yoyQualifier;
      f.prev.qualifier = p.prevQualifier;
    }

    return {
      sector: { code: sector, nameVi: SECTOR_NAMES[sector].vi, nameEn: SECTOR_NAMES[sector].en },
      orgUnit: ROOT_CODE,
      months: plans.map((m) => ({ ...pick(info(m.period)), figures: m.figures.length })),
      month: chosen ? info(chosen.period) : null,
      elements,
      figures: found.map((f) => f.figure),
    };
  }
}

function figure(
  element: string,
  p: Period,
  placement: SectorFigure['placement'],
  through: string | null,
  options: string[],
): SectorFigure {
  return {
    element,
    period: info(p),
    placement,
    through,
    options: options.filter((o) => o !== 'default'),
    estimate: false,
    qualifier: null,
    notes: [],
    yoy: { period: '', comparable: false, reported: null, qualifier: null },
    prev: { period: '', comparable: false, reported: null, qualifier: null },
  };
}

const pick = (p: SectorPeriod) => ({ id: p.id, labelVi: p.labelVi, labelEn: p.labelEn });

function sectorCode(code: string): SectorCode {
  if ((SECTOR_PAGES as readonly string[]).includes(code)) return code as SectorCode;
  const known = SECTOR_PAGES.map((s) => `${s} (${SECTOR_NAMES[s].vi})`).join(', ');
  throw new AppError(
    'not_found',
    {
      vi: `Không có lĩnh vực "${code}". Các lĩnh vực: ${known}`,
      en: `No sector "${code}". Sectors: ${SECTOR_PAGES.map((s) => `${s} (${SECTOR_NAMES[s].en})`).join(', ')}`,
    },
    { sector: code, sectors: SECTOR_PAGES },
  );
}

function monthPeriod(input: string): Period {
  let p: Period | undefined;
  try {
    p = parsePeriod(input);
  } catch {
    p = undefined;
  }
  if (!p || p.type !== 'month')
    throw new AppError(
      'validation_failed',
      {
        vi: `Tháng không hợp lệ: "${input}". Viết tháng theo dạng năm-tháng, ví dụ 2022-01`,
        en: `Invalid month: "${input}". Write a month as year-month, e.g. 2022-01`,
      },
      { month: input },
    );
  return p;
}
