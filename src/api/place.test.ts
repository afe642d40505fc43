import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { GeoService } from '../services/geo.service.ts';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';
import { ApiClient } from '../test/http.ts';

/**
 * Placing a citizen's report (issue 20): a point on the map or a typed name, without an
 * account, answers the commune of the 2025 tree that must act, with its province.
 */

interface Unit2025 {
  code: string;
  kind: string;
  parent: string | null;
  name: string;
  fullName: string;
}
const units = new Map(
  (
    JSON.parse(
      readFileSync(new URL('../../data/vn-admin/units-2025.json', import.meta.url), 'utf8'),
    ) as { units: Unit2025[] }
  ).units.map((u) => [u.code, u]),
);
const communes = new GeoService().communeShapes('2025')!;

/**
 * A point strictly inside a polygon, drawn from its own rings: a horizontal line at a drawn
 * height crosses the rings (holes too) at xs; between the 1st and 2nd crossing, the 3rd and
 * 4th… lies the inside, and a drawn fraction of the widest stretch is taken.
 */
function pointInside(rings: Position[][], fy: number, fx: number): { lat: number; lon: number } {
  const ys = rings[0]!.map((p) => p[1]!);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  for (let k = 0; k < 20; k++) {
    const y = minY + (maxY - minY) * ((fy + k * 0.137) % 1) + 1e-9;
    const xs: number[] = [];
    for (const ring of rings)
      for (let i = 1; i < ring.length; i++) {
        const [ax, ay] = ring[i - 1] as [number, number];
        const [bx, by] = ring[i] as [number, number];
        if (ay > y !== by > y) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
      }
    xs.sort((a, b) => a - b);
    let best = -1;
    for (let i = 0; i + 1 < xs.length; i += 2)
      if (best < 0 || xs[i + 1]! - xs[i]! > xs[best + 1]! - xs[best]!) best = i;
    // A stretch too thin for the file's precision is not a fair question.
    if (best >= 0 && xs[best + 1]! - xs[best]! > 1e-4) {
      const t = 0.1 + 0.8 * fx;
      return { lat: y, lon: xs[best]! + (xs[best + 1]! - xs[best]!) * t };
    }
  }
  throw new Error('no inside stretch found');
}

/** The largest polygon of a commune (an island zone has many). */
function largest(g: Polygon | MultiPolygon): Position[][] {
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const area = (r: Position[]) =>
    Math.abs(r.reduce((s, p, i) => (i ? s + r[i - 1]![0]! * p[1]! - p[0]! * r[i - 1]![1]! : s), 0));
  return parts.reduce((a, b) => (area(b[0]!) > area(a[0]!) ? b : a));
}

for (const engine of testEngines()) {
  describe(`placing a citizen's report on ${engine}`, () => {
    let t: TestDb;
    /** No account: the public page calls these. */
    let citizen: ApiClient;
    const locate = (lat: number | string, lon: number | string) =>
      citizen.get(`/api/places/locate?lat=${lat}&lon=${lon}`);
    const search = (q: string, limit?: number) =>
      citizen.get(`/api/places/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`);

    before(async () => {
      t = await openTestDb(engine);
      citizen = ApiClient.for(t.services);
    });
    after(() => t.close());

    it('places landmarks in their 2025 commune and province, without an account', async () => {
      const cases: [string, number, number, string, string, string][] = [
        ['Hoàn Kiếm Lake', 21.0287, 105.8524, '00070', 'Phường Hoàn Kiếm', '01'],
        ['Bến Thành market', 10.7725, 106.698, '26743', 'Phường Bến Thành', '79'],
        ['Côn Sơn town, Côn Đảo', 8.6826, 106.609, '26732', 'Đặc khu Côn Đảo', '79'],
        ['Dương Đông, Phú Quốc', 10.217, 103.959, '31078', 'Đặc khu Phú Quốc', '91'],
        ['Song Tử Tây island, Trường Sa', 11.429, 114.331, '22736', 'Đặc khu Trường Sa', '56'],
      ];
      for (const [what, lat, lon, code, fullName, province] of cases) {
        const r = await locate(lat, lon);
        assert.equal(r.status, 200, `${what}: ${r.text}`);
        assert.equal(r.json.version, '2025', what);
        assert.equal(r.json.commune.code, code, what);
        assert.equal(r.json.commune.fullName, fullName, what);
        assert.equal(r.json.province.code, province, what);
        assert.equal(r.json.province.fullName, units.get(province)!.fullName, what);
        assert.equal(r.json.distanceMeters, 0, `${what} lies inside its commune`);
      }
      const hk = await locate(21.0287, 105.8524);
      assert.equal(hk.json.province.fullName, 'Thành phố Hà Nội');
      assert.match(hk.headers.get('cache-control') ?? '', /public/);
    });

    it('sends a point at sea by the coast or an archipelago to the nearest commune', async () => {
      // A boat a hundred metres off Vũng Tàu's shore.
      const boat = await locate(10.33, 107.09);
      assert.equal(boat.status, 200, boat.text);
      assert.equal(boat.json.commune.fullName, 'Phường Vũng Tàu');
      assert.ok(boat.json.distanceMeters > 0 && boat.json.distanceMeters <= 2000);
      // Hoàng Sa island (Pattle): the file draws the group's islets a few km away; the zone
      // of Đà Nẵng takes its territorial sea.
      const hs = await locate(16.5333, 111.6083);
      assert.equal(hs.status, 200, hs.text);
      assert.equal(hs.json.commune.fullName, 'Đặc khu Hoàng Sa');
      assert.equal(hs.json.province.code, '48');
      assert.ok(hs.json.distanceMeters > 2000 && hs.json.distanceMeters <= 22_224);
    });

    it('refuses a place outside Viet Nam with place_outside, in Vietnamese and English', async () => {
      const outside: [string, number, number][] = [
        ['Bangkok', 13.7563, 100.5018],
        ['Phnom Penh', 11.5564, 104.9282],
        ['Vientiane', 17.9757, 102.6331],
        ['Guangzhou', 23.1291, 113.2644],
        ['Kampot, Cambodia, across the water from Phú Quốc', 10.61, 104.18],
        ['the Gulf of Tonkin, far from any island', 20.0, 107.5],
        ['the East Sea between the archipelagos', 14.0, 113.5],
        ['mid-Pacific', 15, 150],
        ['the South Atlantic', -30, -20],
      ];
      for (const [what, lat, lon] of outside) {
        const r = await locate(lat, lon);
        assert.equal(r.status, 422, `${what}: ${r.text}`);
        assert.equal(r.json.error.code, 'place_outside', what);
        assert.match(r.json.error.messages.vi, /ngoài lãnh thổ Việt Nam/);
        assert.match(r.json.error.messages.en, /outside Viet Nam/);
        assert.equal(r.json.error.details.lat, lat);
      }
    });

    it('refuses a bad latitude or longitude with 400, saying which, in both languages', async () => {
      const bad: [string, string, RegExp, RegExp][] = [
        ['91', '105', /Vĩ độ/, /Latitude/],
        ['-90.5', '105', /Vĩ độ/, /Latitude/],
        ['21', '180.01', /Kinh độ/, /Longitude/],
        ['21', 'abc', /Kinh độ/, /Longitude/],
        ['', '105', /Vĩ độ/, /Latitude/],
        ['1e400', '105', /Vĩ độ/, /Latitude/],
        ['21,03', '105', /Vĩ độ/, /Latitude/],
        ['NaN', '105', /Vĩ độ/, /Latitude/],
      ];
      for (const [lat, lon, vi, en] of bad) {
        const r = await locate(lat, lon);
        assert.equal(r.status, 400, `${lat},${lon}: ${r.text}`);
        assert.equal(r.json.error.code, 'validation_failed');
        assert.match(r.json.error.messages.vi, vi, `${lat},${lon}`);
        assert.match(r.json.error.messages.en, en, `${lat},${lon}`);
      }
      const missing = await citizen.get('/api/places/locate?lat=21');
      assert.equal(missing.status, 400);
      assert.equal(missing.json.error.code, 'validation_failed');
      assert.match(missing.json.error.messages.en, /lon/);
    });

    it('property: a point inside a commune, drawn from its own polygon, is placed in it', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: communes.length - 1 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          async (i, fy, fx) => {
            const f = communes[i]!;
            const p = pointInside(largest(f.geometry as Polygon | MultiPolygon), fy, fx);
            const r = await locate(p.lat, p.lon);
            assert.equal(r.status, 200, r.text);
            assert.equal(r.json.commune.code, f.properties.code, JSON.stringify(p));
            assert.equal(r.json.commune.fullName, units.get(f.properties.code)!.fullName);
            assert.equal(r.json.province.code, units.get(f.properties.code)!.parent);
            assert.equal(r.json.distanceMeters, 0);
          },
        ),
        { seed: 20_2025, numRuns: 60 },
      );
    });

    it('finds communes by name without diacritics, with their province', async () => {
      const first = async (q: string) => {
        const r = await search(q);
        assert.equal(r.status, 200, `${q}: ${r.text}`);
        assert.equal(r.json.version, '2025');
        return r.json.items[0];
      };
      assert.equal((await first('ben thanh')).commune.fullName, 'Phường Bến Thành');
      assert.equal((await first('ben thanh')).province.code, '79');
      assert.equal((await first('phuong sai gon')).commune.code, '26740');
      assert.equal((await first('HOÀN KIẾM')).commune.code, '00070');
      assert.equal((await first('hoan kiem')).province.fullName, 'Thành phố Hà Nội');
      const aLuoi = await search('xa a luoi');
      assert.equal(aLuoi.status, 200);
      assert.deepEqual(
        aLuoi.json.items.map((m: { commune: { fullName: string } }) => m.commune.fullName).sort(),
        ['Xã A Lưới 1', 'Xã A Lưới 2', 'Xã A Lưới 3', 'Xã A Lưới 4', 'Xã A Lưới 5'],
      );
      for (const m of aLuoi.json.items) assert.equal(m.province.fullName, 'Thành phố Huế');
      // Only communes: the city of Hồ Chí Minh is a province, not a place to route to.
      const hcm = await search('ho chi minh', 50);
      for (const m of hcm.json.items) assert.match(m.commune.code, /^\d{5}$/);
      assert.ok(
        !hcm.json.items.some((m: { commune: { code: string } }) => m.commune.code === '79'),
      );
      // Nothing found: an empty list, for the page to say so.
      const none = await search('xyzzy khong co');
      assert.equal(none.status, 200);
      assert.deepEqual(none.json.items, []);
      assert.equal(none.json.total, 0);
    });

    it('finds the 2025 commune an old name merged into', async () => {
      // Phường Bến Nghé (Quận 1, on the 2022 and 2025-03 trees) went whole into Phường Sài Gòn.
      const benNghe = await search('ben nghe');
      assert.equal(benNghe.status, 200, benNghe.text);
      const sg = benNghe.json.items[0];
      assert.equal(sg.commune.fullName, 'Phường Sài Gòn');
      assert.deepEqual(
        { name: sg.matchedName.name, source: sg.matchedName.source },
        { name: 'Phường Bến Nghé', source: 'former' },
      );
      // Phường Cống Vị (Ba Đình) was split: both communes it went into are offered.
      const congVi = await search('phuong cong vi');
      assert.deepEqual(
        congVi.json.items.map((m: { commune: { fullName: string } }) => m.commune.fullName).sort(),
        ['Phường Giảng Võ', 'Phường Ngọc Hà'],
      );
      // Phường Nguyễn Trung Trực (Ba Đình, 2022) was merged before March 2025, which no
      // public mapping covers (data/vn-admin/README.md): nothing is found, not a guess.
      const gone = await search('phuong nguyen trung truc');
      assert.deepEqual(gone.json.items, []);
    });

    it('refuses a search that names nothing, or is too long', async () => {
      for (const q of ['', '!!! ---', 'x'.repeat(101)]) {
        const r = await search(q);
        assert.equal(r.status, 400, `${JSON.stringify(q)}: ${r.text}`);
        assert.equal(r.json.error.code, 'validation_failed');
        assert.ok(r.json.error.messages.vi && r.json.error.messages.en);
      }
      const many = await citizen.get('/api/places/search?q=xa&limit=51');
      assert.equal(many.status, 400);
    });
  });
}
