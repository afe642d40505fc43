import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { ErrorResponse, IdPathParam, errorResponses, json } from '../contract/common.ts';
import { OfficerReport } from '../contract/citizen-report.ts';
import {
  ModerationQueue,
  ModerationQueueQuery,
  ReportFlagInput,
  ReportModerateInput,
} from '../contract/citizen-report-moderation.ts';
import { actorOf, type AppEnv } from './context.ts';

const refusedMove = {
  description: 'Not allowed in the report’s moderation state (invalid_transition)',
  content: { 'application/json': { schema: ErrorResponse } },
};

/**
 * Moderation of citizens' reports (issue 20, "Abuse"), for the officers of the handling unit
 * and above (task.report): the queue of flagged reports, flagging one, the decision. Mounted
 * before citizenReportRoutes: `/api/reports/moderation` is not a report id.
 */
export function citizenReportModerationRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/reports/moderation',
      tags: ['citizens'],
      summary:
        'The moderation queue: flagged reports handled by the units in your scope, oldest flag first, with why',
      request: { query: ModerationQueueQuery },
      responses: { 200: json(ModerationQueue, 'Flagged reports'), ...errorResponses },
    }),
    async (c) => {
      const items = await c
        .get('services')
        .citizenReports.moderationQueue(actorOf(c), c.req.valid('query'));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/reports/{id}/flag',
      tags: ['citizens'],
      summary:
        'Flag a report as abusive: into the moderation queue, off public lists; the reason is for officers only',
      request: {
        params: IdPathParam,
        body: { content: { 'application/json': { schema: ReportFlagInput } }, required: true },
      },
      responses: {
        200: json(OfficerReport, 'The report after it'),
        ...errorResponses,
        409: refusedMove,
      },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .citizenReports.flag(actorOf(c), c.req.valid('param').id, c.req.valid('json').reason, {
          requestId: c.get('requestId'),
        });
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/reports/{id}/moderate',
      tags: ['citizens'],
      summary:
        'Decide on a flagged report: release (back to normal) or hide (refused as abusive, its task done; the public sees neither its text nor its photos)',
      request: {
        params: IdPathParam,
        body: { content: { 'application/json': { schema: ReportModerateInput } }, required: true },
      },
      responses: {
        200: json(OfficerReport, 'The report after it'),
        ...errorResponses,
        409: refusedMove,
      },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .citizenReports.moderate(actorOf(c), c.req.valid('param').id, c.req.valid('json'), {
          requestId: c.get('requestId'),
        });
      return c.json(r, 200);
    },
  );

  return app;
}
