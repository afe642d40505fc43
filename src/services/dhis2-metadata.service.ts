import { createHash } from 'node:crypto';
// The domain's `Store` is a request's objects; this is the data's.
import type { Store as DataStore } from '../db/store.ts';
import type { Definitions, UnitNarrowing, UnitRow } from '../db/dhis2-metadata.repo.ts';
import { can, isRootScope, ROLE_LABELS, type Action, type Actor } from '../domain/access.ts';
import { vnDate, type Clock } from '../domain/dates.ts';
import {
  missingRefs,
  mentions,
  parseMetadataQuery,
  render,
  runQuery,
  type Context,
  type Dhis2Object,
  type Filter,
  type MetadataQuery,
  type Pager,
  type Schemas,
  type Store,
} from '../domain/dhis2-query.ts';
import { AppError, errors } from '../domain/errors.ts';
import { parsePeriod } from '../domain/period.ts';
import type { HierarchyService } from './hierarchy.service.ts';

/**
 * DHIS2's metadata reads (issue 14) over Opsroom's model, in DHIS2's shapes:
 *
 * | DHIS2                        | Opsroom                                                       |
 * | ---------------------------- | ------------------------------------------------------------- |
 * | dataElement                  | data_element (valueType; aggregationType from agg_time/units) |
 * | indicator, indicatorType     | indicator and indicator_type as imported; Opsroom's own: the  |
 * |                              | formula as numerator, denominator 1, type "Number (Factor 1)" |
 * | categoryCombo                | breakdown (an ATTRIBUTE one holds attribute options)          |
 * | category, categoryOption     | category, category_option as imported; a breakdown defined in |
 * |                              | Opsroom is one category of its options (derived uids)         |
 * | categoryOptionCombo          | breakdown_option / attribute_option (parts as imported)       |
 * | dataSet                      | data_set: its elements; its units (data_set_unit, or its level) |
 * | organisationUnit             | org_unit of one tree (level + 1: DHIS2's root is level 1)     |
 * | organisationUnitGroup        | unit_group of that tree (id = its code)                       |
 *
 * Ids are DHIS2 uids where Opsroom holds one, else codes; the default category objects keep
 * DHIS2's well-known uids. Objects Opsroom has no row for (the category and options of a
 * breakdown defined in Opsroom, the combo of Opsroom's attribute options) get uids derived from
 * their codes, stable across calls. `name` is the
 * English name, `displayName` the caller's language (English unless Vietnamese is asked for),
 * and `translations` carry the other one. Units are listed only within the caller's scope
 * (they are referred to up to the nation: parent, ancestors, path).
 *
 * Where the work happens: definitions are small and read whole, then filtered, ordered and paged
 * in memory (domain/dhis2-query.ts); units are narrowed in SQL by tree, scope and the filters
 * that name units exactly (id, code, level, parent.id with eq/in, and level comparisons, when
 * filters are ANDed), then every filter runs in memory over that set, with ordering and paging
 * (names compare the same on both engines that way; PostgreSQL's case folding of Vietnamese
 * depends on the server's locale).
 */

// ---------------------------------------------------------------------------------------------
// DHIS2's types, as far as Opsroom fills them

const simple = { kind: 'simple' } as const;
const num = { kind: 'simple', type: 'number' } as const;
const bool = { kind: 'simple', type: 'boolean' } as const;
const ref = (type: string) => ({ kind: 'ref', type }) as const;
const refs = (type: string) => ({ kind: 'refs', type }) as const;
const embedded = (schema: string, many = true) => ({ kind: 'embedded', schema, many }) as const;

const named = {
  id: simple,
  code: simple,
  name: simple,
  shortName: simple,
  displayName: simple,
  displayShortName: simple,
} as const;

export const DHIS2_SCHEMAS: Schemas = {
  dataElements: {
    properties: {
      ...named,
      formName: simple,
      displayFormName: simple,
      description: simple,
      valueType: simple,
      aggregationType: simple,
      domainType: simple,
      zeroIsSignificant: bool,
      optionSetValue: bool,
      categoryCombo: ref('categoryCombos'),
      dataSetElements: embedded('dataSetElement'),
      aggregationLevels: simple,
      legendSets: simple,
      dataElementGroups: simple,
      attributeValues: simple,
      translations: embedded('translation'),
      created: simple,
      lastUpdated: simple,
    },
  },
  indicators: {
    properties: {
      ...named,
      description: simple,
      numerator: simple,
      numeratorDescription: simple,
      denominator: simple,
      denominatorDescription: simple,
      indicatorType: ref('indicatorTypes'),
      decimals: num,
      annualized: bool,
      indicatorGroups: simple,
      legendSets: simple,
      attributeValues: simple,
      translations: embedded('translation'),
      created: simple,
      lastUpdated: simple,
    },
  },
  indicatorTypes: {
    properties: { id: simple, name: simple, displayName: simple, factor: num, number: bool },
  },
  dataSets: {
    properties: {
      ...named,
      description: simple,
      periodType: simple,
      categoryCombo: ref('categoryCombos'),
      dataSetElements: embedded('dataSetElement'),
      organisationUnits: refs('organisationUnits'),
      expiryDays: num,
      timelyDays: num,
      openFuturePeriods: num,
      formType: simple,
      validCompleteOnly: bool,
      noValueRequiresComment: bool,
      compulsoryDataElementOperands: simple,
      sections: simple,
      indicators: simple,
      dataInputPeriods: simple,
      attributeValues: simple,
      translations: embedded('translation'),
    },
  },
  dataSetElement: {
    properties: { dataSet: ref('dataSets'), dataElement: ref('dataElements') },
  },
  translation: { properties: { property: simple, locale: simple, value: simple } },
  categoryCombos: {
    properties: {
      ...named,
      dataDimensionType: simple,
      isDefault: bool,
      skipTotal: bool,
      categories: refs('categories'),
      categoryOptionCombos: refs('categoryOptionCombos'),
      translations: embedded('translation'),
    },
  },
  categories: {
    properties: {
      ...named,
      dataDimensionType: simple,
      dataDimension: bool,
      categoryOptions: refs('categoryOptions'),
      categoryCombos: refs('categoryCombos'),
      translations: embedded('translation'),
    },
  },
  categoryOptions: {
    properties: {
      ...named,
      isDefault: bool,
      categories: refs('categories'),
      categoryOptionCombos: refs('categoryOptionCombos'),
      translations: embedded('translation'),
    },
  },
  categoryOptionCombos: {
    properties: {
      ...named,
      isDefault: bool,
      ignoreApproval: bool,
      categoryCombo: ref('categoryCombos'),
      categoryOptions: refs('categoryOptions'),
      translations: embedded('translation'),
    },
  },
  organisationUnits: {
    properties: {
      ...named,
      level: num,
      path: simple,
      parent: ref('organisationUnits'),
      ancestors: refs('organisationUnits'),
      children: refs('organisationUnits'),
      leaf: bool,
      openingDate: simple,
      closedDate: simple,
      dataSets: refs('dataSets'),
      organisationUnitGroups: refs('organisationUnitGroups'),
      translations: embedded('translation'),
    },
  },
  organisationUnitGroups: {
    properties: {
      ...named,
      description: simple,
      organisationUnits: refs('organisationUnits'),
      created: simple,
    },
  },
  periodTypes: {
    properties: {
      name: simple,
      displayName: simple,
      isoDuration: simple,
      isoFormat: simple,
      frequencyOrder: num,
      label: simple,
      displayLabel: simple,
    },
  },
  me: {
    properties: {
      id: simple,
      username: simple,
      name: simple,
      displayName: simple,
      firstName: simple,
      surname: simple,
      organisationUnits: refs('organisationUnits'),
      dataViewOrganisationUnits: refs('organisationUnits'),
      teiSearchOrganisationUnits: refs('organisationUnits'),
      userRoles: embedded('userRole'),
      userGroups: simple,
      authorities: simple,
      settings: simple,
      programs: simple,
      dataSets: simple,
      // Opsroom's own: the hierarchy version the units above belong to, and the kind of caller.
      opsroom: simple,
    },
  },
  userRole: { properties: { id: simple, name: simple, displayName: simple } },
};

/** The resources served as lists at /api/{resource} and objects at /api/{resource}/{id}. */
export const DHIS2_RESOURCES = [
  'dataElements',
  'indicators',
  'indicatorTypes',
  'organisationUnits',
  'organisationUnitGroups',
  'dataSets',
  'categoryCombos',
  'categories',
  'categoryOptions',
  'categoryOptionCombos',
] as const;
export type Dhis2Resource = (typeof DHIS2_RESOURCES)[number];

/** DHIS2's class names, for "DataElement with id x could not be found." */
const CLASS_NAME: Record<Dhis2Resource, string> = {
  dataElements: 'DataElement',
  indicators: 'Indicator',
  indicatorTypes: 'IndicatorType',
  organisationUnits: 'OrganisationUnit',
  organisationUnitGroups: 'OrganisationUnitGroup',
  dataSets: 'DataSet',
  categoryCombos: 'CategoryCombo',
  categories: 'Category',
  categoryOptions: 'CategoryOption',
  categoryOptionCombos: 'CategoryOptionCombo',
};

/** What reading a resource needs besides signing in (as Opsroom's own reads of units and groups). */
const NEEDS: Partial<Record<Dhis2Resource, Action>> = {
  organisationUnits: 'unit.read',
  organisationUnitGroups: 'group.read',
};

// ---------------------------------------------------------------------------------------------
// Ids, names, types

/** DHIS2's uids of its default category objects. */
const DEFAULT_CATEGORY = 'GLevLNI9wkl';
const DEFAULT_CATEGORY_OPTION = 'xYerKDKCefk';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHANUMERIC = LETTERS + '0123456789';

/** A DHIS2-shaped uid (a letter, then 10 letters or digits) derived from a seed: stable. */
export function derivedUid(seed: string): string {
  const h = createHash('sha256').update(`opsroom:${seed}`).digest();
  let s = LETTERS[h[0]! % LETTERS.length]!;
  for (let i = 1; i < 11; i++) s += ALPHANUMERIC[h[i]! % ALPHANUMERIC.length]!;
  return s;
}

const idOf = (r: { uid: string | null; code: string }) => r.uid ?? r.code;

/** DHIS2's timestamps: ISO without the zone, to the millisecond. */
const stamp = (d: Date | string) => new Date(d).toISOString().slice(0, 23);

type Lang = 'vi' | 'en';

/** name (English), shortName, displayName (the caller's language) and the Vietnamese translation. */
function names(r: { name_vi: string; name_en: string }, lang: Lang) {
  const display = lang === 'vi' ? r.name_vi : r.name_en;
  return {
    name: r.name_en,
    shortName: r.name_en,
    displayName: display,
    displayShortName: display,
    translations: [
      { property: 'NAME', locale: 'vi', value: r.name_vi },
      { property: 'SHORT_NAME', locale: 'vi', value: r.name_vi },
    ],
  };
}

/** An object with one name (DHIS2's, from an import): the same in every language. */
function single(name: string, short?: string | null) {
  return {
    name,
    shortName: short ?? name,
    displayName: name,
    displayShortName: short ?? name,
    translations: [],
  };
}

/** DHIS2's value types; an integer kept at or above 0 (or 1) is its non-negative (positive) kind. */
function valueType(e: { value_type: string; min_value: number | null; max_value: number | null }) {
  const t = e.value_type.toUpperCase();
  if (t === 'INTEGER' && e.max_value === null) {
    if (e.min_value === 0) return 'INTEGER_ZERO_OR_POSITIVE';
    if (e.min_value === 1) return 'INTEGER_POSITIVE';
  }
  return t;
}

/** DHIS2's aggregation type from Opsroom's rule over time and over units. */
export function aggregationType(time: string, units: string): string {
  if (units === 'none') return 'NONE';
  const t = time.toUpperCase();
  if (time === 'sum') return units === 'sum' ? 'SUM' : 'AVERAGE';
  if (time === 'average') return units === 'sum' ? 'AVERAGE_SUM_ORG_UNIT' : 'AVERAGE';
  if (time === 'last' || time === 'first') return units === 'sum' ? t : `${t}_AVERAGE_ORG_UNIT`;
  if (time === 'max' || time === 'min') return units === 'sum' ? `${t}_SUM_ORG_UNIT` : t;
  return t;
}

/**
 * DHIS2's period types, each with an id of its format: a type is listed when Opsroom's period
 * parser reads that id, and a data set's period type is named by the DHIS2 type whose id parses
 * to it.
 */
const PERIOD_TYPES: {
  name: string;
  sample: string;
  isoDuration: string;
  isoFormat: string;
  frequencyOrder: number;
}[] = [
  {
    name: 'Daily',
    sample: '20240101',
    isoDuration: 'P1D',
    isoFormat: 'yyyyMMdd',
    frequencyOrder: 1,
  },
  { name: 'Weekly', sample: '2024W1', isoDuration: 'P7D', isoFormat: 'yyyyWn', frequencyOrder: 7 },
  {
    name: 'WeeklyWednesday',
    sample: '2024WedW1',
    isoDuration: 'P7D',
    isoFormat: 'yyyyWedWn',
    frequencyOrder: 7,
  },
  {
    name: 'WeeklyThursday',
    sample: '2024ThuW1',
    isoDuration: 'P7D',
    isoFormat: 'yyyyThuWn',
    frequencyOrder: 7,
  },
  {
    name: 'WeeklyFriday',
    sample: '2024FriW1',
    isoDuration: 'P7D',
    isoFormat: 'yyyyFriWn',
    frequencyOrder: 7,
  },
  {
    name: 'WeeklySaturday',
    sample: '2024SatW1',
    isoDuration: 'P7D',
    isoFormat: 'yyyySatWn',
    frequencyOrder: 7,
  },
  {
    name: 'WeeklySunday',
    sample: '2024SunW1',
    isoDuration: 'P7D',
    isoFormat: 'yyyySunWn',
    frequencyOrder: 7,
  },
  {
    name: 'BiWeekly',
    sample: '2024BiW1',
    isoDuration: 'P14D',
    isoFormat: 'yyyyBiWn',
    frequencyOrder: 14,
  },
  {
    name: 'Monthly',
    sample: '202401',
    isoDuration: 'P1M',
    isoFormat: 'yyyyMM',
    frequencyOrder: 30,
  },
  {
    name: 'BiMonthly',
    sample: '202401B',
    isoDuration: 'P2M',
    isoFormat: 'yyyyMMB',
    frequencyOrder: 61,
  },
  {
    name: 'Quarterly',
    sample: '2024Q1',
    isoDuration: 'P3M',
    isoFormat: 'yyyyQn',
    frequencyOrder: 91,
  },
  {
    name: 'QuarterlyNov',
    sample: '2024NovQ1',
    isoDuration: 'P3M',
    isoFormat: 'yyyyNovQn',
    frequencyOrder: 91,
  },
  {
    name: 'SixMonthly',
    sample: '2024S1',
    isoDuration: 'P6M',
    isoFormat: 'yyyySn',
    frequencyOrder: 182,
  },
  {
    name: 'SixMonthlyApril',
    sample: '2024AprilS1',
    isoDuration: 'P6M',
    isoFormat: 'yyyyAprilSn',
    frequencyOrder: 182,
  },
  {
    name: 'SixMonthlyNov',
    sample: '2024NovS1',
    isoDuration: 'P6M',
    isoFormat: 'yyyyNovSn',
    frequencyOrder: 182,
  },
  { name: 'Yearly', sample: '2024', isoDuration: 'P1Y', isoFormat: 'yyyy', frequencyOrder: 365 },
  {
    name: 'FinancialFeb',
    sample: '2024Feb',
    isoDuration: 'P1Y',
    isoFormat: 'yyyyFeb',
    frequencyOrder: 365,
  },
  {
    name: 'FinancialApril',
    sample: '2024April',
    isoDuration: 'P1Y',
    isoFormat: 'yyyyApril',
    frequencyOrder: 365,
  },
  {
    name: 'FinancialJuly',
    sample: '2024July',
    isoDuration: 'P1Y',
    isoFormat: 'yyyyJuly',
    frequencyOrder: 365,
  },
  {
    name: 'FinancialAug',
    sample: '2024Aug',
    isoDuration: 'P1Y',
    isoFormat: 'yyyyAug',
    frequencyOrder: 365,
  },
  {
    name: 'FinancialSep',
    sample: '2024Sep',
    isoDuration: 'P1Y',
    isoFormat: 'yyyySep',
    frequencyOrder: 365,
  },
  {
    name: 'FinancialOct',
    sample: '2024Oct',
    isoDuration: 'P1Y',
    isoFormat: 'yyyyOct',
    frequencyOrder: 365,
  },
  {
    name: 'FinancialNov',
    sample: '2024Nov',
    isoDuration: 'P1Y',
    isoFormat: 'yyyyNov',
    frequencyOrder: 365,
  },
];

/** The DHIS2 period types Opsroom reads, with Opsroom's type name for each. */
export function supportedPeriodTypes() {
  return PERIOD_TYPES.flatMap((t) => {
    try {
      return [{ ...t, opsroom: parsePeriod(t.sample).type }];
    } catch {
      return [];
    }
  });
}

function periodTypeName(opsroomType: string): string {
  return supportedPeriodTypes().find((t) => t.opsroom === opsroomType)?.name ?? opsroomType;
}

/** DHIS2 authorities for Opsroom's permissions (an administrator holds ALL, as a superuser does). */
const AUTHORITIES: Partial<Record<Action, string[]>> = {
  'data.write': ['F_DATAVALUE_ADD', 'F_DATAVALUE_DELETE', 'M_dhis-web-aggregate-data-entry'],
  'data.read': ['M_dhis-web-data-visualizer', 'F_VIEW_DATABROWSER'],
  'metadata.manage': [
    'F_DATAELEMENT_PUBLIC_ADD',
    'F_INDICATOR_PUBLIC_ADD',
    'F_DATASET_PUBLIC_ADD',
    'F_CATEGORY_COMBO_PUBLIC_ADD',
    'F_METADATA_IMPORT',
    'F_METADATA_EXPORT',
  ],
  'unit.manage': ['F_ORGANISATIONUNIT_ADD', 'F_ORGANISATIONUNIT_DELETE'],
  'user.manage': ['F_USER_ADD', 'F_USER_DELETE'],
  'group.write': ['F_ORGUNITGROUP_PUBLIC_ADD'],
};

export function authoritiesOf(actor: Actor): string[] {
  const out = new Set<string>(actor.role === 'admin' ? ['ALL'] : []);
  for (const p of actor.permissions) for (const a of AUTHORITIES[p] ?? []) out.add(a);
  return [...out].sort();
}

// ---------------------------------------------------------------------------------------------
// The objects of one request

class RequestStore implements Store {
  private readonly objects = new Map<string, Map<string, Dhis2Object>>();
  private readonly lists = new Map<string, Dhis2Object[]>();
  private readonly absent = new Map<string, Set<string>>();

  put(type: string, obj: Dhis2Object, ...aliases: string[]) {
    let m = this.objects.get(type);
    if (!m) this.objects.set(type, (m = new Map<string, Dhis2Object>()));
    const id = obj.id as string;
    if (!m.has(id)) {
      let l = this.lists.get(type);
      if (!l) this.lists.set(type, (l = []));
      l.push(obj);
    }
    m.set(id, obj);
    for (const a of aliases) if (!m.has(a)) m.set(a, obj);
  }
  markAbsent(type: string, ids: Iterable<string>) {
    let s = this.absent.get(type);
    if (!s) this.absent.set(type, (s = new Set()));
    for (const id of ids) if (!this.objects.get(type)?.has(id)) s.add(id);
  }
  get(type: string, id: string) {
    return this.objects.get(type)?.get(id);
  }
  has(type: string, id: string) {
    return this.objects.get(type)?.has(id) === true || this.absent.get(type)?.has(id) === true;
  }
  all(type: string): Dhis2Object[] {
    return this.lists.get(type) ?? [];
  }
}

interface Open extends Context {
  store: RequestStore;
  actor: Actor;
  lang: Lang;
  /** The tree units are read in. */
  version: string;
  /** The caller's scope path; null for the nation. */
  scopePath: string | null;
  asOf: string;
  canUnits: boolean;
  openingDate?: string;
  closedDate?: string;
  /** Computed only when a query may read them. */
  withChildren: boolean;
  withGroups: boolean;
  withDataSets: boolean;
}

export interface Params {
  get(name: string): string | undefined;
  all(name: string): string[];
}

export interface ListAnswer {
  items: Dhis2Object[];
  pager?: Pager;
}

export class Dhis2MetadataService {
  constructor(
    private readonly data: DataStore,
    private readonly hierarchy: HierarchyService,
    private readonly clock: Clock,
  ) {}

  private repo() {
    return this.data.repos.dhis2Metadata;
  }

  private require(actor: Actor, resource: Dhis2Resource) {
    const need = NEEDS[resource];
    if (need && !can(actor, need)) throw errors.forbidden(need);
  }

  /** A list, as DHIS2's `GET /api/{resource}` answers it. */
  async list(actor: Actor, resource: Dhis2Resource, params: Params, lang: Lang) {
    this.require(actor, resource);
    const q = parseMetadataQuery(params, resource, DHIS2_SCHEMAS);
    const o = await this.open(actor, params, lang, q);
    let objs: Dhis2Object[];
    if (resource === 'organisationUnits') objs = await this.unitsFor(o, q, params);
    else {
      if (resource === 'organisationUnitGroups') await this.loadGroups(o, q);
      objs = o.store.all(resource);
    }
    if (q.excludeDefaults) objs = objs.filter((x) => x.isDefault !== true);
    await this.follow(o, objs, resource, q);
    return runQuery(objs, resource, q, o);
  }

  /** One object, as `GET /api/{resource}/{id}` answers it (all fields unless `fields` says). */
  async get(actor: Actor, resource: Dhis2Resource, id: string, params: Params, lang: Lang) {
    this.require(actor, resource);
    const q = parseMetadataQuery(params, resource, DHIS2_SCHEMAS, true);
    const o = await this.open(actor, params, lang, q);
    let obj: Dhis2Object | undefined;
    if (resource === 'organisationUnits') {
      const byId = await this.loadUnits(o, 'list', { ids: [id] });
      obj = byId[0] ?? (await this.loadUnits(o, 'list', { codes: [id] }))[0];
    } else {
      if (resource === 'organisationUnitGroups') await this.loadGroups(o, q);
      obj = o.store.get(resource, id);
    }
    if (!obj)
      throw new AppError(
        'not_found',
        {
          vi: `Không có ${CLASS_NAME[resource]} mã ${id}`,
          en: `${CLASS_NAME[resource]} with id ${id} could not be found.`,
        },
        { errorCode: 'E1005', id },
      );
    await this.follow(o, [obj], resource, q);
    return render(obj, resource, q.fields, o);
  }

  /** DHIS2's period types that Opsroom reads: `GET /api/periodTypes` (fields apply; no pager). */
  periodTypes(params: Params) {
    const q = parseMetadataQuery(params, 'periodTypes', DHIS2_SCHEMAS, true);
    const ctx: Context = { schemas: DHIS2_SCHEMAS, store: new RequestStore() };
    return supportedPeriodTypes().map((t) =>
      render(
        {
          name: t.name,
          displayName: t.name,
          isoDuration: t.isoDuration,
          isoFormat: t.isoFormat,
          frequencyOrder: t.frequencyOrder,
        },
        'periodTypes',
        q.fields,
        ctx,
      ),
    );
  }

  /**
   * What `GET /api/dataEntry/metadata` is made of (dhis2-data-entry.service.ts): the data sets
   * the caller may enter data for and every definition, as these reads give them (references as
   * ids), in the request's language.
   */
  async dataEntryObjects(actor: Actor, lang: Lang) {
    const none: Params = { get: () => undefined, all: () => [] };
    const q = parseMetadataQuery(none, 'dataSets', DHIS2_SCHEMAS);
    const o = await this.open(actor, none, lang, q);
    const root = isRootScope(actor.scope);
    const enterable = new Set(
      await this.repo().enterableDataSets(
        root ? null : actor.scope.path,
        root ? null : actor.scope.version,
      ),
    );
    return {
      dataSets: o.store.all('dataSets').filter((s) => enterable.has(s.opsroomId as number)),
      get: (type: string, id: string) => o.store.get(type, id),
    };
  }

  /** The caller, as DHIS2's `GET /api/me` describes a user (all fields unless `fields` says). */
  async me(actor: Actor, params: Params, lang: Lang) {
    const q = parseMetadataQuery(params, 'me', DHIS2_SCHEMAS, true);
    const o = await this.open(actor, params, lang, q, actor.scope.version);
    // The caller's own unit, even to a token without unit.read.
    const [scopeUnit] = await this.loadUnits(o, 'refs', { codes: [actor.scope.code] }, true);
    const unitIds = scopeUnit ? [scopeUnit.id as string] : [];
    const displayName = actor.displayName ?? actor.name;
    const me: Dhis2Object = {
      id: actor.id,
      username: actor.name,
      name: displayName,
      displayName,
      firstName: displayName,
      surname: '',
      organisationUnits: unitIds,
      dataViewOrganisationUnits: unitIds,
      teiSearchOrganisationUnits: [],
      userRoles: actor.role
        ? [
            {
              id: actor.role,
              name: ROLE_LABELS[actor.role].en,
              displayName: ROLE_LABELS[actor.role][lang],
            },
          ]
        : [],
      userGroups: [],
      authorities: authoritiesOf(actor),
      settings: {
        keyUiLocale: lang,
        keyDbLocale: lang,
        keyAnalysisDisplayProperty: 'name',
        keyAnalysisRelativePeriod: 'LAST_12_MONTHS',
      },
      programs: [],
      dataSets: can(actor, 'data.write') ? o.store.all('dataSets').map((d) => d.id as string) : [],
      opsroom: {
        kind: actor.kind,
        version: actor.scope.version,
        scope: actor.scope.code,
        permissions: [...actor.permissions],
      },
    };
    await this.follow(o, [me], 'me', q);
    return render(me, 'me', q.fields, o);
  }

  // -------------------------------------------------------------------------------------------

  /** The request's store: every definition, and what the query needs of units and groups. */
  private async open(
    actor: Actor,
    params: Params,
    lang: Lang,
    q: MetadataQuery,
    version?: string,
  ): Promise<Open> {
    const root = isRootScope(actor.scope);
    const v = await this.hierarchy.versionFor(actor, version ?? params.get('version'));
    if (!root && v !== actor.scope.version) throw errors.outOfScope(undefined, v);
    const span = (await this.hierarchy.versionSpans()).find((s) => s.id === v);
    const store = new RequestStore();
    const o: Open = {
      schemas: DHIS2_SCHEMAS,
      store,
      actor,
      lang,
      version: v,
      scopePath: root ? null : actor.scope.path,
      asOf: vnDate(this.clock()),
      canUnits: can(actor, 'unit.read'),
      openingDate: span ? `${span.valid_from}T00:00:00.000` : undefined,
      closedDate: span?.valid_until ? `${span.valid_until}T00:00:00.000` : undefined,
      withChildren: mentions(q, ['children', 'leaf']),
      withGroups: mentions(q, ['organisationUnitGroups']),
      withDataSets: mentions(q, ['dataSets']),
    };
    const defs = await this.repo().definitions();
    await this.putDefinitions(o, defs, mentions(q, ['organisationUnits']));
    if (o.withGroups) await this.loadGroups(o, q);
    return o;
  }

  private async putDefinitions(o: Open, d: Definitions, withUnits: boolean) {
    const { store, lang } = o;
    this.putCategories(o, d);
    const comboId = new Map(d.breakdowns.map((b) => [b.id, idOf(b)]));
    const defaultCombo = d.breakdowns.find((b) => b.code === 'default');
    const elementId = new Map(d.elements.map((e) => [e.id, idOf(e)]));
    const setsOf = new Map<number, string[]>();
    for (const s of d.dataSets)
      for (const e of s.elements) setsOf.set(e, [...(setsOf.get(e) ?? []), idOf(s)]);
    for (const e of d.elements) {
      const id = idOf(e);
      store.put(
        'dataElements',
        {
          id,
          code: e.code,
          ...names(e, lang),
          formName: e.name_en,
          displayFormName: lang === 'vi' ? e.name_vi : e.name_en,
          description: e.description,
          valueType: valueType(e),
          aggregationType: aggregationType(e.agg_time, e.agg_units),
          domainType: 'AGGREGATE',
          zeroIsSignificant: e.zero_significant,
          optionSetValue: false,
          categoryCombo: comboId.get(e.breakdown_id) ?? null,
          dataSetElements: (setsOf.get(e.id) ?? []).map((s) => ({ dataSet: s, dataElement: id })),
          aggregationLevels: [],
          legendSets: [],
          dataElementGroups: [],
          attributeValues: [],
          created: stamp(e.created_at),
          lastUpdated: stamp(e.updated_at),
        },
        e.code,
      );
    }
    // Indicator types as a DHIS2 import stored them, and the one Opsroom's own formulas are of.
    const typeId = new Map(d.indicatorTypes.map((t) => [t.id, t.uid]));
    const number = derivedUid('indicatorType:number');
    for (const t of d.indicatorTypes)
      store.put(
        'indicatorTypes',
        { id: t.uid, name: t.name, displayName: t.name, factor: t.factor, number: t.number },
        ...(t.code ? [t.code] : []),
      );
    store.put('indicatorTypes', {
      id: number,
      name: 'Number (Factor 1)',
      displayName: lang === 'vi' ? 'Số (hệ số 1)' : 'Number (Factor 1)',
      factor: 1,
      number: true,
    });
    for (const i of d.indicators) {
      // DHIS2's parts where an import gave them; else Opsroom's one formula over 1, factor 1.
      const type = i.indicator_type_id === null ? undefined : typeId.get(i.indicator_type_id);
      const own = i.numerator === null || type === undefined;
      store.put(
        'indicators',
        {
          id: idOf(i),
          code: i.code,
          ...names(i, lang),
          description: i.description,
          numerator: own ? i.formula : i.numerator,
          numeratorDescription: i.name_en,
          denominator: own ? '1' : (i.denominator ?? '1'),
          denominatorDescription: own ? '1' : undefined,
          indicatorType: own ? number : type,
          decimals: i.decimals,
          annualized: false,
          indicatorGroups: [],
          legendSets: [],
          attributeValues: [],
          created: stamp(i.created_at),
          lastUpdated: stamp(i.updated_at),
        },
        i.code,
      );
    }
    for (const s of d.dataSets) {
      const id = idOf(s);
      // The units it is assigned to, or those of its level: listed when reading its tree.
      const units = !withUnits
        ? undefined
        : o.canUnits && s.version === o.version
          ? await this.repo().dataSetUnitIds(s, o.scopePath)
          : [];
      store.put(
        'dataSets',
        {
          id,
          code: s.code,
          ...names(s, lang),
          periodType: periodTypeName(s.period_type),
          categoryCombo: defaultCombo ? idOf(defaultCombo) : null,
          dataSetElements: s.elements.map((e) => ({
            dataSet: id,
            dataElement: elementId.get(e),
          })),
          organisationUnits: units,
          expiryDays: s.expiry_days,
          timelyDays: s.due_days,
          openFuturePeriods: 0,
          formType: 'DEFAULT',
          validCompleteOnly: false,
          noValueRequiresComment: false,
          compulsoryDataElementOperands: [],
          sections: [],
          indicators: [],
          dataInputPeriods: [],
          attributeValues: [],
          // Opsroom's own, for the units' side of the assignment (not rendered).
          opsroomId: s.id,
          opsroomVersion: s.version,
          opsroomLevel: s.assigned ? null : s.level,
        },
        s.code,
      );
    }
  }

  /**
   * Category combos (breakdowns), categories, category options and option combos. A DHIS2
   * import stored its categories and options (migration 0012); a breakdown defined in Opsroom
   * has none, and is shown as one category of its options, with derived uids. Attribute options
   * that came with no combo (Opsroom's own) are the option combos of one ATTRIBUTE combo.
   */
  private putCategories(o: Open, d: Definitions) {
    const { store, lang } = o;
    const add = (m: Map<string, string[]>, k: string, v: string) => {
      const l = m.get(k) ?? [];
      if (!l.includes(v)) l.push(v);
      m.set(k, l);
    };
    const combosOf = new Map<string, string[]>(); // category → combos
    const categoriesOf = new Map<string, string[]>(); // category option → categories
    const combosOfOption = new Map<string, string[]>(); // category option → option combos
    const categories: Dhis2Object[] = d.categories.map((c) => ({
      id: c.uid,
      code: c.code,
      ...single(c.name),
      dataDimensionType: c.dimension_type,
      dataDimension: c.uid !== DEFAULT_CATEGORY,
      categoryOptions: c.options,
    }));
    const options: Dhis2Object[] = d.categoryOptions.map((x) => ({
      id: x.uid,
      code: x.code,
      ...single(x.name, x.short_name),
      isDefault: x.uid === DEFAULT_CATEGORY_OPTION,
    }));
    type Member = {
      code: string;
      uid: string | null;
      name_vi: string;
      name_en: string;
      parts: string[];
    };
    const combo = (
      b: {
        id: string;
        code: string;
        dimension: 'DISAGGREGATION' | 'ATTRIBUTE';
        isDefault: boolean;
      },
      label: { name_vi: string; name_en: string },
      stored: string[],
      members: Member[],
    ) => {
      let cats = stored;
      let partsOf = (m: Member) => m.parts;
      if (cats.length === 0) {
        const cat = derivedUid(`category:${b.code}`);
        const optionId = (m: Member) => derivedUid(`categoryOption:${b.code}:${m.code}`);
        cats = [cat];
        partsOf = (m) => [optionId(m)];
        categories.push({
          id: cat,
          code: b.code,
          ...names(label, lang),
          dataDimensionType: b.dimension,
          dataDimension: true,
          categoryOptions: members.map(optionId),
        });
        for (const m of members)
          options.push({ id: optionId(m), code: m.code, ...names(m, lang), isDefault: false });
      }
      for (const c of cats) add(combosOf, c, b.id);
      store.put(
        'categoryCombos',
        {
          id: b.id,
          code: b.code,
          ...names(label, lang),
          dataDimensionType: b.dimension,
          isDefault: b.isDefault,
          skipTotal: false,
          categories: cats,
          categoryOptionCombos: members.map(idOf),
        },
        b.code,
      );
      for (const m of members) {
        for (const p of partsOf(m)) add(combosOfOption, p, idOf(m));
        store.put(
          'categoryOptionCombos',
          {
            id: idOf(m),
            code: m.code,
            ...names(m, lang),
            isDefault: b.isDefault,
            ignoreApproval: false,
            categoryCombo: b.id,
            categoryOptions: partsOf(m),
          },
          m.code,
        );
      }
    };
    for (const b of d.breakdowns) {
      const attribute = b.dimension_type === 'ATTRIBUTE';
      const members: Member[] = attribute
        ? d.attributeOptions.filter((a) => a.breakdown_id === b.id)
        : d.options.filter((x) => x.breakdown_id === b.id);
      combo(
        { id: idOf(b), code: b.code, dimension: b.dimension_type, isDefault: b.code === 'default' },
        b,
        b.categories,
        members,
      );
    }
    // The default attribute option is DHIS2's default option combo, listed with the default combo.
    const own = d.attributeOptions.filter((a) => a.breakdown_id === null && a.code !== 'default');
    if (own.length > 0)
      combo(
        {
          id: derivedUid('categoryCombo:ATTRIBUTE'),
          code: 'ATTRIBUTE',
          dimension: 'ATTRIBUTE',
          isDefault: false,
        },
        { name_vi: 'Nguồn báo cáo', name_en: 'Reporting source' },
        [],
        own,
      );
    for (const c of categories) {
      for (const x of c.categoryOptions as string[]) add(categoriesOf, x, c.id as string);
      store.put(
        'categories',
        { ...c, categoryCombos: combosOf.get(c.id as string) ?? [] },
        ...(c.code ? [c.code as string] : []),
      );
    }
    for (const x of options)
      store.put(
        'categoryOptions',
        {
          ...x,
          categories: categoriesOf.get(x.id as string) ?? [],
          categoryOptionCombos: combosOfOption.get(x.id as string) ?? [],
        },
        ...(x.code ? [x.code as string] : []),
      );
  }

  /** Units of the request's tree as DHIS2 objects, put in the store. */
  private async loadUnits(
    o: Open,
    mode: 'list' | 'refs',
    narrow: UnitNarrowing,
    own = false,
  ): Promise<Dhis2Object[]> {
    if (!o.canUnits && !own) return [];
    const rows = await this.repo().units({
      version: o.version,
      asOf: o.asOf,
      scopePath: o.scopePath,
      mode,
      narrow,
      withChildren: o.withChildren,
    });
    const groups = o.withGroups
      ? await this.repo().groupsOfUnits(
          o.version,
          rows.map((r) => r.code),
          o.scopePath,
        )
      : undefined;
    // Data sets by level come from the store; assignments only when the query may read them.
    const sets = o.store.all('dataSets').filter((s) => s.opsroomVersion === o.version);
    const assigned = o.withDataSets
      ? await this.repo().assignedSets(
          o.version,
          rows.map((r) => r.code),
        )
      : undefined;
    const setId = new Map(sets.map((s) => [s.opsroomId as number, s.id as string]));
    return rows.map((r) => {
      const obj = this.unitObject(o, r);
      obj.dataSets = [
        ...sets.filter((s) => s.opsroomLevel === r.level).map((s) => s.id as string),
        ...(assigned?.get(r.code) ?? []).flatMap((id) => setId.get(id) ?? []),
      ];
      obj.organisationUnitGroups = groups ? (groups.get(r.code) ?? []) : undefined;
      o.store.put('organisationUnits', obj, r.code, ...(r.source_code ? [r.source_code] : []));
      return obj;
    });
  }

  private unitObject(o: Pick<Open, 'openingDate' | 'closedDate'>, r: UnitRow): Dhis2Object {
    const ids = r.path_ids;
    const short = r.short_name ?? r.name;
    const day = (d: string | null) => (d ? `${d}T00:00:00.000` : undefined);
    // A place keeps its Vietnamese name in either language (as Opsroom's screens show it); the
    // English spelling, where the tree has one, is its translation. A unit added by a DHIS2
    // import is keyed by its uid; its DHIS2 code is the one it came with.
    return {
      id: idOf(r),
      code: r.origin === 'added' ? r.source_code : r.code,
      name: r.full_name,
      shortName: short,
      displayName: r.full_name,
      displayShortName: short,
      level: r.level + 1,
      path: '/' + ids.join('/'),
      parent: ids.length > 1 ? ids[ids.length - 2] : null,
      ancestors: ids.slice(0, -1),
      children: r.children ?? undefined,
      leaf: r.children ? r.children.length === 0 : undefined,
      openingDate: day(r.opening_date) ?? o.openingDate,
      closedDate: day(r.closed_date) ?? o.closedDate,
      translations: r.name_en ? [{ property: 'NAME', locale: 'en', value: r.name_en }] : [],
    };
  }

  /**
   * The units a list query reads: the tree, the caller's scope, DHIS2's own parameters (`level`,
   * `maxLevel`, `userOnly`), and the ANDed filters that name units exactly.
   */
  private async unitsFor(o: Open, q: MetadataQuery, params: Params) {
    const narrow: UnitNarrowing = q.rootJunction === 'AND' ? narrowing(q.filters) : {};
    const level = params.get('level');
    const maxLevel = params.get('maxLevel');
    const int = (name: string, v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n))
        throw new AppError(
          'bad_request',
          {
            vi: `Tham số ${name} phải là số nguyên, không phải "${v}"`,
            en: `Value '${v}' is not valid for parameter ${name}. It should be of type int`,
          },
          { errorCode: 'E1003', parameter: name },
        );
      return n - 1;
    };
    if (level) narrow.levels = intersect(narrow.levels, [int('level', level)]);
    if (maxLevel)
      narrow.maxLevel = Math.min(narrow.maxLevel ?? Infinity, int('maxLevel', maxLevel));
    const userOnly = ['userOnly', 'userDataViewOnly'].some((p) => params.get(p) === 'true');
    if (userOnly) narrow.codes = intersect(narrow.codes, [o.actor.scope.code]);
    return this.loadUnits(o, 'list', narrow);
  }

  private async loadGroups(o: Open, q: MetadataQuery) {
    if (o.store.all('organisationUnitGroups').length > 0 || !can(o.actor, 'group.read')) return;
    const withMembers = o.canUnits && mentions(q, ['organisationUnits']);
    for (const g of await this.repo().groups(o.version, o.scopePath, withMembers))
      o.store.put('organisationUnitGroups', {
        id: g.code,
        code: g.code,
        name: g.name,
        shortName: g.name,
        displayName: g.name,
        displayShortName: g.name,
        description: g.description,
        organisationUnits: g.members ?? undefined,
        created: stamp(g.created_at),
      });
  }

  /** Loads the units the query will follow (parents, ancestors, children, a set's units…). */
  private async follow(o: Open, objs: Dhis2Object[], type: string, q: MetadataQuery) {
    for (let round = 0; round < 12; round++) {
      const missing = missingRefs(objs, type, q, o);
      if (missing.size === 0) return;
      for (const [t, ids] of missing) {
        if (t === 'organisationUnits' && o.canUnits)
          await this.loadUnits(o, 'refs', { ids: [...ids] });
        o.store.markAbsent(t, ids);
      }
    }
  }
}

const intersect = <T>(a: T[] | undefined, b: T[]) => (a ? a.filter((x) => b.includes(x)) : b);

/** What ANDed filters say exactly about which units: narrows the SQL; every filter still runs after. */
export function narrowing(filters: readonly Filter[]): UnitNarrowing {
  const n: UnitNarrowing = {};
  for (const f of filters) {
    const key = f.path.join('.');
    const vals = f.op === 'eq' ? [f.value!] : f.op === 'in' ? f.values! : undefined;
    if (key === 'id' && vals) n.ids = intersect(n.ids, vals);
    else if (key === 'code' && vals) n.codes = intersect(n.codes, vals);
    else if ((key === 'parent.id' || key === 'parent') && vals)
      n.parentIds = intersect(n.parentIds, vals);
    else if (key === 'level') {
      const v = Number(f.value) - 1;
      if (vals)
        n.levels = intersect(
          n.levels,
          vals.map((x) => Number(x) - 1),
        );
      else if (f.op === 'gt') n.minLevel = Math.max(n.minLevel ?? -Infinity, v + 1);
      else if (f.op === 'ge' || f.op === 'gte') n.minLevel = Math.max(n.minLevel ?? -Infinity, v);
      else if (f.op === 'lt') n.maxLevel = Math.min(n.maxLevel ?? Infinity, v - 1);
      else if (f.op === 'le' || f.op === 'lte') n.maxLevel = Math.min(n.maxLevel ?? Infinity, v);
    }
  }
  return n;
}
