import { z } from '@hono/zod-openapi';
import {
  CitizenCategoryInput as CitizenCategoryInputSchema,
  CitizenCategoryCode as CitizenCategoryCodeSchema,
  CitizenHandler as CitizenHandlerSchema,
  WorkingDeadline as WorkingDeadlineSchema,
} from '../domain/citizen-category.ts';

/**
 * Citizens' reports (issue 20). So far the categories a citizen chooses from — Open311's
 * "services" — as national metadata; the reports themselves come later and name a category by
 * its code.
 */

// The category's schema is the domain's (the metadata document holds categories too); here it
// is named for the OpenAPI document.
export {
  CITIZEN_CATEGORY_CODE,
  CITIZEN_DESCRIPTION_MAX,
  CITIZEN_GROUP_MAX,
  CITIZEN_HANDLER_LEVELS,
  CITIZEN_KEYWORD_MAX,
  CITIZEN_KEYWORDS_MAX,
  CITIZEN_NAME_MAX,
  CitizenCategoryCode,
  type CitizenCategoryData,
  type CitizenHandlerLevel,
} from '../domain/citizen-category.ts';

// `.clone()` first: zod 4 gives a schema `.openapi` when it is made, and the domain's may be made
// before @hono/zod-openapi is loaded (a test importing the metadata service first); the clone is
// made here, after it.
export const WorkingDeadline = WorkingDeadlineSchema.clone().openapi('WorkingDeadline');
export type WorkingDeadline = z.infer<typeof WorkingDeadline>;

export const CitizenHandler = CitizenHandlerSchema.clone().openapi('CitizenHandler');
export type CitizenHandler = z.infer<typeof CitizenHandler>;

/** A category as POST and PUT take it (PUT keeps the code of its path). */
export const CitizenCategoryInput =
  CitizenCategoryInputSchema.clone().openapi('CitizenCategoryInput');
export type CitizenCategoryInput = z.input<typeof CitizenCategoryInput>;

/** PUT's body: the category without its code (the path names it; a code given must match). */
export const CitizenCategoryUpdate = CitizenCategoryInput.extend({
  code: CitizenCategoryCodeSchema.optional(),
}).openapi('CitizenCategoryUpdate');

export const CitizenCategory = z
  .object({
    code: z.string(),
    nameVi: z.string(),
    nameEn: z.string(),
    descriptionVi: z.string(),
    descriptionEn: z.string(),
    groupVi: z.string(),
    groupEn: z.string(),
    keywords: z.array(z.string()),
    handledBy: CitizenHandler,
    acknowledgeWithin: WorkingDeadline,
    answerWithin: WorkingDeadline,
    photoRequired: z.boolean(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CitizenCategory');
export type CitizenCategory = z.infer<typeof CitizenCategory>;

export const CitizenCategoryList = z
  .object({ items: z.array(CitizenCategory) })
  .openapi('CitizenCategoryList');
export type CitizenCategoryList = z.infer<typeof CitizenCategoryList>;

export const CitizenCategoryParam = z.object({
  code: z.string().openapi({ param: { name: 'code', in: 'path' }, example: 'HA_TANG_DO_THI' }),
});

/** A category as the public page shows it (`GET /api/public/categories`): active ones only. */
export const PublicCategory = CitizenCategory.pick({
  code: true,
  nameVi: true,
  nameEn: true,
  descriptionVi: true,
  descriptionEn: true,
  groupVi: true,
  groupEn: true,
  acknowledgeWithin: true,
  answerWithin: true,
  photoRequired: true,
}).openapi('CitizenPublicCategory');

export const PublicCategoryList = z
  .object({ items: z.array(PublicCategory) })
  .openapi('CitizenPublicCategoryList');
