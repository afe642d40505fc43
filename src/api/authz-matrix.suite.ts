import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIONS, ROLES, actionsOfRole, type Action, type Role } from '../domain/access.ts';
import type { Engine } from '../db/client.ts';
import { ADMIN_PASSWORD, openTestDb, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import { createApp } from './app.ts';
import { citizenUploadKey } from '../services/citizen-report.service.ts';
import {
  AUTHZ_RULES,
  SCOPE_CODES,
  nthDay,
  uploadForm,
  validationRule,
  citizenCategory,
  briefingTemplate,
  boardPanel,
  type Fixtures,
  type RouteRule,
  type Sample,
  type ScopeKind,
} from './authz-matrix.ts';

/**
 * The authorization matrix: every route (from the app's route table and the OpenAPI document,
 * each with its row in authz-matrix.ts) × every role × scopes inside and outside the unit the
 * request touches, plus an anonymous caller and a token without the permission. A refused
 * request answers 401/403/404 (a hidden resource answers 404), shows nothing of the resource
 * and, for a write, leaves no row behind (audit_event and the route's own table are counted).
 */

// Monday 23 November 2026, 10:00 in Viet Nam: week 2026-W48.
const NOW = new Date('2026-11-23T03:00:00Z');
const PASSWORD = 'Matrix-pw-123';
const VERSION = '2025';

type App = ReturnType<typeof createApp>;
type Expect = 'unauthenticated' | 'forbidden' | 'refused' | 'allowed';

interface Principal {
  label: string;
  code: string;
  headers: Record<string, string>;
}

/** 'GET /api/tasks/{id}' for '/api/tasks/:id', '/api/tasks/{id}' and '/api/x/:id{[0-9]+}' alike. */
export function routeKey(method: string, path: string): string {
  const p = path.replace(/:(\w+)\{(?:[^{}]|\{[^{}]*\})*\}/g, '{$1}').replace(/:(\w+)/g, '{$1}');
  return `${method.toUpperCase()} ${p}`;
}

/**
 * The routes the app answers: handlers under /api and Open311's (public, outside /api), without
 * the catch-all 404s and the web app.
 */
function servedRoutes(app: App): Set<string> {
  return new Set(
    app.routes
      .filter(
        (r) => r.method !== 'ALL' && (r.path.startsWith('/api/') || r.path.startsWith('/open311/')),
      )
      .map((r) => routeKey(r.method, r.path)),
  );
}

function documentedRoutes(doc: { paths?: Record<string, Record<string, unknown>> }): Set<string> {
  const out = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths ?? {}))
    for (const method of Object.keys(ops))
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
        out.add(routeKey(method, path));
  return out;
}

async function call(app: App, who: Principal, method: string, s: Sample) {
  const headers: Record<string, string> = { ...who.headers, ...s.headers };
  let body = s.body;
  if (s.json !== undefined) {
    body = JSON.stringify(s.json);
    headers['content-type'] = 'application/json';
  }
  const res = await app.request(s.path, { method, headers, body });
  if (s.stream && res.status === 200) {
    await res.body?.cancel();
    return { status: res.status, text: '' };
  }
  return { status: res.status, text: await res.text() };
}

async function signIn(app: App, username: string, password: string): Promise<Principal['headers']> {
  const c = new ApiClient(app);
  const r = await c.login(username, password);
  assert.equal(r.status, 200, `${username} signs in: ${r.text}`);
  const cookie = r.headers
    .getSetCookie()
    .map((x) => x.split(';')[0])
    .join('; ');
  return { cookie, 'x-csrf-token': c.csrf! };
}

const has = (role: Role, needs: readonly Action[]) =>
  needs.every((a) => actionsOfRole(role).includes(a));

/** The scopes a route is called from, and what each role should get there. */
function cells(rule: RouteRule): { kind: ScopeKind; inside: boolean }[] {
  const inside = rule.in ?? (rule.scope === 'root' ? ['root'] : ['root', 'province']);
  const outside = rule.out ?? ['other'];
  return [
    ...inside.map((kind) => ({ kind, inside: true })),
    ...outside.map((kind) => ({ kind, inside: false })),
  ];
}

function expectFor(rule: RouteRule, role: Role, inside: boolean): Expect {
  if (rule.public) return 'allowed';
  if (!has(role, rule.needs)) return 'forbidden';
  if (inside || rule.scope === 'none' || rule.scope === 'list') return 'allowed';
  return 'refused';
}

const isWrite = (rule: RouteRule) => rule.method !== 'GET';

/**
 * The matrix on one engine. Each engine has its own test file (authz-matrix.<engine>.test.ts):
 * the matrix calls every route some 40 times and one file running both engines came near the
 * runner's 10-minute limit per file on CI's two cores.
 */
export function authzMatrix(engine: Engine): void {
  describe(`authorization matrix on ${engine}`, () => {
    let t: TestDb;
    let app: App;
    let f: Fixtures;
    const users = new Map<string, Principal>();
    const tokens = new Map<string, Principal>();
    const anonymous: Principal = { label: 'anonymous', code: 'VN', headers: {} };
    let cases = 0;
    const tally = { 'role × scope': 0, anonymous: 0, token: 0 };
    let routesRun = 0;

    const count = async (table: string) => {
      const r = await t.database.db
        .selectFrom(table as 'audit_event')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    };

    /** A root token holding every permission but the route's first one. */
    const tokenWithout = async (action: Action): Promise<Principal> => {
      let p = tokens.get(action);
      if (!p) {
        const { token } = await t.services.auth.createToken('system', {
          name: `mx-without-${action}`,
          scope: { version: VERSION, code: 'VN' },
          permissions: ACTIONS.filter((a) => a !== action),
        });
        p = {
          label: `token without ${action}`,
          code: 'VN',
          headers: { authorization: `Bearer ${token}` },
        };
        tokens.set(action, p);
      }
      return p;
    };

    /** A root token holding exactly these permissions. */
    const tokenWith = async (actions: Action[]): Promise<Principal> => {
      const key = `with ${actions.join(',')}`;
      let p = tokens.get(key);
      if (!p) {
        const { token } = await t.services.auth.createToken('system', {
          name: `mx-${key}`,
          scope: { version: VERSION, code: 'VN' },
          permissions: actions,
        });
        p = {
          label: `token ${key}`,
          code: 'VN',
          headers: { authorization: `Bearer ${token}` },
        };
        tokens.set(key, p);
      }
      return p;
    };

    before(async () => {
      t = await openTestDb(engine, { clock: () => NOW });
      app = createApp(t.services);
      const admin = new ApiClient(app);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      type Answer = Awaited<ReturnType<ApiClient['get']>>;
      const ok = async (r: Promise<Answer>, status = 200) => {
        const x = await r;
        assert.equal(x.status, status, x.text);
        return x.json;
      };
      await ok(
        admin.post('/api/metadata', {
          dataElements: [
            {
              code: 'MX_CASES',
              nameVi: 'Số ca mx',
              nameEn: 'mx cases',
              sector: 'postal',
              valueType: 'integer',
              aggTime: 'sum',
            },
          ],
          indicators: [
            {
              code: 'MX_DOUBLE',
              nameVi: 'Gấp đôi số ca mx',
              nameEn: 'mx cases doubled',
              sector: 'postal',
              formula: '#{MX_CASES} * 2',
            },
          ],
          dataSets: [
            {
              code: 'MX_DAILY',
              nameVi: 'Báo cáo ngày mx',
              nameEn: 'mx daily report',
              periodType: 'day',
              version: VERSION,
              level: 2,
              dueDays: 1,
              expiryDays: 60,
              elements: ['MX_CASES'],
            },
          ],
        }),
      );
      const unit = SCOPE_CODES.unit;
      const province = SCOPE_CODES.province;
      await ok(
        admin.post('/api/dataValueSets', {
          dataValues: [
            {
              dataElement: 'MX_CASES',
              period: '2026-11-22',
              orgUnit: unit,
              value: '4242',
              comment: 'mx-value-comment',
            },
          ],
        }),
      );
      const form = await ok(
        admin.get(`/api/dataEntry/form?dataSet=MX_DAILY&orgUnit=${unit}&period=2026-11-22`),
      );
      const groupName = 'Nhóm mx Hồ Chí Minh';
      await ok(
        admin.post('/api/groups', {
          version: VERSION,
          code: 'mx-group-hcm',
          name: groupName,
          owner: province,
          definition: { codes: [unit] },
        }),
        201,
      );
      const ruleName = 'Quy tắc mx Hồ Chí Minh';
      const rule = await ok(
        admin.post('/api/alerts/rules', {
          nameVi: ruleName,
          nameEn: 'mx rule of Ho Chi Minh City',
          subject: 'MX_CASES',
          unit: { version: VERSION, code: province },
          level: 2,
          periodType: 'day',
          operator: '>',
          threshold: 1_000_000,
        }),
        201,
      );
      await t.services.auth.createToken('system', {
        name: 'mx-token-hcm',
        scope: { version: VERSION, code: province },
        permissions: ['data.read'],
      });
      const adminHeaders = await signIn(app, 'admin', ADMIN_PASSWORD);
      const adminPrincipal = { label: 'admin', code: 'VN', headers: adminHeaders };
      const attachmentText = 'mx-attachment-bytes';
      const upload = await call(app, adminPrincipal, 'POST', {
        path: '/api/attachments',
        body: uploadForm(attachmentText),
      });
      assert.equal(upload.status, 201, upload.text);
      const attachmentId = JSON.parse(upload.text).id as number;
      // To a ward of Hồ Chí Minh City and one of Hà Nội, as in the issue: its recipients' common
      // ancestor is the nation, which must not make it readable everywhere.
      const directiveTitle = 'Chỉ đạo mx gửi hai phường';
      const directive = await ok(
        admin.post('/api/directives', {
          title: directiveTitle,
          body: 'Nội dung chỉ đạo mx',
          dueDate: '2026-12-31',
          target: { kind: 'units', version: VERSION, units: [unit, '00004'] },
          attachmentIds: [attachmentId],
        }),
        201,
      );
      const taskTitle = 'Việc mx của phường Sài Gòn';
      const task = await ok(
        admin.post('/api/tasks', {
          title: taskTitle,
          unit,
          version: VERSION,
          dueDate: '2026-12-31',
        }),
        201,
      );
      const planNote = 'mx-plan-note';
      await ok(admin.post(`/api/plans/${unit}/2026-W48/submit`, { note: planNote }));
      await ok(admin.post('/api/validationRules', validationRule('MX_VR')), 201);
      const change = await t.database.db
        .selectFrom('org_unit_change')
        .select('id')
        .where('version', '=', VERSION)
        .where('code', '=', '75')
        .executeTakeFirstOrThrow();

      // A briefing of the ward (issue 18): a template over the fixtures' element, a draft and
      // an issued one; issuing consumes a draft, so each call of that route makes its own.
      await ok(admin.post('/api/briefingTemplates', briefingTemplate('MX_BRIEFING')));
      const draft = async () =>
        (
          await ok(
            admin.post('/api/briefings', {
              template: 'MX_BRIEFING',
              period: '2026-10',
              unit,
              version: VERSION,
            }),
            201,
          )
        ).id as number;
      const briefingId = await draft();
      const issuedBriefingId = await draft();
      await ok(admin.post(`/api/briefings/${issuedBriefingId}/issue`, {}));

      let n = 0;

      // Boards (issue 19): the national admin's, shared with the ward (read), and fresh ones
      // shared with it to edit, for the routes that change or delete one.
      const boardName = 'Bảng mx chung';
      const makeBoard = async (name: string, access: 'read' | 'edit') =>
        (
          await ok(
            admin.post('/api/boards', {
              name,
              version: VERSION,
              panels: [boardPanel()],
              shares: [{ kind: 'unit', unit, access }],
            }),
            201,
          )
        ).id as number;
      const boardId = await makeBoard(boardName, 'read');

      // A citizen's report to the ward, with a photo (issue 20).
      const reportText = 'mx-report-description';
      const photo = await t.services.store.repos.attachments.insert({
        fileName: 'mx.png',
        contentType: 'image/png',
        bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
        createdBy: citizenUploadKey('mx-photo-key'),
        at: NOW,
      });
      const report = await t.services.citizenReports.receive({
        category: 'THU_TUC_HANH_CHINH',
        description: reportText,
        place: { unit },
        contact: { phone: '0912345678' },
        photos: [{ id: photo.id, key: 'mx-photo-key' }],
      });
      const reportId = (await t.services.store.repos.citizenReports.byCode(report.code))!.id;

      let outliers = 0;
      f = {
        reportId,
        reportCode: report.code,
        reportText,
        reportPhotoId: photo.id,
        boardId,
        boardName,
        freshBoard: async () => ({ id: await makeBoard(`Bảng mx ${++n}`, 'edit'), revision: 1 }),
        briefingId,
        issuedBriefingId,
        freshBriefing: draft,
        version: VERSION,
        unit,
        province,
        week: '2026-W49',
        decidedWeek: '2026-W48',
        directiveId: directive.directive.id,
        directiveTitle,
        taskId: task.id,
        taskTitle,
        attachmentId,
        attachmentText,
        ruleId: rule.id,
        ruleName,
        groupCode: 'mx-group-hcm',
        groupName,
        tokenName: 'mx-token-hcm',
        userMarker: 'mx-viewer-unit',
        valueComment: 'mx-value-comment',
        planNote,
        changeId: Number(change.id),
        dataSet: 'MX_DAILY',
        element: 'MX_CASES',
        period: '2026-11-22',
        fieldKey: form.fields[0].key,
        seq: () => ++n,
        throttledUser: 'mx-throttled',
        failSignIn: async () => {
          await call(app, anonymous, 'POST', {
            path: '/api/auth/login',
            json: { username: 'mx-throttled', password: 'wrong-password-1' },
          });
        },
        freshToken: async () =>
          (
            await t.services.auth.createToken('system', {
              name: `mx-fresh-${++n}`,
              scope: { version: VERSION, code: unit },
              permissions: ['data.read'],
            })
          ).id,
        freshLock: async () =>
          (
            await ok(
              admin.post('/api/periodLocks', { period: nthDay(2017, ++n), dataSet: 'MX_DAILY' }),
              201,
            )
          ).id,
        validationRule: 'MX_VR',
        freshMinMax: async () => {
          await ok(
            admin.post('/api/minMaxDataElements', {
              source: { id: unit },
              dataElement: { id: 'MX_CASES' },
              min: 0,
              max: 100000,
            }),
            201,
          );
        },
        freshOutlier: async () => {
          // Days of its own in the 2025 tree, within the data set's expiry (60 days before NOW).
          const period = new Date(Date.UTC(2026, 8, 30) + ++outliers * 86_400_000)
            .toISOString()
            .slice(0, 10);
          const range = (max: number) =>
            ok(
              admin.post('/api/minMaxDataElements', {
                source: { id: unit },
                dataElement: { id: 'MX_CASES' },
                min: 0,
                max,
              }),
              201,
            );
          await range(10);
          await ok(
            admin.post('/api/dataValueSets', {
              dataValues: [{ dataElement: 'MX_CASES', period, orgUnit: unit, value: '50' }],
            }),
          );
          await range(100000);
          return { period };
        },
        freshCitizenCategory: async () => {
          const code = `MX_CC_FRESH_${++n}`;
          await ok(admin.post('/api/citizenCategories', citizenCategory(code)), 201);
          return code;
        },
        freshValidationRule: async () => {
          const code = `MX_VR_FRESH_${++n}`;
          await ok(admin.post('/api/validationRules', validationRule(code)), 201);
          return code;
        },
        freshMilestone: async () => {
          const x = await ok(
            admin.post('/api/tasks', {
              title: `Việc mx có mốc ${++n}`,
              unit,
              version: VERSION,
              dueDate: '2026-12-31',
              milestones: [{ title: 'Mốc mx', due: '2026-12-01' }],
            }),
            201,
          );
          return { taskId: x.id, milestoneId: x.milestones[0].id };
        },
      };

      await t.services.auth.createUser('system', {
        username: 'mx-login',
        password: PASSWORD,
        role: 'viewer',
        scope: { version: VERSION, code: unit },
      });
      await t.services.auth.createUser('system', {
        username: f.throttledUser,
        password: PASSWORD,
        role: 'viewer',
        scope: { version: VERSION, code: unit },
      });
      // Twenty callers: each role at each scope, signed in through the login route.
      await Promise.all(
        ROLES.flatMap((role) =>
          (Object.keys(SCOPE_CODES) as ScopeKind[]).map(async (kind) => {
            const username = `mx-${role}-${kind}`;
            await t.services.auth.createUser('system', {
              username,
              password: PASSWORD,
              role,
              scope: { version: VERSION, code: SCOPE_CODES[kind] },
            });
            users.set(`${role}@${kind}`, {
              label: `${role}@${kind}`,
              code: SCOPE_CODES[kind],
              headers: await signIn(app, username, PASSWORD),
            });
          }),
        ),
      );
    });

    after(async () => {
      console.log(
        `authorization matrix on ${engine}: ${routesRun} routes, ${cases} route × caller × scope cases ` +
          `(${Object.entries(tally)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ')})`,
      );
      await t.close();
    });

    it('has a rule for every route the app serves and documents, and none for a route that is gone', async () => {
      const served = servedRoutes(app);
      const res = await app.request('/api/openapi.json');
      assert.equal(res.status, 200);
      const documented = documentedRoutes(await res.json());
      const table = AUTHZ_RULES.map((r) => routeKey(r.method, r.path));
      const ruled = new Set(table);
      assert.deepEqual(
        table.filter((k, i) => table.indexOf(k) !== i),
        [],
        'one rule per route',
      );
      assert.deepEqual(
        [...served].filter((k) => !ruled.has(k)),
        [],
        'served routes without a rule in src/api/authz-matrix.ts',
      );
      assert.deepEqual(
        [...documented].filter((k) => !ruled.has(k)),
        [],
        'documented routes without a rule in src/api/authz-matrix.ts',
      );
      assert.deepEqual(
        table.filter((k) => !served.has(k)),
        [],
        'rules for routes the app does not serve',
      );
      assert.deepEqual(
        [...documented].filter((k) => !served.has(k)),
        [],
        'routes in the OpenAPI document that the app does not serve',
      );
    });

    const ordered = [...AUTHZ_RULES.filter((r) => !r.last), ...AUTHZ_RULES.filter((r) => r.last)];
    for (const rule of ordered) {
      it(`${rule.method} ${rule.path}`, async () => {
        routesRun++;
        const failures: string[] = [];
        const marker = rule.marker?.(f);
        const run = async (who: Principal, expect: Expect, inside = true) => {
          cases++;
          tally[
            who === anonymous
              ? 'anonymous'
              : who.label.startsWith('token')
                ? 'token'
                : 'role × scope'
          ]++;
          const sample = await rule.sample(f, who);
          const write = isWrite(rule) && expect !== 'allowed';
          const before = write
            ? [await count('audit_event'), rule.table ? await count(rule.table) : 0]
            : [];
          const r = await call(app, who, rule.method, sample);
          const fail = (why: string) =>
            failures.push(
              `${who.label}: expected ${expect}, got ${r.status} — ${why}` +
                (rule.directiveVisibility ? ' [directive visibility]' : '') +
                ` ${r.text.slice(0, 160)}`,
            );
          if (r.status >= 500) return fail('server error');
          if (expect === 'allowed') {
            if ([401, 403, 404].includes(r.status)) return fail('authorization did not pass');
            if (!inside && rule.scope === 'list' && marker && r.text.includes(marker))
              fail(`a list out of scope shows ${marker}`);
            else if (
              inside &&
              marker &&
              !rule.markerOnlyAbsent &&
              r.status < 300 &&
              !r.text.includes(marker)
            )
              fail(`the answer lacks ${marker}`);
            return;
          }
          const rows = expect === 'refused' ? rule.rowLevel : undefined;
          const wanted =
            expect === 'unauthenticated'
              ? [401]
              : expect === 'forbidden'
                ? [403]
                : rows
                  ? [200, 409]
                  : [403, 404];
          if (!wanted.includes(r.status)) fail('not refused');
          if (rows && !(r.text.includes(rows.conflict) && /"imported":0,"updated":0/.test(r.text)))
            fail(`rows not rejected with ${rows.conflict}`);
          if (marker && r.text.includes(marker)) fail(`the answer shows ${marker}`);
          if (write) {
            const after = [await count('audit_event'), rule.table ? await count(rule.table) : 0];
            if (after[0] !== before[0] && !rows?.auditsAttempt)
              fail('a refused write left an audit row');
            if (after[1] !== before[1]) fail(`a refused write changed ${rule.table}`);
          }
        };

        await run(anonymous, rule.public ? 'allowed' : 'unauthenticated');
        if (rule.needs.length) {
          await run(await tokenWithout(rule.needs[0]!), 'forbidden');
          // A token acts with its own permissions: exactly these pass, at the national scope.
          if (cells(rule).some((c) => c.kind === 'root' && c.inside))
            await run(await tokenWith([...rule.needs, ...(rule.tokenAlso ?? [])]), 'allowed');
        }
        for (const role of ROLES)
          for (const { kind, inside } of cells(rule)) {
            const who = users.get(`${role}@${kind}`)!;
            await run(who, expectFor(rule, role, inside), inside);
          }
        assert.deepEqual(failures, [], `${rule.method} ${rule.path}`);
      });
    }
  });
}
