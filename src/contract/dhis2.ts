import { z } from '@hono/zod-openapi';
import { ImportCountSchema } from './common.ts';

/** DHIS2's Web API: shapes of its answers (open: DHIS2's clients read what they know). */

export const Registration = z.object({
  dataSet: z.string(),
  period: z.string(),
  organisationUnit: z.string(),
  attributeOptionCombo: z.string(),
  date: z.string(),
  storedBy: z.string(),
  completed: z.boolean(),
  lastUpdatedBy: z.string(),
  lastUpdated: z.string(),
});

/** One conflict of DHIS2's import summary: the rows that failed for one reason and one object. */
export const Dhis2Conflict = z.object({
  object: z.string(),
  objects: z.record(z.string(), z.string()),
  value: z.string(),
  errorCode: z.string(),
  property: z.string(),
  indexes: z.array(z.number()),
});

export const RegistrationImportSummary = z
  .object({
    httpStatus: z.string(),
    httpStatusCode: z.number(),
    status: z.string(),
    message: z.string(),
    response: z.object({
      responseType: z.literal('ImportSummary'),
      status: z.enum(['SUCCESS', 'WARNING', 'ERROR']),
      description: z.string(),
      importCount: ImportCountSchema,
      conflicts: z.array(Dhis2Conflict),
      rejectedIndexes: z.array(z.number()),
      importOptions: z.object({
        dryRun: z.boolean(),
        importStrategy: z.enum(['CREATE', 'UPDATE', 'CREATE_AND_UPDATE', 'DELETE']),
      }),
    }),
  })
  .openapi('RegistrationImportSummary');

export type Registration = z.infer<typeof Registration>;
export type RegistrationImportSummary = z.infer<typeof RegistrationImportSummary>;

/*
 * DHIS2's reads (issue 15). Their shapes are open: `fields=` picks, renames and nests what an
 * answer holds, and DHIS2's clients read what they know. So each is a loose object: the fields
 * always there are typed, the rest pass through (the drift check accepts a loose object's extra
 * keys, src/test/contract-check.ts). Where `fields=` may leave a field out, it is optional.
 */

/** The query of DHIS2's metadata lists (`GET /api/{resource}`). */
export const Dhis2ListQuery = z.object({
  fields: z.string().optional().openapi({
    description: 'DHIS2 fields: id,name,children[id,name], *, :all, !code, name~rename(x)',
  }),
  filter: z.array(z.string()).optional().openapi({
    description:
      'property:operator:value, e.g. name:ilike:hà, level:eq:2, id:in:[a,b], parent.id:eq:x; ANDed unless rootJunction=OR',
  }),
  rootJunction: z.enum(['AND', 'OR']).optional(),
  order: z.string().optional().openapi({ description: 'name:asc, level:desc, name:iasc' }),
  paging: z.enum(['true', 'false']).optional(),
  page: z.string().optional(),
  pageSize: z.string().optional(),
  query: z.string().optional(),
  defaults: z.enum(['INCLUDE', 'EXCLUDE']).optional(),
});

/** One DHIS2 metadata object as `fields=` shapes it (the default fields name it by uid). */
export const Dhis2Object = z
  .looseObject({
    id: z.string().optional(),
    name: z.string().optional(),
    displayName: z.string().optional(),
  })
  .openapi('Dhis2Object');

/** DHIS2's pager, with its links to the next and previous pages when there are some. */
export const Dhis2Pager = z
  .object({
    page: z.number(),
    total: z.number(),
    pageSize: z.number(),
    pageCount: z.number(),
    nextPage: z.string().optional(),
    prevPage: z.string().optional(),
  })
  .openapi('Dhis2Pager');

/** `GET /api/{resource}`: `{pager, <resource>: [...]}` (no pager with paging=false). */
export const dhis2List = (resource: string) =>
  z
    .looseObject({ pager: Dhis2Pager.optional(), [resource]: z.array(Dhis2Object) })
    .openapi(`Dhis2${resource[0]!.toUpperCase()}${resource.slice(1)}List`);

/** `GET /api/periodTypes`: the period types, `fields=` applied. */
export const Dhis2PeriodTypes = z
  .object({
    periodTypes: z.array(
      z.looseObject({
        name: z.string().optional(),
        isoDuration: z.string().optional(),
        isoFormat: z.string().optional(),
        frequencyOrder: z.number().optional(),
      }),
    ),
  })
  .openapi('Dhis2PeriodTypes');

/** `GET /api/me`: the caller as DHIS2 describes a user (`fields=` applies). */
export const Dhis2Me = z
  .looseObject({
    id: z.string().optional(),
    username: z.string().optional(),
    name: z.string().optional(),
    displayName: z.string().optional(),
  })
  .openapi('Dhis2Me');

/** `GET /api/system/info`: fixed fields, `opsroom` saying it is Opsroom. */
export const Dhis2SystemInfo = z
  .looseObject({
    contextPath: z.string(),
    userAgent: z.string(),
    calendar: z.string(),
    dateFormat: z.string(),
    serverDate: z.string(),
    serverTimeZoneId: z.string(),
    serverTimeZoneDisplayName: z.string(),
    lastAnalyticsTableSuccess: z.string(),
    intervalSinceLastAnalyticsTableSuccess: z.string(),
    version: z.string(),
    revision: z.string(),
    systemName: z.string(),
    instanceBaseUrl: z.string(),
    emailConfigured: z.boolean(),
    redisEnabled: z.boolean(),
    isMetadataVersionEnabled: z.boolean(),
    metadataSyncEnabled: z.boolean(),
    opsroom: z.object({ version: z.string(), engine: z.string(), note: z.string() }),
  })
  .openapi('Dhis2SystemInfo');

/** `GET /api/dataEntry/metadata`: what the Data Entry app reads, every list always there. */
export const Dhis2DataEntryMetadata = z
  .looseObject({
    dataSets: z.array(Dhis2Object),
    dataElements: z.array(Dhis2Object),
    indicators: z.array(Dhis2Object),
    categoryCombos: z.array(Dhis2Object),
    categories: z.array(Dhis2Object),
    categoryOptions: z.array(Dhis2Object),
    categoryOptionCombos: z.array(Dhis2Object),
    optionSets: z.array(Dhis2Object),
  })
  .openapi('Dhis2DataEntryMetadata');

/** A column of DHIS2's analytics grid. */
export const Dhis2GridHeader = z
  .looseObject({
    name: z.string(),
    column: z.string(),
    valueType: z.string(),
    type: z.string(),
    hidden: z.boolean(),
    meta: z.boolean(),
  })
  .openapi('Dhis2GridHeader');

/** `GET /api/analytics` and `/api/analytics/rawData`: DHIS2's grid (values as strings). */
export const Dhis2Grid = z
  .looseObject({
    headers: z.array(Dhis2GridHeader),
    metaData: z.looseObject({
      items: z.record(z.string(), z.looseObject({ name: z.string() })),
      dimensions: z.record(z.string(), z.array(z.string())),
    }),
    rows: z.array(z.array(z.string().nullable())),
    height: z.number(),
    width: z.number(),
    headerWidth: z.number(),
  })
  .openapi('Dhis2Grid');

/** `GET /api/analytics/dataValueSet`: the aggregated answer as a data value set. */
export const Dhis2AnalyticsDataValueSet = z
  .object({
    dataValues: z.array(
      z.object({
        dataElement: z.string(),
        period: z.string(),
        orgUnit: z.string(),
        categoryOptionCombo: z.string().optional(),
        value: z.string(),
      }),
    ),
  })
  .openapi('Dhis2AnalyticsDataValueSet');

export type Dhis2Object = z.infer<typeof Dhis2Object>;
export type Dhis2Grid = z.infer<typeof Dhis2Grid>;
