import type { Action } from '../domain/access.ts';
import { CONFLICT } from '../domain/data-value.ts';
import { derivedUid, type Dhis2Resource } from '../services/dhis2-metadata.service.ts';
import { SHIPPED_CITIZEN_CATEGORIES } from '../services/citizen-category.shipped.ts';
import { VN_CIVIL_SERVICE_WEEK } from '../domain/working-time.ts';

/**
 * The authorization rule of every route, one row each, read by authz-matrix.suite.ts (run per engine by authz-matrix.<engine>.test.ts): what a
 * caller needs (the permissions of its role or token), which unit the request touches and how
 * the scope applies, and a sample request. The test calls every route as every role, inside and
 * outside the scope, anonymously and with a token lacking the permission; a route that is
 * served (app.routes) or documented (OpenAPI) without a row here fails the suite.
 *
 * Scopes of the callers, all in the 2025 tree: the nation (root), Hồ Chí Minh City 79
 * (province), Phường Sài Gòn 26740 (unit, where the resources live), another ward of the city,
 * 25747 (sibling), and Đà Nẵng 48 (other).
 */

export type ScopeKind = 'root' | 'province' | 'unit' | 'sibling' | 'other';

export const SCOPE_CODES: Record<ScopeKind, string> = {
  root: 'VN',
  province: '79',
  unit: '26740',
  sibling: '25747',
  other: '48',
};

/**
 * How the scope applies:
 * - none: not scoped (the same answer for every scope);
 * - list: a list filtered to the scope: answered outside too, without the resource (`marker`);
 * - unit: one unit or a resource of one unit: refused outside (403, or 404 when hidden);
 * - root: the national scope only.
 */
export type ScopeRule = 'none' | 'list' | 'unit' | 'root';

/** What the sample requests refer to, created once per database by the test. */
export interface Fixtures {
  version: string;
  unit: string;
  province: string;
  week: string;
  decidedWeek: string;
  directiveId: number;
  directiveTitle: string;
  taskId: number;
  taskTitle: string;
  attachmentId: number;
  attachmentText: string;
  ruleId: number;
  ruleName: string;
  groupCode: string;
  groupName: string;
  tokenName: string;
  userMarker: string;
  valueComment: string;
  planNote: string;
  changeId: number;
  dataSet: string;
  element: string;
  period: string;
  fieldKey: string;
  /** A number new on each call, for names that must not repeat. */
  seq(): number;
  /** Resources a destructive route consumes, made fresh for each call. */
  freshToken(): Promise<string>;
  freshLock(): Promise<number>;
  freshMilestone(): Promise<{ taskId: number; milestoneId: number }>;
  /** A validation rule of its own (code) for a route that deletes one. */
  freshValidationRule(): Promise<string>;
  /** A citizens' report category of its own (code) for a route that deletes one. */
  freshCitizenCategory(): Promise<string>;
  /** A citizen's report sent to the unit (issue 20): its id, tracking code, text and photo. */
  reportId: number;
  reportCode: string;
  reportText: string;
  reportPhotoId: number;
  /** An active token, the api_key an Open311 app posts with (issue 20). */
  open311Key: string;
  /** A photo of an answered report: on the public answers page. */
  publicPhotoId: number;
  /** The validation rule of the fixtures (code). */
  validationRule: string;
  /** Sets the fixtures' min–max range (unit, element) again, for a route that removes it. */
  freshMinMax(): Promise<void>;
  /** A value of the fixtures' unit flagged outside its range (at a day of its own). */
  freshOutlier(): Promise<{ period: string }>;
  /** A draft briefing of the unit, an issued one, and a new draft (issue 18). */
  briefingId: number;
  issuedBriefingId: number;
  freshBriefing(): Promise<number>;
  /** A board of the national admin shared with the unit to read, and fresh ones to edit. */
  boardId: number;
  boardName: string;
  freshBoard(): Promise<{ id: number; revision: number }>;
  /** A wrong password for `throttledUser`, so that there is a throttle to list and lift. */
  failSignIn(): Promise<void>;
  throttledUser: string;
}

export interface Caller {
  /** The caller's scope unit code ('VN' for anonymous callers and tokens). */
  code: string;
}

export interface Sample {
  path: string;
  json?: unknown;
  /** A raw body (multipart form, CSV…), sent as is. */
  body?: BodyInit;
  headers?: Record<string, string>;
  /** An event stream: read the status and headers, then cancel. */
  stream?: true;
}

export interface RouteRule {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the app registers it (Hono's pattern: `:id`, `:id{[0-9]+}`). */
  path: string;
  /** Answered without signing in. */
  public?: true;
  /** Every permission the route needs; [] = any signed-in caller. */
  needs: readonly Action[];
  scope: ScopeRule;
  /** Where the unit comes from (documentation): a path or query parameter, a body field… */
  touches?: string;
  /** Scopes that pass (default: root and province, or root alone for `root` routes). */
  in?: readonly ScopeKind[];
  /** Scopes that are refused, or for lists answered without the resource (default: other). */
  out?: readonly ScopeKind[];
  /** Text of the resource: never in a refused answer nor a list out of scope; in the answer when passed. */
  marker?: (f: Fixtures) => string;
  /** Only check that the marker is absent where refused (a passing answer may page it out). */
  markerOnlyAbsent?: true;
  /** Rows counted before and after a refused write (audit_event always is). */
  table?: string;
  /**
   * Refused row by row, not as a whole: out of scope the import answers (200 with a WARNING,
   * or 409), every row rejected with this conflict code and nothing stored. A per-row import
   * records its attempt (counts of 0) in the audit log, as any import does.
   */
  rowLevel?: { conflict: string; auditsAttempt?: true };
  /** The route follows the directive visibility rule (issue 13, defect 1): failures are tagged. */
  directiveVisibility?: true;
  /** What a token needs besides `needs` to pass (no one grants more than they hold). */
  tokenAlso?: readonly Action[];
  /** Run after every other route (signing out ends the callers' sessions). */
  last?: true;
  sample(f: Fixtures, who: Caller): Sample | Promise<Sample>;
}

const q = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

/** A scope code in the tree that a board or remind request is drawn for. */
const boardUnit = (f: Fixtures, who: Caller) => (who.code === 'VN' ? f.province : who.code);

const PDF = (text: string) => `%PDF-1.4\n% ${text}\n%%EOF\n`;

export function uploadForm(text: string): FormData {
  const form = new FormData();
  form.append('file', new File([PDF(text)], 'mx.pdf', { type: 'application/pdf' }));
  return form;
}

/** A 2×2 PNG: the smallest photo the public page takes. */
export function photoForm(): FormData {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEklEQVQImWM4Y2x8xtiYAUIBACPqBMlwUmUNAAAAAElFTkSuQmCC',
    'base64',
  );
  const form = new FormData();
  form.append('file', new File([png], 'mx.png', { type: 'image/png' }));
  return form;
}

// Another day than the fixtures' value, which the analytics and form rows look for.
const dataValue = (f: Fixtures) => ({
  dataValues: [
    { dataElement: f.element, period: '2026-11-20', orgUnit: f.unit, value: '7', comment: 'mx' },
  ],
});

/** A day of its own for each call (period locks must not repeat). */
export const nthDay = (year: number, n: number) =>
  new Date(Date.UTC(year, 0, 1 + n)).toISOString().slice(0, 10);

const ROOT_ONLY = { scope: 'root', in: ['root'], out: ['province', 'other'] } as const;

/** A briefing template over the fixtures' element, as POST /api/briefingTemplates takes it. */
export const briefingTemplate = (code: string) => ({
  code,
  nameVi: 'Báo cáo mx',
  nameEn: 'mx briefing',
  bodyVi: 'PHƯỜNG MX',
  place: 'Hà Nội',
  numberSuffix: 'BC-MX',
  sections: [
    {
      code: 'postal',
      titleVi: 'Bưu chính',
      titleEn: 'Postal',
      lines: [{ id: 'mx_cases', item: 'MX_CASES', compare: ['yoy', 'prev'] }],
    },
  ],
});

/** A validation rule on the fixtures' element, as POST /api/validationRules takes it. */
export const validationRule = (code: string) => ({
  code,
  nameVi: `Quy tắc kiểm tra mx ${code}`,
  nameEn: `mx validation rule ${code}`,
  importance: 'HIGH',
  periodType: 'day',
  operator: 'less_than_or_equal_to',
  left: { expression: '#{MX_CASES}', missingValueStrategy: 'SKIP_IF_ALL_VALUES_MISSING' },
  right: { expression: '1000000', missingValueStrategy: 'NEVER_SKIP' },
});

/** A spam report as a gateway sends it (with its own id) or the public page (without). */
export const spamReport = (externalId?: string) => ({
  number: '0912345678',
  kind: 'sms',
  content: 'Chúc mừng thuê bao trúng thưởng, bấm vào liên kết mx',
  operator: 'viettel',
  reportedAt: new Date(Date.now() - 60_000).toISOString(),
  ...(externalId ? { externalId } : {}),
});

/** A citizens' report category, as POST /api/citizenCategories takes it. */
export const citizenCategory = (code: string) => ({
  code,
  nameVi: 'Lĩnh vực mx',
  nameEn: 'mx category',
  handledBy: { level: 'commune' },
  acknowledgeWithin: { hours: 8 },
  answerWithin: { days: 5 },
});

/** A panel for the board samples. */
export const boardPanel = () => ({
  id: 'mx',
  kind: 'text',
  grid: { x: 0, y: 0, w: 12, h: 2 },
  options: { text: 'Ghi chú mx' },
});

/** For what is sent to a unit (directives, tasks, plans): a ward next to it sees nothing either. */
const NOT_NEIGHBOURS = { out: ['other', 'sibling'] } as const;
/** …and the recipient itself passes. */
const RECIPIENT_TOO = { in: ['root', 'province', 'unit'], out: ['other', 'sibling'] } as const;

/** A body valid for each metadata kind, checked with dryRun (nothing is stored). */
const METADATA_SAMPLES: Record<string, (f: Fixtures) => unknown> = {
  breakdowns: () => ({
    code: 'MX_BREAKDOWN',
    nameVi: 'Phân tổ mx',
    nameEn: 'mx breakdown',
    options: [{ code: 'MX_OPT', nameVi: 'Tùy chọn mx', nameEn: 'mx option' }],
  }),
  attributeOptions: () => ({ code: 'MX_ATTR', nameVi: 'Thuộc tính mx', nameEn: 'mx attribute' }),
  dataElements: () => ({
    code: 'MX_OTHER',
    nameVi: 'Chỉ tiêu mx khác',
    nameEn: 'Other mx element',
    sector: 'postal',
    valueType: 'integer',
    aggTime: 'sum',
  }),
  indicators: (f) => ({
    code: 'MX_INDICATOR',
    nameVi: 'Chỉ số mx',
    nameEn: 'mx indicator',
    sector: 'postal',
    formula: `#{${f.element}} * 2`,
  }),
  dataSets: (f) => ({
    code: 'MX_MONTHLY',
    nameVi: 'Bộ mx tháng',
    nameEn: 'mx monthly set',
    periodType: 'month',
    version: f.version,
    level: 1,
    elements: [f.element],
  }),
};

const metadataRoutes: RouteRule[] = [
  {
    method: 'GET',
    path: '/api/metadata',
    needs: [],
    scope: 'none',
    sample: () => ({ path: '/api/metadata' }),
  },
  {
    method: 'POST',
    path: '/api/metadata',
    needs: ['metadata.manage'],
    ...ROOT_ONLY,
    touches: 'national definitions: the national scope only',
    sample: (f) => ({
      path: '/api/metadata?dryRun=true',
      json: { dataElements: [METADATA_SAMPLES.dataElements!(f)] },
    }),
  },
  ...Object.entries(METADATA_SAMPLES).flatMap(([kind, body]): RouteRule[] => [
    {
      method: 'GET',
      path: `/api/metadata/${kind}`,
      needs: [],
      scope: 'none',
      sample: () => ({ path: `/api/metadata/${kind}` }),
    },
    {
      method: 'POST',
      path: `/api/metadata/${kind}`,
      needs: ['metadata.manage'],
      ...ROOT_ONLY,
      touches: 'national definitions: the national scope only',
      sample: (f) => ({ path: `/api/metadata/${kind}?dryRun=true`, json: body(f) }),
    },
  ]),
  {
    method: 'GET',
    path: '/api/metadata/targets',
    needs: [],
    scope: 'none',
    sample: () => ({ path: '/api/metadata/targets' }),
  },
  {
    method: 'POST',
    path: '/api/metadata/targets',
    needs: ['metadata.manage'],
    scope: 'unit',
    touches: 'body unit',
    sample: (f) => ({
      path: '/api/metadata/targets?dryRun=true',
      json: {
        subject: { type: 'element', code: f.element },
        unit: { version: f.version, code: f.province },
        value: 100,
        due: '2026-12-31',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/metadata/unitGroups',
    needs: [],
    scope: 'none',
    sample: () => ({ path: '/api/metadata/unitGroups' }),
  },
  {
    method: 'POST',
    path: '/api/metadata/unitGroups',
    needs: ['group.write'],
    scope: 'unit',
    touches: 'body owner',
    table: 'unit_group',
    sample: (f) => ({
      path: '/api/metadata/unitGroups?dryRun=true',
      json: {
        version: f.version,
        code: `mx-meta-group-${f.seq()}`,
        name: 'Nhóm mx qua metadata',
        owner: f.unit,
        definition: { codes: [f.unit] },
      },
    }),
  },
];

/** DHIS2's routes at /api/x and at the versioned /api/{n}/x (issue 14); samples ask for /api/41/x. */
const dhis2Paths = (path: string) => [
  path,
  path.replace(/^\/api\//, '/api/:apiVersion{[0-9]{2}}/'),
];
const asCalled = (path: string) => path.replace(':apiVersion{[0-9]{2}}', '41');

/**
 * One object of each DHIS2 resource that every database of the matrix holds (DHIS2's default
 * category objects keep their uids). No indicator is among the fixtures: its object route is
 * called with a `fields` it cannot read, which a caller reaches (400) only past authorization.
 */
const DHIS2_OBJECTS: Record<Dhis2Resource, (f: Fixtures) => string> = {
  dataElements: (f) => f.element,
  indicators: () => 'MX_DOUBLE',
  indicatorTypes: () => derivedUid('indicatorType:number'),
  organisationUnits: (f) => f.unit,
  organisationUnitGroups: (f) => f.groupCode,
  dataSets: (f) => f.dataSet,
  categoryCombos: () => 'bjDvmb4bfuf',
  categories: () => 'GLevLNI9wkl',
  categoryOptions: () => 'xYerKDKCefk',
  categoryOptionCombos: () => 'HllvX50cXC0',
};

/** Units and groups are read as Opsroom's own reads of them are: scoped, with their permission. */
const DHIS2_SCOPED: Partial<Record<Dhis2Resource, Omit<RouteRule, 'method' | 'path' | 'sample'>>> =
  {
    organisationUnits: {
      needs: ['unit.read'],
      scope: 'list',
      touches: 'units listed within the caller’s scope only',
      marker: () => 'Phường Sài Gòn',
    },
    organisationUnitGroups: {
      needs: ['group.read'],
      scope: 'list',
      touches: 'groups whose owner lies in the caller’s scope (here 79)',
      marker: (f) => f.groupName,
    },
  };

const DHIS2_LIST_SAMPLE: Partial<Record<Dhis2Resource, (f: Fixtures) => string>> = {
  organisationUnits: (f) => `?${q({ filter: `id:eq:${f.unit}`, fields: 'id,name,level,path' })}`,
  organisationUnitGroups: () => `?${q({ fields: 'id,name,organisationUnits[id]' })}`,
};

const dhis2Routes: RouteRule[] = [
  ...dhis2Paths('/api/me').map((path): RouteRule => ({
    method: 'GET',
    path,
    needs: [],
    scope: 'none',
    touches: 'the caller itself',
    sample: () => ({ path: `${asCalled(path)}?fields=id,username,organisationUnits[id,name]` }),
  })),
  ...dhis2Paths('/api/system/info').map((path): RouteRule => ({
    method: 'GET',
    path,
    needs: [],
    scope: 'none',
    sample: () => ({ path: asCalled(path) }),
  })),
  ...dhis2Paths('/api/periodTypes').map((path): RouteRule => ({
    method: 'GET',
    path,
    needs: [],
    scope: 'none',
    sample: () => ({ path: asCalled(path) }),
  })),
  // The Data Entry app's bundle: the data sets with a unit (assigned, or of their level) in scope.
  ...dhis2Paths('/api/dataEntry/metadata').map((path): RouteRule => ({
    method: 'GET',
    path,
    needs: ['data.write'],
    scope: 'list',
    touches: 'data sets with a unit in the caller’s scope',
    sample: () => ({ path: asCalled(path) }),
  })),
  ...(Object.keys(DHIS2_OBJECTS) as Dhis2Resource[]).flatMap((resource) => {
    const scoped = DHIS2_SCOPED[resource];
    const rule = scoped ?? { needs: [], scope: 'none' as const };
    return [
      ...dhis2Paths(`/api/${resource}`).map((path): RouteRule => ({
        method: 'GET',
        path,
        ...rule,
        sample: (f) => ({ path: asCalled(path) + (DHIS2_LIST_SAMPLE[resource]?.(f) ?? '') }),
      })),
      ...dhis2Paths(`/api/${resource}/:id`).map((path): RouteRule => ({
        method: 'GET',
        path,
        ...rule,
        // One unit or group: refused (404, hidden) outside the scope.
        ...(scoped ? { scope: 'unit' as const, touches: `path id (${scoped.touches})` } : {}),
        sample: (f) => ({ path: asCalled(path).replace(':id', DHIS2_OBJECTS[resource](f)) }),
      })),
    ];
  }),
];

export const AUTHZ_RULES: readonly RouteRule[] = [
  // — public and the caller itself
  {
    method: 'GET',
    path: '/api/health',
    public: true,
    needs: [],
    scope: 'none',
    sample: () => ({ path: '/api/health' }),
  },
  {
    method: 'GET',
    path: '/api/openapi.json',
    public: true,
    needs: [],
    scope: 'none',
    sample: () => ({ path: '/api/openapi.json' }),
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    public: true,
    needs: [],
    scope: 'none',
    sample: () => ({
      path: '/api/auth/login',
      json: { username: 'mx-login', password: 'Matrix-pw-123' },
    }),
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    public: true,
    needs: [],
    scope: 'none',
    last: true,
    sample: () => ({ path: '/api/auth/logout' }),
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    needs: [],
    scope: 'none',
    sample: () => ({ path: '/api/auth/me' }),
  },
  {
    method: 'GET',
    path: '/api/versions',
    needs: [],
    scope: 'none',
    sample: () => ({ path: '/api/versions' }),
  },

  // — units
  {
    method: 'GET',
    path: '/api/orgunits',
    needs: ['unit.read'],
    scope: 'unit',
    touches: 'query parent',
    sample: (f) => ({
      path: `/api/orgunits?${q({ version: f.version, parent: f.province, q: 'sai gon' })}`,
    }),
    marker: () => 'Phường Sài Gòn',
  },
  {
    method: 'GET',
    path: '/api/orgunits/:code',
    needs: ['unit.read'],
    scope: 'unit',
    touches: 'path code',
    sample: (f) => ({ path: `/api/orgunits/${f.unit}?version=${f.version}` }),
    marker: () => 'Phường Sài Gòn',
  },
  {
    method: 'GET',
    path: '/api/orgunits/:code/children',
    needs: ['unit.read'],
    scope: 'unit',
    touches: 'path code',
    sample: (f) => ({
      path: `/api/orgunits/${f.province}/children?version=${f.version}&limit=1000`,
    }),
    marker: () => 'Phường Sài Gòn',
  },
  {
    method: 'GET',
    path: '/api/orgunit-changes',
    needs: ['unit.read'],
    scope: 'none',
    touches: 'announced renames are public decrees',
    sample: (f) => ({ path: `/api/orgunit-changes?version=${f.version}` }),
  },
  {
    method: 'PATCH',
    path: '/api/orgunit-changes/:id',
    needs: ['unit.manage'],
    scope: 'unit',
    touches: 'the changed unit (Đồng Nai 75)',
    in: ['root'],
    out: ['province', 'other'],
    sample: (f) => ({
      path: `/api/orgunit-changes/${f.changeId}`,
      json: { effective: '2026-04-30' },
    }),
  },
  {
    method: 'POST',
    path: '/api/orgunits/import',
    needs: ['unit.manage'],
    ...ROOT_ONLY,
    table: 'hierarchy_version',
    // An empty file: refused as invalid once authorized; nothing is imported.
    sample: () => ({
      path: '/api/orgunits/import?version=2099',
      json: { validFrom: '2099-01-01', units: [] },
    }),
  },
  // Weights of split links (issue 16): public reform data to read, national admins change them.
  {
    method: 'GET',
    path: '/api/link-weights',
    needs: ['unit.read'],
    scope: 'none',
    touches: 'the reform’s links are national',
    sample: () => ({ path: '/api/link-weights?from=2025-03&to=2025&code=00007' }),
  },
  {
    method: 'PUT',
    path: '/api/link-weights',
    needs: ['unit.manage'],
    ...ROOT_ONLY,
    table: 'org_unit_link_weight',
    // Shares that do not sum to 1: refused as invalid (422) once authorized; nothing is set.
    sample: () => ({
      path: '/api/link-weights',
      json: {
        basis: 'mx',
        weights: [
          {
            fromVersion: '2025-03',
            fromCode: '00007',
            toVersion: '2025',
            toCode: '00008',
            share: 0.5,
          },
          {
            fromVersion: '2025-03',
            fromCode: '00007',
            toVersion: '2025',
            toCode: '00025',
            share: 0.2,
          },
        ],
      },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/link-weights',
    needs: ['unit.manage'],
    ...ROOT_ONLY,
    table: 'org_unit_link_weight',
    // No shares set for the unit: nothing to remove, nothing changes.
    sample: () => ({ path: '/api/link-weights?from=2025-03&to=2025&code=00007' }),
  },

  // — data quality: validation rules (issue 17)
  {
    method: 'GET',
    path: '/api/validationRules',
    needs: ['data.read'],
    scope: 'none',
    touches: 'rules are national definitions',
    sample: () => ({ path: '/api/validationRules' }),
  },
  {
    method: 'GET',
    path: '/api/validationRules/:id',
    needs: ['data.read'],
    scope: 'none',
    touches: 'rules are national definitions',
    sample: (f) => ({ path: `/api/validationRules/${f.validationRule}` }),
  },
  {
    method: 'POST',
    path: '/api/validationRules',
    needs: ['metadata.manage'],
    ...ROOT_ONLY,
    touches: 'national definitions: the national scope only',
    table: 'validation_rule',
    sample: (f) => ({ path: '/api/validationRules', json: validationRule(`MX_VR_${f.seq()}`) }),
  },
  {
    method: 'PUT',
    path: '/api/validationRules/:id',
    needs: ['metadata.manage'],
    ...ROOT_ONLY,
    touches: 'national definitions: the national scope only',
    table: 'validation_rule',
    sample: (f) => ({
      path: `/api/validationRules/${f.validationRule}`,
      json: validationRule(f.validationRule),
    }),
  },
  {
    method: 'DELETE',
    path: '/api/validationRules/:id',
    needs: ['metadata.manage'],
    ...ROOT_ONLY,
    touches: 'national definitions: the national scope only',
    table: 'validation_rule',
    sample: async (f) => ({ path: `/api/validationRules/${await f.freshValidationRule()}` }),
  },
  {
    method: 'GET',
    path: '/api/validationRuleGroups',
    needs: ['data.read'],
    scope: 'none',
    touches: 'rule groups are national definitions',
    sample: () => ({ path: '/api/validationRuleGroups' }),
  },
  {
    method: 'POST',
    path: '/api/validationRuleGroups',
    needs: ['metadata.manage'],
    ...ROOT_ONLY,
    touches: 'national definitions: the national scope only',
    table: 'validation_rule_group',
    sample: (f) => ({
      path: '/api/validationRuleGroups',
      json: {
        code: `MX_VRG_${f.seq()}`,
        nameVi: 'Nhóm quy tắc mx',
        nameEn: 'mx rule group',
        rules: [f.validationRule],
      },
    }),
  },
  {
    method: 'POST',
    path: '/api/dataAnalysis/validationRules',
    needs: ['data.read'],
    scope: 'unit',
    touches: 'body ou',
    sample: (f) => ({
      path: '/api/dataAnalysis/validationRules',
      json: { ou: f.unit, startDate: '2026-11-20', endDate: '2026-11-23' },
    }),
  },
  {
    method: 'GET',
    path: '/api/validation/dataSet/:ds',
    needs: ['data.read'],
    scope: 'unit',
    touches: 'query ou',
    sample: (f) => ({
      path: `/api/validation/dataSet/${f.dataSet}?${q({ pe: f.period, ou: f.unit })}`,
    }),
  },
  {
    method: 'POST',
    path: '/api/validationResults/review',
    needs: ['data.write'],
    scope: 'unit',
    touches: 'body unit',
    table: 'validation_followup',
    sample: (f) => ({
      path: '/api/validationResults/review',
      json: {
        rule: f.validationRule,
        unit: f.unit,
        version: f.version,
        period: f.period,
        action: 'confirm',
        comment: 'mx',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/validationResults',
    needs: ['data.read'],
    scope: 'list',
    touches: 'results at units in the caller’s scope',
    sample: () => ({ path: '/api/validationResults' }),
  },

  {
    method: 'GET',
    path: '/api/outlierDetection',
    needs: ['data.read'],
    scope: 'unit',
    touches: 'query ou',
    sample: (f) => ({
      path: `/api/outlierDetection?${q({ de: f.element, ou: f.unit, startDate: '2026-11-01', endDate: '2026-11-30' })}`,
    }),
  },
  {
    method: 'GET',
    path: '/api/outlierDetection/baseline',
    needs: ['data.read'],
    scope: 'unit',
    touches: 'query ou',
    sample: (f) => ({
      path: `/api/outlierDetection/baseline?${q({ de: f.element, ou: f.unit, pe: f.period.replaceAll('-', '') })}`,
    }),
  },
  {
    method: 'POST',
    path: '/api/minMaxDataElements',
    needs: ['data.write'],
    scope: 'unit',
    touches: 'body source',
    table: 'min_max_value',
    sample: (f) => ({
      path: '/api/minMaxDataElements',
      json: { source: { id: f.unit }, dataElement: { id: f.element }, min: 0, max: 100000 },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/minMaxDataElements',
    needs: ['data.write'],
    scope: 'unit',
    touches: 'body source',
    table: 'min_max_value',
    sample: async (f) => {
      await f.freshMinMax();
      return {
        path: '/api/minMaxDataElements',
        json: { source: { id: f.unit }, dataElement: { id: f.element } },
      };
    },
  },

  {
    method: 'GET',
    path: '/api/valueOutliers',
    needs: ['data.read'],
    scope: 'list',
    touches: 'flags at units in the caller’s scope',
    sample: () => ({ path: '/api/valueOutliers' }),
  },
  {
    method: 'POST',
    path: '/api/valueOutliers/review',
    needs: ['data.write'],
    scope: 'unit',
    touches: 'body orgUnit',
    table: 'value_outlier',
    sample: async (f) => {
      const { period } = await f.freshOutlier();
      return {
        path: '/api/valueOutliers/review',
        json: {
          dataElement: f.element,
          orgUnit: f.unit,
          version: f.version,
          period,
          action: 'confirm',
          comment: 'mx',
        },
      };
    },
  },

  // — users, tokens, groups, audit
  {
    method: 'GET',
    path: '/api/users',
    needs: ['user.read'],
    scope: 'list',
    sample: () => ({ path: '/api/users' }),
    marker: (f) => f.userMarker,
  },
  {
    method: 'POST',
    path: '/api/users',
    needs: ['user.manage'],
    scope: 'unit',
    touches: 'body scope',
    table: 'app_user',
    // The viewer role's permissions: no one grants more than they hold.
    tokenAlso: ['unit.read', 'group.read', 'data.read', 'task.read', 'board.read'],
    sample: (f) => ({
      path: '/api/users',
      json: {
        username: `mx-new-${f.seq()}`,
        password: 'Matrix-pw-123',
        role: 'viewer',
        scope: { version: f.version, code: f.unit },
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/tokens',
    needs: ['token.manage'],
    scope: 'list',
    sample: () => ({ path: '/api/tokens' }),
    marker: (f) => f.tokenName,
  },
  {
    method: 'POST',
    path: '/api/tokens',
    needs: ['token.manage'],
    scope: 'unit',
    touches: 'body scope',
    table: 'api_token',
    tokenAlso: ['data.read'],
    sample: (f) => ({
      path: '/api/tokens',
      json: {
        name: `mx-token-${f.seq()}`,
        scope: { version: f.version, code: f.unit },
        permissions: ['data.read'],
      },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/tokens/:id',
    needs: ['token.manage'],
    scope: 'unit',
    touches: 'the token’s scope',
    sample: async (f) => ({ path: `/api/tokens/${await f.freshToken()}` }),
  },
  {
    method: 'GET',
    path: '/api/groups',
    needs: ['group.read'],
    scope: 'list',
    touches: 'query version (another tree is refused)',
    sample: (f) => ({ path: `/api/groups?version=${f.version}` }),
    marker: (f) => f.groupCode,
  },
  {
    method: 'POST',
    path: '/api/groups',
    needs: ['group.write'],
    scope: 'unit',
    touches: 'body owner',
    table: 'unit_group',
    sample: (f) => ({
      path: '/api/groups',
      json: {
        version: f.version,
        code: `mx-group-${f.seq()}`,
        name: 'Nhóm mx',
        owner: f.unit,
        definition: { codes: [f.unit] },
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/groups/:code',
    needs: ['group.read'],
    scope: 'unit',
    touches: 'the group’s owner (79)',
    sample: (f) => ({ path: `/api/groups/${f.groupCode}?version=${f.version}` }),
    marker: (f) => f.groupName,
  },
  {
    method: 'GET',
    path: '/api/audit',
    needs: ['audit.read'],
    scope: 'list',
    sample: () => ({ path: '/api/audit?limit=1000&entityType=unit_group' }),
    marker: (f) => f.groupName,
  },

  ...metadataRoutes,

  // — citizens' report categories (issue 20): national metadata, as elements and rules
  {
    method: 'GET',
    path: '/api/citizenCategories',
    needs: [],
    scope: 'none',
    touches: 'categories are national definitions (public through Open311)',
    sample: () => ({ path: '/api/citizenCategories' }),
  },
  {
    method: 'GET',
    path: '/api/citizenCategories/:code',
    needs: [],
    scope: 'none',
    touches: 'categories are national definitions (public through Open311)',
    sample: () => ({ path: '/api/citizenCategories/HA_TANG_DO_THI' }),
  },
  {
    method: 'POST',
    path: '/api/citizenCategories',
    needs: ['metadata.manage'],
    ...ROOT_ONLY,
    touches: 'national definitions: the national scope only',
    table: 'citizen_category',
    sample: (f) => ({ path: '/api/citizenCategories', json: citizenCategory(`MX_CC_${f.seq()}`) }),
  },
  {
    method: 'PUT',
    path: '/api/citizenCategories/:code',
    needs: ['metadata.manage'],
    ...ROOT_ONLY,
    touches: 'national definitions: the national scope only',
    table: 'citizen_category',
    sample: () => ({
      path: '/api/citizenCategories/HA_TANG_DO_THI',
      json: SHIPPED_CITIZEN_CATEGORIES.find((c) => c.code === 'HA_TANG_DO_THI'),
    }),
  },
  {
    method: 'DELETE',
    path: '/api/citizenCategories/:code',
    needs: ['metadata.manage'],
    ...ROOT_ONLY,
    touches: 'national definitions: the national scope only',
    table: 'citizen_category',
    sample: async (f) => ({ path: `/api/citizenCategories/${await f.freshCitizenCategory()}` }),
  },
  // — a unit's working calendar (issue 20): read in scope, set in scope with metadata.manage
  {
    method: 'GET',
    path: '/api/orgunits/:code/workingCalendar',
    needs: ['unit.read'],
    scope: 'unit',
    touches: 'path code',
    in: ['root', 'province', 'unit'],
    out: ['sibling', 'other'],
    sample: (f) => ({ path: `/api/orgunits/${f.unit}/workingCalendar?version=${f.version}` }),
    marker: () => 'Phường Sài Gòn',
  },
  {
    method: 'PUT',
    path: '/api/orgunits/:code/workingCalendar',
    needs: ['metadata.manage'],
    scope: 'unit',
    touches: 'path code',
    in: ['root', 'province', 'unit'],
    out: ['sibling', 'other'],
    table: 'working_calendar',
    sample: (f) => ({
      path: `/api/orgunits/${f.unit}/workingCalendar?version=${f.version}`,
      json: { week: VN_CIVIL_SERVICE_WEEK, holidays: [nthDay(2026, f.seq() % 365)] },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/orgunits/:code/workingCalendar',
    needs: ['metadata.manage'],
    scope: 'unit',
    touches: 'path code',
    in: ['root', 'province', 'unit'],
    out: ['sibling', 'other'],
    table: 'working_calendar',
    sample: (f) => ({ path: `/api/orgunits/${f.unit}/workingCalendar?version=${f.version}` }),
  },
  // Citizens' reports (issue 20). Public: the intake, the status page and the citizen's
  // actions, the tracking code being the key (a move the status refuses is 409, allowed).
  {
    method: 'POST',
    path: '/api/public/reports',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'a new report, routed to the commune of its place',
    sample: (f) => ({
      path: '/api/public/reports',
      json: {
        category: 'THU_TUC_HANH_CHINH',
        description: 'mx phản ánh mới',
        place: { unit: f.unit },
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/public/reports/:code',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'one report, for whoever holds its code',
    sample: (f) => ({ path: `/api/public/reports/${f.reportCode}` }),
    marker: (f) => f.reportText,
  },
  {
    method: 'GET',
    path: '/api/public/reports/:code/photos/:id{[0-9]+}',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'a photo of one report, for whoever holds its code',
    sample: (f) => ({ path: `/api/public/reports/${f.reportCode}/photos/${f.reportPhotoId}` }),
  },
  // The public answers (issue 20): answered reports without personal data, and their photos.
  {
    method: 'GET',
    path: '/api/public/answers',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'answered reports placed under a unit, for anyone',
    sample: (f) => ({ path: `/api/public/answers?unit=${f.province}` }),
    marker: () => 'mx-public-answer',
  },
  {
    method: 'GET',
    path: '/api/public/answers/places',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'names of provinces and communes of the tree in force, for anyone',
    sample: () => ({ path: '/api/public/answers/places?q=ho%20chi%20minh' }),
  },
  {
    method: 'GET',
    path: '/api/public/photos/:id{[0-9]+}',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'a photo of an answered report, for anyone',
    sample: (f) => ({ path: `/api/public/photos/${f.publicPhotoId}` }),
  },
  ...(['info', 'reopen', 'rating'] as const).map((action): RouteRule => ({
    method: 'POST',
    path: `/api/public/reports/:code/${action}`,
    public: true,
    needs: [],
    scope: 'none',
    touches: 'one report, for whoever holds its code',
    sample: (f) => ({
      path: `/api/public/reports/${f.reportCode}/${action}`,
      json:
        action === 'info'
          ? { info: 'mx thêm thông tin' }
          : action === 'reopen'
            ? { reason: 'mx mở lại' }
            : { stars: 4 },
    }),
  })),
  // Officers: the reports their units handle, as tasks are (task.read to read, task.report to act).
  {
    method: 'GET',
    path: '/api/reports',
    needs: ['task.read'],
    scope: 'list',
    touches: 'reports handled by units in scope',
    sample: () => ({ path: '/api/reports?limit=1000' }),
    marker: (f) => f.reportText,
  },
  {
    method: 'GET',
    path: '/api/reports/:id',
    needs: ['task.read'],
    scope: 'unit',
    touches: 'the handling unit (26740)',
    sample: (f) => ({ path: `/api/reports/${f.reportId}` }),
    marker: (f) => f.reportText,
  },
  ...(
    [
      ['acknowledge', {}],
      ['request-info', { question: 'mx câu hỏi' }],
      ['answer', { answer: 'mx trả lời' }],
      ['close', { note: 'mx kết thúc' }],
      ['transfer', { unit: '25747', reason: 'mx chuyển' }],
      ['refuse', { reason: 'mx từ chối' }],
    ] as const
  ).map(([action, json]): RouteRule => ({
    method: 'POST',
    path: `/api/reports/:id/${action}`,
    needs: ['task.report'],
    scope: 'unit',
    touches: 'the handling unit (26740, then 25747 of the same city once transferred)',
    table: 'citizen_report_event',
    sample: (f) => ({ path: `/api/reports/${f.reportId}/${action}`, json }),
  })),
  // Moderation (issue 20, "Abuse"): the handling unit's officers and those above (task.report).
  {
    method: 'GET',
    path: '/api/reports/moderation',
    needs: ['task.report'],
    scope: 'list',
    touches: 'flagged reports handled by units in scope',
    sample: () => ({ path: '/api/reports/moderation?limit=1000' }),
  },
  ...(
    [
      ['flag', { reason: 'mx gắn cờ' }],
      ['moderate', { decision: 'release', reason: 'mx gỡ cờ' }],
    ] as const
  ).map(([action, json]): RouteRule => ({
    method: 'POST',
    path: `/api/reports/:id/${action}`,
    needs: ['task.report'],
    scope: 'unit',
    touches: 'the handling unit (26740, then 25747 of the same city once transferred)',
    table: 'citizen_report_event',
    sample: (f) => ({ path: `/api/reports/${f.reportId}/${action}`, json }),
  })),
  // Open311 GeoReport v2 (issue 20): public, outside /api, in the spec's shapes. Posting needs
  // an api_key in the form (any active token), whoever calls; reading needs nothing, and shows
  // the public page's fields only.
  {
    method: 'GET',
    path: '/open311/v2/:resource',
    public: true,
    needs: [],
    scope: 'none',
    touches:
      'discovery, the active services, and the requests (GET requests): the same for everyone',
    sample: () => ({ path: '/open311/v2/requests.json' }),
    marker: (f) => f.reportText,
  },
  {
    method: 'POST',
    path: '/open311/v2/:resource',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'a new report, routed to the commune of its place (address_id)',
    sample: (f) => ({
      path: '/open311/v2/requests.json',
      body: new URLSearchParams({
        api_key: f.open311Key,
        service_code: 'THU_TUC_HANH_CHINH',
        address_id: f.unit,
        description: 'mx phản ánh qua Open311',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  },
  {
    method: 'GET',
    path: '/open311/v2/requests/:id',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'one report, by its tracking code',
    sample: (f) => ({ path: `/open311/v2/requests/${f.reportCode}.xml` }),
    marker: (f) => f.reportText,
  },
  {
    method: 'GET',
    path: '/open311/v2/tokens/:token',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'one report’s id from its token (the tracking code itself)',
    sample: (f) => ({ path: `/open311/v2/tokens/${f.reportCode}.json` }),
    marker: (f) => f.reportCode,
  },
  {
    method: 'GET',
    path: '/open311/v2/services/:service',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'an active service, the same for everyone',
    sample: () => ({ path: '/open311/v2/services/HA_TANG_DO_THI.xml' }),
  },

  // — the 5656 spam line (issue 20): numbers are national, not of a unit
  {
    method: 'POST',
    path: '/api/spamReports',
    needs: ['spam.report'],
    scope: 'none',
    touches: 'a report is of a number, not of a unit: not scoped',
    table: 'spam_report',
    sample: (f) => ({ path: '/api/spamReports', json: spamReport(`mx-${f.seq()}`) }),
  },
  {
    method: 'POST',
    path: '/api/public/spamReports',
    public: true,
    needs: [],
    scope: 'none',
    touches: 'the public page: no account',
    sample: () => ({ path: '/api/public/spamReports', json: spamReport() }),
  },
  {
    method: 'POST',
    path: '/api/spamReports/blocks',
    needs: ['spam.block'],
    scope: 'none',
    touches: 'a number, not a unit: not scoped',
    table: 'spam_block',
    sample: (f) => ({
      path: '/api/spamReports/blocks',
      json: { operator: 'viettel', numbers: [`09${String(10_000_000 + f.seq()).slice(-8)}`] },
    }),
  },
  {
    method: 'GET',
    path: '/api/spamReports/top',
    needs: ['data.read'],
    ...ROOT_ONLY,
    touches: "the nation's list",
    sample: () => ({ path: '/api/spamReports/top?limit=5' }),
  },

  // — DHIS2's Web API: the caller, the system, metadata lists and objects
  ...dhis2Routes,

  // — data values
  ...['/api/dataValueSets', '/api/:apiVersion{[0-9]{2}}/dataValueSets'].flatMap(
    (path): RouteRule[] => [
      {
        method: 'POST',
        path,
        needs: ['data.write'],
        scope: 'unit',
        touches: 'each row’s orgUnit (a row out of scope is a conflict, nothing stored)',
        table: 'data_value',
        rowLevel: { conflict: CONFLICT.outOfScope, auditsAttempt: true },
        sample: (f) => ({ path: path.replace(':apiVersion{[0-9]{2}}', '41'), json: dataValue(f) }),
      },
      {
        method: 'GET',
        path,
        needs: ['data.read'],
        scope: 'list',
        touches: 'query orgUnit, filtered to the scope',
        sample: (f) => ({
          path: `${path.replace(':apiVersion{[0-9]{2}}', '41')}?${q({ dataSet: f.dataSet, period: f.period, orgUnit: f.unit, version: f.version })}`,
        }),
        marker: (f) => f.valueComment,
      },
    ],
  ),
  // DHIS2's single data value (issue 14); DELETE of a value that is not stored answers 409.
  ...['/api/dataValues', '/api/:apiVersion{[0-9]{2}}/dataValues'].flatMap((path): RouteRule[] => {
    const at = path.replace(':apiVersion{[0-9]{2}}', '41');
    return [
      {
        method: 'GET',
        path,
        needs: ['data.read'],
        scope: 'unit',
        touches: 'query ou',
        sample: (f) => ({ path: `${at}?${q({ de: f.element, pe: f.period, ou: f.unit })}` }),
        marker: (f) => f.valueComment,
      },
      {
        method: 'POST',
        path,
        needs: ['data.write'],
        scope: 'unit',
        touches: 'query ou (or the body’s orgUnit)',
        table: 'data_value',
        sample: (f) => ({
          path: `${at}?${q({ de: f.element, pe: '2026-11-21', ou: f.unit, value: 7, comment: 'mx' })}`,
        }),
      },
      {
        method: 'DELETE',
        path,
        needs: ['data.write'],
        scope: 'unit',
        touches: 'query ou',
        table: 'data_value',
        sample: (f) => ({ path: `${at}?${q({ de: f.element, pe: '2026-11-19', ou: f.unit })}` }),
      },
      {
        method: 'PUT',
        path: `${path}/followup`,
        needs: ['data.write'],
        scope: 'unit',
        touches: 'the body’s orgUnit',
        table: 'data_value',
        sample: (f) => ({
          path: `${at}/followup`,
          json: { dataElement: f.element, period: f.period, orgUnit: f.unit, followup: false },
        }),
      },
    ];
  }),
  // DHIS2's complete data set registrations (issue 14).
  ...[
    '/api/completeDataSetRegistrations',
    '/api/:apiVersion{[0-9]{2}}/completeDataSetRegistrations',
  ].flatMap((path): RouteRule[] => {
    const at = path.replace(':apiVersion{[0-9]{2}}', '41');
    return [
      {
        method: 'POST',
        path,
        needs: ['data.write'],
        scope: 'unit',
        touches: 'each registration’s organisationUnit (one out of scope is a conflict)',
        table: 'complete_registration',
        rowLevel: { conflict: CONFLICT.outOfScope },
        sample: (f) => ({
          path: at,
          json: {
            completeDataSetRegistrations: [
              { dataSet: f.dataSet, period: f.period, organisationUnit: f.unit },
            ],
          },
        }),
      },
      {
        method: 'GET',
        path,
        needs: ['data.read'],
        scope: 'unit',
        touches: 'query orgUnit',
        sample: (f) => ({
          path: `${at}?${q({ dataSet: f.dataSet, period: f.period, orgUnit: f.unit })}`,
        }),
      },
      {
        method: 'DELETE',
        path,
        needs: ['data.write'],
        scope: 'unit',
        touches: 'query ou',
        table: 'complete_registration',
        sample: (f) => ({ path: `${at}?${q({ ds: f.dataSet, pe: f.period, ou: f.unit })}` }),
      },
    ];
  }),
  {
    method: 'POST',
    path: '/api/data/import',
    needs: ['data.write'],
    scope: 'unit',
    touches: 'each row’s orgUnit (all or nothing: 409, nothing stored)',
    table: 'data_value',
    rowLevel: { conflict: CONFLICT.outOfScope },
    sample: (f) => ({ path: '/api/data/import', json: dataValue(f) }),
  },
  ...['/api/analytics', '/api/:apiVersion{[0-9]{2}}/analytics'].map((path): RouteRule => ({
    method: 'GET',
    path,
    needs: ['data.read'],
    scope: 'unit',
    touches: 'dimension ou',
    sample: (f) => ({
      path: `${path.replace(':apiVersion{[0-9]{2}}', '41')}?${q({ dimension: `dx:${f.element}` })}&${q({ dimension: `pe:${f.period}` })}&${q({ dimension: `ou:${f.unit}`, version: f.version })}`,
    }),
    marker: () => '4242',
  })),
  // The files: the marker is in the CSV (the workbook is compressed, so it has none).
  ...(['csv', 'xlsx'] as const).flatMap((format) =>
    ['/api/analytics', '/api/:apiVersion{[0-9]{2}}/analytics'].map((base): RouteRule => ({
      method: 'GET',
      path: `${base}.${format}`,
      needs: ['data.read'],
      scope: 'unit',
      touches: 'dimension ou',
      sample: (f) => ({
        path: `${base.replace(':apiVersion{[0-9]{2}}', '41')}.${format}?${q({ dimension: `dx:${f.element}` })}&${q({ dimension: `pe:${f.period}` })}&${q({ dimension: `ou:${f.unit}`, version: f.version })}`,
      }),
      ...(format === 'csv' ? { marker: () => '4242' } : {}),
    })),
  ),
  ...(['rawData', 'dataValueSet'] as const).flatMap((form) =>
    ['/api/analytics', '/api/:apiVersion{[0-9]{2}}/analytics'].map((base): RouteRule => ({
      method: 'GET',
      path: `${base}/${form}`,
      needs: ['data.read'],
      scope: 'unit',
      touches: 'dimension ou',
      sample: (f) => ({
        path: `${base.replace(':apiVersion{[0-9]{2}}', '41')}/${form}?${q({ dimension: `dx:${f.element}` })}&${q({ dimension: `pe:${f.period}` })}&${q({ dimension: `ou:${f.unit}`, version: f.version })}`,
      }),
      marker: () => '4242',
    })),
  ),
  {
    method: 'GET',
    path: '/api/analytics/query',
    needs: ['data.read'],
    scope: 'unit',
    touches: 'query ou',
    sample: (f) => ({
      path: `/api/analytics/query?${q({ dx: f.element, pe: f.period, ou: f.unit, version: f.version })}`,
    }),
    marker: () => '4242',
  },
  {
    method: 'GET',
    path: '/api/dataEntry/dataSets',
    needs: ['data.write'],
    scope: 'list',
    sample: () => ({ path: '/api/dataEntry/dataSets' }),
    marker: () => 'Phường Sài Gòn',
    markerOnlyAbsent: true,
  },
  {
    method: 'GET',
    path: '/api/dataEntry/form',
    needs: ['data.read'],
    scope: 'unit',
    touches: 'query orgUnit',
    sample: (f) => ({
      path: `/api/dataEntry/form?${q({ dataSet: f.dataSet, orgUnit: f.unit, period: f.period })}`,
    }),
    marker: (f) => f.valueComment,
  },
  {
    method: 'POST',
    path: '/api/dataEntry/form',
    needs: ['data.write'],
    scope: 'unit',
    touches: 'body orgUnit',
    table: 'data_value',
    // The answer is the form as stored: reading it needs data.read (refused as out_of_scope).
    tokenAlso: ['data.read'],
    sample: (f) => ({
      path: '/api/dataEntry/form',
      json: {
        dataSet: f.dataSet,
        orgUnit: f.unit,
        period: '2026-11-21',
        values: { [f.fieldKey]: '3' },
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/reporting/completeness',
    needs: ['data.read'],
    scope: 'unit',
    touches: 'query orgUnit',
    sample: (f) => ({
      path: `/api/reporting/completeness?${q({ dataSet: f.dataSet, period: f.period, orgUnit: f.unit })}`,
    }),
    marker: () => 'Phường Sài Gòn',
  },
  {
    method: 'GET',
    path: '/api/periodLocks',
    needs: ['data.read'],
    scope: 'none',
    touches: 'locks are national',
    sample: () => ({ path: '/api/periodLocks' }),
  },
  {
    method: 'POST',
    path: '/api/periodLocks',
    needs: ['metadata.manage'],
    ...ROOT_ONLY,
    table: 'period_lock',
    sample: (f) => ({
      path: '/api/periodLocks',
      json: { period: nthDay(2018, f.seq()), dataSet: f.dataSet },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/periodLocks/:id',
    needs: ['metadata.manage'],
    ...ROOT_ONLY,
    table: 'period_lock',
    sample: async (f) => ({ path: `/api/periodLocks/${await f.freshLock()}` }),
  },
  {
    method: 'GET',
    path: '/api/live',
    needs: ['data.read'],
    scope: 'none',
    touches: 'each event is sent only where it reaches (tested in live and directive tests)',
    sample: () => ({ path: '/api/live?topics=data,alert', stream: true }),
  },

  // — alerts
  {
    method: 'GET',
    path: '/api/alerts/rules',
    needs: ['data.read'],
    scope: 'list',
    sample: () => ({ path: '/api/alerts/rules' }),
    marker: (f) => f.ruleName,
  },
  {
    method: 'POST',
    path: '/api/alerts/rules',
    needs: ['metadata.manage'],
    scope: 'unit',
    touches: 'body unit',
    table: 'alert_rule',
    sample: (f) => ({
      path: '/api/alerts/rules',
      json: {
        nameVi: `Quy tắc mx ${f.seq()}`,
        nameEn: 'mx rule',
        subject: f.element,
        unit: { version: f.version, code: f.province },
        level: 2,
        periodType: 'day',
        operator: '>',
        threshold: 1_000_000,
      },
    }),
  },
  {
    method: 'PATCH',
    path: '/api/alerts/rules/:id',
    needs: ['metadata.manage'],
    scope: 'unit',
    touches: 'the rule’s unit (79)',
    sample: (f) => ({ path: `/api/alerts/rules/${f.ruleId}`, json: { threshold: 2_000_000 } }),
    marker: (f) => f.ruleName,
  },
  {
    method: 'GET',
    path: '/api/alerts',
    needs: ['data.read'],
    scope: 'unit',
    touches: 'query unit',
    sample: (f) => ({ path: `/api/alerts?${q({ unit: f.unit, version: f.version })}` }),
  },

  // — maps and sector pages
  {
    method: 'GET',
    path: '/api/geo',
    needs: ['unit.read'],
    scope: 'none',
    sample: () => ({ path: '/api/geo' }),
  },
  {
    method: 'GET',
    path: '/api/geo/:version/:parent',
    needs: ['unit.read'],
    scope: 'none',
    touches: 'boundaries are public maps: not scoped',
    sample: (f) => ({ path: `/api/geo/${f.version}/VN` }),
  },
  // Placing a citizen's report (issue 20): public, no account; public maps, not scoped.
  {
    method: 'GET',
    path: '/api/places/locate',
    public: true,
    needs: [],
    scope: 'none',
    sample: () => ({ path: `/api/places/locate?${q({ lat: 10.7725, lon: 106.698 })}` }),
  },
  {
    method: 'GET',
    path: '/api/places/search',
    public: true,
    needs: [],
    scope: 'none',
    sample: () => ({ path: `/api/places/search?${q({ q: 'ben thanh' })}` }),
  },
  // The categories a citizen chooses from (issue 20): public, the active ones.
  {
    method: 'GET',
    path: '/api/public/categories',
    public: true,
    needs: [],
    scope: 'none',
    sample: () => ({ path: '/api/public/categories' }),
  },
  // A photo for a citizen's report (issue 20): public, no account; kept pending by its key.
  {
    method: 'POST',
    path: '/api/public/photos',
    public: true,
    needs: [],
    scope: 'none',
    table: 'attachment',
    sample: () => ({ path: '/api/public/photos', body: photoForm() }),
  },
  {
    method: 'GET',
    path: '/api/sectors',
    needs: ['data.read'],
    ...ROOT_ONLY,
    sample: () => ({ path: '/api/sectors' }),
  },
  {
    method: 'GET',
    path: '/api/sectors/:sector',
    needs: ['data.read'],
    ...ROOT_ONLY,
    sample: () => ({ path: '/api/sectors/postal' }),
  },

  // — boards (issue 19): one visibility rule; a board shared with the ward reaches it and
  // those above it, not a ward next to it nor another province.
  {
    method: 'POST',
    path: '/api/boards',
    needs: ['board.write'],
    scope: 'none',
    touches: 'body shares (each in scope; none here)',
    table: 'board',
    sample: (f) => ({
      path: '/api/boards',
      json: { name: `Bảng mx mới ${f.seq()}`, panels: [boardPanel()] },
    }),
  },
  {
    method: 'GET',
    path: '/api/boards',
    ...NOT_NEIGHBOURS,
    needs: ['board.read'],
    scope: 'list',
    sample: () => ({ path: '/api/boards?limit=500' }),
    marker: (f) => f.boardName,
  },
  {
    method: 'GET',
    path: '/api/boards/default',
    needs: ['board.read'],
    scope: 'none',
    touches: 'the caller’s unit (or query unit, in scope)',
    sample: () => ({ path: '/api/boards/default' }),
  },
  {
    method: 'PUT',
    path: '/api/boards/defaults/:unit',
    needs: ['board.default'],
    scope: 'unit',
    touches: 'path unit, and a board the caller sees',
    table: 'board_default',
    sample: (f) => ({
      path: `/api/boards/defaults/${f.unit}`,
      json: { boardId: f.boardId, version: f.version },
    }),
  },
  {
    method: 'POST',
    path: '/api/boards/import',
    needs: ['board.write'],
    scope: 'none',
    touches: 'a new board of the caller (its uid new)',
    table: 'board',
    sample: (f) => ({
      path: '/api/boards/import',
      json: {
        format: 'opsroom.board',
        formatVersion: 1,
        uid: `mx-import-${f.seq()}`,
        name: 'Bảng mx nhập',
        panels: [boardPanel()],
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/boards/:id',
    ...RECIPIENT_TOO,
    needs: ['board.read'],
    scope: 'unit',
    touches: 'the board: shared with the ward (those above it see it too)',
    sample: (f) => ({ path: `/api/boards/${f.boardId}` }),
    marker: (f) => f.boardName,
  },
  {
    method: 'PUT',
    path: '/api/boards/:id',
    ...RECIPIENT_TOO,
    needs: ['board.write'],
    scope: 'unit',
    touches: 'the board: shared with the ward to edit',
    table: 'board',
    sample: async (f) => {
      const b = await f.freshBoard();
      return {
        path: `/api/boards/${b.id}`,
        json: { name: 'Bảng mx sửa', revision: b.revision, panels: [boardPanel()] },
      };
    },
  },
  {
    method: 'DELETE',
    path: '/api/boards/:id',
    ...RECIPIENT_TOO,
    needs: ['board.write'],
    scope: 'unit',
    touches: 'the board: shared with the ward to edit',
    table: 'board',
    sample: async (f) => ({ path: `/api/boards/${(await f.freshBoard()).id}` }),
  },
  {
    method: 'POST',
    path: '/api/boards/panel-data',
    ...NOT_NEIGHBOURS,
    needs: ['board.read', 'data.read'],
    scope: 'list',
    touches: 'body panel units: outside the scope the panel answers its problem, no figures',
    sample: (f) => ({
      path: '/api/boards/panel-data',
      json: {
        version: f.version,
        panel: {
          id: 'mx',
          kind: 'tile',
          grid: { x: 0, y: 0, w: 3, h: 2 },
          figures: [f.element],
          units: [f.unit],
          periods: [f.period],
        },
      },
    }),
    marker: () => '4242',
  },
  {
    method: 'GET',
    path: '/api/boards/:id/panels/:panel/data',
    ...RECIPIENT_TOO,
    needs: ['board.read', 'data.read'],
    scope: 'unit',
    touches: 'the board, as GET /api/boards/:id; its panel’s units as POST panel-data',
    sample: (f) => ({ path: `/api/boards/${f.boardId}/panels/mx/data` }),
  },
  {
    method: 'GET',
    path: '/api/boards/:id/data',
    ...RECIPIENT_TOO,
    needs: ['board.read', 'data.read'],
    scope: 'unit',
    touches: 'the board, as GET /api/boards/:id; each panel as GET …/panels/:panel/data',
    sample: (f) => ({ path: `/api/boards/${f.boardId}/data` }),
  },
  {
    method: 'GET',
    path: '/api/boards/:id/live',
    ...RECIPIENT_TOO,
    needs: ['board.read', 'data.read'],
    scope: 'unit',
    touches: 'the board, as GET /api/boards/:id; its pushed panels as GET …/panels/:panel/data',
    sample: (f) => ({ path: `/api/boards/${f.boardId}/live`, stream: true }),
  },
  {
    method: 'GET',
    path: '/api/boards/:id/export',
    ...RECIPIENT_TOO,
    needs: ['board.read'],
    scope: 'unit',
    touches: 'the board, as GET /api/boards/:id',
    sample: (f) => ({ path: `/api/boards/${f.boardId}/export` }),
    marker: (f) => f.boardName,
  },
  {
    method: 'GET',
    path: '/api/boards/:id/pdf',
    ...RECIPIENT_TOO,
    needs: ['board.read', 'data.read'],
    scope: 'unit',
    touches: 'the board, as GET /api/boards/:id; its panels as GET …/panels/:panel/data',
    sample: (f) => ({ path: `/api/boards/${f.boardId}/pdf` }),
  },

  // — directives
  {
    method: 'POST',
    path: '/api/directives',
    needs: ['directive.issue'],
    scope: 'unit',
    touches: 'body target (every recipient in scope)',
    table: 'directive',
    sample: (f) => ({
      path: '/api/directives',
      json: {
        title: `Chỉ đạo mx ${f.seq()}`,
        body: 'Nội dung',
        dueDate: '2026-12-31',
        target: { kind: 'units', version: f.version, units: [f.unit] },
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/directives',
    ...NOT_NEIGHBOURS,
    needs: ['task.read'],
    scope: 'list',
    sample: () => ({ path: '/api/directives?limit=500' }),
    marker: (f) => f.directiveTitle,
    directiveVisibility: true,
  },
  {
    method: 'GET',
    path: '/api/directives/:id',
    ...RECIPIENT_TOO,
    needs: ['task.read'],
    scope: 'unit',
    touches: 'the directive: issuer’s side and recipients (26740 in 79, 00004 in 01)',
    sample: (f) => ({ path: `/api/directives/${f.directiveId}` }),
    marker: (f) => f.directiveTitle,
    directiveVisibility: true,
  },
  {
    method: 'GET',
    path: '/api/directives/:id/board',
    ...RECIPIENT_TOO,
    needs: ['task.read'],
    scope: 'unit',
    touches: 'the directive, and query unit (the caller’s own)',
    sample: (f, who) => ({
      path: `/api/directives/${f.directiveId}/board?unit=${boardUnit(f, who)}`,
    }),
    marker: (f) => f.directiveTitle,
    directiveVisibility: true,
  },
  {
    method: 'POST',
    path: '/api/directives/:id/remind',
    ...NOT_NEIGHBOURS,
    needs: ['directive.issue', 'task.read'],
    scope: 'unit',
    touches: 'the directive, and query unit (the caller’s own)',
    table: 'task_event',
    sample: (f, who) => ({
      path: `/api/directives/${f.directiveId}/remind?unit=${boardUnit(f, who)}`,
    }),
    directiveVisibility: true,
  },
  {
    method: 'GET',
    path: '/api/inbox',
    ...NOT_NEIGHBOURS,
    needs: ['task.read'],
    scope: 'list',
    sample: () => ({ path: '/api/inbox?limit=1000' }),
    marker: (f) => f.taskTitle,
  },

  // — tasks
  {
    method: 'POST',
    path: '/api/tasks',
    needs: ['task.assign'],
    scope: 'unit',
    touches: 'body unit',
    table: 'task',
    sample: (f) => ({
      path: '/api/tasks',
      json: {
        title: `Việc mx ${f.seq()}`,
        unit: f.unit,
        version: f.version,
        dueDate: '2026-12-31',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/tasks/:id',
    ...NOT_NEIGHBOURS,
    needs: ['task.read'],
    scope: 'unit',
    touches: 'the task’s unit',
    sample: (f) => ({ path: `/api/tasks/${f.taskId}` }),
    marker: (f) => f.taskTitle,
  },
  {
    method: 'POST',
    path: '/api/tasks/:id/status',
    needs: ['task.report'],
    scope: 'unit',
    touches: 'the task’s unit: its recipient only, not the units above',
    in: ['unit'],
    out: ['other', 'sibling', 'province', 'root'],
    table: 'task_event',
    sample: (f) => ({ path: `/api/tasks/${f.taskId}/status`, json: { status: 'acknowledged' } }),
    marker: (f) => f.taskTitle,
  },
  {
    method: 'POST',
    path: '/api/tasks/:id/comments',
    ...NOT_NEIGHBOURS,
    // Writing on a task: a viewer reads it, does not comment.
    needs: ['task.report'],
    tokenAlso: ['task.read'],
    scope: 'unit',
    touches: 'the task’s unit',
    table: 'task_comment',
    sample: (f) => ({ path: `/api/tasks/${f.taskId}/comments`, json: { body: 'Ý kiến mx' } }),
  },
  {
    method: 'POST',
    path: '/api/tasks/:id/milestones/:milestoneId/done',
    needs: ['task.report'],
    scope: 'unit',
    touches: 'the task’s unit: its recipient only, as a status change',
    in: ['unit'],
    out: ['other', 'sibling', 'province', 'root'],
    table: 'task_event',
    // The task must be readable: without task.read it is refused as out_of_scope.
    tokenAlso: ['task.read'],
    sample: async (f) => {
      const m = await f.freshMilestone();
      return { path: `/api/tasks/${m.taskId}/milestones/${m.milestoneId}/done` };
    },
  },
  {
    method: 'GET',
    path: '/api/tasks/:id/history',
    ...NOT_NEIGHBOURS,
    needs: ['task.read'],
    scope: 'unit',
    touches: 'the task’s unit',
    sample: (f) => ({ path: `/api/tasks/${f.taskId}/history` }),
    marker: (f) => f.taskTitle,
  },

  // — the monthly briefing (issue 18)
  {
    method: 'GET',
    path: '/api/briefingTemplates',
    needs: ['data.read'],
    scope: 'none',
    sample: () => ({ path: '/api/briefingTemplates' }),
  },
  {
    method: 'GET',
    path: '/api/briefingTemplates/:code',
    needs: ['data.read'],
    scope: 'none',
    sample: () => ({ path: '/api/briefingTemplates/MX_BRIEFING' }),
  },
  {
    method: 'POST',
    path: '/api/briefingTemplates',
    needs: ['metadata.manage'],
    scope: 'none',
    table: 'briefing_template',
    sample: (f) => ({ path: '/api/briefingTemplates', json: briefingTemplate(`MX_T${f.seq()}`) }),
  },
  {
    method: 'GET',
    path: '/api/briefings',
    needs: ['data.read'],
    scope: 'list',
    sample: () => ({ path: '/api/briefings' }),
    marker: (f) => `"id":${f.briefingId},`,
  },
  {
    method: 'POST',
    path: '/api/briefings',
    ...NOT_NEIGHBOURS,
    needs: ['briefing.issue', 'data.read'],
    scope: 'unit',
    touches: 'body unit',
    table: 'briefing',
    sample: (f) => ({
      path: '/api/briefings',
      json: { template: 'MX_BRIEFING', period: '2026-10', unit: f.unit, version: f.version },
    }),
  },
  {
    method: 'GET',
    path: '/api/briefings/:id{[0-9]+(\\.[a-z]+)?}',
    ...NOT_NEIGHBOURS,
    needs: ['data.read'],
    scope: 'unit',
    touches: 'the briefing’s scope unit',
    sample: (f) => ({ path: `/api/briefings/${f.briefingId}` }),
    marker: () => 'Báo cáo mx',
  },
  {
    method: 'PUT',
    path: '/api/briefings/:id/paragraphs/:line',
    ...NOT_NEIGHBOURS,
    needs: ['briefing.issue', 'data.read'],
    scope: 'unit',
    touches: 'the briefing’s scope unit',
    sample: (f) => ({
      path: `/api/briefings/${f.briefingId}/paragraphs/mx_cases`,
      json: { vi: 'Số ca mx: lời của chuyên viên.' },
    }),
  },
  {
    method: 'POST',
    path: '/api/briefings/:id/issue',
    ...NOT_NEIGHBOURS,
    needs: ['briefing.issue', 'data.read'],
    scope: 'unit',
    touches: 'the briefing’s scope unit',
    sample: async (f) => ({ path: `/api/briefings/${await f.freshBriefing()}/issue`, json: {} }),
  },
  {
    method: 'POST',
    path: '/api/briefings/:id/revise',
    ...NOT_NEIGHBOURS,
    needs: ['briefing.issue', 'data.read'],
    scope: 'unit',
    touches: 'the briefing’s scope unit',
    sample: (f) => ({ path: `/api/briefings/${f.issuedBriefingId}/revise`, json: {} }),
  },

  // — weekly plans and follow-up
  {
    method: 'GET',
    path: '/api/plans',
    needs: ['task.read'],
    scope: 'list',
    sample: (f) => ({ path: `/api/plans?week=${f.decidedWeek}` }),
    marker: (f) => `"${f.unit}"`,
  },
  {
    method: 'GET',
    path: '/api/plans/:unit/:week',
    ...NOT_NEIGHBOURS,
    needs: ['task.read'],
    scope: 'unit',
    touches: 'path unit',
    sample: (f) => ({ path: `/api/plans/${f.unit}/${f.decidedWeek}` }),
    marker: (f) => f.planNote,
  },
  {
    method: 'POST',
    path: '/api/plans/:unit/:week/submit',
    needs: ['task.report'],
    scope: 'unit',
    touches: 'path unit',
    table: 'weekly_plan',
    sample: (f) => ({
      path: `/api/plans/${f.unit}/${f.week}/submit`,
      json: { note: 'Kế hoạch mx' },
    }),
  },
  {
    method: 'POST',
    path: '/api/plans/:unit/:week/decision',
    needs: ['plan.decide'],
    scope: 'unit',
    touches: 'path unit: a superior (scope holding its parent) decides, not the unit itself',
    out: ['other', 'unit'],
    sample: (f) => ({
      path: `/api/plans/${f.unit}/${f.decidedWeek}/decision`,
      json: { approve: true },
    }),
    marker: (f) => f.planNote,
  },
  {
    method: 'GET',
    path: '/api/followup',
    ...NOT_NEIGHBOURS,
    needs: ['task.read'],
    scope: 'unit',
    touches: 'query unit',
    sample: (f) => ({ path: `/api/followup?unit=${f.unit}` }),
  },

  // — sign-in throttles (national administrators)
  {
    method: 'GET',
    path: '/api/signin-throttles',
    needs: ['user.manage'],
    ...ROOT_ONLY,
    sample: async (f) => {
      await f.failSignIn();
      return { path: '/api/signin-throttles' };
    },
    marker: (f) => f.throttledUser,
  },
  {
    method: 'POST',
    path: '/api/signin-throttles/lift',
    needs: ['user.manage'],
    ...ROOT_ONLY,
    table: 'signin_throttle',
    sample: async (f) => {
      await f.failSignIn();
      return { path: '/api/signin-throttles/lift', json: { username: f.throttledUser } };
    },
  },

  // — attachments
  {
    method: 'POST',
    path: '/api/attachments',
    needs: ['task.report'],
    scope: 'none',
    touches: 'a pending file belongs to its uploader until a directive or report cites it',
    table: 'attachment',
    sample: () => ({ path: '/api/attachments', body: uploadForm('mx-upload') }),
  },
  {
    method: 'GET',
    path: '/api/attachments/:id{[0-9]+}',
    ...RECIPIENT_TOO,
    needs: ['task.read'],
    scope: 'unit',
    touches: 'what it is attached to (here a directive)',
    sample: (f) => ({ path: `/api/attachments/${f.attachmentId}` }),
    marker: (f) => f.attachmentText,
    directiveVisibility: true,
  },
];
