import { z } from 'zod';
import { multilineText, plainText } from './text-hygiene.ts';

/**
 * A citizens' report category (issue 20), Open311's "service", as it crosses the boundary: the
 * API (`/api/citizenCategories`, contract/citizen.ts names it for OpenAPI) and the metadata
 * document (`citizenCategories`, domain/metadata.ts). One schema for both; what it cannot say
 * (the deadlines by the working-time rule, the handling unit on the tree in force) the
 * category service checks for both too.
 */

/** Who handles a report by default: the commune of the place, its province, or a named unit. */
export const CITIZEN_HANDLER_LEVELS = ['commune', 'province', 'unit'] as const;
export type CitizenHandlerLevel = (typeof CITIZEN_HANDLER_LEVELS)[number];

export const CITIZEN_CATEGORY_CODE = /^[A-Z0-9_]{1,50}$/;
export const CITIZEN_NAME_MAX = 200;
export const CITIZEN_DESCRIPTION_MAX = 2000;
export const CITIZEN_GROUP_MAX = 100;
export const CITIZEN_KEYWORD_MAX = 50;
export const CITIZEN_KEYWORDS_MAX = 30;

export const CitizenCategoryCode = z
  .string()
  .refine((s) => CITIZEN_CATEGORY_CODE.test(s), {
    message: 'A code of 1 to 50 capital letters A–Z, digits and underscores (HA_TANG_DO_THI)',
    params: { vi: 'Mã gồm 1 đến 50 chữ in hoa A–Z, chữ số và dấu gạch dưới (HA_TANG_DO_THI)' },
  })
  .meta({ example: 'HA_TANG_DO_THI', description: "Open311's service_code; never changes" });

/**
 * An amount of working time (domain/working-time.ts): `{hours}` counts only working hours,
 * `{days}` ends when the office closes on the n-th working day after the day of receipt. The
 * values are checked by that rule (`working_time_invalid`), and must be more than zero.
 */
export const WorkingDeadline = z
  .union([z.strictObject({ hours: z.number() }), z.strictObject({ days: z.number() })])
  .meta({
    description:
      '`{"hours": n}` of working hours or `{"days": n}` working days (a whole number); more than zero, at most a year',
    example: { hours: 8 },
  });
export type WorkingDeadline = z.infer<typeof WorkingDeadline>;

const name = () => plainText().trim().min(1).max(CITIZEN_NAME_MAX);

export const CitizenHandler = z
  .strictObject({
    level: z.enum(CITIZEN_HANDLER_LEVELS),
    unit: plainText().trim().min(1).max(50).optional().meta({
      description: 'With `unit`: the code of the unit (an agency) in the tree in force today',
      example: '79',
    }),
  })
  .superRefine((h, ctx) => {
    if ((h.level === 'unit') === (h.unit !== undefined)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['unit'],
      message:
        h.level === 'unit'
          ? 'A category handled by a named unit gives its code in `unit`'
          : '`unit` is given only with level `unit`',
      params: {
        vi:
          h.level === 'unit'
            ? 'Lĩnh vực do một đơn vị cụ thể xử lý phải ghi mã đơn vị đó ở `unit`'
            : 'Chỉ ghi `unit` khi cấp xử lý là `unit`',
      },
    });
  })
  .meta({
    description:
      'Who handles a report by default: `commune` (the commune of the place), `province` (its province) or `unit` (one named unit, by code)',
  });
export type CitizenHandler = z.infer<typeof CitizenHandler>;

/** A category as POST and PUT take it and the metadata document holds it. */
export const CitizenCategoryInput = z.strictObject({
  code: CitizenCategoryCode,
  nameVi: name().meta({ example: 'Hạ tầng đô thị hư hỏng' }),
  nameEn: name().meta({ example: 'Damaged urban infrastructure' }),
  descriptionVi: multilineText().trim().max(CITIZEN_DESCRIPTION_MAX).default(''),
  descriptionEn: multilineText().trim().max(CITIZEN_DESCRIPTION_MAX).default(''),
  groupVi: plainText().trim().max(CITIZEN_GROUP_MAX).default('').meta({
    description: "Open311's group, in Vietnamese",
    example: 'Đô thị',
  }),
  groupEn: plainText().trim().max(CITIZEN_GROUP_MAX).default(''),
  keywords: z
    .array(plainText().trim().min(1).max(CITIZEN_KEYWORD_MAX))
    .max(CITIZEN_KEYWORDS_MAX)
    .default([])
    .meta({
      description: "Open311's keywords: synonyms to help a citizen find the category",
      example: ['ổ gà', 'o ga', 'đèn đường'],
    }),
  handledBy: CitizenHandler,
  acknowledgeWithin: WorkingDeadline,
  answerWithin: WorkingDeadline,
  photoRequired: z
    .boolean()
    .default(false)
    .meta({ description: 'A report of this category is closed only with a photo' }),
  active: z
    .boolean()
    .default(true)
    .meta({ description: 'Offered to citizens (and listed by Open311)' }),
});
export type CitizenCategoryInput = z.input<typeof CitizenCategoryInput>;
export type CitizenCategoryData = z.output<typeof CitizenCategoryInput>;
