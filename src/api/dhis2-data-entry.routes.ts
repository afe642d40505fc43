import { OpenAPIHono } from '@hono/zod-openapi';
import { json } from '../contract/common.ts';
import { Dhis2DataEntryMetadata } from '../contract/dhis2.ts';
import { dataEntryMetadata } from '../services/dhis2-data-entry.service.ts';
import { actorOf, type AppEnv } from './context.ts';
import { DHIS2_BASES, dhis2Metadata } from './dhis2-metadata.routes.ts';
import { dhis2Language } from './errors.ts';

/** DHIS2's `GET /api/dataEntry/metadata`, at /api and /api/{version} (`.json` too, app.ts). */
export function dhis2DataEntryRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  for (const base of DHIS2_BASES)
    app.get(`${base}/dataEntry/metadata`, async (c) => {
      const doc = await dataEntryMetadata(dhis2Metadata(c), actorOf(c), dhis2Language(c));
      return c.json(doc, 200);
    });

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/dataEntry/metadata',
    tags: ['DHIS2'],
    summary:
      'DHIS2: the Data Entry app’s metadata — the data sets the caller may enter data for (a unit assigned to it, or of its level, in scope), their elements, category combos, categories and options (also /api/{version}/dataEntry/metadata and .json; needs data.write)',
    responses: {
      200: json(
        Dhis2DataEntryMetadata,
        '{dataSets, dataElements, indicators, categoryCombos, categories, categoryOptions, categoryOptionCombos, optionSets}',
      ),
      403: { description: 'Without data.write (E1006)' },
    },
  });
  return app;
}
