import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import {
  BoardDataFrame,
  BoardDefaultView,
  BoardFile,
  BoardId,
  BoardInput,
  BoardListItem,
  BoardPdfQuery,
  BoardPeriod,
  BoardUpdate,
  BoardView,
  PanelData,
  PanelDataRequest,
} from '../contract/board.ts';
import { errorResponses, json, plainText } from '../contract/common.ts';
import type { AppError } from '../domain/errors.ts';
import type { PanelAnswer } from '../services/board.service.ts';
import { actorOf, type AppEnv } from './context.ts';
import { toAppError, validationError, wantsEnglish } from './errors.ts';
import { sseResponse } from './live.routes.ts';

const body = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
});

/** RFC 5987's attr-chars: encodeURIComponent leaves ' ( ) * ! as they are. */
const rfc5987 = (s: string) =>
  encodeURIComponent(s).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

const UnitQuery = z.object({
  unit: plainText().max(40).optional().openapi({ description: 'Default: your unit' }),
  version: plainText().max(20).optional(),
});

/** An error as the API's error body has it (api/errors.ts presentError), for one panel's line. */
function errorBody(
  err: AppError,
  en: boolean,
): Extract<BoardDataFrame, { error: unknown }>['error'] {
  return {
    code: err.code,
    message: en ? err.messages.en : err.messages.vi,
    messages: err.messages,
    ...(err.details === undefined ? {} : { details: err.details }),
  };
}

export function boardRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  const ctx = (c: { get(k: 'requestId'): string }) => ({ requestId: c.get('requestId') });
  const VariablesQuery = z.object({
    unit: plainText()
      .max(40)
      .optional()
      .openapi({ description: 'The board’s unit variable: a unit code or `my_unit`' }),
    period: BoardPeriod.optional().openapi({ description: 'The board’s period variable' }),
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/boards',
      tags: ['boards'],
      summary:
        'Make a board (yours); shares reach no further than your scope (403 naming the unit). The answer says, per panel, what cannot be shown to you',
      request: { body: body(BoardInput) },
      responses: { 201: json(BoardView, 'Made'), ...errorResponses },
    }),
    async (c) => {
      const b = await c.get('services').boards.create(actorOf(c), c.req.valid('json'), ctx(c));
      return c.json(b, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/boards',
      tags: ['boards'],
      summary:
        'The boards you see: yours, shared with you, your unit’s or an ancestor’s default, and (board.default) those of the people in your scope',
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).max(100_000).default(0),
        }),
      },
      responses: {
        200: json(
          z.object({ items: z.array(BoardListItem), offset: z.number(), limit: z.number() }),
          'Boards, latest changed first',
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await c.get('services').boards.list(actorOf(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/boards/default',
      tags: ['boards'],
      summary:
        'The board a unit opens: its default, else the nearest ancestor’s, else the one shipped with Opsroom',
      request: { query: UnitQuery },
      responses: { 200: json(BoardDefaultView, 'The default board'), ...errorResponses },
    }),
    async (c) =>
      c.json(await c.get('services').boards.getDefault(actorOf(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/boards/defaults/{unit}',
      tags: ['boards'],
      summary:
        'Set a unit’s default board (board.default: administrators and leaders, the unit in their scope; a board they see)',
      request: {
        params: z.object({ unit: plainText().min(1).max(40) }),
        body: body(
          z.object({
            boardId: z.number().int().positive(),
            version: plainText().max(20).optional(),
          }),
        ),
      },
      responses: { 200: json(BoardDefaultView, 'The unit’s default now'), ...errorResponses },
    }),
    async (c) => {
      const b = await c
        .get('services')
        .boards.setDefault(actorOf(c), c.req.valid('param').unit, c.req.valid('json'), ctx(c));
      return c.json(b, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/boards/import',
      tags: ['boards'],
      summary:
        'Import a board file: a new board, or the board of the same uid updated (its sharing kept); a malformed file is refused with the path of the bad field',
      request: { body: body(BoardFile) },
      responses: {
        200: json(z.object({ created: z.boolean(), board: BoardView }), 'Updated'),
        201: json(z.object({ created: z.boolean(), board: BoardView }), 'Made'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const r = await c.get('services').boards.importFile(actorOf(c), c.req.valid('json'), ctx(c));
      return r.created ? c.json(r, 201) : c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/boards/panel-data',
      tags: ['boards'],
      summary:
        'One panel’s data for you, with the board’s variables applied (a board being built): its figures within your scope; a panel you cannot be shown answers 200 with `problem` set',
      request: { body: body(PanelDataRequest) },
      responses: { 200: json(PanelData, 'The panel’s data'), ...errorResponses },
    }),
    async (c) =>
      c.json(
        await c
          .get('services')
          .boards.panelData(actorOf(c), c.req.valid('json'), { en: wantsEnglish(c) }),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/boards/{id}',
      tags: ['boards'],
      summary: 'A board, with per panel what cannot be shown to you (`problem`)',
      request: { params: BoardId },
      responses: { 200: json(BoardView, 'The board'), ...errorResponses },
    }),
    async (c) =>
      c.json(await c.get('services').boards.get(actorOf(c), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/boards/{id}',
      tags: ['boards'],
      summary:
        'Change a board (owner or an edit share), naming the revision read: a stale one is refused (409)',
      request: { params: BoardId, body: body(BoardUpdate) },
      responses: { 200: json(BoardView, 'The board, next revision'), ...errorResponses },
    }),
    async (c) => {
      const b = await c
        .get('services')
        .boards.update(actorOf(c), c.req.valid('param').id, c.req.valid('json'), ctx(c));
      return c.json(b, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/boards/{id}',
      tags: ['boards'],
      summary: 'Delete a board (owner or an edit share)',
      request: { params: BoardId },
      responses: { 200: json(z.object({ deleted: z.number() }), 'Deleted'), ...errorResponses },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await c.get('services').boards.remove(actorOf(c), id, ctx(c));
      return c.json({ deleted: id }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/boards/{id}/panels/{panel}/data',
      tags: ['boards'],
      summary:
        'A saved board’s panel’s data for you (the board as GET /api/boards/{id} sees it, else 404), its variables as saved unless `unit` or `period` are given',
      request: {
        params: BoardId.extend({ panel: plainText().min(1).max(40) }),
        query: VariablesQuery,
      },
      responses: { 200: json(PanelData, 'The panel’s data'), ...errorResponses },
    }),
    async (c) => {
      const { id, panel } = c.req.valid('param');
      const d = await c
        .get('services')
        .boards.savedPanelData(actorOf(c), id, panel, c.req.valid('query'), {
          en: wantsEnglish(c),
        });
      return c.json(d, 200);
    },
  );

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/boards/{id}/data',
    tags: ['boards'],
    summary:
      'Every panel’s data of a saved board for you, in one answer (the board as GET /api/boards/{id} sees it, else 404): one JSON object per line (NDJSON), `{panel, data}` with what GET …/panels/{panel}/data answers, or `{panel, error}` when that panel failed (the others still come). Panels in reading order (the layout’s rows, then columns: the first screenful first), each sent as soon as it is ready; on a server several are read at once, so they may come out of that order',
    request: { params: BoardId, query: VariablesQuery },
    responses: {
      200: {
        description: 'One line per panel',
        content: { 'application/x-ndjson': { schema: BoardDataFrame } },
      },
      ...errorResponses,
    },
  });
  app.get('/api/boards/:id/data', async (c) => {
    // Who asks before what: an anonymous caller learns nothing of the route's parameters.
    const actor = actorOf(c);
    const params = BoardId.safeParse({ id: c.req.param('id') });
    if (!params.success) throw validationError(params.error);
    const query = VariablesQuery.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error);
    const en = wantsEnglish(c);
    const { run } = await c
      .get('services')
      .boards.savedBoardData(actor, params.data.id, query.data, { en });
    // Stops with the client: no panel is started once it has gone.
    const stop = new AbortController();
    const gone = () => stop.abort();
    c.req.raw.signal.addEventListener('abort', gone, { once: true });
    const encoder = new TextEncoder();
    let open = true;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (answer: PanelAnswer) => {
          if (!open) return;
          const frame: BoardDataFrame =
            'data' in answer
              ? answer
              : { panel: answer.panel, error: errorBody(toAppError(answer.error), en) };
          controller.enqueue(encoder.encode(JSON.stringify(frame) + '\n'));
        };
        void run(send, stop.signal)
          .catch((e: unknown) => console.error('board data not answered', e))
          .finally(() => {
            c.req.raw.signal.removeEventListener('abort', gone);
            if (!open) return;
            open = false;
            controller.close();
          });
      },
      cancel() {
        open = false;
        stop.abort();
      },
    });
    return c.body(body, 200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Cache-Control': 'no-store',
      // A proxy must pass each line on as it comes.
      'X-Accel-Buffering': 'no',
    });
  });

  const LiveBoardQuery = VariablesQuery.extend({
    revision: z.coerce
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ description: 'The revision the page shows: another one is answered `board`' }),
    lang: z.enum(['vi', 'en']).optional().openapi({ description: 'The panels’ language' }),
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/boards/{id}/live',
    tags: ['boards'],
    summary:
      'An open board’s panels as they change, as server-sent events (the board as GET /api/boards/{id} sees it, else 404; board.read and data.read): `hello` {board, revision, panels} once connected, then `panel` {panel, data: PanelData} whenever a value, weights, an alert or a task changes that panel’s figures (computed once for every open board of the same variables and scope), and `board` {id, revision | deleted} when the board was changed (reload it; the stream ends). Nothing is replayed: on reconnect, read the panels again. A comment line every 15 s keeps the connection open.',
    request: { params: BoardId, query: LiveBoardQuery },
    responses: {
      200: {
        description: 'An event stream',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...errorResponses,
    },
  });

  app.get('/api/boards/:id/live', async (c) => {
    const params = BoardId.safeParse({ id: c.req.param('id') });
    if (!params.success) throw validationError(params.error);
    const query = LiveBoardQuery.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error);
    const { id } = params.data;
    const q = query.data;
    const live = c.get('services').boardLive;
    const target = await live.prepare(actorOf(c), id, {
      unit: q.unit,
      period: q.period,
      revision: q.revision,
      en: q.lang ? q.lang === 'en' : wantsEnglish(c),
    });
    return sseResponse(c, (sink) => live.open(sink, target));
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/boards/{id}/export',
      tags: ['boards'],
      summary: 'The board as a self-contained JSON file (without its sharing), for import',
      request: { params: BoardId },
      responses: { 200: json(BoardFile, 'The board file'), ...errorResponses },
    }),
    async (c) =>
      c.json(await c.get('services').boards.exportFile(actorOf(c), c.req.valid('param').id), 200),
  );

  // The board as a PDF (issue 19): printed at the server, A4 landscape.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/boards/{id}/pdf',
    tags: ['boards'],
    summary:
      'The board printed on A4 landscape (the board as GET /api/boards/{id} sees it, else 404; board.read and data.read): its name, variables and the time of its figures, then each panel in the board’s order as GET …/panels/{panel}/data answers it for you, none split across pages; a panel that cannot be shown prints why',
    request: { params: BoardId, query: BoardPdfQuery },
    responses: {
      200: { description: 'The PDF', content: { 'application/pdf': { schema: z.string() } } },
      ...errorResponses,
    },
  });
  app.get('/api/boards/:id/pdf', async (c) => {
    const params = BoardId.safeParse({ id: c.req.param('id') });
    if (!params.success) throw validationError(params.error);
    const query = BoardPdfQuery.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error);
    const { lang, ...variables } = query.data;
    const file = await c.get('services').boardPdf.print(actorOf(c), params.data.id, variables, {
      en: lang ? lang === 'en' : wantsEnglish(c),
    });
    c.header('content-type', 'application/pdf');
    // RFC 6266: an ASCII name for old clients, the board's own name (RFC 5987) for the rest.
    c.header(
      'content-disposition',
      `attachment; filename="${file.asciiFilename}"; filename*=UTF-8''${rfc5987(file.filename)}`,
    );
    c.header('x-content-type-options', 'nosniff');
    c.header('cache-control', 'no-store');
    return c.body(new Uint8Array(file.bytes));
  });

  return app;
}
