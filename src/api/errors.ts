import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { AppError, schemaProblems } from '../domain/errors.ts';

export function wantsEnglish(c: Context): boolean {
  const lang = c.req.query('lang') ?? c.req.header('accept-language') ?? '';
  return lang.toLowerCase().startsWith('en');
}

// ---------------------------------------------------------------------------------------------
// DHIS2's routes (issue 14): the one list of what DHIS2's clients call. On these routes errors
// are DHIS2's web message, in English unless Vietnamese is asked for, a 401 challenges for Basic
// credentials, and a `.json` suffix is read as the route itself (app.ts).

interface Dhis2Route {
  /** After /api/ or /api/{version}/, e.g. `dataElements` or `system/info`. */
  resource: string;
  /** Also what lies under it (`dataElements/{id}`, `analytics/rawData`). */
  under?: true;
  /** Paths under it that are Opsroom's own (`analytics/query`). */
  except?: readonly string[];
  /** Only for these methods (`GET /api/metadata` is DHIS2's export; POST is Opsroom's own format). */
  methods?: readonly string[];
}

export const DHIS2_ROUTES: readonly Dhis2Route[] = [
  { resource: 'me', under: true },
  { resource: 'system/info' },
  { resource: 'dataElements', under: true },
  { resource: 'indicators', under: true },
  { resource: 'indicatorTypes', under: true },
  { resource: 'organisationUnits', under: true },
  { resource: 'organisationUnitGroups', under: true },
  { resource: 'dataSets', under: true },
  { resource: 'categoryCombos', under: true },
  { resource: 'categories', under: true },
  { resource: 'categoryOptions', under: true },
  { resource: 'categoryOptionCombos', under: true },
  { resource: 'periodTypes', under: true },
  { resource: 'dataValueSets', under: true },
  { resource: 'dataValues', under: true },
  { resource: 'completeDataSetRegistrations', under: true },
  { resource: 'dataEntry/metadata' },
  { resource: 'analytics', under: true, except: ['analytics/query'] },
  { resource: 'analytics.csv' },
  { resource: 'analytics.xlsx' },
  { resource: 'metadata', methods: ['GET'] },
];

/** `/api/41/…`: a versioned path is DHIS2's whatever follows (Opsroom has none of its own). */
const VERSIONED = /^\/api\/\d{2}\//;

/** Whether a request is one of DHIS2's routes (see DHIS2_ROUTES); `path` without `.json`. */
export function isDhis2Route(method: string, path: string): boolean {
  if (VERSIONED.test(path)) return true;
  if (!path.startsWith('/api/')) return false;
  const rest = path.slice('/api/'.length).replace(/\/+$/, '');
  return DHIS2_ROUTES.some(
    (r) =>
      (rest === r.resource || (r.under && rest.startsWith(r.resource + '/'))) &&
      !r.except?.some((e) => rest === e || rest.startsWith(e + '/')) &&
      (!r.methods || r.methods.includes(method.toUpperCase())),
  );
}

/**
 * The path a request is routed by: DHIS2's `.json` suffix (`/api/dataElements.json`,
 * `/api/41/me.json`) names the route itself; DHIS2 routes answer JSON anyway.
 */
export function routedPath(method: string, path: string): string {
  if (!path.endsWith('.json')) return path;
  const bare = path.slice(0, -'.json'.length);
  return isDhis2Route(method, bare) ? bare : path;
}

/**
 * The language of DHIS2 routes: English, as DHIS2 answers, unless `lang`/`locale` or the first
 * language of Accept-Language is Vietnamese. (Opsroom keeps no language per user yet; the web
 * app keeps its choice in the browser and sends it as Accept-Language.)
 */
export function dhis2Language(c: Context): 'vi' | 'en' {
  const asked = c.req.query('lang') ?? c.req.query('locale');
  if (asked) return asked.toLowerCase().startsWith('vi') ? 'vi' : 'en';
  const ranked = (c.req.header('accept-language') ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const first = ranked.find((x) => x.tag.startsWith('vi') || x.tag.startsWith('en'));
  return first?.tag.startsWith('vi') ? 'vi' : 'en';
}

/** HTTP reason phrases, as DHIS2's `httpStatus` spells them. */
const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * DHIS2's error codes for Opsroom's, where DHIS2 has one (its feedback/ErrorCode): E1003 "API
 * query contains errors", E1005 "API query object not found", E1006 "API request not permitted
 * for the current user", E1102 "Organisation unit not found or not accessible". An error may
 * name its own (`details.errorCode`, e.g. E2014 for a filter DHIS2 cannot parse).
 */
const DHIS2_ERROR_CODE: Partial<Record<AppError['code'], string>> = {
  bad_request: 'E1003',
  validation_failed: 'E1003',
  forbidden: 'E1006',
  out_of_scope: 'E1006',
  csrf_failed: 'E1006',
  not_recipient: 'E1006',
  not_found: 'E1005',
  unknown_version: 'E1005',
  unknown_unit: 'E1102',
};

function dhis2ErrorCode(err: AppError): string | undefined {
  const own = (err.details as { errorCode?: unknown } | undefined)?.errorCode;
  return typeof own === 'string' && /^E\d{4}$/.test(own) ? own : DHIS2_ERROR_CODE[err.code];
}

/**
 * DHIS2's web message for an error: {httpStatus, httpStatusCode, status: "ERROR", message,
 * errorCode} (errorCode left out where DHIS2 has none, as DHIS2 leaves out empty fields).
 */
export function webMessage(err: AppError, lang: 'vi' | 'en') {
  const errorCode = dhis2ErrorCode(err);
  return {
    httpStatus: REASON[err.status] ?? String(err.status),
    httpStatusCode: err.status,
    status: 'ERROR' as const,
    message: err.messages[lang],
    ...(errorCode ? { errorCode } : {}),
  };
}

/** A browser of the web app, or a DHIS2 app: it must not get the browser's own password box. */
function fromBrowserApp(c: Context): boolean {
  return (
    c.req.header('x-requested-with')?.toLowerCase() === 'xmlhttprequest' ||
    /(?:^|;\s*)opsroom_session=/.test(c.req.header('cookie') ?? '')
  );
}

/**
 * Every error leaves as {error:{code,message,messages,details}}. On DHIS2's routes it is DHIS2's
 * web message, with Opsroom's `error` object kept beside it (scripts written against Opsroom's
 * routes read `error.code`; DHIS2's clients read the web message and ignore the rest), and a 401
 * says `WWW-Authenticate: Basic realm="DHIS2"` — except to XMLHttpRequest callers and the web
 * app's session, as DHIS2 does not challenge its own apps.
 */
export function presentError(c: Context, err: AppError) {
  const error = {
    code: err.code,
    message: wantsEnglish(c) ? err.messages.en : err.messages.vi,
    messages: err.messages,
    ...(err.details === undefined ? {} : { details: err.details }),
  };
  // A limit says when to come back (rate_limited, too_many_attempts).
  const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)
    ?.retryAfterSeconds;
  if (err.status === 429 && typeof retryAfter === 'number')
    c.header('Retry-After', String(retryAfter));
  if (!isDhis2Route(c.req.method, c.req.path)) return c.json({ error }, err.status as 400);
  if (err.status === 401 && !fromBrowserApp(c)) c.header('WWW-Authenticate', 'Basic realm="DHIS2"');
  return c.json({ ...webMessage(err, dhis2Language(c)), error }, err.status as 400);
}

export function validationError(error: ZodError): AppError {
  const issues = schemaProblems(error);
  const first = issues[0];
  return new AppError(
    'validation_failed',
    {
      vi: `Dữ liệu gửi lên không hợp lệ${first ? `: ${first.path || 'body'} — ${first.vi}` : ''}`,
      en: `Invalid request${first ? `: ${first.path || 'body'} — ${first.en}` : ''}`,
    },
    { issues },
  );
}

/**
 * Hono's own errors (a validator that cannot parse the body, a limit) carry English text only:
 * the known ones are given Vietnamese text too, the rest a Vietnamese sentence with the status.
 */
function frameworkError(err: HTTPException): AppError {
  const en = err.message || `HTTP ${err.status}`;
  if (/malformed json/i.test(en))
    return new AppError('bad_request', {
      vi: 'Nội dung JSON gửi lên không hợp lệ: sai cú pháp hoặc bị cắt cụt',
      en: 'Malformed JSON in the request body: a syntax error or cut short',
    });
  if (/malformed formdata/i.test(en))
    return new AppError('bad_request', {
      vi: 'Biểu mẫu gửi lên (multipart/form-data) không đọc được',
      en: 'Unreadable form body (multipart/form-data)',
    });
  switch (err.status) {
    case 401:
      return new AppError('unauthenticated', { vi: 'Bạn cần đăng nhập', en });
    case 404:
      return new AppError('not_found', { vi: 'Không tìm thấy', en });
    case 413:
      return new AppError('payload_too_large', {
        vi: 'Nội dung gửi lên quá lớn',
        en: 'The request body is too large',
      });
    case 415:
      return new AppError('unsupported_media_type', {
        vi: 'Kiểu nội dung (Content-Type) không được hỗ trợ',
        en: 'Unsupported content type',
      });
  }
  return new AppError('bad_request', { vi: `Yêu cầu không hợp lệ (HTTP ${err.status})`, en });
}

/** Every error leaves as {error:{code,message,details}}; database constraint errors are mapped once, here. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) return frameworkError(err);
  const pg = err as { code?: string; detail?: string; constraint?: string };
  if (pg?.code === '23505') {
    return new AppError(
      'conflict',
      { vi: 'Bản ghi đã tồn tại', en: 'Already exists' },
      { constraint: pg.constraint },
    );
  }
  if (pg?.code === '23503') {
    return new AppError(
      'conflict',
      {
        vi: 'Bản ghi đang được tham chiếu hoặc tham chiếu tới bản ghi không có',
        en: 'Referenced by, or referring to, a missing record',
      },
      { constraint: pg.constraint },
    );
  }
  console.error(err);
  return new AppError('internal', {
    vi: 'Lỗi máy chủ; đã ghi nhật ký',
    en: 'Server error; it has been logged',
  });
}
