import { z } from '@hono/zod-openapi';
import type { BriefingDocument as DocumentType } from '../domain/briefing-document.ts';
import { multilineText, plainText, VersionParam } from './common.ts';

/** The monthly briefing (issue 18): templates, briefings, their documents and exports. */

export const BRIEFING_COMPARISONS = ['yoy', 'prev', 'ytd', 'target'] as const;
export const BRIEFING_SCALES = [1, 1_000, 1_000_000, 1_000_000_000] as const;
export const BRIEFING_FORMATS = ['json', 'docx', 'xlsx', 'pdf', 'csv'] as const;
export type BriefingFormat = (typeof BRIEFING_FORMATS)[number];

const code = plainText()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -');

export const BriefingTemplateLine = z
  .object({
    id: code.openapi({ description: 'Stable within the template: edits and corrections use it' }),
    item: plainText().min(1).max(100).openapi({
      description: 'A data element or indicator code',
      example: 'SECURITY_CYBERATTACKS',
    }),
    option: plainText().min(1).max(100).optional().openapi({
      description: 'One breakdown option of the element instead of its total',
    }),
    breakdown: z.boolean().optional().openapi({
      description: 'Print the breakdown after the total ("trong đó: …")',
    }),
    compare: z.array(z.enum(BRIEFING_COMPARISONS)).max(4).default(['yoy']),
    labelVi: plainText().max(300).optional(),
    labelEn: plainText().max(300).optional(),
    unitVi: plainText().max(60).optional().openapi({ description: 'Default: the element’s unit' }),
    unitEn: plainText().max(60).optional(),
    scale: z
      .union(
        BRIEFING_SCALES.map((s) => z.literal(s)) as [z.ZodLiteral<1>, ...z.ZodLiteral<number>[]],
      )
      .optional()
      .openapi({ description: 'Printed in units, thousands, millions or billions' }),
  })
  .strict()
  .openapi('BriefingTemplateLine');

export const BriefingTemplateSection = z
  .object({
    code,
    titleVi: plainText().min(1).max(300),
    titleEn: plainText().min(1).max(300),
    table: z.boolean().optional(),
    lines: z.array(BriefingTemplateLine).min(1).max(200),
  })
  .strict()
  .openapi('BriefingTemplateSection');

export const BriefingTemplate = z
  .object({
    code,
    nameVi: plainText().min(1).max(300),
    nameEn: plainText().min(1).max(300),
    bodyVi: plainText().min(1).max(200).openapi({ example: 'BỘ THÔNG TIN VÀ TRUYỀN THÔNG' }),
    parentBodyVi: plainText().max(200).optional(),
    place: plainText().min(1).max(100).openapi({ example: 'Hà Nội' }),
    numberSuffix: plainText().min(1).max(40).openapi({ example: 'BC-BTTTT' }),
    signer: z
      .object({
        authorityVi: plainText()
          .min(1)
          .max(100)
          .optional()
          .openapi({ example: 'TL. BỘ TRƯỞNG', description: 'On whose behalf (TL., KT., TM.)' }),
        titleVi: plainText()
          .min(1)
          .max(200)
          .openapi({ example: 'VỤ TRƯỞNG VỤ KẾ HOẠCH - TÀI CHÍNH' }),
      })
      .strict()
      .optional()
      .openapi({ description: 'The signature block; the name is the issuer’s' }),
    recipients: z
      .array(plainText().min(1).max(200))
      .max(30)
      .optional()
      .openapi({ description: '"Nơi nhận", one line each', example: ['Lưu: VT, KHTC.'] }),
    sections: z.array(BriefingTemplateSection).min(1).max(50),
  })
  .strict()
  .openapi('BriefingTemplate');

export const BriefingTemplateList = z
  .object({
    items: z.array(
      z.object({
        code: z.string(),
        nameVi: z.string(),
        nameEn: z.string(),
        sections: z.number(),
        lines: z.number(),
        updatedAt: z.string(),
        updatedBy: z.string(),
      }),
    ),
  })
  .openapi('BriefingTemplateList');

const Qualifier = z.enum(['exact', 'about', 'over', 'under']);
const Change = z.object({
  pct: z.number().nullable(),
  qualifier: Qualifier.optional(),
  source: z.enum(['computed', 'reported', 'none']),
  earlier: z.number().nullable(),
  periodVi: z.string(),
  periodEn: z.string(),
});

export const BriefingFigure = z
  .object({
    lineId: z.string(),
    item: z.string(),
    labelVi: z.string(),
    labelEn: z.string(),
    unitVi: z.string().nullable(),
    unitEn: z.string().nullable(),
    scale: z.union([
      z.literal(1),
      z.literal(1_000),
      z.literal(1_000_000),
      z.literal(1_000_000_000),
    ]),
    value: z.number().nullable(),
    estimate: z.boolean(),
    qualifier: Qualifier,
    periodVi: z.string().nullable(),
    periodEn: z.string().nullable(),
    yoy: Change.nullable(),
    prev: Change.nullable(),
    ytd: z
      .object({ value: z.number().nullable(), periodVi: z.string(), periodEn: z.string() })
      .nullable(),
    target: z.object({ share: z.number().nullable(), value: z.number() }).nullable(),
    options: z.array(
      z.object({
        code: z.string(),
        labelVi: z.string(),
        labelEn: z.string(),
        value: z.number().nullable(),
        qualifier: Qualifier,
        yoy: Change.nullable(),
        prev: Change.nullable(),
      }),
    ),
  })
  .openapi('BriefingFigure');

export const BriefingDocument = z
  .object({
    id: z.number().nullable(),
    status: z.enum(['draft', 'issued']),
    revision: z.number(),
    number: z.string().nullable(),
    bodyVi: z.string(),
    parentBodyVi: z.string().nullable(),
    place: z.string(),
    date: z.string(),
    issuer: z.string().nullable(),
    titleVi: z.string(),
    titleEn: z.string(),
    period: z.object({ id: z.string(), labelVi: z.string(), labelEn: z.string() }),
    scope: z.object({ version: z.string(), code: z.string(), nameVi: z.string() }),
    sections: z.array(
      z.object({
        code: z.string(),
        titleVi: z.string(),
        titleEn: z.string(),
        table: z.boolean(),
        paragraphs: z.array(
          z.object({
            id: z.string(),
            vi: z.string(),
            en: z.string(),
            edited: z.boolean(),
            needsReview: z.boolean(),
            figure: BriefingFigure,
          }),
        ),
      }),
    ),
    completeness: z.array(
      z.object({
        dataSet: z.string(),
        nameVi: z.string(),
        nameEn: z.string(),
        expected: z.number(),
        onTime: z.number(),
        late: z.number(),
        missing: z.number(),
        lateUnits: z.array(z.string()),
        missingUnits: z.array(z.string()),
      }),
    ),
    corrections: z.array(
      z.object({
        lineId: z.string(),
        labelVi: z.string(),
        labelEn: z.string(),
        before: z.number().nullable(),
        after: z.number().nullable(),
        unitVi: z.string().nullable(),
      }),
    ),
    annex: z.object({
      columns: z.array(
        z.object({
          lineId: z.string(),
          labelVi: z.string(),
          labelEn: z.string(),
          unitVi: z.string().nullable(),
        }),
      ),
      rows: z.array(
        z.object({ code: z.string(), nameVi: z.string(), values: z.array(z.number().nullable()) }),
      ),
    }),
    closing: z
      .object({
        authorityVi: z.string().nullable(),
        titleVi: z.string(),
        name: z.string().nullable(),
        recipients: z.array(z.string()),
      })
      .optional(),
  })
  .openapi('BriefingDocument');

/** A figure of an issued briefing that the data no longer gives. */
export const BriefingDifference = z
  .object({
    lineId: z.string(),
    labelVi: z.string(),
    labelEn: z.string(),
    option: z.string().nullable(),
    issued: z.number().nullable(),
    now: z.number().nullable(),
  })
  .openapi('BriefingDifference');

export const BriefingSummary = z
  .object({
    id: z.number(),
    seriesId: z.number(),
    revision: z.number(),
    template: z.string(),
    period: z.string(),
    periodLabelVi: z.string(),
    version: z.string(),
    unit: z.string(),
    status: z.enum(['draft', 'issued']),
    number: z.string().nullable(),
    titleVi: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    issuedBy: z.string().nullable(),
    issuedAt: z.string().nullable(),
  })
  .openapi('BriefingSummary');

export const BriefingDetail = BriefingSummary.extend({
  document: BriefingDocument,
  changedSinceIssue: z.array(BriefingDifference).openapi({
    description: 'For an issued briefing: figures the data now gives differently',
  }),
  revisions: z.array(BriefingSummary).openapi({ description: 'Every revision of the series' }),
}).openapi('BriefingDetail');

export const BriefingList = z.object({ items: z.array(BriefingSummary) }).openapi('BriefingList');

export const BriefingCreate = z
  .object({
    template: code.openapi({ example: 'MIC_MONTHLY' }),
    period: plainText().min(1).max(40).openapi({
      description:
        'A month (2022-01), a quarter (2022-Q1), N months to date (2022-01-01/2022-08-31) or a year',
      example: '2022-01',
    }),
    unit: plainText()
      .min(1)
      .max(40)
      .optional()
      .openapi({ description: 'Default: the caller’s scope unit' }),
    version: VersionParam,
  })
  .strict()
  .openapi('BriefingCreate');

export const BriefingEdit = z
  .object({
    vi: multilineText().min(1).max(5000),
    en: multilineText().max(5000).optional(),
  })
  .strict()
  .openapi('BriefingEdit');

export const BriefingIdParams = z.object({
  id: z
    .string()
    .regex(/^\d+(\.(json|docx|xlsx|pdf|csv))?$/)
    .openapi({
      param: { name: 'id', in: 'path' },
      description: 'The briefing’s id, optionally with a format suffix (12.docx)',
      example: '12',
    }),
});

export const BriefingParagraphParams = z.object({
  id: z.coerce
    .number()
    .int()
    .openapi({ param: { name: 'id', in: 'path' } }),
  line: z.string().openapi({ param: { name: 'line', in: 'path' } }),
});

export const BriefingFormatQuery = z.object({
  format: z.enum(BRIEFING_FORMATS).optional(),
});

export type BriefingTemplate = z.infer<typeof BriefingTemplate>;
export type BriefingTemplateInput = z.input<typeof BriefingTemplate>;
export type BriefingTemplateLine = z.infer<typeof BriefingTemplateLine>;
export type BriefingSummary = z.infer<typeof BriefingSummary>;
export type BriefingDetail = z.infer<typeof BriefingDetail>;
export type BriefingDifference = z.infer<typeof BriefingDifference>;
export type BriefingList = z.infer<typeof BriefingList>;
export type BriefingTemplateList = z.infer<typeof BriefingTemplateList>;

// The schema documents the domain's document; the two must not drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<z.infer<typeof BriefingDocument>, DocumentType> = true;
void same;
