import { z } from '@hono/zod-openapi';
import { AtParam, listOf, OrgUnit, Paging, plainText, VersionParam } from './common.ts';

/** Units of the hierarchy, its versions and renames. */

export const OrgUnitListQuery = z.object({
  version: VersionParam,
  level: z.coerce
    .number()
    .int()
    .min(0)
    .max(50)
    .optional()
    .openapi({ description: 'Only units of this level' }),
  parent: plainText().max(50).optional().openapi({
    description: 'Children of this unit; with `level`, all its descendants at that level',
  }),
  q: plainText().max(200).optional().openapi({
    description: 'Search by name, ignoring diacritics and case; words match from their start',
    example: 'ben nghe',
  }),
  at: AtParam,
  ...Paging,
});

export const OrgUnitCodeParam = z.object({
  code: plainText()
    .max(50)
    .openapi({ param: { name: 'code', in: 'path' }, example: '26740' }),
});

export const OrgUnitVersionQuery = z.object({ version: VersionParam, at: AtParam });

export const OrgUnitLink = z.object({
  version: z.string(),
  code: z.string(),
  fullName: z.string(),
  part: z.string(),
  stale: z.boolean().optional(),
});

export const OrgUnitDetail = OrgUnit.extend({
  countsBelow: z
    .record(z.string(), z.number())
    .openapi({ description: 'Units per level under this one' }),
  formedFrom: z
    .array(OrgUnitLink)
    .openapi({ description: 'Old units it was formed from (2025 reform)' }),
  wentInto: z.array(OrgUnitLink).openapi({ description: 'New units it went into' }),
}).openapi('OrgUnitDetail');

export const HierarchyVersion = z
  .object({
    id: z.string(),
    name: z.string(),
    validFrom: z.string(),
    validUntil: z.string().nullable(),
    counts: z.record(z.string(), z.number()),
    current: z.boolean(),
  })
  .openapi('HierarchyVersion');

export const OrgUnitChange = z
  .object({
    id: z.number(),
    version: z.string(),
    code: z.string(),
    decree: z.string(),
    effective: z.string().nullable(),
    status: z.enum(['announced', 'scheduled', 'in_force']),
    type: z.array(z.string()),
    fullName: z.array(z.string()),
  })
  .openapi('OrgUnitChange');

export const HierarchyVersionList = listOf(HierarchyVersion, 'HierarchyVersionList');

export const OrgUnitChangeList = listOf(OrgUnitChange, 'OrgUnitChangeList');

export type OrgUnitDetail = z.infer<typeof OrgUnitDetail>;
export type HierarchyVersion = z.infer<typeof HierarchyVersion>;
export type OrgUnitChange = z.infer<typeof OrgUnitChange>;
