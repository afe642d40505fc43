import { z } from '@hono/zod-openapi';
import {
  IMPORTANCES,
  MISSING_VALUE_STRATEGIES,
  VALIDATION_OPERATORS,
} from '../domain/validation.ts';

/**
 * Validation rules (issue 17) on DHIS2's routes and in DHIS2's shapes (web API "Data
 * validation"), Opsroom's shape beside them.
 */

const Side = z
  .object({
    expression: z.string().openapi({ example: '#{MOBILE_SUBS.URBAN}' }),
    missingValueStrategy: z.enum(MISSING_VALUE_STRATEGIES),
    descriptionVi: z.string().optional(),
    descriptionEn: z.string().optional(),
  })
  .openapi('ValidationRuleSide');

const Dhis2Side = z
  .object({
    expression: z.string(),
    missingValueStrategy: z.enum(MISSING_VALUE_STRATEGIES),
    description: z.string().optional(),
  })
  .openapi('Dhis2ValidationRuleSide');

export const ValidationRule = z
  .object({
    // Opsroom's shape (domain/validation.ts ValidationRuleInput)
    code: z.string(),
    uid: z.string().optional(),
    nameVi: z.string(),
    nameEn: z.string(),
    instructionVi: z.string().optional(),
    instructionEn: z.string().optional(),
    importance: z.enum(IMPORTANCES),
    levels: z.array(z.number()).openapi({ description: 'Unit levels (0 = the nation); [] = all' }),
    operator: z.enum(VALIDATION_OPERATORS),
    left: Side,
    right: Side,
    // DHIS2's
    id: z.string().openapi({ description: 'The DHIS2 uid, else the code' }),
    name: z.string(),
    displayName: z.string(),
    instruction: z.string().optional(),
    periodType: z
      .string()
      .openapi({ description: "DHIS2's name: Monthly, Quarterly…", example: 'Monthly' }),
    organisationUnitLevels: z
      .array(z.number())
      .openapi({ description: 'DHIS2 levels (1 = the nation)' }),
    leftSide: Dhis2Side,
    rightSide: Dhis2Side,
  })
  .openapi('ValidationRule');

export const ValidationRuleBody = z.looseObject({}).openapi('ValidationRuleBody', {
  description:
    "A rule in DHIS2's shape (name, instruction, importance, periodType, operator, leftSide, rightSide, organisationUnitLevels) or Opsroom's (code, uid, nameVi, nameEn, instructionVi/En, importance, periodType, levels, operator, left, right); checked as a whole (422 validation_rule_invalid lists every problem)",
  example: {
    code: 'URBAN_LE_TOTAL',
    nameVi: 'Thuê bao thành thị không vượt tổng',
    nameEn: 'Urban subscribers within the total',
    periodType: 'month',
    operator: 'less_than_or_equal_to',
    left: { expression: '#{MOBILE_SUBS.URBAN}' },
    right: { expression: '#{MOBILE_SUBS}' },
  },
});

export const ValidationRuleList = z
  .object({
    pager: z.object({ page: z.number(), pageSize: z.number(), total: z.number() }),
    validationRules: z.array(ValidationRule),
  })
  .openapi('ValidationRuleList');

export const ValidationRuleKey = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, description: 'uid or code' }),
});

export const ValidationRuleGroup = z
  .object({
    id: z.string(),
    code: z.string(),
    uid: z.string().optional(),
    nameVi: z.string(),
    nameEn: z.string(),
    name: z.string(),
    displayName: z.string(),
    rules: z.array(z.string()).openapi({ description: 'Codes of its rules' }),
    validationRules: z.array(z.object({ id: z.string() })),
  })
  .openapi('ValidationRuleGroup');

export const ValidationRuleGroupBody = z.looseObject({}).openapi('ValidationRuleGroupBody', {
  description:
    "A group in Opsroom's shape (code, uid, nameVi, nameEn, rules: codes) or DHIS2's (id, code, name, validationRules: [{id}])",
});

export const ValidationRuleGroupList = z
  .object({ validationRuleGroups: z.array(ValidationRuleGroup) })
  .openapi('ValidationRuleGroupList');

export const ApplySummary = z
  .object({
    validationRules: z.object({ created: z.number(), updated: z.number(), unchanged: z.number() }),
    validationRuleGroups: z.object({
      created: z.number(),
      updated: z.number(),
      unchanged: z.number(),
    }),
  })
  .openapi('ValidationApplySummary');

export const DataAnalysisBody = z
  .object({
    ou: z
      .string()
      .min(1)
      .max(100)
      .openapi({ description: 'Unit code or uid: it and every unit under it' }),
    startDate: z.iso.date(),
    endDate: z.iso.date(),
    vrg: z
      .string()
      .max(100)
      .optional()
      .openapi({ description: 'Validation rule group (uid or code); none = all rules' }),
    persist: z.boolean().default(false),
    notification: z.boolean().optional().openapi({ description: 'Accepted and ignored' }),
    version: z
      .string()
      .max(20)
      .optional()
      .openapi({ description: 'Hierarchy version; default the tree in force at endDate' }),
  })
  .openapi('DataAnalysisValidationRulesBody');

export const ValidationViolation = z
  .object({
    validationRuleId: z.string(),
    validationRuleCode: z.string(),
    validationRuleDescription: z.string(),
    validationRuleDescriptionVi: z.string(),
    instruction: z.string().nullable(),
    instructionVi: z.string().nullable(),
    organisationUnitId: z.string(),
    organisationUnitCode: z.string(),
    organisationUnitDisplayName: z.string(),
    organisationUnitPath: z.string(),
    periodId: z.string().openapi({ description: "DHIS2's period id", example: '202201' }),
    period: z.string().openapi({ description: "Opsroom's period id", example: '2022-01' }),
    periodDisplayName: z.string(),
    attributeOptionComboId: z.string(),
    attributeOptionComboDisplayName: z.string(),
    importance: z.enum(IMPORTANCES),
    leftSideValue: z.number().nullable(),
    operator: z.string().openapi({ example: '<=' }),
    rightSideValue: z.number().nullable(),
  })
  .openapi('ValidationViolation');

export const ValidationViolationList = z
  .array(ValidationViolation)
  .openapi('ValidationViolationList');

export const ValidationResultsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  vr: z.string().max(100).optional().openapi({ description: 'A rule (uid or code)' }),
  pe: z.string().max(2000).optional().openapi({ description: "Opsroom period ids, ';'-separated" }),
  ou: z.string().min(1).max(100).optional().openapi({
    description: 'A unit code: its subtree only (in your scope); default your scope',
  }),
  ouVersion: z.string().min(1).max(20).optional().openapi({
    description: "The unit's hierarchy version; default your scope's",
  }),
  state: z.enum(['all', 'open', 'confirmed', 'corrected']).default('all').openapi({
    description:
      "By follow-up: 'open' leaves out the results a reviewer confirmed correct; default all",
  }),
});

export const FOLLOWUP_STATES = ['open', 'confirmed', 'corrected'] as const;

export const ValidationResult = z
  .object({
    id: z.number(),
    validationRule: z.object({
      id: z.string(),
      code: z.string(),
      name: z.string().openapi({ description: 'English name (DHIS2: name)' }),
      displayName: z.string(),
      nameVi: z.string(),
      nameEn: z.string(),
      instruction: z.string().nullable().openapi({ description: 'English instruction' }),
      instructionVi: z.string().nullable(),
      instructionEn: z.string().nullable(),
      operator: z.enum(VALIDATION_OPERATORS),
      operatorSign: z.string().openapi({ example: '<=' }),
      importance: z.enum(IMPORTANCES),
    }),
    organisationUnit: z.object({
      id: z.string(),
      code: z.string(),
      path: z.string(),
      name: z.string(),
      version: z.string().openapi({ description: 'The hierarchy version of the unit' }),
    }),
    period: z.object({ id: z.string() }),
    leftsideValue: z.number().nullable(),
    rightsideValue: z.number().nullable(),
    importance: z.string(),
    created: z.string(),
    notificationSent: z.boolean(),
    followup: z
      .object({
        state: z.enum(FOLLOWUP_STATES).openapi({
          description: "'open' when no reviewer has spoken yet (also without a follow-up row)",
        }),
        taskId: z.number().nullable().openapi({ description: 'The follow-up task, if any' }),
        comment: z.string().nullable(),
      })
      .openapi({ description: 'What became of it (issue 17)' }),
    values: z
      .array(
        z.object({
          dataElement: z.string(),
          dataElementNameVi: z.string(),
          dataElementNameEn: z.string(),
          categoryOptionCombo: z.string(),
          value: z.number().nullable(),
        }),
      )
      .openapi({
        description:
          "Opsroom's: the values the rule reads that are stored at this unit and period (a reviewer may correct them); empty where the rule reads totals of the units below or of shorter periods",
      }),
  })
  .openapi('ValidationResult');

export const ValidationResultList = z
  .object({
    pager: z.object({ page: z.number(), pageSize: z.number(), total: z.number() }),
    validationResults: z.array(ValidationResult),
  })
  .openapi('ValidationResultList');

export const DataSetValidationParams = z.object({
  ds: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'ds', in: 'path' }, description: 'Data set uid or code' }),
});

export const DataSetValidationQuery = z.object({
  pe: z.string().min(1).max(50).openapi({ description: 'Period (2025-08 or 202508)' }),
  ou: z.string().min(1).max(100).openapi({ description: 'Unit code or uid' }),
});

export const DataSetValidationSummary = z
  .object({
    validationRuleViolations: z.array(
      z.object({
        validationRule: z.object({
          id: z.string(),
          code: z.string(),
          name: z.string(),
          displayName: z.string(),
          importance: z.enum(IMPORTANCES),
          operator: z.enum(VALIDATION_OPERATORS),
          instruction: z.string().nullable(),
          instructionVi: z.string().nullable(),
        }),
        period: z.object({ id: z.string(), isoPeriod: z.string() }),
        organisationUnit: z.object({ id: z.string(), code: z.string(), name: z.string() }),
        attributeOptionCombo: z.object({ id: z.string() }),
        leftsideValue: z.number().nullable(),
        rightsideValue: z.number().nullable(),
        notificationSent: z.boolean(),
      }),
    ),
    commentRequiredViolations: z.array(z.unknown()),
  })
  .openapi('DataSetValidationSummary');

/** A reviewer's word on a broken rule: the value is correct as it stands (issue 17). */
export const ValidationReviewBody = z
  .object({
    rule: z.string().min(1).openapi({ description: 'The rule, by code or uid' }),
    unit: z.string().min(1).openapi({ description: 'Where it is broken: the unit code' }),
    version: z.string().min(1),
    period: z.string().min(1).openapi({ example: '2021-01-01/2021-08-31' }),
    action: z.literal('confirm'),
    comment: z.string().max(2000).optional(),
  })
  .openapi('ValidationReview');
