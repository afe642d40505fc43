/**
 * The sector pages of the monthly briefing ("Tổng quan các lĩnh vực"): which sectors have a
 * page, in the order the ministry's briefing takes them, and their names.
 */

/** The sectors with a page, in the order the ministry's briefing takes them. */
export const SECTOR_PAGES = [
  'postal',
  'telecom',
  'it',
  'security',
  'ict',
  'press',
  'covid',
] as const;
export type SectorCode = (typeof SECTOR_PAGES)[number];

export const SECTOR_NAMES: Record<SectorCode, { vi: string; en: string }> = {
  postal: { vi: 'Bưu chính', en: 'Postal services' },
  telecom: { vi: 'Viễn thông', en: 'Telecommunications' },
  it: {
    vi: 'Ứng dụng CNTT, dịch vụ công trực tuyến',
    en: 'IT application and online public services',
  },
  security: { vi: 'An toàn thông tin', en: 'Cybersecurity' },
  ict: { vi: 'Công nghiệp ICT', en: 'ICT industry' },
  press: { vi: 'Báo chí, truyền thông', en: 'Press and media' },
  covid: { vi: 'Hỗ trợ phòng, chống dịch COVID-19', en: 'COVID-19 response' },
};
