import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { AppError, schemaProblems } from '../domain/errors.ts';

export function wantsEnglish(c: Context): boolean {
  const lang = c.req.query('lang') ?? c.req.header('accept-language') ?? '';
  return lang.toLowerCase().startsWith('en');
}

export function presentError(c: Context, err: AppError) {
  return c.json(
    {
      error: {
        code: err.code,
        message: wantsEnglish(c) ? err.messages.en : err.messages.vi,
        messages: err.messages,
        ...(err.details === undefined ? {} : { details: err.details }),
      },
    },
    err.status as 400,
  );
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
