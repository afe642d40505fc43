import { randomUUID } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { writeKeys, type IdempotencyRow, type WriteKey } from '../db/idempotency.repo.ts';
import type { Actor } from '../domain/access.ts';
import {
  BodyFingerprint,
  IdempotencyService,
  keyReused,
  keyTaken,
} from '../services/idempotency.service.ts';
import type { Services } from '../services/index.ts';
import { presentFile } from '../services/task.service.ts';
import { actorOf, type AppEnv } from './context.ts';
import { presentError } from './errors.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** Seconds a caller is told to wait while the first request with its key is still served. */
const RETRY_AFTER = 2;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The caller of a public write: the audit actor `citizen` / `public` (citizen-report.service). */
const PUBLIC_CALLER = 'citizen:public';

/**
 * The answer of a write whose key was applied but whose answer was never stored (the server
 * stopped between the commit and the answer): the entity read again and presented as its route
 * presents it, for the writes a client most needs the result of.
 */
const REREAD: Record<
  string,
  (s: Services, actor: Actor, id: number) => Promise<{ status: number; body: unknown }>
> = {
  'directive.issue': async (s, actor, id) => {
    const directive = await s.directives.get(actor, id);
    return { status: 201, body: { directive, taskCount: directive.taskCount } };
  },
  'task.create': async (s, actor, id) => ({ status: 201, body: await s.tasks.get(actor, id) }),
  'attachment.upload': async (s, actor, id) => ({
    status: 201,
    body: presentFile((await s.tasks.download(actor, id)).file),
  }),
};

/** A test-only switch: `exit-after-commit:<audit action>` kills the process in that window. */
const FAULT = process.env.OPSROOM_FAULT;

/**
 * `Idempotency-Key` on every write under /api (sign-in aside): the same caller, key, method,
 * path and body answer the first answer (`Idempotent-Replayed: true`) and apply once, for a
 * day; the same key with another request is refused (422), and while the first is still being
 * served a second gets 409 with Retry-After. The key is recorded in the write's own
 * transaction by its audit row (db/idempotency.repo.ts), so a crash after the commit cannot
 * lead to a second application; the answer is stored after the handler returns. Requests that
 * applied nothing (refused, dry runs, reads sent as POST) store nothing and may be retried.
 */
export function idempotency(
  opts: { isPublic?: (path: string) => boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined || !WRITES.has(c.req.method) || c.req.path.startsWith('/api/auth/'))
      return next();
    const svc = c.get('services').idempotency;
    svc.checkKey(key);
    // The public routes (a citizen's report) write as the one caller the audit log names
    // `citizen:public`, signed in or not; elsewhere a caller without an account gets 401.
    const publicRoute = opts.isPublic?.(c.req.path) ?? false;
    if (!c.get('actor') && !publicRoute) return next();
    const actor = publicRoute ? undefined : actorOf(c);
    const who = actor ? `${actor.kind}:${actor.id}` : PUBLIC_CALLER;
    const url = new URL(c.req.url);
    const path = url.pathname + url.search;
    if (!svc.begin(who, key)) return busy(c);
    try {
      await svc.pruneIfDue();
      const body = fingerprinted(c);
      const existing = await svc.find(who, key);
      if (existing) {
        const request = { method: c.req.method, path, fingerprint: await body.whole() };
        if (!svc.matches(existing, request)) throw keyReused(existing);
        return await replay(c, svc, actor, existing);
      }
      const k: WriteKey = {
        actor: who,
        key,
        attempt: randomUUID(),
        method: c.req.method,
        path,
        keepSeconds: svc.keepSeconds,
        fingerprint: () => body.whole(),
        open: true,
        marked: new WeakSet(),
      };
      try {
        await writeKeys.run(k, next);
      } finally {
        k.open = false;
      }
      if (k.lost) {
        // Another request (on another instance) applied the key first: answer as a retry would.
        const row = await svc.find(who, key);
        const request = { method: k.method, path, fingerprint: await body.whole() };
        c.res = undefined; // replaces the handler's answer rather than merging into it
        c.res = !row
          ? busy(c)
          : !svc.matches(row, request)
            ? presentError(c, keyReused(row))
            : await replay(c, svc, actor, row);
        return;
      }
      if (!k.applied || c.res.status >= 500) return;
      if (FAULT === `exit-after-commit:${k.applied.action}`) {
        const row = await svc.find(who, key);
        if (row?.attempt === k.attempt) process.kill(process.pid, 'SIGKILL');
      }
      const res = c.res.clone();
      await svc.store(who, key, k.attempt, {
        status: res.status,
        contentType: res.headers.get('content-type'),
        body: new Uint8Array(await res.arrayBuffer()),
      });
    } finally {
      svc.end(who, key);
    }
  };
}

function busy(c: Context<AppEnv>) {
  const res = presentError(c, keyTaken());
  res.headers.set('retry-after', String(RETRY_AFTER));
  return res;
}

/** The stored answer, or the entity read again, or (last) a plain note of what was applied. */
async function replay(
  c: Context<AppEnv>,
  svc: IdempotencyService,
  actor: Actor | undefined,
  row: NonNullable<IdempotencyRow>,
): Promise<Response> {
  if (row.status !== null && row.response) {
    const headers = new Headers({ [REPLAYED_HEADER]: 'true' });
    if (row.content_type) headers.set('content-type', row.content_type);
    return new Response(new Uint8Array(row.response), { status: row.status, headers });
  }
  const reread = REREAD[row.action];
  const id = Number(row.entity_id);
  let answer: { status: number; body: unknown } | undefined;
  if (reread && actor && Number.isSafeInteger(id)) {
    answer = await reread(c.get('services'), actor, id).catch(() => undefined);
    if (answer) {
      // From now on the same answer, whatever happens to the entity later.
      const bytes = new TextEncoder().encode(JSON.stringify(answer.body));
      await svc.store(row.actor, row.key, row.attempt, {
        status: answer.status,
        contentType: 'application/json',
        body: bytes,
      });
    }
  }
  answer ??= {
    status: 200,
    body: {
      applied: true,
      action: row.action,
      entity: { type: row.entity_type, id: row.entity_id },
      appliedAt: new Date(row.applied_at).toISOString(),
    },
  };
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { 'content-type': 'application/json', [REPLAYED_HEADER]: 'true' },
  });
}

/**
 * Puts a hashing stream in front of the request body: the fingerprint is computed as the
 * handler reads (an import of hundreds of MB is never held). `whole()` reads what the handler
 * left unread; a body another reader holds half read gives a `partial:` fingerprint.
 */
function fingerprinted(c: Context<AppEnv>) {
  const raw = c.req.raw;
  const fp = new BodyFingerprint(c.req.header('content-type'));
  if (!raw.body) {
    fp.finish();
    return { whole: () => Promise.resolve(fp.finish()) };
  }
  let source: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      source ??= raw.body!.getReader();
      const { done, value } = await source.read();
      if (done) {
        fp.finish();
        ctrl.close();
      } else {
        fp.update(value);
        ctrl.enqueue(value);
      }
    },
    cancel: (reason) => (source ?? raw.body!).cancel(reason),
  });
  c.req.raw = new Request(raw.url, {
    method: raw.method,
    headers: raw.headers,
    body: stream,
    signal: raw.signal,
    duplex: 'half',
  } as RequestInit);
  return {
    whole: async () => {
      if (fp.finished) return fp.finish();
      if (stream.locked) return fp.partial();
      const reader = stream.getReader();
      while (!(await reader.read()).done);
      return fp.finish();
    },
  };
}

/**
 * The header as a shared parameter of every write operation in the OpenAPI document: called
 * once every route is registered.
 */
export function documentIdempotency(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('parameters', 'IdempotencyKey', {
    name: IDEMPOTENCY_HEADER,
    in: 'header',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: 255 },
    description:
      'Any unique string (a UUID) chosen by the client for one write. Sent again with the same ' +
      'method, path and body within 24 hours, the first answer is returned (header ' +
      '`Idempotent-Replayed: true`) and nothing is applied twice; with another request it is ' +
      'refused (422 `idempotency_key_reused`); while the first is still being served, 409 ' +
      '`idempotency_in_progress` with Retry-After. Keys are per caller.',
  });
  const ref = { $ref: '#/components/parameters/IdempotencyKey' };
  for (const d of app.openAPIRegistry.definitions) {
    if (d.type !== 'route' || !WRITES.has(d.route.method.toUpperCase())) continue;
    if (d.route.path.startsWith('/api/auth/')) continue;
    d.route.parameters = [...(d.route.parameters ?? []), ref] as typeof d.route.parameters;
  }
}
