import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db } from './client.ts';
import type { DirectiveTable, TaskStatusColumn } from './schema.ts';

/** Who a directive goes to, resolved against one version of the tree. */
export type RecipientQuery =
  | { kind: 'level'; path: string; level: number }
  | { kind: 'units'; codes: string[] }
  | { kind: 'group'; groupId: number };

export interface NewDirective {
  title: string;
  body: string;
  priority: 'normal' | 'high' | 'urgent';
  dueDate: string;
  target: unknown;
  version: string;
  scopePath: string;
  issuerId: string | null;
  issuerName: string;
  issuer: { version: string; code: string; path: string };
  createdAt: Date;
}

/** The columns a list shows (not the search text, as long as the body). */
const LIST_COLUMNS = [
  'id',
  'title',
  'body',
  'priority',
  'due_date',
  'target',
  'version',
  'scope_path',
  'issuer_id',
  'issuer_name',
  'issuer_version',
  'issuer_code',
  'issuer_path',
  'task_count',
  'created_at',
] as const;

export type DirectiveStatus = 'open' | 'overdue' | 'done';

/** What `list` narrows the scope's directives by; every field optional but the page. */
export interface DirectiveFilter {
  scopePath: string | null;
  version?: string;
  relation: 'all' | 'issued' | 'received';
  status?: DirectiveStatus;
  dueFrom?: string;
  dueTo?: string;
  /** Words each found in the folded title and body (literal, not patterns). */
  words?: string[];
  /** A directive's number: with `words`, a row matches by its number or its text. */
  id?: number;
  today: string;
  limit: number;
  offset: number;
}

export type DirectiveListRow = Pick<Selectable<DirectiveTable>, (typeof LIST_COLUMNS)[number]> & {
  progress_total: number;
  progress_done: number;
  progress_overdue: number;
  status: DirectiveStatus;
  issued_side: boolean;
};

export interface BoardCountRow {
  code: string;
  name: string | null;
  level: number | null;
  total: number;
  read: number;
  acknowledged: number;
  in_progress: number;
  done: number;
  blocked: number;
  overdue: number;
}

function recipientWhere(q: RecipientQuery): RawBuilder<boolean> {
  switch (q.kind) {
    case 'level':
      return sql<boolean>`u.level = ${q.level} and u.path like ${q.path + '%'}`;
    case 'units':
      return sql<boolean>`u.code = any(${q.codes}::text[])`;
    case 'group':
      return sql<boolean>`u.code in (select m.unit_code from unit_group_member m where m.group_id = ${q.groupId})`;
  }
}

export class DirectiveRepo {
  constructor(private readonly db: Db) {}

  /** How many units a target names, how many lie outside a scope, and their path bounds. */
  async preview(version: string, q: RecipientQuery, scopePath: string) {
    const r = await sql<{
      total: number;
      outside: number;
      min_path: string | null;
      max_path: string | null;
      first_outside: string | null;
    }>`select count(*)::int as total,
        count(*) filter (where u.path not like ${scopePath + '%'})::int as outside,
        min(u.path) as min_path, max(u.path) as max_path,
        min(u.code) filter (where u.path not like ${scopePath + '%'}) as first_outside
      from org_unit u where u.version = ${version} and ${recipientWhere(q)}`.execute(this.db);
    return r.rows[0]!;
  }

  async insert(d: NewDirective): Promise<number> {
    const row = await this.db
      .insertInto('directive')
      .values({
        title: d.title,
        body: d.body,
        priority: d.priority,
        due_date: d.dueDate,
        target: JSON.stringify(d.target),
        version: d.version,
        scope_path: d.scopePath,
        issuer_id: d.issuerId,
        issuer_name: d.issuerName,
        issuer_version: d.issuer.version,
        issuer_code: d.issuer.code,
        issuer_path: d.issuer.path,
        created_at: d.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * One task per recipient unit in a single set-based statement; returns the recipients' paths
   * (the audience of the directive's live event).
   */
  async fanOut(
    directiveId: number,
    version: string,
    q: RecipientQuery,
    t: { title: string; dueDate: string; at: Date; by: string | null },
  ): Promise<string[]> {
    const r = await sql<{ paths: string[] | null }>`with ins as (
        insert into task (directive_id, unit_id, version, unit_code, path, title, due_date,
          status, created_by, created_at, updated_at)
        select ${directiveId}, u.id, u.version, u.code, u.path, ${t.title}, ${t.dueDate}::date,
          'received', ${t.by}, ${t.at}, ${t.at}
        from org_unit u where u.version = ${version} and ${recipientWhere(q)}
        returning path)
      select array_agg(path) as paths from ins`.execute(this.db);
    const paths = r.rows[0]?.paths ?? [];
    const n = paths.length;
    await this.db
      .updateTable('directive')
      .set({ task_count: n })
      .where('id', '=', directiveId)
      .execute();
    return paths;
  }

  byId(id: number) {
    return this.db.selectFrom('directive').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * One page of the directives a scope sees (scope null = all), newest first, with the total
   * over all pages. Visibility is domain/audience.ts in SQL — the issuer's unit in the scope, or
   * a recipient (a task of the directive) in it — and every filter is AND-ed to it, so a filter
   * only narrows what the scope sees. Each row carries the counts of its tasks in the scope.
   */
  async list(f: DirectiveFilter): Promise<{ rows: DirectiveListRow[]; total: number }> {
    const p = f.scopePath;
    const under = (col: RawBuilder<unknown>) =>
      p === null ? sql<boolean>`true` : sql<boolean>`${col} like ${p + '%'}`;
    const issuedSide = under(sql`d.issuer_path`);
    const conds: RawBuilder<boolean>[] = [];
    if (p !== null)
      conds.push(sql<boolean>`(d.issuer_path like ${p + '%'} or exists (select 1 from task t
        where t.directive_id = d.id and t.path like ${p + '%'}))`);
    if (f.version) conds.push(sql<boolean>`d.version = ${f.version}`);
    if (f.relation === 'issued') conds.push(issuedSide);
    // The root's side holds every issuer: nothing reaches it from outside.
    if (f.relation === 'received') conds.push(p === null ? sql`false` : sql`not (${issuedSide})`);
    if (f.dueFrom) conds.push(sql<boolean>`d.due_date >= ${f.dueFrom}::date`);
    if (f.dueTo) conds.push(sql<boolean>`d.due_date <= ${f.dueTo}::date`);
    // LIKE's escape character is the backslash: the words' own \, % and _ match themselves.
    const text = (f.words ?? []).map(
      (w) =>
        sql<boolean>`d.search_text like '%' || opsroom_fold(${w.replace(/[\\%_]/g, (c) => '\\' + c)}) || '%'`,
    );
    // A number finds its directive as well as the directives whose text holds it.
    if (f.id !== undefined)
      conds.push(
        sql<boolean>`(d.id = ${f.id} or ${text.length ? sql.join(text, sql` and `) : sql`false`})`,
      );
    else conds.push(...text);
    const progress = sql`cross join lateral (select count(*)::int as total,
        count(*) filter (where t.status = 'done')::int as done,
        count(*) filter (where t.status <> 'done' and t.due_date < ${f.today}::date)::int as overdue
      from task t where t.directive_id = d.id and ${under(sql`t.path`)}) pr`;
    const status = sql<string>`case when pr.total > 0 and pr.done = pr.total then 'done'
      when pr.overdue > 0 then 'overdue' else 'open' end`;
    if (f.status) conds.push(sql<boolean>`${status} = ${f.status}`);
    const where = conds.length ? sql.join(conds, sql` and `) : sql`true`;
    const [rows, count] = await Promise.all([
      sql<DirectiveListRow>`select ${sql.join(LIST_COLUMNS.map((c) => sql.ref(`d.${c}`)))},
          pr.total as progress_total, pr.done as progress_done, pr.overdue as progress_overdue,
          ${status} as status, ${issuedSide} as issued_side
        from directive d ${progress}
        where ${where}
        order by d.id desc limit ${f.limit} offset ${f.offset}`.execute(this.db),
      sql<{ n: number }>`select count(*)::int as n from directive d
        ${f.status ? progress : sql``} where ${where}`.execute(this.db),
    ]);
    return { rows: rows.rows, total: count.rows[0]!.n };
  }

  /** Whether a recipient of a directive lies at or under a path (one probe of task_board_idx). */
  async recipientUnder(directiveId: number, path: string): Promise<boolean> {
    const r = await sql<{ found: boolean }>`select exists (select 1 from task t
        where t.directive_id = ${directiveId} and t.path like ${path + '%'}) as found`.execute(
      this.db,
    );
    return r.rows[0]!.found;
  }

  /**
   * Counts of a directive's tasks under a unit, grouped by the child of that unit each one
   * lies under: the child's code is a segment of the task's path (`/VN/79/760/…`), so one
   * scan of the board index answers, without joining the tree per task. A task of the unit
   * itself comes back with the unit's own code.
   */
  async board(
    directiveId: number,
    unit: { version: string; code: string; path: string; level: number },
    today: string,
  ): Promise<BoardCountRow[]> {
    // split_part('/VN/79/760/', '/', n): n = 2 is VN (level 0), so a child at level L + 1 is L + 3.
    const segment = unit.level + 3;
    const r = await sql<BoardCountRow>`with c as (
        select coalesce(nullif(split_part(t.path, '/', ${segment}), ''), ${unit.code}) as code,
          count(*)::int as total,
          count(t.read_at)::int as read,
          count(t.acknowledged_at)::int as acknowledged,
          count(*) filter (where t.status = 'in_progress')::int as in_progress,
          count(*) filter (where t.status = 'done')::int as done,
          count(*) filter (where t.status = 'blocked')::int as blocked,
          count(*) filter (where t.status <> 'done' and t.due_date < ${today}::date)::int as overdue
        from task t
        where t.directive_id = ${directiveId} and t.version = ${unit.version}
          and t.path like ${unit.path + '%'}
        group by 1)
      select c.*, u.name, u.level from c
      left join org_unit u on u.version = ${unit.version} and u.code = c.code
      order by u.level nulls first, u.code`.execute(this.db);
    return r.rows;
  }

  /** Tasks not done under a unit, the latest first, with the names of their units' ancestors. */
  async laggards(directiveId: number, unitPath: string, limit: number) {
    const r = await sql<{
      id: number;
      version: string;
      unit_code: string;
      path: string;
      status: TaskStatusColumn;
      due_date: string;
      reminded_at: Date | null;
      escalated_at: Date | null;
      name: string;
      level: number;
      names: string;
    }>`select t.id, t.version, t.unit_code, t.path, t.status, t.due_date, t.reminded_at,
        t.escalated_at, u.name, u.level,
        (select string_agg(a.name, ' / ' order by a.level) from org_unit_ancestor x
          join org_unit a on a.id = x.ancestor_id where x.unit_id = t.unit_id and a.level > 0) as names
      from task t join org_unit u on u.id = t.unit_id
      where t.directive_id = ${directiveId} and t.status <> 'done' and t.path like ${unitPath + '%'}
      order by t.due_date, t.status, t.path
      limit ${limit}`.execute(this.db);
    return r.rows;
  }

  async laggardCount(directiveId: number, unitPath: string): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from task t
      where t.directive_id = ${directiveId} and t.status <> 'done'
        and t.path like ${unitPath + '%'}`.execute(this.db);
    return r.rows[0]!.n;
  }

  /**
   * Marks every task not done under a unit as reminded, with a history row each, in two
   * set-based statements; returns the reminded units' paths per province (the second segment
   * of the path).
   */
  async remind(
    directiveId: number,
    unitPath: string,
    at: Date,
    actor: { id: string | null; name: string },
  ): Promise<{ province: string; paths: string[] }[]> {
    const r = await sql<{ province: string; paths: string[] }>`with up as (
        update task t set reminded_at = ${at}, updated_at = ${at}
        where t.directive_id = ${directiveId} and t.status <> 'done'
          and t.path like ${unitPath + '%'}
        returning t.id, t.path),
      ev as (
        insert into task_event (task_id, at, kind, actor_id, actor_name)
        select up.id, ${at}, 'reminded', ${actor.id}, ${actor.name} from up
        returning 1)
      select split_part(up.path, '/', 3) as province, array_agg(up.path order by up.path) as paths
      from up group by 1 order by 1`.execute(this.db);
    return r.rows;
  }
}
