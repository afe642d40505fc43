import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { errorResponses, json } from '../contract/common.ts';
import {
  DataEntryConflict,
  DataEntryDataSets,
  DataEntryForm,
  DataEntryFormQuery,
  DataEntrySave,
  DataEntrySaved,
} from '../contract/data-entry.ts';
import { actorOf, type AppEnv } from './context.ts';

export function dataEntryRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/dataEntry/dataSets',
      tags: ['data entry'],
      summary: 'The data sets you can enter data for, with the units of your scope at their level',
      responses: { 200: json(DataEntryDataSets, 'Data sets and units'), ...errorResponses },
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
      request: { query: DataEntryFormQuery },
      responses: { 200: json(DataEntryForm, 'The form'), ...errorResponses },
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
      request: {
        body: { content: { 'application/json': { schema: DataEntrySave } }, required: true },
      },
      responses: {
        200: json(DataEntrySaved, 'Saved; the form as stored now'),
        ...errorResponses,
        409: {
          description:
            'Nothing saved: import_conflicts with details.fields (EntryFieldProblem), or period_locked',
          content: { 'application/json': { schema: DataEntryConflict } },
        },
      },
    }),
    async (c) =>
      c.json(await c.get('services').dataEntry.save(actorOf(c), c.req.valid('json')), 200),
  );

  return app;
}
