import { z } from '@hono/zod-openapi';
import { ErrorResponse, MatchedName, plainText } from './common.ts';

/**
 * Placing a citizen's report (issue 20): the commune of a point on the map, or the communes
 * named by what the citizen typed, on the tree in force today. Public: no account.
 */

/**
 * Degrees as a query gives them: a plain decimal within ±max ("", "1e400", "21,03" or 91 are
 * refused with a message in both languages, never read as 0 or as another place).
 */
const coordinate = (name: { vi: string; en: string }, max: number, example: number) =>
  z
    .string()
    .transform((s, ctx) => {
      const n = /^\s*[-+]?\d{1,3}(\.\d{1,15})?\s*$/.test(s) ? Number(s) : NaN;
      if (Number.isFinite(n) && Math.abs(n) <= max) return n;
      ctx.addIssue({
        code: 'custom',
        message: `${name.en} must be a number of degrees from -${max} to ${max} (WGS 84, a dot for decimals), not "${s.slice(0, 30)}"`,
        params: {
          vi: `${name.vi} phải là số độ từ -${max} đến ${max} (WGS 84, dấu chấm thập phân), không phải "${s.slice(0, 30)}"`,
        },
      });
      return z.NEVER;
    })
    .openapi({
      type: 'string',
      description: `${name.en} in decimal degrees (WGS 84), -${max} to ${max}`,
      example: String(example),
    });

export const PlaceLocateQuery = z.object({
  lat: coordinate({ vi: 'Vĩ độ', en: 'Latitude' }, 90, 21.0287),
  lon: coordinate({ vi: 'Kinh độ', en: 'Longitude' }, 180, 105.8524),
});

export const PlaceSearchQuery = z.object({
  q: plainText().min(1).max(100).openapi({
    description:
      'Name of a commune, ward or special zone, with or without diacritics; words match from their start; former names (before the 2025 reform) match too',
    example: 'ben nghe',
  }),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

const PlaceUnit = z
  .object({
    code: z.string().openapi({ example: '00070' }),
    name: z.string().openapi({ example: 'Hoàn Kiếm' }),
    fullName: z.string().openapi({ example: 'Phường Hoàn Kiếm' }),
    type: z.string().openapi({ example: 'phuong' }),
  })
  .openapi('PlaceUnit');

const PlaceBase = z.object({
  version: z.string().openapi({ description: 'The tree in force on `at`', example: '2025' }),
  at: z.string().openapi({ description: 'The date the names are given for (today)' }),
  commune: PlaceUnit.openapi({ description: 'The commune (xã, phường or đặc khu) that must act' }),
  province: PlaceUnit.nullable().openapi({ description: 'Its province or municipality' }),
});

export const PlaceFound = PlaceBase.extend({
  distanceMeters: z.number().int().min(0).openapi({
    description:
      '0 when the point lies in the commune; else the distance to its boundary (a point at sea within 2 km of the coast or an island goes to the nearest commune)',
  }),
}).openapi('PlaceFound');

export const PlaceMatch = PlaceBase.extend({
  matchedName: MatchedName.optional().openapi({
    description:
      'When the typed words matched a name the commune took later (renamed) or a unit merged into it (former: e.g. "Phường Bến Nghé" → Phường Sài Gòn)',
  }),
}).openapi('PlaceMatch');

export const PlaceSearchResult = z
  .object({
    version: z.string(),
    at: z.string(),
    total: z.number().int(),
    items: z.array(PlaceMatch),
  })
  .openapi('PlaceSearchResult');

export const placeOutsideResponse = {
  description: 'The point is outside Viet Nam, or more than 2 km from any commune (place_outside)',
  content: { 'application/json': { schema: ErrorResponse } },
};

export type PlaceFound = z.infer<typeof PlaceFound>;
export type PlaceMatch = z.infer<typeof PlaceMatch>;
export type PlaceSearchResult = z.infer<typeof PlaceSearchResult>;
