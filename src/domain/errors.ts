import { z } from 'zod';
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
  | 'conflict'
  | 'units_file_invalid'
  | 'file_invalid'
  | 'import_conflicts'
  | 'period_locked'
  | 'invalid_transition'
  | 'no_recipients'
  | 'not_recipient'
  | 'too_many_attempts'
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
  conflict: 409,
  units_file_invalid: 422,
  file_invalid: 400,
  import_conflicts: 409,
  period_locked: 409,
  invalid_transition: 409,
  no_recipients: 422,
  not_recipient: 403,
  too_many_attempts: 429,
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
};

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
