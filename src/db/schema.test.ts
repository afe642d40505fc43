import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import ts from 'typescript';
import { openTestDb, testEngines, type TestDb } from '../test/harness.ts';

/**
 * schema.ts is written by hand; this checks it against what the migrations make, on each
 * engine: every table and view, every column, its nullability, whether an insert may leave it
 * out, and that its TypeScript type is what the driver hands back (client.ts's parsers: bigint
 * as a number, numeric and date as strings, timestamptz as a Date).
 */

// Tables deliberately absent from schema.ts.
const NOT_IN_SCHEMA_TS = new Map([
  // migrate.ts's bookkeeping, created and read by its own SQL before anything else runs.
  ['schema_migration', 'migration bookkeeping'],
]);

// ---------------------------------------------------------------------------------------------
// schema.ts, read with the TypeScript compiler API

/** A TypeScript type reduced to what the driver could hand back: kinds, 'null', 'undefined'. */
interface TypeInfo {
  select: Set<string>;
  insert: Set<string>;
}

/** What schema.ts says of one column. */
export interface TsColumn {
  kinds: string[]; // of the select type, without null: number, string, boolean, date, bytes, object, unknown, array<…>
  nullable: boolean;
  /** An insert may leave it out: Generated<…>, or a ColumnType whose insert type takes undefined. */
  optional: boolean;
  text: string;
}
export interface TsTable {
  type: string; // the interface (or alias) Schema names
  columns: Map<string, TsColumn>;
}

const same = (kinds: string[]): TypeInfo => ({ select: new Set(kinds), insert: new Set(kinds) });
const union = (parts: TypeInfo[]): TypeInfo => ({
  select: new Set(parts.flatMap((p) => [...p.select])),
  insert: new Set(parts.flatMap((p) => [...p.insert])),
});

export function readSchemaTs(source: string): Map<string, TsTable> {
  const file = ts.createSourceFile('schema.ts', source, ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration[]>(); // several: declaration merging
  const aliases = new Map<string, ts.TypeAliasDeclaration>();
  for (const s of file.statements) {
    if (ts.isInterfaceDeclaration(s))
      interfaces.set(s.name.text, [...(interfaces.get(s.name.text) ?? []), s]);
    else if (ts.isTypeAliasDeclaration(s)) aliases.set(s.name.text, s);
  }
  const fail = (node: ts.Node, what: string): never => {
    throw new Error(`schema.ts: ${what}: ${node.getText(file)}`);
  };

  function typeInfo(node: ts.TypeNode, env: Map<string, TypeInfo>): TypeInfo {
    if (ts.isParenthesizedTypeNode(node)) return typeInfo(node.type, env);
    if (ts.isUnionTypeNode(node)) return union(node.types.map((t) => typeInfo(t, env)));
    if (ts.isArrayTypeNode(node))
      return same([`array<${[...typeInfo(node.elementType, env).select].sort().join('|')}>`]);
    if (ts.isTypeLiteralNode(node)) return same(['object']);
    if (ts.isLiteralTypeNode(node)) {
      const l = node.literal;
      if (l.kind === ts.SyntaxKind.NullKeyword) return same(['null']);
      if (ts.isStringLiteral(l)) return same(['string']);
      if (ts.isNumericLiteral(l)) return same(['number']);
      if (l.kind === ts.SyntaxKind.TrueKeyword || l.kind === ts.SyntaxKind.FalseKeyword)
        return same(['boolean']);
    }
    switch (node.kind) {
      case ts.SyntaxKind.NumberKeyword:
        return same(['number']);
      case ts.SyntaxKind.StringKeyword:
        return same(['string']);
      case ts.SyntaxKind.BooleanKeyword:
        return same(['boolean']);
      case ts.SyntaxKind.UnknownKeyword:
      case ts.SyntaxKind.AnyKeyword:
        return same(['unknown']);
      case ts.SyntaxKind.UndefinedKeyword:
        return same(['undefined']);
      case ts.SyntaxKind.NeverKeyword:
        return same([]);
    }
    if (!ts.isTypeReferenceNode(node) || !ts.isIdentifier(node.typeName))
      return fail(node, 'a type this test does not read');
    const name = node.typeName.text;
    const args = node.typeArguments ?? [];
    const bound = env.get(name);
    if (bound) return bound;
    if (name === 'Generated') {
      const inner = typeInfo(args[0]!, env);
      return { select: inner.select, insert: new Set([...inner.insert, 'undefined']) };
    }
    if (name === 'ColumnType') {
      const s = typeInfo(args[0]!, env);
      return { select: s.select, insert: args[1] ? typeInfo(args[1], env).select : s.insert };
    }
    if (name === 'Date') return same(['date']);
    if (name === 'Uint8Array' || name === 'Buffer') return same(['bytes']);
    if (name === 'Record') return same(['object']);
    if (name === 'Array') return typeInfo(ts.factory.createArrayTypeNode(args[0]!), env);
    const alias = aliases.get(name);
    if (alias) {
      const inner = new Map(env);
      alias.typeParameters?.forEach((p, i) => inner.set(p.name.text, typeInfo(args[i]!, env)));
      return typeInfo(alias.type, inner);
    }
    if (interfaces.has(name)) return same(['object']); // a JSON document's shape
    return fail(node, `the type ${name}`);
  }

  /** The properties of an interface or alias, with those it extends (and Omit<…>/Pick<…>). */
  function members(node: ts.TypeNode | string): Map<string, ts.TypeNode> {
    const out = new Map<string, ts.TypeNode>();
    const addLiteral = (ms: ts.NodeArray<ts.TypeElement>) => {
      for (const m of ms) {
        if (!ts.isPropertySignature(m) || !m.type) fail(m, 'a member this test does not read');
        const p = m as ts.PropertySignature;
        out.set(p.name.getText(file), p.type!);
      }
    };
    const ref = (name: string, args: readonly ts.TypeNode[]) => {
      if (name === 'Omit' || name === 'Pick') {
        const keys = keyUnion(args[1]!);
        for (const [k, v] of members(args[0]!))
          if (keys.has(k) === (name === 'Pick')) out.set(k, v);
        return;
      }
      const decls = interfaces.get(name);
      if (decls) {
        for (const d of decls) {
          for (const h of d.heritageClauses ?? [])
            for (const t of h.types) ref(t.expression.getText(file), t.typeArguments ?? []);
          addLiteral(d.members);
        }
        return;
      }
      const alias = aliases.get(name);
      if (!alias) throw new Error(`schema.ts: no interface or type ${name}`);
      for (const [k, v] of members(alias.type)) out.set(k, v);
    };
    if (typeof node === 'string') ref(node, []);
    else if (ts.isTypeReferenceNode(node))
      ref(node.typeName.getText(file), node.typeArguments ?? []);
    else if (ts.isTypeLiteralNode(node)) addLiteral(node.members);
    else if (ts.isIntersectionTypeNode(node))
      for (const t of node.types) for (const [k, v] of members(t)) out.set(k, v);
    else fail(node, 'a table type this test does not read');
    return out;
  }
  /** The string literals of a key union ('a' | 'b'). */
  function keyUnion(node: ts.TypeNode): Set<string> {
    const keys = new Set<string>();
    const walk = (n: ts.TypeNode) => {
      if (ts.isUnionTypeNode(n)) n.types.forEach(walk);
      else if (ts.isLiteralTypeNode(n) && ts.isStringLiteral(n.literal)) keys.add(n.literal.text);
      else fail(n, 'a key this test does not read');
    };
    walk(node);
    return keys;
  }

  const tables = new Map<string, TsTable>();
  for (const [table, typeNode] of members('Schema')) {
    const columns = new Map<string, TsColumn>();
    for (const [column, node] of members(typeNode)) {
      const t = typeInfo(node, new Map());
      const kinds = [...t.select].filter((k) => k !== 'null' && k !== 'undefined').sort();
      columns.set(column, {
        kinds,
        nullable: t.select.has('null'),
        optional: t.insert.has('undefined') || t.insert.size === 0,
        text: node.getText(file),
      });
    }
    tables.set(table, { type: typeNode.getText(file), columns });
  }
  return tables;
}

// ---------------------------------------------------------------------------------------------
// The migrated database

export interface DbColumn {
  table: string;
  kind: 'table' | 'view';
  column: string;
  nullable: boolean;
  /** information_schema's data_type, and udt_name (`_text` for text[]). */
  dataType: string;
  udt: string;
  /** A default, identity or generated expression: what the database fills in when left out. */
  fill: string | null;
}

async function readDatabase(t: TestDb): Promise<DbColumn[]> {
  // Partitions of data_value (data_value_main, the bulk loads' blocks) are data_value to the
  // code; temporary tables live in pg_temp_N, not public.
  const r = await sql<{
    table_name: string;
    table_type: string;
    column_name: string;
    is_nullable: string;
    data_type: string;
    udt_name: string;
    column_default: string | null;
    is_identity: string;
    identity_generation: string | null;
    generation_expression: string | null;
  }>`
    select t.table_name, t.table_type, c.column_name, c.is_nullable, c.data_type, c.udt_name,
      c.column_default, c.is_identity, c.identity_generation, c.generation_expression
    from information_schema.tables t
    join information_schema.columns c
      on c.table_schema = t.table_schema and c.table_name = t.table_name
    join pg_class k on k.relname = t.table_name and k.relnamespace = 'public'::regnamespace
    where t.table_schema = 'public' and not k.relispartition
    order by t.table_name, c.ordinal_position`.execute(t.database.db);
  return r.rows.map((c) => ({
    table: c.table_name,
    kind: c.table_type === 'VIEW' ? 'view' : 'table',
    column: c.column_name,
    nullable: c.is_nullable === 'YES',
    dataType: c.data_type,
    udt: c.udt_name,
    fill:
      c.is_identity === 'YES'
        ? `identity ${c.identity_generation}`
        : (c.generation_expression ?? c.column_default),
  }));
}

// ---------------------------------------------------------------------------------------------
// The comparison

/** The TypeScript kinds a column of this type may be declared with (as client.ts reads it). */
function allowedKinds(udt: string): string[] | undefined {
  if (udt.startsWith('_')) return allowedKinds(udt.slice(1))?.map((k) => `array<${k}>`);
  switch (udt) {
    case 'int2':
    case 'int4':
    case 'int8': // parsed to a number on both engines
    case 'float4':
    case 'float8':
      return ['number'];
    case 'numeric': // kept as a string on both engines: exact
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'date': // an ISO string on both engines
      return ['string'];
    case 'bool':
      return ['boolean'];
    case 'timestamptz':
    case 'timestamp':
      return ['date'];
    case 'json':
    case 'jsonb':
      return ['object', 'unknown', 'array<*>'];
    case 'bytea':
      return ['bytes'];
  }
  return undefined;
}

function kindAllowed(kind: string, allowed: string[]): boolean {
  return allowed.includes(kind) || (kind.startsWith('array<') && allowed.includes('array<*>'));
}

const dbText = (c: DbColumn) =>
  `${c.dataType === 'ARRAY' ? `${c.udt.slice(1)}[]` : c.dataType} ${c.nullable ? 'null' : 'not null'}` +
  (c.fill ? ` default ${c.fill}` : '');

/** Key-making fills: schema.ts must let an insert leave these out. */
const isKeyFill = (fill: string) => fill.startsWith('identity') || fill.startsWith('nextval(');

export function compareSchema(
  db: DbColumn[],
  schema: Map<string, TsTable>,
): { mismatches: string[]; notes: string[] } {
  const mismatches: string[] = [];
  const notes: string[] = [];
  const byTable = new Map<string, DbColumn[]>();
  for (const c of db) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);

  for (const [table, columns] of byTable) {
    if (NOT_IN_SCHEMA_TS.has(table)) continue;
    const tsTable = schema.get(table);
    if (!tsTable) {
      mismatches.push(
        `${table}: db says ${columns[0]!.kind} with ${columns.length} columns, schema.ts says nothing (add it to Schema)`,
      );
      continue;
    }
    // A view's columns are all "nullable" and without defaults to information_schema: only
    // their presence and types can be checked.
    const view = columns[0]!.kind === 'view';
    for (const c of columns) {
      const at = `${table}.${c.column}`;
      const t = tsTable.columns.get(c.column);
      if (!t) {
        mismatches.push(
          `${at}: db says ${dbText(c)}, schema.ts says nothing (add it to ${tsTable.type})`,
        );
        continue;
      }
      const says = `schema.ts says ${t.text}`;
      const allowed = allowedKinds(c.udt);
      if (!allowed) mismatches.push(`${at}: db says ${c.udt}, a type this test does not know`);
      else if (t.kinds.length === 0 || !t.kinds.every((k) => kindAllowed(k, allowed)))
        mismatches.push(`${at}: db says ${dbText(c)}, ${says} (expected ${allowed.join(' or ')})`);
      if (!view && c.nullable !== t.nullable)
        mismatches.push(
          `${at}: db says ${dbText(c)}, ${says} (${c.nullable ? 'add | null' : 'remove | null'})`,
        );
      if (view) continue;
      if (!c.nullable && !c.fill && t.optional)
        mismatches.push(
          `${at}: db says ${dbText(c)} (an insert must give it), ${says} (an insert may leave it out)`,
        );
      else if (c.fill && !t.optional) {
        if (isKeyFill(c.fill))
          mismatches.push(`${at}: db says ${dbText(c)}, ${says} (wrap it in Generated<…>)`);
        else notes.push(`${at}: db fills it in (${c.fill}), schema.ts makes every insert give it`);
      }
    }
    for (const column of tsTable.columns.keys())
      if (!columns.some((c) => c.column === column))
        mismatches.push(
          `${table}.${column}: db says no such column, schema.ts says ${tsTable.columns.get(column)!.text}`,
        );
  }
  for (const [table, t] of schema)
    if (!byTable.has(table))
      mismatches.push(`${table}: db says no such table or view, schema.ts says ${t.type}`);
  for (const table of NOT_IN_SCHEMA_TS.keys())
    if (schema.has(table))
      mismatches.push(`${table}: on this test's list of tables not in schema.ts, yet there`);
  return { mismatches, notes };
}

// ---------------------------------------------------------------------------------------------

const schemaTs = readSchemaTs(readFileSync(new URL('./schema.ts', import.meta.url), 'utf8'));

describe('the comparison itself', () => {
  const source = `
    import type { ColumnType, Generated } from 'kysely';
    type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
    type Json<T> = ColumnType<T, string, string>;
    interface Base { id: Generated<number>; code: string }
    export interface ThingTable extends Base {
      state: 'open' | 'shut';
      note: string;
      doc: Json<{ a: number }> | null;
      at: Timestamp;
      tags: string[] | null;
    }
    export type OtherTable = Omit<ThingTable, 'doc' | 'tags'>;
    export interface Schema { thing: ThingTable }
    export interface Schema { other: OtherTable }`;
  const col = (
    table: string,
    column: string,
    udt: string,
    nullable: boolean,
    fill: string | null = null,
  ) => ({ table, kind: 'table', column, nullable, dataType: udt, udt, fill }) as DbColumn;
  const thing = [
    col('thing', 'id', 'int4', false, "nextval('thing_id_seq'::regclass)"),
    col('thing', 'code', 'text', false),
    col('thing', 'state', 'text', false),
    col('thing', 'note', 'text', false),
    col('thing', 'doc', 'jsonb', true),
    col('thing', 'at', 'timestamptz', false, 'now()'),
    col('thing', 'tags', '_text', true),
  ];
  const other = thing
    .filter((c) => c.column !== 'doc' && c.column !== 'tags')
    .map((c) => ({ ...c, table: 'other' }));

  it('reads interfaces, extends, Omit, aliases, unions, Generated and ColumnType', () => {
    const s = readSchemaTs(source);
    assert.deepEqual([...s.keys()], ['thing', 'other']);
    assert.deepEqual(s.get('thing')!.columns.get('id'), {
      kinds: ['number'],
      nullable: false,
      optional: true,
      text: 'Generated<number>',
    });
    assert.deepEqual(s.get('thing')!.columns.get('doc')?.kinds, ['object']);
    assert.equal(s.get('thing')!.columns.get('doc')?.nullable, true);
    assert.deepEqual(s.get('thing')!.columns.get('tags')?.kinds, ['array<string>']);
    assert.deepEqual([...s.get('other')!.columns.keys()], ['id', 'code', 'state', 'note', 'at']);
    assert.deepEqual(compareSchema([...thing, ...other], s), { mismatches: [], notes: [] });
  });

  it('names every mismatch: a missing column, a nullable typed non-null, a wrong type, a missing table', () => {
    const db = [
      ...thing.filter((c) => c.column !== 'note'),
      col('thing', 'notes', 'text', false), // "note" renamed in the database
      col('thing', 'extra', 'int8', true),
      ...other.map((c) =>
        c.column === 'code'
          ? { ...c, nullable: true }
          : c.column === 'state'
            ? { ...c, dataType: 'integer', udt: 'int4' }
            : c,
      ),
      col('gone', 'id', 'int4', false),
    ];
    const { mismatches } = compareSchema(db, readSchemaTs(source));
    assert.deepEqual(mismatches.sort(), [
      'gone: db says table with 1 columns, schema.ts says nothing (add it to Schema)',
      'other.code: db says text null, schema.ts says string (add | null)',
      "other.state: db says integer not null, schema.ts says 'open' | 'shut' (expected number)",
      'thing.extra: db says int8 null, schema.ts says nothing (add it to ThingTable)',
      'thing.note: db says no such column, schema.ts says string',
      'thing.notes: db says text not null, schema.ts says nothing (add it to ThingTable)',
    ]);
  });

  it('asks for Generated on a key the database makes, and refuses an optional insert of a required column', () => {
    const db = thing.map((c) =>
      c.column === 'at'
        ? { ...c, fill: null }
        : c.column === 'code'
          ? { ...c, fill: "'x'::text" }
          : c,
    );
    const plainId = readSchemaTs(source.replace('id: Generated<number>', 'id: number'));
    const { mismatches, notes } = compareSchema([...db, ...other], plainId);
    assert.deepEqual(mismatches.sort(), [
      "other.id: db says int4 not null default nextval('thing_id_seq'::regclass), schema.ts says number (wrap it in Generated<…>)",
      'thing.at: db says timestamptz not null (an insert must give it), schema.ts says Timestamp (an insert may leave it out)',
      "thing.id: db says int4 not null default nextval('thing_id_seq'::regclass), schema.ts says number (wrap it in Generated<…>)",
    ]);
    assert.deepEqual(notes, [
      "thing.code: db fills it in ('x'::text), schema.ts makes every insert give it",
    ]);
  });
});

for (const engine of testEngines()) {
  describe(`schema.ts against the migrated database (${engine})`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(engine);
    });
    after(() => t.close());

    it('declares every table, view and column as the migrations made them', async (ctx) => {
      const db = await readDatabase(t);
      assert.ok(db.some((c) => c.table === 'data_value'));
      assert.ok(!db.some((c) => c.table === 'data_value_main'), 'partitions are left out');
      const { mismatches, notes } = compareSchema(db, schemaTs);
      for (const n of notes) ctx.diagnostic(n);
      assert.deepEqual(
        mismatches,
        [],
        `schema.ts does not match the migrations (${engine}):\n  ${mismatches.join('\n  ')}\n`,
      );
    });

    it('fails, naming the column, when schema.ts loses one', async () => {
      const db = await readDatabase(t);
      const broken = new Map(schemaTs);
      const orgUnit = broken.get('org_unit')!;
      const columns = new Map(orgUnit.columns);
      columns.set('full_names', columns.get('full_name')!);
      columns.delete('full_name');
      broken.set('org_unit', { ...orgUnit, columns });
      // Only what the rename adds: this holds whether or not schema.ts matches today.
      const before = new Set(compareSchema(db, schemaTs).mismatches);
      const added = compareSchema(db, broken).mismatches.filter((m) => !before.has(m));
      assert.deepEqual(added.sort(), [
        'org_unit.full_name: db says text not null, schema.ts says nothing (add it to OrgUnitTable)',
        'org_unit.full_names: db says no such column, schema.ts says string',
      ]);
    });
  });
}
