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

/** Every error leaves as {error:{code,message,details}}; database constraint errors are mapped once, here. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    return new AppError(err.status === 404 ? 'not_found' : 'bad_request', {
      vi: err.message,
      en: err.message,
    });
  }
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
