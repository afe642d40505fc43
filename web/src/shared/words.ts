import type { Lang } from './format.ts';

/**
 * Words several screens say the same way (a board's dialogs, the data quality screen), Vietnamese
 * first: each feature's messages take them from here rather than writing them again.
 */
export const COMMON_WORDS = {
  vi: { unit: 'Đơn vị', period: 'Kỳ', cancel: 'Hủy' },
  en: { unit: 'Unit', period: 'Period', cancel: 'Cancel' },
} as const satisfies Record<Lang, Record<string, string>>;
