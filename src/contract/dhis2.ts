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
      conflicts: z.array(
        z.object({
          object: z.string(),
          objects: z.record(z.string(), z.string()),
          value: z.string(),
          errorCode: z.string(),
          property: z.string(),
          indexes: z.array(z.number()),
        }),
      ),
      rejectedIndexes: z.array(z.number()),
      importOptions: z.object({
        dryRun: z.boolean(),
        importStrategy: z.enum(['CREATE', 'UPDATE', 'CREATE_AND_UPDATE', 'DELETE']),
      }),
    }),
  })
  .openapi('RegistrationImportSummary');

export type RegistrationImportSummary = z.infer<typeof RegistrationImportSummary>;
