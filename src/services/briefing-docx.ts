import { stampZip } from './zip-stamp.ts';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  Tab,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IBorderOptions,
} from 'docx';
import type {
  BriefingChange,
  BriefingDocument,
  BriefingFigure,
  BriefingSection,
  FigureQualifier,
} from '../domain/briefing-document.ts';
import { AppError } from '../domain/errors.ts';

/**
 * The monthly briefing as a Word document (issue 18), laid out as an administrative document
 * of Decree 30/2020/NĐ-CP, Appendix I (sizes and their citation: docs/decisions.md, "Briefing
 * DOCX"). Vietnamese only. Deterministic: the same document gives the same bytes, because the
 * two things the `docx` package takes from the clock — the dates in docProps/core.xml and the
 * zip entries' modification times — are both set from `doc.date`.
 */

/** Twips (1/1440 inch) in a millimetre. */
const MM = 1440 / 25.4;
const mm = (n: number) => Math.round(n * MM);

/** The values picked inside the decree's ranges (Appendix I, Part I). */
export const DOCX_LAYOUT = {
  /** I.1: A4, 210 × 297 mm, portrait. */
  page: { width: mm(210), height: mm(297) },
  /** I.3: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm. */
  margin: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) },
  /** I.4: Times New Roman, black. */
  font: 'Times New Roman',
  /** Font sizes in points, per element (table in Appendix I, Part I, V). */
  size: {
    nationalName: 12, // 12–13, upper case, upright, bold
    motto: 13, // 13–14, upright, bold
    body: 12, // issuing body and the body above it: 12–13
    number: 13, // "Số:" 13
    placeDate: 14, // 13–14, italic
    docType: 14, // "BÁO CÁO": 13–14, upper case, bold
    summary: 14, // 13–14, bold
    text: 14, // content: 13–14
    pageNumber: 14, // I.7: 13–14
    table: 12, // tables: not set by the decree; 12 keeps six columns readable
    signer: 14, // II.7: authority and office 13–14 upper case bold; the name 13–14 bold
    recipientsHead: 12, // II.9: "Nơi nhận:" 12, italic, bold
    recipients: 11, // II.9: the list 11, upright
  },
  /** Content (II.6): first line indented 1–1.27 cm; ≥ 6 pt between paragraphs; single to 1.5 lines. */
  indent: mm(12.7),
  paragraphBefore: 120, // 6 pt
  line: 288, // 1.2 lines (240 = single)
} as const;

const CONTENT_WIDTH = DOCX_LAYOUT.page.width - DOCX_LAYOUT.margin.left - DOCX_LAYOUT.margin.right;
/** The heading's two columns: issuing body and number (left), national name and date (right). */
const LEFT_COL = mm(65);
/** Word's and LibreOffice's default left and right cell margin (0.19 cm). */
const CELL_MARGIN = 108;
const RIGHT_COL = CONTENT_WIDTH - LEFT_COL;

const VI = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const VI_SHARE = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** A number the Vietnamese way (1.234,5). */
export const viNumber = (n: number) => VI.format(n);

/**
 * The printed width of `text`, in twips, estimated from Times New Roman's average advance
 * widths (em fractions) by kind of character, diacritics ignored. Used only for the length of
 * the rules under the heading's lines, which the decree ties to the line's length.
 */
function textWidth(text: string, sizePt: number, bold: boolean): number {
  let em = 0;
  for (const ch of text.normalize('NFD').replace(/\p{M}/gu, '')) {
    if (ch === ' ') em += 0.25;
    else if (/[A-ZĐ]/.test(ch)) em += bold ? 0.72 : 0.68;
    else if (/[0-9]/.test(ch)) em += 0.5;
    else if (/[a-zđ]/.test(ch)) em += bold ? 0.5 : 0.46;
    else em += 0.33;
  }
  return Math.round(em * sizePt * 20);
}

/**
 * `text` in as few lines as fit `width` (twips), split where the lines come out most even
 * ("BỘ THÔNG TIN / VÀ TRUYỀN THÔNG" rather than "BỘ THÔNG TIN VÀ TRUYỀN / THÔNG"), as the
 * decree lets a long name take several lines (II.2).
 */
export function balancedLines(
  text: string,
  sizePt: number,
  bold: boolean,
  width: number,
): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const w = (ws: string[]) => textWidth(ws.join(' '), sizePt, bold);
  const n = Math.min(words.length, Math.max(1, Math.ceil(w(words) / width)));
  if (n === 1) return [words.join(' ')];
  // Greedy at the even target; the target grows until the lines are no more than n.
  for (let target = w(words) / n; ; target += 20) {
    const lines: string[][] = [[]];
    for (const word of words) {
      const line = lines[lines.length - 1]!;
      if (line.length && w([...line, word]) > target) lines.push([word]);
      else line.push(word);
    }
    if (lines.length > n) continue;
    // A line does not end on a linking word ("BỘ THÔNG TIN VÀ / TRUYỀN THÔNG"): it moves down.
    for (let i = 0; i + 1 < lines.length; i++) {
      const line = lines[i]!;
      const last = line[line.length - 1]!;
      const down = [last, ...lines[i + 1]!];
      if (line.length > 1 && LINKING.has(last.toLocaleUpperCase('vi')) && w(down) <= width) {
        line.pop();
        lines[i + 1] = down;
      }
    }
    return lines.map((l) => l.join(' '));
  }
}

const LINKING = new Set(['VÀ', 'CỦA', 'VỀ', 'VỚI', 'CHO', 'TẠI', 'Ở', 'THUỘC']);

const run = (
  text: string,
  size: number,
  more: { bold?: boolean; italics?: boolean; break?: number } = {},
) => new TextRun({ text, size: size * 2, ...more });

/** Lines as runs with line breaks between them, in one paragraph. */
const lineRuns = (lines: string[], size: number, more: { bold?: boolean } = {}) =>
  lines.map((l, i) => run(l, size, { ...more, ...(i ? { break: 1 } : {}) }));

const centered = (children: TextRun[], before = 0) =>
  new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before, after: 0 }, children });

const LINE: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 };

/**
 * A horizontal rule `length` twips long, centred in a column `within` twips wide: an empty
 * paragraph 3 pt high with a bottom border, indented so that the border has the rule's length
 * (the decree's rules are drawn lines, not underlined text).
 */
function rule(length: number, within: number) {
  const side = Math.max(0, Math.round((within - length) / 2));
  return new Paragraph({
    border: { bottom: { ...LINE, space: 0 } },
    indent: { left: side, right: side },
    spacing: { before: 0, after: 0, line: 60, lineRule: LineRuleType.EXACT },
    children: [],
  });
}

/** "Hà Nội, ngày 08 tháng 02 năm 2022": days under 10 and months 1–2 with a leading 0 (II.4). */
function placeAndDate(place: string, iso: string) {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const day = String(d).padStart(2, '0');
  const month = m < 3 ? String(m).padStart(2, '0') : String(m);
  return `${place}, ngày ${day} tháng ${month} năm ${y}`;
}

function checkDate(iso: string) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const y = Number(m?.[1]);
  if (!m || y < 1980 || y > 2099 || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[3]) < 1) {
    throw new AppError(
      'bad_request',
      {
        vi: `Ngày của báo cáo "${iso}" không hợp lệ (cần dạng YYYY-MM-DD)`,
        en: `The briefing's date "${iso}" is invalid (YYYY-MM-DD expected)`,
      },
      { date: iso },
    );
  }
}

/** A cell of the heading's table, which has no borders. */
const cell = (width: number, children: Paragraph[]) =>
  new TableCell({
    width: { size: width, type: WidthType.DXA },
    children,
    verticalAlign: VerticalAlignTable.TOP,
    borders: TableBorders.NONE,
  });

const NATIONAL = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
const MOTTO = 'Độc lập - Tự do - Hạnh phúc';
/** The motto's printed width in 13 pt bold Times New Roman (Liberation Serif, metric-equal). */
const MOTTO_WIDTH = 3182;

/** The heading (II.1–II.4): two columns, with the body, number, national name and date. */
function heading(doc: BriefingDocument): (Paragraph | Table)[] {
  const size = DOCX_LAYOUT.size;
  const left: Paragraph[] = [];
  const fit = LEFT_COL - 2 * CELL_MARGIN;
  if (doc.parentBodyVi) {
    const parent = balancedLines(doc.parentBodyVi.toLocaleUpperCase('vi'), size.body, false, fit);
    left.push(centered(lineRuns(parent, size.body)));
  }
  const body = balancedLines(doc.bodyVi.toLocaleUpperCase('vi'), size.body, true, fit);
  left.push(centered(lineRuns(body, size.body, { bold: true })));
  // II.2: a rule 1/3–1/2 as long as the name's (longest) line, centred: 0.4 of it.
  const longest = Math.max(...body.map((l) => textWidth(l, size.body, true)));
  left.push(rule(0.4 * longest, fit));

  const right = [
    centered([run(NATIONAL, size.nationalName, { bold: true })]),
    centered([run(MOTTO, size.motto, { bold: true })]),
    // II.1.b: a rule as long as the motto's line (measured: 159 pt in 13 pt bold, pdftotext -bbox).
    rule(MOTTO_WIDTH, RIGHT_COL - 2 * CELL_MARGIN),
  ];

  // A draft has no number yet; the blank is filled in when it is issued.
  const number = doc.number ?? '\u00a0'.repeat(8) + '/BC';
  const table = new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: [LEFT_COL, RIGHT_COL],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [
      new TableRow({ children: [cell(LEFT_COL, left), cell(RIGHT_COL, right)] }),
      new TableRow({
        children: [
          cell(LEFT_COL, [centered([run(`Số: ${number}`, size.number)], 120)]),
          cell(RIGHT_COL, [
            centered(
              [run(placeAndDate(doc.place, doc.date), size.placeDate, { italics: true })],
              120,
            ),
          ]),
        ],
      }),
    ],
  });
  if (doc.status !== 'draft') return [table];
  // A draft says so, boxed, above the heading (and in the header of every later page).
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      indent: { left: CONTENT_WIDTH - mm(35) },
      border: { top: LINE, bottom: LINE, left: LINE, right: LINE },
      spacing: { before: 0, after: 120 },
      children: [run('DỰ THẢO', size.text, { bold: true })],
    }),
    table,
  ];
}

/** The title (II.5.a): the type "BÁO CÁO", the summary line and a rule under it. */
function title(doc: BriefingDocument): Paragraph[] {
  const size = DOCX_LAYOUT.size;
  // "Báo cáo giao ban …" under "BÁO CÁO" would say it twice: the summary keeps the rest.
  const rest = doc.titleVi.replace(/^báo cáo\s+/iu, '');
  const summary = rest.charAt(0).toLocaleUpperCase('vi') + rest.slice(1);
  const lines = balancedLines(summary, size.summary, true, CONTENT_WIDTH - mm(20));
  const longest = Math.max(...lines.map((l) => textWidth(l, size.summary, true)));
  const out = [
    centered([run('BÁO CÁO', size.docType, { bold: true })], 480),
    centered(lineRuns(lines, size.summary, { bold: true })),
    // II.5.a: a rule 1/3–1/2 as long as the summary's line, centred: 0.4 of it.
    rule(0.4 * longest, CONTENT_WIDTH),
  ];
  if (doc.revision > 0) {
    out.push(
      centered([run(`(Bản điều chỉnh lần ${doc.revision})`, size.text, { italics: true })], 120),
    );
  }
  out.push(new Paragraph({ spacing: { before: 0, after: 120 }, children: [] }));
  return out;
}

const text = (
  s: string,
  more: { bold?: boolean; italics?: boolean; keepNext?: boolean; before?: number } = {},
) =>
  new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    keepNext: more.keepNext ?? false,
    indent: { firstLine: DOCX_LAYOUT.indent },
    spacing: {
      before: more.before ?? DOCX_LAYOUT.paragraphBefore,
      after: 0,
      line: DOCX_LAYOUT.line,
      lineRule: LineRuleType.AUTO,
    },
    children: [run(s, DOCX_LAYOUT.size.text, { bold: more.bold, italics: more.italics })],
  });

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];
const roman = (i: number) => ROMAN[i] ?? String(i + 1);

/** A section heading: "I. AN TOÀN THÔNG TIN", upper case, bold. */
const sectionHeading = (i: number, titleVi: string) =>
  text(`${roman(i)}. ${titleVi.toLocaleUpperCase('vi')}`, {
    bold: true,
    keepNext: true,
    before: 240,
  });

// --- tables ---------------------------------------------------------------------------------

const tcell = (
  width: number,
  s: string,
  opts: {
    bold?: boolean;
    italics?: boolean;
    align?: 'left' | 'center' | 'right';
    indent?: number;
  } = {},
) =>
  new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    margins: { left: 80, right: 80, top: 30, bottom: 30 },
    children: [
      new Paragraph({
        alignment:
          opts.align === 'right'
            ? AlignmentType.RIGHT
            : opts.align === 'center'
              ? AlignmentType.CENTER
              : AlignmentType.LEFT,
        indent: opts.indent ? { left: opts.indent } : undefined,
        spacing: { before: 0, after: 0 },
        children: [run(s, DOCX_LAYOUT.size.table, { bold: opts.bold, italics: opts.italics })],
      }),
    ],
  });

const QUALIFIER: Record<FigureQualifier, string> = {
  exact: '',
  about: 'khoảng ',
  over: 'hơn ',
  under: 'gần ',
};

function valueCell(value: number | null, qualifier: FigureQualifier, estimate = false) {
  if (value === null) return 'chưa có số liệu';
  return `${QUALIFIER[qualifier]}${viNumber(value)}${estimate ? ' (ước)' : ''}`;
}

/** A change in percent, signed; "*": the source reported it (no earlier value in the system). */
function changeCell(c: BriefingChange | null) {
  if (!c || c.pct === null) return '–';
  const sign = c.pct > 0 ? '+' : c.pct < 0 ? '-' : '';
  return `${sign}${viNumber(Math.abs(c.pct))}%${c.source === 'reported' ? '*' : ''}`;
}

interface Column {
  head: string;
  width: number;
  figure: (f: BriefingFigure) => string;
  /** A breakdown option's cell, on the line of figure `f`. */
  option: (o: BriefingFigure['options'][number], f: BriefingFigure) => string;
}

function sectionTable(doc: BriefingDocument, section: BriefingSection): (Table | Paragraph)[] {
  const figures = section.paragraphs.map((p) => p.figure);
  const has = (k: 'yoy' | 'prev') => figures.some((f) => f[k] || f.options.some((o) => o[k]));
  const period = doc.period.labelVi.charAt(0).toLocaleUpperCase('vi') + doc.period.labelVi.slice(1);
  const columns: Column[] = [
    {
      head: 'Đơn vị tính',
      width: 1400,
      figure: (f) => f.unitVi ?? '',
      option: (_, f) => f.unitVi ?? '',
    },
    {
      head: period,
      width: 2000,
      figure: (f) => valueCell(f.value, f.qualifier, f.estimate),
      option: (o) => valueCell(o.value, o.qualifier),
    },
  ];
  if (has('yoy')) {
    const label = figures.find((f) => f.yoy)?.yoy?.periodVi ?? 'cùng kỳ';
    columns.push({
      head: `So với ${label}`,
      width: 1300,
      figure: (f) => changeCell(f.yoy),
      option: (o) => changeCell(o.yoy),
    });
  }
  if (has('prev')) {
    const label = figures.find((f) => f.prev)?.prev?.periodVi ?? 'kỳ trước';
    columns.push({
      head: `So với ${label}`,
      width: 1300,
      figure: (f) => changeCell(f.prev),
      option: (o) => changeCell(o.prev),
    });
  }
  if (figures.some((f) => f.ytd)) {
    const label = figures.find((f) => f.ytd)?.ytd?.periodVi ?? '';
    columns.push({
      head: `Lũy kế ${label}`.trim(),
      width: 1500,
      figure: (f) => (f.ytd ? valueCell(f.ytd.value, 'exact') : ''),
      option: () => '',
    });
  }
  if (figures.some((f) => f.target)) {
    columns.push({
      head: '% kế hoạch năm',
      width: 1100,
      figure: (f) => (f.target?.share == null ? '–' : `${VI_SHARE.format(f.target.share)}%`),
      option: () => '',
    });
  }
  const labelWidth = CONTENT_WIDTH - columns.reduce((s, c) => s + c.width, 0);
  const widths = [labelWidth, ...columns.map((c) => c.width)];
  const rows = [
    new TableRow({
      tableHeader: true,
      children: [
        tcell(labelWidth, 'Chỉ tiêu', { bold: true, align: 'center' }),
        ...columns.map((c) => tcell(c.width, c.head, { bold: true, align: 'center' })),
      ],
    }),
  ];
  for (const f of figures) {
    rows.push(
      new TableRow({
        cantSplit: true,
        children: [
          tcell(labelWidth, f.labelVi, { bold: f.options.length > 0 }),
          ...columns.map((c, i) =>
            tcell(c.width, c.figure(f), { align: i === 0 ? 'center' : 'right' }),
          ),
        ],
      }),
    );
    f.options.forEach((o, n) =>
      rows.push(
        new TableRow({
          cantSplit: true,
          children: [
            tcell(labelWidth, `${n === 0 ? 'trong đó: ' : ''}${o.labelVi}`, {
              italics: true,
              indent: 200,
            }),
            ...columns.map((c, i) =>
              tcell(c.width, c.option(o, f), {
                align: i === 0 ? 'center' : 'right',
              }),
            ),
          ],
        }),
      ),
    );
  }
  const reported = figures.some(
    (f) =>
      f.yoy?.source === 'reported' ||
      f.prev?.source === 'reported' ||
      f.options.some((o) => o.yoy?.source === 'reported' || o.prev?.source === 'reported'),
  );
  const out: (Table | Paragraph)[] = [
    new Paragraph({ spacing: { before: 120, after: 0 }, children: [] }),
    new Table({
      width: { size: CONTENT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      rows,
    }),
  ];
  if (reported) {
    out.push(
      new Paragraph({
        spacing: { before: 60, after: 0 },
        children: [
          run(
            '(*) Tỷ lệ theo số liệu báo cáo (không có số liệu kỳ so sánh trong hệ thống).',
            DOCX_LAYOUT.size.table,
            {
              italics: true,
            },
          ),
        ],
      }),
    );
  }
  return out;
}

/** The completeness section: units on time, late, missing, with the late and missing named. */
function completeness(doc: BriefingDocument, i: number): Paragraph[] {
  if (doc.completeness.length === 0) return [];
  const out = [sectionHeading(i, 'Tình hình gửi báo cáo của các đơn vị')];
  for (const c of doc.completeness) {
    const named = (n: number, units: string[], what: string) =>
      `${viNumber(n)} đơn vị ${what}${units.length ? ` (${units.join(', ')})` : ''}`;
    out.push(
      text(
        `${c.nameVi}: ${viNumber(c.expected)} đơn vị phải báo cáo; ${viNumber(c.onTime)} đơn vị báo cáo đúng hạn; ` +
          `${named(c.late, c.lateUnits, 'báo cáo muộn')}; ${named(c.missing, c.missingUnits, 'chưa báo cáo')}.`,
      ),
    );
  }
  return out;
}

/** "Số liệu điều chỉnh": the figures corrected since the previous revision, as a table. */
function corrections(doc: BriefingDocument, i: number): (Paragraph | Table)[] {
  if (doc.corrections.length === 0) return [];
  const w = [CONTENT_WIDTH - 1400 - 2 * 1900, 1400, 1900, 1900];
  const value = (v: number | null) => (v === null ? 'chưa có số liệu' : viNumber(v));
  return [
    sectionHeading(i, 'Số liệu điều chỉnh'),
    text('Các số liệu sau đã được điều chỉnh so với bản phát hành trước:'),
    new Paragraph({ spacing: { before: 120, after: 0 }, children: [] }),
    new Table({
      width: { size: CONTENT_WIDTH, type: WidthType.DXA },
      columnWidths: w,
      layout: TableLayoutType.FIXED,
      rows: [
        new TableRow({
          tableHeader: true,
          children: [
            tcell(w[0]!, 'Chỉ tiêu', { bold: true, align: 'center' }),
            tcell(w[1]!, 'Đơn vị tính', { bold: true, align: 'center' }),
            tcell(w[2]!, 'Số liệu trước điều chỉnh', { bold: true, align: 'center' }),
            tcell(w[3]!, 'Số liệu sau điều chỉnh', { bold: true, align: 'center' }),
          ],
        }),
        ...doc.corrections.map(
          (c) =>
            new TableRow({
              cantSplit: true,
              children: [
                tcell(w[0]!, c.labelVi),
                tcell(w[1]!, c.unitVi ?? '', { align: 'center' }),
                tcell(w[2]!, value(c.before), { align: 'right' }),
                tcell(w[3]!, value(c.after), { align: 'right' }),
              ],
            }),
        ),
      ],
    }),
  ];
}

/**
 * Pages 2 on: the page number centred in the top margin (I.7); a draft says "DỰ THẢO" at the
 * right of the same line (one line, so the header does not grow into the text).
 */
function pageHeader(draft: boolean) {
  const children = [
    new TextRun({
      children: [new Tab(), PageNumber.CURRENT],
      size: DOCX_LAYOUT.size.pageNumber * 2,
    }),
  ];
  if (draft) {
    children.push(
      new TextRun({
        children: [new Tab(), 'DỰ THẢO'],
        bold: true,
        size: DOCX_LAYOUT.size.table * 2,
      }),
    );
  }
  return new Header({
    children: [
      new Paragraph({
        tabStops: [
          { type: TabStopType.CENTER, position: Math.round(CONTENT_WIDTH / 2) },
          { type: TabStopType.RIGHT, position: CONTENT_WIDTH },
        ],
        children,
      }),
    ],
  });
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** docProps/core.xml with its dates from the document's date rather than the clock. */
function coreXml(doc: BriefingDocument) {
  const at = `${doc.date}T00:00:00Z`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xml(doc.titleVi)}</dc:title>` +
    `<dc:creator>${xml(doc.issuer ?? doc.bodyVi)}</dc:creator>` +
    '<cp:lastModifiedBy>Opsroom</cp:lastModifiedBy>' +
    `<cp:revision>${doc.revision + 1}</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/**
 * The end (II.7, II.9): "Nơi nhận" at the left, the signer at the right — authority and office,
 * room for the signature and seal, then the name (the issuer's; blank on a draft).
 */
function closing(doc: BriefingDocument): Table[] {
  const c = doc.closing;
  if (!c) return [];
  const size = DOCX_LAYOUT.size;
  const half = Math.round(CONTENT_WIDTH / 2);
  const left = c.recipients.length
    ? [
        new Paragraph({
          spacing: { before: 240, after: 0 },
          children: [run('Nơi nhận:', size.recipientsHead, { bold: true, italics: true })],
        }),
        ...c.recipients.map(
          (r) =>
            new Paragraph({
              spacing: { before: 0, after: 0 },
              children: [run(`- ${r}`, size.recipients)],
            }),
        ),
      ]
    : [new Paragraph({ children: [] })];
  const office = [
    ...(c.authorityVi ? [c.authorityVi.toLocaleUpperCase('vi')] : []),
    ...balancedLines(c.titleVi.toLocaleUpperCase('vi'), size.signer, true, half - 2 * CELL_MARGIN),
  ];
  const right = [
    centered(lineRuns(office, size.signer, { bold: true }), 240),
    // Room for the signature and the seal: four empty lines.
    ...[0, 1, 2, 3].map(() => centered([run('', size.signer)])),
    centered([run(c.name ?? '', size.signer, { bold: true })]),
  ];
  return [
    new Table({
      width: { size: CONTENT_WIDTH, type: WidthType.DXA },
      columnWidths: [CONTENT_WIDTH - half, half],
      layout: TableLayoutType.FIXED,
      borders: TableBorders.NONE,
      rows: [
        new TableRow({
          cantSplit: true,
          children: [cell(CONTENT_WIDTH - half, left), cell(half, right)],
        }),
      ],
    }),
  ];
}

/** The briefing as a DOCX file's bytes. */
export async function briefingDocx(doc: BriefingDocument): Promise<Uint8Array> {
  checkDate(doc.date);
  const draft = doc.status === 'draft';
  const children: (Paragraph | Table)[] = [...heading(doc), ...title(doc)];
  doc.sections.forEach((section, i) => {
    children.push(sectionHeading(i, section.titleVi));
    for (const p of section.paragraphs) children.push(text(p.vi));
    if (section.table) children.push(...sectionTable(doc, section));
  });
  let next = doc.sections.length;
  const done = completeness(doc, next);
  if (done.length) next++;
  children.push(...done, ...corrections(doc, next), ...closing(doc));

  const file = new Document({
    title: doc.titleVi,
    creator: doc.issuer ?? doc.bodyVi,
    styles: {
      default: {
        document: {
          run: {
            font: DOCX_LAYOUT.font,
            size: DOCX_LAYOUT.size.text * 2,
            color: '000000',
            language: { value: 'vi-VN' },
          },
        },
      },
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: DOCX_LAYOUT.page.width, height: DOCX_LAYOUT.page.height },
            margin: { ...DOCX_LAYOUT.margin, header: mm(10), footer: mm(10) },
          },
        },
        headers: {
          // I.7: no number on the first page.
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: pageHeader(draft),
        },
        children,
      },
    ],
  });
  const zip = await Packer.pack(file, 'uint8array', false, [
    { path: 'docProps/core.xml', data: coreXml(doc) },
  ]);
  return stampZip(zip, doc.date);
}
