import { sql } from 'kysely';
import type { Db } from './client.ts';
import type { TaskEventTable, TaskStatusColumn } from './schema.ts';

const TASK_COLUMNS = sql`t.id, t.directive_id, t.unit_id, t.version, t.unit_code, t.path,
  t.assignee_id, t.title, t.due_date, t.status, t.blocked_reason, t.read_at, t.acknowledged_at,
  t.done_at, t.progress, t.last_report, t.figures, t.reminded_at, t.escalated_at, t.created_by,
  t.created_at, t.updated_at, t.report_id, u.name as unit_name, u.level as unit_level,
  d.title as d_title, d.body as d_body, d.priority as d_priority, d.due_date as d_due_date,
  d.issuer_name as d_issuer_name, d.created_at as d_created_at`;

export interface TaskRow {
  id: number;
  directive_id: number | null;
  unit_id: number;
  version: string;
  unit_code: string;
  path: string;
  assignee_id: number | null;
  title: string;
  due_date: string;
  status: TaskStatusColumn;
  blocked_reason: string | null;
  read_at: Date | null;
  acknowledged_at: Date | null;
  done_at: Date | null;
  progress: number;
  last_report: string | null;
  figures: Record<string, number> | null;
  reminded_at: Date | null;
  escalated_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  /** The citizen's report the task answers (its status moves only through the report). */
  report_id: number | null;
  unit_name: string;
  unit_level: number;
  d_title: string | null;
  d_body: string | null;
  d_priority: 'normal' | 'high' | 'urgent' | null;
  d_due_date: string | null;
  d_issuer_name: string | null;
  d_created_at: Date | null;
}

export interface EscalatedRow {
  id: number;
  directive_id: number | null;
  version: string;
  unit_code: string;
  path: string;
  status: string;
  due_date: string;
}

export interface UnitRow {
  id: number;
  version: string;
  code: string;
  name: string;
  level: number;
  path: string;
  parent_code: string | null;
}

export class TaskRepo {
  constructor(private readonly db: Db) {}

  unit(version: string, code: string): Promise<UnitRow | undefined> {
    return this.db
      .selectFrom('org_unit')
      .select(['id', 'version', 'code', 'name', 'level', 'path', 'parent_code'])
      .where('version', '=', version)
      .where('code', '=', code)
      .executeTakeFirst();
  }

  /** Which of `codes` exist in a version. */
  async existing(version: string, codes: string[]): Promise<Set<string>> {
    if (!codes.length) return new Set();
    const rows = await this.db
      .selectFrom('org_unit')
      .select('code')
      .where('version', '=', version)
      .where('code', 'in', codes)
      .execute();
    return new Set(rows.map((r) => r.code));
  }

  userExists(id: number) {
    return this.db.selectFrom('app_user').select('id').where('id', '=', id).executeTakeFirst();
  }

  /** A unit's own tasks due between two dates (its week plan). */
  async ofUnitDue(version: string, code: string, from: string, to: string): Promise<TaskRow[]> {
    const r = await sql<TaskRow>`select ${TASK_COLUMNS}
      from task t join org_unit u on u.id = t.unit_id
      left join directive d on d.id = t.directive_id
      where t.version = ${version} and t.unit_code = ${code}
        and t.due_date between ${from}::date and ${to}::date
      order by t.due_date, t.id`.execute(this.db);
    return r.rows;
  }

  /** Tasks of units within a scope (path null = every unit), newest first. */
  async inbox(opts: {
    version: string | null;
    path: string | null;
    status?: TaskStatusColumn;
    limit: number;
    /** Of a directive's tasks, only this unit's (a task outside a directive: any in scope). */
    ownPath?: string;
  }): Promise<TaskRow[]> {
    const own =
      opts.ownPath === undefined
        ? sql`true`
        : sql`(t.directive_id is null or t.path = ${opts.ownPath})`;
    const r = await sql<TaskRow>`select ${TASK_COLUMNS}
      from task t join org_unit u on u.id = t.unit_id
      left join directive d on d.id = t.directive_id
      where ${opts.version === null ? sql`true` : sql`t.version = ${opts.version}`}
        and ${opts.path === null ? sql`true` : sql`t.path like ${opts.path + '%'}`}
        and ${opts.status ? sql`t.status = ${opts.status}` : sql`true`}
        and ${own}
      order by t.id desc limit ${opts.limit}`.execute(this.db);
    return r.rows;
  }

  async byId(id: number, lock = false): Promise<TaskRow | undefined> {
    const r = await sql<TaskRow>`select ${TASK_COLUMNS}
      from task t join org_unit u on u.id = t.unit_id
      left join directive d on d.id = t.directive_id
      where t.id = ${id} ${lock ? sql`for update of t` : sql``}`.execute(this.db);
    return r.rows[0];
  }

  /** Sets read_at the first time only; true when this call recorded it. */
  async markRead(id: number, at: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('task')
      .set({ read_at: at })
      .where('id', '=', id)
      .where('read_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  }

  async update(
    id: number,
    set: {
      status: TaskStatusColumn;
      blocked_reason: string | null;
      progress?: number;
      last_report?: string | null;
      figures?: string | null;
      acknowledged_at?: Date;
      done_at?: Date;
      read_at?: Date;
      updated_at: Date;
    },
  ) {
    await this.db.updateTable('task').set(set).where('id', '=', id).execute();
  }

  /**
   * Moves a task to another unit (a citizen's report transferred): the new unit receives it
   * afresh, to read and acknowledge; its due date stays.
   */
  async moveTo(id: number, unit: UnitRow, at: Date): Promise<void> {
    await this.db
      .updateTable('task')
      .set({
        unit_id: unit.id,
        version: unit.version,
        unit_code: unit.code,
        path: unit.path,
        status: 'received',
        read_at: null,
        acknowledged_at: null,
        assignee_id: null,
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
  }

  async addEvent(e: {
    taskId: number;
    at: Date;
    kind: TaskEventTable['kind'];
    actorId: string | null;
    actorName: string;
    from?: string | null;
    to?: string | null;
    note?: string | null;
    progress?: number | null;
    figures?: Record<string, number> | null;
  }): Promise<number> {
    const r = await this.db
      .insertInto('task_event')
      .values({
        task_id: e.taskId,
        at: e.at,
        kind: e.kind,
        actor_id: e.actorId,
        actor_name: e.actorName,
        from_status: e.from ?? null,
        to_status: e.to ?? null,
        note: e.note ?? null,
        progress: e.progress ?? null,
        figures: e.figures ? JSON.stringify(e.figures) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async eventTask(eventId: number): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('task_event')
      .select('task_id')
      .where('id', '=', eventId)
      .executeTakeFirst();
    return r?.task_id;
  }

  events(taskId: number) {
    return this.db
      .selectFrom('task_event')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('id')
      .execute();
  }

  async addComment(c: {
    taskId: number;
    authorId: string | null;
    authorName: string;
    body: string;
    at: Date;
  }) {
    return this.db
      .insertInto('task_comment')
      .values({
        task_id: c.taskId,
        author_id: c.authorId,
        author_name: c.authorName,
        body: c.body,
        created_at: c.at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  comments(taskId: number) {
    return this.db
      .selectFrom('task_comment')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('id')
      .execute();
  }

  /**
   * `insertStandalone` of many at once (a check's follow-ups): the ids in the order given. The
   * rows go as one JSON parameter per 5,000: a bulk load can open thousands of tasks.
   */
  async insertStandaloneMany(
    ts: {
      unitId: number;
      version: string;
      code: string;
      path: string;
      title: string;
      dueDate: string;
      by: string | null;
      at: Date;
    }[],
  ): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < ts.length; i += 5000) {
      const rows = ts.slice(i, i + 5000).map((t, k) => ({
        k,
        unit_id: t.unitId,
        version: t.version,
        unit_code: t.code,
        path: t.path,
        title: t.title,
        due_date: t.dueDate,
        created_by: t.by,
        at: t.at.toISOString(),
      }));
      const r = await sql<{ id: number }>`
        insert into task (directive_id, unit_id, version, unit_code, path, assignee_id, title,
          due_date, created_by, created_at, updated_at)
        select null, unit_id, version, unit_code, path, null, title, due_date::date, created_by,
          at::timestamptz, at::timestamptz
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as x(k int, unit_id int, version text, unit_code text, path text, title text,
            due_date text, created_by text, at text)
        order by k
        returning id`.execute(this.db);
      // Ids come from the sequence in the order the rows are inserted (ordered by k).
      ids.push(...r.rows.map((x) => x.id).sort((a, b) => a - b));
    }
    return ids;
  }

  /** `addEvent` of many 'created' events at once (one JSON parameter per 5,000). */
  async addCreatedEvents(
    es: { taskId: number; at: Date; actorName: string; to: string; note: string }[],
  ): Promise<void> {
    for (let i = 0; i < es.length; i += 5000) {
      const rows = es.slice(i, i + 5000).map((e) => ({
        task_id: e.taskId,
        at: e.at.toISOString(),
        actor_name: e.actorName,
        to_status: e.to,
        note: e.note,
      }));
      await sql`
        insert into task_event (task_id, at, kind, actor_id, actor_name, from_status, to_status,
          note, progress, figures)
        select task_id, at::timestamptz, 'created', null, actor_name, null, to_status, note, null,
          null
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as x(task_id int, at text, actor_name text, to_status text, note text)`.execute(this.db);
    }
  }

  async insertStandalone(t: {
    unitId: number;
    version: string;
    code: string;
    path: string;
    assigneeId: number | null;
    title: string;
    dueDate: string;
    by: string | null;
    at: Date;
    reportId?: number;
  }): Promise<number> {
    const r = await this.db
      .insertInto('task')
      .values({
        report_id: t.reportId ?? null,
        directive_id: null,
        unit_id: t.unitId,
        version: t.version,
        unit_code: t.code,
        path: t.path,
        assignee_id: t.assigneeId,
        title: t.title,
        due_date: t.dueDate,
        created_by: t.by,
        created_at: t.at,
        updated_at: t.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async addMilestones(taskId: number, items: { title: string; due: string }[]) {
    if (!items.length) return;
    await this.db
      .insertInto('task_milestone')
      .values(items.map((m) => ({ task_id: taskId, title: m.title, due_date: m.due })))
      .execute();
  }

  milestones(taskId: number) {
    return this.db
      .selectFrom('task_milestone')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('due_date')
      .orderBy('id')
      .execute();
  }

  async completeMilestone(taskId: number, milestoneId: number, at: Date) {
    return this.db
      .updateTable('task_milestone')
      .set({ done_at: at })
      .where('id', '=', milestoneId)
      .where('task_id', '=', taskId)
      .where('done_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Marks every late task not done and not escalated yet as escalated, with its history row,
   * in one statement: run by several instances at once, each task is escalated once.
   */
  async escalate(today: string, at: Date): Promise<EscalatedRow[]> {
    const r = await sql<EscalatedRow>`with up as (
        update task t set escalated_at = ${at}, updated_at = ${at}
        where t.status <> 'done' and t.escalated_at is null and t.due_date < ${today}::date
        returning t.id, t.directive_id, t.version, t.unit_code, t.path, t.status, t.due_date),
      ev as (
        insert into task_event (task_id, at, kind, actor_name, note)
        select up.id, ${at}, 'escalated', 'system', 'Quá hạn, báo cáo lên cấp trên / Overdue, escalated to the unit above'
        from up returning 1)
      select * from up order by path`.execute(this.db);
    return r.rows;
  }

  /** Tasks not done under a scope path: late ones, or due between two dates. */
  async openUnder(opts: {
    version: string | null;
    path: string | null;
    dueBefore?: string;
    dueFrom?: string;
    dueTo?: string;
    limit: number;
  }): Promise<TaskRow[]> {
    const r = await sql<TaskRow>`select ${TASK_COLUMNS}
      from task t join org_unit u on u.id = t.unit_id
      left join directive d on d.id = t.directive_id
      where t.status <> 'done'
        and ${opts.version === null ? sql`true` : sql`t.version = ${opts.version}`}
        and ${opts.path === null ? sql`true` : sql`t.path like ${opts.path + '%'}`}
        and ${opts.dueBefore ? sql`t.due_date < ${opts.dueBefore}::date` : sql`true`}
        and ${opts.dueFrom ? sql`t.due_date >= ${opts.dueFrom}::date` : sql`true`}
        and ${opts.dueTo ? sql`t.due_date <= ${opts.dueTo}::date` : sql`true`}
      order by t.due_date, t.path, t.id limit ${opts.limit}`.execute(this.db);
    return r.rows;
  }

  /**
   * Per child unit of a unit (or the unit itself) and per ISO week of the due date: tasks due,
   * and those done by the end of their due day (Viet Nam time, UTC+7 all year).
   */
  async onTime(
    unit: { version: string; code: string; path: string; level: number },
    from: string,
    to: string,
  ) {
    const segment = unit.level + 3;
    const r = await sql<{
      code: string;
      name: string | null;
      week_start: string;
      due: number;
      on_time: number;
    }>`with w as (
        select coalesce(nullif(split_part(t.path, '/', ${segment}), ''), ${unit.code}) as code,
          (t.due_date - (extract(isodow from t.due_date)::int - 1))::text as week_start,
          count(*)::int as due,
          count(*) filter (where t.status = 'done'
            and ((t.done_at at time zone 'UTC') + interval '7 hours')::date <= t.due_date)::int as on_time
        from task t
        where t.version = ${unit.version} and t.path like ${unit.path + '%'}
          and t.due_date between ${from}::date and ${to}::date
        group by 1, 2)
      select w.*, u.name from w left join org_unit u on u.version = ${unit.version} and u.code = w.code
      order by w.code, w.week_start`.execute(this.db);
    return r.rows;
  }
}
