import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FeatureCollection, Geometry } from 'geojson';
import { archipelagoSpots } from './map-geometry.ts';

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
