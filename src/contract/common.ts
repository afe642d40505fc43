import { z } from '@hono/zod-openapi';
import { VERSION_ID } from '../domain/hierarchy.ts';
import { ERROR_CODES } from './errors.ts';

/** Shapes shared by several routes; each one validates, types and documents. */

/** Free text: control characters, NUL and lone surrogates refused with a 400 (see text-hygiene). */
export { multilineText, plainText } from '../domain/text-hygiene.ts';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).openapi({ example: 'out_of_scope' }),
      message: z.string(),
      messages: z.object({ vi: z.string(), en: z.string() }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const VersionParam = z.string().regex(VERSION_ID).optional().openapi({
  description: 'Hierarchy version: 2022, 2025-03 or 2025; default the tree in force today',
  example: '2025',
});

/** `{id}` in a path: a whole number. */
export const IdPathParam = z.object({
  id: z.coerce
    .number()
    .int()
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const AtParam = z.iso.date().optional().openapi({
  description: 'Date for names and types (renames take effect on their date); default today',
});

/** The name a unit search matched when it was not the unit's own: a later or a former one. */
export const MatchedName = z.object({
  name: z.string(),
  source: z.enum(['renamed', 'former']),
  code: z.string().nullable(),
  version: z.string().nullable(),
});

export const UnitBrief = z
  .object({
    code: z.string(),
    level: z.number(),
    name: z.string(),
    fullName: z.string(),
    type: z.string(),
  })
  .openapi('UnitBrief');

export const OrgUnit = z
  .object({
    version: z.string(),
    code: z.string().openapi({ example: '26740' }),
    level: z.number().openapi({
      description: '0 nation, 1 province, 2 district (before 2025) or commune, 3 commune',
    }),
    kind: z.string(),
    type: z.string(),
    name: z.string(),
    fullName: z.string().openapi({ example: 'Phường Bến Nghé' }),
    nameEn: z.string().nullable(),
    parentCode: z.string().nullable(),
    path: z.string(),
    uid: z.string().optional().openapi({
      description: "A DHIS2 uid, when the unit has one (an added unit's code is its uid)",
    }),
    origin: z
      .literal('added')
      .optional()
      .openapi({ description: 'Only on units a metadata import added' }),
    sourceCode: z
      .string()
      .optional()
      .openapi({ description: "An added unit's code in its source (DHIS2's free-text code)" }),
    renamedBy: z.object({ decree: z.string(), effective: z.string() }).optional(),
    ancestors: z.array(UnitBrief).openapi({ description: 'From the nation down to the parent' }),
    childCount: z
      .number()
      .optional()
      .openapi({ description: 'In lists: how many units sit directly under it' }),
    matchedName: MatchedName.optional().openapi({
      description:
        'When a search matched a name the unit carried before (e.g. "formerly Bến Nghé")',
    }),
  })
  .openapi('OrgUnit');

export const OrgUnitList = z
  .object({ version: z.string(), total: z.number(), items: z.array(OrgUnit) })
  .openapi('OrgUnitList');

/** A list answer, `{ items: [...] }`, named `name` in the OpenAPI document. */
export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item) }).openapi(name);

export const Paging = {
  limit: z.coerce.number().int().min(1).max(20000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

/** DHIS2's counts of an import (domain/data-value.ts `ImportCount`). */
export const ImportCountSchema = z
  .object({
    imported: z.number(),
    updated: z.number(),
    ignored: z.number(),
    deleted: z.number(),
  })
  .openapi('ImportCount');

export const errorResponses = {
  400: {
    description: 'Invalid request',
    content: { 'application/json': { schema: ErrorResponse } },
  },
  401: { description: 'Not signed in', content: { 'application/json': { schema: ErrorResponse } } },
  403: {
    description: 'Outside your scope or not allowed for your role',
    content: { 'application/json': { schema: ErrorResponse } },
  },
  404: {
    description: 'Unknown unit or version',
    content: { 'application/json': { schema: ErrorResponse } },
  },
} as const;

/** A public route's rate limit (domain/public-limits.ts): `rate_limited`, wait Retry-After. */
export const rateLimitedResponse = {
  description:
    'Too many requests from this address (or for this phone): `rate_limited`; wait `Retry-After` seconds',
  headers: { 'Retry-After': { schema: { type: 'integer' as const } } },
  content: { 'application/json': { schema: ErrorResponse } },
};

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/**
 * An error on DHIS2's routes (api/errors.ts `webMessage`): DHIS2's web message, with Opsroom's
 * `error` object beside it.
 */
export const Dhis2ErrorResponse = ErrorResponse.extend({
  httpStatus: z.string(),
  httpStatusCode: z.number(),
  status: z.literal('ERROR'),
  message: z.string(),
  errorCode: z.string().optional(),
}).openapi('Dhis2Error');

export type ErrorResponse = z.infer<typeof ErrorResponse>;
export type Dhis2ErrorResponse = z.infer<typeof Dhis2ErrorResponse>;
export type UnitBrief = z.infer<typeof UnitBrief>;
export type OrgUnit = z.infer<typeof OrgUnit>;
export type OrgUnitList = z.infer<typeof OrgUnitList>;
export type ImportCount = z.infer<typeof ImportCountSchema>;
