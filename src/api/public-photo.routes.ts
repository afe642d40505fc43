import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ErrorResponse, errorResponses, json, rateLimitedResponse } from '../contract/common.ts';
import { PublicPhoto } from '../contract/public-photo.ts';
import { AppError } from '../domain/errors.ts';
import { PUBLIC_LIMITS } from '../domain/public-limits.ts';
import { PHOTO_MAX_BYTES, photoTooLarge } from '../services/photo.ts';
import type { AppEnv } from './context.ts';
import { limitByAddress } from './public-limit.ts';

export const PUBLIC_PHOTO_PATH = '/api/public/photos';
/** Paths answered without an account (app.ts PUBLIC_ROUTES). */
export const PUBLIC_PHOTO_ROUTES = [PUBLIC_PHOTO_PATH] as const;

/** A photo for a citizen's report (issue 20): public, no account, counted per address. */
export function publicPhotoRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  // Documented here, handled without the generated form validator, which would buffer the body
  // before the handler runs: the body limit (body-limit.ts) stops a larger one as it arrives.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: PUBLIC_PHOTO_PATH,
    tags: ['citizens'],
    summary:
      'Upload a photo for a citizen report (multipart field `file`): JPEG, PNG or WebP, at most 10 MB and 50 megapixels; public, no account',
    description:
      'The photo is decoded and encoded anew: no EXIF, GPS, XMP or other metadata is kept, its orientation is applied, and a side longer than 2,560 px is scaled down. It is kept pending until a report cites it by `id` and `key`. HEIC is refused with a message asking for JPEG. ' +
      `At most ${PUBLIC_LIMITS.photoPerAddress.limit} an hour from one address.`,
    request: {
      body: {
        content: {
          'multipart/form-data': {
            schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }),
          },
        },
        required: true,
      },
    },
    responses: {
      201: json(PublicPhoto, 'Kept, cleaned; cite it by id and key'),
      400: {
        description: 'Not an image, or not one of JPEG, PNG, WebP (`file_invalid`)',
        content: { 'application/json': { schema: ErrorResponse } },
      },
      413: {
        description: 'Over 10 MB or 50 megapixels (`file_too_large`)',
        content: { 'application/json': { schema: ErrorResponse } },
      },
      429: rateLimitedResponse,
      404: errorResponses[404],
    },
  });

  app.post(PUBLIC_PHOTO_PATH, async (c) => {
    await limitByAddress(c, PUBLIC_PHOTO_PATH, PUBLIC_LIMITS.photoPerAddress);
    const form = await c.req.formData().catch((e: unknown) => {
      if (e instanceof AppError) throw e; // the body limit, as the body arrived
      return undefined;
    });
    const file = form?.get('file');
    if (!(file instanceof File))
      throw new AppError('file_invalid', {
        vi: 'Cần gửi một ảnh trong trường "file" (multipart/form-data)',
        en: 'Send one photo in the "file" field (multipart/form-data)',
      });
    if (file.size > PHOTO_MAX_BYTES) throw photoTooLarge('bytes');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const photo = await c.get('services').publicPhotos.upload({ name: file.name, bytes });
    return c.json(photo, 201);
  });

  return app;
}
