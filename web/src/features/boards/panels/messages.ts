import { useMemo } from 'react';
import { formatNumber, type Lang } from '../../../shared/format.ts';
import { useI18n } from '../../../shared/i18n.ts';

/** A board panel's own words (issue 19), Vietnamese first; the room's are reused for its parts. */
const vi = {
  asOf: 'số liệu lúc {time}',
  asOfTitle: 'Số liệu đọc lúc {time}',
  loading: 'Đang tải số liệu…',
  refreshing: 'Đang cập nhật…',
  problem: 'Không hiển thị được ô này',
  noFigures: 'Ô này chưa chọn chỉ tiêu nào.',
  noValues: 'Chưa có số liệu cho kỳ và đơn vị này.',
  kindTile: 'Thẻ số liệu',
  kindMap: 'Bản đồ',
  kindTrend: 'Xu hướng',
  kindRanking: 'Xếp hạng',
  kindPivot: 'Bảng',
  kindBreakdown: 'Cơ cấu',
  kindAlerts: 'Cảnh báo',
  kindDirective: 'Tiến độ chỉ đạo',
  kindText: 'Ghi chú',
  mapNoBoundary: 'Chưa có bản đồ ranh giới cho các đơn vị này; số liệu được liệt kê bên dưới.',
  mapAlt: 'Bản đồ tô màu theo {indicator}, {period}.',
  mapRank: 'Hạng {rank}/{total}',
  mapOutOfPanel: 'Ngoài ô này',
  rankingAsc: 'Xếp từ thấp lên cao.',
  rankingCaption: 'Xếp hạng {indicator}, {period}',
  trendAlt: 'Biểu đồ xu hướng {indicator} tại {unit}',
  trendMore: 'Biểu đồ vẽ {n} đường đầu tiên; bảng tải xuống có đủ số liệu.',
  trendLinesAlt: 'Biểu đồ xu hướng: {lines}',
  breakdownAlt: 'Biểu đồ cột: {items}',
  pivotCaption: 'Bảng {title}',
  pivotEmpty: 'Bảng chưa có dòng nào.',
  pivotRows: 'Dòng {from}–{to} / {total}',
  pivotColumns: 'Cột {from}–{to} / {total}',
  pivotValue: 'Giá trị',
  dimDx: 'Chỉ tiêu',
  dimPe: 'Kỳ',
  dimOu: 'Đơn vị',
  directiveProgress: 'Tiến độ thực hiện',
  directiveDone: '{done}/{total} việc đã xong ({share})',
  directiveNoTasks: 'Chưa giao việc nào.',
  directiveDue: 'Hạn {date}',
  directiveOpen: 'Xem chỉ đạo',
  countRead: 'Đã xem',
  countAcknowledged: 'Đã nhận',
  countInProgress: 'Đang làm',
  countDone: 'Đã xong',
  countBlocked: 'Vướng mắc',
  countOverdue: 'Quá hạn',
  countUnread: 'Chưa xem',
  fileTile: 'the-so-lieu',
  fileMap: 'ban-do',
  fileTrend: 'xu-huong',
  fileRanking: 'xep-hang',
  filePivot: 'bang',
  fileBreakdown: 'co-cau',
} as const;

type PanelKey = keyof typeof vi;

const en: Record<PanelKey, string> = {
  asOf: 'figures at {time}',
  asOfTitle: 'Figures read at {time}',
  loading: 'Loading the figures…',
  refreshing: 'Updating…',
  problem: 'This panel cannot be shown',
  noFigures: 'This panel has no figure chosen yet.',
  noValues: 'No figures yet for this period and unit.',
  kindTile: 'Figures',
  kindMap: 'Map',
  kindTrend: 'Trend',
  kindRanking: 'Ranking',
  kindPivot: 'Table',
  kindBreakdown: 'Breakdown',
  kindAlerts: 'Alerts',
  kindDirective: 'Directive progress',
  kindText: 'Note',
  mapNoBoundary: 'No boundary map for these units yet; their figures are listed below.',
  mapAlt: 'Map coloured by {indicator}, {period}.',
  mapRank: 'Rank {rank}/{total}',
  mapOutOfPanel: 'Outside this panel',
  rankingAsc: 'Lowest first.',
  rankingCaption: 'Ranking of {indicator}, {period}',
  trendAlt: 'Trend of {indicator} in {unit}',
  trendMore: 'The chart draws the first {n} lines; the download has every figure.',
  trendLinesAlt: 'Trend: {lines}',
  breakdownAlt: 'Bar chart: {items}',
  pivotCaption: 'Table {title}',
  pivotEmpty: 'The table has no rows yet.',
  pivotRows: 'Rows {from}–{to} of {total}',
  pivotColumns: 'Columns {from}–{to} of {total}',
  pivotValue: 'Value',
  dimDx: 'Figure',
  dimPe: 'Period',
  dimOu: 'Unit',
  directiveProgress: 'Progress',
  directiveDone: '{done} of {total} tasks done ({share})',
  directiveNoTasks: 'No task assigned yet.',
  directiveDue: 'Due {date}',
  directiveOpen: 'Open the directive',
  countRead: 'Read',
  countAcknowledged: 'Acknowledged',
  countInProgress: 'In progress',
  countDone: 'Done',
  countBlocked: 'Blocked',
  countOverdue: 'Overdue',
  countUnread: 'Unread',
  fileTile: 'figures',
  fileMap: 'map',
  fileTrend: 'trend',
  fileRanking: 'ranking',
  filePivot: 'table',
  fileBreakdown: 'breakdown',
};

const DICTS: Record<Lang, Record<PanelKey, string>> = { vi, en };

export function panelText(
  lang: Lang,
  key: PanelKey,
  params: Record<string, string | number> = {},
): string {
  return DICTS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    return v === undefined ? `{${name}}` : typeof v === 'number' ? formatNumber(lang, v) : v;
  });
}

export type PanelT = (key: PanelKey, params?: Record<string, string | number>) => string;

export function usePanelText(): { lang: Lang; t: PanelT } {
  const { lang } = useI18n();
  const t = useMemo<PanelT>(() => (key, params) => panelText(lang, key, params), [lang]);
  return { lang, t };
}

const KIND_KEYS = {
  tile: 'kindTile',
  map: 'kindMap',
  trend: 'kindTrend',
  ranking: 'kindRanking',
  pivot: 'kindPivot',
  breakdown: 'kindBreakdown',
  alerts: 'kindAlerts',
  directive: 'kindDirective',
  text: 'kindText',
} as const satisfies Record<string, PanelKey>;

/** "Bản đồ", "Bảng"…: a panel's kind in words (a title when it has no other). */
export function kindName(t: PanelT, kind: keyof typeof KIND_KEYS): string {
  return t(KIND_KEYS[kind]);
}
