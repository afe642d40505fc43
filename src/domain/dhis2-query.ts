import { AppError } from './errors.ts';

/**
 * DHIS2's metadata query language as its Web API reads it — `fields`, `filter`, `rootJunction`,
 * `order`, `query`, `paging`/`page`/`pageSize` — over plain objects described by a schema. Pure:
 * the service builds the objects and a store to look references up in; nothing here reads a
 * database. Written from DHIS2's documentation (metadata.md: "Metadata object filter", "Metadata
 * field filter") and observed behaviour; no DHIS2 code.
 */

// ---------------------------------------------------------------------------------------------
// Schemas and objects

/**
 * A property: a simple value (string unless said), a reference to one object of a type (stored
 * as its id), a collection of references (stored as ids), or objects embedded in the object
 * (`dataSetElements`, `translations`), stored as they are.
 */
export type Property =
  | { kind: 'simple'; type?: 'number' | 'boolean' }
  | { kind: 'ref'; type: string }
  | { kind: 'refs'; type: string }
  | { kind: 'embedded'; schema: string; many: boolean };

export interface Schema {
  /** In the order `*` renders them. */
  properties: Readonly<Record<string, Property>>;
}

export type Schemas = Readonly<Record<string, Schema>>;

export type Dhis2Object = Record<string, unknown>;

/** Where references are looked up: by type (the schema name) and id. */
export interface Store {
  get(type: string, id: string): Dhis2Object | undefined;
  /** Looked up already: present, or known to be absent (or hidden from the caller). */
  has(type: string, id: string): boolean;
}

export interface Context {
  schemas: Schemas;
  store: Store;
}

const schemaOf = (schemas: Schemas, name: string): Schema => {
  const s = schemas[name];
  if (!s) throw new Error(`no DHIS2 schema ${name}`);
  return s;
};

/** DHIS2 answers a query it cannot read with 409 Conflict (its QueryParserException). */
function queryError(en: string, vi: string, details: Record<string, unknown>): AppError {
  return new AppError('conflict', { vi, en }, { errorCode: 'E2014', ...details });
}

// ---------------------------------------------------------------------------------------------
// fields

export interface Field {
  /** A property, or a preset: `*`, `:all`, `:identifiable`, `:nameable`, `:simple`… */
  name: string;
  /** `!name` or `-name`: left out. */
  exclude: boolean;
  /** `name~rename(label)`, `children~size`, `children~pluck`… */
  transforms: { name: string; args: string[] }[];
  /** `children[id,name]`; undefined when the field has no brackets. */
  children?: Field[];
}

const isNameChar = (c: string) => /[A-Za-z0-9_.-]/.test(c);
const isTransformMarker = (c: string) => c === ':' || c === '~' || c === '@' || c === '|';

function fieldsError(text: string, at: number, expected: string): AppError {
  const found = at >= text.length ? 'the end' : `"${text[at]}"`;
  return new AppError(
    'bad_request',
    {
      vi: `Tham số fields sai ở vị trí ${at + 1}: cần ${expected}, gặp ${found === 'the end' ? 'hết chuỗi' : found}`,
      en: `Invalid fields at position ${at + 1}: expected ${expected}, found ${found}`,
    },
    { fields: text, position: at + 1 },
  );
}

/**
 * Reads DHIS2's `fields` parameter: `id,name,children[id,name]`, `*`, `:all`, `!code`,
 * `name~rename(label)`, `children~size`, nested to any depth; `(` `)` nest as `[` `]` do.
 * An empty entry (a trailing comma) is ignored, as DHIS2 does.
 */
export function parseFields(text: string): Field[] {
  let i = 0;
  const skipSpace = () => {
    while (text[i] === ' ') i++;
  };
  const name = (): string => {
    const s = i;
    while (i < text.length && isNameChar(text[i]!)) i++;
    return text.slice(s, i);
  };
  const list = (nested: boolean): Field[] => {
    const out: Field[] = [];
    while (i < text.length) {
      skipSpace();
      const c = text[i];
      if (c === undefined) break;
      if (c === ',') {
        i++;
        continue;
      }
      if (nested && (c === ']' || c === ')')) break;
      const start = i;
      let markers = '';
      while (i < text.length && ':*!-'.includes(text[i]!)) markers += text[i++];
      const rest = name();
      if (markers === '' && rest === '') throw fieldsError(text, start, 'a field name');
      const exclude = markers.startsWith('!') || markers.startsWith('-');
      const field: Field = {
        name: exclude ? (markers.slice(1) + rest).replace(/^[!-]+/, '') : markers + rest,
        exclude,
        transforms: [],
      };
      while (i < text.length && isTransformMarker(text[i]!)) {
        const marker = text[i++]!;
        if (text[i] === marker) i++;
        const t = name();
        if (!t) throw fieldsError(text, i, 'a transformer name');
        const args: string[] = [];
        if (text[i] === '(') {
          i++;
          while (i < text.length && text[i] !== ')') {
            const a = name();
            if (!a) throw fieldsError(text, i, 'an argument');
            args.push(a);
            if (text[i] === ',' || text[i] === ';') i++;
            else if (text[i] !== ')') throw fieldsError(text, i, '")"');
          }
          if (text[i] !== ')') throw fieldsError(text, i, '")"');
          i++;
        }
        field.transforms.push({ name: t, args });
      }
      skipSpace();
      if (text[i] === '[' || text[i] === '(') {
        i++;
        field.children = list(true);
        if (i < text.length) {
          if (text[i] !== ']' && text[i] !== ')') throw fieldsError(text, i, '"]"');
          i++;
        }
      }
      out.push(field);
      skipSpace();
      if (i < text.length && text[i] !== ',' && !(nested && (text[i] === ']' || text[i] === ')')))
        throw fieldsError(text, i, '","');
    }
    return out;
  };
  const fields = list(false);
  if (i < text.length) throw fieldsError(text, i, '","');
  return fields;
}

/** Presets: DHIS2's names, with `*` and `:all` (and `:owner`, `:persisted`) as every property. */
function preset(name: string, schema: Schema): string[] | undefined {
  const all = Object.keys(schema.properties);
  const having = (names: string[]) => names.filter((n) => n in schema.properties);
  switch (name) {
    case '*':
    case ':*':
    case ':all':
    case ':owner':
    case ':persisted':
      return all;
    case ':simple':
      return all.filter((n) => schema.properties[n]!.kind === 'simple');
    case ':identifiable':
      return having(['id', 'name', 'code', 'created', 'lastUpdated', 'lastUpdatedBy']);
    case ':nameable':
      return having(['id', 'name', 'shortName', 'description', 'code', 'created', 'lastUpdated']);
    case ':id':
      return having(['id']);
    case ':code':
      return having(['code']);
    case ':idName':
      return having(['id', 'displayName']);
  }
  return name.startsWith(':') || name === '*' ? [] : undefined;
}

export const STAR: readonly Field[] = [{ name: '*', exclude: false, transforms: [] }];
/** What a list shows without `fields`: DHIS2's default preset, id and displayName. */
export const LIST_DEFAULT: readonly Field[] = parseFields('id,displayName');

/** The fields to write for one object: presets expanded, explicit fields over them, exclusions last. */
function expand(fields: readonly Field[], schema: Schema): Map<string, Field> {
  const out = new Map<string, Field>();
  for (const f of fields) {
    if (f.exclude) continue;
    const names = preset(f.name, schema);
    if (names) {
      for (const n of names)
        if (!out.has(n)) out.set(n, { name: n, exclude: false, transforms: [] });
      continue;
    }
    const before = out.get(f.name);
    // `children[id],children[name]` is children[id,name].
    if (before?.children && f.children)
      out.set(f.name, { ...f, children: [...before.children, ...f.children] });
    else out.set(f.name, f);
  }
  for (const f of fields) if (f.exclude && !preset(f.name, schema)) out.delete(f.name);
  return out;
}

/** Writes an object with the fields asked: references as `{id}` unless fields are nested in them. */
export function render(
  obj: Dhis2Object,
  schemaName: string,
  fields: readonly Field[],
  ctx: Context,
): Dhis2Object {
  const schema = schemaOf(ctx.schemas, schemaName);
  const out: Dhis2Object = {};
  for (const [name, field] of expand(fields, schema)) {
    const prop = schema.properties[name];
    if (!prop) continue; // DHIS2 leaves out what the type does not have
    const raw = obj[name];
    let key = name;
    let value = renderValue(prop, raw, field.children, ctx);
    for (const t of field.transforms) {
      const arg = t.args[0];
      switch (t.name) {
        case 'rename':
          if (arg) key = arg;
          break;
        case 'size':
          value = Array.isArray(raw) ? raw.length : typeof raw === 'string' ? raw.length : 0;
          break;
        case 'isEmpty':
          value = raw === null || raw === undefined || (Array.isArray(raw) && raw.length === 0);
          break;
        case 'isNotEmpty':
          value = !(raw === null || raw === undefined || (Array.isArray(raw) && raw.length === 0));
          break;
        case 'pluck':
          value = pluck(prop, raw, arg ?? 'id', ctx);
          break;
      }
    }
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function renderRef(
  type: string,
  id: string,
  children: readonly Field[] | undefined,
  ctx: Context,
): Dhis2Object {
  if (!children || children.length === 0) return { id };
  const target = ctx.store.get(type, id);
  return target ? render(target, type, children, ctx) : { id };
}

function renderValue(
  prop: Property,
  raw: unknown,
  children: readonly Field[] | undefined,
  ctx: Context,
): unknown {
  if (raw === null || raw === undefined) return undefined;
  switch (prop.kind) {
    case 'simple':
      return raw;
    case 'ref':
      return renderRef(prop.type, raw as string, children, ctx);
    case 'refs':
      return (raw as string[]).map((id) => renderRef(prop.type, id, children, ctx));
    case 'embedded': {
      const fields = children && children.length ? children : STAR;
      return prop.many
        ? (raw as Dhis2Object[]).map((x) => render(x, prop.schema, fields, ctx))
        : render(raw as Dhis2Object, prop.schema, fields, ctx);
    }
  }
}

function pluck(prop: Property, raw: unknown, field: string, ctx: Context): unknown {
  if (raw === null || raw === undefined) return undefined;
  const one = (type: string, id: string) =>
    field === 'id' ? id : ctx.store.get(type, id)?.[field];
  if (prop.kind === 'ref') return one(prop.type, raw as string);
  if (prop.kind === 'refs') return (raw as string[]).map((id) => one(prop.type, id));
  if (prop.kind === 'embedded' && prop.many) return (raw as Dhis2Object[]).map((x) => x[field]);
  return raw;
}

// ---------------------------------------------------------------------------------------------
// filter

export const OPERATORS = [
  'eq',
  'ieq',
  '!eq',
  'neq',
  'ne',
  'gt',
  'lt',
  'gte',
  'ge',
  'lte',
  'le',
  'like',
  '!like',
  '$like',
  '!$like',
  'like$',
  '!like$',
  'ilike',
  '!ilike',
  '$ilike',
  'startsWith',
  '!$ilike',
  'ilike$',
  'endsWith',
  '!ilike$',
  'token',
  '!token',
  'in',
  '!in',
  'null',
  '!null',
  'empty',
  '!empty',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Filter {
  /** As given: `parent.id:eq:abc`. */
  text: string;
  path: string[];
  op: Operator;
  /** The value after the operator (`in`: the list in brackets, split). */
  value?: string;
  values?: string[];
  /** The type of the last property on the path, for comparing. */
  type: 'string' | 'number' | 'boolean';
}

/** Where a filter parameter starts: `name:op` (DHIS2's property names and operator characters). */
const FILTER_START = /^[A-Za-z0-9.]+:[!$A-Za-z]{2,10}(?::|$)/;

/**
 * DHIS2 accepts several filters in one parameter, separated by commas (a value in `[…]` may hold
 * commas, and so may a value when what follows the comma is not another filter).
 */
export function splitFilters(params: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of params) {
    if (!p.includes(',')) {
      if (p) out.push(p);
      continue;
    }
    let depth = 0;
    let start = 0;
    for (let i = 0; i < p.length; i++) {
      const c = p[i];
      if (c === '[') depth++;
      else if (c === ']') depth = Math.max(0, depth - 1);
      else if (c === ',' && depth === 0 && FILTER_START.test(p.slice(i + 1))) {
        out.push(p.slice(start, i));
        start = i + 1;
      }
    }
    out.push(p.slice(start));
  }
  return out.filter((f) => f.length > 0);
}

/** The property at each step of a path (`parent.id`, `dataSetElements.dataElement.id`). */
function walkPath(path: string[], schemaName: string, schemas: Schemas, text: string): Property {
  let schema = schemaOf(schemas, schemaName);
  let prop: Property | undefined;
  for (const [i, seg] of path.entries()) {
    prop = schema.properties[seg];
    if (!prop)
      throw queryError(
        `Unknown path property: ${path.join('.')}`,
        `Không có thuộc tính ${path.join('.')} trong bộ lọc ${text}`,
        { filter: text },
      );
    if (i === path.length - 1) break;
    if (prop.kind === 'simple')
      throw queryError(
        `Simple type was found before finished parsing path expression: ${path.join('.')}`,
        `Thuộc tính ${seg} là giá trị đơn, không đi tiếp được: ${path.join('.')}`,
        { filter: text },
      );
    schema = schemaOf(schemas, prop.kind === 'embedded' ? prop.schema : prop.type);
  }
  return prop!;
}

/** One filter, `property:operator[:value]`, checked against the schema. */
export function parseFilter(text: string, schemaName: string, schemas: Schemas): Filter {
  const parts = text.split(':');
  if (parts.length < 2 || !parts[0] || !parts[1])
    throw queryError(`Invalid filter => ${text}`, `Bộ lọc không hợp lệ: ${text}`, {
      filter: text,
    });
  const [pathText, op] = parts as [string, string];
  const value = parts.length > 2 ? parts.slice(2).join(':') : undefined;
  if (!(OPERATORS as readonly string[]).includes(op))
    throw queryError(
      `\`${op}\` is not a valid operator.`,
      `\`${op}\` không phải toán tử lọc hợp lệ.`,
      { filter: text },
    );
  const path = pathText.split('.');
  const prop = walkPath(path, schemaName, schemas, text);
  const type = prop.kind === 'simple' ? (prop.type ?? 'string') : 'string';
  const needsValue = !['null', '!null', 'empty', '!empty'].includes(op);
  if (needsValue && value === undefined)
    throw queryError(`Filter ${text} needs a value`, `Bộ lọc ${text} thiếu giá trị`, {
      filter: text,
    });
  const filter: Filter = { text, path, op: op as Operator, type };
  if (op === 'in' || op === '!in') {
    const inner = value!.replace(/^\[/, '').replace(/\]$/, '');
    const values = inner.split(',').filter((v) => v.length > 0);
    if (values.length === 0)
      throw queryError(
        `Invalid argument \`${value}\` for in operator.`,
        `Giá trị \`${value}\` không dùng được với toán tử in.`,
        { filter: text },
      );
    filter.values = values;
    values.forEach((v) => checkType(v, type, text));
  } else if (value !== undefined) {
    filter.value = value;
    if (['eq', '!eq', 'neq', 'ne', 'gt', 'lt', 'gte', 'ge', 'lte', 'le'].includes(op))
      checkType(value, type, text);
  }
  return filter;
}

function checkType(value: string, type: Filter['type'], text: string) {
  if (type === 'number' && !Number.isFinite(Number(value)))
    throw queryError(
      `Unable to parse \`${value}\` as a number in filter ${text}`,
      `\`${value}\` không phải số (bộ lọc ${text})`,
      { filter: text },
    );
  if (type === 'boolean' && value !== 'true' && value !== 'false')
    throw queryError(
      `Unable to parse \`${value}\` as true or false in filter ${text}`,
      `\`${value}\` không phải true hoặc false (bộ lọc ${text})`,
      { filter: text },
    );
}

/** The values at the end of a path, through references and collections (nulls left out). */
export function valuesAt(
  obj: Dhis2Object,
  schemaName: string,
  path: readonly string[],
  ctx: Context,
): unknown[] {
  const [seg, ...rest] = path;
  if (seg === undefined) return [];
  const prop = schemaOf(ctx.schemas, schemaName).properties[seg];
  const raw = obj[seg];
  if (!prop || raw === null || raw === undefined) return [];
  switch (prop.kind) {
    case 'simple':
      return rest.length ? [] : [raw];
    case 'ref':
    case 'refs': {
      const ids = prop.kind === 'ref' ? [raw as string] : (raw as string[]);
      if (rest.length === 0 || (rest.length === 1 && rest[0] === 'id')) return ids;
      return ids.flatMap((id) => {
        const target = ctx.store.get(prop.type, id);
        return target ? valuesAt(target, prop.type, rest, ctx) : [];
      });
    }
    case 'embedded': {
      const items = prop.many ? (raw as Dhis2Object[]) : [raw as Dhis2Object];
      if (rest.length === 0) return items;
      return items.flatMap((x) => valuesAt(x, prop.schema, rest, ctx));
    }
  }
}

const lower = (v: unknown) => String(v).toLowerCase();
const words = (s: string) => s.toLowerCase().split(/\s+/).filter(Boolean);

function typed(v: string, type: Filter['type']): unknown {
  return type === 'number' ? Number(v) : type === 'boolean' ? v === 'true' : v;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether one value satisfies a positive operator. */
function test(v: unknown, f: Filter, op: string): boolean {
  const arg = f.value === undefined ? undefined : typed(f.value, f.type);
  const s = String(v);
  const a = f.value ?? '';
  switch (op) {
    case 'eq':
      return v === arg || (typeof v !== typeof arg && s === a);
    case 'ieq':
      return lower(v) === lower(a);
    case 'gt':
      return compare(v, arg) > 0;
    case 'lt':
      return compare(v, arg) < 0;
    case 'gte':
    case 'ge':
      return compare(v, arg) >= 0;
    case 'lte':
    case 'le':
      return compare(v, arg) <= 0;
    case 'like':
      return s.includes(a);
    case '$like':
      return s.startsWith(a);
    case 'like$':
      return s.endsWith(a);
    case 'ilike':
      return lower(s).includes(lower(a));
    case '$ilike':
    case 'startsWith':
      return lower(s).startsWith(lower(a));
    case 'ilike$':
    case 'endsWith':
      return lower(s).endsWith(lower(a));
    case 'token': {
      const have = words(s);
      return words(a).every((w) => have.some((h) => h.startsWith(w)));
    }
    case 'in':
      return (f.values ?? []).some((x) => {
        const t = typed(x, f.type);
        return v === t || s === x;
      });
  }
  return false;
}

const NEGATED: Record<string, string> = {
  '!eq': 'eq',
  neq: 'eq',
  ne: 'eq',
  '!like': 'like',
  '!$like': '$like',
  '!like$': 'like$',
  '!ilike': 'ilike',
  '!$ilike': '$ilike',
  '!ilike$': 'ilike$',
  '!token': 'token',
  '!in': 'in',
};

/**
 * Whether an object passes one filter. On a collection (`organisationUnits.id:eq:x`) a positive
 * operator holds when one member satisfies it, a negated one (`!eq`, `!in`, `!like`…) when none
 * does; `null`/`empty` hold when nothing is there.
 */
export function passes(obj: Dhis2Object, schemaName: string, f: Filter, ctx: Context): boolean {
  const values = valuesAt(obj, schemaName, f.path, ctx);
  switch (f.op) {
    case 'null':
    case 'empty':
      return values.length === 0;
    case '!null':
    case '!empty':
      return values.length > 0;
  }
  const positive = NEGATED[f.op];
  if (positive) return !values.some((v) => test(v, f, positive));
  return values.some((v) => test(v, f, f.op));
}

// ---------------------------------------------------------------------------------------------
// order

export interface Order {
  property: string;
  desc: boolean;
  ignoreCase: boolean;
}

/**
 * `order=name:asc`, `order=level:desc,name:iasc` (or repeated). Only simple properties order, as
 * in DHIS2, which ignores the others; without any, DHIS2's default: name (ignoring case), then id.
 */
export function parseOrders(params: readonly string[], schemaName: string, schemas: Schemas) {
  const schema = schemaOf(schemas, schemaName);
  const simple = (p: string) => schema.properties[p]?.kind === 'simple';
  const out: Order[] = [];
  for (const item of params.flatMap((p) => p.split(','))) {
    const [property = '', dir = 'asc'] = item.trim().split(':');
    if (!simple(property)) continue;
    const d = dir.toLowerCase();
    out.push({ property, desc: d === 'desc' || d === 'idesc', ignoreCase: d.startsWith('i') });
  }
  if (out.length === 0) {
    if (simple('name')) out.push({ property: 'name', desc: false, ignoreCase: true });
    if (simple('id')) out.push({ property: 'id', desc: false, ignoreCase: false });
  }
  return out;
}

/** Sorts by the orders (missing values last ascending, first descending); stable. */
export function sortObjects<T extends Dhis2Object>(objs: readonly T[], orders: readonly Order[]) {
  return [...objs].sort((x, y) => {
    for (const o of orders) {
      let a = x[o.property];
      let b = y[o.property];
      const na = a === null || a === undefined;
      const nb = b === null || b === undefined;
      let c: number;
      if (na || nb) c = na === nb ? 0 : na ? 1 : -1;
      else {
        if (o.ignoreCase && typeof a === 'string' && typeof b === 'string') {
          a = a.toLowerCase();
          b = b.toLowerCase();
        }
        c = compare(a, b);
      }
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// paging and the whole query

export interface Paging {
  paging: boolean;
  page: number;
  pageSize: number;
}

export interface Pager {
  page: number;
  total: number;
  pageSize: number;
  pageCount: number;
}

export const DEFAULT_PAGE_SIZE = 50;

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n))
    throw new AppError(
      'bad_request',
      {
        vi: `Tham số ${name} phải là số nguyên, không phải "${raw}"`,
        en: `Value '${raw}' is not valid for parameter ${name}. It should be of type int`,
      },
      { errorCode: 'E1003', parameter: name },
    );
  return n;
}

/** DHIS2's paging: on by default, page 1 (a page below 1 is page 1), 50 a page. */
export function parsePaging(p: { paging?: string; page?: string; pageSize?: string }): Paging {
  const pageSize = positiveInt('pageSize', p.pageSize, DEFAULT_PAGE_SIZE);
  if (pageSize < 1)
    throw new AppError(
      'bad_request',
      {
        vi: 'pageSize phải lớn hơn 0',
        en: 'pageSize must be greater than zero',
      },
      { errorCode: 'E1003', parameter: 'pageSize' },
    );
  return {
    paging: p.paging?.toLowerCase() !== 'false',
    page: Math.max(1, positiveInt('page', p.page, 1)),
    pageSize,
  };
}

export function pageOf<T>(items: readonly T[], p: Paging): { items: T[]; pager?: Pager } {
  if (!p.paging) return { items: [...items] };
  const from = (p.page - 1) * p.pageSize;
  return {
    items: items.slice(from, from + p.pageSize),
    pager: {
      page: p.page,
      total: items.length,
      pageSize: p.pageSize,
      pageCount: Math.ceil(items.length / p.pageSize),
    },
  };
}

export interface MetadataQuery {
  fields: readonly Field[];
  filters: Filter[];
  rootJunction: 'AND' | 'OR';
  orders: Order[];
  /** DHIS2's `query=`: id or code equal, or name containing it (ignoring case). */
  query?: string;
  paging: Paging;
  /** `defaults=EXCLUDE`: leave the default category objects out. */
  excludeDefaults: boolean;
}

/** The parameters of a metadata list or object, as a query; `one` is a single object (default `*`). */
export function parseMetadataQuery(
  params: { get(name: string): string | undefined; all(name: string): string[] },
  schemaName: string,
  schemas: Schemas,
  one = false,
): MetadataQuery {
  const fieldsText = params.all('fields').join(',');
  const junction = (params.get('rootJunction') ?? 'AND').toUpperCase();
  return {
    fields: fieldsText.trim() ? parseFields(fieldsText) : one ? STAR : LIST_DEFAULT,
    filters: splitFilters(params.all('filter')).map((f) => parseFilter(f, schemaName, schemas)),
    rootJunction: junction === 'OR' ? 'OR' : 'AND',
    orders: parseOrders(params.all('order'), schemaName, schemas),
    query: params.get('query') || undefined,
    paging: parsePaging({
      paging: params.get('paging'),
      page: params.get('page'),
      pageSize: params.get('pageSize'),
    }),
    excludeDefaults: params.get('defaults')?.toUpperCase() === 'EXCLUDE',
  };
}

/** Whether an object passes every filter (or one, with rootJunction=OR) and `query`. */
export function selects(
  obj: Dhis2Object,
  schemaName: string,
  q: Pick<MetadataQuery, 'filters' | 'rootJunction' | 'query'>,
  ctx: Context,
): boolean {
  if (q.query !== undefined) {
    const s = q.query.toLowerCase();
    const hit = obj.id === q.query || obj.code === q.query || lower(obj.name ?? '').includes(s);
    if (!hit) return false;
  }
  if (q.filters.length === 0) return true;
  return q.rootJunction === 'OR'
    ? q.filters.some((f) => passes(obj, schemaName, f, ctx))
    : q.filters.every((f) => passes(obj, schemaName, f, ctx));
}

/** Filters, orders, pages and renders a list, as DHIS2's metadata lists do. */
export function runQuery(
  objs: readonly Dhis2Object[],
  schemaName: string,
  q: MetadataQuery,
  ctx: Context,
): { items: Dhis2Object[]; pager?: Pager } {
  const kept = objs.filter((o) => selects(o, schemaName, q, ctx));
  const page = pageOf(sortObjects(kept, q.orders), q.paging);
  return { ...page, items: page.items.map((o) => render(o, schemaName, q.fields, ctx)) };
}

// ---------------------------------------------------------------------------------------------
// What a query will look up

/**
 * The references that filtering and rendering these objects will follow and that the store has
 * not looked up yet, by type: the service loads them (org units are read on demand) and asks
 * again until nothing is missing.
 */
export function missingRefs(
  objs: readonly Dhis2Object[],
  schemaName: string,
  q: Pick<MetadataQuery, 'filters' | 'fields'>,
  ctx: Context,
): Map<string, Set<string>> {
  const missing = new Map<string, Set<string>>();
  const note = (type: string, id: string) => {
    let s = missing.get(type);
    if (!s) missing.set(type, (s = new Set()));
    s.add(id);
  };
  const seen = new Set<string>();
  const follow = (obj: Dhis2Object, type: string, fields: readonly Field[]) => {
    const key = `${type}\u0000${String(obj.id)}\u0000${fieldsKey(fields)}`;
    if (obj.id !== undefined && seen.has(key)) return;
    seen.add(key);
    const schema = schemaOf(ctx.schemas, type);
    for (const [name, field] of expand(fields, schema)) {
      const prop = schema.properties[name];
      const raw = obj[name];
      if (!prop || raw === null || raw === undefined) continue;
      const wantsObject =
        (field.children && field.children.length > 0) ||
        field.transforms.some((t) => t.name === 'pluck' && t.args[0] && t.args[0] !== 'id');
      if ((prop.kind === 'ref' || prop.kind === 'refs') && wantsObject) {
        const ids = prop.kind === 'ref' ? [raw as string] : (raw as string[]);
        for (const id of ids) {
          const target = ctx.store.get(prop.type, id);
          if (target) follow(target, prop.type, field.children ?? []);
          else if (!ctx.store.has(prop.type, id)) note(prop.type, id);
        }
      } else if (prop.kind === 'embedded') {
        const items = prop.many ? (raw as Dhis2Object[]) : [raw as Dhis2Object];
        const fs = field.children && field.children.length ? field.children : STAR;
        for (const x of items) follow(x, prop.schema, fs);
      }
    }
  };
  const along = (obj: Dhis2Object, type: string, path: readonly string[]) => {
    const [seg, ...rest] = path;
    if (seg === undefined || rest.length === 0 || (rest.length === 1 && rest[0] === 'id')) return;
    const prop = schemaOf(ctx.schemas, type).properties[seg];
    const raw = obj[seg];
    if (!prop || raw === null || raw === undefined) return;
    if (prop.kind === 'ref' || prop.kind === 'refs') {
      const ids = prop.kind === 'ref' ? [raw as string] : (raw as string[]);
      for (const id of ids) {
        const target = ctx.store.get(prop.type, id);
        if (target) along(target, prop.type, rest);
        else if (!ctx.store.has(prop.type, id)) note(prop.type, id);
      }
    } else if (prop.kind === 'embedded') {
      const items = prop.many ? (raw as Dhis2Object[]) : [raw as Dhis2Object];
      for (const x of items) along(x, prop.schema, rest);
    }
  };
  for (const o of objs) {
    for (const f of q.filters) along(o, schemaName, f.path);
    follow(o, schemaName, q.fields);
  }
  return missing;
}

function fieldsKey(fields: readonly Field[]): string {
  return fields
    .map(
      (f) =>
        `${f.exclude ? '!' : ''}${f.name}${f.transforms.map((t) => `~${t.name}(${t.args.join(',')})`).join('')}${f.children ? `[${fieldsKey(f.children)}]` : ''}`,
    )
    .join(',');
}

/**
 * Whether a query may read one of these properties at any depth (a field, a preset showing
 * every property, a filter or an order): the service computes the costly ones only then.
 */
export function mentions(
  q: Pick<MetadataQuery, 'fields' | 'filters' | 'orders'>,
  names: readonly string[],
): boolean {
  const inFields = (fs: readonly Field[]): boolean =>
    fs.some(
      (f) =>
        (!f.exclude &&
          (names.includes(f.name) ||
            ['*', ':*', ':all', ':owner', ':persisted'].includes(f.name))) ||
        (f.children !== undefined && inFields(f.children)),
    );
  return (
    inFields(q.fields) ||
    q.filters.some((f) => f.path.some((p) => names.includes(p))) ||
    q.orders.some((o) => names.includes(o.property))
  );
}
