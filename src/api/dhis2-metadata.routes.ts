import type { Context } from 'hono';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { Dhis2ListQuery, Dhis2Object, Dhis2PeriodTypes, dhis2List } from '../contract/dhis2.ts';
import { json } from '../contract/common.ts';
import type { Pager } from '../domain/dhis2-query.ts';
import {
  DHIS2_RESOURCES,
  type Dhis2MetadataService,
  type Dhis2Resource,
  type Params,
} from '../services/dhis2-metadata.service.ts';
import { actorOf, type AppEnv } from './context.ts';
import { dhis2Language } from './errors.ts';

/** DHIS2's paths: `/api/x` and `/api/{version}/x` (`.json` is stripped before routing, app.ts). */
export const DHIS2_BASES = ['/api', '/api/:apiVersion{[0-9]{2}}'] as const;

/** The DHIS2 reads' service (services/index.ts). */
export function dhis2Metadata(c: Context<AppEnv>): Dhis2MetadataService {
  return c.get('services').dhis2Metadata;
}

export function paramsOf(c: Context): Params {
  return {
    get: (name) => c.req.query(name),
    all: (name) => c.req.queries(name) ?? [],
  };
}

/**
 * DHIS2's pager with its links: `nextPage` and `prevPage` at the unversioned path (with `.json`
 * when asked so), the other parameters kept, pageSize only when not the default.
 */
function withLinks(c: Context, resource: string, pager: Pager) {
  const url = new URL(c.req.url);
  const suffix = url.pathname.endsWith('.json') ? '.json' : '';
  const base = `${url.origin}/api/${resource}${suffix}`;
  const rest = [...url.searchParams].filter(([k]) => k !== 'page' && k !== 'pageSize');
  const link = (page: number) => {
    const p = new URLSearchParams();
    if (page > 1) p.set('page', String(page));
    if (pager.pageSize !== 50) p.set('pageSize', String(pager.pageSize));
    for (const [k, v] of rest) p.append(k, v);
    const qs = p.toString();
    return qs ? `${base}?${qs}` : base;
  };
  return {
    ...pager,
    ...(pager.page < pager.pageCount ? { nextPage: link(pager.page + 1) } : {}),
    ...(pager.page > 1 ? { prevPage: link(pager.page - 1) } : {}),
  };
}

const DESCRIPTION: Record<Dhis2Resource, string> = {
  dataElements: 'Data elements',
  indicators: 'Indicators (numerator = the formula, denominator 1)',
  indicatorTypes: 'Indicator types (one: number, factor 1)',
  organisationUnits:
    'Organisation units of one tree (the caller’s, or the one in force today; `version=` names another), within the caller’s scope; DHIS2 levels (the nation is 1). Also `level`, `maxLevel`, `userOnly`.',
  organisationUnitGroups: 'Unit groups of one tree whose owner lies in the caller’s scope',
  dataSets: 'Data sets with their elements and units',
  categoryCombos: 'Breakdowns as category combos (and the attribute combo)',
  categories: 'The one category of each breakdown',
  categoryOptions: 'Breakdown options and attribute options',
  categoryOptionCombos: 'Breakdown options and attribute options as option combos',
};

/** DHIS2's metadata lists and objects: /api/{resource}, /api/{resource}/{id}, and /api/periodTypes. */
export function dhis2MetadataRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  for (const resource of DHIS2_RESOURCES) {
    for (const base of DHIS2_BASES) {
      app.get(`${base}/${resource}`, async (c) => {
        const r = await dhis2Metadata(c).list(actorOf(c), resource, paramsOf(c), dhis2Language(c));
        return c.json(
          r.pager
            ? { pager: withLinks(c, resource, r.pager), [resource]: r.items }
            : { [resource]: r.items },
          200,
        );
      });
      app.get(`${base}/${resource}/:id`, async (c) => {
        const obj = await dhis2Metadata(c).get(
          actorOf(c),
          resource,
          c.req.param('id'),
          paramsOf(c),
          dhis2Language(c),
        );
        return c.json(obj, 200);
      });
    }
    app.openAPIRegistry.registerPath({
      method: 'get',
      path: `/api/${resource}`,
      tags: ['DHIS2'],
      summary: `DHIS2: ${DESCRIPTION[resource]} (also /api/{version}/${resource} and .json)`,
      request: { query: Dhis2ListQuery },
      responses: { 200: json(dhis2List(resource), `{pager, ${resource}}`) },
    });
    app.openAPIRegistry.registerPath({
      method: 'get',
      path: `/api/${resource}/{id}`,
      tags: ['DHIS2'],
      summary: `DHIS2: one of the ${resource} by uid (or code where it has none)`,
      request: {
        params: z.object({ id: z.string() }),
        query: z.object({ fields: z.string().optional() }),
      },
      responses: {
        200: json(Dhis2Object, 'The object'),
        404: { description: 'Not found (E1005)' },
      },
    });
  }

  for (const base of DHIS2_BASES)
    app.get(`${base}/periodTypes`, (c) => {
      actorOf(c);
      return c.json({ periodTypes: dhis2Metadata(c).periodTypes(paramsOf(c)) }, 200);
    });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/periodTypes',
    tags: ['DHIS2'],
    summary: 'DHIS2: the period types Opsroom reads (fields apply; no pager, as in DHIS2)',
    request: { query: z.object({ fields: z.string().optional() }) },
    responses: { 200: json(Dhis2PeriodTypes, '{periodTypes}') },
  });
  return app;
}
