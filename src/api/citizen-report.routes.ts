import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ErrorResponse, IdPathParam, errorResponses, json } from '../contract/common.ts';
import {
  OfficerReport,
  PublicReport,
  ReportAnswerInput,
  ReportCloseInput,
  ReportCodeParam,
  ReportInfoInput,
  ReportIntake,
  ReportList,
  ReportListQuery,
  ReportQuestionInput,
  ReportRatingInput,
  ReportReceipt,
  ReportRefuseInput,
  ReportReopenInput,
  ReportTransferInput,
} from '../contract/citizen-report.ts';
import { placeOutsideResponse } from '../contract/place.ts';
import { actorOf, type AppEnv } from './context.ts';

/**
 * Paths under this prefix are answered without an account (app.ts): the citizen's intake, the
 * status page and the citizen's actions, the tracking code being the key.
 */
export const PUBLIC_PREFIX = '/api/public/';

interface Validated<P, B> {
  valid(target: 'param'): P;
  valid(target: 'json'): B;
}

const refusedMove = {
  description:
    'Not allowed in the report’s status (invalid_transition), or rated already (conflict)',
  content: { 'application/json': { schema: ErrorResponse } },
};
const unprocessable = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorResponse } },
});

/**
 * Citizens' reports (issue 20). Public: send a report, follow it by its code, add what was
 * asked, reopen, rate. Officers: the reports their units handle (task.read), and acting on them
 * (task.report): acknowledge, transfer, ask, answer, close, refuse.
 */
export function citizenReportRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  // — Public

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/public/reports',
      tags: ['citizens'],
      summary:
        'Send a report (public, no account): routed as a task to the unit that must act; answers the tracking code',
      request: {
        body: { content: { 'application/json': { schema: ReportIntake } }, required: true },
      },
      responses: {
        201: json(ReportReceipt, 'Received'),
        400: errorResponses[400],
        404: errorResponses[404],
        422: {
          ...placeOutsideResponse,
          description:
            'The place is outside Viet Nam (place_outside), or the category unknown or closed (unknown_category)',
        },
      },
    }),
    async (c) => {
      const r = await c.get('services').citizenReports.receive(c.req.valid('json'), {
        requestId: c.get('requestId'),
        source: 'web',
      });
      return c.json(r, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/public/reports/{code}',
      tags: ['citizens'],
      summary:
        'A report by its tracking code (public): its status, full history by unit, the answer; never the contact nor an officer’s name',
      request: { params: ReportCodeParam },
      responses: {
        200: json(PublicReport, 'The report'),
        400: errorResponses[400],
        404: errorResponses[404],
      },
    }),
    async (c) => {
      const r = await c.get('services').citizenReports.publicView(c.req.valid('param').code);
      c.header('Cache-Control', 'no-store');
      return c.json(r, 200);
    },
  );

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/public/reports/{code}/photos/{id}',
    tags: ['citizens'],
    summary: 'A photo of a report or of its answer, for whoever holds the code',
    request: { params: ReportCodeParam.extend({ id: z.coerce.number().int().positive() }) },
    responses: {
      200: { description: 'The file', content: { 'image/*': { schema: z.string() } } },
      404: errorResponses[404],
    },
  });
  app.get('/api/public/reports/:code/photos/:id{[0-9]+}', async (c) => {
    const f = await c
      .get('services')
      .citizenReports.publicPhoto(c.req.param('code'), Number(c.req.param('id')));
    c.header('content-type', f.content_type);
    c.header(
      'content-disposition',
      f.content_type.startsWith('image/') ? 'inline' : `attachment; filename="file-${f.id}"`,
    );
    c.header('x-content-type-options', 'nosniff');
    c.header('Cache-Control', 'private, max-age=3600');
    return c.body(new Uint8Array(f.bytes));
  });

  const citizenAction = <S extends z.ZodType>(
    path: string,
    summary: string,
    schema: S,
    act: (
      s: AppEnv['Variables']['services'],
      code: string,
      body: z.output<S>,
      ctx: { requestId: string },
    ) => Promise<PublicReport>,
  ) =>
    app.openapi(
      createRoute({
        method: 'post',
        path,
        tags: ['citizens'],
        summary,
        request: {
          params: ReportCodeParam,
          body: { content: { 'application/json': { schema } }, required: true },
        },
        responses: {
          200: json(PublicReport, 'The report after it'),
          400: errorResponses[400],
          404: errorResponses[404],
          409: refusedMove,
        },
      }),
      async (c) => {
        // The generic schema hides the validated types from Hono: read them as validated.
        const req = c.req as unknown as Validated<{ code: string }, z.output<S>>;
        const r = await act(c.get('services'), req.valid('param').code, req.valid('json'), {
          requestId: c.get('requestId'),
        });
        return c.json(r, 200);
      },
    );

  citizenAction(
    '/api/public/reports/{code}/info',
    'Add the information the handling unit asked for (public, by code)',
    ReportInfoInput,
    (s, code, b, ctx) => s.citizenReports.addInfo(code, b.info, ctx),
  );
  citizenAction(
    '/api/public/reports/{code}/reopen',
    'Reopen an answered or closed report within 7 days, with a reason (public, by code)',
    ReportReopenInput,
    (s, code, b, ctx) => s.citizenReports.reopen(code, b.reason, ctx),
  );
  citizenAction(
    '/api/public/reports/{code}/rating',
    'Rate the answer, 1 to 5 stars, once (public, by code)',
    ReportRatingInput,
    (s, code, b, ctx) => s.citizenReports.rate(code, b.stars, b.note, ctx),
  );

  // — Officers

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/reports',
      tags: ['citizens'],
      summary:
        "Citizens' reports handled by the units in your scope, newest first, with the citizen's contact",
      request: { query: ReportListQuery },
      responses: { 200: json(ReportList, 'Reports'), ...errorResponses },
    }),
    async (c) => {
      const items = await c.get('services').citizenReports.list(actorOf(c), c.req.valid('query'));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/reports/{id}',
      tags: ['citizens'],
      summary: 'A report with its full history, internal notes and the citizen’s contact',
      request: { params: IdPathParam },
      responses: { 200: json(OfficerReport, 'The report'), ...errorResponses },
    }),
    async (c) => {
      const r = await c.get('services').citizenReports.get(actorOf(c), c.req.valid('param').id);
      return c.json(r, 200);
    },
  );

  type Services = AppEnv['Variables']['services'];
  type Actor = ReturnType<typeof actorOf>;
  const officerAction = <S extends z.ZodType>(
    path: string,
    summary: string,
    schema: S,
    act: (
      s: Services,
      actor: Actor,
      id: number,
      body: z.output<S>,
      ctx: { requestId: string },
    ) => Promise<OfficerReport>,
    extra: Record<number, ReturnType<typeof unprocessable>> = {},
  ) =>
    app.openapi(
      createRoute({
        method: 'post',
        path,
        tags: ['citizens'],
        summary,
        request: {
          params: IdPathParam,
          body: { content: { 'application/json': { schema } }, required: true },
        },
        responses: {
          200: json(OfficerReport, 'The report after it'),
          ...errorResponses,
          409: refusedMove,
          ...extra,
        },
      }),
      async (c) => {
        const req = c.req as unknown as Validated<{ id: number }, z.output<S>>;
        const r = await act(
          c.get('services'),
          actorOf(c),
          req.valid('param').id,
          req.valid('json'),
          { requestId: c.get('requestId') },
        );
        return c.json(r, 200);
      },
    );

  officerAction(
    '/api/reports/{id}/acknowledge',
    'Acknowledge a report received, forwarded or reopened: in progress; its task acknowledged',
    z.strictObject({}).openapi('CitizenReportAcknowledge'),
    (s, actor, id, _b, ctx) => s.citizenReports.acknowledge(actor, id, ctx),
  );
  officerAction(
    '/api/reports/{id}/transfer',
    "Transfer a report to the unit that must handle it (your scope or your parent unit's), with a reason shown to the citizen; its task moves; the deadlines stay",
    ReportTransferInput,
    (s, actor, id, b, ctx) => s.citizenReports.transfer(actor, id, b, ctx),
  );
  officerAction(
    '/api/reports/{id}/request-info',
    'Ask the citizen for more information (shown on the public page)',
    ReportQuestionInput,
    (s, actor, id, b, ctx) => s.citizenReports.requestInfo(actor, id, b.question, ctx),
  );
  officerAction(
    '/api/reports/{id}/answer',
    'Answer a report in progress, with photos as proof when the category requires them; its task done; the citizen may reopen within 7 days',
    ReportAnswerInput,
    (s, actor, id, b, ctx) => s.citizenReports.answer(actor, id, b, ctx),
    { 422: unprocessable('A photo is required by the category (proof_required)') },
  );
  officerAction(
    '/api/reports/{id}/close',
    'Close an answered report, or one in progress directly with a note (and photos when the category requires them)',
    ReportCloseInput,
    (s, actor, id, b, ctx) => s.citizenReports.close(actor, id, b, ctx),
    { 422: unprocessable('The proof the category requires is missing (proof_required)') },
  );
  officerAction(
    '/api/reports/{id}/refuse',
    'Refuse a report, with the reason shown to the citizen; its task done',
    ReportRefuseInput,
    (s, actor, id, b, ctx) => s.citizenReports.refuse(actor, id, b.reason, ctx),
  );

  return app;
}
