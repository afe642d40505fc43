import { useI18n } from '../../shared/i18n.ts';
import { formatNumber, type Lang } from '../../shared/format.ts';

/** The sector pages' own words, Vietnamese first (kept apart from i18n.ts). */
const vi = {
  nav: 'Lĩnh vực',
  indexTitle: 'Tổng quan các lĩnh vực',
  indexIntro:
    'Số liệu giao ban quản lý nhà nước hằng tháng của Bộ Thông tin và Truyền thông, toàn quốc.',
  indexLatest: 'Tháng gần nhất: {month}',
  indexNoData: 'Chưa có số liệu',
  indexElements: '{n} chỉ tiêu',
  indexOpen: 'Xem lĩnh vực {name}',
  breadcrumb: 'Đường dẫn',
  sectorsNav: 'Các lĩnh vực',
  nation: 'Toàn quốc',
  month: 'Tháng',
  monthOption: '{label} · {n} số liệu',
  monthOptionEmpty: '{label} · không có số liệu',
  olderMonth: 'Tháng trước có số liệu',
  newerMonth: 'Tháng sau có số liệu',
  monthFigures: 'Số liệu {month}',
  spanFigures: 'Lũy kế và số liệu theo giai đoạn',
  spanFiguresHint: 'Các số liệu báo cáo cho giai đoạn riêng, ghi rõ kỳ của từng số liệu.',
  noFigures: 'Lĩnh vực {sector} không có số liệu {month}.',
  noFiguresHint: 'Chọn một tháng khác trong danh sách.',
  noDataAtAll: 'Lĩnh vực {sector} chưa có số liệu nào.',
  latestLink: 'Xem tháng gần nhất có số liệu: {month}',
  unknownSector: 'Không có lĩnh vực “{slug}”. Đường dẫn có thể đã cũ hoặc gõ nhầm.',
  chooseSector: 'Chọn một lĩnh vực:',
  errTitle: 'Không mở được trang lĩnh vực',
  openDefault: 'Mở tháng mặc định',
  retry: 'Thử lại',
  estimate: 'ước đạt',
  asOf: 'tính đến ngày {date}',
  monthThrough: '{month}, đến ngày {date}',
  reported: 'theo báo cáo',
  reportedTitle: 'Mức thay đổi như nguồn báo cáo, không tính lại từ số liệu trong hệ thống',
  computedTitle: 'Tính từ số liệu kỳ này và kỳ so sánh: {previous}',
  vsSamePeriod: 'so với cùng kỳ {year}',
  vsPrevious: 'so với {period}',
  noChange: 'Chưa có số liệu để so sánh',
  breakdown: 'Cơ cấu theo {name}',
  breakdownChart: 'Biểu đồ {name}: {items}',
  share: '{pct} tổng số',
  quote: 'Trích báo cáo',
  valueMissing: 'Không có giá trị',
  changeOnly: 'Báo cáo chỉ nêu mức thay đổi, không nêu giá trị',
  cellsError: 'Không tải được giá trị số liệu.',
};

type Dict = Record<keyof typeof vi, string>;

const en: Dict = {
  nav: 'Sectors',
  indexTitle: 'Sector overview',
  indexIntro:
    "Figures of the Ministry of Information and Communications' monthly state-management briefing, nationwide.",
  indexLatest: 'Latest month: {month}',
  indexNoData: 'No figures yet',
  indexElements: '{n} data elements',
  indexOpen: 'Open {name}',
  breadcrumb: 'Breadcrumb',
  sectorsNav: 'Sectors',
  nation: 'Nationwide',
  month: 'Month',
  monthOption: '{label} · {n} figures',
  monthOptionEmpty: '{label} · no figures',
  olderMonth: 'Earlier month with figures',
  newerMonth: 'Later month with figures',
  monthFigures: 'Figures for {month}',
  spanFigures: 'Cumulative figures and figures for other periods',
  spanFiguresHint: 'Figures reported for a period of their own, each labelled with its period.',
  noFigures: '{sector} has no figures for {month}.',
  noFiguresHint: 'Choose another month from the list.',
  noDataAtAll: '{sector} has no figures yet.',
  latestLink: 'See the latest month with figures: {month}',
  unknownSector: 'There is no sector “{slug}”. The link may be old or mistyped.',
  chooseSector: 'Choose a sector:',
  errTitle: 'The sector page cannot open',
  openDefault: 'Open the default month',
  retry: 'Try again',
  estimate: 'estimated',
  asOf: 'as of {date}',
  monthThrough: '{month}, up to {date}',
  reported: 'as reported',
  reportedTitle: 'The change as the source reported it, not recomputed from figures in the system',
  computedTitle: 'Computed from this period and the earlier one: {previous}',
  vsSamePeriod: 'vs the same period of {year}',
  vsPrevious: 'vs {period}',
  noChange: 'Nothing to compare with yet',
  breakdown: 'By {name}',
  breakdownChart: 'Chart of {name}: {items}',
  share: '{pct} of the total',
  quote: 'From the report',
  valueMissing: 'No value',
  changeOnly: 'The report gives only the change, no value',
  cellsError: 'Could not load the values.',
};

export type SectorKey = keyof typeof vi;
const DICTS: Record<Lang, Dict> = { vi, en };

export function sectorText(
  lang: Lang,
  key: SectorKey,
  params: Record<string, string | number> = {},
): string {
  return DICTS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    return v === undefined ? `{${name}}` : typeof v === 'number' ? formatNumber(lang, v) : v;
  });
}

export type SectorT = (key: SectorKey, params?: Record<string, string | number>) => string;

export function useSectorText(): { lang: Lang; t: SectorT } {
  const { lang } = useI18n();
  return { lang, t: (key, params) => sectorText(lang, key, params) };
}

/** Sector codes in the web address, in Vietnamese without diacritics: /linh-vuc/an-toan-thong-tin. */
export const SECTOR_SLUGS = {
  postal: 'buu-chinh',
  telecom: 'vien-thong',
  it: 'ung-dung-cntt',
  security: 'an-toan-thong-tin',
  ict: 'cong-nghiep-ict',
  press: 'bao-chi-truyen-thong',
  covid: 'phong-chong-dich',
} as const;

export type SectorCode = keyof typeof SECTOR_SLUGS;

export function sectorOfSlug(slug: string): SectorCode | undefined {
  return (Object.keys(SECTOR_SLUGS) as SectorCode[]).find((c) => SECTOR_SLUGS[c] === slug);
}
