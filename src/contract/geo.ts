import { z } from '@hono/zod-openapi';
import { listOf } from './common.ts';

/** Map boundaries. */

export const GeoMap = z
  .object({
    version: z.string(),
    parent: z
      .string()
      .openapi({ description: 'VN for the provinces, a province for its communes' }),
    level: z.number().int().openapi({ description: 'Tree level of the units drawn' }),
    features: z.number().int(),
    etag: z.string(),
    href: z.string().openapi({ description: 'Where to get it; cacheable for a year' }),
  })
  .openapi('GeoMap');

export const GeoMapList = listOf(GeoMap, 'GeoMapList');

export type GeoMap = z.infer<typeof GeoMap>;
