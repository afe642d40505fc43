import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { parseFlag } from '../domain/data-value.ts';
import { AppError } from '../domain/errors.ts';
import { textOf } from '../domain/text.ts';
import type { ValueChange, ValueKey } from '../services/data-value.single.ts';
import { actorOf, type AppEnv } from './context.ts';
import { Dhis2DataValue } from '../contract/data-value.ts';
import { ErrorResponse } from './schemas.ts';

/**
 * DHIS2's single data value, at /api/dataValues and /api/{version}/dataValues: GET one value,
 * POST one (query parameters as DHIS2 takes them, a form body, or the JSON body of DHIS2
 * 2.39+), DELETE one, and PUT /dataValues/followup. Answers as DHIS2's: 200 with the value,
 * 201 saved, 204 deleted, 409 refused (403 outside the caller's scope).
 */

const PATHS = ['/api/dataValues', '/api/:apiVersion{[0-9]{2}}/dataValues'];

const service = (c: Context<AppEnv>) => c.get('services').singleValues;

const text = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : textOf(v);

const flag = (v: unknown): boolean | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'boolean' ? v : parseFlag(textOf(v));

const required = (missing: string[]) =>
  new AppError(
    'conflict',
    {
      vi: `Thiếu tham số: ${missing.join(', ')}`,
      en: `Required parameters missing: ${missing.join(', ')}`,
    },
    { missing },
  );

/** DHIS2's key parameters (`de`, `pe`, `ou`, `co`, `aoc` or `cc` + `cp`) from a flat record. */
function keyOf(p: Record<string, unknown>): ValueKey {
  const key = {
    de: text(p.de) ?? '',
    pe: text(p.pe) ?? '',
    ou: text(p.ou) ?? '',
    co: text(p.co) || undefined,
    aoc: text(p.aoc) || undefined,
    cc: text(p.cc) || undefined,
    cp: text(p.cp)?.split(';').filter(Boolean),
  };
  const missing = (['de', 'pe', 'ou'] as const).filter((k) => !key[k]);
  if (missing.length) throw required(missing);
  return key;
}

/** The request's parameters, and a form body's fields over them. */
async function params(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...c.req.query() };
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(await c.req.text())) out[k] = v;
  }
  return out;
}

/** A JSON body, or undefined when there is none (DHIS2's client sends `{}` or nothing). */
async function jsonBody(c: Context<AppEnv>): Promise<Record<string, unknown> | undefined> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.includes('json')) return undefined;
  const raw = (await c.req.text()).trim();
  if (!raw) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    throw new AppError('bad_request', {
      vi: 'Nội dung JSON gửi lên không hợp lệ: sai cú pháp hoặc bị cắt cụt',
      en: 'Malformed JSON in the request body: a syntax error or cut short',
    });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new AppError('bad_request', {
      vi: 'Nội dung JSON phải là một đối tượng',
      en: 'The JSON body must be an object',
    });
  const body = doc as Record<string, unknown>;
  return Object.keys(body).length ? body : undefined;
}

/** DHIS2 2.39+'s JSON form of one value, read into the query form. */
function fromBody(b: Record<string, unknown>): Record<string, unknown> {
  const attribute = b.attribute as { combo?: unknown; options?: unknown } | undefined;
  return {
    de: b.dataElement,
    pe: b.period,
    ou: b.orgUnit,
    co: b.categoryOptionCombo,
    aoc: b.attributeOptionCombo,
    cc: attribute?.combo,
    cp: Array.isArray(attribute?.options) ? attribute.options.join(';') : undefined,
    value: b.value,
    comment: b.comment,
    followUp: b.followUp ?? b.followup,
  };
}

const changeOf = (p: Record<string, unknown>): ValueChange => ({
  value: text(p.value),
  comment: text(p.comment),
  followUp: flag(p.followUp ?? p.followup),
});

const keyParams = [
  { name: 'de', in: 'query' as const, required: true, schema: { type: 'string' as const } },
  { name: 'pe', in: 'query' as const, required: true, schema: { type: 'string' as const } },
  { name: 'ou', in: 'query' as const, required: true, schema: { type: 'string' as const } },
  { name: 'co', in: 'query' as const, schema: { type: 'string' as const } },
  { name: 'aoc', in: 'query' as const, schema: { type: 'string' as const } },
  { name: 'cc', in: 'query' as const, schema: { type: 'string' as const } },
  {
    name: 'cp',
    in: 'query' as const,
    schema: { type: 'string' as const },
    description: 'Category options of cc, separated by ;',
  },
];

const refused = {
  403: {
    description: 'Outside your scope, or not permitted',
    content: { 'application/json': { schema: ErrorResponse } },
  },
  409: {
    description:
      'Refused (DHIS2 web message): unknown element, unit or combo, locked period, bad value',
    content: { 'application/json': { schema: ErrorResponse } },
  },
};

export function dhis2DataValueRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  for (const path of PATHS) {
    app.get(path, async (c) => {
      const value = await service(c).get(actorOf(c), keyOf(c.req.query()));
      return c.json(value, 200);
    });
    app.post(path, async (c) => {
      const body = await jsonBody(c);
      const p = body ? fromBody(body) : await params(c);
      await service(c).save(actorOf(c), keyOf(p), changeOf(p));
      return c.body(null, 201);
    });
    app.delete(path, async (c) => {
      await service(c).remove(actorOf(c), keyOf(await params(c)));
      return c.body(null, 204);
    });
    app.put(`${path}/followup`, async (c) => {
      const body = (await jsonBody(c)) ?? {};
      const followup = flag(body.followup ?? body.followUp);
      if (followup === undefined) throw required(['followup']);
      await service(c).followUp(actorOf(c), keyOf(fromBody(body)), followup);
      return c.body(null, 200);
    });
  }

  /** A value's key in a JSON body (DHIS2 2.39+), without its attribute. */
  const valueKeyBody = {
    dataElement: z.string(),
    period: z.string(),
    orgUnit: z.string(),
    categoryOptionCombo: z.string().optional(),
  };
  for (const path of ['/api/dataValues', '/api/{apiVersion}/dataValues']) {
    const request = path.includes('apiVersion')
      ? { params: z.object({ apiVersion: z.string() }) }
      : {};
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      tags: ['data values'],
      summary: 'One data value, as DHIS2 answers it',
      request,
      parameters: keyParams,
      responses: {
        200: {
          description: 'The value',
          content: { 'application/json': { schema: Dhis2DataValue } },
        },
        ...refused,
      },
    });
    app.openAPIRegistry.registerPath({
      method: 'post',
      path,
      tags: ['data values'],
      summary:
        'Save one data value (query parameters de, pe, ou, co, cc, cp, value, comment, followUp; or the JSON body of DHIS2 2.39+), through the import’s rules',
      request: {
        ...request,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                ...valueKeyBody,
                attribute: z.object({ combo: z.string(), options: z.array(z.string()) }).optional(),
                value: z.string().optional(),
                comment: z.string().optional(),
                followUp: z.boolean().optional(),
              }),
            },
          },
        },
      },
      parameters: [
        ...keyParams.map((x) => ({ ...x, required: false })),
        { name: 'value', in: 'query' as const, schema: { type: 'string' as const } },
        { name: 'comment', in: 'query' as const, schema: { type: 'string' as const } },
        { name: 'followUp', in: 'query' as const, schema: { type: 'boolean' as const } },
      ],
      responses: { 201: { description: 'Saved' }, ...refused },
    });
    app.openAPIRegistry.registerPath({
      method: 'delete',
      path,
      tags: ['data values'],
      summary: 'Delete one data value (history kept, roll-ups moved)',
      request,
      parameters: keyParams,
      responses: { 204: { description: 'Deleted' }, ...refused },
    });
    app.openAPIRegistry.registerPath({
      method: 'put',
      path: `${path}/followup`,
      tags: ['data values'],
      summary: 'Mark a data value for follow-up, or unmark it',
      request: {
        ...request,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                ...valueKeyBody,
                attributeOptionCombo: z.string().optional(),
                followup: z.boolean(),
              }),
            },
          },
        },
      },
      responses: { 200: { description: 'Marked' }, ...refused },
    });
  }
  return app;
}
