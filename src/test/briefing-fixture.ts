import type {
  BriefingChange,
  BriefingDocument,
  BriefingFigure,
  BriefingParagraph,
} from '../domain/briefing-document.ts';

/**
 * A briefing document as the service writes it (issue 18), for the exports' tests: two
 * sections, a breakdown, a reported change, a missing value, an edited paragraph, completeness
 * with late units, a correction and an annex of 63 provinces. Sentences written by hand here;
 * the wording module's own test covers how they are made.
 */
const change = (
  pct: number | null,
  source: BriefingChange['source'],
  earlier: number | null,
  periodVi: string,
  periodEn: string,
): BriefingChange => ({ pct, source, earlier, periodVi, periodEn });

const figure = (f: Partial<BriefingFigure> & Pick<BriefingFigure, 'lineId' | 'item'>) =>
  ({
    labelVi: f.item,
    labelEn: f.item,
    unitVi: null,
    unitEn: null,
    scale: 1,
    value: null,
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
  }) satisfies BriefingFigure;

const paragraph = (
  figure: BriefingFigure,
  vi: string,
  en: string,
  more: Partial<BriefingParagraph> = {},
): BriefingParagraph => ({
  id: figure.lineId,
  vi,
  en,
  edited: false,
  needsReview: false,
  figure,
  ...more,
});

const certificates = figure({
  lineId: 'security.certificates',
  item: 'MIC_CERT_ISSUED',
  labelVi: 'Tổng số chứng thư số công cộng đã cấp',
  labelEn: 'Public digital certificates issued',
  unitVi: 'chứng thư số',
  unitEn: 'certificates',
  value: 4_581_000,
  qualifier: 'about',
  yoy: change(14.1, 'computed', 4_014_701, 'cùng kỳ năm 2021', 'the same period of 2021'),
});

const attacks = figure({
  lineId: 'security.cyberattacks',
  item: 'MIC_CYBERATTACKS',
  labelVi: 'Sự cố tấn công mạng vào hệ thống thông tin tại Việt Nam',
  labelEn: 'Cyberattacks on information systems in Viet Nam',
  unitVi: 'cuộc',
  unitEn: 'attacks',
  value: 1383,
  prev: change(10.29, 'reported', null, 'tháng 12/2021', 'December 2021'),
  options: [
    {
      code: 'PHISHING',
      labelVi: 'tấn công lừa đảo (phishing)',
      labelEn: 'phishing',
      value: 197,
      qualifier: 'exact',
      yoy: null,
      prev: null,
    },
    {
      code: 'DEFACE',
      labelVi: 'tấn công thay đổi giao diện (deface)',
      labelEn: 'defacement',
      value: 342,
      qualifier: 'exact',
      yoy: null,
      prev: null,
    },
    {
      code: 'MALWARE',
      labelVi: 'tấn công cài mã độc (malware)',
      labelEn: 'malware',
      value: 844,
      qualifier: 'exact',
      yoy: null,
      prev: null,
    },
  ],
});

const revenue = figure({
  lineId: 'ict.revenue',
  item: 'MIC_ICT_REVENUE',
  labelVi: 'Tổng doanh thu công nghiệp ICT',
  labelEn: 'ICT industry revenue',
  unitVi: 'tỷ đồng',
  unitEn: 'billion VND',
  scale: 1_000_000_000,
  value: 222_762.5,
  estimate: true,
  yoy: change(-23, 'reported', null, 'cùng kỳ năm 2021', 'the same period of 2021'),
  target: { share: 6.2, value: 3_592_000 },
});

const postal = figure({
  lineId: 'postal.revenue',
  item: 'MIC_POSTAL_REVENUE',
  labelVi: 'Doanh thu bưu chính',
  labelEn: 'Postal revenue',
  unitVi: 'tỷ đồng',
  unitEn: 'billion VND',
  scale: 1_000_000_000,
  value: null,
  yoy: change(30, 'reported', null, 'cùng kỳ năm 2021', 'the same period of 2021'),
});

const PROVINCES = [
  'Hà Nội',
  'Hà Giang',
  'Cao Bằng',
  'Bắc Kạn',
  'Tuyên Quang',
  'Lào Cai',
  'Điện Biên',
  'Lai Châu',
  'Sơn La',
  'Yên Bái',
  'Hoà Bình',
  'Thái Nguyên',
  'Lạng Sơn',
  'Quảng Ninh',
  'Bắc Giang',
  'Phú Thọ',
  'Vĩnh Phúc',
  'Bắc Ninh',
  'Hải Dương',
  'Hải Phòng',
  'Hưng Yên',
  'Thái Bình',
  'Hà Nam',
  'Nam Định',
  'Ninh Bình',
  'Thanh Hóa',
  'Nghệ An',
  'Hà Tĩnh',
  'Quảng Bình',
  'Quảng Trị',
  'Thừa Thiên Huế',
  'Đà Nẵng',
  'Quảng Nam',
  'Quảng Ngãi',
  'Bình Định',
  'Phú Yên',
  'Khánh Hòa',
  'Ninh Thuận',
  'Bình Thuận',
  'Kon Tum',
  'Gia Lai',
  'Đắk Lắk',
  'Đắk Nông',
  'Lâm Đồng',
  'Bình Phước',
  'Tây Ninh',
  'Bình Dương',
  'Đồng Nai',
  'Bà Rịa - Vũng Tàu',
  'Hồ Chí Minh',
  'Long An',
  'Tiền Giang',
  'Bến Tre',
  'Trà Vinh',
  'Vĩnh Long',
  'Đồng Tháp',
  'An Giang',
  'Kiên Giang',
  'Cần Thơ',
  'Hậu Giang',
  'Sóc Trăng',
  'Bạc Liêu',
  'Cà Mau',
];

export const BRIEFING_FIXTURE: BriefingDocument = {
  id: 7,
  status: 'issued',
  revision: 1,
  number: '15/BC-BTTTT',
  bodyVi: 'BỘ THÔNG TIN VÀ TRUYỀN THÔNG',
  parentBodyVi: null,
  place: 'Hà Nội',
  date: '2022-02-08',
  issuer: 'Vụ Kế hoạch - Tài chính',
  titleVi: 'Báo cáo giao ban quản lý nhà nước tháng 01/2022',
  titleEn: 'State-management briefing, January 2022',
  period: { id: '2022-01', labelVi: 'tháng 01/2022', labelEn: 'January 2022' },
  scope: { version: '2022', code: 'VN', nameVi: 'Toàn quốc' },
  sections: [
    {
      code: 'security',
      titleVi: 'An toàn thông tin',
      titleEn: 'Cybersecurity',
      table: true,
      paragraphs: [
        paragraph(
          attacks,
          'Sự cố tấn công mạng vào hệ thống thông tin tại Việt Nam: 1.383 cuộc, tăng 10,29% so với tháng 12/2021 (theo số liệu báo cáo), trong đó: tấn công lừa đảo (phishing) 197 cuộc, tấn công thay đổi giao diện (deface) 342 cuộc, tấn công cài mã độc (malware) 844 cuộc.',
          'Cyberattacks on information systems in Viet Nam: 1,383 attacks, up 10.29% on December 2021 (as reported), of which: phishing 197, defacement 342, malware 844.',
        ),
        paragraph(
          certificates,
          'Tổng số chứng thư số công cộng đã cấp khoảng 4.581.000 chứng thư số, tăng 14,1% so với cùng kỳ năm 2021.',
          'Public digital certificates issued: about 4,581,000, up 14.1% on the same period of 2021.',
          { edited: true, needsReview: true },
        ),
      ],
    },
    {
      code: 'ict',
      titleVi: 'Công nghiệp ICT',
      titleEn: 'ICT industry',
      table: false,
      paragraphs: [
        paragraph(
          revenue,
          'Tổng doanh thu công nghiệp ICT ước đạt 222.762,5 tỷ đồng, giảm 23% so với cùng kỳ năm 2021 (theo số liệu báo cáo), bằng 6,2% kế hoạch năm.',
          'ICT industry revenue is estimated at 222,762.5 billion VND, down 23% on the same period of 2021 (as reported), 6.2% of the year’s target.',
        ),
        paragraph(
          postal,
          'Doanh thu bưu chính: chưa có số liệu; tăng 30% so với cùng kỳ năm 2021 (theo số liệu báo cáo).',
          'Postal revenue: no data yet; up 30% on the same period of 2021 (as reported).',
        ),
      ],
    },
  ],
  completeness: [
    {
      dataSet: 'MIC_MONTHLY',
      nameVi: 'Báo cáo tháng của Sở Thông tin và Truyền thông',
      nameEn: 'Monthly report of the provincial departments',
      expected: 63,
      onTime: 58,
      late: 3,
      missing: 2,
      lateUnits: ['Hà Giang', 'Cao Bằng', 'Đắk Nông'],
      missingUnits: ['Bạc Liêu', 'Cà Mau'],
    },
  ],
  corrections: [
    {
      lineId: 'security.certificates',
      labelVi: 'Tổng số chứng thư số công cộng đã cấp',
      labelEn: 'Public digital certificates issued',
      before: 4_580_000,
      after: 4_581_000,
      unitVi: 'chứng thư số',
    },
  ],
  annex: {
    columns: [
      {
        lineId: 'security.cyberattacks',
        labelVi: 'Sự cố tấn công mạng',
        labelEn: 'Cyberattacks',
        unitVi: 'cuộc',
      },
      {
        lineId: 'ict.revenue',
        labelVi: 'Doanh thu công nghiệp ICT',
        labelEn: 'ICT industry revenue',
        unitVi: 'tỷ đồng',
      },
    ],
    rows: PROVINCES.map((nameVi, i) => ({
      code: String(i + 1).padStart(2, '0'),
      nameVi,
      values: [i % 9 === 4 ? null : 10 + i * 3, Math.round((1000 + i * 123.45) * 10) / 10],
    })),
  },
  closing: {
    authorityVi: 'TL. BỘ TRƯỞNG',
    titleVi: 'VỤ TRƯỞNG VỤ KẾ HOẠCH - TÀI CHÍNH',
    name: 'Nguyễn Thị Lãnh Đạo',
    recipients: ['Bộ trưởng (để báo cáo);', 'Các Thứ trưởng;', 'Lưu: VT, KHTC.'],
  },
};
