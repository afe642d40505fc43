import { z } from 'zod';
import type { WeightProblem } from './carry.ts';
/**
 * The one error type. `code` is stable for scripts; the messages are for people, in
 * Vietnamese first and English. The API presents it as {error:{code,message,details}}.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'csrf_failed'
  | 'forbidden'
  | 'out_of_scope'
  | 'not_found'
  | 'unknown_version'
  | 'unknown_unit'
  | 'unit_in_other_tree'
  | 'link_weights_invalid'
  | 'outlier_query_invalid'
  | 'outlier_unknown_item'
  | 'validation_rule_invalid'
  | 'validation_too_large'
  | 'working_time_invalid'
  | 'place_outside'
  | 'unknown_category'
  | 'proof_required'
  | 'conflict'
  | 'units_file_invalid'
  | 'file_invalid'
  | 'file_too_large'
  | 'import_conflicts'
  | 'period_locked'
  | 'invalid_transition'
  | 'no_recipients'
  | 'not_recipient'
  | 'too_many_attempts'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'idempotency_key_reused'
  | 'idempotency_in_progress'
  | 'busy'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  forbidden: 403,
  out_of_scope: 403,
  not_found: 404,
  unknown_version: 404,
  unknown_unit: 404,
  unit_in_other_tree: 400,
  link_weights_invalid: 422,
  outlier_query_invalid: 400,
  outlier_unknown_item: 404,
  validation_rule_invalid: 422,
  validation_too_large: 422,
  working_time_invalid: 422,
  place_outside: 422,
  unknown_category: 422,
  proof_required: 422,
  conflict: 409,
  units_file_invalid: 422,
  file_invalid: 400,
  file_too_large: 413,
  import_conflicts: 409,
  period_locked: 409,
  invalid_transition: 409,
  no_recipients: 422,
  not_recipient: 403,
  too_many_attempts: 429,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  busy: 503,
  internal: 500,
};

/** Every error code, the one list (src/contract/errors.ts gives it to the web). */
export const ERROR_CODES = Object.keys(STATUS) as ErrorCode[];

export interface Message {
  vi: string;
  en: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly messages: Message,
    readonly details?: unknown,
  ) {
    super(messages.en);
    this.status = STATUS[code];
  }
}

export const errors = {
  unknownVersion: (version: string) =>
    new AppError('unknown_version', {
      vi: `Không có phiên bản cây đơn vị hành chính "${version}"`,
      en: `No hierarchy version "${version}"`,
    }),
  unknownUnit: (code: string, version: string) =>
    new AppError(
      'unknown_unit',
      {
        vi: `Không có đơn vị mã "${code}" trong cây ${version}`,
        en: `No unit with code "${code}" in the ${version} tree`,
      },
      { code, version },
    ),
  /** A unit asked on tree `version` that only other trees hold (issue 16). */
  unitInOtherTree: (code: string, version: string, trees: string[]) =>
    new AppError(
      'unit_in_other_tree',
      {
        vi: `Đơn vị mã "${code}" không thuộc cây ${version} mà thuộc cây ${trees.join(', ')}; hãy chọn cây đó hoặc một đơn vị của cây ${version}`,
        en: `The unit with code "${code}" is not in the ${version} tree but in the ${trees.join(', ')} tree; choose that tree or a unit of the ${version} tree`,
      },
      { code, version, trees },
    ),
  /** Link weights refused as a whole; nothing was written (issue 16). */
  linkWeightsInvalid: (problems: WeightProblem[]) =>
    new AppError(
      'link_weights_invalid',
      {
        vi: `Tỷ lệ phân bổ không hợp lệ (${problems.length} lỗi, ví dụ ${describeWeightProblem(problems[0], 'vi')}); không có gì thay đổi`,
        en: `The link weights are invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}, e.g. ${describeWeightProblem(problems[0], 'en')}); nothing was changed`,
      },
      { problems },
    ),
  outOfScope: (code?: string, version?: string) =>
    new AppError(
      'out_of_scope',
      {
        vi: 'Đơn vị này nằm ngoài phạm vi được giao cho tài khoản của bạn',
        en: 'This unit is outside the scope of your account',
      },
      code ? { code, version } : undefined,
    ),
  forbidden: (action: string) =>
    new AppError(
      'forbidden',
      {
        vi: 'Vai trò của bạn không được phép thực hiện thao tác này',
        en: 'Your role is not allowed to do this',
      },
      { action },
    ),
  unauthenticated: () =>
    new AppError('unauthenticated', {
      vi: 'Bạn cần đăng nhập',
      en: 'You need to sign in',
    }),
  invalidCredentials: () =>
    new AppError('invalid_credentials', {
      vi: 'Sai tên đăng nhập hoặc mật khẩu',
      en: 'Wrong user name or password',
    }),
  notFound: (what: string) =>
    new AppError('not_found', { vi: `Không tìm thấy: ${what}`, en: `Not found: ${what}` }),
  /** An outlier request that cannot be answered (issue 17): which parameter and why. */
  outlierQueryInvalid: (parameter: string, why: Message) =>
    new AppError(
      'outlier_query_invalid',
      {
        vi: `Yêu cầu phát hiện giá trị bất thường không hợp lệ (${parameter}): ${why.vi}`,
        en: `Invalid outlier detection request (${parameter}): ${why.en}`,
      },
      { parameter },
    ),
  /** An element, data set or unit named in an outlier request that does not exist (issue 17). */
  outlierUnknownItem: (kind: 'dataElement' | 'dataSet' | 'orgUnit', id: string) => {
    const vi = { dataElement: 'chỉ tiêu', dataSet: 'bộ dữ liệu', orgUnit: 'đơn vị' }[kind];
    const en = { dataElement: 'data element', dataSet: 'data set', orgUnit: 'organisation unit' }[
      kind
    ];
    return new AppError(
      'outlier_unknown_item',
      { vi: `Không có ${vi} "${id}"`, en: `No ${en} "${id}"` },
      { kind, id },
    );
  },
};

/** One weight problem in words, for the messages of `link_weights_invalid`. */
export function describeWeightProblem(p: WeightProblem | undefined, lang: 'vi' | 'en'): string {
  if (!p) return lang === 'vi' ? 'không có tỷ lệ nào' : 'no weights';
  const link = p.to ? `${p.from} → ${p.to}` : p.from;
  const sum = p.sum === undefined ? '' : String(Math.round(p.sum * 1e6) / 1e6);
  const words: Record<WeightProblem['problem'], Message> = {
    no_link: { vi: `không có liên kết ${link}`, en: `there is no link ${link}` },
    not_split: {
      vi: `${link} không phải liên kết bị chia tách`,
      en: `${link} is not a split link`,
    },
    negative: { vi: `tỷ lệ của ${link} âm`, en: `the share of ${link} is negative` },
    above_one: { vi: `tỷ lệ của ${link} lớn hơn 1`, en: `the share of ${link} is above 1` },
    sum: {
      vi: `tổng tỷ lệ của ${p.from} là ${sum}, phải bằng 1`,
      en: `the shares of ${p.from} sum to ${sum}, not 1`,
    },
    missing_links: {
      vi: `thiếu tỷ lệ cho liên kết ${link}`,
      en: `the share of link ${link} is missing`,
    },
    duplicate: { vi: `${link} được nêu hai lần`, en: `${link} is given twice` },
  };
  return words[p.problem][lang];
}

const vietnamese = z.locales.vi().localeError;
const english = z.locales.en().localeError;
const text = (m: ReturnType<typeof english>) => (typeof m === 'string' ? m : m?.message);
// Issues keep what was given only when asked to: a message then says it was "undefined".
const withoutReceived = (s: string) => s.replace(/, (received|nhận được) \w+$/, '');

/**
 * A schema's problems, each with where (`dataElements.0.sector`) and what, in Vietnamese (zod's
 * own Vietnamese wording) and English; `message` is the English, as earlier answers had it.
 */
export function schemaProblems(
  error: z.ZodError,
): { path: string; vi: string; en: string; message: string }[] {
  return error.issues.map((issue) => {
    // A schema's own message ("lowercase letters, digits, …") is kept as it is; zod's
    // default wording is given in Vietnamese.
    const own =
      withoutReceived(issue.message) !== withoutReceived(text(english(issue as never)) ?? '');
    const localized = own ? undefined : text(vietnamese(issue as never));
    // A schema may carry its own Vietnamese wording (`params.vi`, e.g. text hygiene).
    const ownVi = (issue as { params?: { vi?: unknown } }).params?.vi;
    const vi =
      typeof ownVi === 'string'
        ? ownVi
        : localized
          ? localized.replace(/, nhận được undefined$/, '')
          : issue.message;
    return { path: issue.path.join('.'), vi, en: issue.message, message: issue.message };
  });
}
