import {
  createContext,
  createElement,
  useContext,
  useSyncExternalStore,
  type ReactNode,
} from 'react';

/** The UI speaks Vietnamese first; English on request. The choice is remembered in localStorage. */
export type Lang = 'vi' | 'en';

const STORAGE_KEY = 'opsroom.lang';

const vi = {
  appName: 'Opsroom — Phòng điều hành',
  appShort: 'Opsroom',
  tagline: 'Phòng điều hành',
  skipToContent: 'Bỏ qua, tới nội dung chính',
  switchLang: 'English',
  switchLangLabel: 'Switch to English',
  logout: 'Đăng xuất',
  signedInAs: 'Đang đăng nhập: {name}',
  loading: 'Đang tải…',

  loginTitle: 'Đăng nhập',
  loginIntro: 'Dùng tài khoản được cấp để vào phòng điều hành.',
  username: 'Tên đăng nhập',
  password: 'Mật khẩu',
  loginButton: 'Đăng nhập',
  loggingIn: 'Đang đăng nhập…',
  networkError: 'Không kết nối được máy chủ. Hãy kiểm tra mạng và thử lại.',

  unitsTitle: 'Đơn vị hành chính',
  unitsIntro: 'Tra cứu và duyệt cây đơn vị hành chính theo từng phiên bản.',
  version: 'Phiên bản cây',
  versionCurrent: 'hiện hành',
  version2022: 'Cây 2022 ({n} tỉnh)',
  version202503: 'Cây 03/2025 ({n} tỉnh)',
  version2025: 'Sau sáp nhập 07/2025 ({n} tỉnh)',
  versionOther: '{name} ({n} tỉnh)',
  validFrom: 'Hiệu lực từ {from}',
  validRange: 'Hiệu lực {from} – {until}',
  totals: 'Tổng số',
  search: 'Tìm đơn vị',
  searchPlaceholder: 'Ví dụ: bến nghé, quận 1',
  searchHint: 'Gõ tên, không cần dấu.',
  clearSearch: 'Xoá tìm kiếm',
  searching: 'Đang tìm…',
  resultsCount: 'Tìm thấy {n} đơn vị',
  resultsShown: 'hiển thị {n} đầu tiên',
  noResults: 'Không tìm thấy đơn vị nào khớp với “{q}”.',
  formerly: 'trước đây: {name}',
  renamedFrom: 'tên cũ: {name}',
  code: 'Mã',

  breadcrumb: 'Đường dẫn',
  children: 'Đơn vị trực thuộc',
  childrenCount: '{n} đơn vị',
  noChildren: 'Không có đơn vị cấp dưới.',
  unitsBelow: '{n} đơn vị {level}',
  details: 'Thông tin đơn vị',
  type: 'Loại',
  level: 'Cấp',
  nameEn: 'Tên tiếng Anh',
  parent: 'Trực thuộc',
  countsBelow: 'Số đơn vị cấp dưới',
  formedFrom: 'Hình thành từ (sắp xếp 07/2025)',
  wentInto: 'Đã sắp xếp vào (07/2025)',
  partFull: 'toàn bộ',
  partPartial: 'một phần',
  inVersion: 'cây {v}',
  renamedBy: 'Đổi tên theo {decree}, từ {date}',
  backToMyUnit: 'Về đơn vị của tôi',
  retry: 'Thử lại',
  levelNation: 'Quốc gia',
  level1: 'cấp tỉnh',
  level2District: 'cấp huyện',
  level3: 'cấp xã',
  levelTitle1: 'Cấp tỉnh',
  levelTitle2District: 'Cấp huyện',
  levelTitle3: 'Cấp xã',

  navMain: 'Chức năng',
  navUnits: 'Đơn vị hành chính',
  navDataEntry: 'Nhập số liệu',

  entryTitle: 'Nhập số liệu',
  entryIntro: 'Nhập số liệu của đơn vị cho từng kỳ báo cáo.',
  entryChoose: 'Chọn báo cáo',
  entryDataSet: 'Bộ dữ liệu',
  entryPeriod: 'Kỳ báo cáo',
  entryDay: 'Ngày báo cáo',
  entryUnit: 'Đơn vị',
  entryUnitSearch: 'Tìm đơn vị',
  entryUnitSearchHint: 'Gõ tên xã, phường; không cần dấu.',
  entryUnitShown: 'Có {n} đơn vị; gõ để tìm.',
  entryPrev: 'Kỳ trước',
  entryNext: 'Kỳ sau',
  entryNoDataSets: 'Tài khoản của bạn chưa được giao bộ dữ liệu nào để nhập.',
  entryFilled: 'Đã nhập {n}/{total} chỉ tiêu',
  entryDue: 'Hạn báo cáo: {date}',
  entryPastDue: 'Đã quá hạn báo cáo ({date})',
  entryReadOnly: 'Chỉ xem: tài khoản của bạn không được nhập số liệu.',
  entryStoredBy: 'Cập nhật bởi {who}, {when}',
  entrySave: 'Lưu số liệu',
  entrySaving: 'Đang lưu…',
  entryChanges: '{n} thay đổi chưa lưu',
  entryChanges1: '1 thay đổi chưa lưu',
  entryNoChanges: 'Chưa có thay đổi',
  entryNothingToSave: 'Không có thay đổi nào để lưu.',
  entryUndo: 'Hoàn tác',
  entryErrorsTitle: 'Chưa lưu: {n} chỉ tiêu cần sửa',
  entryErrorsIntro: 'Hãy sửa các ô được đánh dấu rồi bấm “Lưu số liệu”.',
  entryUnsaved: 'Bạn có thay đổi chưa lưu. Rời đi và bỏ các thay đổi này?',
  entryYes: 'Có',
  entryNo: 'Không',
  entryNotSet: '— Chưa nhập —',
  entryTypeInteger: 'Số nguyên',
  entryTypeNumber: 'Số',
  entryTypePercentage: 'Tỷ lệ %, từ 0 đến 100',
  entryTypeBoolean: 'Có / Không',
  entryTypeTrueOnly: 'Đánh dấu nếu có; để trống nếu không',
  entryTypeDate: 'Ngày',
  entryTypeText: 'Văn bản',
  errInteger:
    '“{v}” không phải số nguyên. Hãy nhập số nguyên, ví dụ 120 (không dùng dấu chấm, dấu phẩy).',
  errNumber: '“{v}” không phải số. Hãy nhập số, ví dụ 12.5 (phần thập phân dùng dấu chấm).',
  errPercentage: '“{v}” không phải tỷ lệ phần trăm. Hãy nhập số từ 0 đến 100, ví dụ 87.5.',
  errDate: '“{v}” không phải ngày. Hãy nhập ngày dạng năm-tháng-ngày, ví dụ 2026-11-22.',
  errBoolean: 'Hãy chọn Có hoặc Không.',
  errTrueOnly: 'Chỉ đánh dấu (có) hoặc để trống.',
  errText: 'Văn bản quá dài.',
};

type Dict = typeof vi;
export type MessageKey = keyof Dict;

const en: Dict = {
  appName: 'Opsroom — Operations room',
  appShort: 'Opsroom',
  tagline: 'Operations room',
  skipToContent: 'Skip to main content',
  switchLang: 'Tiếng Việt',
  switchLangLabel: 'Chuyển sang tiếng Việt',
  logout: 'Sign out',
  signedInAs: 'Signed in as {name}',
  loading: 'Loading…',

  loginTitle: 'Sign in',
  loginIntro: 'Use the account you were given to enter the operations room.',
  username: 'User name',
  password: 'Password',
  loginButton: 'Sign in',
  loggingIn: 'Signing in…',
  networkError: 'Cannot reach the server. Check the network and try again.',

  unitsTitle: 'Administrative units',
  unitsIntro: 'Search and browse the administrative tree of each version.',
  version: 'Tree version',
  versionCurrent: 'current',
  version2022: '2022 tree ({n} provinces)',
  version202503: '03/2025 tree ({n} provinces)',
  version2025: '07/2025 merger ({n} provinces)',
  versionOther: '{name} ({n} provinces)',
  validFrom: 'In force from {from}',
  validRange: 'In force {from} – {until}',
  totals: 'Totals',
  search: 'Find a unit',
  searchPlaceholder: 'e.g. ben nghe, quan 1',
  searchHint: 'Type a name; diacritics are optional.',
  clearSearch: 'Clear search',
  searching: 'Searching…',
  resultsCount: '{n} units found',
  resultsShown: 'showing the first {n}',
  noResults: 'No unit matches “{q}”.',
  formerly: 'formerly {name}',
  renamedFrom: 'renamed from {name}',
  code: 'Code',

  breadcrumb: 'Breadcrumb',
  children: 'Units directly below',
  childrenCount: '{n} units',
  noChildren: 'No units below this one.',
  unitsBelow: '{n} {level} units',
  details: 'Unit details',
  type: 'Type',
  level: 'Level',
  nameEn: 'English name',
  parent: 'Belongs to',
  countsBelow: 'Units below',
  formedFrom: 'Formed from (07/2025 reform)',
  wentInto: 'Went into (07/2025 reform)',
  partFull: 'whole',
  partPartial: 'part',
  inVersion: '{v} tree',
  renamedBy: 'Renamed by {decree}, from {date}',
  backToMyUnit: 'Back to my unit',
  retry: 'Try again',
  levelNation: 'Nation',
  level1: 'province-level',
  level2District: 'district-level',
  level3: 'commune-level',
  levelTitle1: 'Province level',
  levelTitle2District: 'District level',
  levelTitle3: 'Commune level',

  navMain: 'Sections',
  navUnits: 'Administrative units',
  navDataEntry: 'Data entry',

  entryTitle: 'Data entry',
  entryIntro: 'Enter your unit’s figures for each reporting period.',
  entryChoose: 'Choose the report',
  entryDataSet: 'Data set',
  entryPeriod: 'Period',
  entryDay: 'Day',
  entryUnit: 'Unit',
  entryUnitSearch: 'Find a unit',
  entryUnitSearchHint: 'Type a commune or ward name; diacritics are optional.',
  entryUnitShown: '{n} units; type to search.',
  entryPrev: 'Previous',
  entryNext: 'Next',
  entryNoDataSets: 'Your account has no data set to enter yet.',
  entryFilled: '{n} of {total} fields entered',
  entryDue: 'Due: {date}',
  entryPastDue: 'Past due ({date})',
  entryReadOnly: 'Read only: your account may not enter data.',
  entryStoredBy: 'Updated by {who}, {when}',
  entrySave: 'Save',
  entrySaving: 'Saving…',
  entryChanges: '{n} unsaved changes',
  entryChanges1: '1 unsaved change',
  entryNoChanges: 'No changes',
  entryNothingToSave: 'There are no changes to save.',
  entryUndo: 'Undo',
  entryErrorsTitle: 'Not saved: {n} fields need fixing',
  entryErrorsIntro: 'Fix the marked fields, then press “Save”.',
  entryUnsaved: 'You have unsaved changes. Leave and discard them?',
  entryYes: 'Yes',
  entryNo: 'No',
  entryNotSet: '— Not entered —',
  entryTypeInteger: 'Whole number',
  entryTypeNumber: 'Number',
  entryTypePercentage: 'Percentage, 0 to 100',
  entryTypeBoolean: 'Yes / No',
  entryTypeTrueOnly: 'Tick if yes; leave empty if not',
  entryTypeDate: 'Date',
  entryTypeText: 'Text',
  errInteger: '“{v}” is not a whole number. Enter a whole number, e.g. 120 (no dots or commas).',
  errNumber: '“{v}” is not a number. Enter a number, e.g. 12.5 (a dot before the decimals).',
  errPercentage: '“{v}” is not a percentage. Enter a number from 0 to 100, e.g. 87.5.',
  errDate: '“{v}” is not a date. Enter it as year-month-day, e.g. 2026-11-22.',
  errBoolean: 'Choose Yes or No.',
  errTrueOnly: 'Only a tick (yes) or empty.',
  errText: 'The text is too long.',
};

const dictionaries: Record<Lang, Dict> = { vi, en };

/** Unit types as named in the GSO data files. */
const TYPES: Record<string, { vi: string; en: string }> = {
  quoc_gia: { vi: 'Quốc gia', en: 'Nation' },
  thanh_pho_truc_thuoc_trung_uong: { vi: 'Thành phố trực thuộc trung ương', en: 'Municipality' },
  tinh: { vi: 'Tỉnh', en: 'Province' },
  thanh_pho_thuoc_thanh_pho_truc_thuoc_trung_uong: {
    vi: 'Thành phố thuộc thành phố trực thuộc trung ương',
    en: 'Municipal city',
  },
  thanh_pho_thuoc_tinh: { vi: 'Thành phố thuộc tỉnh', en: 'Provincial city' },
  quan: { vi: 'Quận', en: 'Urban district' },
  thi_xa: { vi: 'Thị xã', en: 'District-level town' },
  huyen: { vi: 'Huyện', en: 'District' },
  phuong: { vi: 'Phường', en: 'Ward' },
  thi_tran: { vi: 'Thị trấn', en: 'Commune-level town' },
  xa: { vi: 'Xã', en: 'Commune' },
  dac_khu: { vi: 'Đặc khu tại hải đảo', en: 'Special administrative region' },
};

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    // storage may be unavailable (private mode); fall back to Vietnamese
  }
  return 'vi';
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // ignore
  }
  document.documentElement.lang = lang;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function translate(
  lang: Lang,
  key: MessageKey,
  params: Record<string, string | number> = {},
) {
  return dictionaries[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    return v === undefined ? `{${name}}` : typeof v === 'number' ? formatNumber(lang, v) : v;
  });
}

export function formatNumber(lang: Lang, n: number): string {
  return n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB');
}

/** dd/mm/yyyy, the way dates are written in Vietnamese documents. */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return y && m && d ? `${d}/${m}/${y}` : iso;
}

export function typeName(lang: Lang, type: string): string {
  return TYPES[type]?.[lang] ?? type;
}

export interface I18n {
  lang: Lang;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  n: (n: number) => string;
}

/**
 * The language switch: one provider at the top of the app follows the remembered choice
 * (`setLang`, also read outside React by `getLang`, e.g. for Accept-Language) and hands it down.
 */
const LangContext = createContext<Lang | null>(null);

export function LanguageProvider({ children }: { children: ReactNode }) {
  const lang = useSyncExternalStore(subscribe, getLang, getLang);
  return createElement(LangContext.Provider, { value: lang }, children);
}

/** The language shown (outside the provider, the remembered choice, without following a switch). */
export function useLang(): Lang {
  return useContext(LangContext) ?? getLang();
}

export function useI18n(): I18n {
  const lang = useLang();
  return {
    lang,
    t: (key, params) => translate(lang, key, params),
    n: (n) => formatNumber(lang, n),
  };
}
