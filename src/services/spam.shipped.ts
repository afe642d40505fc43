import type { DataElementInput } from '../domain/metadata.ts';
import { SPAM_ELEMENTS } from '../domain/spam.ts';

/**
 * The data elements the 5656 line's daily counts are written to (issue 20), sector "an toàn
 * thông tin". Installed by the count job before it first writes them (a database that never
 * receives a report never shows them); an element an admin changed is left as it is.
 */
export const SPAM_DATA_ELEMENTS: readonly DataElementInput[] = [
  {
    code: SPAM_ELEMENTS.reports,
    nameVi: 'Số phản ánh tin nhắn, cuộc gọi rác (5656)',
    nameEn: 'Spam reports received (5656)',
    sector: 'security',
    valueType: 'integer',
    unit: 'phản ánh',
    aggTime: 'sum',
    aggUnits: 'sum',
    zeroSignificant: true,
    direction: 'rise_bad',
    description:
      'Phản ánh tin nhắn, cuộc gọi rác nhận qua đầu số 5656 (cổng của nhà mạng và trang công khai) trong ngày.',
    min: 0,
  },
  {
    code: SPAM_ELEMENTS.numbers,
    nameVi: 'Số thuê bao, đầu số bị phản ánh (5656)',
    nameEn: 'Numbers reported as spam (5656)',
    sector: 'security',
    valueType: 'integer',
    unit: 'số',
    aggTime: 'sum',
    aggUnits: 'sum',
    zeroSignificant: true,
    direction: 'rise_bad',
    description:
      'Số thuê bao, đầu số, tên định danh khác nhau bị phản ánh trong ngày; cộng theo ngày (một số bị phản ánh hai ngày được tính hai lần trong tuần).',
    min: 0,
  },
  {
    code: SPAM_ELEMENTS.blocked,
    nameVi: 'Số thuê bao bị chặn theo phản ánh (5656)',
    nameEn: 'Numbers blocked on reports (5656)',
    sector: 'security',
    valueType: 'integer',
    unit: 'số',
    aggTime: 'sum',
    aggUnits: 'sum',
    zeroSignificant: true,
    direction: 'rise_good',
    description: 'Số thuê bao, đầu số nhà mạng xác nhận đã chặn trong ngày.',
    min: 0,
  },
];
