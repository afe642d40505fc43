import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BriefingDocument } from '../domain/briefing-document.ts';
import { AppError } from '../domain/errors.ts';
import { BRIEFING_FIXTURE } from '../test/briefing-fixture.ts';
import { pdfFonts, pdfPages, pdfText, scratch, SKIP_DOCUMENTS } from '../test/documents.ts';
import { briefingHtml } from './briefing-html.ts';
import { CHROMIUM_PATH, PdfPrinter } from './briefing-pdf.ts';

const run = promisify(execFile);

/** Where the pages are rendered to be looked at (issue 18: screenshots of the exports). */
const LOOK = '/tmp/briefing-pdf-look';

/** Outside CI a machine without Chromium skips the prints; CI installs it and may not skip. */
const SKIP_PRINT =
  SKIP_DOCUMENTS ||
  (!existsSync(CHROMIUM_PATH) && !process.env.CI ? `no Chromium at ${CHROMIUM_PATH}` : false);

/** Whitespace and line breaks as one space, so that text wrapped across lines compares whole. */
const flat = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/** pdftotext's text without the page numbers heading pages 2… (a sentence may run across). */
const bodyText = (text: string) => flat(text.replace(/\f\s*\d+[ \t]*\n/g, '\n'));

const HOSTILE = '<script>alert("x")</script> & <b>đậm</b>';

const DRAFT: BriefingDocument = {
  ...BRIEFING_FIXTURE,
  status: 'draft',
  revision: 0,
  number: null,
  corrections: [],
};

/** pdfinfo's fields of every page (sizes) and of the file (dates). */
async function pdfInfo(pdf: Uint8Array): Promise<string> {
  const { dir, done } = scratch();
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdfinfo', ['-isodates', '-f', '1', '-l', '999', input]);
    return stdout;
  } finally {
    done();
  }
}

/** The box holding every word of page 1, in points from the top left (pdftotext -bbox). */
async function firstPageTextBox(pdf: Uint8Array) {
  const { dir, done } = scratch();
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdftotext', ['-bbox', '-f', '1', '-l', '1', input, '-']);
    const words = [
      ...stdout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"/g),
    ].map((m) => m.slice(1, 5).map(Number) as [number, number, number, number]);
    return {
      left: Math.min(...words.map((w) => w[0])),
      top: Math.min(...words.map((w) => w[1])),
      right: Math.max(...words.map((w) => w[2])),
      bottom: Math.max(...words.map((w) => w[3])),
    };
  } finally {
    done();
  }
}

const MM = 72 / 25.4;

describe('briefing print page (HTML)', () => {
  const hostile: BriefingDocument = {
    ...BRIEFING_FIXTURE,
    titleVi: `Báo cáo ${HOSTILE}`,
    sections: BRIEFING_FIXTURE.sections.map((s, i) => ({
      ...s,
      titleVi: i === 0 ? HOSTILE : s.titleVi,
      paragraphs: s.paragraphs.map((p, j) => (i === 0 && j === 0 ? { ...p, vi: HOSTILE } : p)),
    })),
    completeness: BRIEFING_FIXTURE.completeness.map((c) => ({ ...c, lateUnits: [HOSTILE] })),
  };

  it('shows an edited paragraph, a title, a unit as text: nothing the analyst types is markup', () => {
    const html = briefingHtml(hostile);
    assert.doesNotMatch(html, /<script|<b>/i);
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;'));
  });

  it('is self-contained: no link, image or font fetched; a CSP forbids it anyway', () => {
    const html = briefingHtml(BRIEFING_FIXTURE);
    assert.doesNotMatch(html, /https?:|<link|<img|<script|url\(|src=/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.match(html, /@page \{ size: A4; margin: 20mm 15mm 20mm 30mm;/);
    assert.match(
      html,
      /font-family: "Times New Roman", "Liberation Serif", serif; font-size: 14pt/,
    );
  });

  it('prints the decree heading, "Số:", place and date with zeros, the number the Vietnamese way', () => {
    const html = briefingHtml(BRIEFING_FIXTURE);
    for (const s of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số: 15/BC-BTTTT',
      'Hà Nội, ngày 08 tháng 02 năm 2022',
      'khoảng 4.581.000',
      '+10,29<sup>(*)</sup>',
    ])
      assert.ok(html.includes(s), s);
    // Only days below 10 and the months 1 and 2 take a zero (Decree 30/2020, Appendix I).
    assert.ok(
      briefingHtml({ ...BRIEFING_FIXTURE, date: '2022-03-15' }).includes(
        'Hà Nội, ngày 15 tháng 3 năm 2022',
      ),
    );
    assert.ok(!html.includes('DỰ THẢO'));
    assert.ok(briefingHtml(DRAFT).includes('DỰ THẢO'));
  });

  it('does not mark a paragraph to review: the printed document is the document', () => {
    const unflagged: BriefingDocument = {
      ...BRIEFING_FIXTURE,
      sections: BRIEFING_FIXTURE.sections.map((s) => ({
        ...s,
        paragraphs: s.paragraphs.map((p) => ({ ...p, needsReview: false, edited: false })),
      })),
    };
    assert.ok(BRIEFING_FIXTURE.sections.some((s) => s.paragraphs.some((p) => p.needsReview)));
    assert.equal(briefingHtml(BRIEFING_FIXTURE), briefingHtml(unflagged));
  });
});

describe('Chromium missing', () => {
  it('is a clear AppError, in Vietnamese and English', async () => {
    const printer = new PdfPrinter('/nonexistent/chromium');
    await assert.rejects(printer.print(BRIEFING_FIXTURE), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'internal');
      assert.match(e.messages.vi, /Chromium/);
      assert.match(e.messages.en, /Chromium is not available/);
      return true;
    });
    await printer.close();
  });
});

describe('briefing PDF', { skip: SKIP_PRINT }, () => {
  const printer = new PdfPrinter();
  let pdf: Uint8Array;
  let coldMs = 0;

  before(async () => {
    const t = performance.now();
    pdf = await printer.print(BRIEFING_FIXTURE);
    coldMs = performance.now() - t;
  });
  after(() => printer.close());

  it('holds the heading, number, title and every paragraph with its diacritics', async () => {
    const text = bodyText(await pdfText(pdf));
    const expected = [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      BRIEFING_FIXTURE.bodyVi,
      'Số: 15/BC-BTTTT',
      'Hà Nội, ngày 08 tháng 02 năm 2022',
      'BÁO CÁO',
      'Giao ban quản lý nhà nước tháng 01/2022',
      'I. AN TOÀN THÔNG TIN',
      'II. CÔNG NGHIỆP ICT',
      'III. TÌNH HÌNH BÁO CÁO SỐ LIỆU',
      'IV. SỐ LIỆU ĐIỀU CHỈNH',
      'khoảng 4.581.000',
      '3 đơn vị báo cáo muộn (Hà Giang, Cao Bằng, Đắk Nông)',
      '4.580.000 4.581.000',
      'PHỤ LỤC',
      'Nơi nhận:',
      '- Các Thứ trưởng;',
      'TL. BỘ TRƯỞNG',
      'Nguyễn Thị Lãnh Đạo',
      ...BRIEFING_FIXTURE.sections.flatMap((s) => s.paragraphs.map((p) => p.vi)),
      ...BRIEFING_FIXTURE.annex.rows.map((r) => r.nameVi),
    ];
    for (const s of expected) assert.ok(text.includes(flat(s)), `PDF text lacks: ${s}`);
    assert.ok(!text.includes('DỰ THẢO'));
  });

  it('embeds every font it uses', async () => {
    const fonts = await pdfFonts(pdf);
    assert.ok(fonts.length > 0);
    assert.deepEqual(
      fonts.filter((f) => !f.embedded),
      [],
    );
    assert.ok(
      fonts.every((f) => /TimesNewRoman|LiberationSerif/.test(f.name)),
      fonts[0]?.name,
    );
  });

  it('is A4 on every page, its text within the decree margins, dated the document', async () => {
    const info = await pdfInfo(pdf);
    const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)];
    assert.ok(sizes.length >= 2);
    for (const [, w, h] of sizes) {
      assert.ok(Math.abs(Number(w) - 595.28) < 1 && Math.abs(Number(h) - 841.89) < 1, `${w}x${h}`);
    }
    const box = await firstPageTextBox(pdf);
    assert.ok(box.left >= 30 * MM - 1, `left ${box.left}`);
    assert.ok(box.right <= 595.28 - 15 * MM + 1, `right ${box.right}`);
    assert.ok(box.top >= 20 * MM - 1, `top ${box.top}`);
    assert.ok(box.bottom <= 841.89 - 20 * MM + 1, `bottom ${box.bottom}`);
    assert.match(info, /CreationDate:\s+2022-02-08T00:00:00/);
    assert.match(info, /ModDate:\s+2022-02-08T00:00:00/);
  });

  it('gives the same bytes each time; Chromium alone differs only in its two dates', async (t) => {
    const start = performance.now();
    const again = await printer.print(BRIEFING_FIXTURE);
    const warmMs = performance.now() - start;
    t.diagnostic(`print: cold ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms`);
    assert.ok(Buffer.from(again).equals(Buffer.from(pdf)));

    const html = briefingHtml(BRIEFING_FIXTURE);
    const raw1 = Buffer.from(await printer.printHtml(html)).toString('latin1');
    await new Promise((r) => setTimeout(r, 1100)); // the dates count seconds
    const raw2 = Buffer.from(await printer.printHtml(html)).toString('latin1');
    const dates = /\/(CreationDate|ModDate) \(D:[^)]*\)/g;
    assert.notEqual(raw1, raw2);
    assert.equal(raw1.replace(dates, '$1'), raw2.replace(dates, '$1'));
  });

  it('shows hostile text as text', async () => {
    const doc: BriefingDocument = {
      ...BRIEFING_FIXTURE,
      sections: [
        {
          ...BRIEFING_FIXTURE.sections[1]!,
          paragraphs: [{ ...BRIEFING_FIXTURE.sections[1]!.paragraphs[0]!, vi: HOSTILE }],
        },
      ],
    };
    const text = bodyText(await pdfText(await printer.print(doc)));
    assert.ok(text.includes(flat(HOSTILE)), 'the sentence printed as typed');
  });

  it('renders its pages to look at (and a draft)', async () => {
    rmSync(LOOK, { recursive: true, force: true });
    mkdirSync(LOOK, { recursive: true });
    await pdfPages(pdf, LOOK, 'issued', 100);
    const draft = await printer.print(DRAFT);
    await pdfPages(draft, LOOK, 'draft', 100);
    const draftText = bodyText(await pdfText(draft));
    assert.ok(draftText.includes('DỰ THẢO'));
    const pngs = readdirSync(LOOK).filter((f) => f.endsWith('.png'));
    assert.ok(
      pngs.some((f) => f.startsWith('issued-')) && pngs.some((f) => f.startsWith('draft-')),
    );
  });
});
