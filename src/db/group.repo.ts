import { sql } from 'kysely';
import type { Db } from './client.ts';
import type { GroupDefinition } from './schema.ts';

export class GroupRepo {
  constructor(private readonly db: Db) {}

  /** Whether a group with this code exists in any version. */
  async hasCode(code: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('unit_group')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirst();
    return r !== undefined;
  }

  byCode(version: string, code: string) {
    return this.db
      .selectFrom('unit_group')
      .selectAll()
      .where('version', '=', version)
      .where('code', '=', code)
      .executeTakeFirst();
  }

  list(version: string, scopePath: string | null) {
    return sql<{
      id: number;
      version: string;
      code: string;
      name: string;
      description: string | null;
      owner_code: string;
      members: number;
    }>`
      select g.id, g.version, g.code, g.name, g.description, g.owner_code,
        (select count(*)::int from unit_group_member m where m.group_id = g.id) as members
      from unit_group g join org_unit o on o.version = g.version and o.code = g.owner_code
      where g.version = ${version} and ${scopePath === null ? sql`true` : sql`o.path like ${scopePath + '%'}`}
      order by g.code`
      .execute(this.db)
      .then((r) => r.rows);
  }

  /** Codes and paths of the units a definition names, resolved now; unknown codes are returned apart. */
  async resolve(
    version: string,
    def: GroupDefinition,
  ): Promise<{ units: { code: string; path: string }[]; unknown: string[] }> {
    const found = new Map<string, string>();
    const unknown: string[] = [];
    if (def.codes?.length) {
      const r = await sql<{ code: string; path: string }>`select code, path from org_unit
        where version = ${version} and code = any(${def.codes}::text[])`.execute(this.db);
      r.rows.forEach((u) => found.set(u.code, u.path));
      unknown.push(...def.codes.filter((c) => !found.has(c)));
    }
    for (const under of def.under ?? []) {
      const parent = await this.db
        .selectFrom('org_unit')
        .select('path')
        .where('version', '=', version)
        .where('code', '=', under.code)
        .executeTakeFirst();
      if (!parent) unknown.push(under.code);
      else {
        const r = await sql<{ code: string; path: string }>`select code, path from org_unit
          where version = ${version} and level = ${under.level} and path like ${parent.path + '%'}`.execute(
          this.db,
        );
        r.rows.forEach((u) => found.set(u.code, u.path));
      }
    }
    for (const g of def.groups ?? []) {
      const group = await this.byCode(version, g);
      if (!group) unknown.push(`group:${g}`);
      else {
        const r = await sql<{
          code: string;
          path: string;
        }>`select u.code, u.path from unit_group_member m
          join org_unit u on u.version = m.version and u.code = m.unit_code where m.group_id = ${group.id}`.execute(
          this.db,
        );
        r.rows.forEach((u) => found.set(u.code, u.path));
      }
    }
    return { units: [...found].map(([code, path]) => ({ code, path })), unknown };
  }

  async insert(
    g: {
      version: string;
      code: string;
      name: string;
      description: string | null;
      definition: GroupDefinition;
      owner_code: string;
      created_by: string;
    },
    members: string[],
  ) {
    const row = await this.db
      .insertInto('unit_group')
      .values({ ...g, definition: JSON.stringify(g.definition) })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await sql`insert into unit_group_member (group_id, version, unit_code)
      select ${row.id}, ${g.version}, c from unnest(${members}::text[]) as c`.execute(this.db);
    return row.id;
  }

  members(groupId: number, limit: number, offset: number) {
    return sql<{ code: string; full_name: string; level: number; path: string; total: number }>`
      select u.code, u.full_name, u.level, u.path, count(*) over ()::int as total from unit_group_member m
      join org_unit u on u.version = m.version and u.code = m.unit_code
      where m.group_id = ${groupId} order by u.code limit ${limit} offset ${offset}`
      .execute(this.db)
      .then((r) => r.rows);
  }

  /** Every group of every version, with its definition (for the metadata export). */
  all() {
    return this.db
      .selectFrom('unit_group')
      .select(['version', 'code', 'name', 'description', 'owner_code', 'definition'])
      .orderBy('version')
      .orderBy('code')
      .execute();
  }

  async memberCodes(groupId: number): Promise<string[]> {
    const r = await this.db
      .selectFrom('unit_group_member')
      .select('unit_code')
      .where('group_id', '=', groupId)
      .orderBy('unit_code')
      .execute();
    return r.map((x) => x.unit_code);
  }

  async replace(
    groupId: number,
    g: {
      name: string;
      description: string | null;
      definition: GroupDefinition;
      owner_code: string;
    },
    members: string[],
  ) {
    await this.db
      .updateTable('unit_group')
      .set({
        name: g.name,
        description: g.description,
        definition: JSON.stringify(g.definition),
        owner_code: g.owner_code,
      })
      .where('id', '=', groupId)
      .execute();
    const version = await this.db
      .selectFrom('unit_group')
      .select('version')
      .where('id', '=', groupId)
      .executeTakeFirstOrThrow();
    await sql`delete from unit_group_member where group_id = ${groupId}`.execute(this.db);
    await sql`insert into unit_group_member (group_id, version, unit_code)
      select ${groupId}, ${version.version}, c from unnest(${members}::text[]) as c`.execute(
      this.db,
    );
  }
}
