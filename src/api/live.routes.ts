import { ServerResponse } from 'node:http';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { streamSSE } from 'hono/streaming';
import type { Context } from 'hono';
import type { LiveConnection, LiveSink, OpenOptions } from '../live/hub.ts';
import { can } from '../domain/access.ts';
import { AppError, errors } from '../domain/errors.ts';
import { actorOf, type AppEnv } from './context.ts';
import { errorResponses } from './schemas.ts';
import { LiveQuery } from '../contract/live.ts';

const TOPIC = /^[a-z][a-z0-9_.-]{0,39}$/;
const MAX_TOPICS = 20;

function parseTopics(s: string | undefined): string[] | null {
  if (!s) return null;
  const topics = [
    ...new Set(
      s
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  const bad = topics.find((t) => !TOPIC.test(t));
  if (bad !== undefined || topics.length > MAX_TOPICS)
    throw new AppError(
      'validation_failed',
      {
        vi: `Chủ đề không hợp lệ "${bad ?? s}": dùng tối đa ${MAX_TOPICS} tên như data, alert, cách nhau bởi dấu phẩy`,
        en: `Invalid topic "${bad ?? s}": use up to ${MAX_TOPICS} names such as data, alert, separated by commas`,
      },
      { topics: s },
    );
  return topics.length ? topics : null;
}

function parseLastId(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new AppError(
      'validation_failed',
      {
        vi: `Mã sự kiện cuối "${s}" không hợp lệ: cần một số nguyên không âm`,
        en: `Invalid last event id "${s}": a non-negative integer is needed`,
      },
      { lastEventId: s },
    );
  return n;
}

/** Server-sent events: what changes, as it changes, within the caller's scope. */
export function liveRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/live',
    tags: ['live'],
    summary:
      'Live events as server-sent events: `hello` {lastId} once connected, then `data` (values changed: elements, periods, versions, count, by), `alert` (an alert opened, changed or resolved), `weights` (the shares of split communes changed: figures carried across the reform change; from, to, units), and `reset` when a reconnecting client missed more than can be replayed (refetch everything). Each event has an id; on reconnect the Last-Event-ID header (or ?lastEventId=) replays what was missed in the caller’s scope. A comment line every 15 s keeps the connection open.',
    request: { query: LiveQuery },
    responses: {
      200: {
        description: 'An event stream',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...errorResponses,
    },
  });

  app.get('/api/live', async (c) => {
    const actor = actorOf(c);
    if (!can(actor, 'data.read')) throw errors.forbidden('data.read');
    const topics = parseTopics(c.req.query('topics'));
    const lastEventId = parseLastId(c.req.header('last-event-id') ?? c.req.query('lastEventId'));
    const hub = c.get('services').live.hub;
    const opts: OpenOptions = { scope: actor.scope, topics, lastEventId };
    return sseResponse(c, (sink) => hub.open(sink, opts));
  });

  return app;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-content-type-options': 'nosniff',
  // Proxies (nginx) must pass events through as they come.
  'x-accel-buffering': 'no',
};

/**
 * An event stream answered with what `open` writes: on Node straight to the socket's response,
 * elsewhere (app.request in tests, other runtimes) through Hono's web stream. `open` gets the
 * sink and returns the connection, which ends the response when it is done; a client leaving
 * closes it. Shared by /api/live and a board's stream (/api/boards/{id}/live).
 */
export function sseResponse(c: Context<AppEnv>, open: (sink: LiveSink) => Promise<LiveConnection>) {
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (outgoing instanceof ServerResponse) return streamToNode(outgoing, open);
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    let queued = 0;
    const conn = await open({
      write: (chunk) => {
        queued += chunk.length;
        void stream.write(chunk).then(() => (queued -= chunk.length));
        return queued;
      },
    });
    stream.onAbort(() => conn.close());
    if (stream.aborted) conn.close();
    await conn.done;
  });
}

/**
 * On Node the frames go straight to the socket's response: a write is one buffer append, and a
 * connection costs the request and response objects only, not a web stream pipeline — what
 * lets one instance hold ten thousand screens. Node's request timeout does not apply once the
 * request is read, and the server's socket timeout is off, so an idle stream stays open.
 */
async function streamToNode(
  res: ServerResponse,
  open: (sink: LiveSink) => Promise<LiveConnection>,
) {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  let gone = false;
  let conn: LiveConnection | undefined;
  res.once('close', () => {
    gone = true;
    conn?.close();
  });
  try {
    conn = await open({
      write: (chunk) => {
        res.write(chunk);
        return res.writableLength;
      },
    });
  } catch (e) {
    console.error('live stream not opened', e);
    res.end();
    return alreadySent();
  }
  if (gone) conn.close();
  void conn.done.then(() => res.end());
  return alreadySent();
}

/**
 * Tells @hono/node-server the response is written. Its own object: created when the module
 * loads, before the server swaps in its lighter Response class, which it would write again.
 */
const alreadySent = () => RESPONSE_ALREADY_SENT;
