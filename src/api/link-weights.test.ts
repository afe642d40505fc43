/**
 * The weights of split links (issue 16): listed with their defaults, set and reset through the
 * API, refused whole when wrong (nothing changed), audited, told live, and carried by analytics.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';
import type { LinkWeightList, LinkWeightsResult, WeightRow } from '../contract/carry.ts';

const PW = 'Weights-pw-123';
// Commune 00007 of 2025-03 was split between 00008 and 00025 of 2025 (`partial` links).
const SPLIT_OLD = '00007';
const [A, B] = ['00008', '00025'] as const;
const FROM = '2025-03';
const TO = '2025';

const row = (fromCode: string, toCode: string, share: number): WeightRow => ({
  fromVersion: FROM,
  fromCode,
  toVersion: TO,
  toCode,
  share,
});

const metadata = {
  dataElements: [
    {
      code: 'WEIGHT_FLOW',
      nameVi: 'Số hồ sơ tiếp nhận',
      nameEn: 'Applications received',
      sector: 'ict',
      valueType: 'integer',
      aggTime: 'sum',
    },
  ],
};

interface Cell {
  ou: string;
  value: number | null;
  carried?: { exact: boolean; estimatedShare: number };
}

for (const engine of testEngines()) {
  describe(`weights of split links on ${engine}`, () => {
    let t: TestDb;
    let admin: ApiClient;
    let leader: ApiClient;
    let provinceAdmin: ApiClient;

    const list = async (q = `from=${FROM}&to=${TO}&code=${SPLIT_OLD}`) => {
      const r = await admin.get(`/api/link-weights?${q}`);
      assert.equal(r.status, 200, r.text);
      return r.json as LinkWeightList;
    };
    const shares = async () =>
      Object.fromEntries((await list()).items.map((w) => [w.toCode, w.share]));
    const put = (c: ApiClient, body: unknown, extra?: Record<string, string>) =>
      c.request('PUT', '/api/link-weights', body, extra);
    const del = (c: ApiClient, q: string) => c.request('DELETE', `/api/link-weights?${q}`);
    const value = async (ou: string) => {
      const r = await admin.get(
        `/api/analytics/query?dx=WEIGHT_FLOW&pe=2025-05&ou=${ou}&version=2025`,
      );
      assert.equal(r.status, 200, r.text);
      const items = (r.json as { items: Cell[] }).items;
      return items.find((x) => x.ou === ou)!;
    };
    const audits = async (action: string) =>
      (
        await sql<{ n: number }>`select count(*)::int as n from audit_event
          where action = ${action}`.execute(t.database.db)
      ).rows[0]!.n;
    const weightEvents = async () =>
      (await t.services.live.since(0, 10_000, { topics: ['weights'], scope: null })).map(
        (e) => JSON.parse(e.json) as { from: string; to: string; units: string[] },
      );

    before(async () => {
      t = await openTestDb(engine);
      admin = ApiClient.for(t.services);
      assert.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 200);
      for (const [username, role, code] of [
        ['wl-leader', 'leader', 'VN'],
        ['wl-admin79', 'admin', '79'],
      ] as const)
        await t.services.auth.createUser('system', {
          username,
          password: PW,
          role,
          scope: { version: TO, code },
        });
      leader = ApiClient.for(t.services);
      assert.equal((await leader.login('wl-leader', PW)).status, 200);
      provinceAdmin = ApiClient.for(t.services);
      assert.equal((await provinceAdmin.login('wl-admin79', PW)).status, 200);
      assert.equal((await admin.post('/api/metadata', metadata)).status, 200);
      const v = (orgUnit: string, value: number) => ({
        dataElement: 'WEIGHT_FLOW',
        period: '202505',
        orgUnit,
        value: String(value),
      });
      // May 2025: stored on the 2025-03 tree.
      const r = await admin.post('/api/data/import', {
        dataValues: [v(SPLIT_OLD, 100), v('26734', 11), v('00004', 13)],
      });
      assert.equal(r.status, 200, r.text);
    });
    after(() => t.close());

    it('lists every split link with the default equal shares', async () => {
      const one = await list();
      assert.equal(one.units, 1);
      assert.equal(one.set, 0);
      assert.deepEqual(
        one.items.map((w) => [w.toCode, w.share, w.default, w.basis, w.setBy, w.setAt]),
        [
          [A, 0.5, true, null, null, null],
          [B, 0.5, true, null, null, null],
        ],
      );
      assert.ok(one.items[0]!.fromName.length > 0 && one.items[0]!.toName.length > 0);
      const all = await list(`from=${FROM}&to=${TO}`);
      assert.equal(all.units, 459, 'the reform split 459 old communes');
      assert.equal(all.set, 0);
      // Back along the links (new → old), a new commune made of several old ones.
      const back = await list(`from=${TO}&to=${FROM}&code=${A}`);
      assert.ok(back.items.some((w) => w.toCode === SPLIT_OLD));
      const sum = back.items.reduce((s, w) => s + w.share, 0);
      assert.ok(Math.abs(sum - 1) < 1e-9, String(sum));
      // Any signed-in reader may list them.
      assert.equal((await leader.get(`/api/link-weights?from=${FROM}&to=${TO}`)).status, 200);
    });

    it('sets 0.7 / 0.3: analytics divides accordingly, the nation is unchanged', async () => {
      const [a0, b0, nation0] = [await value(A), await value(B), await value('VN')];
      assert.equal(a0.carried?.exact, false, 'estimated');
      const before = {
        set: await audits('carry.weights.set'),
        events: (await weightEvents()).length,
      };
      const r = await put(admin, {
        basis: 'dân số 2024',
        weights: [row(SPLIT_OLD, A, 0.7), row(SPLIT_OLD, B, 0.3)],
      });
      assert.equal(r.status, 200, r.text);
      const res = r.json as LinkWeightsResult;
      assert.equal(res.weights, 2);
      assert.ok(res.pairs.some(([x, y]) => x === TO && y === FROM));
      assert.ok(res.rows > 0);
      const l = await list();
      assert.deepEqual(
        l.items.map((w) => [w.toCode, w.share, w.default, w.basis, w.setBy]),
        [
          [A, 0.7, false, 'dân số 2024', 'admin'],
          [B, 0.3, false, 'dân số 2024', 'admin'],
        ],
      );
      assert.equal(l.set, 1);
      assert.ok(l.items[0]!.setAt);
      const [a1, b1, nation1] = [await value(A), await value(B), await value('VN')];
      assert.ok(Math.abs(a1.value! - (a0.value! - 50 + 70)) < 1e-9, `${a0.value} → ${a1.value}`);
      assert.ok(Math.abs(b1.value! - (b0.value! - 50 + 30)) < 1e-9, `${b0.value} → ${b1.value}`);
      assert.equal(nation1.value, nation0.value);
      assert.equal(nation1.value, 124);
      // Audited, and told live to everyone signed in.
      assert.equal(await audits('carry.weights.set'), before.set + 1);
      const [last] = await t.services.store.repos.audit.list({ limit: 1 });
      assert.equal(last!.action, 'carry.weights.set');
      assert.equal(last!.actor_name, 'admin');
      assert.deepEqual((last!.after as { units: number }).units, 1);
      const events = await weightEvents();
      assert.equal(events.length, before.events + 1);
      assert.deepEqual(events.at(-1), { from: FROM, to: TO, units: [SPLIT_OLD] });
    });

    it('refuses every bad input whole, and changes nothing', async () => {
      const listed = await list(`from=${FROM}&to=${TO}`);
      const audited = (
        await sql<{ n: number }>`select count(*)::int as n from audit_event`.execute(t.database.db)
      ).rows[0]!.n;
      const events = (await weightEvents()).length;
      // A 2025 commune that is no target of 00007, and a 2025-03 commune with a single link.
      const other = listed.items.find((w) => w.fromCode !== SPLIT_OLD)!.toCode;
      const links = await t.services.store.repos.carry.links();
      const count = new Map<string, number>();
      for (const l of links)
        if (l.fromVersion === FROM && l.toVersion === TO)
          count.set(l.fromCode, (count.get(l.fromCode) ?? 0) + 1);
      const single = links.find(
        (l) =>
          l.fromVersion === FROM &&
          l.toVersion === TO &&
          l.fromCode.length === 5 &&
          count.get(l.fromCode) === 1,
      )!;
      const cases: [string, WeightRow[], number, string, string?][] = [
        [
          'a tree that does not exist',
          [{ ...row(SPLIT_OLD, A, 1), toVersion: '2019' }],
          404,
          'unknown_version',
        ],
        [
          'a unit of another tree',
          [row(SPLIT_OLD, A, 0.5), row(SPLIT_OLD, SPLIT_OLD, 0.5)],
          400,
          'unit_in_other_tree',
        ],
        ['a unit of no tree', [row('99999', A, 1)], 404, 'unknown_unit'],
        [
          'a link that does not exist',
          [row(SPLIT_OLD, A, 0.5), row(SPLIT_OLD, B, 0.3), row(SPLIT_OLD, other, 0.2)],
          422,
          'link_weights_invalid',
          'no_link',
        ],
        [
          'a link that is not split',
          [row(single.fromCode, single.toCode, 1)],
          422,
          'link_weights_invalid',
          'not_split',
        ],
        [
          'a negative share',
          [row(SPLIT_OLD, A, 1.2), row(SPLIT_OLD, B, -0.2)],
          422,
          'link_weights_invalid',
          'negative',
        ],
        [
          'a share above 1',
          [row(SPLIT_OLD, A, 1.2), row(SPLIT_OLD, B, -0.2)],
          422,
          'link_weights_invalid',
          'above_one',
        ],
        [
          'shares not summing to 1',
          [row(SPLIT_OLD, A, 0.5), row(SPLIT_OLD, B, 0.2)],
          422,
          'link_weights_invalid',
          'sum',
        ],
        [
          'a missing link of the unit',
          [row(SPLIT_OLD, A, 1)],
          422,
          'link_weights_invalid',
          'missing_links',
        ],
        [
          'a link given twice',
          [row(SPLIT_OLD, A, 0.7), row(SPLIT_OLD, A, 0.7), row(SPLIT_OLD, B, 0.3)],
          422,
          'link_weights_invalid',
          'duplicate',
        ],
      ];
      for (const [what, weights, status, code, problem] of cases) {
        const r = await put(admin, { basis: 'thử', weights });
        assert.equal(r.status, status, `${what}: ${r.text}`);
        const e = (
          r.json as {
            error: { code: string; messages: { vi: string; en: string }; details: unknown };
          }
        ).error;
        assert.equal(e.code, code, what);
        assert.ok(e.messages.vi.length > 0 && e.messages.en.length > 0, what);
        if (problem) {
          const d = e.details as {
            problems: { problem: string; vi: string; en: string }[];
            total: number;
          };
          assert.ok(
            d.problems.some((p) => p.problem === problem),
            `${what}: ${JSON.stringify(d)}`,
          );
          assert.equal(d.total, d.problems.length);
          assert.ok(d.problems.every((p) => p.vi && p.en));
        }
      }
      // Many problems: the list is capped, the total said.
      const many = listed.items.map((w) => ({ ...row(w.fromCode, w.toCode, 0.9) }));
      const r = await put(admin, { basis: 'thử', weights: many });
      assert.equal(r.status, 422);
      const d = (r.json as { error: { details: { problems: unknown[]; total: number } } }).error
        .details;
      assert.equal(d.problems.length, 100);
      assert.equal(d.total, 459);
      // Malformed requests.
      assert.equal((await put(admin, { basis: '', weights: [row(SPLIT_OLD, A, 1)] })).status, 400);
      assert.equal((await put(admin, { basis: 'x', weights: [] })).status, 400);
      assert.equal(
        (await put(admin, { basis: 'x', weights: [{ ...row(SPLIT_OLD, A, 1), share: '1' }] }))
          .status,
        400,
      );
      assert.equal((await del(admin, `from=2019&to=${TO}`)).status, 404);
      assert.equal((await del(admin, `from=${TO}&to=${FROM}&code=${SPLIT_OLD}`)).status, 400);
      assert.equal((await admin.get(`/api/link-weights?from=${FROM}&to=2019`)).status, 404);
      // Nothing changed.
      assert.deepEqual(await list(`from=${FROM}&to=${TO}`), listed);
      const now = (
        await sql<{ n: number }>`select count(*)::int as n from audit_event`.execute(t.database.db)
      ).rows[0]!.n;
      assert.equal(now, audited, 'no audit record');
      assert.equal((await weightEvents()).length, events, 'no live event');
    });

    it('refuses callers who may not manage units, or not nationally (403)', async () => {
      const body = { basis: 'x', weights: [row(SPLIT_OLD, A, 0.6), row(SPLIT_OLD, B, 0.4)] };
      const q = `from=${FROM}&to=${TO}&code=${SPLIT_OLD}`;
      for (const [who, c, code] of [
        ['a leader', leader, 'forbidden'],
        ['an admin of a province', provinceAdmin, 'out_of_scope'],
      ] as const) {
        for (const r of [await put(c, body), await del(c, q)]) {
          assert.equal(r.status, 403, `${who}: ${r.text}`);
          assert.equal((r.json as { error: { code: string } }).error.code, code);
        }
      }
      assert.deepEqual(await shares(), { [A]: 0.7, [B]: 0.3 });
    });

    it('replays a PUT retried with the same Idempotency-Key, applied once', async () => {
      const body = {
        basis: 'diện tích',
        weights: [row(SPLIT_OLD, A, 0.6), row(SPLIT_OLD, B, 0.4)],
      };
      const key = { 'Idempotency-Key': 'weights-retry-1' };
      const before = await audits('carry.weights.set');
      const first = await put(admin, body, key);
      assert.equal(first.status, 200, first.text);
      const again = await put(admin, body, key);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.json, first.json);
      assert.equal(await audits('carry.weights.set'), before + 1);
      assert.deepEqual(await shares(), { [A]: 0.6, [B]: 0.4 });
      // The same key with another body is refused.
      const other = await put(admin, { ...body, basis: 'khác' }, key);
      assert.equal(other.status, 422, other.text);
    });

    it('resets to the defaults, audited and told live', async () => {
      const events = (await weightEvents()).length;
      const r = await del(admin, `from=${FROM}&to=${TO}&code=${SPLIT_OLD}`);
      assert.equal(r.status, 200, r.text);
      assert.equal((r.json as LinkWeightsResult).weights, 2);
      const l = await list();
      assert.deepEqual(
        l.items.map((w) => [w.share, w.default, w.basis]),
        [
          [0.5, true, null],
          [0.5, true, null],
        ],
      );
      const [last] = await t.services.store.repos.audit.list({ limit: 1 });
      assert.equal(last!.action, 'carry.weights.reset');
      assert.equal((last!.before as { links: number }).links, 2);
      const all = await weightEvents();
      assert.equal(all.length, events + 1);
      assert.deepEqual(all.at(-1), { from: FROM, to: TO, units: [SPLIT_OLD] });
      // Nothing left to remove: nothing changes, nothing is audited.
      const audited = await audits('carry.weights.reset');
      const again = await del(admin, `from=${FROM}&to=${TO}&code=${SPLIT_OLD}`);
      assert.equal(again.status, 200);
      assert.equal((again.json as LinkWeightsResult).weights, 0);
      assert.equal(await audits('carry.weights.reset'), audited);
    });

    it('applies two changes sent at once one after the other, the map holding both', async () => {
      const all = await list(`from=${FROM}&to=${TO}`);
      const other = all.items.find((w) => w.fromCode !== SPLIT_OLD)!.fromCode;
      const targets = all.items.filter((w) => w.fromCode === other).map((w) => w.toCode);
      const [a0, b0] = [await value(A), await value(B)];
      const [r1, r2] = await Promise.all([
        put(admin, { basis: 'x', weights: [row(SPLIT_OLD, A, 0.9), row(SPLIT_OLD, B, 0.1)] }),
        put(admin, {
          basis: 'y',
          weights: targets.map((to, i) => row(other, to, i === 0 ? 1 : 0)),
        }),
      ]);
      assert.equal(r1.status, 200, r1.text);
      assert.equal(r2.status, 200, r2.text);
      assert.ok(Math.abs((await value(A)).value! - (a0.value! - 50 + 90)) < 1e-9);
      assert.ok(Math.abs((await value(B)).value! - (b0.value! - 50 + 10)) < 1e-9);
      assert.equal((await del(admin, `from=${FROM}&to=${TO}`)).status, 200);
    });

    it('applies the weights of all 459 split old communes in one PUT (timed)', async () => {
      const all = await list(`from=${FROM}&to=${TO}`);
      // Unequal shares: the first link of each unit twice the weight of each other one.
      const byUnit = new Map<string, string[]>();
      for (const w of all.items)
        byUnit.set(w.fromCode, [...(byUnit.get(w.fromCode) ?? []), w.toCode]);
      const weights = [...byUnit].flatMap(([from, tos]) =>
        tos.map((to, i) => row(from, to, (i === 0 ? 2 : 1) / (tos.length + 1))),
      );
      const nation = (await value('VN')).value;
      const started = performance.now();
      const r = await put(admin, { basis: 'dân số 2024', weights });
      const wall = Math.round(performance.now() - started);
      assert.equal(r.status, 200, r.text);
      const res = r.json as LinkWeightsResult;
      assert.equal(res.weights, weights.length);
      console.log(
        `# ${engine}: ${byUnit.size} split units, ${weights.length} links set in ${res.ms} ms (request ${wall} ms); carry map ${res.pairs.length} pairs, ${res.rows} rows`,
      );
      const after = await list(`from=${FROM}&to=${TO}`);
      assert.equal(after.set, 459);
      assert.equal((await value('VN')).value, nation);
      assert.deepEqual(await shares(), { [A]: 2 / 3, [B]: 1 / 3 });
      const back = await del(admin, `from=${FROM}&to=${TO}`);
      assert.equal(back.status, 200);
      assert.equal((back.json as LinkWeightsResult).weights, weights.length);
      console.log(
        `# ${engine}: reset of all ${weights.length} in ${(back.json as LinkWeightsResult).ms} ms`,
      );
      assert.equal((await list(`from=${FROM}&to=${TO}`)).set, 0);
    });
  });
}
