import {
  fileInvalid,
  readXml,
  xmlAttr,
  type DataValueOut,
  type DataValueSetInput,
  type RawDataValue,
} from './data-value-set.ts';
import { parsePeriod, toAdxPeriod } from './period.ts';
import { textOf } from './text.ts';

/**
 * ADX, IHE's Aggregate Data Exchange (`urn:ihe:qrph:adx:2015`), as DHIS2 reads and writes it:
 *
 *   <adx xmlns="urn:ihe:qrph:adx:2015">
 *     <group dataSet="…" orgUnit="…" period="2022-01-01/P1M" [attributeOptionCombo="…" | CATEGORY="option"…]>
 *       <dataValue dataElement="…" [categoryOptionCombo="…" | CATEGORY="option"…] value="12"/>
 *       <dataValue dataElement="A_TEXT_ELEMENT" value="0"><annotation>the text</annotation></dataValue>
 *     </group>
 *   </adx>
 *
 * Periods are ISO 8601 start and duration (period.ts reads and writes them). A value's
 * disaggregation is its combo or its categories as attributes, each named by the category and
 * giving the option; the group's attribute option combo likewise. The values of non-numeric
 * elements travel in <annotation> (the `value` attribute is then "0"), which only the import,
 * knowing the element's type, can tell: rows read here keep both.
 *
 * Read safely as the DXF2 XML is (`readXml`: no DTD, no entity, well-formed or refused whole).
 */

export const ADX_NAMESPACE = 'urn:ihe:qrph:adx:2015';

/** DHIS2's default category option combo (and attribute option combo). */
export const DEFAULT_COMBO_UID = 'HllvX50cXC0';

/** Attribute names are read after this prefix, apart from child elements. */
const AT = '@_';

/** Attributes of <group> that are not categories. */
const GROUP_FIELDS = new Set([
  'dataSet',
  'period',
  'orgUnit',
  'attributeOptionCombo',
  'completeDate',
  'exported',
]);

/** Attributes of <dataValue> that are not categories (DHIS2 reads these, ignoring the dates). */
const VALUE_FIELDS = new Set([
  'dataElement',
  'value',
  'categoryOptionCombo',
  'comment',
  'followup',
  'storedBy',
  'created',
  'lastUpdated',
  'deleted',
]);

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The attributes of an element: known fields, and the rest as categories. */
function attributesOf(node: Node, known: Set<string>) {
  const fields: Record<string, string> = {};
  let categories: Record<string, string> | undefined;
  for (const [key, value] of Object.entries(node)) {
    if (!key.startsWith(AT) || typeof value !== 'string') continue;
    const name = key.slice(AT.length);
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    if (known.has(name)) fields[name] = value;
    else (categories ??= {})[name] = value;
  }
  return { fields, categories };
}

/** The text of an <annotation> (the first one), or undefined without one. */
function annotationOf(node: Node): string | undefined {
  let a = node.annotation;
  if (Array.isArray(a)) a = a[0];
  if (a === undefined) return undefined;
  if (typeof a === 'string') return a;
  if (isNode(a)) return typeof a['#text'] === 'string' ? a['#text'] : '';
  return textOf(a);
}

export function parseAdx(text: string): DataValueSetInput {
  const xml = readXml(text, ['group', 'dataValue'], AT);
  const adx = xml.adx;
  if (!isNode(adx) && adx !== '') throw fileInvalid('thiếu phần tử <adx>', 'no <adx> element');
  const values: RawDataValue[] = [];
  let dataSet: string | undefined;
  const groups = isNode(adx) && Array.isArray(adx.group) ? adx.group : [];
  for (const g of groups) {
    const group = isNode(g) ? g : {};
    const { fields: head, categories: attributeCategories } = attributesOf(group, GROUP_FIELDS);
    dataSet ??= head.dataSet;
    const rows = Array.isArray(group.dataValue) ? group.dataValue : [];
    for (const v of rows) {
      const node = isNode(v) ? v : {};
      const { fields, categories } = attributesOf(node, VALUE_FIELDS);
      const annotation = annotationOf(node);
      values.push({
        index: values.length,
        adx: true,
        dataElement: fields.dataElement,
        period: head.period,
        orgUnit: head.orgUnit,
        categoryOptionCombo: fields.categoryOptionCombo,
        attributeOptionCombo: head.attributeOptionCombo,
        value: fields.value,
        comment: fields.comment,
        followup: fields.followup,
        deleted: fields.deleted,
        storedBy: fields.storedBy,
        ...(annotation === undefined ? {} : { annotation }),
        ...(categories ? { categories } : {}),
        ...(attributeCategories && !head.attributeOptionCombo ? { attributeCategories } : {}),
      });
    }
  }
  return { dataSet, values };
}

const isDefault = (combo: string) =>
  combo === 'default' || combo === DEFAULT_COMBO_UID || combo === 'xYerKDKCefk';

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * ADX written piece by piece (see `DataValueSetWriter`): one <group> per run of values of the
 * same period, unit and attribute option combo, in the order they come. Combos that are not
 * the default are written as `categoryOptionCombo` and `attributeOptionCombo` (Opsroom holds a
 * breakdown as its list of combos, without categories to explode them into).
 */
export class AdxLines {
  private group: string | undefined;
  private readonly periods = new Map<string, string>();

  constructor(
    private readonly numeric: (dataElement: string) => boolean,
    private readonly dataSet?: string,
  ) {}

  head(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="${ADX_NAMESPACE}">\n`;
  }

  /** The ADX period of a period id as exported (202201 → 2022-01-01/P1M), once per id. */
  private period(id: string): string {
    let adx = this.periods.get(id);
    if (adx === undefined) this.periods.set(id, (adx = toAdxPeriod(parsePeriod(id))));
    return adx;
  }

  rows(values: DataValueOut[]): string {
    let out = '';
    for (const v of values) {
      const key = `${v.period}\u0001${v.orgUnit}\u0001${v.attributeOptionCombo}`;
      if (key !== this.group) {
        if (this.group !== undefined) out += '  </group>\n';
        this.group = key;
        out += '  <group';
        if (this.dataSet) out += ` dataSet="${xmlAttr(this.dataSet)}"`;
        out += ` period="${xmlAttr(this.period(v.period))}" orgUnit="${xmlAttr(v.orgUnit)}"`;
        if (!isDefault(v.attributeOptionCombo)) {
          out += ` attributeOptionCombo="${xmlAttr(v.attributeOptionCombo)}"`;
        }
        out += '>\n';
      }
      out += `    <dataValue dataElement="${xmlAttr(v.dataElement)}"`;
      if (!isDefault(v.categoryOptionCombo)) {
        out += ` categoryOptionCombo="${xmlAttr(v.categoryOptionCombo)}"`;
      }
      if (v.comment !== undefined && v.comment !== '') out += ` comment="${xmlAttr(v.comment)}"`;
      out += this.numeric(v.dataElement)
        ? ` value="${xmlAttr(v.value)}"/>\n`
        : ` value="0"><annotation>${xmlText(v.value)}</annotation></dataValue>\n`;
    }
    return out;
  }

  /** `note`: a comment to write before the end (a limit reached). */
  tail(note = ''): string {
    const close = this.group === undefined ? '' : '  </group>\n';
    return `${close}${note}</adx>\n`;
  }
}

/**
 * DHIS2's category model behind Opsroom's breakdowns (migration 0012), as an import resolves
 * ADX categories with it: categories and their options by id, each named by uid, code or name.
 */
export interface CategoryModel {
  categories: Map<number, { uid: string; code: string | null; name: string }>;
  /** Category options with the categories they belong to. */
  options: Map<number, { uid: string; code: string | null; name: string; categories: number[] }>;
  /** A breakdown's categories, in order. */
  breakdownCategories: Map<number, number[]>;
  /** Breakdown option ids by `breakdownId:` + their category option ids, sorted, joined by ','. */
  combos: Map<string, number>;
  /** Attribute option ids by their category option ids, sorted, joined by ','. */
  attributes: Map<string, number>;
}

export const emptyCategoryModel = (): CategoryModel => ({
  categories: new Map(),
  options: new Map(),
  breakdownCategories: new Map(),
  combos: new Map(),
  attributes: new Map(),
});

const names = (x: { uid: string; code: string | null; name: string }, given: string) =>
  x.uid === given || x.code === given || x.name === given;

/** The category (attribute name) given for a category, by its uid, code or name. */
function givenFor(
  category: { uid: string; code: string | null; name: string },
  given: Record<string, string>,
): string | undefined {
  for (const id of [category.code, category.uid, category.name]) {
    if (id !== null && given[id] !== undefined) return given[id];
  }
  return undefined;
}

export type CategoryAnswer =
  | { id: number }
  | { problem: { vi: string; en: string } }
  /** No categories to read (a breakdown without them, as DHIS2's default combo). */
  | undefined;

/**
 * The option of a category named by `given`, by its uid, code or name: one of the category's
 * options.
 */
function optionOf(model: CategoryModel, categoryId: number, given: string): number | undefined {
  for (const [id, o] of model.options) {
    if (o.categories.includes(categoryId) && names(o, given)) return id;
  }
  return undefined;
}

/**
 * The breakdown option (DHIS2's category option combo) a value's ADX categories name: every
 * category of the element's breakdown must be given (by its code, uid or name), each with one
 * of its options (by uid, code or name), and the options together must make one of the
 * breakdown's options. Attributes that name no category of the breakdown are left aside, as
 * DHIS2 leaves them.
 */
export function comboByCategories(
  model: CategoryModel,
  breakdownId: number,
  given: Record<string, string>,
): CategoryAnswer {
  const categories = model.breakdownCategories.get(breakdownId) ?? [];
  const real = categories.filter((c) => model.categories.get(c)?.code !== 'default');
  if (real.length === 0) return undefined;
  const parts: number[] = [];
  for (const c of real) {
    const category = model.categories.get(c)!;
    const value = givenFor(category, given);
    if (value === undefined) {
      return {
        problem: {
          vi: `Thiếu nhóm phân tổ "${category.code ?? category.name}" (thuộc tính của dataValue)`,
          en: `The category "${category.code ?? category.name}" is missing (an attribute of dataValue)`,
        },
      };
    }
    const option = optionOf(model, c, value);
    if (option === undefined) return noOption(category, value);
    parts.push(option);
  }
  const id = model.combos.get(`${breakdownId}:${parts.sort((a, b) => a - b).join(',')}`);
  if (id === undefined) {
    return {
      problem: {
        vi: `Không có phân tổ gồm ${Object.values(given).join(', ')}`,
        en: `No category option combo is made of ${Object.values(given).join(', ')}`,
      },
    };
  }
  return { id };
}

/** A category asked for with a value that is none of its options. */
function noOption(category: { code?: string | null; name: string }, value: string) {
  return {
    problem: {
      vi: `Nhóm "${category.code ?? category.name}" không có lựa chọn "${value}"`,
      en: `The category "${category.code ?? category.name}" has no option "${value}"`,
    },
  };
}

/**
 * The attribute option (DHIS2's attribute option combo) an ADX group's categories name: the
 * options of the categories given (attributes naming no category are left aside) must make
 * one attribute option.
 */
export function attributeByCategories(
  model: CategoryModel,
  given: Record<string, string>,
): CategoryAnswer {
  const parts: number[] = [];
  for (const [categoryId, category] of model.categories) {
    if (category.code === 'default') continue;
    const value = givenFor(category, given);
    if (value === undefined) continue;
    const option = optionOf(model, categoryId, value);
    if (option === undefined) return noOption(category, value);
    parts.push(option);
  }
  if (parts.length === 0) return undefined;
  const id = model.attributes.get(parts.sort((a, b) => a - b).join(','));
  if (id === undefined) {
    return {
      problem: {
        vi: `Không có thuộc tính gồm ${Object.values(given).join(', ')}`,
        en: `No attribute option combo is made of ${Object.values(given).join(', ')}`,
      },
    };
  }
  return { id };
}
