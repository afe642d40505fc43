import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FeatureCollection, Geometry } from 'geojson';
import { GeoService } from '../services/geo.service.ts';
import { archipelagoSpots, farRegions, splitFar } from './map-geometry.ts';

type GeoJSON = FeatureCollection<Geometry, { code: string; name: string }>;

const read = (file: string) =>
  JSON.parse(
    readFileSync(new URL(`../../data/vn-admin/${file}`, import.meta.url), 'utf8'),
  ) as GeoJSON;

describe('Hoàng Sa and Trường Sa on the map', () => {
  for (const file of ['provinces-2025.geojson', 'provinces-2022.geojson']) {
    it(`are found in the geometry of ${file}, each amid its islands`, () => {
      const spots = archipelagoSpots(read(file));
      assert.deepEqual(
        spots.map((s) => s.id),
        ['hoang_sa', 'truong_sa'],
      );
      const [hs, ts] = spots;
      // Hoàng Sa: about 111–113°E, 15.7–17.1°N; Trường Sa: about 109.5–117.5°E, 6.5–12°N.
      assert.ok(hs!.coord[0] > 111 && hs!.coord[0] < 113 && hs!.coord[1] > 15.5, hs!.coord.join());
      assert.ok(ts!.coord[0] > 111 && ts!.coord[0] < 116 && ts!.coord[1] < 11.5, ts!.coord.join());
    });
  }

  it('are not named on a map that does not hold them', () => {
    const geo = read('provinces-2025.geojson');
    const inland = {
      ...geo,
      features: geo.features.filter((f) => !['48', '56'].includes(f.properties.code)),
    };
    assert.deepEqual(archipelagoSpots(inland), []);
    // Đà Nẵng alone holds Hoàng Sa, Khánh Hòa alone Trường Sa.
    const daNang = { ...geo, features: geo.features.filter((f) => f.properties.code === '48') };
    assert.deepEqual(
      archipelagoSpots(daNang).map((s) => s.id),
      ['hoang_sa'],
    );
  });
});

describe('Far-off islands go to an inset', () => {
  const geo = new GeoService();
  const communes = (province: string) =>
    JSON.parse(geo.boundaries('2025', province).body.toString('utf8')) as GeoJSON;
  const names = (g: GeoJSON, codes: string[]) =>
    codes.map((c) => g.features.find((f) => f.properties.code === c)!.properties.name);

  it("on Hồ Chí Minh City's map of 2025: Côn Đảo, in the bottom corner, the mainland fills the rest", () => {
    const hcmc = communes('79');
    const far = farRegions(hcmc);
    assert.deepEqual(names(hcmc, far.inset), ['Côn Đảo']);
    assert.match(far.corner, /^bottom-/);
    // The main body ends at the coast (Vũng Tàu, about 10.3°N), not at Côn Đảo (8.6°N): the
    // whole map's height was about 3°, the main body's is under half of that.
    const [, south, , north] = far.main;
    assert.ok(south > 10 && north - south < 1.5, far.main.join());
    const parts = splitFar(hcmc);
    assert.equal(parts.main.length + parts.inset.length, hcmc.features.length);
    assert.ok(!parts.main.some((f) => f.properties.name === 'Côn Đảo'));
  });

  it('on the maps of other provinces with an island far out at sea', () => {
    assert.deepEqual(names(communes('31'), farRegions(communes('31')).inset), ['Bạch Long Vĩ']);
    assert.deepEqual(names(communes('91'), farRegions(communes('91')).inset), ['Thổ Châu']);
    // Đà Nẵng's Hoàng Sa, in the inset, is still named there.
    const daNang = communes('48');
    const parts = splitFar(daNang);
    assert.deepEqual(names(daNang, farRegions(daNang).inset), ['Hoàng Sa']);
    assert.deepEqual(
      archipelagoSpots({ features: parts.inset }).map((s) => s.id),
      ['hoang_sa'],
    );
  });

  it('none on a province without islands, nor where the islands lie near the shore', () => {
    for (const province of ['01', '68', '22'])
      assert.deepEqual(farRegions(communes(province)).inset, []);
    // An Giang's Phú Quốc, about 40 km off Hà Tiên, stays in place.
    const anGiang = communes('91');
    assert.ok(!names(anGiang, farRegions(anGiang).inset).includes('Phú Quốc'));
  });

  it("none on the country's maps: Hoàng Sa and Trường Sa stay in place, named as before", () => {
    for (const file of ['provinces-2025.geojson', 'provinces-2022.geojson'])
      assert.deepEqual(farRegions(read(file)).inset, [], file);
    const allCommunes = JSON.parse(
      geo.boundaries('2025', 'VN', 2).body.toString('utf8'),
    ) as GeoJSON;
    assert.deepEqual(farRegions(allCommunes).inset, []);
    assert.deepEqual(
      archipelagoSpots(allCommunes).map((s) => s.id),
      ['hoang_sa', 'truong_sa'],
    );
  });
});
