import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { errorResponses, json, rateLimitedResponse } from '../contract/common.ts';
import { PUBLIC_LIMITS, phoneKey } from '../domain/public-limits.ts';
import { limitByAddress } from './public-limit.ts';
import {
  SpamBlockInput,
  SpamBlockSummary,
  SpamImportSummary,
  SpamPublicReceipt,
  SpamReportBatch,
  SpamReportItem,
  SpamTop,
  SpamTopQuery,
} from '../contract/spam.ts';
import { topCsv } from '../services/spam.service.ts';
import { clientAddress } from './client-address.ts';
import { actorOf, type AppEnv } from './context.ts';

/** Paths answered without an account (app.ts PUBLIC_ROUTES). */
export const SPAM_PUBLIC_ROUTES = ['/api/public/spamReports'] as const;

/**
 * The 5656 spam line (issue 20): operators' gateways post reports with a machine token
 * (`spam.report`) and confirm blocked numbers (`spam.block`); the public page posts one report
 * without an account; the ministry reads the week's most reported numbers (data.read, national).
 */
export function spamRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/spamReports',
      tags: ['spam'],
      summary: 'Spam reports from an operator’s gateway: one, or up to 1,000 (spam.report)',
      description:
        'Each report is checked on its own: the answer gives every item accepted, duplicate (its `externalId` was stored before for this token, or came twice in the request) or rejected with its reasons in Vietnamese and English; the good items of a batch are kept. 200 with status OK or WARNING; 409 (status ERROR) when every item was rejected. Send `externalId` so that a batch sent again is not counted twice.',
      request: {
        body: { content: { 'application/json': { schema: SpamReportBatch } }, required: true },
      },
      responses: {
        200: json(SpamImportSummary, 'What became of each report'),
        409: json(SpamImportSummary, 'Every report rejected'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .spam.intake(actorOf(c), c.req.valid('json'), { requestId: c.get('requestId') });
      return r.status === 'ERROR' ? c.json(r, 409) : c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/public/spamReports',
      tags: ['spam'],
      summary: 'One spam report from the public page; public, no account',
      description:
        'No `externalId`. A report that breaks a rule is refused whole (400 `validation_failed`, every problem in `details.problems`).',
      request: {
        body: { content: { 'application/json': { schema: SpamReportItem } }, required: true },
      },
      responses: {
        201: json(SpamPublicReceipt, 'Received'),
        400: errorResponses[400],
        429: rateLimitedResponse,
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      // Floods: per client address, then per the reporter's own number when given.
      await limitByAddress(c, '/api/public/spamReports', PUBLIC_LIMITS.spamReportPerAddress);
      const phone = typeof input.reporter === 'string' ? phoneKey(input.reporter) : undefined;
      if (phone && !c.get('actor'))
        await c.get('services').rateLimits.take(phone, PUBLIC_LIMITS.spamReportPerPhone);
      const r = await c
        .get('services')
        .spam.publicReport(clientAddress(c, c.get('edge').proxies), input, {
          requestId: c.get('requestId'),
        });
      return c.json(r, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/spamReports/blocks',
      tags: ['spam'],
      summary: 'Numbers an operator confirms it has blocked (spam.block)',
      request: {
        body: { content: { 'application/json': { schema: SpamBlockInput } }, required: true },
      },
      responses: { 200: json(SpamBlockSummary, 'Blocks stored'), ...errorResponses },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .spam.block(actorOf(c), c.req.valid('json'), { requestId: c.get('requestId') });
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/spamReports/top',
      tags: ['spam'],
      summary:
        'The numbers most reported in an ISO week, with blocks (data.read, national scope); JSON or CSV',
      request: { query: SpamTopQuery },
      responses: {
        200: {
          description: 'The list, most reports first',
          content: {
            'application/json': { schema: SpamTop },
            'text/csv': { schema: z.string() },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const top = await c.get('services').spam.top(actorOf(c), q);
      if (q.format === 'csv') {
        c.header('content-type', 'text/csv; charset=utf-8');
        c.header('content-disposition', `attachment; filename="spam-top-${top.week}.csv"`);
        return c.body(topCsv(top), 200);
      }
      return c.json(top, 200);
    },
  );

  return app;
}
