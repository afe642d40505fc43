import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BriefingDocument } from '../domain/briefing-document.ts';
import { BRIEFING_FIXTURE } from '../test/briefing-fixture.ts';
import {
  libreOfficeConvert,
  pdfPages,
  pdfText,
  scratch,
  SKIP_DOCUMENTS,
} from '../test/documents.ts';
import { briefingDocx } from './briefing-docx.ts';

const run = promisify(execFile);

/** Where the pages are rendered to be looked at (issue 18: screenshots of the exports). */
const LOOK = '/tmp/briefing-docx-look';

/** Whitespace and line breaks as one space, so that text wrapped across lines compares whole. */
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The page sizes pdfinfo gives, in points, of every page. */
async function pdfPageSizes(pdf: Uint8Array): Promise<{ width: number; height: number }[]> {
  const { dir, done } = scratch();
  try {
    const input = join(dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdfinfo', ['-f', '1', '-l', '999', input]);
    return [...stdout.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => ({
      width: Number(m[1]),
      height: Number(m[2]),
    }));
  } finally {
    done();
  }
}

async function asPdf(docx: Uint8Array): Promise<Buffer> {
  const out = await libreOfficeConvert(docx, 'briefing.docx', 'pdf');
  const pdf = out.get('briefing.pdf');
  assert.ok(pdf, 'LibreOffice wrote briefing.pdf');
  return pdf;
}

const DRAFT: BriefingDocument = {
  ...BRIEFING_FIXTURE,
  status: 'draft',
  revision: 0,
  number: null,
  parentBodyVi: 'CHÍNH PHỦ',
  corrections: [],
  closing: { ...BRIEFING_FIXTURE.closing!, name: null },
};

describe('briefing DOCX', () => {
  it('gives the same bytes for the same document, whatever the clock says', async () => {
    mock.timers.enable({ apis: ['Date'], now: new Date('2021-03-04T05:06:07Z') });
    let first: Uint8Array;
    let second: Uint8Array;
    try {
      first = await briefingDocx(BRIEFING_FIXTURE);
      mock.timers.setTime(new Date('2030-11-12T13:14:15Z').getTime());
      second = await briefingDocx(BRIEFING_FIXTURE);
    } finally {
      mock.timers.reset();
    }
    const third = await briefingDocx(BRIEFING_FIXTURE);
    assert.equal(first[0], 0x50, 'a zip file');
    assert.ok(Buffer.from(first).equals(Buffer.from(second)), 'same bytes at two clock times');
    assert.ok(Buffer.from(first).equals(Buffer.from(third)), 'same bytes at the real time');
    // A different document does give different bytes.
    const other = await briefingDocx({ ...BRIEFING_FIXTURE, date: '2022-02-09' });
    assert.ok(!Buffer.from(first).equals(Buffer.from(other)));
  });

  it('refuses a date it cannot print', async () => {
    await assert.rejects(briefingDocx({ ...BRIEFING_FIXTURE, date: '08/02/2022' }), {
      code: 'bad_request',
    });
  });

  it(
    'is read by LibreOffice: A4, the heading, number, title, every sentence with diacritics',
    { skip: SKIP_DOCUMENTS },
    async () => {
      const pdf = await asPdf(await briefingDocx(BRIEFING_FIXTURE));
      const sizes = await pdfPageSizes(pdf);
      assert.ok(sizes.length >= 1);
      for (const s of sizes) {
        assert.ok(
          Math.abs(s.width - 595.3) < 1 && Math.abs(s.height - 841.9) < 1,
          `A4: ${s.width} x ${s.height}`,
        );
      }
      const txt = flat(await pdfText(pdf));
      for (const expected of [
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'Số: 15/BC-BTTTT',
        'Hà Nội, ngày 08 tháng 02 năm 2022',
        'BÁO CÁO',
        'Giao ban quản lý nhà nước tháng 01/2022',
        '(Bản điều chỉnh lần 1)',
        'I. AN TOÀN THÔNG TIN',
        'II. CÔNG NGHIỆP ICT',
        'SỐ LIỆU ĐIỀU CHỈNH',
        'Hà Giang, Cao Bằng, Đắk Nông',
        'Bạc Liêu, Cà Mau',
        // The end (II.7, II.9): recipients, the signer's authority, office and name.
        'Nơi nhận:',
        '- Bộ trưởng (để báo cáo);',
        '- Lưu: VT, KHTC.',
        'TL. BỘ TRƯỞNG',
        'Nguyễn Thị Lãnh Đạo',
      ]) {
        assert.ok(txt.includes(expected), `the PDF holds "${expected}"`);
      }
      // The body's name may wrap in its column: compared without the break.
      assert.ok(txt.includes('BỘ THÔNG TIN') && txt.includes('VÀ TRUYỀN THÔNG'));
      for (const section of BRIEFING_FIXTURE.sections) {
        for (const p of section.paragraphs) {
          assert.ok(txt.includes(flat(p.vi)), `the PDF holds the sentence "${p.vi}"`);
        }
      }
      // The security section's table: figures the Vietnamese way, reported changes marked.
      for (const cell of ['khoảng 4.581.000', '+14,1%', '+10,29%*', '197', '342', '844', '1.383']) {
        assert.ok(txt.includes(cell), `the table holds "${cell}"`);
      }
      assert.ok(!txt.includes('DỰ THẢO'), 'an issued briefing is not marked as a draft');

      mkdirSync(LOOK, { recursive: true });
      await pdfPages(pdf, LOOK, 'issued', 80);
    },
  );

  it(
    'marks a draft visibly, with the body above the issuer',
    { skip: SKIP_DOCUMENTS },
    async () => {
      const pdf = await asPdf(await briefingDocx(DRAFT));
      const txt = flat(await pdfText(pdf));
      assert.ok(txt.includes('DỰ THẢO'));
      assert.ok(txt.includes('CHÍNH PHỦ'));
      assert.ok(!txt.includes('15/BC-BTTTT'), 'a draft has no number yet');
      assert.ok(!txt.includes('SỐ LIỆU ĐIỀU CHỈNH'), 'no corrections, no section');
      assert.ok(txt.includes('TL. BỘ TRƯỞNG'), 'the signature block is laid out');
      assert.ok(!txt.includes('Nguyễn Thị Lãnh Đạo'), 'nobody has signed a draft');
      mkdirSync(LOOK, { recursive: true });
      await pdfPages(pdf, LOOK, 'draft', 80);
    },
  );
});
