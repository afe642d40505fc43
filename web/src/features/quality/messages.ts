import { useI18n } from '../../shared/i18n.ts';
import { formatNumber, type Lang } from '../../shared/format.ts';

/** The data quality screen's own words, Vietnamese first (kept apart from i18n.ts). */
const vi = {
  nav: 'Chất lượng số liệu',
  title: 'Chất lượng số liệu',
  intro:
    'Số liệu vi phạm quy tắc kiểm tra và giá trị bất thường, quan trọng nhất và mới nhất trước.',
  unit: 'Đơn vị',
  state: 'Trạng thái',
  stateOpen: 'Chưa xử lý',
  stateAll: 'Tất cả',
  violations: 'Vi phạm quy tắc kiểm tra',
  noViolations: 'Không có vi phạm nào.',
  importance_HIGH: 'Cao',
  importance_MEDIUM: 'Trung bình',
  importance_LOW: 'Thấp',
  importanceLabel: 'Mức độ: {level}',
  followup_open: 'Chưa xử lý',
  followup_confirmed: 'Đã xác nhận đúng',
  followup_corrected: 'Đã sửa',
  period: 'Kỳ',
  leftSide: 'Vế trái',
  rightSide: 'Vế phải',
  missing: 'không có số liệu',
  why: 'Quy tắc yêu cầu {left} {op} {right}: không thỏa.',
  whyPair: 'Quy tắc yêu cầu {op}: không thỏa.',
  instruction: 'Hướng dẫn',
  task: 'Việc theo dõi #{id}',
  reviewComment: 'Ghi chú: {comment}',
  confirm: 'Xác nhận số liệu đúng',
  confirmComment: 'Lý do xác nhận',
  confirmSend: 'Xác nhận',
  cancel: 'Hủy',
  confirmed: 'Đã xác nhận số liệu đúng: {rule} — {unit}.',
  pageOf: 'Trang {page}/{pages} · {total} vi phạm',
  prev: 'Trang trước',
  next: 'Trang sau',
  outliers: 'Giá trị bất thường (theo mùa vụ)',
  outliersIntro: 'So sánh mỗi giá trị với cùng kỳ các năm trước và các kỳ gần kề (trung vị, MAD).',
  elements: 'Chỉ tiêu (mã, cách nhau bởi dấu phẩy)',
  from: 'Từ ngày',
  to: 'Đến ngày',
  check: 'Kiểm tra',
  noOutliers: 'Không có giá trị bất thường.',
  value: 'Giá trị',
  median: 'Trung vị',
  score: 'Điểm lệch',
  scaleSlip: 'Nghi nhầm đơn vị/tỷ lệ',
  element: 'Chỉ tiêu',
  outlierCount: '{n} giá trị bất thường',
  op_equal_to: '= (bằng)',
  op_not_equal_to: '≠ (khác)',
  op_greater_than: '> (lớn hơn)',
  op_greater_than_or_equal_to: '≥ (không nhỏ hơn)',
  op_less_than: '< (nhỏ hơn)',
  op_less_than_or_equal_to: '≤ (không lớn hơn)',
  op_compulsory_pair: 'phải có cả hai vế',
  op_exclusive_pair: 'chỉ được có một vế',
};

type Key = keyof typeof vi;

const en: Record<Key, string> = {
  nav: 'Data quality',
  title: 'Data quality',
  intro: 'Values that break validation rules, and outliers: most important and newest first.',
  unit: 'Unit',
  state: 'State',
  stateOpen: 'Open',
  stateAll: 'All',
  violations: 'Validation rule violations',
  noViolations: 'No violations.',
  importance_HIGH: 'High',
  importance_MEDIUM: 'Medium',
  importance_LOW: 'Low',
  importanceLabel: 'Importance: {level}',
  followup_open: 'Open',
  followup_confirmed: 'Confirmed correct',
  followup_corrected: 'Corrected',
  period: 'Period',
  leftSide: 'Left side',
  rightSide: 'Right side',
  missing: 'no value',
  why: 'The rule asks for {left} {op} {right}: it does not hold.',
  whyPair: 'The rule asks for {op}: it does not hold.',
  instruction: 'Instruction',
  task: 'Follow-up task #{id}',
  reviewComment: 'Comment: {comment}',
  confirm: 'Confirm the value is correct',
  confirmComment: 'Why it is correct',
  confirmSend: 'Confirm',
  cancel: 'Cancel',
  confirmed: 'Confirmed correct: {rule} — {unit}.',
  pageOf: 'Page {page}/{pages} · {total} violations',
  prev: 'Previous page',
  next: 'Next page',
  outliers: 'Outliers (seasonal baseline)',
  outliersIntro:
    'Each value against the same period of earlier years and its neighbours (median, MAD).',
  elements: 'Elements (codes, comma-separated)',
  from: 'From',
  to: 'To',
  check: 'Check',
  noOutliers: 'No outliers.',
  value: 'Value',
  median: 'Median',
  score: 'Score',
  scaleSlip: 'Likely unit/scale slip',
  element: 'Element',
  outlierCount: '{n} outliers',
  op_equal_to: '= (equal to)',
  op_not_equal_to: '≠ (not equal to)',
  op_greater_than: '> (greater than)',
  op_greater_than_or_equal_to: '≥ (at least)',
  op_less_than: '< (less than)',
  op_less_than_or_equal_to: '≤ (at most)',
  op_compulsory_pair: 'both sides required',
  op_exclusive_pair: 'only one side allowed',
};

const DICTS: Record<Lang, Record<Key, string>> = { vi, en };

export type QualityKey = Key;
export type QualityT = (key: Key, params?: Record<string, string | number>) => string;

export function qualityText(
  lang: Lang,
  key: Key,
  params: Record<string, string | number> = {},
): string {
  return DICTS[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    return v === undefined ? `{${name}}` : typeof v === 'number' ? formatNumber(lang, v) : v;
  });
}

export function useQualityText(): { lang: Lang; t: QualityT } {
  const { lang } = useI18n();
  return { lang, t: (key, params) => qualityText(lang, key, params) };
}
