import type {
  BriefingChange,
  BriefingDocument,
  BriefingFigure,
  BriefingOptionFigure,
} from '../domain/briefing-document.ts';
import { safeCell } from '../domain/spreadsheet.ts';

/**
 * The briefing's figures as CSV (issue 18), for machines: one record per line and one per
 * breakdown option, codes rather than wording, numbers written plainly (1234.5, in the line's
 * scale, which its own column gives), a missing value an empty field, never 0. RFC 4180: CRLF
 * line ends, fields with a comma, quote or line break quoted (quotes doubled). UTF-8 with a BOM,
 * so that Excel reads the Vietnamese labels; text goes through `safeCell` like every
 * spreadsheet cell Opsroom writes.
 */
export const BRIEFING_CSV_COLUMNS = [
  'section',
  'line',
  'item',
  'option',
  'value',
  'scale',
  'unit',
  'estimate',
  'qualifier',
  'yoy_pct',
  'yoy_source',
  'prev_pct',
  'prev_source',
  'ytd',
  'target_share',
  'label',
] as const;

/** A text field: formula-like text neutralised, then quoted when RFC 4180 requires it. */
function text(s: string | null): string {
  if (s === null || s === '') return '';
  const t = safeCell(s);
  return /[",\r\n]/.test(t) || t !== t.trim() ? `"${t.replace(/"/g, '""')}"` : t;
}

/** A number as machines read it: JavaScript's shortest form (1234.5, -23), empty when missing. */
const num = (n: number | null | undefined): string =>
  n === null || n === undefined ? '' : Object.is(n, -0) ? '0' : String(n);

/** A comparison's percent and source; both empty when the template does not ask for it. */
const change = (c: BriefingChange | null): string[] => (c ? [num(c.pct), c.source] : ['', '']);

function record(section: string, f: BriefingFigure, o: BriefingOptionFigure | null): string {
  const fields = o
    ? [
        text(section),
        text(f.lineId),
        text(f.item),
        text(o.code),
        num(o.value),
        num(f.scale),
        text(f.unitVi),
        '',
        o.qualifier,
        ...change(o.yoy),
        ...change(o.prev),
        '',
        '',
        text(o.labelVi),
      ]
    : [
        text(section),
        text(f.lineId),
        text(f.item),
        '',
        num(f.value),
        num(f.scale),
        text(f.unitVi),
        f.estimate ? 'true' : 'false',
        f.qualifier,
        ...change(f.yoy),
        ...change(f.prev),
        num(f.ytd?.value),
        num(f.target?.share),
        text(f.labelVi),
      ];
  return fields.join(',') + '\r\n';
}

export function briefingCsv(doc: BriefingDocument): string {
  let out = '\uFEFF' + BRIEFING_CSV_COLUMNS.join(',') + '\r\n';
  for (const s of doc.sections) {
    for (const p of s.paragraphs) {
      out += record(s.code, p.figure, null);
      for (const o of p.figure.options) out += record(s.code, p.figure, o);
    }
  }
  return out;
}
