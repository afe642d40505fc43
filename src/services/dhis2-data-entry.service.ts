import { can, type Actor } from '../domain/access.ts';
import type { Dhis2Object } from '../domain/dhis2-query.ts';
import { errors } from '../domain/errors.ts';
import type { Dhis2MetadataService } from './dhis2-metadata.service.ts';

/**
 * DHIS2's `GET /api/dataEntry/metadata` (2.41): the one document the Data Entry app reads
 * first — the data sets the caller may enter data for, and what their forms need: their
 * elements, the category combos, categories and options of those elements, indicators, option
 * sets. Built from the objects of the DHIS2 metadata reads (same uids and names as
 * /api/dataSets, /api/dataElements, /api/categoryCombos…), in DHIS2's shape: references to
 * one object are `{id}`; the lists DHIS2 plucks (a combo's categories, a category's or an
 * option combo's options, a set's indicators, an option's units) are plain ids, as the app
 * reads them.
 *
 * Left out, as Opsroom holds none: sections, data input periods, option sets, attribute combos
 * per data set (a set's combo is the default one), an element's combo overridden per set, and
 * the units a data set is for (the app reads them by a separate call; `organisationUnits` of a
 * category option is empty: every option is open to every unit).
 */

export interface DataEntryMetadata {
  dataSets: Dhis2Object[];
  dataElements: Dhis2Object[];
  indicators: Dhis2Object[];
  categoryCombos: Dhis2Object[];
  categories: Dhis2Object[];
  categoryOptions: Dhis2Object[];
  categoryOptionCombos: Dhis2Object[];
  optionSets: Dhis2Object[];
}

/** The properties of `obj` named, in that order; null and missing ones left out, as DHIS2 does. */
function pick(obj: Dhis2Object, keys: readonly string[]): Dhis2Object {
  const out: Dhis2Object = {};
  for (const k of keys) if (obj[k] !== null && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

const ref = (id: unknown) => (typeof id === 'string' ? { id } : undefined);
const ids = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

const NAMEABLE = ['id', 'code', 'name', 'shortName', 'displayName', 'displayShortName'] as const;

/** The data entry bundle for the caller, in `lang`; entering data needs `data.write`. */
export async function dataEntryMetadata(
  source: Dhis2MetadataService,
  actor: Actor,
  lang: 'vi' | 'en',
): Promise<DataEntryMetadata> {
  if (!can(actor, 'data.write')) throw errors.forbidden('data.write');
  const { dataSets, get } = await source.dataEntryObjects(actor, lang);

  // Everything the sets refer to, each once, in the order first met.
  const wanted = new Map<string, Map<string, Dhis2Object>>();
  const need = (type: string, id: unknown) => {
    if (typeof id !== 'string') return undefined;
    let m = wanted.get(type);
    if (!m) wanted.set(type, (m = new Map<string, Dhis2Object>()));
    const known = m.get(id);
    if (known) return known;
    const obj = get(type, id);
    if (obj) m.set(id, obj);
    return obj;
  };
  const listOf = (type: string) => [...(wanted.get(type)?.values() ?? [])];

  for (const s of dataSets) {
    need('categoryCombos', s.categoryCombo);
    for (const i of ids(s.indicators)) need('indicators', i);
    for (const de of (s.dataSetElements as { dataElement?: string }[] | undefined) ?? []) {
      const e = need('dataElements', de.dataElement);
      if (e) need('categoryCombos', e.categoryCombo);
    }
  }
  for (const combo of listOf('categoryCombos')) {
    for (const c of ids(combo.categories)) {
      const category = need('categories', c);
      for (const o of ids(category?.categoryOptions)) need('categoryOptions', o);
    }
    for (const id of ids(combo.categoryOptionCombos)) {
      const coc = need('categoryOptionCombos', id);
      for (const o of ids(coc?.categoryOptions)) need('categoryOptions', o);
    }
  }

  return {
    dataSets: dataSets.map((s) => ({
      ...pick(s, [...NAMEABLE, 'periodType']),
      displayFormName: s.displayName,
      categoryCombo: ref(s.categoryCombo),
      dataSetElements: ((s.dataSetElements as { dataElement?: string }[] | undefined) ?? [])
        .filter((de) => wanted.get('dataElements')?.has(de.dataElement ?? ''))
        .map((de) => ({ dataElement: { id: de.dataElement } })),
      expiryDays: s.expiryDays,
      openFuturePeriods: s.openFuturePeriods ?? 0,
      timelyDays: s.timelyDays,
      compulsoryFieldsCompleteOnly: false,
      fieldCombinationRequired: false,
      validCompleteOnly: s.validCompleteOnly ?? false,
      noValueRequiresComment: s.noValueRequiresComment ?? false,
      renderAsTabs: false,
      renderHorizontally: false,
      dataElementDecoration: false,
      formType: s.formType ?? 'DEFAULT',
      indicators: ids(s.indicators).filter((i) => wanted.get('indicators')?.has(i)),
      compulsoryDataElementOperands: [],
      dataInputPeriods: [],
      sections: [],
    })),
    dataElements: listOf('dataElements').map((e) => ({
      ...pick(e, [
        ...NAMEABLE,
        'displayFormName',
        'description',
        'valueType',
        'aggregationType',
        'zeroIsSignificant',
        'created',
        'lastUpdated',
      ]),
      categoryCombo: ref(e.categoryCombo),
    })),
    indicators: listOf('indicators').map((i) => {
      const type = get('indicatorTypes', i.indicatorType as string);
      return {
        ...pick(i, [...NAMEABLE, 'numerator', 'denominator', 'decimals', 'annualized']),
        // Opsroom's formulas name elements and indicators directly: nothing to substitute.
        explodedNumerator: i.numerator,
        explodedDenominator: i.denominator,
        indicatorType: { factor: type?.factor ?? 1 },
      };
    }),
    categoryCombos: listOf('categoryCombos').map((combo) => ({
      ...pick(combo, ['id', 'code', 'name', 'displayName', 'dataDimensionType', 'skipTotal']),
      isDefault: combo.isDefault === true,
      categories: ids(combo.categories).filter((c) => wanted.get('categories')?.has(c)),
      categoryOptionCombos: ids(combo.categoryOptionCombos).flatMap((id) => {
        const coc = wanted.get('categoryOptionCombos')?.get(id);
        return coc
          ? [
              {
                ...pick(coc, ['id', 'code', 'name', 'displayName']),
                categoryOptions: ids(coc.categoryOptions),
              },
            ]
          : [];
      }),
    })),
    categories: listOf('categories').map((c) => ({
      ...pick(c, [...NAMEABLE, 'dataDimensionType', 'dataDimension']),
      categoryOptions: ids(c.categoryOptions).filter((o) => wanted.get('categoryOptions')?.has(o)),
    })),
    categoryOptions: listOf('categoryOptions').map((o) => ({
      ...pick(o, [...NAMEABLE, 'isDefault']),
      organisationUnits: [],
    })),
    categoryOptionCombos: listOf('categoryOptionCombos').map((coc) => ({
      ...pick(coc, [...NAMEABLE, 'isDefault']),
      categoryCombo: ref(coc.categoryCombo),
      categoryOptions: ids(coc.categoryOptions),
    })),
    optionSets: [],
  };
}
