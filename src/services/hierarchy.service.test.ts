import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { actionsOfRole, type Actor } from '../domain/access.ts';
import { AppError } from '../domain/errors.ts';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { SHIPPED_DATA } from './bootstrap.ts';

const admin: Actor = {
  kind: 'user',
  id: '1',
  name: 'admin',
  role: 'admin',
  permissions: actionsOfRole('admin'),
  scope: { version: '2025', code: 'VN', path: '/VN/' },
};

// The counts of data/vn-admin/README.md, per version and level.
const README_COUNTS: Record<string, Record<string, number>> = {
  '2022': { '0': 1, '1': 63, '2': 705, '3': 10599 },
  '2025-03': { '0': 1, '1': 63, '2': 696, '3': 10035 },
  '2025': { '0': 1, '1': 34, '2': 3321 },
};

for (const engine of testEngines()) {
  describe(`hierarchy on ${engine}`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(engine);
    });
    after(() => t.close());

    it('holds the three trees with the counts per level of the data README', async () => {
      const versions = await t.services.hierarchy.versions();
      assert.deepEqual(Object.fromEntries(versions.map((v) => [v.id, v.counts])), README_COUNTS);
      assert.deepEqual(
        versions.map((v) => [v.id, v.validFrom]),
        [
          ['2022', '2022-10-01'],
          ['2025-03', '2025-03-01'],
          ['2025', '2025-07-01'],
        ],
      );
    });

    it('answers the same code with different units in 2022 and 2025', async () => {
      const old = await t.services.hierarchy.get(admin, '26740', '2022');
      const now = await t.services.hierarchy.get(admin, '26740', '2025');
      assert.equal(old.fullName, 'Phường Bến Nghé');
      assert.deepEqual(
        old.ancestors.map((a) => a.fullName),
        ['Việt Nam', 'Thành phố Hồ Chí Minh', 'Quận 1'],
      );
      assert.equal(now.fullName, 'Phường Sài Gòn');
      assert.deepEqual(
        now.ancestors.map((a) => a.fullName),
        ['Việt Nam', 'Thành phố Hồ Chí Minh'],
      );
      assert.ok(now.formedFrom.some((f) => f.code === '26740' && f.fullName === 'Phường Bến Nghé'));
    });

    it('uses the tree in force today by default', async () => {
      const unit = await t.services.hierarchy.get(admin, '26740');
      assert.equal(unit.version, '2025');
    });

    it('lists children, descendants at a level and counts below a unit', async () => {
      const districts = await t.services.hierarchy.list(admin, {
        version: '2022',
        parent: '79',
        limit: 100,
        offset: 0,
      });
      assert.equal(districts.total, 22); // Hồ Chí Minh City in 2022: 16 quận, 5 huyện, TP Thủ Đức
      const communes = await t.services.hierarchy.list(admin, {
        version: '2022',
        parent: '79',
        level: 3,
        limit: 1000,
        offset: 0,
      });
      assert.equal(communes.total, 312);
      assert.ok(communes.items.every((u) => u.path.startsWith('/VN/79/') && u.level === 3));
      const hcm = await t.services.hierarchy.get(admin, '79', '2022');
      assert.deepEqual(hcm.countsBelow, { '2': 22, '3': 312 });
      const vn = await t.services.hierarchy.get(admin, 'VN', '2025');
      assert.deepEqual(vn.countsBelow, { '1': 34, '2': 3321 });
    });

    it('finds units by name without diacritics or case', async () => {
      for (const q of ['ha noi', 'HA NOI', 'Hà Nội']) {
        const r = await t.services.hierarchy.list(admin, {
          version: '2025',
          q,
          limit: 5,
          offset: 0,
        });
        assert.equal(r.items[0]?.fullName, 'Thành phố Hà Nội', q);
      }
    });

    it('lists the 34 wards named Phường 1 or 01 before any Phường 10–19, each with district and province', async () => {
      const r = await t.services.hierarchy.list(admin, {
        version: '2022',
        q: 'phuong 1',
        limit: 60,
        offset: 0,
      });
      const first = r.items.slice(0, 34);
      assert.ok(
        first.every((u) => /^Phường 0?1$/.test(u.fullName)),
        first.map((u) => u.fullName).join(', '),
      );
      assert.ok(!/^Phường 0?1$/.test(r.items[34]!.fullName));
      assert.ok(r.items.slice(34).some((u) => /^Phường 1\d$/.test(u.fullName)));
      for (const u of first) {
        assert.equal(u.ancestors.length, 3);
        assert.equal(u.ancestors[1]!.level, 1);
        assert.equal(u.ancestors[2]!.level, 2);
      }
    });

    it('matches words from their start as a person types', async () => {
      const r = await t.services.hierarchy.list(admin, {
        version: '2022',
        q: 'ben ng',
        limit: 10,
        offset: 0,
      });
      assert.ok(r.items.some((u) => u.fullName === 'Phường Bến Nghé'));
      const none = await t.services.hierarchy.list(admin, {
        version: '2022',
        q: 'en nghe',
        limit: 10,
        offset: 0,
      });
      assert.ok(!none.items.some((u) => u.fullName === 'Phường Bến Nghé'));
    });

    it('finds a 2025 unit by the name it carried before the reform', async () => {
      const r = await t.services.hierarchy.list(admin, {
        version: '2025',
        q: 'ben nghe',
        limit: 10,
        offset: 0,
      });
      const hit = r.items.find((u) => u.code === '26740');
      assert.equal(hit?.fullName, 'Phường Sài Gòn');
      assert.deepEqual((hit as { matchedName?: unknown }).matchedName, {
        name: 'Phường Bến Nghé',
        source: 'former',
        code: '26740',
        version: '2025-03',
      });
    });

    it('applies later renames from their effective date, and undated ones once dated', async () => {
      const before = await t.services.hierarchy.get(admin, '75', '2025', '2026-04-29');
      const after = await t.services.hierarchy.get(admin, '75', '2025', '2026-04-30');
      assert.equal(before.fullName, 'Tỉnh Đồng Nai');
      assert.equal(after.fullName, 'Thành phố Đồng Nai');
      assert.equal(after.renamedBy?.decree, '30/2026/QH16');

      const changes = await t.services.hierarchy.changes(admin, '2025');
      assert.equal(changes.length, 25);
      const announced = changes.filter((c) => c.status === 'announced');
      assert.equal(announced.length, 12);
      const boHa = announced.find((c) => c.code === '07294')!;
      assert.equal(
        (await t.services.hierarchy.get(admin, '07294', '2025', '2027-01-01')).fullName,
        'Xã Bố Hạ',
      );
      await t.services.hierarchy.dateChange(admin, boHa.id, '2026-12-01');
      assert.equal(
        (await t.services.hierarchy.get(admin, '07294', '2025', '2026-11-30')).fullName,
        'Xã Bố Hạ',
      );
      assert.equal(
        (await t.services.hierarchy.get(admin, '07294', '2025', '2026-12-01')).fullName,
        'Phường Bố Hạ',
      );
    });

    it('refuses a broken units file whole and changes nothing', async () => {
      const count = async () =>
        (await sql<{ n: number }>`select count(*)::int as n from org_unit`.execute(t.database.db))
          .rows[0]!.n;
      const audits = async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from audit_event`.execute(
            t.database.db,
          )
        ).rows[0]!.n;
      const [units0, audit0] = [await count(), await audits()];
      const good = readFileSync(join(SHIPPED_DATA, 'units-2025.json'), 'utf8');
      const lines = good.split('\n');
      const broken = {
        malformed: good.replace('"code":"00004"', '"code":00004x'),
        'unknown parent': lines
          .map((l) =>
            l.includes('"code":"00004"') ? l.replace('"parent":"01"', '"parent":"999"') : l,
          )
          .join('\n'),
        duplicate: lines
          .map((l) =>
            l.includes('"code":"00008"') ? l.replace('"code":"00008"', '"code":"00004"') : l,
          )
          .join('\n'),
        cycle: lines
          .map((l) =>
            l.includes('"code":"01"') && l.includes('"province"')
              ? l.replace('"parent":null', '"parent":"00004"').replace('"level":1', '"level":3')
              : l,
          )
          .join('\n'),
      };
      for (const [what, text] of Object.entries(broken)) {
        await assert.rejects(
          t.services.hierarchy.importUnitsFile(admin, text, { fileName: 'units-2025.json' }),
          (e: unknown) => {
            assert.ok(e instanceof AppError, what);
            assert.equal(e.code, 'units_file_invalid');
            const p = (e.details as { problems: { line?: number }[] }).problems;
            assert.ok(
              p.length > 0 && p.every((x) => typeof x.line === 'number'),
              `${what}: every problem has its line`,
            );
            return true;
          },
          what,
        );
      }
      assert.equal(await count(), units0);
      assert.equal(await audits(), audit0);
      assert.equal(
        (await t.services.hierarchy.get(admin, '00004', '2025')).fullName,
        'Phường Ba Đình',
      );
    });

    it('refuses a version id that is not a year or year-month', async () => {
      const text = readFileSync(join(SHIPPED_DATA, 'units-2025.json'), 'utf8');
      await assert.rejects(
        t.services.hierarchy.importUnitsFile(admin, text, { fileName: 'units-latest.json' }),
        (e: unknown) => e instanceof AppError && e.code === 'validation_failed',
      );
    });

    it('imports a good units file as a new version, audited', async () => {
      const text = JSON.stringify({
        validFrom: '2030-01-01',
        units: [
          {
            code: '01',
            kind: 'province',
            level: 1,
            parent: null,
            type: 'tinh',
            name: 'Thử',
            fullName: 'Tỉnh Thử',
          },
          {
            code: '00001',
            kind: 'commune',
            level: 2,
            parent: '01',
            type: 'xa',
            name: 'Một',
            fullName: 'Xã Một',
          },
        ],
      });
      const r = await t.services.hierarchy.importUnitsFile(admin, text, {
        fileName: 'units-2030.json',
      });
      assert.deepEqual([r.version, r.units, r.inserted], ['2030', 3, 3]);
      const again = await t.services.hierarchy.importUnitsFile(admin, text, {
        fileName: 'units-2030.json',
      });
      assert.deepEqual([again.inserted, again.updated, again.removed], [0, 3, 0]);
      const log = await t.services.audit.list(admin, { limit: 1 });
      assert.equal(log[0]?.action, 'hierarchy.import');
      assert.equal(log[0]?.actor.name, 'admin');
    });
  });
}
