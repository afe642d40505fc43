import { z } from '@hono/zod-openapi';
import { MatchedName, plainText } from './common.ts';

/**
 * The public answers of citizens' reports (issue 20): what units answered under a commune or a
 * province, searchable without diacritics, without any personal data. No account.
 */

export const PUBLIC_ANSWERS_PAGE = 20;

export const PublicAnswersQuery = z.object({
  unit: plainText().min(1).max(50).optional().openapi({
    description: 'a commune or province code (tree in force today); none = the nation',
    example: '79',
  }),
  q: plainText().max(200).optional().openapi({
    description: 'words of the question or answer, with or without diacritics',
    example: 'o ga',
  }),
  category: plainText().max(50).optional().openapi({ example: 'HA_TANG_DO_THI' }),
  id: z.coerce.number().int().positive().optional().openapi({
    description:
      'one answer (its permalink): a list of it, or an empty list when it is not public (the tracking code is never shown)',
    example: 12,
  }),
  page: z.coerce.number().int().min(1).max(500).default(1),
});

const UnitName = z.object({ code: z.string(), name: z.string() });

/** A commune or a province of the tree in force, as the public answers page names it. */
export const PublicPlace = z
  .object({
    code: z.string().openapi({ example: '26740' }),
    name: z.string().openapi({ example: 'Sài Gòn' }),
    fullName: z.string().openapi({ example: 'Phường Sài Gòn' }),
    level: z.number().int().openapi({ description: '1 a province, 2 a commune (2025 tree)' }),
    province: z
      .object({ code: z.string(), name: z.string(), fullName: z.string() })
      .nullable()
      .openapi({ description: "A commune's province; null for a province" }),
  })
  .openapi('PublicPlace');

export const PublicPlacesQuery = z.object({
  q: plainText().min(1).max(100).openapi({
    description:
      'Name of a province or a commune, with or without diacritics; former names (before the 2025 reform) match too',
    example: 'ho chi minh',
  }),
});

export const PublicPlaces = z
  .object({
    items: z.array(
      PublicPlace.extend({
        matchedName: MatchedName.optional().openapi({
          description: 'When the words matched a former or later name (Bến Nghé → Phường Sài Gòn)',
        }),
      }),
    ),
  })
  .openapi('PublicPlaces');
export type PublicPlaces = z.infer<typeof PublicPlaces>;

export const PublicAnswerPhoto = z
  .object({
    id: z.number(),
    contentType: z.string(),
    size: z.number(),
    url: z.string().openapi({ example: '/api/public/photos/12' }),
  })
  .openapi('PublicAnswerPhoto');

export const PublicAnswer = z
  .object({
    id: z.number(),
    category: z.object({ code: z.string(), nameVi: z.string(), nameEn: z.string() }),
    question: z.string().openapi({ description: 'phone numbers and emails masked' }),
    answer: z.string().nullable(),
    answerPhotos: z.array(PublicAnswerPhoto),
    status: z.enum(['answered', 'closed']),
    commune: UnitName,
    province: UnitName.nullable(),
    handler: UnitName,
    receivedAt: z.string(),
    answeredAt: z.string(),
    closedAt: z.string().nullable(),
    rating: z.number().int().min(1).max(5).nullable(),
  })
  .openapi('PublicAnswer');

export const PublicAnswers = z
  .object({
    // A union, not .nullable(): that would make the PublicPlace component itself nullable.
    place: z.union([PublicPlace, z.null()]).openapi({
      description: 'The unit asked (`unit`), named; null for the nation',
    }),
    items: z.array(PublicAnswer),
    page: z.number(),
    hasMore: z.boolean(),
  })
  .openapi('PublicAnswers');
export type PublicAnswers = z.infer<typeof PublicAnswers>;

export const PublicPhotoParam = z.object({ id: z.coerce.number().int().positive() });
