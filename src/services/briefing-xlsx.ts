import ExcelJS from 'exceljs';
import { stampZip } from './zip-stamp.ts';
import type {
  BriefingChange,
  BriefingDocument,
  BriefingFigure,
  BriefingOptionFigure,
  FigureQualifier,
} from '../domain/briefing-document.ts';
import { safeCell } from '../domain/spreadsheet.ts';

/**
 * The briefing as an Excel workbook (issue 18): a sheet per section, one row per line's figure
 * and one per breakdown option, the comparisons as their own columns; then the completeness, the
 * corrections (when there are any) and the annex. Numbers are numeric cells in the line's scale
 * (the unit column says which), never text; a missing value is an empty cell, never 0.
 *
 * Number format: `[$-42A]#,##0` with as many decimals as the value carries (the document holds
 * figures rounded as printed, so the cell shows what the sentence prints). 42A is vi-VN's
 * locale id: LibreOffice then shows Vietnamese separators (4.581.000; 222.762,5) whatever the
 * machine; Excel takes separators from the reader's system (Vietnamese Windows: the same).
 * Percentages are stored as percent points (14.1, not 0.141), as the document and the CSV hold
 * them, under headers that say "(%)".
 *
 * Deterministic: the same document gives the same bytes. The workbook's dates are the
 * document's date, and the zip entries' times (which JSZip, under exceljs, stamps with the
 * clock) are set to that date too after writing (`stampZip`).
 */

/** Sheet names the workbook uses after the sections (sections never take them). */
const COMPLETENESS = 'Tính đầy đủ';
const CORRECTIONS = 'Số liệu điều chỉnh';
const ANNEX = 'Phụ lục';

const QUALIFIER_VI: Record<FigureQualifier, string> = {
  exact: '',
  about: 'khoảng',
  over: 'hơn',
  under: 'gần',
};

const SOURCE_VI: Record<BriefingChange['source'], string> = {
  computed: 'tính',
  reported: 'báo cáo',
  none: '',
};

/** The Vietnamese number format for a value with `decimals` decimals. */
export function viNumFmt(decimals: number): string {
  return '[$-42A]#,##0' + (decimals > 0 ? '.' + '0'.repeat(decimals) : '');
}

/** Decimals a value carries (up to 6), so that its cell shows it as the document prints it. */
function decimalsOf(v: number): number {
  for (let d = 0; d < 6; d++) {
    const x = v * 10 ** d;
    if (Math.abs(x - Math.round(x)) < 1e-9 * Math.max(1, Math.abs(x))) return d;
  }
  return 6;
}

/** A cell as written: text (through safeCell), a number, or nothing. */
type Cell = string | number | null;

/** "ngày 08 tháng 02 năm 2022": Decree 30/2020 puts a 0 before days under 10 and months under 3. */
function viDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const mm = m < 3 ? String(m).padStart(2, '0') : String(m);
  return `ngày ${String(d).padStart(2, '0')} tháng ${mm} năm ${y}`;
}

/**
 * A valid, unique sheet name from a title: Excel forbids `: \ / ? * [ ]`, a quote at either end,
 * more than 31 characters, "History", and two names that differ only in case.
 */
export function sheetName(title: string, taken: Set<string>, fallback: string): string {
  let base = title
    .normalize('NFC')
    .replace(/[:\\/?*[\]]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^'+|'+$/g, '')
    .trim();
  if (!/[\p{L}\p{N}]/u.test(base)) base = fallback;
  // Cut between words (syllables) where one is cut through, unless that loses half the name.
  const cut = (s: string, n: number) => {
    const chars = Array.from(s);
    if (chars.length <= n) return s;
    const head = chars.slice(0, n).join('');
    const space = chars[n] === ' ' ? n : head.lastIndexOf(' ');
    return (space > n / 2 ? head.slice(0, space) : head).trimEnd();
  };
  let name = cut(base, 31);
  for (let i = 2; taken.has(name.toLowerCase()) || name.toLowerCase() === 'history'; i++) {
    const suffix = ` (${i})`;
    name = cut(base, 31 - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** Writes the heading block (body, title, period and scope, number and date); returns its height. */
function heading(ws: ExcelJS.Worksheet, doc: BriefingDocument, sub: string): number {
  const lines: [string, Partial<ExcelJS.Font>][] = [];
  if (doc.parentBodyVi) lines.push([doc.parentBodyVi, {}]);
  lines.push([doc.bodyVi, { bold: true }]);
  lines.push([doc.titleVi, { bold: true, size: 13 }]);
  lines.push([`Kỳ báo cáo: ${doc.period.labelVi} · Phạm vi: ${doc.scope.nameVi}`, {}]);
  const status =
    doc.status === 'draft'
      ? ' · Dự thảo'
      : doc.revision > 0
        ? ` · Điều chỉnh lần ${doc.revision}`
        : '';
  lines.push([
    `Số: ${doc.number ?? '(chưa ban hành)'} · ${doc.place}, ${viDate(doc.date)}${status}`,
    {},
  ]);
  lines.push([sub, { bold: true, italic: true }]);
  lines.forEach(([text, font], i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = safeCell(text);
    cell.font = font;
  });
  return lines.length + 1; // and a blank row
}

/**
 * A table column: its Vietnamese and English headers, and how many decimals its numbers show:
 * 'cell' (rows of different figures: each as printed), 'column' (one figure for many units: the
 * most any cell needs, so that the column lines up); at least `min`.
 */
interface Column {
  vi: string;
  en: string;
  decimals?: 'cell' | 'column';
  min?: number;
}

/** Header characters a column is widened for; longer headers wrap. */
const HEADER_WIDTH = 16;

/**
 * A table under the heading: a Vietnamese and an English header row (frozen with the first
 * column, repeated on printed pages), then the rows; column widths from the longest cell.
 */
function table(
  ws: ExcelJS.Worksheet,
  top: number,
  columns: Column[],
  rows: { cells: Cell[]; indent?: boolean }[],
): void {
  const widths = columns.map((c) => Math.min(HEADER_WIDTH, Math.max(c.vi.length, c.en.length)));
  const columnDecimals = columns.map((c, i) =>
    c.decimals === 'column'
      ? rows.reduce((d, r) => {
          const v = r.cells[i];
          return typeof v === 'number' ? Math.max(d, decimalsOf(v)) : d;
        }, 0)
      : 0,
  );
  const texts: { cell: ExcelJS.Cell; column: number; length: number; indent: boolean }[] = [];
  rows.forEach((r, i) => {
    const row = ws.getRow(top + 3 + i);
    r.cells.forEach((v, c) => {
      if (v === null || v === '') return;
      const cell = row.getCell(c + 1);
      if (typeof v === 'number') {
        const d = Math.max(columns[c]!.min ?? 0, columnDecimals[c]!, decimalsOf(v));
        cell.value = v;
        cell.numFmt = viNumFmt(d);
        // Sign, digits, group separators and decimals, as shown.
        const digits = String(Math.trunc(Math.abs(v))).length;
        widths[c] = Math.max(widths[c]!, 1 + digits + Math.floor((digits - 1) / 3) + d + 1);
      } else {
        cell.value = safeCell(v);
        const indent = c === 0 && r.indent === true;
        const length = Array.from(v).length + (indent ? 2 : 0);
        texts.push({ cell, column: c, length, indent });
        widths[c] = Math.max(widths[c]!, length);
      }
    });
  });
  const width = (i: number) => Math.min(60, Math.max(8, widths[i]! + 2));
  widths.forEach((_, i) => {
    ws.getColumn(i + 1).width = width(i);
  });
  // Text wider than its column's cap wraps (the row grows) rather than being cut off.
  for (const t of texts) {
    const wrap = t.length > width(t.column) - 2;
    if (t.indent || wrap) t.cell.alignment = { indent: t.indent ? 1 : 0, wrapText: wrap };
  }
  // Header rows as tall as their wrapped text (Excel does not size rows on opening).
  for (const [k, lang] of [
    [1, 'vi'],
    [2, 'en'],
  ] as const) {
    const row = ws.getRow(top + k);
    let lines = 1;
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.value = c[lang];
      cell.font = lang === 'vi' ? { bold: true } : { italic: true, color: { argb: 'FF555555' } };
      cell.alignment = { vertical: 'top', wrapText: true };
      cell.border = { bottom: { style: 'thin' } };
      lines = Math.max(lines, Math.ceil(c[lang].length / (width(i) - 1)));
    });
    row.height = 15 * lines;
  }
  ws.views = [{ state: 'frozen', xSplit: 1, ySplit: top + 2, topLeftCell: `B${top + 3}` }];
  ws.pageSetup.printTitlesRow = `${top + 1}:${top + 2}`;
}

const FIGURE_COLUMNS: Column[] = [
  { vi: 'Chỉ tiêu', en: 'Item' },
  { vi: 'Đơn vị tính', en: 'Unit' },
  { vi: 'Kỳ', en: 'Period' },
  { vi: 'Giá trị', en: 'Value' },
  { vi: 'Mức (khoảng/hơn/gần)', en: 'Qualifier (about/over/under)' },
  { vi: 'Ước tính (x)', en: 'Estimate (x)' },
  { vi: 'So với cùng kỳ (%)', en: 'vs same period last year (%)' },
  { vi: 'Nguồn (tính/báo cáo)', en: 'Source (computed/reported)' },
  { vi: 'So với kỳ trước (%)', en: 'vs previous period (%)' },
  { vi: 'Nguồn (tính/báo cáo)', en: 'Source (computed/reported)' },
  { vi: 'Lũy kế', en: 'Year to date' },
  { vi: 'Kế hoạch năm', en: 'Annual target' },
  // Shares are printed with one decimal ("bằng 6,2% kế hoạch năm").
  { vi: '% kế hoạch năm', en: '% of annual target', min: 1 },
];

const change = (c: BriefingChange | null): Cell[] =>
  c ? [c.pct, c.pct === null ? '' : SOURCE_VI[c.source]] : [null, null];

function figureRows(
  doc: BriefingDocument,
  f: BriefingFigure,
): { cells: Cell[]; indent?: boolean }[] {
  const period = f.periodVi ?? doc.period.labelVi;
  const line: Cell[] = [
    f.labelVi,
    f.unitVi,
    period,
    f.value,
    QUALIFIER_VI[f.qualifier],
    f.estimate ? 'x' : null,
    ...change(f.yoy),
    ...change(f.prev),
    f.ytd?.value ?? null,
    f.target?.value ?? null,
    f.target?.share ?? null,
  ];
  const option = (o: BriefingOptionFigure): Cell[] => [
    `trong đó: ${o.labelVi}`,
    f.unitVi,
    period,
    o.value,
    QUALIFIER_VI[o.qualifier],
    null,
    ...change(o.yoy),
    ...change(o.prev),
    null,
    null,
    null,
  ];
  return [{ cells: line }, ...f.options.map((o) => ({ cells: option(o), indent: true }))];
}

/** The workbook's bytes; the same document always gives the same bytes. */
export async function briefingXlsx(doc: BriefingDocument): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const date = new Date(`${doc.date}T00:00:00Z`);
  wb.creator = 'Opsroom';
  wb.lastModifiedBy = 'Opsroom';
  wb.created = date;
  wb.modified = date;
  wb.title = doc.titleVi;
  wb.company = doc.bodyVi;

  const taken = new Set([COMPLETENESS, CORRECTIONS, ANNEX].map((n) => n.toLowerCase()));
  const sheet = (name: string) =>
    wb.addWorksheet(name, {
      pageSetup: {
        paperSize: 9, // A4
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
      },
    });

  doc.sections.forEach((s, i) => {
    const ws = sheet(sheetName(s.titleVi, taken, `Phần ${i + 1}`));
    const top = heading(ws, doc, `${s.titleVi} (${s.titleEn})`);
    table(
      ws,
      top,
      FIGURE_COLUMNS,
      s.paragraphs.flatMap((p) => figureRows(doc, p.figure)),
    );
  });

  const completeness = sheet(COMPLETENESS);
  table(
    completeness,
    heading(completeness, doc, 'Tình hình báo cáo (Reporting completeness)'),
    [
      { vi: 'Mã bộ dữ liệu', en: 'Data set code' },
      { vi: 'Bộ dữ liệu', en: 'Data set' },
      { vi: 'Số đơn vị phải báo cáo', en: 'Expected' },
      { vi: 'Đúng hạn', en: 'On time' },
      { vi: 'Muộn', en: 'Late' },
      { vi: 'Chưa báo cáo', en: 'Missing' },
      { vi: 'Đơn vị báo cáo muộn', en: 'Late units' },
      { vi: 'Đơn vị chưa báo cáo', en: 'Missing units' },
    ],
    doc.completeness.map((c) => ({
      cells: [
        c.dataSet,
        c.nameVi,
        c.expected,
        c.onTime,
        c.late,
        c.missing,
        c.lateUnits.join(', '),
        c.missingUnits.join(', '),
      ],
    })),
  );

  if (doc.corrections.length > 0) {
    const ws = sheet(CORRECTIONS);
    table(
      ws,
      heading(ws, doc, 'Số liệu điều chỉnh so với lần ban hành trước (Corrected figures)'),
      [
        { vi: 'Mã dòng', en: 'Line' },
        { vi: 'Chỉ tiêu', en: 'Item' },
        { vi: 'Đơn vị tính', en: 'Unit' },
        { vi: 'Trước điều chỉnh', en: 'Before' },
        { vi: 'Sau điều chỉnh', en: 'After' },
      ],
      doc.corrections.map((c) => ({
        cells: [c.lineId, c.labelVi, c.unitVi, c.before, c.after],
      })),
    );
  }

  const annex = sheet(ANNEX);
  table(
    annex,
    heading(annex, doc, 'Phụ lục: số liệu theo đơn vị hành chính (Annex: figures by unit)'),
    [
      { vi: 'Mã', en: 'Code' },
      { vi: 'Đơn vị hành chính', en: 'Administrative unit' },
      ...doc.annex.columns.map((c) => ({
        vi: c.unitVi ? `${c.labelVi} (${c.unitVi})` : c.labelVi,
        en: c.labelEn,
        decimals: 'column' as const,
      })),
    ],
    doc.annex.rows.map((r) => ({ cells: [r.code, r.nameVi, ...r.values] })),
  );

  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  return stampZip(bytes, doc.date);
}
