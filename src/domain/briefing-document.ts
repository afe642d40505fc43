/**
 * The monthly briefing as a document (issue 18): what every export (DOCX, XLSX, PDF, CSV) and
 * the page are written from. Built by the briefing service from a template, a period and a scope
 * (or read back from an issued briefing's snapshot), so that an issued briefing's exports are
 * made of stored figures and sentences only. Pure data: no I/O, no formatting decisions left
 * (sentences are written by `briefing-wording.ts`).
 */

/** A scale a line's figures are printed in ("tỷ đồng": billions). */
export type BriefingScale = 1 | 1_000 | 1_000_000 | 1_000_000_000;

/**
 * How a printed figure is qualified: exact, "khoảng" (about), "hơn" (over, a lower bound),
 * "gần" (nearly, an upper bound). A figure printed as approximate stays so everywhere.
 */
export type FigureQualifier = 'exact' | 'about' | 'over' | 'under';

/** A change against an earlier period, in percent. */
export interface BriefingChange {
  /** The change in percent (14.1 = "tăng 14,1%"); null: no earlier value and none reported. */
  pct: number | null;
  /** computed: from two values in the system; reported: the change the source printed. */
  source: 'computed' | 'reported' | 'none';
  /**
   * How a reported change was printed ("giảm khoảng 23%", "tăng trên 40%"); absent: exact. A
   * computed change is always exact.
   */
  qualifier?: FigureQualifier;
  /** The earlier value (in the line's scale), when in the system. */
  earlier: number | null;
  /** The earlier period as documents name it ("tháng 01/2021", "cùng kỳ năm 2021"). */
  periodVi: string;
  periodEn: string;
}

/** One breakdown option's figure ("trong đó: tấn công lừa đảo (phishing) 197 cuộc"). */
export interface BriefingOptionFigure {
  code: string;
  labelVi: string;
  labelEn: string;
  value: number | null;
  qualifier: FigureQualifier;
  yoy: BriefingChange | null;
  prev: BriefingChange | null;
}

/** The figure of one template line, in the line's scale, with what the template asks to print. */
export interface BriefingFigure {
  /** The template line's id. */
  lineId: string;
  /** The element's or indicator's code. */
  item: string;
  labelVi: string;
  labelEn: string;
  /** Unit wording as printed ("tỷ đồng", "triệu thuê bao", "cuộc"); null: a plain count. */
  unitVi: string | null;
  unitEn: string | null;
  scale: BriefingScale;
  /** The value divided by `scale`; null: no value ("chưa có số liệu"). */
  value: number | null;
  /** Some value under it is an estimate ("ước đạt"). */
  estimate: boolean;
  qualifier: FigureQualifier;
  /** The period the value is of, when not the briefing's own ("tính đến ngày 20/01/2022"). */
  periodVi: string | null;
  periodEn: string | null;
  /** Null where the template does not ask for the comparison. */
  yoy: BriefingChange | null;
  prev: BriefingChange | null;
  /** Year to date, in the line's scale. */
  ytd: { value: number | null; periodVi: string; periodEn: string } | null;
  /** Share of the year's target, in percent, and the target (in the line's scale). */
  target: { share: number | null; value: number } | null;
  /** Breakdown options, in the breakdown's order, when the line prints its breakdown. */
  options: BriefingOptionFigure[];
}

/** A paragraph: one line's sentences, or an analyst's edit of them. */
export interface BriefingParagraph {
  /** The template line's id. */
  id: string;
  vi: string;
  en: string;
  /** The analyst rewrote it; `vi`/`en` hold the edit. */
  edited: boolean;
  /** An edited paragraph whose figure changed since the edit: to be reviewed, never rewritten. */
  needsReview: boolean;
  figure: BriefingFigure;
}

export interface BriefingSection {
  code: string;
  titleVi: string;
  titleEn: string;
  paragraphs: BriefingParagraph[];
  /** The template asks for the section's figures as a table too. */
  table: boolean;
}

/** One data set's reporting completeness for the period. */
export interface BriefingCompleteness {
  dataSet: string;
  nameVi: string;
  nameEn: string;
  expected: number;
  onTime: number;
  late: number;
  missing: number;
  /** Names of the units that reported late ("Sở TT&TT Hà Giang"), in the tree's order. */
  lateUnits: string[];
  missingUnits: string[];
}

/** A figure corrected since the previous revision ("số liệu điều chỉnh"). */
export interface BriefingCorrection {
  lineId: string;
  labelVi: string;
  labelEn: string;
  /** Printed values, before and after, in the line's scale. */
  before: number | null;
  after: number | null;
  unitVi: string | null;
}

/** The annex: every line's value for every unit one level below the scope. */
export interface BriefingAnnex {
  columns: { lineId: string; labelVi: string; labelEn: string; unitVi: string | null }[];
  rows: { code: string; nameVi: string; values: (number | null)[] }[];
}

/**
 * The end of the document (Decree 30/2020, Appendix I, II.7 and II.9): who signs, in what
 * capacity, and where it is sent ("Nơi nhận").
 */
export interface BriefingClosing {
  /** On whose behalf, when not in one's own right: "TL. BỘ TRƯỞNG", "KT. BỘ TRƯỞNG". */
  authorityVi: string | null;
  /** The signer's office: "VỤ TRƯỞNG VỤ KẾ HOẠCH - TÀI CHÍNH". */
  titleVi: string;
  /** Who signed: the issuer; null on a draft (the name is written when it is issued). */
  name: string | null;
  /** "Nơi nhận", one line each: "Bộ trưởng (để báo cáo);" … "Lưu: VT, KHTC." */
  recipients: string[];
}

export interface BriefingDocument {
  id: number | null;
  status: 'draft' | 'issued';
  /** 0 for the first issue, 1… for revisions. */
  revision: number;
  /** "15/BC-BTTTT"; null for a draft. */
  number: string | null;
  /** The issuing body and the body above it, as the heading prints them. */
  bodyVi: string;
  parentBodyVi: string | null;
  place: string;
  /** ISO date (YYYY-MM-DD) of issue, or of writing for a draft. */
  date: string;
  issuer: string | null;
  titleVi: string;
  titleEn: string;
  period: { id: string; labelVi: string; labelEn: string };
  scope: { version: string; code: string; nameVi: string };
  sections: BriefingSection[];
  completeness: BriefingCompleteness[];
  corrections: BriefingCorrection[];
  annex: BriefingAnnex;
  /** Absent where the template names no signer nor recipients (and on snapshots before it). */
  closing?: BriefingClosing;
}
