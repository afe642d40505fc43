import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { errorResponses, json } from '../contract/common.ts';
import {
  BRIEFING_FORMATS,
  BriefingCreate,
  BriefingDetail,
  BriefingEdit,
  BriefingFormatQuery,
  BriefingIdParams,
  BriefingList,
  BriefingParagraphParams,
  BriefingTemplate,
  BriefingTemplateList,
  type BriefingFormat,
} from '../contract/briefing.ts';
import { AppError } from '../domain/errors.ts';
import { actorOf, type AppEnv } from './context.ts';

/** What `Accept` names, for `GET /api/briefings/{id}` without a suffix. */
const ACCEPTS: [string, BriefingFormat][] = [
  ['wordprocessingml', 'docx'],
  ['spreadsheetml', 'xlsx'],
  ['application/pdf', 'pdf'],
  ['text/csv', 'csv'],
];

/** The format asked: the path's suffix, else `?format=`, else `Accept`, else JSON. */
function formatOf(c: Context<AppEnv>, suffix: string | undefined, query?: BriefingFormat) {
  if (suffix) return suffix as BriefingFormat;
  if (query) return query;
  const accept = c.req.header('accept') ?? '';
  return ACCEPTS.find(([m]) => accept.includes(m))?.[1] ?? 'json';
}

const badFormat = (f: string) =>
  new AppError(
    'bad_request',
    {
      vi: `Không có định dạng xuất "${f}". Các định dạng: ${BRIEFING_FORMATS.join(', ')}`,
      en: `No export format "${f}". Formats: ${BRIEFING_FORMATS.join(', ')}`,
    },
    { format: f, formats: BRIEFING_FORMATS },
  );

export function briefingRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ({ requestId: c.get('requestId') });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/briefingTemplates',
      tags: ['briefings'],
      summary: 'The briefing templates',
      responses: { 200: json(BriefingTemplateList, 'The templates'), ...errorResponses },
    }),
    async (c) => c.json(await c.get('services').briefings.listTemplates(actorOf(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/briefingTemplates/{code}',
      tags: ['briefings'],
      summary: 'A briefing template as JSON, as it is imported back',
      request: { params: z.object({ code: z.string().max(64) }) },
      responses: { 200: json(BriefingTemplate, 'The template'), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await c.get('services').briefings.template(actorOf(c), c.req.valid('param').code),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/briefingTemplates',
      tags: ['briefings'],
      summary:
        'Create or replace a briefing template (by code); refused whole, naming the line, when a line names an unknown element or indicator',
      request: {
        body: { content: { 'application/json': { schema: z.unknown() } }, required: true },
      },
      responses: { 200: json(BriefingTemplate, 'The template saved'), ...errorResponses },
    }),
    async (c) => {
      const body: unknown = await c.req.json();
      const r = await c.get('services').briefings.saveTemplate(actorOf(c), body, ctx(c));
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/briefings',
      tags: ['briefings'],
      summary: 'The briefings of units in the caller’s scope, newest first',
      responses: { 200: json(BriefingList, 'The briefings'), ...errorResponses },
    }),
    async (c) => c.json(await c.get('services').briefings.list(actorOf(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/briefings',
      tags: ['briefings'],
      summary: 'A draft briefing: a template applied to a period and a scope unit',
      request: {
        body: { content: { 'application/json': { schema: BriefingCreate } }, required: true },
      },
      responses: {
        201: json(BriefingDetail, 'The draft, written from the data'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const r = await c.get('services').briefings.create(actorOf(c), c.req.valid('json'), ctx(c));
      return c.json(r, 201);
    },
  );

  // One route for the page's JSON and the exports: `12`, `12.docx`, or `Accept`.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/briefings/{id}',
    tags: ['briefings'],
    summary:
      'A briefing: JSON (with the figures changed since issue and its revisions), or an export by suffix (12.docx, .xlsx, .pdf, .csv), `?format=` or `Accept`',
    request: { params: BriefingIdParams, query: BriefingFormatQuery },
    responses: {
      200: {
        description: 'The briefing or its export',
        content: {
          'application/json': { schema: BriefingDetail },
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
            schema: z.string(),
          },
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
            schema: z.string(),
          },
          'application/pdf': { schema: z.string() },
          'text/csv': { schema: z.string() },
        },
      },
      ...errorResponses,
    },
  });
  app.get('/api/briefings/:id{[0-9]+(\\.[a-z]+)?}', async (c) => {
    const [idText, suffix] = c.req.param('id').split('.');
    const query = c.req.query('format');
    if (suffix !== undefined && !(BRIEFING_FORMATS as readonly string[]).includes(suffix))
      throw badFormat(suffix);
    if (query !== undefined && !(BRIEFING_FORMATS as readonly string[]).includes(query))
      throw badFormat(query);
    const format = formatOf(c, suffix, query as BriefingFormat | undefined);
    const s = c.get('services').briefings;
    const id = Number(idText);
    if (format === 'json') return c.json(await s.get(actorOf(c), id), 200);
    const file = await s.export(actorOf(c), id, format);
    c.header('content-type', file.contentType);
    c.header('content-disposition', `attachment; filename="${file.filename}"`);
    c.header('x-content-type-options', 'nosniff');
    return c.body(new Uint8Array(file.bytes));
  });

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/briefings/{id}/paragraphs/{line}',
      tags: ['briefings'],
      summary:
        'Rewrite one paragraph of a draft; kept, and flagged for review if its figure changes later',
      request: {
        params: BriefingParagraphParams,
        body: { content: { 'application/json': { schema: BriefingEdit } }, required: true },
      },
      responses: { 200: json(BriefingDetail, 'The draft'), ...errorResponses },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const r = await c
        .get('services')
        .briefings.edit(actorOf(c), p.id, p.line, c.req.valid('json'), ctx(c));
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/briefings/{id}/issue',
      tags: ['briefings'],
      summary:
        'Issue a draft: every figure and sentence frozen, numbered and dated; refused once issued (make a revision)',
      request: { params: z.object({ id: z.coerce.number().int() }) },
      responses: { 200: json(BriefingDetail, 'The issued briefing'), ...errorResponses },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .briefings.issue(actorOf(c), c.req.valid('param').id, ctx(c));
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/briefings/{id}/revise',
      tags: ['briefings'],
      summary:
        'A revision of an issued briefing: a new draft of its series listing the figures corrected since',
      request: { params: z.object({ id: z.coerce.number().int() }) },
      responses: { 201: json(BriefingDetail, 'The revision (a draft)'), ...errorResponses },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .briefings.revise(actorOf(c), c.req.valid('param').id, ctx(c));
      return c.json(r, 201);
    },
  );

  return app;
}
