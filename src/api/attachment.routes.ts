import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ErrorResponse, errorResponses, json } from '../contract/common.ts';
import { AppError } from '../domain/errors.ts';
import { actorOf, type AppEnv } from './context.ts';
import { Attachment } from '../contract/task.ts';

export function attachmentRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  // Documented here, handled below without the generated form validator, which would buffer
  // the whole body before the handler runs: the body limit (10 MB and the multipart envelope)
  // stops a larger one as it arrives.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/attachments',
    tags: ['directives'],
    summary:
      'Upload a file (multipart field `file`): PDF, docx, xlsx, PNG or JPEG, at most 10 MB; cite its id in a directive or a report',
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
      201: json(Attachment, 'Stored'),
      413: {
        description: 'Over 10 MB',
        content: { 'application/json': { schema: ErrorResponse } },
      },
      ...errorResponses,
    },
  });

  app.post('/api/attachments', async (c) => {
    const actor = actorOf(c);
    const form = await c.req.formData().catch(() => undefined);
    const file = form?.get('file');
    if (!(file instanceof File))
      throw new AppError('file_invalid', {
        vi: 'Cần gửi một tệp trong trường "file" (multipart/form-data)',
        en: 'Send one file in the "file" field (multipart/form-data)',
      });
    const bytes = new Uint8Array(await file.arrayBuffer());
    const r = await c
      .get('services')
      .tasks.upload(actor, { name: file.name || 'file', type: file.type, bytes });
    return c.json(r, 201);
  });

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/attachments/{id}',
    tags: ['directives'],
    summary: 'Download a file attached to a directive or a task you may see',
    request: { params: z.object({ id: z.coerce.number().int().positive() }) },
    responses: {
      200: {
        description: 'The file',
        content: { 'application/octet-stream': { schema: z.string() } },
      },
      ...errorResponses,
    },
  });

  app.get('/api/attachments/:id{[0-9]+}', async (c) => {
    const actor = actorOf(c);
    const s = c.get('services');
    const { file, directiveId } = await s.tasks.download(actor, Number(c.req.param('id')));
    if (directiveId !== undefined) await s.directives.get(actor, directiveId);
    c.header('content-type', file.content_type);
    c.header(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(file.file_name)}`,
    );
    c.header('x-content-type-options', 'nosniff');
    return c.body(new Uint8Array(file.bytes));
  });

  return app;
}
