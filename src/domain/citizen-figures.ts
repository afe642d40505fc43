import type { MetadataDocumentInput } from './metadata.ts';
import { ROOT_CODE } from './hierarchy.ts';

/**
 * Response-time figures of citizens' reports (issue 20), pure: which data elements hold them,
 * which month a report counts in, and the figures of a month from its reports. Counts and
 * totals are sums and roll up like any element; the median cannot be summed, so it is computed
 * by the job at the three levels the room reads (the handling unit, the province, the nation),
 * each in an element of its own that holds values at that level only.
 */

/** The breakdown of every figure: one option per citizen category. */
export const FIGURE_BREAKDOWN = 'PA_CATEGORY';
export const optionOf = (category: string) => `PA_${category}`;
/** The option of an element without a breakdown (the medians). */
export const DEFAULT_OPTION = 'default';

export const FIGURE = {
  received: 'PA_RECEIVED',
  onTime: 'PA_ANSWERED_ON_TIME',
  late: 'PA_ANSWERED_LATE',
  answerHours: 'PA_ANSWER_HOURS',
  rated: 'PA_RATED',
  stars: 'PA_RATING_STARS',
  ratedGood: 'PA_RATED_GOOD',
  overdueOpen: 'PA_OVERDUE_OPEN',
  medianUnit: 'PA_MEDIAN_HOURS_UNIT',
  medianProvince: 'PA_MEDIAN_HOURS_PROVINCE',
  medianNation: 'PA_MEDIAN_HOURS_NATION',
} as const;
export type FigureKey = keyof typeof FIGURE;
export const SUM_FIGURES = [
  'received',
  'onTime',
  'late',
  'answerHours',
  'rated',
  'stars',
  'ratedGood',
  'overdueOpen',
] as const satisfies readonly FigureKey[];
export const FIGURE_ELEMENTS: readonly string[] = Object.values(FIGURE);

/** Indicators over the sums: exact at every level because they divide sums. */
export const FIGURE_INDICATOR = {
  onTimePct: 'PA_ON_TIME_PCT',
  meanHours: 'PA_MEAN_ANSWER_HOURS',
  meanStars: 'PA_SATISFACTION_STARS',
  satisfiedPct: 'PA_SATISFIED_PCT',
} as const;

/** The month (YYYY-MM) of an instant in Viet Nam (UTC+7 all year). */
export function vnMonth(d: Date): string {
  return new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 7);
}

/** The instants a month (YYYY-MM) of Viet Nam's time starts and ends. */
export function vnMonthSpan(month: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return {
    from: new Date(Date.UTC(y, m - 1, 1) - 7 * 3_600_000),
    to: new Date(Date.UTC(y, m, 1) - 7 * 3_600_000),
  };
}

function directionOf(key: FigureKey): 'rise_bad' | 'neutral' | 'rise_good' {
  if (key === 'late' || key === 'overdueOpen' || key === 'answerHours' || key.startsWith('median'))
    return 'rise_bad';
  return key === 'received' ? 'neutral' : 'rise_good';
}

/** The element, breakdown and indicators, for the categories there are (idempotent). */
export function figuresMetadata(
  categories: readonly { code: string; nameVi: string; nameEn: string }[],
): MetadataDocumentInput {
  const el = (
    key: FigureKey,
    nameVi: string,
    nameEn: string,
    more: { valueType?: 'integer' | 'number'; unit?: string; description?: string } = {},
  ) => ({
    code: FIGURE[key],
    nameVi,
    nameEn,
    sector: 'citizen' as const,
    valueType: more.valueType ?? ('integer' as const),
    unit: more.unit ?? 'phản ánh',
    aggTime: key.startsWith('median') ? ('average' as const) : ('sum' as const),
    aggUnits: key.startsWith('median') ? ('none' as const) : ('sum' as const),
    // A median per category summed over the categories would mean nothing: medians are of
    // all categories together (the per-category mean comes from the sums).
    breakdown: key.startsWith('median') ? undefined : FIGURE_BREAKDOWN,
    zeroSignificant: true,
    direction: directionOf(key),
    min: 0,
    description: more.description,
  });
  const hours = { valueType: 'number' as const, unit: 'giờ làm việc' };
  const median = (level: string) => ({
    ...hours,
    description: `Computed by the job at the ${level} only (a median cannot be summed); read it at that level.`,
  });
  const ind = (code: string, nameVi: string, nameEn: string, formula: string, unit: string) => ({
    code,
    nameVi,
    nameEn,
    sector: 'citizen' as const,
    formula,
    unit,
    decimals: 1,
  });
  const answered = `(#{${FIGURE.onTime}} + #{${FIGURE.late}})`;
  return {
    breakdowns: [
      {
        code: FIGURE_BREAKDOWN,
        nameVi: 'Lĩnh vực phản ánh',
        nameEn: "Citizens' report category",
        options: categories.map((c) => ({
          code: optionOf(c.code),
          nameVi: c.nameVi,
          nameEn: c.nameEn,
        })),
      },
    ],
    dataElements: [
      el('received', 'Phản ánh tiếp nhận', 'Reports received'),
      el('onTime', 'Phản ánh trả lời đúng hạn', 'Reports answered on time'),
      el('late', 'Phản ánh trả lời quá hạn', 'Reports answered late'),
      el('answerHours', 'Tổng thời gian trả lời', 'Total time to answer', hours),
      el('rated', 'Phản ánh được đánh giá', 'Answers rated'),
      el('stars', 'Tổng số sao đánh giá', 'Stars given'),
      el('ratedGood', 'Đánh giá hài lòng (4–5 sao)', 'Answers rated 4 or 5 stars'),
      el('overdueOpen', 'Phản ánh quá hạn chưa trả lời', 'Reports overdue, not answered', {
        description:
          'Reports received in the period still without an answer past their deadline, as computed last (every few seconds); a later answer moves the report to answered late in the month of the answer.',
      }),
      el(
        'medianUnit',
        'Thời gian trả lời trung vị (đơn vị xử lý)',
        'Median time to answer (handling unit)',
        median('handling unit'),
      ),
      el(
        'medianProvince',
        'Thời gian trả lời trung vị (cấp tỉnh)',
        'Median time to answer (province)',
        median('province'),
      ),
      el(
        'medianNation',
        'Thời gian trả lời trung vị (toàn quốc)',
        'Median time to answer (nation)',
        median('nation'),
      ),
    ],
    indicators: [
      ind(
        FIGURE_INDICATOR.onTimePct,
        'Tỷ lệ phản ánh trả lời đúng hạn',
        'Reports answered on time',
        `#{${FIGURE.onTime}} / ${answered} * 100`,
        '%',
      ),
      ind(
        FIGURE_INDICATOR.meanHours,
        'Thời gian trả lời trung bình',
        'Mean time to answer',
        `#{${FIGURE.answerHours}} / ${answered}`,
        'giờ làm việc',
      ),
      ind(
        FIGURE_INDICATOR.meanStars,
        'Mức hài lòng trung bình',
        'Mean rating',
        `#{${FIGURE.stars}} / #{${FIGURE.rated}}`,
        'sao',
      ),
      ind(
        FIGURE_INDICATOR.satisfiedPct,
        'Tỷ lệ người dân hài lòng (4–5 sao)',
        'Citizens satisfied (4–5 stars)',
        `#{${FIGURE.ratedGood}} / #{${FIGURE.rated}} * 100`,
        '%',
      ),
    ],
  };
}

/** What the job reads of a report. */
export interface FigureReport {
  category: string;
  version: string;
  handlerCode: string;
  handlerPath: string;
  status: string;
  createdAt: Date;
  answeredAt: Date | null;
  answerDue: Date;
  rating: number | null;
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The province of a unit's path (/VN/79/26743/ → 79), or undefined at the nation. */
export function provinceOf(path: string): string | undefined {
  return path.split('/').filter(Boolean)[1];
}

/** One figure value: the element, the unit, the category's option. */
export interface FigureValue {
  element: string;
  unit: string;
  option: string;
  value: number;
}

/**
 * The figures of one month from the reports received or answered in it (`hoursOf` gives a
 * report's working hours from receipt to answer on its unit's calendar): the sums at each
 * handling unit, the medians at the handling unit, its province and the nation; per category.
 * A report received in the month and still unanswered past its deadline at `now` counts as
 * overdue there (refused and closed ones do not). Zero sums are left out (the job deletes a
 * value that was there).
 */
export function monthFigures(
  month: string,
  reports: readonly FigureReport[],
  hoursOf: (r: FigureReport) => number,
  now: Date,
): FigureValue[] {
  const sums = new Map<string, number>();
  const hours = new Map<string, number[]>();
  const add = (element: string, unit: string, option: string, v: number) => {
    const k = `${element}\t${unit}\t${option}`;
    sums.set(k, (sums.get(k) ?? 0) + v);
  };
  const push = (element: string, unit: string, option: string, h: number) => {
    const k = `${element}\t${unit}\t${option}`;
    const l = hours.get(k);
    if (l) l.push(h);
    else hours.set(k, [h]);
  };
  for (const r of reports) {
    const o = optionOf(r.category);
    const u = r.handlerCode;
    const receivedHere = vnMonth(r.createdAt) === month;
    if (receivedHere) add(FIGURE.received, u, o, 1);
    if (
      receivedHere &&
      !r.answeredAt &&
      r.status !== 'refused' &&
      r.status !== 'closed' &&
      r.answerDue.getTime() < now.getTime()
    )
      add(FIGURE.overdueOpen, u, o, 1);
    if (!r.answeredAt || vnMonth(r.answeredAt) !== month || r.status === 'refused') continue;
    const h = Math.round(hoursOf(r) * 100) / 100;
    add(r.answeredAt.getTime() <= r.answerDue.getTime() ? FIGURE.onTime : FIGURE.late, u, o, 1);
    add(FIGURE.answerHours, u, o, h);
    if (r.rating !== null) {
      add(FIGURE.rated, u, o, 1);
      add(FIGURE.stars, u, o, r.rating);
      if (r.rating >= 4) add(FIGURE.ratedGood, u, o, 1);
    }
    push(FIGURE.medianUnit, u, DEFAULT_OPTION, h);
    const p = provinceOf(r.handlerPath);
    if (p) push(FIGURE.medianProvince, p, DEFAULT_OPTION, h);
    push(FIGURE.medianNation, ROOT_CODE, DEFAULT_OPTION, h);
  }
  const out: FigureValue[] = [];
  for (const [k, value] of sums) {
    if (value === 0) continue;
    const [element, unit, option] = k.split('\t') as [string, string, string];
    out.push({ element, unit, option, value: Math.round(value * 100) / 100 });
  }
  for (const [k, xs] of hours) {
    const [element, unit, option] = k.split('\t') as [string, string, string];
    out.push({ element, unit, option, value: median(xs)! });
  }
  return out;
}

// — Personal data in what citizens type

const EMAIL_IN_TEXT = /[^\s@<>(),;:"']+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
// A run of digits with the separators people use, of 9 digits or more (a Vietnamese number
// has 10 or 11; +84 912 345 678, 0912.345.678, (028) 3829 1234); dates and amounts are shorter
// or carry other separators.
const PHONE_IN_TEXT = /(?<![\d])\+?\(?\d[\d\s.()-]{7,}\d(?![\d])/g;

/**
 * A citizen's text with the phone numbers and email addresses it holds masked, for the public
 * answers: the last two digits of a number stay ("09xx xxx x78") so that a citizen recognizes
 * theirs; an address keeps its first letter and its domain.
 */
export function maskContacts(text: string): string {
  return text
    .replace(EMAIL_IN_TEXT, (m) => {
      const at = m.lastIndexOf('@');
      return `${m[0]}***${m.slice(at)}`;
    })
    .replace(PHONE_IN_TEXT, (m) => {
      const digits = m.replace(/\D/g, '').length;
      // An amount written in groups of three (15.000.000.000 đồng) is not a number to call.
      if (digits < 9 || digits > 12 || /^\d{1,3}([.,]\d{3})+$/.test(m.trim())) return m;
      let seen = 0;
      return m.replace(/\d/g, (d) => (++seen <= 2 || seen > digits - 2 ? d : 'x'));
    });
}

/** Search words that could find a person: a phone number, an address. */
export function searchableWord(w: string): boolean {
  return !/\d{6,}/.test(w) && !w.includes('@');
}
