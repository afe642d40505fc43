import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors.ts';
import {
  missingRefs,
  mentions,
  parseFields,
  parseFilter,
  parseMetadataQuery,
  parseOrders,
  parsePaging,
  render,
  runQuery,
  splitFilters,
  type Context,
  type Dhis2Object,
  type Schemas,
} from './dhis2-query.ts';

// A small tree: a nation, two provinces, three communes; a data set assigned to two communes.
const SCHEMAS: Schemas = {
  units: {
    properties: {
      id: { kind: 'simple' },
      code: { kind: 'simple' },
      name: { kind: 'simple' },
      displayName: { kind: 'simple' },
      level: { kind: 'simple', type: 'number' },
      leaf: { kind: 'simple', type: 'boolean' },
      path: { kind: 'simple' },
      parent: { kind: 'ref', type: 'units' },
      children: { kind: 'refs', type: 'units' },
      translations: { kind: 'embedded', schema: 'translation', many: true },
    },
  },
  sets: {
    properties: {
      id: { kind: 'simple' },
      name: { kind: 'simple' },
      organisationUnits: { kind: 'refs', type: 'units' },
    },
  },
  translation: {
    properties: { locale: { kind: 'simple' }, value: { kind: 'simple' } },
  },
};

const unit = (
  id: string,
  name: string,
  level: number,
  parent: string | null,
  children: string[],
) => ({
  id,
  code: id.toUpperCase(),
  name,
  displayName: name,
  level,
  leaf: children.length === 0,
  path: parent ? `/vn${parent === 'vn' ? '' : `/${parent}`}/${id}` : `/${id}`,
  parent,
  children,
  translations: [{ locale: 'en', value: `${name} (en)` }],
});

const UNITS: Dhis2Object[] = [
  unit('vn', 'Việt Nam', 1, null, ['hn', 'hcm']),
  unit('hn', 'Hà Nội', 2, 'vn', ['ba']),
  unit('hcm', 'Hồ Chí Minh', 2, 'vn', ['sg', 'bn']),
  unit('ba', 'Ba Đình', 3, 'hn', []),
  unit('sg', 'Sài Gòn', 3, 'hcm', []),
  unit('bn', 'Bến Nghé', 3, 'hcm', []),
];
const SET: Dhis2Object = { id: 'ds', name: 'Daily', organisationUnits: ['sg', 'ba'] };

function ctx(objs: Dhis2Object[] = UNITS): Context {
  const byId = new Map(objs.map((o) => [o.id as string, o]));
  return {
    schemas: SCHEMAS,
    store: {
      get: (type, id) => (type === 'units' ? byId.get(id) : id === 'ds' ? SET : undefined),
      has: (type, id) => (type === 'units' ? byId.has(id) : id === 'ds'),
    },
  };
}

/** Query parameters as a URL gives them. */
function params(qs: string) {
  const p = new URLSearchParams(qs);
  return { get: (n: string) => p.get(n) ?? undefined, all: (n: string) => p.getAll(n) };
}

const list = (qs: string) =>
  runQuery(UNITS, 'units', parseMetadataQuery(params(qs), 'units', SCHEMAS), ctx());
const ids = (qs: string) => list(qs).items.map((x) => x.id);

function refused(fn: () => unknown, status: number, fragment: RegExp): AppError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.status, status);
    assert.match(e.messages.en, fragment);
    assert.ok(e.messages.vi.length > 0);
    return e;
  }
  assert.fail('expected an error');
}

describe('DHIS2 fields', () => {
  it('reads nested fields, presets, exclusions and transformers', () => {
    assert.deepEqual(parseFields('id,name,children[id,name]'), [
      { name: 'id', exclude: false, transforms: [] },
      { name: 'name', exclude: false, transforms: [] },
      {
        name: 'children',
        exclude: false,
        transforms: [],
        children: [
          { name: 'id', exclude: false, transforms: [] },
          { name: 'name', exclude: false, transforms: [] },
        ],
      },
    ]);
    const f = parseFields(':all,!code,children(id,parent[name]),name~rename(label),children::size');
    assert.deepEqual(
      f.map((x) => [x.name, x.exclude]),
      [
        [':all', false],
        ['code', true],
        ['children', false],
        ['name', false],
        ['children', false],
      ],
    );
    assert.deepEqual(f[3]!.transforms, [{ name: 'rename', args: ['label'] }]);
    assert.deepEqual(f[4]!.transforms, [{ name: 'size', args: [] }]);
    assert.equal(f[2]!.children![1]!.children![0]!.name, 'name');
    assert.deepEqual(parseFields('id,,name,'), parseFields('id,name'), 'empty entries are ignored');
    assert.deepEqual(parseFields('id, name'), parseFields('id,name'));
  });

  it('refuses what is not the grammar, saying where', () => {
    const e = refused(() => parseFields('id,name]x'), 400, /position 8/);
    assert.equal((e.details as { position: number }).position, 8);
    refused(() => parseFields('children[id}'), 400, /expected/);
    refused(() => parseFields('name~'), 400, /transformer/);
  });

  it('writes references as {id} unless fields are nested in them', () => {
    const c = ctx();
    const hcm = UNITS[2]!;
    assert.deepEqual(render(hcm, 'units', parseFields('id,parent,children'), c), {
      id: 'hcm',
      parent: { id: 'vn' },
      children: [{ id: 'sg' }, { id: 'bn' }],
    });
    assert.deepEqual(
      render(hcm, 'units', parseFields('name,parent[name,children[id]],children[name,leaf]'), c),
      {
        name: 'Hồ Chí Minh',
        parent: { name: 'Việt Nam', children: [{ id: 'hn' }, { id: 'hcm' }] },
        children: [
          { name: 'Sài Gòn', leaf: true },
          { name: 'Bến Nghé', leaf: true },
        ],
      },
    );
  });

  it('expands * and :all to every property, with exclusions and explicit fields over them', () => {
    const c = ctx();
    const all = render(UNITS[1]!, 'units', parseFields('*'), c);
    assert.deepEqual(Object.keys(all), Object.keys(SCHEMAS.units!.properties));
    assert.deepEqual(all.parent, { id: 'vn' });
    assert.deepEqual(all.translations, [{ locale: 'en', value: 'Hà Nội (en)' }]);
    const some = render(
      UNITS[1]!,
      'units',
      parseFields(':all,!translations,!path,parent[name]'),
      c,
    );
    assert.equal(some.translations, undefined);
    assert.equal(some.path, undefined);
    assert.deepEqual(some.parent, { name: 'Việt Nam' });
    assert.deepEqual(render(UNITS[1]!, 'units', parseFields(':simple'), c).parent, undefined);
    assert.deepEqual(Object.keys(render(UNITS[1]!, 'units', parseFields(':identifiable'), c)), [
      'id',
      'name',
      'code',
    ]);
  });

  it('renames, counts, plucks; leaves out what the type does not have and what is empty', () => {
    const c = ctx();
    assert.deepEqual(
      render(
        UNITS[2]!,
        'units',
        parseFields('name~rename(ten),children~size,children~pluck(name),nope,parent~isEmpty'),
        c,
      ),
      { ten: 'Hồ Chí Minh', children: ['Sài Gòn', 'Bến Nghé'], parent: false },
    );
    assert.deepEqual(render(UNITS[0]!, 'units', parseFields('id,parent'), c), { id: 'vn' });
  });
});

describe('DHIS2 filters', () => {
  it('compares with each operator', () => {
    assert.deepEqual(ids('filter=level:eq:2'), ['hn', 'hcm']);
    assert.deepEqual(ids('filter=level:!eq:3&filter=level:ne:1'), ['hn', 'hcm']);
    assert.deepEqual(ids('filter=name:eq:Hà Nội'), ['hn']);
    assert.deepEqual(ids('filter=name:ieq:hà nội'), ['hn']);
    assert.deepEqual(ids('filter=name:like:Nội'), ['hn']);
    assert.deepEqual(ids('filter=name:like:nội'), [], 'like keeps case');
    assert.deepEqual(
      ids('filter=name:ilike:NỘI'),
      ['hn'],
      'ilike ignores it, Vietnamese letters too',
    );
    assert.deepEqual(ids('filter=name:!ilike:GÒN'), ['ba', 'bn', 'hn', 'hcm', 'vn']);
    assert.deepEqual(ids('filter=name:$like:Bến'), ['bn']);
    assert.deepEqual(ids('filter=name:like$:Gòn'), ['sg']);
    assert.deepEqual(ids('filter=name:$ilike:bA'), ['ba']);
    assert.deepEqual(ids('filter=name:ilike$:MINH'), ['hcm']);
    assert.deepEqual(ids('filter=name:token:hồ min'), ['hcm']);
    assert.deepEqual(ids('filter=id:in:[sg,bn,nope]'), ['bn', 'sg']);
    assert.deepEqual(ids('filter=level:!in:[1,3]'), ['hn', 'hcm']);
    assert.deepEqual(ids('filter=parent:null'), ['vn']);
    assert.deepEqual(ids('filter=parent:!null&filter=children:empty&filter=parent.id:eq:hcm'), [
      'bn',
      'sg',
    ]);
    assert.deepEqual(ids('filter=children:!empty&filter=level:gt:1'), ['hn', 'hcm']);
    assert.deepEqual(ids('filter=level:ge:2&filter=level:lt:3'), ['hn', 'hcm']);
    assert.deepEqual(ids('filter=level:le:1'), ['vn']);
    assert.deepEqual(ids('filter=leaf:eq:true&filter=path:like:/hn/'), ['ba']);
  });

  it('follows references and collections: one member passes a positive operator, none a negated one', () => {
    assert.deepEqual(ids('filter=parent.name:eq:Hồ Chí Minh'), ['bn', 'sg']);
    assert.deepEqual(ids('filter=children.id:eq:sg'), ['hcm']);
    assert.deepEqual(ids('filter=children.id:!eq:sg&filter=level:eq:2'), ['hn']);
    assert.deepEqual(ids('filter=parent.parent.id:eq:vn'), ['ba', 'bn', 'sg']);
  });

  it('ANDs filters, or ORs them with rootJunction=OR; splits comma-joined filters as DHIS2 does', () => {
    assert.deepEqual(ids('filter=level:eq:3&filter=name:ilike:gòn'), ['sg']);
    assert.deepEqual(ids('filter=id:eq:vn&filter=name:ilike:gòn&rootJunction=OR'), ['sg', 'vn']);
    assert.deepEqual(splitFilters(['level:eq:3,name:ilike:gòn']), ['level:eq:3', 'name:ilike:gòn']);
    assert.deepEqual(splitFilters(['id:in:[a,b],level:eq:2']), ['id:in:[a,b]', 'level:eq:2']);
    assert.deepEqual(splitFilters(['name:eq:Hà Nội, Việt Nam']), ['name:eq:Hà Nội, Việt Nam']);
    assert.deepEqual(splitFilters(['name:like:a:b']), ['name:like:a:b']);
    assert.deepEqual(ids('filter=level:eq:3,name:ilike:gòn'), ['sg']);
  });

  it('takes query= as id or code equal, or name containing it', () => {
    assert.deepEqual(ids('query=HCM'), ['hcm']);
    assert.deepEqual(ids('query=đình'), ['ba']);
  });

  it('refuses an unknown property, operator or value with 409 and E2014, as DHIS2', () => {
    const e = refused(
      () => parseFilter('nope:eq:1', 'units', SCHEMAS),
      409,
      /Unknown path property: nope/,
    );
    assert.equal((e.details as { errorCode: string }).errorCode, 'E2014');
    refused(
      () => parseFilter('name:^like:a', 'units', SCHEMAS),
      409,
      /`\^like` is not a valid operator/,
    );
    refused(() => parseFilter('name', 'units', SCHEMAS), 409, /Invalid filter/);
    refused(() => parseFilter('level:eq:two', 'units', SCHEMAS), 409, /number/);
    refused(() => parseFilter('leaf:eq:yes', 'units', SCHEMAS), 409, /true or false/);
    refused(() => parseFilter('id:in:[]', 'units', SCHEMAS), 409, /in operator/);
    refused(() => parseFilter('name.id:eq:x', 'units', SCHEMAS), 409, /Simple type/);
    refused(() => parseFilter('name:eq', 'units', SCHEMAS), 409, /needs a value/);
  });
});

describe('DHIS2 order and paging', () => {
  it('orders by name ignoring case then id by default, or as asked', () => {
    assert.deepEqual(ids(''), ['ba', 'bn', 'hn', 'hcm', 'sg', 'vn']);
    assert.deepEqual(ids('order=level:desc,name:asc'), ['ba', 'bn', 'sg', 'hn', 'hcm', 'vn']);
    assert.deepEqual(ids('order=level:desc&order=name:idesc'), [
      'sg',
      'bn',
      'ba',
      'hcm',
      'hn',
      'vn',
    ]);
    assert.deepEqual(
      parseOrders(['children:asc', 'nope', 'code:iasc'], 'units', SCHEMAS),
      [{ property: 'code', desc: false, ignoreCase: true }],
      'only simple properties order; the rest is ignored, as DHIS2 does',
    );
  });

  it('pages 50 at a time by default, with DHIS2’s pager; paging=false gives everything', () => {
    assert.deepEqual(list('').pager, { page: 1, total: 6, pageSize: 50, pageCount: 1 });
    const p2 = list('pageSize=4&page=2');
    assert.deepEqual(p2.pager, { page: 2, total: 6, pageSize: 4, pageCount: 2 });
    assert.deepEqual(
      p2.items.map((x) => x.id),
      ['sg', 'vn'],
    );
    assert.deepEqual(list('pageSize=4&page=9').items, []);
    assert.deepEqual(list('page=0&pageSize=1').pager?.page, 1, 'a page below 1 is page 1');
    const all = list('paging=false');
    assert.equal(all.pager, undefined);
    assert.equal(all.items.length, 6);
    assert.deepEqual(
      all.items[0],
      { id: 'ba', displayName: 'Ba Đình' },
      'lists show id and displayName',
    );
    refused(() => parsePaging({ page: 'two' }), 400, /page/);
    refused(() => parsePaging({ pageSize: '0' }), 400, /pageSize/);
  });
});

describe('what a query reads', () => {
  it('names the references to load, following nested fields and filter paths', () => {
    const only = [UNITS[2]!];
    const partial = ctx(only);
    const q = parseMetadataQuery(params('fields=id,children[name],parent'), 'units', SCHEMAS);
    assert.deepEqual(
      [...(missingRefs(only, 'units', q, partial).get('units') ?? [])].sort(),
      ['bn', 'sg'],
      'children asked with fields; the parent only as {id}',
    );
    const f = parseMetadataQuery(
      params('filter=parent.name:eq:x&filter=children.id:eq:sg'),
      'units',
      SCHEMAS,
    );
    assert.deepEqual([...(missingRefs(only, 'units', f, partial).get('units') ?? [])], ['vn']);
    assert.equal(missingRefs(UNITS, 'units', q, ctx()).size, 0);
    const sets = parseMetadataQuery(params('fields=organisationUnits[name]'), 'sets', SCHEMAS);
    assert.deepEqual(
      [...(missingRefs([SET], 'sets', sets, partial).get('units') ?? [])],
      ['sg', 'ba'],
    );
  });

  it('says whether a query may read a property', () => {
    const q = (s: string) => parseMetadataQuery(params(s), 'units', SCHEMAS);
    assert.equal(mentions(q('fields=id,name'), ['children']), false);
    assert.equal(mentions(q('fields=id,parent[children[id]]'), ['children']), true);
    assert.equal(mentions(q('fields=*'), ['children']), true);
    assert.equal(mentions(q('fields=id&filter=children:empty'), ['children']), true);
    assert.equal(mentions(q('fields=id,!children'), ['children']), false);
  });
});
