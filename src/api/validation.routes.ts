import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ErrorResponse, errorResponses, json } from '../contract/common.ts';
import {
  ApplySummary,
  DataAnalysisBody,
  DataSetValidationParams,
  DataSetValidationQuery,
  DataSetValidationSummary,
  ValidationResultList,
  ValidationResultsQuery,
  ValidationRule,
  ValidationRuleBody,
  ValidationRuleGroup,
  ValidationRuleGroupBody,
  ValidationRuleGroupList,
  ValidationRuleKey,
  ValidationRuleList,
  ValidationViolationList,
  ValidationReviewBody,
} from '../contract/validation.ts';
import {
  DHIS2_PERIOD_TYPES,
  formatPeriodEn,
  isFixedPeriodType,
  parsePeriod,
  periodTypeFromDhis2,
  toDhis2Id,
} from '../domain/period.ts';
import { OPERATOR_SIGNS, type Importance, type ValidationOperator } from '../domain/validation.ts';
import type { StoredGroup, StoredRule, Violation } from '../services/validation.service.ts';
import { actorOf, type AppEnv } from './context.ts';

const refused = {
  description:
    'The rule is refused (validation_rule_invalid): each problem, in Vietnamese and English, in details.problems; nothing stored',
  content: { 'application/json': { schema: ErrorResponse } },
};

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
/** Keys with undefined values left out. */
const compact = (o: Obj): Obj =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A period type as given: Opsroom's (month) or DHIS2's (Monthly). */
const periodTypeOf = (v: unknown) => {
  const s = str(v);
  if (s === undefined || isFixedPeriodType(s)) return v;
  return periodTypeFromDhis2(s) ?? v;
};

/**
 * A rule body in either shape, as the service takes it (ValidationRuleInput): DHIS2's when it
 * has leftSide/rightSide and no left/right (name and instruction then serve both languages,
 * levels count from 1); Opsroom's otherwise, its periodType in either's names. An answer of
 * GET (both shapes in one) is read as Opsroom's.
 */
export function ruleInput(body: Obj): Obj {
  if ('left' in body || 'right' in body || !('leftSide' in body || 'rightSide' in body))
    return { ...body, periodType: periodTypeOf(body.periodType) };
  const side = (v: unknown) => {
    const s = obj(v);
    if (!s) return v;
    const d = str(s.description);
    return compact({
      expression: s.expression,
      missingValueStrategy: s.missingValueStrategy,
      descriptionVi: d,
      descriptionEn: d,
    });
  };
  const name = body.name ?? body.displayName;
  const instruction = str(body.instruction);
  const levels = body.organisationUnitLevels;
  return compact({
    code: body.code ?? body.id,
    uid: body.id,
    nameVi: name,
    nameEn: name,
    instructionVi: instruction,
    instructionEn: instruction,
    importance: body.importance,
    periodType: periodTypeOf(body.periodType),
    levels: Array.isArray(levels)
      ? (levels as unknown[]).map((l) => (typeof l === 'number' ? l - 1 : l))
      : levels,
    operator: body.operator,
    left: side(body.leftSide),
    right: side(body.rightSide),
  });
}

/** A stored rule in both shapes. */
export function presentRule(r: StoredRule): z.infer<typeof ValidationRule> {
  const { id: _id, periodType, ...own } = r;
  const side = (s: StoredRule['left']) =>
    compact({
      expression: s.expression,
      missingValueStrategy: s.missingValueStrategy,
      description: s.descriptionEn,
    }) as z.infer<typeof ValidationRule>['leftSide'];
  return {
    ...own,
    id: r.uid ?? r.code,
    name: r.nameEn,
    displayName: r.nameEn,
    ...(r.instructionEn !== undefined ? { instruction: r.instructionEn } : {}),
    periodType: DHIS2_PERIOD_TYPES[periodType].name,
    organisationUnitLevels: r.levels.map((l) => l + 1),
    leftSide: side(r.left),
    rightSide: side(r.right),
  };
}

function groupInput(body: Obj): Obj {
  if (!Array.isArray(body.validationRules)) return body;
  const name = body.name ?? body.displayName;
  return compact({
    code: body.code ?? body.id,
    uid: body.id,
    nameVi: body.nameVi ?? name,
    nameEn: body.nameEn ?? name,
    rules: (body.validationRules as unknown[]).map((r) => obj(r)?.id ?? obj(r)?.code ?? r),
  });
}

function presentGroup(g: StoredGroup): z.infer<typeof ValidationRuleGroup> {
  const { id: _id, ...own } = g;
  return {
    ...own,
    id: g.uid ?? g.code,
    name: g.nameEn,
    displayName: g.nameEn,
    validationRules: g.rules.map((code) => ({ id: code })),
  };
}

function presentViolation(v: Violation) {
  const p = parsePeriod(v.period);
  return {
    validationRuleId: v.rule.uid ?? v.rule.code,
    validationRuleCode: v.rule.code,
    validationRuleDescription: v.rule.nameEn,
    validationRuleDescriptionVi: v.rule.nameVi,
    instruction: v.rule.instructionEn,
    instructionVi: v.rule.instructionVi,
    organisationUnitId: v.unit.uid ?? v.unit.code,
    organisationUnitCode: v.unit.code,
    organisationUnitDisplayName: v.unit.name,
    organisationUnitPath: v.unit.path,
    periodId: toDhis2Id(p),
    period: v.period,
    periodDisplayName: formatPeriodEn(p),
    attributeOptionComboId: 'default',
    attributeOptionComboDisplayName: 'default',
    importance: v.importance,
    leftSideValue: v.left,
    operator: OPERATOR_SIGNS[v.rule.operator],
    rightSideValue: v.right,
  };
}

/** DHIS2's validation rules, groups, analysis and results (issue 17). */
export function validationRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/validationRules',
      tags: ['validation'],
      summary: 'Every validation rule, in DHIS2’s shape and Opsroom’s (data.read)',
      responses: { 200: json(ValidationRuleList, 'The rules'), ...errorResponses },
    }),
    async (c) => {
      const rules = (await c.get('services').validation.rules(actorOf(c))).map(presentRule);
      return c.json(
        { pager: { page: 1, pageSize: rules.length, total: rules.length }, validationRules: rules },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/validationRules',
      tags: ['validation'],
      summary:
        'Create a rule, in DHIS2’s shape or Opsroom’s; checked as a whole, nothing stored on refusal (metadata.manage, national)',
      request: {
        body: { content: { 'application/json': { schema: ValidationRuleBody } }, required: true },
      },
      responses: {
        201: json(ValidationRule, 'Created'),
        ...errorResponses,
        409: {
          description: 'A rule with this code or uid exists',
          content: { 'application/json': { schema: ErrorResponse } },
        },
        422: refused,
      },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .validation.create(actorOf(c), ruleInput(c.req.valid('json')), {
          requestId: c.get('requestId'),
        });
      return c.json(presentRule(r), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/validationRules/{id}',
      tags: ['validation'],
      summary: 'One rule, by uid or code (data.read)',
      request: { params: ValidationRuleKey },
      responses: { 200: json(ValidationRule, 'The rule'), ...errorResponses },
    }),
    async (c) => {
      const r = await c.get('services').validation.rule(actorOf(c), c.req.valid('param').id);
      return c.json(presentRule(r), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/validationRules/{id}',
      tags: ['validation'],
      summary: 'Replace a rule (its code stays), in either shape (metadata.manage, national)',
      request: {
        params: ValidationRuleKey,
        body: { content: { 'application/json': { schema: ValidationRuleBody } }, required: true },
      },
      responses: { 200: json(ValidationRule, 'Replaced'), ...errorResponses, 422: refused },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .validation.update(actorOf(c), c.req.valid('param').id, ruleInput(c.req.valid('json')), {
          requestId: c.get('requestId'),
        });
      return c.json(presentRule(r), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/validationRules/{id}',
      tags: ['validation'],
      summary: 'Delete a rule and its stored results (metadata.manage, national)',
      request: { params: ValidationRuleKey },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      await c
        .get('services')
        .validation.remove(actorOf(c), c.req.valid('param').id, { requestId: c.get('requestId') });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/validationRuleGroups',
      tags: ['validation'],
      summary: 'Every validation rule group (data.read)',
      responses: { 200: json(ValidationRuleGroupList, 'The groups'), ...errorResponses },
    }),
    async (c) => {
      const groups = await c.get('services').validation.groups(actorOf(c));
      return c.json({ validationRuleGroups: groups.map(presentGroup) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/validationRuleGroups',
      tags: ['validation'],
      summary: 'Create or replace a rule group, by code (metadata.manage, national)',
      request: {
        body: {
          content: { 'application/json': { schema: ValidationRuleGroupBody } },
          required: true,
        },
      },
      responses: { 200: json(ApplySummary, 'Stored'), ...errorResponses, 422: refused },
    }),
    async (c) => {
      const r = await c
        .get('services')
        .validation.apply(
          actorOf(c),
          { validationRuleGroups: [groupInput(c.req.valid('json'))] },
          { requestId: c.get('requestId') },
        );
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/dataAnalysis/validationRules',
      tags: ['validation'],
      summary:
        'Run the rules (of a group, or all) over a unit’s subtree and a date range; the violations, as DHIS2 lists them (data.read; persist stores them)',
      request: {
        body: { content: { 'application/json': { schema: DataAnalysisBody } }, required: true },
      },
      responses: {
        200: json(ValidationViolationList, 'The violations'),
        ...errorResponses,
        422: {
          description: 'Too many units × periods (validation_too_large)',
          content: { 'application/json': { schema: ErrorResponse } },
        },
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const found = await c.get('services').validation.run(
        actorOf(c),
        {
          unit: b.ou,
          startDate: b.startDate,
          endDate: b.endDate,
          ...(b.vrg !== undefined ? { ruleGroup: b.vrg } : {}),
          ...(b.version !== undefined ? { version: b.version } : {}),
          persist: b.persist,
        },
        { requestId: c.get('requestId') },
      );
      return c.json(found.map(presentViolation), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/validation/dataSet/{ds}',
      tags: ['validation'],
      summary:
        'DHIS2: validate one unit’s data set for a period — the rules whose elements are all in the data set (data.read; nothing stored)',
      request: { params: DataSetValidationParams, query: DataSetValidationQuery },
      responses: { 200: json(DataSetValidationSummary, 'The violations'), ...errorResponses },
    }),
    async (c) => {
      const { pe, ou } = c.req.valid('query');
      const found = await c.get('services').validation.validateDataSet(actorOf(c), {
        dataSet: c.req.valid('param').ds,
        period: pe,
        unit: ou,
      });
      return c.json(
        {
          validationRuleViolations: found.map((v) => {
            const p = parsePeriod(v.period);
            return {
              validationRule: {
                id: v.rule.uid ?? v.rule.code,
                code: v.rule.code,
                name: v.rule.nameEn,
                displayName: v.rule.nameEn,
                importance: v.importance,
                operator: v.rule.operator,
                instruction: v.rule.instructionEn,
                instructionVi: v.rule.instructionVi,
              },
              period: { id: v.period, isoPeriod: toDhis2Id(p) },
              organisationUnit: {
                id: v.unit.uid ?? v.unit.code,
                code: v.unit.code,
                name: v.unit.name,
              },
              attributeOptionCombo: { id: 'default' },
              leftsideValue: v.left,
              rightsideValue: v.right,
              notificationSent: false,
            };
          }),
          commentRequiredViolations: [],
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/validationResults',
      tags: ['validation'],
      summary:
        'Stored violations at units in the caller’s scope, most important (HIGH first) then newest, with the rule’s names, instruction and operator and the follow-up state; paged (data.read)',
      request: { query: ValidationResultsQuery },
      responses: { 200: json(ValidationResultList, 'The results'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await c.get('services').validation.results(actorOf(c), {
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
        ...(q.vr !== undefined ? { rule: q.vr } : {}),
        ...(q.pe !== undefined ? { period: q.pe.split(';').filter(Boolean) } : {}),
        ...(q.state !== 'all' ? { state: q.state } : {}),
        ...(q.ou !== undefined ? { unit: q.ou } : {}),
        ...(q.ouVersion !== undefined ? { version: q.ouVersion } : {}),
      });
      return c.json(
        {
          pager: { page: q.page, pageSize: q.pageSize, total },
          validationResults: rows.map((r) => ({
            id: r.id,
            validationRule: {
              id: r.rule_uid ?? r.rule_code,
              code: r.rule_code,
              name: r.rule_name_en,
              displayName: r.rule_name_en,
              nameVi: r.rule_name_vi,
              nameEn: r.rule_name_en,
              instruction: r.instruction_en,
              instructionVi: r.instruction_vi,
              instructionEn: r.instruction_en,
              operator: r.operator as ValidationOperator,
              operatorSign: OPERATOR_SIGNS[r.operator as ValidationOperator],
              importance: r.importance as Importance,
            },
            organisationUnit: {
              id: r.unit_uid ?? r.unit_code,
              code: r.unit_code,
              path: r.unit_path,
              name: r.unit_name,
              version: r.unit_version,
            },
            period: { id: r.period },
            leftsideValue: r.left_value,
            rightsideValue: r.right_value,
            importance: r.importance,
            created: new Date(r.found_at).toISOString(),
            notificationSent: false,
            followup: {
              state: r.followup_state ?? 'open',
              taskId: r.task_id,
              comment: r.followup_comment,
            },
            values: r.values.map((v) => ({
              dataElement: v.element,
              dataElementNameVi: v.element_name_vi,
              dataElementNameEn: v.element_name_en,
              categoryOptionCombo: v.option,
              value: v.value,
            })),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/validationResults/review',
      tags: ['validation'],
      summary:
        'Confirms a value that breaks a rule as correct: its flag goes, a re-check does not raise it again, its follow-up task is closed (data.write, in scope; audited)',
      request: {
        body: {
          content: { 'application/json': { schema: ValidationReviewBody } },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ state: z.literal('confirmed') }), 'Confirmed'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await c.get('services').validation.review(
        actorOf(c),
        {
          rule: b.rule,
          unit: b.unit,
          version: b.version,
          period: b.period,
          ...(b.comment !== undefined ? { comment: b.comment } : {}),
        },
        { requestId: c.get('requestId') },
      );
      return c.json(r, 200);
    },
  );

  return app;
}
