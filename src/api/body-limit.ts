import type { Context, MiddlewareHandler } from 'hono';
import { AppError, type Message } from '../domain/errors.ts';
import { MAX_FILE_BYTES } from '../services/task.service.ts';
import { PHOTO_MAX_BYTES } from '../services/photo.ts';
import { PUBLIC_PHOTO_PATH } from './public-photo.routes.ts';
import type { AppEnv } from './context.ts';
import { presentError } from './errors.ts';

const KB = 1024;
const MB = 1024 * KB;

/** The most bytes a request body may hold, by who sends it and where. */
export interface BodyLimits {
  /** Any request of a caller not signed in (sign-in itself included). */
  anonymous: number;
  /** Ordinary writes of a signed-in caller: the longest form (a directive to 20,000 units) fits. */
  json: number;
  /** Documents: metadata and units files. */
  document: number;
  /** CSV imports, read as they arrive. */
  csvImport: number;
  /** JSON and XML imports, which are read whole. */
  wholeImport: number;
  /** An attachment: the file (10 MB) and its multipart envelope. */
  attachment: number;
}

export const BODY_LIMITS: BodyLimits = {
  anonymous: 64 * KB,
  json: 1 * MB,
  document: 32 * MB,
  csvImport: 512 * MB,
  wholeImport: 64 * MB,
  attachment: MAX_FILE_BYTES + 64 * KB, // the file and its multipart envelope
};

const IMPORT = /^\/api\/(?:[0-9]{2}\/)?dataValueSets$|^\/api\/data\/import$/;
// A gateway's batch of 1,000 spam reports of up to 2,000 characters each is read as a document.
const DOCUMENT = /^\/api\/metadata(?:\/|$)|^\/api\/orgunits\/import$|^\/api\/spamReports$/;

/** How many bytes, for people: 64 kB, 10 MB. */
export function bytesText(n: number): string {
  if (n >= MB) return `${Math.floor(n / MB)} MB`;
  return `${Math.floor(n / KB)} kB`;
}

/** The limit of this request and how to say it. */
function limitOf(
  c: Context<AppEnv>,
  limits: BodyLimits,
): { limit: number; what: Message; code?: 'file_too_large' } {
  const path = c.req.path;
  const max = (limit: number) => ({
    limit,
    what: { vi: `tối đa ${bytesText(limit)}`, en: `at most ${bytesText(limit)}` },
  });
  // Public: a citizen's photo, refused as the photo would be (file_too_large).
  if (path === PUBLIC_PHOTO_PATH) {
    return {
      limit: limits.attachment,
      what: {
        vi: `ảnh tối đa ${bytesText(PHOTO_MAX_BYTES)}`,
        en: `photos at most ${bytesText(PHOTO_MAX_BYTES)}`,
      },
      code: 'file_too_large',
    };
  }
  if (!c.get('actor')) {
    const m = max(limits.anonymous);
    return {
      limit: m.limit,
      what: { vi: `${m.what.vi} khi chưa đăng nhập`, en: `${m.what.en} before sign-in` },
    };
  }
  if (IMPORT.test(path)) {
    const csv = (c.req.header('content-type') ?? '').toLowerCase().includes('csv');
    const what = {
      vi: `tệp CSV tối đa ${bytesText(limits.csvImport)}, JSON và XML tối đa ${bytesText(limits.wholeImport)} (tệp lớn hơn hãy gửi dạng CSV)`,
      en: `CSV files at most ${bytesText(limits.csvImport)}, JSON and XML at most ${bytesText(limits.wholeImport)} (send larger files as CSV)`,
    };
    return { limit: csv ? limits.csvImport : limits.wholeImport, what };
  }
  if (path === '/api/attachments') {
    return {
      limit: limits.attachment,
      what: {
        vi: `tệp đính kèm tối đa ${bytesText(MAX_FILE_BYTES)}`,
        en: `attachments at most ${bytesText(MAX_FILE_BYTES)}`,
      },
    };
  }
  return max(DOCUMENT.test(path) ? limits.document : limits.json);
}

export function tooLarge(
  limit: number,
  what: Message,
  code: 'payload_too_large' | 'file_too_large' = 'payload_too_large',
): AppError {
  return new AppError(
    code,
    {
      vi: `Nội dung gửi lên quá lớn: ${what.vi}`,
      en: `The request body is too large: ${what.en}`,
    },
    { limit },
  );
}

/**
 * Limits every request body, counted on the bytes as they arrive (Hono's `bodyLimit` buffers a
 * chunked body whole before the handler sees it, which is what an import must not do). A
 * declared Content-Length over the limit is refused before anything is read; otherwise the body
 * is passed on piece by piece and fails with `payload_too_large` the moment it passes the
 * limit, whoever reads it (a route's JSON parser turns a read error into "malformed JSON", so
 * the answer is replaced by the 413 here). The rest is never held: @hono/node-server discards
 * at most 64 MB or 500 ms of it after the answer, then closes the connection (closing at once
 * would let the unread bytes reset the connection and lose the answer on the client's side).
 * Runs after `authenticate`: the limit depends on whether the caller is signed in.
 */
export function bodyLimit(limits: BodyLimits = BODY_LIMITS): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { limit, what, code } = limitOf(c, limits);
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > limit)
      return presentError(c, tooLarge(limit, what, code));
    const raw = c.req.raw;
    if (!raw.body) return next();
    let exceeded: AppError | undefined;
    let source: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let seen = 0;
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        source ??= raw.body!.getReader();
        const { done, value } = await source.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (seen > limit) {
          exceeded = tooLarge(limit, what, code);
          controller.error(exceeded);
          return;
        }
        controller.enqueue(value);
      },
      cancel: (reason) => (source ?? raw.body!).cancel(reason),
    });
    c.req.raw = new Request(raw.url, {
      method: raw.method,
      headers: raw.headers,
      body: counted,
      signal: raw.signal,
      duplex: 'half',
    } as RequestInit);
    await next();
    if (exceeded && c.res.status !== 413) {
      c.res = undefined;
      c.res = presentError(c, exceeded);
    }
  };
}
