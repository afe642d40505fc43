import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { VALUE_TYPES } from '../domain/metadata.ts';
import { ALL_PERIOD_TYPES } from '../domain/period.ts';
import { actorOf, type AppEnv } from './context.ts';
import { ErrorResponse, errorResponses, ImportCountSchema, json, plainText } from './schemas.ts';

const Msg = z.object({ vi: z.string(), en: z.string() });
const PeriodTypeEnum = z.enum(ALL_PERIOD_TYPES);

const DataSetBrief = z.object({
  code: z.string().openapi({ example: 'COMMUNE_DAILY_2025' }),
  nameVi: z.string(),
  nameEn: z.string(),
  periodType: PeriodTypeEnum,
  version: z.string(),
  level: z.number(),
  dueDays: z.number(),
  expiryDays: z.number(),
});

const EntryDataSets = z
  .object({
    today: z.string().openapi({ description: 'Today in Viet Nam, YYYY-MM-DD' }),
    items: z.array(
      DataSetBrief.extend({
        elementCount: z.number(),
        unitsTotal: z.number().openapi({
          description: 'Units of your scope at the data set’s level (more than listed: search)',
        }),
        units: z.array(z.object({ code: z.string(), name: z.string(), fullName: z.string() })),
      }),
    ),
  })
  .openapi('DataEntryDataSets');

const Field = z.object({
  key: z.string().openapi({
    description: 'The element code, or ELEMENT.OPTION for one option of a breakdown',
    example: 'TESTS_DONE',
  }),
  dataElement: z.string(),
  categoryOptionCombo: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  optionVi: z.string().nullable(),
  optionEn: z.string().nullable(),
  valueType: z.enum(VALUE_TYPES),
  min: z.number().nullable().openapi({ description: 'Smallest value accepted (0: not negative)' }),
  max: z.number().nullable().openapi({ description: 'Largest value accepted' }),
  unit: z.string().nullable(),
  description: z.string().nullable(),
  value: z.string().nullable(),
  comment: z.string().nullable(),
  storedBy: z.string().nullable(),
  lastUpdated: z.string().nullable(),
});

const EntryForm = z
  .object({
    dataSet: DataSetBrief,
    period: z.object({
      id: z.string().openapi({ example: '2026-11-22' }),
      type: PeriodTypeEnum,
      start: z.string(),
      end: z.string(),
      labelVi: z.string().openapi({ example: 'ngày 22/11/2026' }),
      labelEn: z.string(),
      dueDate: z.string(),
      pastDue: z.boolean(),
      locked: z.boolean(),
      lockedReason: Msg.nullable(),
      previous: z.string().nullable(),
      next: z.string().nullable(),
    }),
    orgUnit: z.object({
      code: z.string(),
      name: z.string(),
      fullName: z.string(),
      level: z.number(),
      version: z.string(),
      parents: z.array(z.object({ code: z.string(), fullName: z.string() })),
    }),
    editable: z.boolean(),
    fields: z.array(Field),
    filled: z.number(),
  })
  .openapi('DataEntryForm');

const FormQuery = z.object({
  dataSet: plainText().min(1).openapi({ example: 'COMMUNE_DAILY_2025' }),
  orgUnit: plainText().min(1).openapi({ description: 'Unit code in the data set’s tree' }),
  period: plainText()
    .min(1)
    .openapi({ description: 'Period id of the data set’s type', example: '2026-11-22' }),
});

const SaveBody = FormQuery.extend({
  values: z
    .record(z.string(), z.string().max(50_000))
    .openapi({ description: 'By field key; an empty string removes the stored value' }),
  comments: z
    .record(z.string(), z.string().max(5_000))
    .optional()
    .openapi({ description: 'By field key; a field left out keeps its stored comment' }),
}).openapi('DataEntrySave');

const Saved = z
  .object({
    status: z.literal('SUCCESS'),
    saved: z.number(),
    importCount: ImportCountSchema,
    message: Msg,
    form: EntryForm,
  })
  .openapi('DataEntrySaved');

export function dataEntryRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/dataEntry/dataSets',
      tags: ['data entry'],
      summary: 'The data sets you can enter data for, with the units of your scope at their level',
      responses: { 200: json(EntryDataSets, 'Data sets and units'), ...errorResponses },
    }),
    async (c) => c.json(await c.get('services').dataEntry.dataSets(actorOf(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/dataEntry/form',
      tags: ['data entry'],
      summary:
        'The entry form of a data set for one unit and period: fields with labels, types and stored values',
      request: { query: FormQuery },
      responses: { 200: json(EntryForm, 'The form'), ...errorResponses },
    }),
    async (c) =>
      c.json(await c.get('services').dataEntry.form(actorOf(c), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/dataEntry/form',
      tags: ['data entry'],
      summary:
        'Save a form’s values, all or nothing; problems come back per field (details.fields) in Vietnamese and English',
      request: { body: { content: { 'application/json': { schema: SaveBody } }, required: true } },
      responses: {
        200: json(Saved, 'Saved; the form as stored now'),
        ...errorResponses,
        409: {
          description:
            'Nothing saved: import_conflicts with details.fields [{key, value, errorCode, vi, en}], or period_locked',
          content: { 'application/json': { schema: ErrorResponse } },
        },
      },
    }),
    async (c) =>
      c.json(await c.get('services').dataEntry.save(actorOf(c), c.req.valid('json')), 200),
  );

  return app;
}
