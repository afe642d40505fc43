import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { secureHeaders } from 'hono/secure-headers';
import { getPath } from 'hono/utils/url';
import { AppError, errors } from '../domain/errors.ts';
import type { Services } from '../services/index.ts';
import { adminRoutes } from './admin.routes.ts';
import { authenticate } from './auth.middleware.ts';
import { admission } from './busy.ts';
import { BODY_LIMITS, bodyLimit, type BodyLimits } from './body-limit.ts';
import { documentIdempotency, idempotency } from './idempotency.middleware.ts';
import { authRoutes } from './auth.routes.ts';
import type { AppEnv, Edge } from './context.ts';
import { presentError, routedPath, toAppError, validationError } from './errors.ts';
import { orgUnitRoutes } from './org-unit.routes.ts';
import { carryRoutes } from './carry.routes.ts';
import { outlierRoutes } from './outlier.routes.ts';
import { validationRoutes } from './validation.routes.ts';
import { valueOutlierRoutes } from './value-outlier.routes.ts';
import { metadataRoutes } from './metadata.routes.ts';
import { dataValueRoutes } from './data-value.routes.ts';
import { analyticsRoutes } from './analytics.routes.ts';
import { dataEntryRoutes } from './data-entry.routes.ts';
import { reportingRoutes } from './reporting.routes.ts';
import { geoRoutes } from './geo.routes.ts';
import { PLACE_PUBLIC_ROUTES, placeRoutes } from './place.routes.ts';
import { PUBLIC_PHOTO_ROUTES, publicPhotoRoutes } from './public-photo.routes.ts';
import { SPAM_PUBLIC_ROUTES, spamRoutes } from './spam.routes.ts';
import { sectorRoutes } from './sector.routes.ts';
import { liveRoutes } from './live.routes.ts';
import { alertRoutes } from './alert.routes.ts';
import { json } from './schemas.ts';
import { boardRoutes } from './board.routes.ts';
import { citizenRoutes } from './citizen.routes.ts';
import { workingCalendarRoutes } from './working-calendar.routes.ts';
import { open311Routes } from './open311.routes.ts';
import { PUBLIC_PREFIX, citizenReportRoutes } from './citizen-report.routes.ts';
import { citizenAnswerRoutes } from './citizen-answers.routes.ts';
import { citizenReportModerationRoutes } from './citizen-report-moderation.routes.ts';
import { directiveRoutes } from './directive.routes.ts';
import { taskRoutes } from './task.routes.ts';
import { planRoutes } from './plan.routes.ts';
import { briefingRoutes } from './briefing.routes.ts';
import { attachmentRoutes } from './attachment.routes.ts';
import { dhis2MetadataRoutes } from './dhis2-metadata.routes.ts';
import { dhis2SystemRoutes } from './dhis2-system.routes.ts';
import { dhis2DataValueRoutes } from './dhis2-data-value.routes.ts';
import { dhis2RegistrationRoutes } from './dhis2-registration.routes.ts';
import { dhis2DataEntryRoutes } from './dhis2-data-entry.routes.ts';

/** Routes answered without signing in (everything else under /api needs a caller). */
const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  '/api/health',
  '/api/openapi.json',
  '/api/auth/login',
  '/api/auth/logout',
  ...PLACE_PUBLIC_ROUTES,
  ...PUBLIC_PHOTO_ROUTES,
  ...SPAM_PUBLIC_ROUTES,
]);

/** Answered without signing in: the routes above, and the citizens' under /api/public/. */
const isPublic = (path: string) => PUBLIC_ROUTES.has(path) || path.startsWith(PUBLIC_PREFIX);

const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export interface AppOptions {
  /** Body limits other than the defaults (tests lower them). */
  bodyLimits?: Partial<BodyLimits>;
  /** OPSROOM_TRUST_PROXY and OPSROOM_SECURE_COOKIES, as loadConfig read them. */
  edge?: Partial<Edge>;
}

export function createApp(services: Services, opts: AppOptions = {}) {
  const edge: Edge = { proxies: 0, secureCookies: false, ...opts.edge };
  const app = new OpenAPIHono<AppEnv>({
    // DHIS2's `.json` suffix on its routes (/api/dataElements.json) routes as the bare path.
    getPath: (req) => routedPath(req.method, getPath(req)),
    defaultHook: (result, c) => {
      if (result.success) return;
      // Who asks comes before what they ask: an anonymous caller learns nothing of a route's
      // schema (validation runs before the handler's actorOf).
      if (!c.get('actor') && !isPublic(c.req.path))
        return presentError(c, errors.unauthenticated());
      return presentError(c, validationError(result.error));
    },
  });

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // blob: the preview of a photo chosen, before it is uploaded (the citizens' page).
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    }),
  );
  app.use('*', async (c, next) => {
    c.set('services', services);
    c.set('requestId', c.req.header('x-request-id') ?? randomUUID());
    c.set('edge', edge);
    await next();
  });
  app.use('/api/*', admission(services.database)); // bounded queue: 503 busy when full
  app.use('/api/*', authenticate);
  // Before anything reads a body: every reader after this sees the counted stream.
  app.use('/api/*', bodyLimit({ ...BODY_LIMITS, ...opts.bodyLimits }));
  app.use('/api/*', idempotency({ isPublic }));
  // Open311 (outside /api): no session, the api_key is in the form; a public caller's limits,
  // and Idempotency-Key honoured as on the public intake.
  app.use('/open311/*', admission(services.database));
  app.use('/open311/*', bodyLimit({ ...BODY_LIMITS, ...opts.bodyLimits }));
  app.use('/open311/*', idempotency({ isPublic: () => true }));
  app.onError((err, c) => presentError(c, toAppError(err)));

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/health',
      tags: ['system'],
      summary: 'Liveness and database reachability',
      responses: {
        200: json(
          z.object({ status: z.literal('ok'), engine: z.string(), version: z.string() }),
          'Up',
        ),
      },
    }),
    async (c) => {
      await services.store.ping();
      return c.json(
        { status: 'ok' as const, engine: services.database.engine, version: PACKAGE_VERSION },
        200,
      );
    },
  );

  app.route('/', authRoutes());
  app.route('/', orgUnitRoutes());
  app.route('/', carryRoutes());
  app.route('/', outlierRoutes());
  app.route('/', validationRoutes());
  app.route('/', valueOutlierRoutes());
  app.route('/', adminRoutes());
  app.route('/', metadataRoutes());
  app.route('/', dataValueRoutes());
  app.route('/', analyticsRoutes());
  app.route('/', dataEntryRoutes());
  app.route('/', reportingRoutes());
  app.route('/', liveRoutes());
  app.route('/', alertRoutes());
  app.route('/', geoRoutes());
  app.route('/', placeRoutes());
  app.route('/', publicPhotoRoutes());
  app.route('/', sectorRoutes());
  app.route('/', briefingRoutes());
  app.route('/', directiveRoutes());
  app.route('/', boardRoutes());
  app.route('/', taskRoutes());
  app.route('/', planRoutes());
  app.route('/', attachmentRoutes());
  app.route('/', citizenRoutes());
  app.route('/', workingCalendarRoutes());
  app.route('/', citizenReportModerationRoutes());
  app.route('/', citizenReportRoutes());
  app.route('/', spamRoutes());
  app.route('/', citizenAnswerRoutes());
  // Open311 GeoReport v2 (issue 20): public, outside /api, in the spec's shapes.
  app.route('/', open311Routes());
  // DHIS2's Web API (issue 14): /api/me, /api/system/info, metadata lists and objects.
  app.route('/', dhis2SystemRoutes());
  app.route('/', dhis2MetadataRoutes());
  app.route('/', dhis2DataValueRoutes());
  app.route('/', dhis2RegistrationRoutes());
  app.route('/', dhis2DataEntryRoutes());

  documentIdempotency(app);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Opsroom API',
      version: PACKAGE_VERSION,
      description:
        'Operations room for government. Sign in with POST /api/auth/login (session cookie; writes need the X-CSRF-Token header) ' +
        'or send `Authorization: Bearer <token>`. Every unit is a code within a hierarchy version.',
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'opsroom_session',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'token', {
    type: 'http',
    scheme: 'bearer',
  });

  app.all('/api/*', (c) =>
    presentError(
      c,
      new AppError('not_found', {
        vi: `Không có đường dẫn ${c.req.path}`,
        en: `No route ${c.req.path}`,
      }),
    ),
  );

  // The web app: built files, and index.html for every other path (client-side routes).
  if (existsSync(WEB_DIST)) app.use('/*', serveStatic({ root: WEB_DIST }));
  app.get('*', (c) => {
    // The citizens' pages (issue 20) are a page of their own, without the app's code.
    const citizen = c.req.path === '/phan-anh' || c.req.path.startsWith('/phan-anh/');
    const index = WEB_DIST + (citizen ? 'phan-anh.html' : 'index.html');
    if (!existsSync(index)) return c.text('Web app not built: run `npm run build:web`', 503);
    return c.html(readFileSync(index, 'utf8'));
  });
  return app;
}

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
