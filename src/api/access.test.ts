import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, type Role } from '../domain/access.ts';
import { ADMIN_PASSWORD, openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * The authorization matrix: each role, scoped to Quận 1 (district 760 of Hồ Chí Minh City,
 * 2022 tree), reading and writing its own unit, a unit below, a sibling district and the parent.
 */
const V = '2022';
const OWN = '760';
const BELOW = '26740'; // Phường Bến Nghé
const SIBLING = '761'; // Quận 12
const PARENT = '79';
const PASSWORD = 'Role-test-pw-1';
const WRITERS: Role[] = ['admin', 'leader', 'officer'];

for (const engine of testEngines()) {
  describe(`authorization matrix on ${engine}`, () => {
    let t: TestDb;
    const clients = new Map<Role, ApiClient>();
    before(async () => {
      t = await openTestDb(engine);
      for (const role of ROLES) {
        await t.services.auth.createUser('system', {
          username: `q1-${role}`,
          password: PASSWORD,
          role,
          scope: { version: V, code: OWN },
        });
        const c = ApiClient.for(t.services);
        assert.equal((await c.login(`q1-${role}`, PASSWORD)).status, 200);
        clients.set(role, c);
      }
    });
    after(() => t.close());

    const targets = { own: OWN, below: BELOW, sibling: SIBLING, parent: PARENT } as const;

    for (const role of ROLES) {
      for (const [where, code] of Object.entries(targets)) {
        const allowed = where === 'own' || where === 'below';
        it(`${role} reads ${where} unit: ${allowed ? 200 : 403}`, async () => {
          const r = await clients.get(role)!.get(`/api/orgunits/${code}?version=${V}`);
          assert.equal(r.status, allowed ? 200 : 403);
          if (allowed) assert.equal(r.json.code, code);
          else {
            assert.equal(r.json.error.code, 'out_of_scope');
            assert.equal(r.json.fullName, undefined, 'no data of the unit leaks');
          }
        });

        const mayWrite = allowed && WRITERS.includes(role);
        it(`${role} writes (creates a group) at ${where} unit: ${mayWrite ? 201 : 403}`, async () => {
          const r = await clients.get(role)!.post('/api/groups', {
            version: V,
            code: `g-${role.replace('_', '-')}-${where}`,
            name: `Nhóm ${role} ${where}`,
            owner: code,
            definition: { under: [{ code, level: 3 }] },
          });
          assert.equal(r.status, mayWrite ? 201 : 403, JSON.stringify(r.json));
          if (!mayWrite)
            assert.equal(r.json.error.code, WRITERS.includes(role) ? 'out_of_scope' : 'forbidden');
        });
      }
    }

    it('lists only units in scope, and filters a parent above the scope', async () => {
      const officer = clients.get('officer')!;
      const wards = await officer.get(`/api/orgunits?version=${V}&level=3`);
      assert.equal(wards.status, 200);
      assert.equal(wards.json.total, 10); // the 10 wards of Quận 1
      assert.ok(wards.json.items.every((u: { path: string }) => u.path.startsWith('/VN/79/760/')));
      const underHcm = await officer.get(`/api/orgunits?version=${V}&parent=79`);
      assert.deepEqual(
        underHcm.json.items.map((u: { code: string }) => u.code),
        [OWN],
      );
      const sibling = await officer.get(`/api/orgunits/${SIBLING}/children?version=${V}`);
      assert.equal(sibling.status, 403);
      const search = await officer.get(`/api/orgunits?version=${V}&q=phuong%201`);
      assert.ok(search.json.items.every((u: { path: string }) => u.path.startsWith('/VN/79/760/')));
    });

    it('refuses a tree of another version than the scope', async () => {
      const r = await clients.get('leader')!.get('/api/orgunits?version=2025&level=1');
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'out_of_scope');
    });

    it('records every write in the audit log with who, what, before and after', async () => {
      const admin = ApiClient.for(t.services);
      await admin.login('admin', ADMIN_PASSWORD);
      const r = await admin.get('/api/audit?entityType=unit_group&limit=50');
      const leaderWrite = r.json.items.find(
        (e: { after: { code: string } }) => e.after?.code === 'g-leader-own',
      );
      assert.ok(leaderWrite, 'the leader’s group is in the audit log');
      assert.equal(leaderWrite.actor.name, 'q1-leader');
      assert.equal(leaderWrite.action, 'group.create');
      assert.deepEqual(leaderWrite.unit, { version: V, code: OWN });
      assert.equal(leaderWrite.after.members, 10);
      assert.ok(
        !r.json.items.some((e: { after: { code: string } }) => e.after?.code === 'g-viewer-own'),
        'refused writes leave nothing',
      );
      // A leader reads the audit log of its own scope only.
      const leaderLog = await clients.get('leader')!.get('/api/audit?limit=200');
      assert.equal(leaderLog.status, 200);
      assert.ok(
        leaderLog.json.items.every(
          (e: { unit: { code: string } | null }) =>
            e.unit && ['760', '26740'].includes(e.unit.code),
        ),
      );
    });
  });
}
