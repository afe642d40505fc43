/**
 * The monthly briefing's rules (issue 18), pure: which periods a briefing may be of, its year to
 * date, the default template built from the sectors' elements, an analyst's edits laid over a
 * written document, and what differs between two documents (the "changed since issue" marks and
 * a revision's corrections).
 */
import type { BriefingCorrection, BriefingDocument, BriefingFigure } from './briefing-document.ts';
import { AppError } from './errors.ts';
import { parsePeriod, yearToDate, type Period } from './period.ts';
import { SECTOR_NAMES, SECTOR_PAGES } from './sector.ts';

/** The periods a briefing is written for: the month, quarter, half-year, year, or N months to date. */
export function briefingPeriod(input: string): Period {
  let p: Period | undefined;
  try {
    p = parsePeriod(input);
  } catch {
    p = undefined;
  }
  const monthsToDate =
    p?.type === 'range' && p.start.endsWith('-01-01') && isMonthEnd(p.end) && sameYear(p);
  if (!p || !(['month', 'quarter', 'half', 'year'].includes(p.type) || monthsToDate))
    throw new AppError(
      'validation_failed',
      {
        vi: `Kỳ báo cáo không hợp lệ: "${input}". Dùng tháng (2022-01), quý (2022-Q1), 6 tháng (2022-S1), năm (2022) hoặc N tháng đầu năm (2022-01-01/2022-08-31)`,
        en: `Invalid briefing period: "${input}". Use a month (2022-01), a quarter (2022-Q1), a half-year (2022-S1), a year (2022) or the first N months (2022-01-01/2022-08-31)`,
      },
      { period: input },
    );
  return p;
}

function isMonthEnd(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.getUTCDate() === 1;
}
const sameYear = (p: Period) => p.start.slice(0, 4) === p.end.slice(0, 4);

/** The year to date of a briefing's period, or null when it is its own (a year, January, N months to date). */
export function briefingYearToDate(p: Period): Period | null {
  const ytd = yearToDate(p);
  return ytd.start === p.start && ytd.end === p.end ? null : ytd;
}

/** A sector element as the default template needs it. */
export interface TemplateElement {
  code: string;
  sector: string;
  unit: string | null;
  breakdown: boolean;
  aggTime: string;
}

/**
 * The Ministry's briefing over the seven sectors, a line per element with a value, in the
 * sectors' order: the month against the same period last year and the previous month, flows
 * with their year to date, totals with their breakdown.
 */
export function defaultTemplate(elements: TemplateElement[]) {
  return {
    code: 'MIC_MONTHLY',
    nameVi: 'Báo cáo giao ban quản lý nhà nước',
    nameEn: 'Monthly state-management briefing',
    bodyVi: 'BỘ THÔNG TIN VÀ TRUYỀN THÔNG',
    place: 'Hà Nội',
    numberSuffix: 'BC-BTTTT',
    // The planning office writes it on the Minister's behalf (Decree 30: "TL." for an office).
    signer: { authorityVi: 'TL. BỘ TRƯỞNG', titleVi: 'VỤ TRƯỞNG VỤ KẾ HOẠCH - TÀI CHÍNH' },
    recipients: [
      'Bộ trưởng (để báo cáo);',
      'Các Thứ trưởng;',
      'Các cơ quan, đơn vị thuộc Bộ;',
      'Sở TTTT các tỉnh, thành phố trực thuộc TW;',
      'Lưu: VT, KHTC.',
    ],
    sections: SECTOR_PAGES.flatMap((sector) => {
      const mine = elements.filter((e) => e.sector === sector);
      if (mine.length === 0) return [];
      return [
        {
          code: sector,
          titleVi: SECTOR_NAMES[sector].vi,
          titleEn: SECTOR_NAMES[sector].en,
          table: true,
          lines: mine.map((e) => ({
            id: e.code.toLowerCase(),
            item: e.code,
            ...(e.breakdown ? { breakdown: true } : {}),
            compare:
              e.aggTime === 'sum' ? ['yoy', 'prev', 'ytd', 'target'] : ['yoy', 'prev', 'target'],
          })),
        },
      ];
    }),
  };
}

/** An analyst's edit of a paragraph, with the figure it was written against. */
export interface BriefingEdit {
  vi: string;
  en: string;
  /** The figure's printed numbers when the edit was made (`figureKey`). */
  against: string;
  by: string;
  at: string;
}

/** The numbers a paragraph says: its value, changes, year to date, target and options. */
export function figureKey(f: BriefingFigure): string {
  return JSON.stringify([
    f.value,
    f.estimate,
    f.yoy?.pct ?? null,
    f.prev?.pct ?? null,
    f.ytd?.value ?? null,
    f.target?.share ?? null,
    f.options.map((o) => [o.code, o.value]),
  ]);
}

/**
 * Lays the analyst's edits over a written document: an edited paragraph keeps its words; if
 * its figure no longer says what it said when edited, it is flagged for review, never
 * rewritten.
 */
export function applyEdits(doc: BriefingDocument, edits: Record<string, BriefingEdit>): void {
  for (const s of doc.sections)
    for (const p of s.paragraphs) {
      const e = edits[p.id];
      if (!e) continue;
      p.vi = e.vi;
      p.en = e.en;
      p.edited = true;
      p.needsReview = e.against !== figureKey(p.figure);
    }
}

const figures = (doc: BriefingDocument) =>
  doc.sections.flatMap((s) => s.paragraphs.map((p) => p.figure));

/** The printed numbers of an issued document the data now gives otherwise (value and options). */
export function differences(issued: BriefingDocument, now: BriefingDocument) {
  const current = new Map(figures(now).map((f) => [f.lineId, f]));
  const out: {
    lineId: string;
    labelVi: string;
    labelEn: string;
    option: string | null;
    issued: number | null;
    now: number | null;
  }[] = [];
  for (const f of figures(issued)) {
    const n = current.get(f.lineId);
    if (!n) continue;
    const base = { lineId: f.lineId, labelVi: f.labelVi, labelEn: f.labelEn };
    if (!sameNumber(f.value, n.value))
      out.push({ ...base, option: null, issued: f.value, now: n.value });
    for (const o of f.options) {
      const m = n.options.find((x) => x.code === o.code);
      if (!sameNumber(o.value, m?.value ?? null))
        out.push({ ...base, option: o.code, issued: o.value, now: m?.value ?? null });
    }
  }
  return out;
}

/** A revision's corrections: the lines whose printed value differs from the previous revision's. */
export function corrections(
  previous: BriefingDocument,
  next: BriefingDocument,
): BriefingCorrection[] {
  const before = new Map(figures(previous).map((f) => [f.lineId, f]));
  return figures(next).flatMap((f) => {
    const b = before.get(f.lineId);
    if (!b || sameNumber(b.value, f.value)) return [];
    return [
      {
        lineId: f.lineId,
        labelVi: f.labelVi,
        labelEn: f.labelEn,
        before: b.value,
        after: f.value,
        unitVi: f.unitVi,
      },
    ];
  });
}

/** Equal as printed: values are compared to 1e-9 of their size (sums in another order). */
function sameNumber(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
