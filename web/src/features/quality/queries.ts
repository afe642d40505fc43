import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { answer, client, type Schemas } from '../../shared/api/client.ts';

export type QualityResult = Schemas['ValidationResult'];
export type Outlier = Schemas['OutlierValue'];

export const PAGE_SIZE = 20;
const KEY = ['quality'] as const;
export const VIOLATIONS_KEY = [...KEY, 'violations'] as const;

export interface ViolationsQuery {
  unit: string;
  version: string;
  state: 'open' | 'all';
  page: number;
}

/** `GET /api/validationResults` of a subtree: most important, then newest, first. */
export function useViolations(q: ViolationsQuery) {
  return useQuery({
    queryKey: [...VIOLATIONS_KEY, q.unit, q.version, q.state, q.page],
    queryFn: ({ signal }) =>
      answer(
        client.GET('/api/validationResults', {
          params: {
            query: {
              ou: q.unit,
              ouVersion: q.version,
              state: q.state,
              page: q.page,
              pageSize: PAGE_SIZE,
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The reviewer's word: the value is correct as it stands. */
export function confirmViolation(r: QualityResult, comment: string) {
  return answer(
    client.POST('/api/validationResults/review', {
      body: {
        rule: r.validationRule.code,
        unit: r.organisationUnit.code,
        version: r.organisationUnit.version,
        period: r.period.id,
        action: 'confirm',
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      },
    }),
  );
}

/** One value a broken rule reads at its unit and period, corrected: saved as any value is. */
export function correctViolationValue(
  r: QualityResult,
  item: QualityResult['values'][number],
  value: string,
  comment: string,
) {
  return answer(
    client.POST('/api/dataValues', {
      body: {
        dataElement: item.dataElement,
        orgUnit: r.organisationUnit.code,
        period: r.period.id,
        categoryOptionCombo: item.categoryOptionCombo,
        value,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      },
      // 201 with no body, as DHIS2 answers.
      parseAs: 'text',
    }),
  );
}

/** The scope's unit and the units right under it, for the unit picker. */
export function useScopeUnits(code: string, version: string) {
  return useQuery({
    queryKey: [...KEY, 'units', version, code],
    queryFn: ({ signal }) =>
      answer(
        client.GET('/api/orgunits/{code}/children', {
          params: { path: { code }, query: { version, limit: 1000 } },
          signal,
        }),
      ),
    select: (r) => r.items.map((u) => ({ code: u.code, name: u.fullName })),
    staleTime: 5 * 60_000,
  });
}

export interface OutlierQuery {
  de: string;
  ou: string;
  startDate: string;
  endDate: string;
}

/** `GET /api/outlierDetection` with the seasonal baseline; runs once asked. */
export function useOutliers(q: OutlierQuery | null) {
  return useQuery({
    queryKey: [...KEY, 'outliers', q],
    queryFn: ({ signal }) =>
      answer(
        client.GET('/api/outlierDetection', {
          params: { query: { ...q!, algorithm: 'SEASONAL' } },
          signal,
        }),
      ),
    enabled: q !== null,
    placeholderData: keepPreviousData,
  });
}

export type AlertRule = Schemas['AlertRule'];
export const ALERT_RULES_KEY = [...KEY, 'alertRules'] as const;

/** The alert rules on violations that watch this unit's subtree (set on it or above it). */
export function useViolationAlerts() {
  return useQuery({
    queryKey: ALERT_RULES_KEY,
    queryFn: ({ signal }) => answer(client.GET('/api/alerts/rules', { signal })),
    select: (r) => r.items.filter((x) => x.subjectType === 'violations'),
  });
}

export function createViolationAlert(body: Schemas['AlertRuleInput']) {
  return answer(client.POST('/api/alerts/rules', { body }));
}

export function switchAlert(id: number, active: boolean) {
  return answer(
    client.PATCH('/api/alerts/rules/{id}', { params: { path: { id } }, body: { active } }),
  );
}

export type Baseline = Schemas['OutlierBaseline'];

/** `GET /api/outlierDetection/baseline`: the season an outlier was compared with, to draw. */
export function useBaseline(o: Outlier | null) {
  return useQuery({
    queryKey: [...KEY, 'baseline', o?.de, o?.ou, o?.pe, o?.coc, o?.aoc],
    queryFn: ({ signal }) =>
      answer(
        client.GET('/api/outlierDetection/baseline', {
          params: { query: { de: o!.de, ou: o!.ou, pe: o!.pe, coc: o!.coc, aoc: o!.aoc } },
          signal,
        }),
      ),
    enabled: o !== null,
    staleTime: 60_000,
  });
}

/** The elements' codes and names, to suggest in the outlier panel's input. */
export function useElementChoices() {
  return useQuery({
    queryKey: [...KEY, 'elements'],
    queryFn: ({ signal }) =>
      answer(
        client.GET('/api/dataElements', {
          params: { query: { fields: 'code,displayName', paging: 'false' } },
          signal,
        }),
      ),
    select: (r) =>
      r.dataElements
        .map((o) => ({
          code: typeof o.code === 'string' ? o.code : '',
          name: typeof o.displayName === 'string' ? o.displayName : '',
        }))
        .filter((e) => e.code !== ''),
    staleTime: 5 * 60_000,
  });
}

export type RangeFlag = Schemas['ValueOutlier'];
export type RangeFlagState = 'open' | 'confirmed' | 'all';
/** The newest flagged values shown (the route has no pages: the newest first, at most this). */
export const RANGE_FLAGS_LIMIT = 100;
export const RANGE_FLAGS_KEY = [...KEY, 'rangeFlags'] as const;

/** `GET /api/valueOutliers`: values flagged as they arrived, outside their unit's min–max. */
export function useRangeFlags(q: { unit: string; version: string; state: RangeFlagState }) {
  return useQuery({
    queryKey: [...RANGE_FLAGS_KEY, q.unit, q.version, q.state],
    queryFn: ({ signal }) =>
      answer(
        client.GET('/api/valueOutliers', {
          params: {
            query: {
              ou: q.unit,
              ouVersion: q.version,
              state: q.state,
              pageSize: RANGE_FLAGS_LIMIT,
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The reviewer's word on a flagged value: correct as it stands, and why (required). */
/** The reviewer's correction: the value saved again (audited; the checks run on the save). */
export function correctRangeFlag(f: RangeFlag, value: string, comment: string) {
  return answer(
    client.POST('/api/dataValues', {
      body: {
        dataElement: f.dataElement,
        orgUnit: f.orgUnit,
        period: f.period,
        categoryOptionCombo: f.categoryOptionCombo,
        value,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      },
      // 201 with no body, as DHIS2 answers.
      parseAs: 'text',
    }),
  );
}

export function confirmRangeFlag(f: RangeFlag, version: string, comment: string) {
  return answer(
    client.POST('/api/valueOutliers/review', {
      body: {
        dataElement: f.dataElement,
        orgUnit: f.orgUnit,
        version,
        period: f.period,
        categoryOptionCombo: f.categoryOptionCombo,
        action: 'confirm',
        comment: comment.trim(),
      },
    }),
  );
}
