import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BriefingChange, BriefingFigure, BriefingOptionFigure } from './briefing-document.ts';
import {
  changePhrase,
  computeChangePct,
  formatAmount,
  formatFigureNumber,
  targetPhrase,
  writeFigure,
} from './briefing-wording.ts';
import { BRIEFING_FIXTURE } from '../test/briefing-fixture.ts';

const change = (
  pct: number | null,
  source: BriefingChange['source'],
  periodVi = 'cùng kỳ năm 2021',
  periodEn = 'the same period of 2021',
  more: Partial<BriefingChange> = {},
): BriefingChange => ({ pct, source, earlier: null, periodVi, periodEn, ...more });

const prevMonth = (pct: number | null, source: BriefingChange['source']) =>
  change(pct, source, 'tháng 12/2021', 'December 2021');

const figure = (f: Partial<BriefingFigure>): BriefingFigure => ({
  lineId: 'l',
  item: 'X',
  labelVi: 'Sự cố tấn công mạng',
  labelEn: 'Cyberattacks',
  unitVi: 'cuộc',
  unitEn: 'attacks',
  scale: 1,
  value: 1383,
  estimate: false,
  qualifier: 'exact',
  periodVi: null,
  periodEn: null,
  yoy: null,
  prev: null,
  ytd: null,
  target: null,
  options: [],
  ...f,
});

const revenue = (f: Partial<BriefingFigure>) =>
  figure({
    labelVi: 'Doanh thu bưu chính',
    labelEn: 'Postal revenue',
    unitVi: 'tỷ đồng',
    unitEn: 'billion VND',
    scale: 1_000_000_000,
    value: 24_500,
    ...f,
  });

const option = (
  labelVi: string,
  labelEn: string,
  value: number | null,
  more: Partial<BriefingOptionFigure> = {},
): BriefingOptionFigure => ({
  code: labelEn,
  labelVi,
  labelEn,
  value,
  qualifier: 'exact',
  yoy: null,
  prev: null,
  ...more,
});

// The article's case: 4.581.000 certificates against 4.014.701 a year earlier, "tăng 14,1%".
const certPct = computeChangePct(4_581_000, 4_014_701);

const CASES: { name: string; f: BriefingFigure; vi: string; en: string }[] = [
  {
    name: 'rise, computed from two values (the article: 4.581.000 against 4.014.701)',
    f: figure({
      labelVi: 'Tổng số chứng thư số công cộng đã cấp',
      labelEn: 'Public digital certificates issued',
      unitVi: 'chứng thư số',
      unitEn: 'certificates',
      value: 4_581_000,
      yoy: change(certPct, 'computed', undefined, undefined, { earlier: 4_014_701 }),
    }),
    vi: 'Tổng số chứng thư số công cộng đã cấp: 4.581.000 chứng thư số, tăng 14,1% so với cùng kỳ năm 2021.',
    en: 'Public digital certificates issued: 4,581,000 certificates, up 14.1% on the same period of 2021.',
  },
  {
    name: 'fall, computed, rounded to one decimal',
    f: figure({
      labelVi: 'Số lượng địa chỉ IP Việt Nam nằm trong các mạng botnet',
      labelEn: 'Vietnamese IP addresses in botnets',
      unitVi: 'địa chỉ',
      unitEn: 'addresses',
      value: 879_342,
      prev: prevMonth(-9.2888, 'computed'),
    }),
    vi: 'Số lượng địa chỉ IP Việt Nam nằm trong các mạng botnet: 879.342 địa chỉ, giảm 9,3% so với tháng 12/2021.',
    en: 'Vietnamese IP addresses in botnets: 879,342 addresses, down 9.3% on December 2021.',
  },
  {
    name: 'no change: exactly 0',
    f: figure({ value: 634, prev: prevMonth(0, 'computed') }),
    vi: 'Sự cố tấn công mạng: 634 cuộc, không thay đổi so với tháng 12/2021.',
    en: 'Cyberattacks: 634 attacks, unchanged from December 2021.',
  },
  {
    name: 'a change that rounds to 0 is "about the same", not "unchanged"',
    f: figure({ value: 634, prev: prevMonth(-0.004, 'computed') }),
    vi: 'Sự cố tấn công mạng: 634 cuộc, tương đương tháng 12/2021.',
    en: 'Cyberattacks: 634 attacks, about the same as December 2021.',
  },
  {
    name: 'no earlier value and none reported: the comparison is not mentioned',
    f: figure({ value: 854, yoy: change(null, 'none'), prev: prevMonth(null, 'none') }),
    vi: 'Sự cố tấn công mạng: 854 cuộc.',
    en: 'Cyberattacks: 854 attacks.',
  },
  {
    name: 'reported change: printed with its own decimals and marked',
    f: figure({ prev: prevMonth(10.29, 'reported') }),
    vi: 'Sự cố tấn công mạng: 1.383 cuộc, tăng 10,29% so với tháng 12/2021 (theo số liệu báo cáo).',
    en: 'Cyberattacks: 1,383 attacks, up 10.29% on December 2021 (as reported).',
  },
  {
    name: 'reported approximate fall keeps its "khoảng"',
    f: revenue({
      labelVi: 'Tổng doanh thu công nghiệp ICT',
      labelEn: 'ICT industry revenue',
      value: 222_762,
      estimate: true,
      yoy: change(-23, 'reported', undefined, undefined, { qualifier: 'about' }),
    }),
    vi: 'Tổng doanh thu công nghiệp ICT ước đạt 222.762 tỷ đồng, giảm khoảng 23% so với cùng kỳ năm 2021 (theo số liệu báo cáo).',
    en: 'ICT industry revenue: estimated at 222,762 billion VND, down about 23% on the same period of 2021 (as reported).',
  },
  {
    name: 'reported lower-bound rise keeps its "hơn"',
    f: figure({
      labelVi: 'Sản lượng gói, kiện',
      labelEn: 'Parcels',
      unitVi: 'triệu',
      unitEn: 'million',
      value: 377,
      qualifier: 'over',
      yoy: change(40, 'reported', 'cùng kỳ năm 2019', 'the same period of 2019', {
        qualifier: 'over',
      }),
    }),
    vi: 'Sản lượng gói, kiện: hơn 377 triệu, tăng hơn 40% so với cùng kỳ năm 2019 (theo số liệu báo cáo).',
    en: 'Parcels: over 377 million, up over 40% on the same period of 2019 (as reported).',
  },
  {
    name: 'estimate',
    f: revenue({ estimate: true, yoy: change(10, 'reported') }),
    vi: 'Doanh thu bưu chính ước đạt 24.500 tỷ đồng, tăng 10% so với cùng kỳ năm 2021 (theo số liệu báo cáo).',
    en: 'Postal revenue: estimated at 24,500 billion VND, up 10% on the same period of 2021 (as reported).',
  },
  {
    name: 'estimate with "khoảng"',
    f: revenue({ estimate: true, qualifier: 'about' }),
    vi: 'Doanh thu bưu chính ước đạt khoảng 24.500 tỷ đồng.',
    en: 'Postal revenue: estimated at about 24,500 billion VND.',
  },
  {
    name: 'qualifier about → khoảng',
    f: figure({
      labelVi: 'Tổng số chứng thư số công cộng đã cấp',
      labelEn: 'Public digital certificates issued',
      unitVi: 'chứng thư số',
      unitEn: 'certificates',
      value: 4_581_000,
      qualifier: 'about',
    }),
    vi: 'Tổng số chứng thư số công cộng đã cấp: khoảng 4.581.000 chứng thư số.',
    en: 'Public digital certificates issued: about 4,581,000 certificates.',
  },
  {
    name: 'qualifier over → hơn',
    f: figure({
      labelVi: 'Lượt trả kết quả xét nghiệm qua Bluezone',
      labelEn: 'Test results delivered through Bluezone',
      unitVi: 'lượt',
      unitEn: '',
      value: 700_000,
      qualifier: 'over',
    }),
    vi: 'Lượt trả kết quả xét nghiệm qua Bluezone: hơn 700.000 lượt.',
    en: 'Test results delivered through Bluezone: over 700,000.',
  },
  {
    name: 'qualifier under → gần',
    f: figure({
      labelVi: 'Tin, bài về dịch COVID-19',
      labelEn: 'Articles on COVID-19',
      unitVi: 'tin, bài',
      unitEn: 'articles',
      value: 600_000,
      qualifier: 'under',
    }),
    vi: 'Tin, bài về dịch COVID-19: gần 600.000 tin, bài.',
    en: 'Articles on COVID-19: nearly 600,000 articles.',
  },
  {
    name: 'target not reached, share with one decimal',
    f: revenue({ value: 222_762.5, target: { share: 6.2013, value: 3_592_000 } }),
    vi: 'Doanh thu bưu chính: 222.762,5 tỷ đồng, bằng 6,2% kế hoạch năm.',
    en: 'Postal revenue: 222,762.5 billion VND, 6.2% of the year’s target.',
  },
  {
    name: 'target reached exactly',
    f: revenue({ target: { share: 100, value: 24_500 } }),
    vi: 'Doanh thu bưu chính: 24.500 tỷ đồng, hoàn thành kế hoạch năm (đạt 100%).',
    en: 'Postal revenue: 24,500 billion VND, meeting the year’s target (100%).',
  },
  {
    name: 'target exceeded',
    f: revenue({ target: { share: 104.49, value: 23_447 } }),
    vi: 'Doanh thu bưu chính: 24.500 tỷ đồng, vượt kế hoạch năm (đạt 104,5%).',
    en: 'Postal revenue: 24,500 billion VND, exceeding the year’s target (104.5%).',
  },
  {
    name: 'zero is a value, printed',
    f: figure({ value: 0, prev: prevMonth(-100, 'computed') }),
    vi: 'Sự cố tấn công mạng: 0 cuộc, giảm 100% so với tháng 12/2021.',
    en: 'Cyberattacks: 0 attacks, down 100% on December 2021.',
  },
  {
    name: 'negative value; its change measured against the earlier value’s size',
    f: revenue({
      labelVi: 'Lợi nhuận',
      labelEn: 'Profit',
      value: -1234.5,
      yoy: change(computeChangePct(-1234.5, -2469), 'computed'),
    }),
    vi: 'Lợi nhuận: -1.234,5 tỷ đồng, tăng 50% so với cùng kỳ năm 2021.',
    en: 'Profit: -1,234.5 billion VND, up 50% on the same period of 2021.',
  },
  {
    name: 'very large value, every digit',
    f: figure({
      labelVi: 'Lưu lượng',
      labelEn: 'Traffic',
      unitVi: null,
      unitEn: null,
      value: 1_234_567_890_123,
    }),
    vi: 'Lưu lượng: 1.234.567.890.123.',
    en: 'Traffic: 1,234,567,890,123.',
  },
  {
    name: 'at most two decimals, as many as the value has',
    f: figure({
      labelVi: 'Số thuê bao điện thoại smartphone',
      labelEn: 'Smartphone subscriptions',
      unitVi: 'triệu thuê bao',
      unitEn: 'million subscriptions',
      value: 91.3249,
    }),
    vi: 'Số thuê bao điện thoại smartphone: 91,32 triệu thuê bao.',
    en: 'Smartphone subscriptions: 91.32 million subscriptions.',
  },
  {
    name: 'missing value: "chưa có số liệu", never 0, not "ước đạt"',
    f: revenue({ value: null, estimate: true }),
    vi: 'Doanh thu bưu chính: chưa có số liệu.',
    en: 'Postal revenue: no data yet.',
  },
  {
    name: 'missing value with a reported change',
    f: revenue({
      value: null,
      yoy: change(30, 'reported', undefined, undefined, { qualifier: 'about' }),
    }),
    vi: 'Doanh thu bưu chính: chưa có số liệu; tăng khoảng 30% so với cùng kỳ năm 2021 (theo số liệu báo cáo).',
    en: 'Postal revenue: no data yet; up about 30% on the same period of 2021 (as reported).',
  },
  {
    name: 'breakdown ("trong đó"), with a reported change on the total',
    f: figure({
      labelVi: 'Sự cố tấn công mạng vào hệ thống thông tin tại Việt Nam',
      labelEn: 'Cyberattacks on information systems in Viet Nam',
      prev: prevMonth(10.29, 'reported'),
      options: [
        option('tấn công lừa đảo (phishing)', 'phishing', 197),
        option('tấn công thay đổi giao diện (deface)', 'defacement', 125),
        option('tấn công cài mã độc (malware)', 'malware', 1061),
      ],
    }),
    vi: 'Sự cố tấn công mạng vào hệ thống thông tin tại Việt Nam: 1.383 cuộc, tăng 10,29% so với tháng 12/2021 (theo số liệu báo cáo), trong đó: tấn công lừa đảo (phishing) 197 cuộc, tấn công thay đổi giao diện (deface) 125 cuộc, tấn công cài mã độc (malware) 1.061 cuộc.',
    en: 'Cyberattacks on information systems in Viet Nam: 1,383 attacks, up 10.29% on December 2021 (as reported), of which: phishing 197, defacement 125, malware 1,061.',
  },
  {
    name: 'breakdown options with a qualifier and a change; one without a value is left out',
    f: revenue({
      labelVi: 'Tổng doanh thu công nghiệp ICT',
      labelEn: 'ICT industry revenue',
      value: 1992,
      options: [
        option('phần cứng, điện tử', 'hardware and electronics', 1765, {
          qualifier: 'about',
          yoy: change(12.345, 'computed'),
        }),
        option('phần mềm', 'software', null),
      ],
    }),
    vi: 'Tổng doanh thu công nghiệp ICT: 1.992 tỷ đồng, trong đó: phần cứng, điện tử khoảng 1.765 tỷ đồng (tăng 12,3% so với cùng kỳ năm 2021).',
    en: 'ICT industry revenue: 1,992 billion VND, of which: hardware and electronics about 1,765 (up 12.3% on the same period of 2021).',
  },
  {
    name: 'a figure with its own period; a percentage unit',
    f: figure({
      labelVi: 'Tỷ lệ DVCTT đủ điều kiện đưa lên mức độ 4',
      labelEn: 'Online public services eligible for level 4',
      unitVi: '%',
      unitEn: '%',
      value: 96.74,
      periodVi: 'Tính đến ngày 20/01/2022',
      periodEn: 'as of 20 January 2022',
    }),
    vi: 'Tỷ lệ DVCTT đủ điều kiện đưa lên mức độ 4 tính đến ngày 20/01/2022: 96,74%.',
    en: 'Online public services eligible for level 4 (as of 20 January 2022): 96.74%.',
  },
  {
    name: 'year to date, estimated, against the target',
    f: revenue({
      estimate: true,
      value: 2100,
      yoy: change(3, 'computed'),
      ytd: { value: 14_100, periodVi: '6 tháng đầu năm 2022', periodEn: 'the first half of 2022' },
      target: { share: 47.26, value: 29_835 },
    }),
    vi: 'Doanh thu bưu chính ước đạt 2.100 tỷ đồng, tăng 3% so với cùng kỳ năm 2021, lũy kế 6 tháng đầu năm 2022 ước đạt 14.100 tỷ đồng, bằng 47,3% kế hoạch năm.',
    en: 'Postal revenue: estimated at 2,100 billion VND, up 3% on the same period of 2021, year to date (the first half of 2022): estimated at 14,100 billion VND, 47.3% of the year’s target.',
  },
  {
    name: 'year to date exact, and missing',
    f: figure({
      ytd: { value: null, periodVi: '01 tháng năm 2022', periodEn: 'January 2022' },
    }),
    vi: 'Sự cố tấn công mạng: 1.383 cuộc, lũy kế 01 tháng năm 2022 chưa có số liệu.',
    en: 'Cyberattacks: 1,383 attacks, year to date (January 2022): no data yet.',
  },
  {
    name: 'same period last year and previous period together',
    f: figure({ yoy: change(25.82, 'computed'), prev: prevMonth(-3.1, 'reported') }),
    vi: 'Sự cố tấn công mạng: 1.383 cuộc, tăng 25,8% so với cùng kỳ năm 2021, giảm 3,1% so với tháng 12/2021 (theo số liệu báo cáo).',
    en: 'Cyberattacks: 1,383 attacks, up 25.8% on the same period of 2021, down 3.1% on December 2021 (as reported).',
  },
  {
    name: 'English falls back to the Vietnamese unit rather than dropping it',
    f: figure({ unitVi: 'đài', unitEn: null, value: 634 }),
    vi: 'Sự cố tấn công mạng: 634 đài.',
    en: 'Cyberattacks: 634 đài.',
  },
];

describe('briefing wording: each line as the printed briefing writes it', () => {
  for (const c of CASES) {
    it(c.name, () => {
      assert.deepEqual(writeFigure(c.f), { vi: c.vi, en: c.en });
    });
  }

  it('writes the fixture’s unedited paragraphs as printed there', () => {
    const paragraphs = BRIEFING_FIXTURE.sections.flatMap((s) => s.paragraphs);
    const unedited = paragraphs.filter((p) => !p.edited);
    assert.equal(unedited.length, 3);
    for (const p of unedited) assert.equal(writeFigure(p.figure).vi, p.vi, p.id);
    // The fixture's "is estimated at" is written "revenue: estimated at" here, which also fits
    // a plural label ("Cyberattacks …"); the other English sentences agree.
    for (const p of unedited.filter((p) => !p.figure.estimate))
      assert.equal(writeFigure(p.figure).en, p.en, p.id);
  });
});

describe('briefing wording: the pieces', () => {
  it('numbers the Vietnamese way with node’s ICU (1.234,5), and the English way', () => {
    const rows: [number, string, string][] = [
      [1234.5, '1.234,5', '1,234.5'],
      [222_762.5, '222.762,5', '222,762.5'],
      [1_234_567_890_123, '1.234.567.890.123', '1,234,567,890,123'],
      [0.125, '0,13', '0.13'],
      [-0.001, '0', '0'],
      [-1383, '-1.383', '-1,383'],
    ];
    for (const [n, vi, en] of rows) {
      assert.equal(formatFigureNumber('vi', n), vi, String(n));
      assert.equal(formatFigureNumber('en', n), en, String(n));
    }
  });

  it('formats an amount with its unit and qualifier, and null as no data', () => {
    assert.equal(formatAmount('vi', 16.4, 'triệu thuê bao'), '16,4 triệu thuê bao');
    assert.equal(formatAmount('vi', 72.6, '%', 'about'), 'khoảng 72,6%');
    assert.equal(formatAmount('vi', 0, 'cuộc'), '0 cuộc');
    assert.equal(formatAmount('vi', null, 'cuộc'), 'chưa có số liệu');
    assert.equal(formatAmount('vi', Number.NaN, 'cuộc'), 'chưa có số liệu');
    assert.equal(formatAmount('en', null, 'attacks'), 'no data yet');
    assert.equal(formatAmount('en', 1383, null, 'under'), 'nearly 1,383');
  });

  it('computes a change against the earlier value, none against 0 or nothing', () => {
    assert.equal(certPct?.toFixed(3), '14.106');
    assert.equal(computeChangePct(1_690_000, 1_578_959)?.toFixed(2), '7.03');
    assert.equal(computeChangePct(5, 0), null);
    assert.equal(computeChangePct(null, 4), null);
    assert.equal(computeChangePct(4, null), null);
  });

  it('says nothing of a comparison with no earlier value, or none asked for', () => {
    assert.equal(changePhrase('vi', null), null);
    assert.equal(changePhrase('vi', change(null, 'none')), null);
    assert.equal(changePhrase('vi', change(12, 'none')), null);
    assert.equal(changePhrase('en', change(null, 'reported')), null);
  });

  it('rounds a computed change to one decimal, keeps a reported one’s decimals', () => {
    assert.equal(
      changePhrase('vi', change(14.105, 'computed')),
      'tăng 14,1% so với cùng kỳ năm 2021',
    );
    // One decimal would print a round 7%: the article (and the sector page) print 7,03%.
    assert.equal(
      changePhrase('vi', change(7.0302, 'computed')),
      'tăng 7,03% so với cùng kỳ năm 2021',
    );
    assert.equal(
      changePhrase('vi', change(-0.04, 'computed')),
      'giảm 0,04% so với cùng kỳ năm 2021',
    );
    assert.equal(
      changePhrase('vi', change(7.03, 'reported')),
      'tăng 7,03% so với cùng kỳ năm 2021 (theo số liệu báo cáo)',
    );
    assert.equal(
      changePhrase('vi', change(0, 'reported', undefined, undefined, { qualifier: 'about' })),
      'không thay đổi so với cùng kỳ năm 2021 (theo số liệu báo cáo)',
    );
    // A computed change is exact whatever the qualifier says.
    assert.equal(
      changePhrase('en', change(-1.25, 'computed', undefined, undefined, { qualifier: 'about' })),
      'down 1.3% on the same period of 2021',
    );
  });

  it('never prints 100% for a target not reached, nor for one exceeded', () => {
    const rows: [number | null, string | null, string | null][] = [
      [null, null, null],
      [0, 'bằng 0% kế hoạch năm', '0% of the year’s target'],
      [6.2, 'bằng 6,2% kế hoạch năm', '6.2% of the year’s target'],
      [99.96, 'bằng 99,9% kế hoạch năm', '99.9% of the year’s target'],
      [100, 'hoàn thành kế hoạch năm (đạt 100%)', 'meeting the year’s target (100%)'],
      [100.02, 'vượt kế hoạch năm (đạt 100,1%)', 'exceeding the year’s target (100.1%)'],
      [104.5, 'vượt kế hoạch năm (đạt 104,5%)', 'exceeding the year’s target (104.5%)'],
    ];
    for (const [share, vi, en] of rows) {
      const target = { share, value: 100 };
      assert.equal(targetPhrase('vi', target), vi, String(share));
      assert.equal(targetPhrase('en', target), en, String(share));
    }
    assert.equal(targetPhrase('vi', null), null);
  });
});
