import { z } from '@hono/zod-openapi';
import { plainText } from './common.ts';

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
  page: z.coerce.number().int().min(1).max(500).default(1),
});

const UnitName = z.object({ code: z.string(), name: z.string() });

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
    items: z.array(PublicAnswer),
    page: z.number(),
    hasMore: z.boolean(),
  })
  .openapi('PublicAnswers');
export type PublicAnswers = z.infer<typeof PublicAnswers>;

export const PublicPhotoParam = z.object({ id: z.coerce.number().int().positive() });
