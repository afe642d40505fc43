import { sql, type Selectable } from 'kysely';
import type { Db } from './client.ts';
import type { BoardShareTable, BoardTable } from './schema.ts';

export type BoardRow = Selectable<BoardTable>;
export type BoardShareRow = Selectable<BoardShareTable>;

/** Who reads: the fields the one visibility rule looks at. */
export interface BoardViewer {
  kind: 'user' | 'token';
  id: string;
  role: string | null;
  version: string;
  path: string;
  /** The nation: every version, every path. */
  root: boolean;
  /** Supervisors (board.default) see the boards of the people below them. */
  supervises: boolean;
}

export interface NewBoard {
  uid: string;
  name: string;
  description: string;
  document: unknown;
  owner: {
    kind: 'user' | 'token' | 'system';
    id: string | null;
    name: string;
    version: string;
    path: string;
  };
  at: Date;
}

export interface NewShare {
  kind: 'unit' | 'role' | 'user';
  unitVersion?: string;
  unitCode?: string;
  unitPath?: string;
  role?: string;
  userId?: string;
  userName?: string;
  access: 'read' | 'edit';
}

/** `a` lies in `b`'s subtree or `b` in `a`'s: the people of a unit and those above it. */
const sameLine = (version: string, path: string, v: unknown, p: unknown, root: boolean) =>
  root
    ? sql<boolean>`true`
    : sql<boolean>`(${v} = ${version} and (starts_with(${path}, ${p}) or starts_with(${p}, ${path})))`;

/**
 * The one visibility rule of boards (read, list, update, delete, default, export all go
 * through it): the owner; a supervisor (board.default) whose scope holds the owner's unit; a
 * person a share names, the people of a shared unit's line (its subtree and above it, as the
 * house's scope rule), the holders of a shared role on that line; the line of a unit whose
 * default the board is. `edit` narrows it to the owner and edit shares.
 */
export function boardVisible(v: BoardViewer, access: 'read' | 'edit' = 'read') {
  const owner = sql<boolean>`(b.owner_kind = ${v.kind} and b.owner_id = ${v.id})`;
  const shareAccess = access === 'edit' ? sql`and s.access = 'edit'` : sql``;
  const share = sql<boolean>`exists (select 1 from board_share s where s.board_id = b.id ${shareAccess}
    and ((s.kind = 'user' and ${v.kind} = 'user' and s.user_id = ${v.id})
      or ((s.kind = 'unit' or (s.kind = 'role' and s.role = ${v.role ?? ''}))
        and ${sameLine(v.version, v.path, sql.ref('s.unit_version'), sql.ref('s.unit_path'), v.root)})))`;
  if (access === 'edit') return sql<boolean>`(${owner} or ${share})`;
  const supervisor = v.supervises
    ? v.root
      ? sql<boolean>`true`
      : sql<boolean>`(b.owner_version = ${v.version} and starts_with(b.owner_path, ${v.path}))`
    : sql<boolean>`false`;
  const byDefault = sql<boolean>`exists (select 1 from board_default d where d.board_id = b.id
    and ${sameLine(v.version, v.path, sql.ref('d.version'), sql.ref('d.path'), v.root)})`;
  return sql<boolean>`(${owner} or ${supervisor} or ${share} or ${byDefault})`;
}

export class BoardRepo {
  constructor(private readonly db: Db) {}

  /** The board if `viewer` sees it, with whether they may edit it. */
  async visible(id: number, viewer: BoardViewer) {
    return this.db
      .selectFrom('board as b')
      .selectAll('b')
      .select(boardVisible(viewer, 'edit').as('can_edit'))
      .where('b.id', '=', id)
      .where(boardVisible(viewer))
      .executeTakeFirst();
  }

  /** A board whatever the viewer: for the answer to a write its writer may no longer see. */
  byId(id: number) {
    return this.db
      .selectFrom('board as b')
      .selectAll('b')
      .where('b.id', '=', id)
      .executeTakeFirst();
  }

  byUid(uid: string) {
    return this.db.selectFrom('board').select(['id']).where('uid', '=', uid).executeTakeFirst();
  }

  /** The boards `viewer` sees, most recently changed first. */
  list(viewer: BoardViewer, limit: number, offset: number) {
    return this.db
      .selectFrom('board as b')
      .selectAll('b')
      .select(boardVisible(viewer, 'edit').as('can_edit'))
      .where(boardVisible(viewer))
      .orderBy('b.updated_at', 'desc')
      .orderBy('b.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  async insert(b: NewBoard): Promise<number> {
    const r = await this.db
      .insertInto('board')
      .values({
        uid: b.uid,
        name: b.name,
        description: b.description,
        document: JSON.stringify(b.document),
        owner_kind: b.owner.kind,
        owner_id: b.owner.id,
        owner_name: b.owner.name,
        owner_version: b.owner.version,
        owner_path: b.owner.path,
        created_at: b.at,
        updated_at: b.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** Writes a new revision if the board is still at `revision`; false if it moved on. */
  async update(
    id: number,
    revision: number,
    b: Pick<NewBoard, 'name' | 'description' | 'document' | 'at'>,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('board')
      .set({
        name: b.name,
        description: b.description,
        document: JSON.stringify(b.document),
        revision: sql`revision + 1`,
        updated_at: b.at,
      })
      .where('id', '=', id)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('board').where('id', '=', id).execute();
  }

  shares(boardIds: number[]): Promise<BoardShareRow[]> {
    if (!boardIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('board_share')
      .selectAll()
      .where('board_id', 'in', boardIds)
      .orderBy('id')
      .execute();
  }

  async replaceShares(boardId: number, shares: NewShare[]): Promise<void> {
    await this.db.deleteFrom('board_share').where('board_id', '=', boardId).execute();
    if (!shares.length) return;
    await this.db
      .insertInto('board_share')
      .values(
        shares.map((s) => ({
          board_id: boardId,
          kind: s.kind,
          unit_version: s.unitVersion ?? null,
          unit_code: s.unitCode ?? null,
          unit_path: s.unitPath ?? null,
          role: s.role ?? null,
          user_id: s.userId ?? null,
          user_name: s.userName ?? null,
          access: s.access,
        })),
      )
      .execute();
  }

  async setDefault(d: {
    version: string;
    code: string;
    path: string;
    boardId: number;
    by: string;
    at: Date;
  }): Promise<void> {
    await this.db
      .insertInto('board_default')
      .values({
        version: d.version,
        unit_code: d.code,
        path: d.path,
        board_id: d.boardId,
        set_by: d.by,
        set_at: d.at,
      })
      .onConflict((oc) =>
        oc.columns(['version', 'unit_code']).doUpdateSet({
          board_id: d.boardId,
          path: d.path,
          set_by: d.by,
          set_at: d.at,
        }),
      )
      .execute();
  }

  /** The default nearest `path` on its line up to the top (the deepest ancestor-or-self). */
  nearestDefault(version: string, path: string) {
    return this.db
      .selectFrom('board_default')
      .select(['unit_code', 'path', 'board_id'])
      .where('version', '=', version)
      .where(sql<boolean>`starts_with(${path}, path)`)
      .orderBy(sql`length(path)`, 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  // What a board names, looked up so that each panel can say what is missing.

  async units(version: string, codes: string[]) {
    if (!codes.length) return new Map<string, { path: string; name: string }>();
    const rows = await this.db
      .selectFrom('org_unit')
      .select(['code', 'path', 'name', 'level'])
      .where('version', '=', version)
      .where('code', 'in', codes)
      .execute();
    return new Map(rows.map((r) => [r.code, { path: r.path, name: r.name, level: r.level }]));
  }

  async treeExists(version: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('hierarchy_version')
      .select('id')
      .where('id', '=', version)
      .executeTakeFirst();
    return r !== undefined;
  }

  async groups(version: string, codes: string[]): Promise<Set<string>> {
    if (!codes.length) return new Set();
    const rows = await this.db
      .selectFrom('unit_group')
      .select('code')
      .where('version', '=', version)
      .where('code', 'in', codes)
      .execute();
    return new Set(rows.map((r) => r.code));
  }

  /** Which element and indicator codes exist, and which `ELEMENT.OPTION` pairs. */
  async figures(codes: string[], options: string[]): Promise<Set<string>> {
    if (!codes.length && !options.length) return new Set();
    const found = new Set<string>();
    if (codes.length) {
      const rows = await this.db
        .selectFrom('data_element')
        .select('code')
        .where('code', 'in', codes)
        .union(this.db.selectFrom('indicator').select('code').where('code', 'in', codes))
        .execute();
      for (const r of rows) found.add(r.code);
    }
    if (options.length) {
      const rows = await this.db
        .selectFrom('breakdown_option')
        .select('code')
        .where('code', 'in', options)
        .execute();
      for (const r of rows) found.add(`.${r.code}`);
    }
    return found;
  }

  /**
   * What a panel's figures are called and which way is good (panel data, issue 19): elements
   * and indicators by code, options by code, and each element's breakdown options (the default
   * breakdown has none), in their order.
   */
  async figureInfo(codes: string[], options: string[]) {
    const [elements, indicators, opts] = await Promise.all([
      codes.length
        ? this.db
            .selectFrom('data_element as e')
            .innerJoin('breakdown as b', 'b.id', 'e.breakdown_id')
            .select([
              'e.code',
              'e.name_vi',
              'e.name_en',
              'e.direction',
              'e.value_type',
              'e.unit',
              'b.code as breakdown',
            ])
            .where('e.code', 'in', codes)
            .execute()
        : [],
      codes.length
        ? this.db
            .selectFrom('indicator')
            .select(['code', 'name_vi', 'name_en', 'direction', 'unit', 'decimals'])
            .where('code', 'in', codes)
            .execute()
        : [],
      codes.length || options.length
        ? this.db
            .selectFrom('breakdown_option as o')
            .innerJoin('breakdown as b', 'b.id', 'o.breakdown_id')
            .select(['o.code', 'o.name_vi', 'o.name_en', 'b.code as breakdown'])
            .where((eb) =>
              eb.or([
                ...(options.length ? [eb('o.code', 'in', options)] : []),
                ...(codes.length
                  ? [
                      eb(
                        'o.breakdown_id',
                        'in',
                        eb
                          .selectFrom('data_element')
                          .select('breakdown_id')
                          .where('code', 'in', codes),
                      ),
                    ]
                  : []),
              ]),
            )
            .where('b.code', '<>', 'default')
            .orderBy('o.sort_order')
            .orderBy('o.id')
            .execute()
        : [],
    ]);
    return { elements, indicators, options: opts };
  }

  /** A person to share with, by login, with their scope. */
  user(username: string) {
    return this.db
      .selectFrom('app_user as a')
      .innerJoin('org_unit as u', (j) =>
        j.onRef('u.version', '=', 'a.scope_version').onRef('u.code', '=', 'a.scope_code'),
      )
      .select(['a.id', 'a.username', 'a.scope_version', 'a.scope_code', 'u.path'])
      .where('a.username', '=', username)
      .executeTakeFirst();
  }
}
