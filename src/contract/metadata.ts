import { z } from '@hono/zod-openapi';
import {
  AttributeOptionInput,
  BreakdownInput,
  DataElementInput,
  DataSetInput,
  IndicatorInput,
  TargetInput,
  UnitGroupInput,
} from '../domain/metadata.ts';
import { MetadataWithRules } from '../domain/validation.ts';
import { listOf } from './common.ts';

/** Metadata (elements, indicators, targets, data sets…): Opsroom's document and DHIS2's import. */

export const MetadataCounts = z.object({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
});

export const MetadataSummary = z
  .object({
    breakdowns: MetadataCounts,
    attributeOptions: MetadataCounts,
    dataElements: MetadataCounts,
    indicators: MetadataCounts,
    targets: MetadataCounts,
    dataSets: MetadataCounts,
    unitGroups: MetadataCounts,
    validationRules: MetadataCounts,
    validationRuleGroups: MetadataCounts,
    citizenCategories: MetadataCounts,
  })
  .openapi('MetadataSummary');

export const MetadataDocumentSchema = MetadataWithRules;

/** Each kind of metadata (`/api/metadata/{kind}`): what POST takes, one object or a list. */
export const METADATA_KINDS = {
  breakdowns: BreakdownInput,
  attributeOptions: AttributeOptionInput,
  dataElements: DataElementInput,
  indicators: IndicatorInput,
  targets: TargetInput,
  dataSets: DataSetInput,
  unitGroups: UnitGroupInput,
} as const;

export type MetadataKind = keyof typeof METADATA_KINDS;

/** What `GET /api/metadata/{kind}` answers: the objects of that kind, as POST takes them. */
export const METADATA_LISTS = {
  breakdowns: listOf(BreakdownInput, 'BreakdownList'),
  attributeOptions: listOf(AttributeOptionInput, 'AttributeOptionList'),
  dataElements: listOf(DataElementInput, 'DataElementList'),
  indicators: listOf(IndicatorInput, 'IndicatorList'),
  targets: listOf(TargetInput, 'TargetList'),
  dataSets: listOf(DataSetInput, 'DataSetList'),
  unitGroups: listOf(UnitGroupInput, 'UnitGroupList'),
} satisfies Record<MetadataKind, unknown>;

export const Dhis2ImportStats = z.object({
  created: z.number(),
  updated: z.number(),
  deleted: z.number(),
  ignored: z.number(),
  total: z.number(),
});

export const Dhis2ErrorReport = z.object({
  message: z.string(),
  mainKlass: z.string(),
  mainId: z.string().optional(),
  errorCode: z.string().openapi({ example: 'E5002' }),
  errorProperty: z.string().optional(),
  errorProperties: z.array(z.string()),
  args: z.array(z.string()),
  value: z.string().optional(),
});

/** DHIS2's web message around its importReport. */
export const Dhis2ImportReport = z
  .object({
    httpStatus: z.string().openapi({ example: 'OK' }),
    httpStatusCode: z.number().openapi({ example: 200 }),
    status: z.enum(['OK', 'WARNING', 'ERROR']),
    message: z.string().optional(),
    response: z.object({
      responseType: z.literal('ImportReport'),
      status: z.enum(['OK', 'WARNING', 'ERROR']),
      stats: Dhis2ImportStats,
      typeReports: z.array(
        z.object({
          klass: z.string(),
          stats: Dhis2ImportStats,
          objectReports: z.array(
            z.object({
              klass: z.string(),
              index: z.number(),
              uid: z.string().optional(),
              displayName: z.string().optional(),
              errorReports: z.array(Dhis2ErrorReport),
            }),
          ),
        }),
      ),
    }),
  })
  .openapi('Dhis2ImportReport');

export const Dhis2MetadataParams = z.object({
  importStrategy: z.string().optional().openapi({
    description: "DHIS2's shape: CREATE_AND_UPDATE (default), CREATE or UPDATE",
  }),
  atomicMode: z.string().optional().openapi({
    description:
      "DHIS2's shape: ALL (default: one error and nothing is written) or NONE (what has no error is written)",
  }),
  importMode: z
    .string()
    .optional()
    .openapi({ description: "DHIS2's shape: COMMIT (default) or VALIDATE (as dryRun=true)" }),
  importReportMode: z.string().optional().openapi({
    description: "DHIS2's shape: ERRORS (default: object reports with errors only), FULL, DEBUG",
  }),
  version: z.string().max(20).optional().openapi({
    description: "DHIS2's shape: the hierarchy version the units go into (default: in force today)",
  }),
});

export const DryRunQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Check and count, change nothing' }),
});

export type MetadataSummary = z.infer<typeof MetadataSummary>;
export type Dhis2ImportReport = z.infer<typeof Dhis2ImportReport>;
