import { useMemo } from 'react';
import { useI18n } from '../../shared/i18n.ts';
import { formatNumber, type Lang } from '../../shared/format.ts';

/** The overview's own words, Vietnamese first (kept apart from i18n.ts to avoid edit collisions). */
const vi = {
  title: 'Tổng quan điều hành',
  intro: 'Số liệu chính, xu hướng và bản đồ theo đơn vị hành chính, cập nhật trực tiếp.',
  navOverview: 'Tổng quan',
  period: 'Kỳ',
  options: 'Tùy chọn',
  presetToday: 'Hôm nay',
  presetYesterday: 'Hôm qua',
  preset7d: '7 ngày qua',
  preset30d: '30 ngày qua',
  presetMonth: 'Tháng này',
  presetLastMonth: 'Tháng trước',
  presetOther: 'Kỳ khác: {label}',
  tree: 'Cây đơn vị',
  treeOption: 'Từ {from} · {n} tỉnh',
  treeShort: 'cây {id}',
  mapBy: 'Bản đồ theo',
  indicators: 'Chỉ tiêu trên thẻ',
  indicatorsHint: 'Chọn các chỉ tiêu hiển thị thành thẻ số liệu.',
  indicatorsApply: 'Áp dụng',
  sectorCovid: 'Phòng, chống dịch',
  sectorTelecom: 'Viễn thông',
  sectorPostal: 'Bưu chính',
  sectorIt: 'Ứng dụng CNTT',
  sectorSecurity: 'An toàn thông tin',
  sectorIct: 'Công nghiệp ICT',
  sectorPress: 'Báo chí, truyền thông',
  sectorGovernment: 'Chính quyền',
  sectorCitizen: 'Phản ánh, kiến nghị của người dân',
  sectorOther: 'Khác',
  indicatorTag: 'chỉ số',

  live: 'Trực tiếp',
  liveTitle: 'Số liệu tự cập nhật khi có báo cáo mới',
  liveConnecting: 'Đang kết nối…',
  liveLost: 'Mất kết nối — đang kết nối lại…',
  liveUpdated: 'Cập nhật lúc {time}',
  liveLostSince: 'số liệu lúc {time}',

  tilesLabel: 'Số liệu chính',
  noData: 'Chưa có số liệu',
  vsLastYear: 'so với cùng kỳ',
  vsPrevious: 'so với kỳ trước',
  vsPreviousDays: 'so với {n} ngày trước',
  vsPreviousDay: 'so với hôm trước',
  vsPreviousMonth: 'so với tháng trước',
  noComparison: 'chưa có số liệu',
  reported: 'theo số liệu công bố',
  reportedTitle: 'Mức thay đổi do nguồn công bố, không tính lại từ số liệu trong hệ thống',
  target: 'Đạt {share} mục tiêu {target} (hạn {due})',
  targetLabel: 'Tiến độ so với mục tiêu',
  alertMark: 'Có cảnh báo',
  showOnMap: 'Xem trên bản đồ',
  onMap: 'Đang hiển thị trên bản đồ',
  carriedExact: 'Quy đổi từ cây {trees}',
  carriedExactMany: 'Quy đổi từ các cây {trees}',
  carriedExactTitle:
    'Số liệu lưu trên cây {trees}, được quy đổi sang cây này qua các đơn vị chuyển trọn vẹn: chính xác.',
  carriedEstimated: 'Ước tính theo tỷ lệ · {share}',
  carriedGap: 'có thể thiếu',
  carriedGapTitle:
    'Có thể thiếu một phần: số liệu của các xã cũ chỉ biết thuộc tỉnh nào được tính vào tỉnh, không vào xã.',
  carriedEstimatedTitle:
    '{share} giá trị này là ước tính: phần của các xã cũ bị chia cho nhiều đơn vị mới, phân bổ theo tỷ lệ (mặc định chia đều). Số liệu gốc lưu trên cây {trees}.',

  mapTitle: 'Bản đồ: {indicator}',
  mapOf: '{unit} — {period}',
  mapAlt:
    'Bản đồ {units} tô màu theo {indicator}. Bảng xếp hạng bên cạnh có cùng số liệu và dùng được bằng bàn phím.',
  mapLoading: 'Đang vẽ bản đồ…',
  mapNone:
    'Chưa có bản đồ ranh giới cho các đơn vị trực thuộc {unit} trong cây {version}; số liệu được liệt kê trong bảng.',
  mapOutOfScope: 'Ngoài phạm vi',
  archipelagoHoangSa: 'Quần đảo Hoàng Sa (Đà Nẵng)',
  archipelagoTruongSa: 'Quần đảo Trường Sa (Khánh Hòa)',
  mapNoValue: 'Chưa có số liệu',
  mapAllCommunes: 'Toàn bộ xã, phường',
  mapAllCommunesHint: 'Tô màu cả {n} xã, phường trên bản đồ toàn quốc',
  legend: 'Chú giải',
  legendMore: '{shade}: cao hơn',
  legendMoreWorse: '{shade}: cao hơn, xấu hơn',
  legendMoreBetter: '{shade}: cao hơn, tốt hơn',
  legendDarker: 'màu đậm hơn',
  legendBrighter: 'màu sáng hơn',
  legendAlert: 'Viền đỏ: có cảnh báo',
  tooltipRank: 'Hạng {rank}/{total}',
  drillHint: 'Bấm vào một vùng để xem các đơn vị trực thuộc.',

  trendTitle: 'Xu hướng: {indicator}',
  trendDays: '30 ngày gần nhất',
  trendMonths: '12 tháng gần nhất',

  rankingTitle: 'Xếp hạng: {indicator}',
  rankingCaption: 'Xếp hạng các đơn vị trực thuộc {unit} theo {indicator}, {period}',
  rank: 'Hạng',
  unitCol: 'Đơn vị',
  valueCol: 'Giá trị',
  changeCol: 'So với kỳ trước',
  shareCol: 'Tỷ trọng',
  openUnit: 'Xem {unit}',
  rankingEmpty: 'Chưa có số liệu của đơn vị nào.',
  rankingMore: 'Còn {n} đơn vị khác',
  rankingOrder: 'Xếp từ cao xuống thấp.',
  rankingOrderBestFirst: 'Xếp từ cao xuống thấp: cao hơn là tốt hơn, đứng đầu là tốt nhất.',
  rankingOrderWorstFirst: 'Xếp từ cao xuống thấp: cao hơn là xấu hơn, đứng đầu là xấu nhất.',

  download: 'Tải xuống',
  downloadOf: 'Tải xuống: {panel}',
  downloadCsv: 'Số liệu (CSV)',
  downloadXlsx: 'Bảng tính (XLSX)',
  downloadPng: 'Ảnh (PNG)',
  downloadPrint: 'In hoặc lưu PDF',
  downloadPngFailed: 'Chưa tạo được ảnh; hãy thử lại khi biểu đồ đã vẽ xong.',
  fileMap: 'bản đồ',
  fileRanking: 'xếp hạng',
  fileTrend: 'xu hướng',
  fileTiles: 'số liệu chính',

  breadcrumb: 'Đường dẫn đơn vị',
  scopeNote: 'Phạm vi của bạn: {unit}',

  alertsTitle: 'Cảnh báo đang mở',
  alertsNone: 'Không có cảnh báo nào đang mở.',
  alertsUnavailable: 'Chưa lấy được danh sách cảnh báo.',
  alertsCount: '{n} cảnh báo',

  wall: 'Màn hình lớn',
  wallExit: 'Thoát màn hình lớn',
  wallPause: 'Tạm dừng chuyển bảng',
  wallPlay: 'Tiếp tục chuyển bảng',
  wallPauseShort: '‖ Dừng',
  wallPlayShort: '▶ Chạy',
  wallExitShort: '✕ Thoát',
  wallPanel: 'Bảng {i}/{n}',
  clock: 'Giờ Việt Nam',

  errUnknownDx: 'Không có chỉ tiêu “{code}”. Đường dẫn có thể đã cũ hoặc gõ nhầm mã.',
  errUnknownUnit: 'Không có đơn vị mã “{code}” trong cây {version}.',
  errUnknownVersion: 'Không có cây đơn vị hành chính “{version}”.',
  errBadPeriod: 'Không hiểu kỳ “{period}”. Hãy chọn kỳ trong danh sách.',
  errOutOfScope: 'Đơn vị “{code}” nằm ngoài phạm vi được giao cho tài khoản của bạn.',
  errTitle: 'Không mở được màn hình tổng quan theo đường dẫn này',
  errReset: 'Mở màn hình tổng quan mặc định',
  retry: 'Thử lại',
};

type Dict = typeof vi;
export type OverviewKey = keyof Dict;

const en: Dict = {
  title: 'Operations overview',
  intro: 'Key figures, trends and a map by administrative unit, updated live.',
  navOverview: 'Overview',
  period: 'Period',
  options: 'Options',
  presetToday: 'Today',
  presetYesterday: 'Yesterday',
  preset7d: 'Last 7 days',
  preset30d: 'Last 30 days',
  presetMonth: 'This month',
  presetLastMonth: 'Last month',
  presetOther: 'Other: {label}',
  tree: 'Unit tree',
  treeOption: 'From {from} · {n} provinces',
  treeShort: '{id} tree',
  mapBy: 'Map by',
  indicators: 'Indicators on tiles',
  indicatorsHint: 'Choose the indicators shown as tiles.',
  indicatorsApply: 'Apply',
  sectorCovid: 'Epidemic response',
  sectorTelecom: 'Telecom',
  sectorPostal: 'Postal',
  sectorIt: 'IT application',
  sectorSecurity: 'Cybersecurity',
  sectorIct: 'ICT industry',
  sectorPress: 'Press and media',
  sectorGovernment: 'Government',
  sectorCitizen: "Citizens' reports",
  sectorOther: 'Other',
  indicatorTag: 'indicator',

  live: 'Live',
  liveTitle: 'Figures update by themselves when new reports arrive',
  liveConnecting: 'Connecting…',
  liveLost: 'Connection lost — reconnecting…',
  liveUpdated: 'Updated {time}',
  liveLostSince: 'figures as of {time}',

  tilesLabel: 'Key figures',
  noData: 'No data yet',
  vsLastYear: 'vs same period last year',
  vsPrevious: 'vs previous period',
  vsPreviousDays: 'vs previous {n} days',
  vsPreviousDay: 'vs day before',
  vsPreviousMonth: 'vs previous month',
  noComparison: 'no data',
  reported: 'as reported',
  reportedTitle: 'Change as the source published it, not recomputed from the values in the system',
  target: '{share} of the target {target} (due {due})',
  targetLabel: 'Progress to target',
  alertMark: 'Alert',
  showOnMap: 'Show on the map',
  onMap: 'Shown on the map',
  carriedExact: 'Carried from the {trees} tree',
  carriedExactMany: 'Carried from trees {trees}',
  carriedExactTitle:
    'Stored on tree {trees} and carried to this tree through units that moved whole: exact.',
  carriedEstimated: 'Estimated by shares · {share}',
  carriedGap: 'may be incomplete',
  carriedGapTitle:
    'May be incomplete: values of old communes known only to lie in a province count in the province, not in a commune.',
  carriedEstimatedTitle:
    '{share} of this value is estimated: the part of old communes split between several new units, divided by shares (equal unless set). Stored on tree {trees}.',

  mapTitle: 'Map: {indicator}',
  mapOf: '{unit} — {period}',
  mapAlt:
    'Map of {units} coloured by {indicator}. The ranking table beside it has the same figures and works with the keyboard.',
  mapLoading: 'Drawing the map…',
  mapNone:
    'No boundary map for the units under {unit} in the {version} tree; the figures are listed in the table.',
  mapOutOfScope: 'Outside your scope',
  archipelagoHoangSa: 'Hoàng Sa archipelago (Đà Nẵng)',
  archipelagoTruongSa: 'Trường Sa archipelago (Khánh Hòa)',
  mapNoValue: 'No data',
  mapAllCommunes: 'Every commune',
  mapAllCommunesHint: 'Colour all {n} communes and wards on the national map',
  legend: 'Legend',
  legendMore: '{shade}: higher',
  legendMoreWorse: '{shade}: higher, worse',
  legendMoreBetter: '{shade}: higher, better',
  legendDarker: 'darker',
  legendBrighter: 'brighter',
  legendAlert: 'Red outline: alert',
  tooltipRank: 'Rank {rank}/{total}',
  drillHint: 'Click an area to see the units under it.',

  trendTitle: 'Trend: {indicator}',
  trendDays: 'last 30 days',
  trendMonths: 'last 12 months',

  rankingTitle: 'Ranking: {indicator}',
  rankingCaption: 'Units under {unit} ranked by {indicator}, {period}',
  rank: 'Rank',
  unitCol: 'Unit',
  valueCol: 'Value',
  changeCol: 'vs previous period',
  shareCol: 'Share',
  openUnit: 'Open {unit}',
  rankingEmpty: 'No unit has data yet.',
  rankingMore: '{n} more units',
  rankingOrder: 'Highest first.',
  rankingOrderBestFirst: 'Highest first: higher is better, the top is the best.',
  rankingOrderWorstFirst: 'Highest first: higher is worse, the top is the worst.',

  download: 'Download',
  downloadOf: 'Download: {panel}',
  downloadCsv: 'Data (CSV)',
  downloadXlsx: 'Spreadsheet (XLSX)',
  downloadPng: 'Image (PNG)',
  downloadPrint: 'Print or save as PDF',
  downloadPngFailed: 'The image could not be made; try again once the chart has drawn.',
  fileMap: 'map',
  fileRanking: 'ranking',
  fileTrend: 'trend',
  fileTiles: 'key figures',

  breadcrumb: 'Unit path',
  scopeNote: 'Your scope: {unit}',

  alertsTitle: 'Open alerts',
  alertsNone: 'No open alerts.',
  alertsUnavailable: 'Could not load the alerts.',
  alertsCount: '{n} alerts',

  wall: 'Wall screen',
  wallExit: 'Leave wall screen',
  wallPause: 'Pause panel rotation',
  wallPlay: 'Resume panel rotation',
  wallPauseShort: '‖ Pause',
  wallPlayShort: '▶ Play',
  wallExitShort: '✕ Exit',
  wallPanel: 'Panel {i} of {n}',
  clock: 'Viet Nam time',

  errUnknownDx: 'There is no indicator “{code}”. The link may be old or mistyped.',
  errUnknownUnit: 'There is no unit with code “{code}” in the {version} tree.',
  errUnknownVersion: 'There is no administrative tree “{version}”.',
  errBadPeriod: 'The period “{period}” is not understood. Choose a period from the list.',
  errOutOfScope: 'Unit “{code}” is outside the scope of your account.',
  errTitle: 'The overview cannot open with this link',
  errReset: 'Open the default overview',
  retry: 'Try again',
};

const DICTS: Record<Lang, Dict> = { vi, en };

export function overviewText(
  lang: Lang,
  key: OverviewKey,
  params: Record<string, string | number> = {},
): string {
  return DICTS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    return v === undefined ? `{${name}}` : typeof v === 'number' ? formatNumber(lang, v) : v;
  });
}

export type OverviewT = (key: OverviewKey, params?: Record<string, string | number>) => string;

export function useOverviewText(): { lang: Lang; t: OverviewT } {
  const { lang } = useI18n();
  // One function per language, so memoised views do not recompute on every render.
  const t = useMemo<OverviewT>(() => (key, params) => overviewText(lang, key, params), [lang]);
  return { lang, t };
}

const SECTOR_KEYS: Record<string, OverviewKey> = {
  covid: 'sectorCovid',
  telecom: 'sectorTelecom',
  postal: 'sectorPostal',
  it: 'sectorIt',
  security: 'sectorSecurity',
  ict: 'sectorIct',
  press: 'sectorPress',
  government: 'sectorGovernment',
  citizen: 'sectorCitizen',
  other: 'sectorOther',
};

export function sectorName(lang: Lang, sector: string): string {
  const key = SECTOR_KEYS[sector];
  return key ? overviewText(lang, key) : sector;
}
