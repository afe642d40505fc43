import { isDeepStrictEqual } from 'node:util';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from '@hono/zod-openapi';
import { Dhis2ErrorResponse, ErrorResponse } from '../contract/common.ts';
import { isDhis2Route, routedPath } from '../api/errors.ts';

/**
 * The drift check (issue 15): every JSON answer the API tests receive is parsed with the
 * response schema its route declares for that status, and must come out of the parse unchanged.
 * Zod drops keys a schema does not name, so a field the server sends but the contract does
 * not declare is a difference, as is a field of the wrong type. A loose object (`z.looseObject`,
 * DHIS2's open shapes) keeps its extra keys through the parse, so they pass: only the fields it
 * names are checked.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyApp = OpenAPIHono<any, any, any>;

interface DeclaredRoute {
  method: string;
  /** As documented: `/api/orgunits/{code}`. */
  path: string;
  pattern: RegExp;
  /** Path parameters: fewer means a more specific route (`/api/orgunits/import` first). */
  params: number;
  /** Status → the JSON schema declared for it, or null when the status has no JSON body. */
  responses: Map<number, z.ZodType | null>;
}

const routesOf = new WeakMap<AnyApp, DeclaredRoute[]>();

function isZod(schema: unknown): schema is z.ZodType {
  return typeof (schema as { safeParse?: unknown } | null)?.safeParse === 'function';
}

/** The routes documented in the app's OpenAPI registry, most specific first. */
export function declaredRoutes(app: AnyApp): DeclaredRoute[] {
  const known = routesOf.get(app);
  if (known) return known;
  const routes: DeclaredRoute[] = [];
  for (const d of app.openAPIRegistry.definitions) {
    if (d.type !== 'route') continue;
    const { method, path } = d.route;
    const names: string[] = [];
    const source = path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        if (!/^\{[^}]+\}$/.test(part)) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(part);
        return '[^/]+';
      })
      .join('');
    const responses = new Map<number, z.ZodType | null>();
    for (const [status, response] of Object.entries(d.route.responses ?? {})) {
      const content = (response as { content?: Record<string, { schema?: unknown }> }).content;
      const schema = content?.['application/json']?.schema;
      responses.set(Number(status), isZod(schema) ? schema : null);
    }
    routes.push({
      method: method.toUpperCase(),
      path,
      pattern: new RegExp(`^${source}$`),
      params: names.length,
      responses,
    });
  }
  routes.sort((a, b) => a.params - b.params);
  routesOf.set(app, routes);
  return routes;
}

/** The documented route a request reaches (DHIS2's `.json` suffix read as the bare path). */
export function routeFor(app: AnyApp, method: string, url: string): DeclaredRoute | undefined {
  const path = routedPath(method, new URL(url, 'http://x').pathname);
  const m = method.toUpperCase();
  return declaredRoutes(app).find((r) => r.method === m && r.pattern.test(path));
}

/**
 * Where `received` and the schema's parse of it differ: `[]` when the response is exactly
 * what the contract says. Extra keys are named by their path (`items[0].secret`).
 */
export function contractProblems(schema: z.ZodType, received: unknown): string[] {
  const parsed = schema.safeParse(received);
  if (!parsed.success)
    return parsed.error.issues.map(
      (i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`,
    );
  const problems: string[] = [];
  diff(received, parsed.data, '', problems);
  return problems;
}

function diff(sent: unknown, kept: unknown, at: string, out: string[]) {
  if (out.length >= 20 || isDeepStrictEqual(sent, kept)) return;
  if (Array.isArray(sent) && Array.isArray(kept) && sent.length === kept.length) {
    sent.forEach((v, i) => diff(v, kept[i], `${at}[${i}]`, out));
    return;
  }
  if (isRecord(sent) && isRecord(kept)) {
    for (const key of Object.keys(sent)) {
      const path = at ? `${at}.${key}` : key;
      if (!(key in kept)) out.push(`${path}: sent but not in the contract`);
      else diff(sent[key], kept[key], path, out);
    }
    for (const key of Object.keys(kept))
      if (!(key in sent)) out.push(`${at ? `${at}.${key}` : key}: added by the contract's parse`);
    return;
  }
  out.push(
    `${at || '(body)'}: sent ${JSON.stringify(sent)}, the contract reads it as ${JSON.stringify(kept)}`,
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON answers of routes that declare no JSON schema for their status (see contract.test.ts). */
export const undeclared = new Set<string>();

/**
 * Checks one JSON answer against its route's contract; throws an Error naming the route, the
 * status and the differences. Errors are checked against the one error shape (DHIS2's web
 * message beside it on DHIS2's routes) whatever the route declares.
 */
export function checkResponse(
  app: AnyApp,
  method: string,
  url: string,
  status: number,
  body: unknown,
): void {
  const path = new URL(url, 'http://x').pathname;
  if (!path.startsWith('/api/')) return;
  const route = routeFor(app, method, url);
  const name = `${method.toUpperCase()} ${route?.path ?? path}`;
  // An error is the one error shape (DHIS2's web message beside it on DHIS2's routes), unless
  // the route declares its own answer for that status (an import's summary with 409).
  const dhis2 = isDhis2Route(method, routedPath(method, path));
  let schema = route?.responses.get(status);
  if (status >= 400 && (!schema || schema === ErrorResponse))
    schema = dhis2 ? Dhis2ErrorResponse : ErrorResponse;
  if (!schema) {
    undeclared.add(`${name} ${status}`);
    return;
  }
  const problems = contractProblems(schema, body);
  if (problems.length)
    throw new Error(
      `Response of ${name} (${status}) drifts from its contract:\n  ${problems.join('\n  ')}`,
    );
}
