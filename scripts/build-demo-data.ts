/**
 * Builds the demo data set from the seed figures:
 *
 *   data/seed-figures/figures.json  →  data/demo/metadata.json (elements, breakdowns, indicators,
 *                                      targets, data sets) and data/demo/figures.json (the national
 *                                      values, one row per value, and the figures left out).
 *
 * Run: node --import tsx scripts/build-demo-data.ts   (the output is committed; `loadSeedFigures`
 * reads it, never this script). The rules for periods are written into figures.json (`rules`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  parsePeriod,
  periodContaining,
  samePeriodLastYear,
  previousPeriod,
} from '../src/domain/period.ts';
import type { MetadataDocumentInput } from '../src/domain/metadata.ts';
import { DAILY_ELEMENTS, DAILY_INDICATORS } from '../src/jobs/demo-data.ts';

const root = new URL('../', import.meta.url);

interface Compare {
  basis: string;
  basis_period?: { start: string; end: string; label_vi: string | null };
  value?: number;
  change_pct?: number;
  change_pct_min?: number;
  change_abs?: number;
  change_factor?: number;
  approx?: boolean;
  lower_bound?: boolean;
}
interface Part {
  value: number;
  unit?: string;
  approx?: boolean;
  lower_bound?: boolean;
}
interface Figure {
  id: string;
  domain: string;
  name_vi: string;
  name_en: string;
  unit: string | null;
  aggregation: 'sum' | 'last' | 'average';
  period: { start: string | null; end: string; label_vi: string | null };
  value: number | null;
  value_min?: number;
  estimate?: boolean;
  approx?: boolean;
  lower_bound?: boolean;
  planned?: boolean;
  of?: number;
  of_what?: string;
  value_usd_billion?: number;
  value_billion_vnd?: number;
  share_pct?: { of: string; value: number; approx?: boolean };
  breakdown?: Record<string, Part & { value_usd_billion?: number }>;
  related?: Record<string, Part>;
  compare?: Compare[];
  note?: string;
  source: string;
  quote_vi: string;
}
interface SeedTarget {
  id: string;
  text_vi: string;
  measure: string | null;
  value: number | null;
  unit: string | null;
  due: string | null;
  at_least?: boolean;
  at_most?: boolean;
}

type Sector = 'postal' | 'telecom' | 'it' | 'security' | 'ict' | 'press' | 'covid' | 'government';
type ValueType = 'integer' | 'number' | 'percentage';

interface Element {
  code: string;
  nameVi: string;
  nameEn: string;
  sector: Sector | 'other';
  valueType: ValueType;
  unit: string;
  aggTime: 'sum' | 'last' | 'average';
  aggUnits?: 'sum' | 'average' | 'none';
  breakdown?: string;
  description?: string;
}

// -------------------------------------------------------------------------------------------
// The elements of the national figures. One element per measured thing; a thing printed for
// several periods (telecom revenue, postal revenue, cyberattacks, ICT revenue) is one element.
// A running total from an unprinted start ("đến hết ngày 26/8", "vừa qua") is a cumulative
// element ("lũy kế", aggregated as `last`), not a flow: the period it sums over is unknown.

const el = (
  code: string,
  sector: Sector | 'other',
  valueType: ValueType,
  unit: string,
  aggTime: 'sum' | 'last',
  nameVi: string,
  nameEn: string,
  extra: Partial<Element> = {},
): Element => ({
  code,
  nameVi,
  nameEn,
  sector,
  valueType,
  unit,
  aggTime,
  ...(valueType === 'percentage' ? { aggUnits: 'none' as const } : {}),
  ...extra,
});

const BREAKDOWNS = [
  {
    code: 'ATTACK_TYPE',
    nameVi: 'Loại tấn công mạng',
    nameEn: 'Type of cyberattack',
    options: [
      { code: 'PHISHING', nameVi: 'Lừa đảo (Phishing)', nameEn: 'Phishing' },
      { code: 'DEFACE', nameVi: 'Thay đổi giao diện (Deface)', nameEn: 'Deface' },
      { code: 'MALWARE', nameVi: 'Mã độc (Malware)', nameEn: 'Malware' },
      {
        code: 'ATTACK_UNCLASSIFIED',
        nameVi: 'Không phân loại',
        nameEn: 'Not broken down by type',
      },
    ],
  },
  {
    code: 'PRESS_AGENCY_TYPE',
    nameVi: 'Loại hình cơ quan báo chí',
    nameEn: 'Type of press agency',
    options: [
      {
        code: 'NEWSPAPER_TWO_TYPES',
        nameVi: 'Báo thực hiện hai loại hình',
        nameEn: 'Newspapers publishing in two forms',
      },
      {
        code: 'MAGAZINE_TWO_TYPES',
        nameVi: 'Tạp chí thực hiện hai loại hình',
        nameEn: 'Magazines publishing in two forms',
      },
      {
        code: 'PRINT_NEWSPAPER_MAGAZINE',
        nameVi: 'Báo và tạp chí in',
        nameEn: 'Print newspapers and magazines',
      },
      {
        code: 'ELECTRONIC_NEWSPAPER_MAGAZINE',
        nameVi: 'Báo và tạp chí điện tử',
        nameEn: 'Electronic newspapers and magazines',
      },
    ],
  },
  {
    code: 'PLATFORM',
    nameVi: 'Nền tảng xuyên biên giới',
    nameEn: 'Cross-border platform',
    options: [
      {
        code: 'FACEBOOK',
        nameVi: 'Facebook (bài viết, tài khoản)',
        nameEn: 'Facebook (posts, accounts)',
      },
      { code: 'YOUTUBE', nameVi: 'YouTube (video, kênh)', nameEn: 'YouTube (videos, channels)' },
      { code: 'TIKTOK', nameVi: 'TikTok (video)', nameEn: 'TikTok (videos)' },
    ],
  },
];

const PART_OPTION: Record<string, Record<string, string>> = {
  'security.cyberattacks': { phishing: 'PHISHING', deface: 'DEFACE', malware: 'MALWARE' },
  'press.agencies': {
    newspapers_two_types: 'NEWSPAPER_TWO_TYPES',
    magazines_two_types: 'MAGAZINE_TWO_TYPES',
    print_newspapers_and_magazines: 'PRINT_NEWSPAPER_MAGAZINE',
    electronic_newspapers_and_magazines: 'ELECTRONIC_NEWSPAPER_MAGAZINE',
  },
  'press.platform_takedowns': {
    facebook_posts_accounts: 'FACEBOOK',
    youtube_videos_channels: 'YOUTUBE',
    tiktok_videos: 'TIKTOK',
  },
};

const ELEMENTS: Element[] = [
  // postal
  el(
    'POSTAL_REVENUE',
    'postal',
    'number',
    'tỷ đồng',
    'sum',
    'Doanh thu bưu chính',
    'Postal revenue',
  ),
  el(
    'POSTAL_ITEMS',
    'postal',
    'number',
    'triệu bưu gửi',
    'sum',
    'Sản lượng bưu gửi',
    'Postal items',
  ),
  el(
    'POSTAL_PARCELS',
    'postal',
    'number',
    'triệu gói, kiện',
    'sum',
    'Sản lượng gói, kiện',
    'Parcels handled',
  ),
  el(
    'POSTAL_ESSENTIAL_GOODS_POINTS',
    'postal',
    'integer',
    'điểm',
    'last',
    'Số điểm cung ứng hàng hóa thiết yếu',
    'Essential-goods supply points',
  ),
  el(
    'POSTAL_ESSENTIAL_GOODS_TONNES_CUM',
    'postal',
    'number',
    'tấn',
    'last',
    'Hàng thiết yếu đã cung cấp (lũy kế)',
    'Essential goods supplied (cumulative)',
  ),
  el(
    'POSTAL_ESSENTIAL_GOODS_VALUE_CUM',
    'postal',
    'number',
    'tỷ đồng',
    'last',
    'Giá trị hàng thiết yếu đã cung cấp (lũy kế)',
    'Value of essential goods supplied (cumulative)',
  ),
  // telecom
  el(
    'TELECOM_REVENUE',
    'telecom',
    'number',
    'tỷ đồng',
    'sum',
    'Tổng doanh thu dịch vụ viễn thông',
    'Telecom services revenue',
  ),
  el(
    'TELECOM_PHONE_SUBS',
    'telecom',
    'number',
    'triệu thuê bao',
    'last',
    'Số thuê bao điện thoại',
    'Phone subscribers',
  ),
  el(
    'TELECOM_SMARTPHONE_SUBS',
    'telecom',
    'number',
    'triệu thuê bao',
    'last',
    'Số thuê bao điện thoại smartphone',
    'Smartphone subscribers',
  ),
  el(
    'TELECOM_SMARTPHONE_SHARE_PCT',
    'telecom',
    'percentage',
    '%',
    'last',
    'Tỷ lệ thuê bao smartphone trên thuê bao di động',
    'Smartphone share of mobile subscribers',
  ),
  el(
    'TELECOM_FIXED_BB_HOUSEHOLDS',
    'telecom',
    'number',
    'triệu thuê bao',
    'last',
    'Số thuê bao băng rộng cố định hộ gia đình',
    'Household fixed-broadband subscribers',
  ),
  el(
    'TELECOM_FIXED_BB_HOUSEHOLD_PCT',
    'telecom',
    'percentage',
    '%',
    'last',
    'Tỷ lệ hộ gia đình có băng rộng cố định',
    'Households with fixed broadband',
  ),
  el(
    'TELECOM_SPAM_REPORTS_5656',
    'telecom',
    'integer',
    'phản ánh',
    'sum',
    'Phản ánh tin nhắn rác qua hệ thống 5656',
    'Spam-SMS reports received on 5656',
  ),
  el(
    'TELECOM_SPAM_SMS_BLOCK_REQUESTS',
    'telecom',
    'number',
    'triệu tin nhắn',
    'sum',
    'Tin nhắn rác đã yêu cầu nhà mạng chặn',
    'Spam SMS operators were asked to block',
  ),
  el(
    'TELECOM_SPAM_SIMS_HANDLED',
    'telecom',
    'number',
    'triệu SIM',
    'sum',
    'Số SIM rác đã xử lý',
    'Junk SIMs handled',
  ),
  el(
    'TELECOM_SPOOFED_CALLS_BLOCKED',
    'telecom',
    'number',
    'triệu cuộc gọi',
    'sum',
    'Số cuộc gọi giả mạo đã ngăn chặn',
    'Spoofed calls blocked',
  ),
  el(
    'TELECOM_SPAM_CALL_SUBS_HANDLED',
    'telecom',
    'integer',
    'thuê bao',
    'sum',
    'Số thuê bao phát tán cuộc gọi rác đã xử lý',
    'Subscribers spreading spam calls handled',
  ),
  el(
    'TELECOM_COVID_SUPPORT_CUM',
    'telecom',
    'number',
    'tỷ đồng',
    'last',
    'Gói hỗ trợ dịch vụ viễn thông mùa dịch (lũy kế)',
    "Telecom operators' Covid support package (cumulative)",
  ),
  el(
    'TELECOM_COVID_SMS',
    'telecom',
    'number',
    'tỷ tin nhắn',
    'sum',
    'Tin nhắn tuyên truyền phòng chống dịch',
    'COVID awareness SMS sent',
  ),
  el(
    'TELECOM_COVID_SMS_CAMPAIGNS',
    'telecom',
    'integer',
    'đợt',
    'sum',
    'Số đợt nhắn tin phòng chống dịch',
    'COVID SMS campaigns',
  ),
  el(
    'TELECOM_COVID_SMS_DELIVERIES',
    'telecom',
    'number',
    'tỷ lượt thuê bao',
    'sum',
    'Lượt thuê bao nhận tin nhắn phòng chống dịch',
    'Subscriber deliveries of COVID SMS',
  ),
  el(
    'TELECOM_DONATION_SMS',
    'telecom',
    'number',
    'triệu tin nhắn',
    'sum',
    'Tin nhắn ủng hộ phòng chống dịch',
    'Donation SMS',
  ),
  el(
    'TELECOM_DONATION_SMS_VALUE',
    'telecom',
    'number',
    'tỷ đồng',
    'sum',
    'Giá trị ủng hộ qua tin nhắn',
    'Donations by SMS',
  ),
  el(
    'TELECOM_COVID_CUSTOMER_SUPPORT',
    'telecom',
    'number',
    'tỷ đồng',
    'sum',
    'Hỗ trợ khách hàng qua tăng băng thông, giảm giá cước',
    'Support to customers (bandwidth, prices)',
  ),
  el(
    'TELECOM_FREE_DATA_SCHOOLS',
    'telecom',
    'integer',
    'trường',
    'last',
    'Trường học được miễn cước data học trực tuyến',
    'Schools with free mobile data for online learning',
  ),
  // IT application
  el(
    'IT_ONLINE_SERVICES_L4_ELIGIBLE_PCT',
    'it',
    'percentage',
    '%',
    'last',
    'Tỷ lệ DVCTT đủ điều kiện đưa lên mức độ 4',
    'Online public services eligible for level 4',
  ),
  el(
    'IT_MIC_ONLINE_SERVICES_L4_PCT',
    'it',
    'percentage',
    '%',
    'last',
    'Tỷ lệ DVCTT mức độ 4 của Bộ TT&TT',
    "The ministry's online public services at level 4",
  ),
  el(
    'IT_PROVINCES_POPULATION_DB',
    'it',
    'integer',
    'tỉnh',
    'last',
    'Địa phương kết nối thử nghiệm CSDL quốc gia về dân cư',
    'Provinces connected (test) to the population database',
  ),
  el(
    'IT_PROVINCES_EGOV_ARCH_2',
    'it',
    'integer',
    'tỉnh',
    'last',
    'Tỉnh có Kiến trúc Chính quyền điện tử 2.0',
    'Provinces with e-government architecture v2.0',
  ),
  el(
    'IT_PROVINCES_IT_PLAN_2021_2025',
    'it',
    'integer',
    'tỉnh',
    'last',
    'Tỉnh có Kế hoạch ứng dụng CNTT 2021-2025',
    'Provinces with a 2021-2025 IT plan',
  ),
  el(
    'IT_PROVINCES_DX_PROGRAMME',
    'it',
    'integer',
    'tỉnh',
    'last',
    'Tỉnh có Chương trình/Kế hoạch chuyển đổi số',
    'Provinces with a digital-transformation programme',
  ),
  el(
    'IT_ONLINE_TEACHING_SCHOOLS',
    'it',
    'integer',
    'trường',
    'last',
    'Trường dùng nền tảng dạy học trực tuyến',
    'Schools served by the online-teaching platform',
  ),
  // security
  el(
    'CYBERATTACKS',
    'security',
    'integer',
    'sự cố',
    'sum',
    'Tấn công mạng gây sự cố vào hệ thống thông tin',
    'Cyberattacks causing incidents',
    { breakdown: 'ATTACK_TYPE' },
  ),
  el(
    'SECURITY_BOTNET_IPS',
    'security',
    'integer',
    'địa chỉ IP',
    'last',
    'Địa chỉ IP Việt Nam trong mạng botnet',
    'Vietnamese IP addresses in botnets',
  ),
  el(
    'SECURITY_PUBLIC_CERTS_ISSUED',
    'security',
    'integer',
    'chứng thư số',
    'last',
    'Tổng số chứng thư số công cộng đã cấp',
    'Public digital certificates issued (total)',
  ),
  el(
    'SECURITY_PUBLIC_CERTS_ACTIVE',
    'security',
    'integer',
    'chứng thư số',
    'last',
    'Chứng thư số công cộng đang hoạt động',
    'Active public digital certificates',
  ),
  el(
    'SECURITY_SOC_SUPPORTED_DEPTS',
    'security',
    'integer',
    'sở',
    'last',
    'Sở TT&TT được hỗ trợ xây dựng SOC',
    'Provincial departments helped to build a SOC',
  ),
  // ICT industry
  el(
    'ICT_INDUSTRY_REVENUE',
    'ict',
    'number',
    'tỷ đồng',
    'sum',
    'Doanh thu công nghiệp ICT',
    'ICT industry revenue',
  ),
  el(
    'ICT_HARDWARE_REVENUE',
    'ict',
    'number',
    'tỷ đồng',
    'sum',
    'Doanh thu công nghiệp phần cứng, điện tử',
    'Hardware and electronics revenue',
  ),
  // The same revenues in USD, as the articles print them beside the VND amounts: stored as
  // printed, so that a data-quality rule relating the two (an exchange rate) flags the pair
  // whose units slipped (issue 17), instead of this script correcting it.
  el(
    'ICT_INDUSTRY_REVENUE_USD',
    'ict',
    'number',
    'tỷ USD',
    'sum',
    'Doanh thu công nghiệp ICT (USD)',
    'ICT industry revenue (USD)',
  ),
  el(
    'ICT_HARDWARE_REVENUE_USD',
    'ict',
    'number',
    'tỷ USD',
    'sum',
    'Doanh thu công nghiệp phần cứng, điện tử (USD)',
    'Hardware and electronics revenue (USD)',
  ),
  // press
  el(
    'PRESS_AGENCIES',
    'press',
    'integer',
    'cơ quan',
    'last',
    'Số cơ quan báo chí',
    'Press agencies',
    { breakdown: 'PRESS_AGENCY_TYPE' },
  ),
  el(
    'PRESS_PAY_TV_SUBS',
    'press',
    'number',
    'triệu thuê bao',
    'last',
    'Thuê bao truyền hình trả tiền',
    'Pay-TV subscribers',
  ),
  el(
    'PRESS_LICENSED_SOCIAL_NETWORKS',
    'press',
    'integer',
    'mạng xã hội',
    'last',
    'Mạng xã hội Việt Nam được cấp phép',
    'Licensed Vietnamese social networks',
  ),
  el(
    'PRESS_SOCIAL_NETWORK_ACCOUNTS',
    'press',
    'number',
    'triệu tài khoản',
    'last',
    'Tài khoản người dùng mạng xã hội Việt Nam',
    'Accounts on Vietnamese social networks',
  ),
  el(
    'PRESS_COMMUNE_RADIO_STATIONS',
    'press',
    'integer',
    'đài',
    'last',
    'Đài truyền thanh cấp xã',
    'Commune radio stations',
  ),
  el(
    'PRESS_COMMUNE_RADIO_STATIONS_ICT',
    'press',
    'integer',
    'đài',
    'last',
    'Đài truyền thanh ứng dụng CNTT-VT',
    'Commune radio stations using IT/telecom',
  ),
  el(
    'PRESS_PLATFORM_TAKEDOWNS',
    'press',
    'integer',
    'mục',
    'sum',
    'Nội dung vi phạm được gỡ theo yêu cầu',
    'Violating content removed on request',
    { breakdown: 'PLATFORM' },
  ),
  el(
    'PRESS_COVID_ARTICLES',
    'press',
    'integer',
    'tin, bài',
    'sum',
    'Tin, bài về dịch COVID-19',
    'Press articles about COVID-19',
  ),
  el(
    'PRESS_COVID_ARTICLES_CUM',
    'press',
    'integer',
    'tin, bài',
    'last',
    'Tin, bài về dịch COVID-19 (lũy kế)',
    'Press articles about COVID-19 (cumulative)',
  ),
  el(
    'PRESS_BOOK_FAIR_VISITS',
    'press',
    'number',
    'triệu lượt',
    'sum',
    'Lượt truy cập Hội sách trực tuyến quốc gia',
    'Visits to the national online book fair',
  ),
  el(
    'PRESS_RESERVE_BUDGET_ORDERS',
    'press',
    'number',
    'tỷ đồng',
    'sum',
    'Ngân sách dự phòng đặt hàng báo chí, truyền hình',
    'Reserve budget used to commission press and TV',
  ),
  el(
    'PRESS_ICT_SUPPORT_REPORTERS',
    'press',
    'number',
    'tỷ đồng',
    'sum',
    'Hỗ trợ từ doanh nghiệp ICT cho phóng viên tuyến đầu',
    'Support from ICT companies for front-line reporters',
  ),
  el(
    'PRESS_NEW_LICENCES',
    'press',
    'integer',
    'cơ quan',
    'sum',
    'Cơ quan báo chí được cấp giấy phép mới',
    'Press agencies given a new licence',
  ),
  // covid
  el(
    'COVID_BLUEZONE_ACTIVE',
    'covid',
    'number',
    'triệu',
    'last',
    'Lượt ứng dụng Bluezone đang hoạt động',
    'Active Bluezone installs',
  ),
  el(
    'COVID_BLUEZONE_TEST_RESULTS_CUM',
    'covid',
    'integer',
    'lượt',
    'last',
    'Lượt trả kết quả xét nghiệm qua Bluezone (lũy kế)',
    'Test results delivered through Bluezone (cumulative)',
  ),
  el(
    'COVID_HEALTH_DECLARATIONS_CUM',
    'covid',
    'number',
    'triệu lượt',
    'last',
    'Lượt khai báo y tế qua các ứng dụng (lũy kế)',
    'Health declarations through the apps (cumulative)',
  ),
  el(
    'COVID_HEALTH_BOOK_INSTALLS_CUM',
    'covid',
    'number',
    'triệu lượt',
    'last',
    'Lượt cài đặt Sổ sức khỏe điện tử (lũy kế)',
    'Electronic health-book installs (cumulative)',
  ),
  el(
    'COVID_CASES_TRACED_CUM',
    'covid',
    'integer',
    'ca',
    'last',
    'Ca nhiễm, nghi nhiễm đã truy vết (lũy kế)',
    'Infected or suspected cases traced (cumulative)',
  ),
  el(
    'COVID_CONTACTS_FOUND_CUM',
    'covid',
    'integer',
    'ca',
    'last',
    'Ca có liên quan đã truy ra (lũy kế)',
    'Related contacts found (cumulative)',
  ),
  el(
    'COVID_SPECIAL_F0_TRACED_CUM',
    'covid',
    'integer',
    'trường hợp',
    'last',
    'Trường hợp F0 đặc biệt đã truy vết (lũy kế)',
    'Special F0 cases traced (cumulative)',
  ),
  el(
    'COVID_ABSCONDED_F0_FOUND_CUM',
    'covid',
    'integer',
    'trường hợp',
    'last',
    'F0 bỏ trốn được phát hiện nhờ truy vết (lũy kế)',
    'Absconded F0 found by tracing (cumulative)',
  ),
  el(
    'COVID_TAM_LONG_MUA_DICH_VALUE',
    'covid',
    'number',
    'tỷ đồng',
    'last',
    'Giá trị chương trình “Tấm lòng mùa dịch, san sẻ yêu thương”',
    'Value of the “Tấm lòng mùa dịch” programme',
  ),
  el(
    'COVID_APPS_IN_USE',
    'covid',
    'integer',
    'ứng dụng',
    'last',
    'Ứng dụng phòng, chống dịch đưa vào sử dụng',
    'Anti-epidemic apps in use',
  ),
  el(
    'COVID_APPS_BUILT',
    'covid',
    'integer',
    'ứng dụng',
    'last',
    'Ứng dụng phòng, chống dịch đã xây dựng',
    'Anti-epidemic apps built',
  ),
  el(
    'COVID_APP_VOLUNTEERS',
    'covid',
    'integer',
    'người',
    'last',
    'Cá nhân tham gia xây dựng ứng dụng phòng, chống dịch',
    'People who built the anti-epidemic apps',
  ),
  el(
    'COVID_CONTACTLESS_PLATFORMS',
    'covid',
    'integer',
    'nền tảng',
    'last',
    'Nền tảng phục vụ cuộc sống, làm việc không tiếp xúc',
    'Platforms for contactless living and working',
  ),
  // measures of targets that no seed figure measures (no values yet)
  el(
    'TELECOM_PROVINCES_NEXT_GEN_PLAN_PCT',
    'telecom',
    'percentage',
    '%',
    'last',
    'Tỷ lệ địa phương có kế hoạch phát triển hạ tầng viễn thông thế hệ mới',
    'Provinces with a next-generation telecom infrastructure plan',
  ),
  el(
    'TELECOM_5G_VN_EQUIPMENT_PCT',
    'telecom',
    'percentage',
    '%',
    'last',
    'Tỷ lệ thiết bị Việt Nam trong mạng 5G thương mại',
    'Share of Vietnamese equipment in commercial 5G',
  ),
  el(
    'DIGITAL_ECONOMY_GDP_SHARE_PCT',
    'ict',
    'percentage',
    '%',
    'last',
    'Tỷ trọng kinh tế số trong GDP',
    'Digital economy share of GDP',
  ),
  el(
    'DIGITAL_ECONOMY_MIN_SECTOR_SHARE_PCT',
    'ict',
    'percentage',
    '%',
    'last',
    'Tỷ trọng kinh tế số thấp nhất trong các ngành, lĩnh vực',
    'Lowest digital-economy share across sectors',
  ),
  el(
    'LABOUR_PRODUCTIVITY_GROWTH_PCT',
    'other',
    'number',
    '%',
    'last',
    'Tốc độ tăng năng suất lao động hằng năm',
    'Annual labour-productivity growth',
    { aggUnits: 'none' },
  ),
  el(
    'IDI_RANK',
    'it',
    'integer',
    'hạng',
    'last',
    'Thứ hạng Việt Nam về chỉ số phát triển CNTT (IDI)',
    "Viet Nam's rank in the ICT Development Index",
    { aggUnits: 'none' },
  ),
];

/**
 * What a rise in each element means (issue 19): the tiles, tables and the map colour a change
 * green or red by it. Bad: what counts harm (attacks, botnet addresses, spam reported, a rank
 * number, which falls as the country climbs). Good: what counts reach, revenue and what was done
 * for people. Neutral: a count that rises with the problem as much as with the work against it
 * (spam blocked, SIMs handled, content taken down), or that no one aims to raise or lower (press
 * agencies, articles, apps in use while they were being merged, the reserve budget spent).
 */
const DIRECTION: Record<string, 'rise_good' | 'rise_bad' | 'neutral'> = {
  POSTAL_REVENUE: 'rise_good',
  POSTAL_ITEMS: 'rise_good',
  POSTAL_PARCELS: 'rise_good',
  POSTAL_ESSENTIAL_GOODS_POINTS: 'rise_good',
  POSTAL_ESSENTIAL_GOODS_TONNES_CUM: 'rise_good',
  POSTAL_ESSENTIAL_GOODS_VALUE_CUM: 'rise_good',
  TELECOM_REVENUE: 'rise_good',
  TELECOM_PHONE_SUBS: 'rise_good',
  TELECOM_SMARTPHONE_SUBS: 'rise_good',
  TELECOM_SMARTPHONE_SHARE_PCT: 'rise_good',
  TELECOM_FIXED_BB_HOUSEHOLDS: 'rise_good',
  TELECOM_FIXED_BB_HOUSEHOLD_PCT: 'rise_good',
  TELECOM_SPAM_REPORTS_5656: 'rise_bad',
  TELECOM_SPAM_SMS_BLOCK_REQUESTS: 'neutral',
  TELECOM_SPAM_SIMS_HANDLED: 'neutral',
  TELECOM_SPOOFED_CALLS_BLOCKED: 'neutral',
  TELECOM_SPAM_CALL_SUBS_HANDLED: 'neutral',
  TELECOM_COVID_SUPPORT_CUM: 'rise_good',
  TELECOM_COVID_SMS: 'rise_good',
  TELECOM_COVID_SMS_CAMPAIGNS: 'rise_good',
  TELECOM_COVID_SMS_DELIVERIES: 'rise_good',
  TELECOM_DONATION_SMS: 'rise_good',
  TELECOM_DONATION_SMS_VALUE: 'rise_good',
  TELECOM_COVID_CUSTOMER_SUPPORT: 'rise_good',
  TELECOM_FREE_DATA_SCHOOLS: 'rise_good',
  TELECOM_PROVINCES_NEXT_GEN_PLAN_PCT: 'rise_good',
  TELECOM_5G_VN_EQUIPMENT_PCT: 'rise_good',
  IT_ONLINE_SERVICES_L4_ELIGIBLE_PCT: 'rise_good',
  IT_MIC_ONLINE_SERVICES_L4_PCT: 'rise_good',
  IT_PROVINCES_POPULATION_DB: 'rise_good',
  IT_PROVINCES_EGOV_ARCH_2: 'rise_good',
  IT_PROVINCES_IT_PLAN_2021_2025: 'rise_good',
  IT_PROVINCES_DX_PROGRAMME: 'rise_good',
  IT_ONLINE_TEACHING_SCHOOLS: 'rise_good',
  IDI_RANK: 'rise_bad',
  CYBERATTACKS: 'rise_bad',
  SECURITY_BOTNET_IPS: 'rise_bad',
  SECURITY_PUBLIC_CERTS_ISSUED: 'rise_good',
  SECURITY_PUBLIC_CERTS_ACTIVE: 'rise_good',
  SECURITY_SOC_SUPPORTED_DEPTS: 'rise_good',
  ICT_INDUSTRY_REVENUE: 'rise_good',
  ICT_HARDWARE_REVENUE: 'rise_good',
  ICT_INDUSTRY_REVENUE_USD: 'rise_good',
  ICT_HARDWARE_REVENUE_USD: 'rise_good',
  DIGITAL_ECONOMY_GDP_SHARE_PCT: 'rise_good',
  DIGITAL_ECONOMY_MIN_SECTOR_SHARE_PCT: 'rise_good',
  LABOUR_PRODUCTIVITY_GROWTH_PCT: 'rise_good',
  PRESS_AGENCIES: 'neutral',
  PRESS_PAY_TV_SUBS: 'rise_good',
  PRESS_LICENSED_SOCIAL_NETWORKS: 'neutral',
  PRESS_SOCIAL_NETWORK_ACCOUNTS: 'rise_good',
  PRESS_COMMUNE_RADIO_STATIONS: 'neutral',
  PRESS_COMMUNE_RADIO_STATIONS_ICT: 'rise_good',
  PRESS_PLATFORM_TAKEDOWNS: 'neutral',
  PRESS_COVID_ARTICLES: 'neutral',
  PRESS_COVID_ARTICLES_CUM: 'neutral',
  PRESS_BOOK_FAIR_VISITS: 'rise_good',
  PRESS_RESERVE_BUDGET_ORDERS: 'neutral',
  PRESS_ICT_SUPPORT_REPORTERS: 'rise_good',
  PRESS_NEW_LICENCES: 'neutral',
  COVID_BLUEZONE_ACTIVE: 'rise_good',
  COVID_BLUEZONE_TEST_RESULTS_CUM: 'rise_good',
  COVID_HEALTH_DECLARATIONS_CUM: 'rise_good',
  COVID_HEALTH_BOOK_INSTALLS_CUM: 'rise_good',
  COVID_CASES_TRACED_CUM: 'rise_good',
  COVID_CONTACTS_FOUND_CUM: 'rise_good',
  COVID_SPECIAL_F0_TRACED_CUM: 'rise_good',
  COVID_ABSCONDED_F0_FOUND_CUM: 'rise_good',
  COVID_TAM_LONG_MUA_DICH_VALUE: 'rise_good',
  COVID_APPS_IN_USE: 'neutral',
  COVID_APPS_BUILT: 'neutral',
  COVID_APP_VOLUNTEERS: 'rise_good',
  COVID_CONTACTLESS_PLATFORMS: 'rise_good',
};
const missingDirection = ELEMENTS.filter((e) => !DIRECTION[e.code]).map((e) => e.code);
if (missingDirection.length > 0)
  throw new Error(`say what a rise means for ${missingDirection.join(', ')} (DIRECTION)`);

/** The element of each figure; a figure not listed here is left out (see LEFT_OUT). */
const ELEMENT_OF: Record<string, string> = {
  'telecom.revenue': 'TELECOM_REVENUE',
  'telecom.smartphone_subscribers': 'TELECOM_SMARTPHONE_SUBS',
  'telecom.fixed_broadband_households': 'TELECOM_FIXED_BB_HOUSEHOLDS',
  'it.online_services_level4_eligible_pct': 'IT_ONLINE_SERVICES_L4_ELIGIBLE_PCT',
  'it.localities_connected_population_db': 'IT_PROVINCES_POPULATION_DB',
  'it.provinces_egov_architecture_2': 'IT_PROVINCES_EGOV_ARCH_2',
  'it.provinces_it_plan_2021_2025': 'IT_PROVINCES_IT_PLAN_2021_2025',
  'it.provinces_dx_program': 'IT_PROVINCES_DX_PROGRAMME',
  'security.cyberattacks': 'CYBERATTACKS',
  'security.botnet_ips': 'SECURITY_BOTNET_IPS',
  'security.public_certificates_issued': 'SECURITY_PUBLIC_CERTS_ISSUED',
  'security.public_certificates_active': 'SECURITY_PUBLIC_CERTS_ACTIVE',
  'ict.industry_revenue': 'ICT_INDUSTRY_REVENUE',
  'press.agencies': 'PRESS_AGENCIES',
  'press.pay_tv_subscribers': 'PRESS_PAY_TV_SUBS',
  'press.licensed_social_networks': 'PRESS_LICENSED_SOCIAL_NETWORKS',
  'press.social_network_accounts': 'PRESS_SOCIAL_NETWORK_ACCOUNTS',
  'press.commune_radio_stations': 'PRESS_COMMUNE_RADIO_STATIONS',
  'press.commune_radio_stations_ict': 'PRESS_COMMUNE_RADIO_STATIONS_ICT',
  'security.cyber_incidents_tet': 'CYBERATTACKS',
  'telecom.spam_reports_5656': 'TELECOM_SPAM_REPORTS_5656',
  'telecom.spam_sms_blocked': 'TELECOM_SPAM_SMS_BLOCK_REQUESTS',
  'postal.revenue_8m_2021': 'POSTAL_REVENUE',
  'postal.items_8m_2021': 'POSTAL_ITEMS',
  'postal.essential_goods_points': 'POSTAL_ESSENTIAL_GOODS_POINTS',
  'postal.essential_goods_tonnes': 'POSTAL_ESSENTIAL_GOODS_TONNES_CUM',
  'telecom.revenue_7m_2021': 'TELECOM_REVENUE',
  'telecom.phone_subscribers': 'TELECOM_PHONE_SUBS',
  'telecom.spam_sims_handled': 'TELECOM_SPAM_SIMS_HANDLED',
  'telecom.fake_calls_blocked': 'TELECOM_SPOOFED_CALLS_BLOCKED',
  'telecom.spam_call_subscribers_handled': 'TELECOM_SPAM_CALL_SUBS_HANDLED',
  'covid.bluezone_active': 'COVID_BLUEZONE_ACTIVE',
  'covid.test_results_via_bluezone': 'COVID_BLUEZONE_TEST_RESULTS_CUM',
  'covid.health_declarations': 'COVID_HEALTH_DECLARATIONS_CUM',
  'covid.health_book_installs': 'COVID_HEALTH_BOOK_INSTALLS_CUM',
  'covid.cases_traced': 'COVID_CASES_TRACED_CUM',
  'press.platform_takedowns': 'PRESS_PLATFORM_TAKEDOWNS',
  'security.cyberattacks_8m_2021': 'CYBERATTACKS',
  'ict.industry_revenue_8m_2021': 'ICT_INDUSTRY_REVENUE',
  'covid.tam_long_mua_dich_programme': 'COVID_TAM_LONG_MUA_DICH_VALUE',
  'telecom.covid_support_package_2021': 'TELECOM_COVID_SUPPORT_CUM',
  'postal.revenue_h1_2020': 'POSTAL_REVENUE',
  'postal.parcels_h1_2020': 'POSTAL_PARCELS',
  'telecom.covid_sms_campaigns': 'TELECOM_COVID_SMS',
  'security.cyberattacks_h1_2020': 'CYBERATTACKS',
  'press.covid_articles': 'PRESS_COVID_ARTICLES',
  'it.mic_online_services_level4_pct': 'IT_MIC_ONLINE_SERVICES_L4_PCT',
  'covid.epidemic_apps_h1_2020': 'COVID_APPS_IN_USE',
  'covid.contactless_platforms_h1_2020': 'COVID_CONTACTLESS_PLATFORMS',
  'press.covid_articles_to_date_2020': 'PRESS_COVID_ARTICLES_CUM',
  'telecom.covid_customer_support_2020': 'TELECOM_COVID_CUSTOMER_SUPPORT',
  'telecom.free_data_schools_2020': 'TELECOM_FREE_DATA_SCHOOLS',
  'covid.apps_built_2020': 'COVID_APPS_BUILT',
  'it.online_teaching_platform_schools': 'IT_ONLINE_TEACHING_SCHOOLS',
  'security.soc_support_provincial_depts': 'SECURITY_SOC_SUPPORTED_DEPTS',
  'press.online_book_fair_visits': 'PRESS_BOOK_FAIR_VISITS',
  'press.reserve_budget_press_orders': 'PRESS_RESERVE_BUDGET_ORDERS',
  'press.ict_business_support_reporters': 'PRESS_ICT_SUPPORT_REPORTERS',
  'press.new_press_licences': 'PRESS_NEW_LICENCES',
};

/** Secondary printed numbers that become values of their own element, at the figure's period. */
const EXTRA: Record<string, { from: string; element: string }[]> = {
  'telecom.smartphone_subscribers': [
    { from: 'share_pct', element: 'TELECOM_SMARTPHONE_SHARE_PCT' },
  ],
  'telecom.fixed_broadband_households': [
    { from: 'share_pct', element: 'TELECOM_FIXED_BB_HOUSEHOLD_PCT' },
  ],
  'postal.essential_goods_tonnes': [
    { from: 'value_billion_vnd', element: 'POSTAL_ESSENTIAL_GOODS_VALUE_CUM' },
  ],
  'ict.industry_revenue': [{ from: 'value_usd_billion', element: 'ICT_INDUSTRY_REVENUE_USD' }],
  'ict.industry_revenue_8m_2021': [
    { from: 'breakdown.hardware_electronics', element: 'ICT_HARDWARE_REVENUE' },
    { from: 'value_usd_billion', element: 'ICT_INDUSTRY_REVENUE_USD' },
    { from: 'breakdown_usd.hardware_electronics', element: 'ICT_HARDWARE_REVENUE_USD' },
  ],
  'covid.cases_traced': [
    { from: 'related.contacts_found', element: 'COVID_CONTACTS_FOUND_CUM' },
    { from: 'related.special_f0_traced', element: 'COVID_SPECIAL_F0_TRACED_CUM' },
    { from: 'related.absconded_f0_found', element: 'COVID_ABSCONDED_F0_FOUND_CUM' },
  ],
  'telecom.covid_sms_campaigns': [
    { from: 'related.campaigns', element: 'TELECOM_COVID_SMS_CAMPAIGNS' },
    { from: 'related.subscriber_deliveries', element: 'TELECOM_COVID_SMS_DELIVERIES' },
    { from: 'related.donation_sms', element: 'TELECOM_DONATION_SMS' },
    { from: 'related.donations', element: 'TELECOM_DONATION_SMS_VALUE' },
  ],
  'covid.apps_built_2020': [{ from: 'related.individuals', element: 'COVID_APP_VOLUNTEERS' }],
};

const LEFT_OUT: Record<string, string> = {
  'postal.revenue_growth':
    'Only a change is printed (about +30% year on year, revenue and volume together); no value to store.',
  'postal.growth_vs_april_2020':
    'Only a range of change is printed (5-15% against April), for volume and revenue together; no value.',
  'it.online_services_level4_doubled':
    "Only a multiple is printed ('tăng gấp đôi', doubled year on year); no value.",
  'press.daily_covid_items':
    'A printed range (700-1.000 items a day), no single value; a midpoint would be invented.',
  'press.daily_reads':
    'A printed range (20-30 million reads a day), no single value; a midpoint would be invented.',
  'government.operations_room_communes':
    'A planned scope (the communes the operations room is to reach), not a measurement.',
  'government.operations_room_communes_first':
    'A planned scope (the first 2.500 southern communes), not a measurement.',
};

// -------------------------------------------------------------------------------------------

const RULES = [
  'Every value is at orgUnit VN (the nation; the same code in every tree) and at the period printed.',
  'A printed start and end that make a calendar month, quarter, half-year or year are that period (2022-01, 2020-S1); any other span is a date range (2021-01-01/2021-08-31).',
  "No printed start, aggregation 'last' (a stock or a share at a date): the month when the date is a month's last day ('đến hết tháng 01/2022' → 2022-01), else that day ('tính đến ngày 20/01/2022' → 2022-01-20).",
  "No printed start, aggregation 'sum', 'đến hết tháng M/YYYY': year to date, as MIC's reports count (the month 2022-01 for January, else 2021-01-01/2021-07-31).",
  "No printed start, aggregation 'sum', any other wording ('đến hết ngày 26/8', 'tính đến', 'vừa qua', 'thời gian qua'): a running total since an unprinted start, stored as a cumulative element ('lũy kế', aggregated as last) on the printed day.",
  'estimate (ước đạt) → estimate: true. approx (khoảng, gần), lower_bound (hơn, trên), planned and the printed ratio (a/b) are kept in the comment with the article’s words.',
  'A change against the same period last year → reportedYoyPct; against the previous month or half-year → reportedPrevPct. Where the earlier value is printed too it is also stored, at the same period a year earlier (or the previous period), so the system computes the change.',
  "An absolute change against the previous month ('tăng 06 đài') gives the earlier value (634 − 6 = 628), stored with a comment saying so.",
  'A breakdown (trong đó ...) becomes one value per option; the element’s total is their sum. A figure of the same element without parts goes to the option ATTACK_UNCLASSIFIED.',
  'share_pct, value_billion_vnd, a part printed without the other parts, and related numbers become values of their own elements at the same period.',
  'Values are stored as printed, slips included: ict.industry_revenue_8m_2021 is printed in tỷ đồng beside USD amounts 1,000 times larger (nghìn tỷ was surely meant); the USD amounts are stored too (ICT_*_REVENUE_USD), and the data-quality rule relating them flags the pair.',
];

const seed = JSON.parse(readFileSync(new URL('data/seed-figures/figures.json', root), 'utf8')) as {
  figures: Figure[];
  targets: SeedTarget[];
};

const isLastDayOfMonth = (iso: string) => periodContaining(iso, 'month').end === iso;

function periodOf(f: Figure): { period: string; cumulative: boolean } {
  const { start, end, label_vi } = f.period;
  if (start) {
    for (const type of ['month', 'quarter', 'half', 'year'] as const) {
      const p = periodContaining(start, type);
      if (p.start === start && p.end === end) return { period: p.id, cumulative: false };
    }
    return { period: start === end ? end : `${start}/${end}`, cumulative: false };
  }
  if (f.aggregation === 'last') {
    return { period: isLastDayOfMonth(end) ? end.slice(0, 7) : end, cumulative: false };
  }
  if (label_vi && /^đến hết tháng/i.test(label_vi) && isLastDayOfMonth(end)) {
    const jan = `${end.slice(0, 4)}-01-01`;
    const month = periodContaining(jan, 'month');
    return { period: month.end === end ? month.id : `${jan}/${end}`, cumulative: false };
  }
  return { period: end, cumulative: true };
}

const fmt = (n: number) => String(n);
const round = (n: number) => Math.round(n * 1e6) / 1e6;

interface DemoValue {
  figure: string;
  dataElement: string;
  period: string;
  orgUnit: 'VN';
  categoryOptionCombo?: string;
  value: string;
  estimate?: true;
  reportedYoyPct?: string;
  reportedPrevPct?: string;
  comment: string;
}

const values: DemoValue[] = [];
const notPlaced: { figure: string; what: string; why: string }[] = [];
const elementCodes = new Set(ELEMENTS.map((e) => e.code));
const byCode = new Map(ELEMENTS.map((e) => [e.code, e]));

function qualifiers(q: { approx?: boolean; lower_bound?: boolean }): string {
  return [q.approx ? 'khoảng/gần (approx.)' : '', q.lower_bound ? 'hơn/trên (more than)' : '']
    .filter(Boolean)
    .join(', ');
}

for (const f of seed.figures) {
  const element = ELEMENT_OF[f.id];
  if (!element) {
    if (!LEFT_OUT[f.id]) throw new Error(`figure ${f.id}: neither mapped nor left out`);
    continue;
  }
  if (!elementCodes.has(element)) throw new Error(`figure ${f.id}: no element ${element}`);
  const { period, cumulative } = periodOf(f);
  const def = byCode.get(element)!;
  if (cumulative && def.aggTime !== 'last')
    throw new Error(`figure ${f.id}: a running total needs a cumulative element, not ${element}`);
  const q = qualifiers(f);
  const base = [
    `${f.source}: "${f.quote_vi}"`,
    q,
    f.planned ? 'planned scope' : '',
    f.of !== undefined ? `of ${f.of} ${f.of_what ?? ''}`.trim() : '',
    f.value_usd_billion !== undefined ? `~${f.value_usd_billion} tỷ USD` : '',
  ]
    .filter(Boolean)
    .join(' | ');
  const yoy = f.compare?.find((c) => c.basis === 'same period previous year');
  const prev = f.compare?.find(
    (c) => c.basis === 'previous month' || c.basis === 'previous half-year',
  );
  const changes = {
    ...(yoy?.change_pct !== undefined ? { reportedYoyPct: fmt(yoy.change_pct) } : {}),
    ...(prev?.change_pct !== undefined ? { reportedPrevPct: fmt(prev.change_pct) } : {}),
  };
  const parts = PART_OPTION[f.id];
  if (parts && f.breakdown) {
    for (const [name, part] of Object.entries(f.breakdown)) {
      const option = parts[name];
      if (!option) throw new Error(`figure ${f.id}: no option for part ${name}`);
      values.push({
        figure: f.id,
        dataElement: element,
        period,
        orgUnit: 'VN',
        categoryOptionCombo: option,
        value: fmt(round(part.value)),
        ...(f.estimate ? { estimate: true as const } : {}),
        comment: `${base} | part: ${name}${part.unit ? ` (${part.unit})` : ''}`,
      });
    }
    if (Object.keys(changes).length)
      notPlaced.push({
        figure: f.id,
        what: JSON.stringify(changes),
        why: 'The printed change is of the total; the total is not a stored value (it is the sum of the parts), so the change has no value to sit on.',
      });
  } else if (f.value !== null) {
    values.push({
      figure: f.id,
      dataElement: element,
      period,
      orgUnit: 'VN',
      ...(def.breakdown ? { categoryOptionCombo: 'ATTACK_UNCLASSIFIED' } : {}),
      value: fmt(round(f.value)),
      ...(f.estimate ? { estimate: true as const } : {}),
      ...changes,
      comment: base,
    });
  } else {
    throw new Error(`figure ${f.id}: no value and no parts`);
  }
  // earlier values
  for (const c of f.compare ?? []) {
    let earlier: number | undefined;
    let why = '';
    if (c.value !== undefined) {
      earlier = c.value;
      why = 'earlier value printed with the change';
    } else if (c.change_abs !== undefined && f.value !== null) {
      earlier = f.value - c.change_abs;
      why = `derived: ${f.value} − ${c.change_abs} (printed absolute change)`;
    }
    if (earlier === undefined) continue;
    const p = parsePeriod(period);
    let at: string;
    if (c.basis === 'same period previous year') at = samePeriodLastYear(p).id;
    else if (c.basis_period) {
      const b = previousPeriod(p);
      if (b.start !== c.basis_period.start || b.end !== c.basis_period.end)
        throw new Error(`figure ${f.id}: basis period is not the previous period`);
      at = b.id;
    } else throw new Error(`figure ${f.id}: unknown basis ${c.basis}`);
    values.push({
      figure: f.id,
      dataElement: element,
      period: at,
      orgUnit: 'VN',
      value: fmt(round(earlier)),
      comment: `${f.source}: ${why} ("${f.quote_vi}")`,
    });
  }
  for (const x of EXTRA[f.id] ?? []) {
    const [kind, name] = x.from.split('.') as [string, string | undefined];
    let v: number | undefined;
    let qual = '';
    if (kind === 'share_pct' && f.share_pct) {
      v = f.share_pct.value;
      qual = `share of ${f.share_pct.of}${f.share_pct.approx ? ', approx.' : ''}`;
    } else if (kind === 'value_billion_vnd') v = f.value_billion_vnd;
    else if (kind === 'value_usd_billion') {
      v = f.value_usd_billion;
      qual = 'tỷ USD, as printed beside the VND amount';
    } else if (kind === 'breakdown_usd' && name) {
      v = f.breakdown?.[name]?.value_usd_billion;
      qual = 'tỷ USD, as printed beside the VND amount';
    } else if ((kind === 'related' || kind === 'breakdown') && name) {
      const part = (kind === 'related' ? f.related : f.breakdown)?.[name];
      if (part) {
        v = part.value;
        qual = [part.unit ?? '', qualifiers(part)].filter(Boolean).join(', ');
      }
    }
    if (v === undefined) throw new Error(`figure ${f.id}: nothing at ${x.from}`);
    values.push({
      figure: f.id,
      dataElement: x.element,
      period,
      orgUnit: 'VN',
      value: fmt(round(v)),
      ...(f.estimate ? { estimate: true as const } : {}),
      comment: [`${f.source}: "${f.quote_vi}"`, `${x.from}${qual ? ` (${qual})` : ''}`]
        .filter(Boolean)
        .join(' | '),
    });
  }
}

// -------------------------------------------------------------------------------------------
// Targets: those with a value and a due date. The unit is the nation in the tree in force then.

const TARGET_ELEMENT: Record<string, string> = {
  'target.online_services_level4': 'IT_ONLINE_SERVICES_L4_ELIGIBLE_PCT',
  'target.provinces_next_gen_telecom_plans': 'TELECOM_PROVINCES_NEXT_GEN_PLAN_PCT',
  'target.5g_commercial_100pct_vn_equipment_oct_2020': 'TELECOM_5G_VN_EQUIPMENT_PCT',
  'target.digital_economy_share_gdp_2025': 'DIGITAL_ECONOMY_GDP_SHARE_PCT',
  'target.digital_economy_share_each_sector_2025': 'DIGITAL_ECONOMY_MIN_SECTOR_SHARE_PCT',
  'target.labour_productivity_growth': 'LABOUR_PRODUCTIVITY_GROWTH_PCT',
  'target.idi_top50': 'IDI_RANK',
};
const versionOn = (date: string) =>
  date >= '2025-07-01' ? '2025' : date >= '2025-03-01' ? '2025-03' : '2022';
const targets = [];
const targetsLeftOut: { target: string; why: string }[] = [];
for (const t of seed.targets) {
  const element = TARGET_ELEMENT[t.id];
  if (!element || t.value === null || !t.due) {
    targetsLeftOut.push({
      target: t.id,
      why:
        t.value === null
          ? 'no single target value printed'
          : !t.due
            ? 'no due date printed (a target needs one)'
            : 'no element measures it',
    });
    continue;
  }
  if (t.measure && ELEMENT_OF[t.measure] !== element)
    throw new Error(`target ${t.id}: measure mismatch`);
  const bound = t.at_least ? ' (tối thiểu)' : t.at_most ? ' (tối đa: hạng càng nhỏ càng tốt)' : '';
  targets.push({
    subject: { type: 'element' as const, code: element },
    unit: { version: versionOn(t.due), code: 'VN' },
    value: t.value,
    due: t.due,
    labelVi: `${t.text_vi}${bound}`.slice(0, 500),
  });
}

// -------------------------------------------------------------------------------------------

const monthly = [
  ...new Set(values.filter((v) => /^\d{4}-\d{2}$/.test(v.period)).map((v) => v.dataElement)),
];
const metadata: MetadataDocumentInput = {
  breakdowns: BREAKDOWNS,
  dataElements: [
    // Every integer element here counts something (cases, units, reports, a rank): it cannot
    // be negative, and an import or a form saying −5 is refused.
    ...ELEMENTS.map((e) => ({
      ...e,
      aggUnits: e.aggUnits ?? 'sum',
      direction: DIRECTION[e.code]!,
      ...(e.valueType === 'integer' ? { min: 0 } : {}),
    })),
    ...DAILY_ELEMENTS.map(({ code, nameVi, nameEn, sector, unit, direction, description }) => ({
      code,
      nameVi,
      nameEn,
      sector,
      valueType: 'integer' as const,
      unit,
      aggTime: 'sum' as const,
      aggUnits: 'sum' as const,
      direction,
      description,
      min: 0,
    })),
  ],
  indicators: DAILY_INDICATORS,
  targets,
  dataSets: [
    {
      code: 'MIC_MONTHLY',
      nameVi: 'Giao ban quản lý nhà nước hằng tháng',
      nameEn: 'Monthly state-management briefing',
      periodType: 'month',
      version: '2022',
      level: 0,
      dueDays: 10,
      expiryDays: 0,
      elements: monthly,
    },
    ...(['2022', '2025'] as const).map((version) => ({
      code: `COMMUNE_DAILY_${version}`,
      nameVi: `Báo cáo ngày cấp xã (cây ${version})`,
      nameEn: `Commune daily report (${version} tree)`,
      periodType: 'day' as const,
      version,
      level: version === '2022' ? 3 : 2,
      dueDays: 1,
      expiryDays: 0,
      elements: DAILY_ELEMENTS.map((e) => e.code),
    })),
  ],
};

// Data-quality rules (issue 17): a revenue printed in tỷ đồng beside its USD amount must stand
// at an exchange rate between 15,000 and 35,000 đồng per USD (the articles' years: ~23,000), so
// that a pair printed 1,000 times apart (1.992 tỷ đồng beside ~86,1 tỷ USD) is flagged.
const rateRule = (code: string, vnd: string, usd: string, side: 'low' | 'high') => ({
  code: `${code}_${side.toUpperCase()}`,
  nameVi: `${byCode.get(vnd)!.nameVi}: tỷ giá ngụ ý ${side === 'low' ? 'không dưới 15.000' : 'không quá 35.000'} đồng/USD`,
  nameEn: `${byCode.get(vnd)!.nameEn}: implied rate ${side === 'low' ? 'at least 15,000' : 'at most 35,000'} VND/USD`,
  instructionVi:
    'Số tỷ đồng chia số tỷ USD phải gần tỷ giá (khoảng 23.000): kiểm tra đơn vị (tỷ hay nghìn tỷ đồng)',
  instructionEn:
    'VND billions over USD billions must be near the exchange rate (about 23,000): check the unit (billion or thousand billion VND)',
  importance: 'HIGH' as const,
  periodType: 'month' as const,
  levels: [0],
  operator:
    side === 'low' ? ('greater_than_or_equal_to' as const) : ('less_than_or_equal_to' as const),
  left: {
    expression: `#{${vnd}} / #{${usd}}`,
    missingValueStrategy: 'SKIP_IF_ANY_VALUE_MISSING' as const,
  },
  right: {
    expression: side === 'low' ? '15000' : '35000',
    missingValueStrategy: 'NEVER_SKIP' as const,
  },
});
Object.assign(metadata, {
  validationRules: [
    rateRule('ICT_REVENUE_RATE', 'ICT_INDUSTRY_REVENUE', 'ICT_INDUSTRY_REVENUE_USD', 'low'),
    rateRule('ICT_REVENUE_RATE', 'ICT_INDUSTRY_REVENUE', 'ICT_INDUSTRY_REVENUE_USD', 'high'),
    rateRule('ICT_HARDWARE_RATE', 'ICT_HARDWARE_REVENUE', 'ICT_HARDWARE_REVENUE_USD', 'low'),
    rateRule('ICT_HARDWARE_RATE', 'ICT_HARDWARE_REVENUE', 'ICT_HARDWARE_REVENUE_USD', 'high'),
  ],
});

const used = new Set(values.map((v) => v.dataElement));
const figuresDoc = {
  about:
    'National values of the seed figures (data/seed-figures/figures.json), built by scripts/build-demo-data.ts; loaded by loadSeedFigures (src/jobs/demo-data.ts). Each value names its figure; the comment carries the article’s words.',
  rules: RULES,
  values,
  leftOut: Object.entries(LEFT_OUT).map(([figure, why]) => ({ figure, why })),
  notPlaced,
  targetsLeftOut,
  elementsWithoutValues: ELEMENTS.filter((e) => !used.has(e.code)).map((e) => e.code),
};

writeFileSync(new URL('data/demo/metadata.json', root), `${JSON.stringify(metadata, null, 1)}\n`);
writeFileSync(new URL('data/demo/figures.json', root), `${JSON.stringify(figuresDoc, null, 1)}\n`);
console.log(
  `${ELEMENTS.length + DAILY_ELEMENTS.length} elements, ${values.length} values from ${new Set(values.map((v) => v.figure)).size} figures, ${Object.keys(LEFT_OUT).length} left out, ${targets.length} targets`,
);
