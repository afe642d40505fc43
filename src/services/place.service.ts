import type { MultiPolygon, Polygon } from 'geojson';
import type { PlaceFound, PlaceSearchResult } from '../contract/place.ts';
import { AppError } from '../domain/errors.ts';
import { PlaceIndex, placeErrors, TERRITORIAL_SEA_METERS, type LatLon } from '../domain/place.ts';
import { searchWords } from '../domain/text.ts';
import { sharedGeo, type GeoService } from './geo.service.ts';
import type { HierarchyService, UnitWithPath } from './hierarchy.service.ts';

/**
 * Where a citizen's report belongs (issue 20): the commune of a point picked on the map, or
 * the communes whose name the citizen typed, on the tree in force on a date (default today).
 * Public: no account is needed, nothing is written. The report intake calls it.
 */

interface TreeCommunes {
  index: PlaceIndex;
  codes: ReadonlySet<string>;
}

/**
 * The special zones that are archipelagos far offshore, per tree: a point within the
 * territorial sea of their islands goes to them (domain/place.ts). On the 2025 tree, Đặc khu
 * Hoàng Sa (Đà Nẵng) and Đặc khu Trường Sa (Khánh Hòa).
 */
const OFFSHORE_ZONES: Record<string, readonly string[]> = { '2025': ['20333', '22736'] };

/**
 * The boundary files never change while the server runs: each tree's index is built once per
 * process, on first use, and shared by every app instance (tests open many).
 */
const trees = new Map<string, TreeCommunes | undefined>();

function treeCommunes(geo: GeoService, version: string): TreeCommunes | undefined {
  if (!trees.has(version)) {
    const features = geo.communeShapes(version);
    trees.set(
      version,
      features && {
        index: new PlaceIndex(
          features
            .filter((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')
            .map((f) => ({
              code: f.properties.code,
              geometry: f.geometry as Polygon | MultiPolygon,
              ...(OFFSHORE_ZONES[version]?.includes(f.properties.code)
                ? { reachMeters: TERRITORIAL_SEA_METERS }
                : {}),
            })),
        ),
        codes: new Set(features.map((f) => f.properties.code)),
      },
    );
  }
  return trees.get(version);
}

const brief = (u: Pick<UnitWithPath, 'code' | 'name' | 'fullName' | 'type'>) => ({
  code: u.code,
  name: u.name,
  fullName: u.fullName,
  type: u.type,
});

export interface PlaceOptions {
  /** The date whose tree and names are meant (YYYY-MM-DD); default today in Viet Nam. */
  at?: string;
}

export class PlaceService {
  /** The level of the communes in each tree (2 in the 2025 tree), read once. */
  private readonly communeLevels = new Map<string, number>();

  constructor(
    private readonly hierarchy: HierarchyService,
    private readonly geo: GeoService = sharedGeo(),
  ) {}

  private async tree(at?: string) {
    const version = await this.hierarchy.resolveVersion(undefined, at);
    const communes = treeCommunes(this.geo, version);
    if (!communes) throw placeErrors.noBoundaries(version);
    return { version, asOf: at ?? this.hierarchy.today(), communes };
  }

  private present(version: string, asOf: string, unit: UnitWithPath) {
    const province = unit.ancestors.find((a) => a.level === 1);
    return {
      version,
      at: asOf,
      commune: brief(unit),
      province: province ? brief(province) : null,
    };
  }

  /**
   * The commune holding a point, or the nearest one within SNAP_METERS (a point at sea by the
   * coast or an island); `place_outside` beyond.
   */
  async locate(p: LatLon, opts: PlaceOptions = {}): Promise<PlaceFound> {
    if (
      !Number.isFinite(p.lat) ||
      !Number.isFinite(p.lon) ||
      Math.abs(p.lat) > 90 ||
      Math.abs(p.lon) > 180
    )
      throw new AppError(
        'validation_failed',
        {
          vi: 'Vĩ độ phải từ -90 đến 90 và kinh độ từ -180 đến 180',
          en: 'Latitude must be from -90 to 90 and longitude from -180 to 180',
        },
        { lat: p.lat, lon: p.lon },
      );
    const { version, asOf, communes } = await this.tree(opts.at);
    const found = communes.index.locate(p);
    if (!found) throw placeErrors.outside(p, version);
    const [unit] = await this.hierarchy.publicUnits(version, [found.code], asOf);
    // The boundary file and the loaded tree disagree: say so rather than route nowhere.
    if (!unit) throw placeErrors.outside(p, version);
    return { ...this.present(version, asOf, unit), distanceMeters: found.distanceMeters };
  }

  /**
   * A commune chosen by its code (found by name first): it must be a commune of the tree in
   * force (one with a boundary), else `unknown_unit`.
   */
  async commune(
    code: string,
    opts: PlaceOptions = {},
  ): Promise<Omit<PlaceFound, 'distanceMeters'>> {
    const { version, asOf, communes } = await this.tree(opts.at);
    const [unit] = communes.codes.has(code)
      ? await this.hierarchy.publicUnits(version, [code], asOf)
      : [];
    if (!unit)
      throw new AppError(
        'unknown_unit',
        {
          vi: `Không có xã, phường, đặc khu mã "${code}" trong cây ${version} đang có hiệu lực; hãy tìm xã theo tên hoặc chọn điểm trên bản đồ`,
          en: `No commune with code "${code}" in the ${version} tree in force; search the commune by name or pick the point on the map`,
        },
        { code, version },
      );
    return this.present(version, asOf, unit);
  }

  /**
   * Communes of the tree whose name (or former name, before the 2025 reform) holds the typed
   * words, without diacritics or case: the hierarchy's one unit search, kept to communes.
   */
  async search(
    q: string,
    opts: PlaceOptions & { limit?: number } = {},
  ): Promise<PlaceSearchResult> {
    if (searchWords(q).length === 0)
      throw new AppError('validation_failed', {
        vi: 'Hãy gõ tên xã, phường hoặc đặc khu (ít nhất một chữ cái hoặc chữ số)',
        en: 'Type the name of a commune (at least one letter or digit)',
      });
    const limit = opts.limit ?? 10;
    const { version, asOf, communes } = await this.tree(opts.at);
    const level = await this.communeLevel(version, communes.codes, asOf);
    const found = await this.hierarchy.searchPublic({ version, q, level, at: asOf, limit });
    // Units added under a province (a DHIS2 import) share the communes' level: not places.
    const items = found.items.filter((u) => communes.codes.has(u.code));
    return {
      version,
      at: asOf,
      total: found.total - (found.items.length - items.length),
      items: items.map((u) => ({
        ...this.present(version, asOf, u),
        ...('matchedName' in u && u.matchedName ? { matchedName: u.matchedName } : {}),
      })),
    };
  }

  private async communeLevel(version: string, codes: ReadonlySet<string>, asOf: string) {
    let level = this.communeLevels.get(version);
    if (level === undefined) {
      const first = codes.values().next().value;
      const [unit] = first ? await this.hierarchy.publicUnits(version, [first], asOf) : [];
      if (!unit) throw placeErrors.noBoundaries(version);
      level = unit.level;
      this.communeLevels.set(version, level);
    }
    return level;
  }
}
