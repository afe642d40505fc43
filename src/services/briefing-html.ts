import { MONTHS_EN } from '../domain/period.ts';
import type {
  BriefingChange,
  BriefingDocument,
  BriefingFigure,
  BriefingSection,
  FigureQualifier,
} from '../domain/briefing-document.ts';

/**
 * The monthly briefing as one self-contained HTML page for printing (issue 18): what the PDF
 * export prints with Chromium. Laid out as Decree 30/2020/NĐ-CP, Appendix I asks of an
 * administrative document: A4, margins 20/20/30/15 mm, Times New Roman, the national heading
 * and the issuing body side by side, place and date in italics, the document's kind and
 * summary, the body at 14 pt. No external resources (a CSP forbids them) and no script: every
 * text is escaped, since the analyst edits the paragraphs.
 */

type Lang = 'vi' | 'en';

const list = (names: readonly string[]) => (names.length ? ` (${names.join(', ')})` : '');

const WORDS = {
  vi: {
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    number: 'Số:',
    kind: 'BÁO CÁO',
    draft: 'DỰ THẢO',
    item: 'Chỉ tiêu',
    unit: 'Đơn vị tính',
    against: 'So với',
    ytd: 'Lũy kế',
    target: 'Tỷ lệ so với kế hoạch năm (%)',
    ofWhich: 'Trong đó:',
    estimate: '(ước đạt)',
    noData: 'chưa có số liệu',
    qualifier: { exact: '', about: 'khoảng ', over: 'hơn ', under: 'gần ' },
    reportedNote:
      'Tỷ lệ theo số liệu nguồn báo cáo (hệ thống không có số liệu kỳ so sánh để tính).',
    note: 'Ghi chú:',
    completeness: 'Tình hình báo cáo số liệu',
    dataSet: 'Báo cáo',
    expected: 'Số đơn vị phải báo cáo',
    onTime: 'Đúng hạn',
    late: 'Muộn',
    missing: 'Chưa báo cáo',
    lateUnits: (n: string, names: readonly string[]) => `${n} đơn vị báo cáo muộn${list(names)}`,
    missingUnits: (n: string, names: readonly string[]) => `${n} đơn vị chưa báo cáo${list(names)}`,
    corrections: 'Số liệu điều chỉnh',
    recipients: 'Nơi nhận:',
    correctionsLead: 'Các số liệu sau đã được điều chỉnh so với lần phát hành trước:',
    before: 'Số liệu đã phát hành',
    after: 'Số liệu điều chỉnh',
    annex: 'PHỤ LỤC',
    annexTitle: (period: string) => `Số liệu theo đơn vị hành chính, ${period}`,
    annexOf: (number: string | null, date: string) =>
      `(Kèm theo Báo cáo${number ? ` số ${number}` : ''} ngày ${date})`,
    no: 'STT',
    unitName: 'Đơn vị',
  },
  en: {
    nation: 'SOCIALIST REPUBLIC OF VIET NAM',
    motto: 'Independence - Freedom - Happiness',
    number: 'No.:',
    kind: 'REPORT',
    draft: 'DRAFT',
    item: 'Indicator',
    unit: 'Unit',
    against: 'Against',
    ytd: 'Year to date,',
    target: 'Share of the year’s target (%)',
    ofWhich: 'Of which:',
    estimate: '(estimate)',
    noData: 'no data yet',
    qualifier: { exact: '', about: 'about ', over: 'over ', under: 'nearly ' },
    reportedNote: 'Change as the source reported it (no earlier value in the system).',
    note: 'Note:',
    completeness: 'Reporting completeness',
    dataSet: 'Report',
    expected: 'Units expected',
    onTime: 'On time',
    late: 'Late',
    missing: 'Missing',
    lateUnits: (n: string, names: readonly string[]) => `${n} reported late${list(names)}`,
    missingUnits: (n: string, names: readonly string[]) => `${n} not reported${list(names)}`,
    corrections: 'Corrected figures',
    recipients: 'Recipients:',
    correctionsLead: 'The following figures were corrected since the previous issue:',
    before: 'As issued',
    after: 'Corrected',
    annex: 'ANNEX',
    annexTitle: (period: string) => `Figures by administrative unit, ${period}`,
    annexOf: (number: string | null, date: string) =>
      `(Attached to Report${number ? ` No. ${number}` : ''} of ${date})`,
    no: 'No.',
    unitName: 'Unit',
  },
} as const;

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];
const roman = (n: number) => ROMAN[n - 1] ?? String(n);

/** Text for HTML (element content and quoted attributes). */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
const esc = escapeHtml;

const upperFirst = (s: string) => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);

/**
 * "Hà Nội, ngày 08 tháng 02 năm 2022": the decree pads days below 10 and the months 1 and 2
 * with a zero (so that nothing can be written in front of them).
 */
function placeAndDate(place: string, iso: string, lang: Lang): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (lang === 'en') return `${place}, ${d} ${MONTHS_EN[m - 1]} ${y}`;
  const dd = String(d).padStart(2, '0');
  const mm = m <= 2 ? String(m).padStart(2, '0') : String(m);
  return `${place}, ngày ${dd} tháng ${mm} năm ${y}`;
}

/** dd/mm/yyyy, as an annex's reference to its report prints the date. */
const shortDate = (iso: string) => iso.split('-').reverse().join('/');

interface Formats {
  value: (v: number) => string;
  pct: (v: number) => string;
  share: (v: number) => string;
}

function formats(lang: Lang): Formats {
  // Tables print numbers as the sentences do: 1.234,5 in Vietnamese, 1,234.5 in English.
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const value = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(locale, {
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  });
  const share = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  return {
    value: (v) => value.format(v),
    pct: (v) => pct.format(v),
    share: (v) => share.format(v),
  };
}

const STYLE = `
@page { size: A4; margin: 20mm 15mm 20mm 30mm;
  @top-center { content: counter(page); font: 13pt "Times New Roman", "Liberation Serif", serif; } }
@page :first { @top-center { content: none; } }
@page annex { size: A4 landscape; }
* { box-sizing: border-box; }
html { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 14pt; color: #000; }
body { margin: 0; line-height: 1.3; }
.draft { text-align: right; margin: 0 0 4pt; }
.draft span { display: inline-block; border: 1pt solid #000; padding: 1pt 8pt; font-weight: bold; font-size: 14pt; }
table.heading { width: 100%; border-collapse: collapse; }
table.closing { width: 100%; border-collapse: collapse; margin-top: 12pt; break-inside: avoid; }
table.closing td { width: 50%; vertical-align: top; padding: 0; }
table.closing .to { font-size: 11pt; }
table.closing .to-head { font-size: 12pt; font-weight: bold; font-style: italic; }
table.closing .signer { text-align: center; font-weight: bold; text-transform: uppercase; text-wrap: balance; }
table.closing .signer .name { text-transform: none; margin-top: 64pt; }
table.heading td { text-align: center; vertical-align: top; padding: 0; }
table.heading td + td { padding-left: 8pt; }
.parent, .issuer { font-size: 12pt; }
.issuer, .nation, .motto, .kind, .summary { font-weight: bold; }
.nation { font-size: 12pt; white-space: nowrap; }
.motto { font-size: 13pt; display: inline-block; border-bottom: 0.75pt solid #000; padding-bottom: 1pt; }
.rule-short { display: inline-block; }
.rule-short::after { content: ""; display: block; width: 40%; margin: 2pt auto 0; border-top: 0.75pt solid #000; }
.number { font-size: 13pt; padding-top: 6pt !important; }
.date { font-size: 13pt; font-style: italic; padding-top: 6pt !important; }
.title { text-align: center; margin: 18pt 0 12pt; }
.kind { font-size: 14pt; }
.summary { font-size: 14pt; }
h2 { font-size: 14pt; font-weight: bold; margin: 10pt 0 4pt; break-after: avoid; }
p { margin: 0 0 6pt; text-align: justify; text-indent: 1cm; }
table.figures { width: 100%; border-collapse: collapse; font-size: 12pt; margin: 4pt 0 8pt; }
table.figures th, table.figures td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top; }
table.figures th { font-weight: bold; text-align: center; }
table.figures td.n { text-align: right; white-space: nowrap; }
table.figures td.c { text-align: center; }
table.figures tr { break-inside: avoid; }
table.figures td.opt { padding-left: 14pt; }
table.figures td.sub { font-style: italic; }
.none { font-style: italic; font-size: 10.5pt; white-space: normal; }
sup { font-size: 8pt; }
.note { font-size: 12pt; font-style: italic; text-indent: 0; }
.annex { break-before: page; }
.annex.wide { page: annex; }
.annex table.figures { font-size: 11pt; }
.annex .head { text-align: center; margin: 0 0 10pt; }
.annex .head div:first-child { font-weight: bold; }
.annex .head .ref { font-style: italic; font-size: 13pt; }
`;

interface Ctx {
  lang: Lang;
  w: (typeof WORDS)[Lang];
  f: Formats;
  /** Some change printed is the source's own, so the note explaining its mark is printed. */
  reported: boolean;
}

const noData = (c: Ctx) => `<span class="none">${esc(c.w.noData)}</span>`;

function qualified(c: Ctx, v: number | null, q: FigureQualifier): string {
  return v === null ? noData(c) : esc(c.w.qualifier[q] + c.f.value(v));
}

/** A change's cell: the source's own change carries a mark, explained once in a note. */
function changeCell(c: Ctx, ch: BriefingChange | null): string {
  if (!ch) return '<td class="n"></td>';
  if (ch.pct === null) return `<td class="n">${noData(c)}</td>`;
  const mark = ch.source === 'reported' ? '<sup>(*)</sup>' : '';
  if (mark) c.reported = true;
  return `<td class="n">${esc(c.f.pct(ch.pct))}${mark}</td>`;
}

const lang2 = <T>(c: Ctx, vi: T, en: T) => (c.lang === 'vi' ? vi : en);

/** The section's figures as a table: the columns any of its lines asks for. */
function figuresTable(c: Ctx, section: BriefingSection, periodLabel: string): string {
  const figs = section.paragraphs.map((p) => p.figure);
  const first = <K extends 'yoy' | 'prev' | 'ytd'>(k: K) =>
    figs.map((f) => f[k]).find((x) => x !== null) ?? null;
  const yoy = first('yoy');
  const prev = first('prev');
  const ytd = first('ytd');
  const target = figs.some((f) => f.target !== null);
  const heads = [
    esc(c.w.item),
    esc(c.w.unit),
    esc(upperFirst(periodLabel)),
    ...(yoy ? [esc(`${c.w.against} ${lang2(c, yoy.periodVi, yoy.periodEn)} (%)`)] : []),
    ...(prev ? [esc(`${c.w.against} ${lang2(c, prev.periodVi, prev.periodEn)} (%)`)] : []),
    ...(ytd ? [esc(`${c.w.ytd} ${lang2(c, ytd.periodVi, ytd.periodEn)}`)] : []),
    ...(target ? [esc(c.w.target)] : []),
  ];
  const rows: string[] = [];
  const row = (f: BriefingFigure) => {
    const label = lang2(c, f.labelVi, f.labelEn) + (f.estimate ? ` ${c.w.estimate}` : '');
    const period = lang2(c, f.periodVi, f.periodEn);
    const cells = [
      `<td>${esc(label)}${period ? ` <i>(${esc(period)})</i>` : ''}</td>`,
      `<td class="c">${esc(lang2(c, f.unitVi, f.unitEn) ?? '')}</td>`,
      `<td class="n">${qualified(c, f.value, f.qualifier)}</td>`,
      ...(yoy ? [changeCell(c, f.yoy)] : []),
      ...(prev ? [changeCell(c, f.prev)] : []),
      ...(ytd ? [`<td class="n">${f.ytd ? qualified(c, f.ytd.value, 'exact') : ''}</td>`] : []),
      ...(target
        ? [
            `<td class="n">${
              !f.target ? '' : f.target.share === null ? noData(c) : esc(c.f.share(f.target.share))
            }</td>`,
          ]
        : []),
    ];
    rows.push(`<tr>${cells.join('')}</tr>`);
    if (f.options.length === 0) return;
    rows.push(`<tr><td class="sub" colspan="${heads.length}">${esc(c.w.ofWhich)}</td></tr>`);
    for (const o of f.options) {
      const cells = [
        `<td class="opt">- ${esc(lang2(c, o.labelVi, o.labelEn))}</td>`,
        `<td class="c">${esc(lang2(c, f.unitVi, f.unitEn) ?? '')}</td>`,
        `<td class="n">${qualified(c, o.value, o.qualifier)}</td>`,
        ...(yoy ? [changeCell(c, o.yoy)] : []),
        ...(prev ? [changeCell(c, o.prev)] : []),
        ...(ytd ? ['<td class="n"></td>'] : []),
        ...(target ? ['<td class="n"></td>'] : []),
      ];
      rows.push(`<tr>${cells.join('')}</tr>`);
    }
  };
  figs.forEach(row);
  return `<table class="figures"><thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function completeness(c: Ctx, doc: BriefingDocument): string {
  const w = c.w;
  const rows = doc.completeness.map(
    (d) =>
      `<tr><td>${esc(lang2(c, d.nameVi, d.nameEn))}</td>${[d.expected, d.onTime, d.late, d.missing]
        .map((n) => `<td class="n">${esc(c.f.value(n))}</td>`)
        .join('')}</tr>`,
  );
  // "…: 3 đơn vị báo cáo muộn (Hà Giang, …), 2 đơn vị chưa báo cáo (Bạc Liêu, Cà Mau)."
  const named = doc.completeness.flatMap((d) => {
    const parts = [
      ...(d.late ? [w.lateUnits(c.f.value(d.late), d.lateUnits)] : []),
      ...(d.missing ? [w.missingUnits(c.f.value(d.missing), d.missingUnits)] : []),
    ];
    return parts.length
      ? [`<p>${esc(`${lang2(c, d.nameVi, d.nameEn)}: ${parts.join(', ')}.`)}</p>`]
      : [];
  });
  const heads = [w.dataSet, w.expected, w.onTime, w.late, w.missing];
  return `<table class="figures"><thead><tr>${heads.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>${named.join('')}`;
}

function corrections(c: Ctx, doc: BriefingDocument): string {
  const rows = doc.corrections.map(
    (r) =>
      `<tr><td>${esc(lang2(c, r.labelVi, r.labelEn))}</td><td class="c">${esc(r.unitVi ?? '')}</td>` +
      `<td class="n">${qualified(c, r.before, 'exact')}</td><td class="n">${qualified(c, r.after, 'exact')}</td></tr>`,
  );
  const heads = [c.w.item, c.w.unit, c.w.before, c.w.after];
  return `<p>${esc(c.w.correctionsLead)}</p><table class="figures"><thead><tr>${heads.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The decimals a value prints with (at most 2, as elsewhere). */
const decimals = (v: number | null) =>
  v === null ? 0 : (/[.,](\d+)$/.exec(String(Math.round(v * 100) / 100))?.[1]?.length ?? 0);

/** The annex (every line for every unit one level below the scope), landscape when wide. */
function annex(c: Ctx, doc: BriefingDocument): string {
  const { columns, rows } = doc.annex;
  const heads = [
    esc(c.w.no),
    esc(c.w.unitName),
    ...columns.map(
      (col) =>
        `${esc(lang2(c, col.labelVi, col.labelEn))}${col.unitVi ? ` (${esc(col.unitVi)})` : ''}`,
    ),
  ];
  // A column prints its numbers with the same decimals, so that they line up.
  const locale = c.lang === 'vi' ? 'vi-VN' : 'en-GB';
  const cols = columns.map((_, j) => {
    const digits = Math.max(0, ...rows.map((r) => decimals(r.values[j] ?? null)));
    const nf = new Intl.NumberFormat(locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    return (v: number | null) => (v === null ? noData(c) : esc(nf.format(v)));
  });
  const body = rows.map(
    (r, i) =>
      `<tr><td class="c">${i + 1}</td><td>${esc(r.nameVi)}</td>${r.values
        .map((v, j) => `<td class="n">${cols[j]!(v)}</td>`)
        .join('')}</tr>`,
  );
  return `<section class="annex${columns.length > 4 ? ' wide' : ''}"><div class="head"><div>${esc(c.w.annex)}</div>
<div>${esc(c.w.annexTitle(lang2(c, doc.period.labelVi, doc.period.labelEn)))}</div>
<div class="ref">${esc(c.w.annexOf(doc.number, shortDate(doc.date)))}</div></div>
<table class="figures"><thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></section>`;
}

/** "Nơi nhận" at the left, the signer at the right (Decree 30, II.7 and II.9), as in the DOCX. */
function closing(c0: Ctx, doc: BriefingDocument): string {
  const c = doc.closing;
  if (!c) return '';
  const recipients = c.recipients.length
    ? `<div class="to-head">${esc(c0.w.recipients)}</div>${c.recipients.map((r) => `<div>- ${esc(r)}</div>`).join('')}`
    : '';
  const office = [c.authorityVi, c.titleVi].filter((x) => x).map((x) => `<div>${esc(x!)}</div>`);
  return `<table class="closing"><tr><td class="to">${recipients}</td>
<td class="signer"><div class="office">${office.join('')}</div><div class="name">${esc(c.name ?? '')}</div></td></tr></table>`;
}

/** The briefing as a printable page, in Vietnamese (the document) or English (a translation). */
export function briefingHtml(doc: BriefingDocument, lang: Lang = 'vi'): string {
  const w = WORDS[lang];
  const c: Ctx = { lang, w, f: formats(lang), reported: false };
  const title = lang2(c, doc.titleVi, doc.titleEn);
  // The kind of document stands on its own line; the title's own "Báo cáo" is not repeated.
  const summary = upperFirst(title.replace(/^(báo cáo|report)\s+/i, ''));

  const heading = `<table class="heading"><tr>
<td class="body">${doc.parentBodyVi ? `<div class="parent">${esc(doc.parentBodyVi)}</div>` : ''}<div class="issuer rule-short">${esc(doc.bodyVi)}</div></td>
<td><div class="nation">${esc(w.nation)}</div><div class="motto">${esc(w.motto)}</div></td></tr>
<tr><td class="number">${esc(w.number)} ${doc.number ? esc(doc.number) : '&nbsp;'.repeat(16)}</td>
<td class="date">${esc(placeAndDate(doc.place, doc.date, lang))}</td></tr></table>`;

  let n = 0;
  const sections = doc.sections.map((s) => {
    const paragraphs = s.paragraphs.map((p) => `<p>${esc(lang2(c, p.vi, p.en))}</p>`).join('\n');
    const table = s.table
      ? figuresTable(c, s, lang2(c, doc.period.labelVi, doc.period.labelEn))
      : '';
    return `<section><h2>${roman(++n)}. ${esc(lang2(c, s.titleVi, s.titleEn).toLocaleUpperCase(lang))}</h2>\n${paragraphs}\n${table}</section>`;
  });
  // Built before the note, so that it knows whether a reported change was marked.
  const note = c.reported
    ? `<p class="note">${esc(w.note)} <sup>(*)</sup> ${esc(w.reportedNote)}</p>`
    : '';
  const more = [
    ...(doc.completeness.length
      ? [
          `<section><h2>${roman(++n)}. ${esc(w.completeness.toLocaleUpperCase(lang))}</h2>${completeness(c, doc)}</section>`,
        ]
      : []),
    ...(doc.corrections.length
      ? [
          `<section><h2>${roman(++n)}. ${esc(w.corrections.toLocaleUpperCase(lang))}</h2>${corrections(c, doc)}</section>`,
        ]
      : []),
  ];

  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
${doc.status === 'draft' ? `<div class="draft"><span>${esc(w.draft)}</span></div>` : ''}
${heading}
<div class="title"><div class="kind">${esc(w.kind)}</div><div class="summary rule-short">${esc(summary)}</div></div>
${sections.join('\n')}
${note}
${more.join('\n')}
${closing(c, doc)}
${doc.annex.rows.length ? annex(c, doc) : ''}
</body></html>
`;
}
