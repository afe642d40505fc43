import { z } from '@hono/zod-openapi';
import { VERSION_ID } from '../domain/hierarchy.ts';
import { plainText } from './common.ts';

/**
 * The weights of split links (issue 16, docs/decisions.md "carry model"): the share of an old
 * unit split between several units of another tree that each of them receives.
 */

const Version = z.string().regex(VERSION_ID).openapi({ example: '2025-03' });
const Code = plainText().min(1).max(50);

export const WeightRow = z
  .object({
    fromVersion: Version,
    fromCode: Code.openapi({ example: '00007' }),
    toVersion: Version.openapi({ example: '2025' }),
    toCode: Code.openapi({ example: '00008' }),
    // Any finite number: a negative share or one above 1 is refused with the other problems
    // (422 link_weights_invalid), not as a malformed request.
    share: z
      .number()
      .openapi({ example: 0.7, description: 'From 0 to 1; a unit’s shares sum to 1' }),
  })
  .openapi('LinkWeightRow');

export const LinkWeightsQuery = z.object({
  from: z.string().regex(VERSION_ID).openapi({
    description: 'The tree the split units belong to',
    example: '2025-03',
  }),
  to: z.string().regex(VERSION_ID).openapi({
    description: 'The tree they were split into',
    example: '2025',
  }),
  code: Code.optional().openapi({
    description: 'Only this unit of the `from` tree',
    example: '00007',
  }),
});

export const LinkWeight = WeightRow.extend({
  fromName: z.string().openapi({ example: 'Phường Phúc Xá' }),
  toName: z.string(),
  default: z.boolean().openapi({
    description: 'No shares set for this unit: the default (equal shares of the unit)',
  }),
  basis: z.string().nullable().openapi({ description: 'What the shares are, e.g. dân số 2024' }),
  setBy: z.string().nullable(),
  setAt: z.string().nullable().openapi({ description: 'When they were set (ISO time)' }),
}).openapi('LinkWeight');

export const LinkWeightList = z
  .object({
    from: z.string(),
    to: z.string(),
    units: z.number().openapi({ description: 'Split units listed' }),
    set: z.number().openapi({ description: 'Of them, units whose shares are set' }),
    items: z.array(LinkWeight),
  })
  .openapi('LinkWeightList');

export const LinkWeightsBody = z
  .object({
    basis: plainText().trim().min(1).max(200).openapi({
      description: 'What the shares are (population, area…), kept with them',
      example: 'dân số 2024',
    }),
    weights: z.array(WeightRow).min(1).max(20_000),
  })
  .openapi('LinkWeightsInput');

export const LinkWeightsResult = z
  .object({
    weights: z.number().openapi({ description: 'Shares written (set) or removed (reset)' }),
    pairs: z
      .array(z.tuple([z.string(), z.string()]))
      .openapi({ description: '(asked, stored) pairs of trees whose carry map was rebuilt' }),
    rows: z.number().openapi({ description: 'Carry map rows written' }),
    ms: z.number().openapi({ description: 'Time taken, in milliseconds' }),
  })
  .openapi('LinkWeightsResult');

export type WeightRow = z.infer<typeof WeightRow>;
export type LinkWeight = z.infer<typeof LinkWeight>;
export type LinkWeightList = z.infer<typeof LinkWeightList>;
export type LinkWeightsBody = z.infer<typeof LinkWeightsBody>;
export type LinkWeightsResult = z.infer<typeof LinkWeightsResult>;
