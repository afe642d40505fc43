import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import type { MetadataDocumentInput } from '../domain/metadata.ts';
import { textOf } from '../domain/text.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { createApp } from './app.ts';

/**
 * DHIS2's own client against Opsroom (issue 14): `@dhis2/data-engine`, the engine under
 * `@dhis2/app-service-data` that DHIS2's apps query through, with its `RestAPILink`, talking
 * HTTP to a real server of the app over a test database. Each case is a query (or mutation) a
 * DHIS2 app makes, and a check of the answer.
 *
 * Loading it in Node 20: its ESM build does not load (it imports files without extensions), so
 * it is required as CommonJS. It needs no globals besides `fetch`, which Node 20 has.
 *
 * Signing in: the link sends `Authorization: ApiToken <token>` when its config has `apiToken`
 * (DHIS2's personal access tokens); Opsroom reads that scheme as its machine tokens, so the
 * link runs unchanged with an Opsroom token. In a browser the link relies on the session cookie
 * (`credentials: 'include'`); Node's fetch keeps no cookies, so `sessionEngine` plays the
 * browser's cookie jar: a subclass of the link that adds the cookie of a real sign-in to each
 * request (nothing else differs).
 *
 * To add a case: push a `{ name, as, query | run, check }` to CASES; `as` picks the caller
 * (`admin` and `viewer79` sign in with a session, so their writes carry the anti-forgery
 * header; `token` may only read). A mutation, as DHIS2's apps send one:
 *
 *   run: (engine) => engine.mutate({ resource: 'dataValueSets', type: 'create', data: { dataValues: […] } }),
 *   check: (answer) => assert.equal(answer.status, 'SUCCESS'),
 */

// ---------------------------------------------------------------------------------------------
// The client

interface FetchErrorLike extends Error {
  type: 'access' | 'unknown' | 'network' | 'aborted';
  details: Record<string, unknown>;
}

type Query = Record<string, { resource: string; id?: string; params?: unknown }>;

interface Engine {
  query(query: Query, opts?: { variables?: Record<string, unknown> }): Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  mutate(
    mutation: Record<string, unknown>,
    opts?: { variables?: Record<string, unknown> },
  ): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  get(path: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface LinkConfig {
  baseUrl: string;
  apiVersion: number;
  apiToken?: string;
}

const dhis2 = createRequire(import.meta.url)('@dhis2/data-engine') as {
  DataEngine: new (link: unknown) => Engine;
  RestAPILink: new (config: LinkConfig) => {
    fetch(path: string, options: { headers?: Record<string, string> }): Promise<unknown>;
  };
  FetchError: new (...args: unknown[]) => FetchErrorLike;
};

const API_VERSION = 41;

function tokenEngine(baseUrl: string, apiToken?: string): Engine {
  return new dhis2.DataEngine(
    new dhis2.RestAPILink({ baseUrl, apiVersion: API_VERSION, apiToken }),
  );
}

/** The link as a browser runs it: every request carries the session cookie of a sign-in. */
async function sessionEngine(baseUrl: string, username: string, password: string) {
  const r = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = ((await r.json()) as { csrfToken: string }).csrfToken;
  class SessionLink extends dhis2.RestAPILink {
    override fetch(path: string, options: { headers?: Record<string, string> }) {
      return super.fetch(path, {
        ...options,
        headers: { ...options.headers, cookie, 'x-csrf-token': csrf },
      });
    }
  }
  return new dhis2.DataEngine(new SessionLink({ baseUrl, apiVersion: API_VERSION }));
}

/** The error a query fails with (the engine's FetchError). */
async function failure(p: Promise<unknown>): Promise<FetchErrorLike> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof dhis2.FetchError, String(e));
    return e;
  }
  assert.fail('expected the query to fail');
}

// ---------------------------------------------------------------------------------------------
// The data

const PASSWORD = 'Dhis2-client-pw-1';

const METADATA: MetadataDocumentInput = {
  breakdowns: [
    {
      code: 'AGE',
      uid: 'AgeCombo001',
      nameVi: 'Nhóm tuổi',
      nameEn: 'Age group',
      options: [
        { code: 'AGE_CHILD', uid: 'AgeChild001', nameVi: 'Trẻ em', nameEn: 'Child' },
        { code: 'AGE_ADULT', uid: 'AgeAdult001', nameVi: 'Người lớn', nameEn: 'Adult' },
      ],
    },
  ],
  dataElements: [
    {
      code: 'CL_VISITS',
      uid: 'ClVisits001',
      nameVi: 'Lượt khám',
      nameEn: 'Visits',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'sum',
      breakdown: 'AGE',
      min: 0,
    },
    {
      code: 'CL_BEDS',
      uid: 'ClBeds00001',
      nameVi: 'Số giường',
      nameEn: 'Beds',
      sector: 'covid',
      valueType: 'integer',
      aggTime: 'last',
    },
    {
      code: 'CL_NOTE',
      uid: 'ClNote00001',
      nameVi: 'Ghi chú',
      nameEn: 'Note',
      sector: 'other',
      valueType: 'text',
      aggTime: 'last',
      aggUnits: 'none',
    },
  ],
  indicators: [
    {
      code: 'CL_VISITS_PER_BED',
      uid: 'ClPerBed001',
      nameVi: 'Lượt khám mỗi giường',
      nameEn: 'Visits per bed',
      sector: 'covid',
      formula: '#{CL_VISITS} / #{CL_BEDS}',
    },
  ],
  dataSets: [
    {
      code: 'CL_WARD_MONTHLY',
      uid: 'ClWardMonth',
      nameVi: 'Báo cáo tháng của xã',
      nameEn: 'Ward monthly report',
      periodType: 'month',
      version: '2025',
      level: 2,
      elements: ['CL_VISITS', 'CL_BEDS', 'CL_NOTE'],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// The cases

interface World {
  baseUrl: string;
  t: TestDb;
  /** The engines by caller: `admin` (session), `viewer79` (session, Hồ Chí Minh City),
   * `token` (an Opsroom machine token with data.read and unit.read at the nation), `anonymous`. */
  engines: Record<Caller, Engine>;
}
type Caller = 'admin' | 'viewer79' | 'token' | 'anonymous';

interface Case {
  name: string;
  as: Caller;
  /** One `engine.query`; its answer goes to `check`. */
  query?: Query;
  variables?: Record<string, unknown>;
  /** Or anything else with the engine (mutations, several steps). */
  run?: (engine: Engine, w: World) => Promise<unknown>;
  check(answer: any, w: World): void | Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const CASES: Case[] = [
  {
    name: 'the header bar: me and system/info',
    as: 'viewer79',
    query: {
      me: {
        resource: 'me',
        params: {
          fields: [
            'id',
            'name',
            'username',
            'authorities',
            'settings',
            'organisationUnits[id,displayName,path]',
          ],
        },
      },
      info: { resource: 'system/info' },
    },
    check: ({ me, info }) => {
      assert.equal(me.username, 'cl-viewer-79');
      assert.equal(me.name, 'Người xem Hồ Chí Minh');
      assert.deepEqual(me.organisationUnits, [
        { id: '79', displayName: 'Thành phố Hồ Chí Minh', path: '/VN/79' },
      ]);
      assert.ok(me.authorities.includes('F_VIEW_DATABROWSER'));
      assert.ok(!me.authorities.includes('F_DATAVALUE_ADD'));
      assert.equal(me.settings.keyUiLocale, 'en');
      assert.equal(info.version, '2.41.0');
      assert.equal(info.calendar, 'iso8601');
      assert.equal(info.dateFormat, 'yyyy-mm-dd');
      assert.equal(info.systemName, 'Opsroom');
    },
  },
  {
    name: 'me with a machine token (apiToken in the link’s config)',
    as: 'token',
    query: { me: { resource: 'me', params: { fields: 'username,organisationUnits,authorities' } } },
    check: ({ me }) => {
      assert.deepEqual(me, {
        username: 'token:cl-token',
        organisationUnits: [{ id: 'VN' }],
        authorities: ['F_VIEW_DATABROWSER', 'M_dhis-web-data-visualizer'],
      });
    },
  },
  {
    name: 'the org unit tree: the user’s roots, then children with their counts',
    as: 'viewer79',
    run: async (engine) => {
      const roots = await engine.query({
        roots: {
          resource: 'organisationUnits',
          params: {
            fields: ['id', 'displayName', 'path', 'children::size', 'level'],
            userDataViewOnly: true,
            paging: false,
          },
        },
      });
      const [root] = roots.roots.organisationUnits;
      const children = await engine.query(
        {
          unit: {
            resource: 'organisationUnits',
            id: ({ id }: { id: string }) => id,
            params: { fields: ['children[id,displayName,path,children::size]'] },
          } as unknown as Query[string],
        },
        { variables: { id: root.id } },
      );
      return { roots: roots.roots, children: children.unit.children };
    },
    check: ({ roots, children }) => {
      assert.equal(roots.pager, undefined, 'paging=false');
      assert.equal(roots.organisationUnits.length, 1);
      const [root] = roots.organisationUnits;
      assert.equal(root.id, '79');
      assert.equal(root.level, 2);
      assert.equal(root.children, children.length);
      const saigon = children.find((c: { id: string }) => c.id === '26740');
      assert.deepEqual(saigon, {
        id: '26740',
        displayName: 'Phường Sài Gòn',
        path: '/VN/79/26740',
        children: 0,
      });
    },
  },
  {
    name: 'a search box: units by name with a dynamic filter, a page at a time',
    as: 'admin',
    query: {
      units: {
        resource: 'organisationUnits',
        params: ({ q }: { q: string }) => ({
          filter: [`displayName:ilike:${q}`, 'level:eq:3'],
          fields: ['id', 'displayName', 'ancestors[displayName]'],
          order: 'displayName:asc',
          pageSize: 2,
        }),
      },
    },
    variables: { q: 'sài gòn' },
    check: ({ units }) => {
      assert.deepEqual(units.pager.page, 1);
      assert.equal(units.pager.pageSize, 2);
      assert.ok(units.organisationUnits.length >= 1);
      assert.deepEqual(
        units.organisationUnits.find((u: { id: string }) => u.id === '26740'),
        {
          id: '26740',
          displayName: 'Phường Sài Gòn',
          ancestors: [{ displayName: 'Việt Nam' }, { displayName: 'Thành phố Hồ Chí Minh' }],
        },
      );
    },
  },
  {
    name: 'data sets with their elements, combos and units (the Data Entry app’s metadata)',
    as: 'viewer79',
    query: {
      sets: {
        resource: 'dataSets',
        params: {
          fields: [
            'id',
            'displayName',
            'periodType',
            'categoryCombo[id,isDefault]',
            'dataSetElements[dataElement[id,displayName,valueType,categoryCombo[id,categoryOptionCombos[id,displayName]]]]',
            'organisationUnits[id]',
          ],
          paging: false,
        },
      },
    },
    check: ({ sets }) => {
      assert.equal(sets.dataSets.length, 1);
      const [set] = sets.dataSets;
      assert.equal(set.id, 'ClWardMonth');
      assert.equal(set.periodType, 'Monthly');
      assert.deepEqual(set.categoryCombo, { id: 'bjDvmb4bfuf', isDefault: true });
      const visits = set.dataSetElements.find(
        (x: { dataElement: { id: string } }) => x.dataElement.id === 'ClVisits001',
      ).dataElement;
      assert.deepEqual(visits, {
        id: 'ClVisits001',
        displayName: 'Visits',
        valueType: 'INTEGER_ZERO_OR_POSITIVE',
        categoryCombo: {
          id: 'AgeCombo001',
          categoryOptionCombos: [
            { id: 'AgeChild001', displayName: 'Child' },
            { id: 'AgeAdult001', displayName: 'Adult' },
          ],
        },
      });
      // The wards and communes of the city only: the viewer's scope.
      assert.ok(set.organisationUnits.length > 100);
      assert.ok(set.organisationUnits.some((u: { id: string }) => u.id === '26740'));
      assert.ok(!set.organisationUnits.some((u: { id: string }) => u.id === '20194'), 'Đà Nẵng’s');
    },
  },
  {
    name: 'data elements filtered and paged; indicators; category combos; period types',
    as: 'token',
    query: {
      integers: {
        resource: 'dataElements',
        params: {
          fields: 'id,displayName,valueType,aggregationType',
          filter: ['valueType:in:[INTEGER,INTEGER_ZERO_OR_POSITIVE]', 'domainType:eq:AGGREGATE'],
          order: 'displayName:desc',
          page: 1,
          pageSize: 1,
        },
      },
      indicators: {
        resource: 'indicators',
        params: { fields: 'id,displayName,numerator,denominator,indicatorType[factor]' },
      },
      combos: {
        resource: 'categoryCombos',
        params: {
          fields: 'id,displayName,categories[id,categoryOptions[id,displayName]]',
          filter: 'isDefault:eq:false',
        },
      },
      periodTypes: { resource: 'periodTypes', params: { fields: 'name,isoFormat' } },
    },
    check: ({ integers, indicators, combos, periodTypes }) => {
      assert.deepEqual(integers.pager.total, 2);
      assert.equal(integers.pager.pageCount, 2);
      assert.match(integers.pager.nextPage, /\/api\/dataElements\?page=2&pageSize=1&/);
      assert.deepEqual(integers.dataElements, [
        {
          id: 'ClVisits001',
          displayName: 'Visits',
          valueType: 'INTEGER_ZERO_OR_POSITIVE',
          aggregationType: 'SUM',
        },
      ]);
      assert.deepEqual(indicators.indicators, [
        {
          id: 'ClPerBed001',
          displayName: 'Visits per bed',
          numerator: '#{CL_VISITS} / #{CL_BEDS}',
          denominator: '1',
          indicatorType: { factor: 1 },
        },
      ]);
      assert.equal(combos.categoryCombos.length, 1);
      assert.equal(combos.categoryCombos[0].id, 'AgeCombo001');
      assert.deepEqual(
        combos.categoryCombos[0].categories[0].categoryOptions.map(
          (o: { displayName: string }) => o.displayName,
        ),
        ['Child', 'Adult'],
      );
      assert.ok(
        periodTypes.periodTypes.some(
          (p: { name: string; isoFormat: string }) =>
            p.name === 'Monthly' && p.isoFormat === 'yyyyMM',
        ),
      );
    },
  },
  {
    name: 'the engine’s path interface (engine.get) reads one object',
    as: 'admin',
    run: (engine) =>
      engine.get('/dataElements/ClBeds00001?fields=id,aggregationType,zeroIsSignificant'),
    check: (answer) => {
      assert.deepEqual(answer, {
        id: 'ClBeds00001',
        aggregationType: 'LAST',
        zeroIsSignificant: true,
      });
    },
  },
  {
    name: 'errors reach the client as DHIS2’s web message',
    as: 'admin',
    run: async (engine, w) => {
      const badFilter = await failure(
        engine.query({ x: { resource: 'dataElements', params: { filter: 'nope:eq:1' } } }),
      );
      const missing = await failure(
        engine.query({ x: { resource: 'dataSets', id: 'NoSuchSet01' } }),
      );
      const anonymous = await failure(w.engines.anonymous.query({ me: { resource: 'me' } }));
      return { badFilter, missing, anonymous };
    },
    check: ({ badFilter, missing, anonymous }) => {
      // The engine reads 401, 403 and 409 as access errors and shows DHIS2's message.
      assert.equal(badFilter.type, 'access');
      assert.equal(badFilter.message, 'Unknown path property: nope');
      assert.equal(badFilter.details.httpStatusCode, 409);
      assert.equal(badFilter.details.errorCode, 'E2014');
      assert.equal(missing.type, 'unknown');
      assert.equal(missing.details.httpStatus, 'Not Found');
      assert.equal(missing.details.message, 'DataSet with id NoSuchSet01 could not be found.');
      assert.equal(missing.details.errorCode, 'E1005');
      assert.equal(anonymous.type, 'access');
      assert.equal(anonymous.message, 'You need to sign in');
      assert.equal(anonymous.details.status, 'ERROR');
    },
  },
];

CASES.push({
  name: 'data entry saves a data value set, then the visualizer asks several dimensions at once',
  as: 'admin',
  run: async (engine) => {
    const kids = await engine.query({
      kids: {
        resource: 'organisationUnits',
        params: { filter: 'parent.id:eq:79', fields: 'id', order: 'id:asc', pageSize: 2 },
      },
    });
    const [a, b] = (kids.kids.organisationUnits as { id: string }[]).map((u) => u.id);
    const at = (dataElement: string, orgUnit: string, value: string, coc?: string) => ({
      dataElement,
      period: '202510',
      orgUnit,
      value,
      ...(coc ? { categoryOptionCombo: coc } : {}),
    });
    const saved = await engine.mutate({
      resource: 'dataValueSets',
      type: 'create',
      data: {
        dataValues: [
          at('ClVisits001', a!, '30', 'AgeChild001'),
          at('ClVisits001', b!, '12', 'AgeAdult001'),
          at('ClBeds00001', a!, '10'),
          at('ClBeds00001', b!, '4'),
        ],
      },
    });
    // The engine joins the dimensions into one parameter, comma-separated, as DHIS2 reads them.
    const grid = await engine.query({
      grid: {
        resource: 'analytics',
        params: { dimension: ['dx:ClVisits001;ClPerBed001', 'pe:202510'], filter: 'ou:79' },
      },
      byAge: {
        resource: 'analytics',
        params: { dimension: ['dx:ClVisits001', 'co', 'pe:202510'], filter: 'ou:79' },
      },
    });
    return { saved, ...grid };
  },
  check: ({ saved, grid, byAge }) => {
    const count = (saved.response ?? saved).importCount;
    assert.equal(count.imported, 4, JSON.stringify(saved));
    const rows = (g: { headers: { name: string }[]; rows: string[][] }) =>
      g.rows.map((r) => Object.fromEntries(g.headers.map((h, i) => [h.name, r[i]])));
    assert.deepEqual(rows(grid), [
      { dx: 'ClVisits001', pe: '202510', value: '42' },
      { dx: 'ClPerBed001', pe: '202510', value: '3' },
    ]);
    // By breakdown option, named by uid as the items were asked.
    assert.deepEqual(
      rows(byAge).map((r) => [r.co, r.value]),
      [
        ['AgeChild001', '30'],
        ['AgeAdult001', '12'],
      ],
    );
  },
});

// ---------------------------------------------------------------------------------------------

for (const engine of testEngines()) {
  describe(`DHIS2's client (@dhis2/data-engine, RestAPILink) against Opsroom on ${engine}`, () => {
    const w = {} as World;
    let server: Server;

    before(async () => {
      w.t = await openTestDb(engine);
      const app = createApp(w.t.services);
      server = await new Promise<Server>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
          resolve(s as Server),
        );
      });
      const address = server.address();
      w.baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const { auth, metadata } = w.t.services;
      await metadata.apply('system', METADATA);
      await auth.createUser('system', {
        username: 'cl-viewer-79',
        displayName: 'Người xem Hồ Chí Minh',
        password: PASSWORD,
        role: 'viewer',
        scope: { version: '2025', code: '79' },
      });
      const { token } = await auth.createToken('system', {
        name: 'cl-token',
        scope: { version: '2025', code: 'VN' },
        permissions: ['data.read', 'unit.read'],
      });
      w.engines = {
        admin: await sessionEngine(w.baseUrl, 'admin', ADMIN_PASSWORD),
        viewer79: await sessionEngine(w.baseUrl, 'cl-viewer-79', PASSWORD),
        token: tokenEngine(w.baseUrl, token),
        anonymous: tokenEngine(w.baseUrl),
      };
    });

    after(async () => {
      server?.closeAllConnections();
      await new Promise((r) => server?.close(r));
      await w.t?.close();
    });

    for (const c of CASES)
      it(c.name, async () => {
        const e = w.engines[c.as];
        const answer = await (
          c.run
            ? c.run(e, w)
            : e.query(c.query!, c.variables ? { variables: c.variables } : undefined)
        ).catch((err: FetchErrorLike) => {
          // The engine's message alone hides the cause: say what came back.
          err.message += ` — ${textOf(err.details?.message ?? err.details ?? '')}`;
          throw err;
        });
        await c.check(answer, w);
      });
  });
}
