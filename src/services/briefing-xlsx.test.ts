import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import type { BriefingDocument, BriefingFigure } from '../domain/briefing-document.ts';
import { CsvReader } from '../domain/data-value-set.ts';
import { BRIEFING_FIXTURE } from '../test/briefing-fixture.ts';
import { libreOfficeConvert, pdfText, SKIP_DOCUMENTS } from '../test/documents.ts';
import { BRIEFING_CSV_COLUMNS, briefingCsv } from './briefing-csv.ts';
import { briefingXlsx, sheetName } from './briefing-xlsx.ts';

/**
 * The briefing's XLSX and CSV exports (issue 18): the same bytes for the same document; the
 * workbook opened by LibreOffice (a reader nobody here wrote), whose PDF holds the Vietnamese
 * labels and whose CSV gives the numbers back as numbers, on every sheet; the CSV read back
 * gives the document's figures.
 */

const doc = BRIEFING_FIXTURE;

/** The entries of a zip (JSZip's output: no zip64), with their DOS date and time, inflated. */
function unzip(bytes: Uint8Array): Map<string, { date: number; time: number; text: string }> {
  const b = Buffer.from(bytes);
  let end = b.length - 22;
  while (b.readUInt32LE(end) !== 0x06054b50) end--;
  const out = new Map<string, { date: number; time: number; text: string }>();
  let p = b.readUInt32LE(end + 16);
  for (let i = 0; i < b.readUInt16LE(end + 10); i++) {
    const [n, e, c] = [b.readUInt16LE(p + 28), b.readUInt16LE(p + 30), b.readUInt16LE(p + 32)];
    const name = b.toString('utf8', p + 46, p + 46 + n);
    const local = b.readUInt32LE(p + 42);
    assert.equal(b.readUInt16LE(local + 10), b.readUInt16LE(p + 12), `${name}: local time`);
    assert.equal(b.readUInt16LE(local + 12), b.readUInt16LE(p + 14), `${name}: local date`);
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const data = b.subarray(start, start + b.readUInt32LE(p + 20));
    const method = b.readUInt16LE(p + 10);
    out.set(name, {
      time: b.readUInt16LE(p + 12),
      date: b.readUInt16LE(p + 14),
      text: (method === 8 ? inflateRawSync(data) : data).toString('utf8'),
    });
    p += 46 + n + e + c;
  }
  return out;
}

/** The sheet names of a workbook, in order. */
const sheetNames = (xlsx: Uint8Array) =>
  [
    ...unzip(xlsx)
      .get('xl/workbook.xml')!
      .text.matchAll(/<sheet [^>]*name="([^"]*)"/g),
  ].map((m) => m[1]!.replace(/&amp;/g, '&'));

/** A field of LibreOffice's CSV, and whether it was quoted (text) or not (a number, or empty). */
interface Field {
  v: string;
  quoted: boolean;
}

/** Splits CSV (`sep`, `"` quotes, no line breaks inside fields in these sheets), keeping quoting. */
function fields(text: string, sep: string): Field[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((line) => {
      const row: Field[] = [];
      let i = 0;
      for (;;) {
        if (line[i] === '"') {
          let v = '';
          let j = i + 1;
          for (;;) {
            const q = line.indexOf('"', j);
            v += line.slice(j, q);
            if (line[q + 1] === '"') {
              v += '"';
              j = q + 2;
            } else {
              i = q + 1;
              break;
            }
          }
          row.push({ v, quoted: true });
        } else {
          const j = line.indexOf(sep, i);
          row.push({ v: line.slice(i, j < 0 ? line.length : j), quoted: false });
          i = j < 0 ? line.length : j;
        }
        if (i >= line.length) return row;
        i++; // the separator
      }
    });
}

/**
 * A number as LibreOffice's CSV writes a cell's unformatted value: unquoted (text cells are
 * all quoted) and with the decimal separator of the cell format's language (vi-VN: a comma).
 * Empty and unquoted for an empty cell.
 */
function numberOf(f: Field | undefined, what: string): number | null {
  assert.ok(f, `${what}: no cell`);
  assert.equal(f.quoted, false, `${what}: "${f.v}" came back as text, not a number`);
  return f.v === '' ? null : Number(f.v.replace(',', '.'));
}

/** The numbers a figure's row holds: value, yoy %, prev %, year to date, target, share. */
const NUMBER_COLUMNS = { value: 3, yoy: 6, prev: 8, ytd: 10, target: 11, share: 12 };
const figureNumbers = (f: BriefingFigure) => ({
  value: f.value,
  yoy: f.yoy?.pct ?? null,
  prev: f.prev?.pct ?? null,
  ytd: f.ytd?.value ?? null,
  target: f.target?.value ?? null,
  share: f.target?.share ?? null,
});

describe('briefing XLSX', () => {
  it('gives the same bytes for the same document, whatever the clock says', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: Date.parse('2030-01-01T10:00:01Z') });
    const a = await briefingXlsx(doc);
    t.mock.timers.setTime(Date.parse('2031-07-15T23:59:58Z'));
    const b = await briefingXlsx(doc);
    t.mock.timers.reset();
    const c = await briefingXlsx(doc);
    assert.ok(Buffer.from(a).equals(Buffer.from(b)), 'two clocks, the same bytes');
    assert.ok(Buffer.from(a).equals(Buffer.from(c)), 'and the real clock too');

    // What would vary is pinned to the document's date: the zip entries' times and the
    // workbook's created and modified dates.
    const entries = unzip(a);
    const dosDate = ((2022 - 1980) << 9) | (2 << 5) | 8;
    for (const [name, e] of entries) {
      assert.deepEqual([e.date, e.time], [dosDate, 0], `${name}: dated 2022-02-08 00:00`);
    }
    const core = entries.get('docProps/core.xml')!.text;
    assert.match(core, /<dcterms:created[^>]*>2022-02-08T00:00:00Z</);
    assert.match(core, /<dcterms:modified[^>]*>2022-02-08T00:00:00Z</);
    assert.deepEqual(sheetNames(a), [
      'An toàn thông tin',
      'Công nghiệp ICT',
      'Tính đầy đủ',
      'Số liệu điều chỉnh',
      'Phụ lục',
    ]);
    // Numbers are numeric cells with the vi-VN format, never shared strings.
    assert.match(
      entries.get('xl/worksheets/sheet1.xml')!.text,
      /<c r="D13" s="\d+"><v>4581000<\/v>/,
    );
    assert.match(entries.get('xl/styles.xml')!.text, /formatCode="\[\$-42A\]#,##0\.0"/);
  });

  it('names sheets within Excel’s rules, and leaves out the corrections when there are none', async () => {
    const taken = new Set(['phụ lục']);
    assert.equal(
      sheetName('Bưu chính: tháng 01/2022 [thử] *?', taken, 'x'),
      'Bưu chính- tháng 01-2022 -thử-',
    );
    assert.equal(sheetName('Phụ lục', taken, 'x'), 'Phụ lục (2)');
    const long = 'Chuyển đổi số quốc gia và phát triển chính phủ số';
    assert.equal(sheetName(long, taken, 'x'), 'Chuyển đổi số quốc gia và phát');
    assert.equal(sheetName(long, taken, 'x'), 'Chuyển đổi số quốc gia và (2)');
    assert.equal(sheetName("'History'", taken, 'x'), 'History (2)');
    assert.equal(sheetName(' / ', taken, 'Phần 3'), 'Phần 3');
    assert.equal(sheetName("''", taken, 'Phần 3'), 'Phần 3 (2)');

    const section = doc.sections[0]!;
    const draft: BriefingDocument = {
      ...doc,
      status: 'draft',
      number: null,
      corrections: [],
      sections: [
        { ...section, titleVi: 'Tính đầy đủ' },
        { ...section, titleVi: 'An toàn thông tin / An ninh mạng: số liệu tháng 01/2022' },
      ],
    };
    const names = sheetNames(await briefingXlsx(draft));
    assert.deepEqual(names, [
      'Tính đầy đủ (2)',
      'An toàn thông tin - An ninh',
      'Tính đầy đủ',
      'Phụ lục',
    ]);
    for (const n of names) assert.ok(n.length <= 31 && !/[:\\/?*[\]]/.test(n), n);
  });

  it(
    'opens in LibreOffice: its PDF holds the Vietnamese labels and the figures as printed',
    { skip: SKIP_DOCUMENTS },
    async () => {
      const xlsx = await briefingXlsx(doc);
      const pdf = [...(await libreOfficeConvert(xlsx, 'briefing.xlsx', 'pdf')).values()][0]!;
      const text = (await pdfText(pdf)).normalize('NFC');
      const expected = [
        'BỘ THÔNG TIN VÀ TRUYỀN THÔNG',
        'Báo cáo giao ban quản lý nhà nước tháng 01/2022',
        'Số: 15/BC-BTTTT',
        'Hà Nội, ngày 08 tháng 02 năm 2022',
        'Sự cố tấn công mạng vào hệ thống thông tin tại Việt Nam',
        'trong đó: tấn công lừa đảo (phishing)',
        'Tổng số chứng thư số công cộng đã cấp',
        // Headers short enough not to wrap.
        'Chỉ tiêu',
        'Đơn vị tính',
        'Giá trị',
        'Ước tính (x)',
        'Lũy kế',
        '% kế hoạch năm',
        'Báo cáo tháng của Sở Thông tin và Truyền thông',
        'Hà Giang, Cao Bằng, Đắk Nông',
        'Số liệu điều chỉnh',
        'Phụ lục',
        // The vi-VN number format, as LibreOffice shows it.
        '4.581.000',
        '222.762,5',
        '10,29',
        ...doc.annex.rows.map((r) => r.nameVi),
      ];
      for (const s of expected) assert.ok(text.includes(s), `the PDF holds "${s}"`);
    },
  );

  it(
    'opens in LibreOffice: every sheet’s numbers come back as numbers, text as text',
    { skip: SKIP_DOCUMENTS },
    async () => {
      const xlsx = await briefingXlsx(doc);
      // Separator ';', '"' quotes, UTF-8, quote every text cell, values unformatted (not as
      // shown), every sheet to its own file (`-1`).
      const files = await libreOfficeConvert(
        xlsx,
        'b.xlsx',
        'csv:Text - txt - csv (StarCalc):59,34,76,1,,0,true,true,false,false,false,-1',
      );
      const sheet = (name: string) => {
        const f = files.get(`b-${name}.csv`);
        assert.ok(f, `a CSV for sheet ${name} among ${[...files.keys()].join(', ')}`);
        return fields(f.toString('utf8'), ';');
      };
      assert.equal(files.size, 5);

      // Each section: a row per figure and per option, found by its label (a text cell).
      for (const s of doc.sections) {
        const rows = sheet(s.titleVi);
        const byLabel = new Map(rows.map((r) => [r[0]!.v, r]));
        for (const { figure: f } of s.paragraphs) {
          const row = byLabel.get(f.labelVi);
          assert.ok(row, `${s.titleVi}: a row for ${f.labelVi}`);
          assert.ok(row[0]!.quoted && row[1]!.quoted, 'labels and units are text');
          for (const [k, want] of Object.entries(figureNumbers(f))) {
            const col = NUMBER_COLUMNS[k as keyof typeof NUMBER_COLUMNS];
            assert.equal(numberOf(row[col], `${f.lineId} ${k}`), want, `${f.lineId} ${k}`);
          }
          for (const o of f.options) {
            const orow = byLabel.get(`trong đó: ${o.labelVi}`);
            assert.ok(orow, `a row for option ${o.code}`);
            assert.equal(numberOf(orow[3], o.code), o.value);
          }
        }
      }
      const security = new Map(sheet('An toàn thông tin').map((r) => [r[0]!.v, r]));
      const certs = security.get('Tổng số chứng thư số công cộng đã cấp')!;
      assert.deepEqual(certs[3], { v: '4581000', quoted: false }, 'stored as 4581000, a number');
      assert.deepEqual(certs[4], { v: 'khoảng', quoted: true }, 'printed as "khoảng" stays so');
      assert.deepEqual(certs[7], { v: 'tính', quoted: true });
      const ict = new Map(sheet('Công nghiệp ICT').map((r) => [r[0]!.v, r]));
      assert.deepEqual(ict.get('Tổng doanh thu công nghiệp ICT')![5], { v: 'x', quoted: true });
      assert.deepEqual(
        ict.get('Doanh thu bưu chính')![3],
        { v: '', quoted: false },
        'missing: empty, not 0',
      );

      const completeness = sheet('Tính đầy đủ').find((r) => r[0]!.v === 'MIC_MONTHLY')!;
      assert.deepEqual(
        completeness.slice(2, 6).map((f, i) => numberOf(f, `completeness ${i}`)),
        [63, 58, 3, 2],
      );
      assert.equal(completeness[6]!.v, 'Hà Giang, Cao Bằng, Đắk Nông');

      const correction = sheet('Số liệu điều chỉnh').find(
        (r) => r[0]!.v === 'security.certificates',
      )!;
      assert.deepEqual(
        [numberOf(correction[3], 'before'), numberOf(correction[4], 'after')],
        [4_580_000, 4_581_000],
      );

      // The annex: every province, its code kept as text ("01", not 1), every column's value.
      const annex = sheet('Phụ lục');
      const first = annex.findIndex((r) => r[0]!.v === 'Code') + 1;
      const rows = annex.slice(first);
      assert.equal(rows.length, 63);
      rows.forEach((r, i) => {
        const want = doc.annex.rows[i]!;
        assert.deepEqual(r[0], { v: want.code, quoted: true });
        assert.equal(r[1]!.v, want.nameVi);
        assert.deepEqual(
          want.values.map((_, c) => numberOf(r[2 + c], `${want.nameVi} ${c}`)),
          want.values,
        );
      });
    },
  );
});

describe('briefing CSV', () => {
  /** Records as the repository's CSV reader (RFC 4180) reads them. */
  const read = (text: string) => {
    const records: string[][] = [];
    const reader = new CsvReader((cells) => records.push(cells));
    reader.push(text);
    reader.end();
    return records;
  };

  it('reads back to the document’s figures, one record per line and option', () => {
    const text = briefingCsv(doc);
    assert.ok(text.startsWith('\uFEFF'), 'a BOM for Excel');
    assert.ok(
      text
        .slice(1)
        .split('\r\n')
        .slice(0, -1)
        .every((l) => !l.includes('\n')),
      'CRLF line ends',
    );
    const [header, ...records] = read(text);
    assert.deepEqual(header, [...BRIEFING_CSV_COLUMNS]);
    const col = (r: string[], name: (typeof BRIEFING_CSV_COLUMNS)[number]) =>
      r[BRIEFING_CSV_COLUMNS.indexOf(name)]!;
    const num = (s: string) => (s === '' ? null : Number(s));

    const expected = doc.sections.flatMap((s) =>
      s.paragraphs.flatMap(({ figure: f }) => [
        [
          s.code,
          f.lineId,
          f.item,
          '',
          f.value,
          f.scale,
          f.unitVi ?? '',
          String(f.estimate),
          f.qualifier,
          f.yoy?.pct ?? null,
          f.yoy?.source ?? '',
          f.prev?.pct ?? null,
          f.prev?.source ?? '',
          f.ytd?.value ?? null,
          f.target?.share ?? null,
          f.labelVi,
        ],
        ...f.options.map((o) => [
          s.code,
          f.lineId,
          f.item,
          o.code,
          o.value,
          f.scale,
          f.unitVi ?? '',
          '',
          o.qualifier,
          o.yoy?.pct ?? null,
          o.yoy?.source ?? '',
          o.prev?.pct ?? null,
          o.prev?.source ?? '',
          null,
          null,
          o.labelVi,
        ]),
      ]),
    );
    const numeric = new Set(['value', 'scale', 'yoy_pct', 'prev_pct', 'ytd', 'target_share']);
    const got = records.map((r) =>
      BRIEFING_CSV_COLUMNS.map((c) => (numeric.has(c) ? num(col(r, c)) : col(r, c))),
    );
    assert.deepEqual(got, expected);
    assert.equal(records.length, 4 + 3, 'four lines and three options');

    // Plain numbers, as machines read them.
    assert.match(text, /,222762\.5,1000000000,/);
    assert.match(text, /,4581000,1,/);
    assert.match(text, /,-23,reported,/);
  });

  it('quotes what RFC 4180 asks, and neutralises formula-like text', () => {
    const f = doc.sections[0]!.paragraphs[1]!.figure;
    const tricky: BriefingDocument = {
      ...doc,
      sections: [
        {
          ...doc.sections[0]!,
          paragraphs: [
            {
              ...doc.sections[0]!.paragraphs[1]!,
              figure: {
                ...f,
                labelVi: 'Chứng thư "số", cấp mới\nlần đầu',
                unitVi: '=HYPERLINK("x")',
                value: -0.5,
              },
            },
          ],
        },
      ],
    };
    const text = briefingCsv(tricky);
    assert.ok(text.includes('"Chứng thư ""số"", cấp mới\nlần đầu"'));
    const [, r] = read(text);
    assert.equal(r![BRIEFING_CSV_COLUMNS.indexOf('label')], 'Chứng thư "số", cấp mới\nlần đầu');
    assert.equal(r![BRIEFING_CSV_COLUMNS.indexOf('unit')], `'=HYPERLINK("x")`);
    assert.equal(r![BRIEFING_CSV_COLUMNS.indexOf('value')], '-0.5');
  });
});
