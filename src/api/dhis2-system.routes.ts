import { readFileSync } from 'node:fs';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { json } from '../contract/common.ts';
import { Dhis2Me, Dhis2SystemInfo } from '../contract/dhis2.ts';
import { actorOf, type AppEnv } from './context.ts';
import { DHIS2_BASES, dhis2Metadata, paramsOf } from './dhis2-metadata.routes.ts';
import { dhis2Language } from './errors.ts';

/** The DHIS2 version whose aggregate Web API Opsroom answers (see docs/dhis2.md). */
export const DHIS2_VERSION = '2.41.0';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** DHIS2's timestamps: ISO without the zone, to the millisecond. */
const stamp = (d: Date) => d.toISOString().slice(0, 23);

/** DHIS2's `/api/me` and `/api/system/info`, at /api and /api/{version}. */
export function dhis2SystemRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  for (const base of DHIS2_BASES) {
    app.get(`${base}/me`, async (c) => {
      const me = await dhis2Metadata(c).me(actorOf(c), paramsOf(c), dhis2Language(c));
      return c.json(me, 200);
    });

    app.get(`${base}/system/info`, (c) => {
      actorOf(c);
      const { clock, database } = c.get('services');
      const now = clock();
      const origin = new URL(c.req.url).origin;
      return c.json(
        {
          contextPath: origin,
          userAgent: c.req.header('user-agent') ?? '',
          calendar: 'iso8601',
          dateFormat: 'yyyy-mm-dd',
          serverDate: stamp(now),
          serverTimeZoneId: 'Asia/Ho_Chi_Minh',
          serverTimeZoneDisplayName: 'Indochina Time',
          // Analytics read the stored values as soon as an import answers: always up to date.
          lastAnalyticsTableSuccess: stamp(now),
          intervalSinceLastAnalyticsTableSuccess: '0 s',
          version: DHIS2_VERSION,
          revision: `opsroom-${PACKAGE_VERSION}`,
          systemName: 'Opsroom',
          instanceBaseUrl: origin,
          emailConfigured: false,
          redisEnabled: false,
          isMetadataVersionEnabled: false,
          metadataSyncEnabled: false,
          opsroom: {
            version: PACKAGE_VERSION,
            engine: database.engine,
            note:
              `This is Opsroom, not DHIS2: it answers the aggregate part of DHIS2 ${DHIS2_VERSION}'s ` +
              'Web API (metadata reads, data values, analytics); see docs/dhis2.md for what is covered.',
          },
        },
        200,
      );
    });
  }

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/me',
    tags: ['DHIS2'],
    summary:
      'DHIS2: the caller — id, username, name, organisationUnits (the scope), authorities from the permissions, settings.keyUiLocale (also /api/{version}/me and .json; fields apply)',
    request: { query: z.object({ fields: z.string().optional() }) },
    responses: { 200: json(Dhis2Me, 'The caller, as DHIS2 describes a user') },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/system/info',
    tags: ['DHIS2'],
    summary: `DHIS2: system information (version ${DHIS2_VERSION}, calendar iso8601, dateFormat yyyy-mm-dd, contextPath); systemName and opsroom say it is Opsroom`,
    responses: { 200: json(Dhis2SystemInfo, 'System information') },
  });
  return app;
}
