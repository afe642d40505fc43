import type { DirectiveListQuery } from '../contract/directive.ts';
import type { Store } from '../db/store.ts';
import type { DirectiveRepo, RecipientQuery } from '../db/directive.repo.ts';
import { actorLabel, allows, can, isRootScope, type Actor } from '../domain/access.ts';
import { sees } from '../domain/audience.ts';
import { vnDate, type Clock } from '../domain/dates.ts';
import { AppError, errors } from '../domain/errors.ts';
import { BODY_MAX, commonAncestorPath, daysLate, type Priority } from '../domain/task.ts';
import type { LiveBus } from '../live/bus.ts';
import type { HierarchyService } from './hierarchy.service.ts';
import { auditActor } from './audit.ts';
import { claimable, dueDateProblem, presentFile } from './task.service.ts';

export interface TargetInput {
  kind: 'units' | 'level' | 'group' | 'nation';
  version?: string;
  units?: string[];
  unit?: string;
  level?: number;
  group?: string;
}

export interface IssueInput {
  title: string;
  body: string;
  priority: Priority;
  dueDate: string;
  target: TargetInput;
  attachmentIds?: number[];
}

interface Ctx {
  requestId?: string;
}

type DirectiveRow = Omit<NonNullable<Awaited<ReturnType<DirectiveRepo['byId']>>>, 'search_text'>;

const addDays = (iso: string, days: number) => {
  const d = new Date(iso + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** The due dates asked, as one range: a named window from today, within the dates given. */
function dueRange(
  q: Pick<DirectiveListQuery, 'due' | 'dueFrom' | 'dueTo'>,
  today: string,
): { dueFrom?: string; dueTo?: string } {
  const window: Record<NonNullable<DirectiveListQuery['due']>, [string?, string?]> = {
    past: [undefined, addDays(today, -1)],
    today: [today, today],
    week: [today, addDays(today, 7)],
    month: [today, addDays(today, 30)],
  };
  const [from, to] = q.due ? window[q.due] : [];
  const max = (a?: string, b?: string) => (a && b ? (a > b ? a : b) : (a ?? b));
  const min = (a?: string, b?: string) => (a && b ? (a < b ? a : b) : (a ?? b));
  return { dueFrom: max(from, q.dueFrom), dueTo: min(to, q.dueTo) };
}

const invalidTarget = (vi: string, en: string, details?: unknown) =>
  new AppError('validation_failed', { vi, en }, details);

export class DirectiveService {
  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly live: LiveBus,
    private readonly clock: Clock,
  ) {}

  today() {
    return vnDate(this.clock());
  }

  private present(
    d: DirectiveRow,
    files: { id: number; file_name: string; content_type: string; size: number }[] = [],
  ) {
    return {
      id: d.id,
      title: d.title,
      body: d.body,
      priority: d.priority,
      dueDate: d.due_date,
      target: d.target as TargetInput,
      version: d.version,
      scopePath: d.scope_path,
      issuer: {
        id: d.issuer_id,
        name: d.issuer_name,
        unit: { version: d.issuer_version, code: d.issuer_code, path: d.issuer_path },
      },
      taskCount: d.task_count,
      createdAt: new Date(d.created_at).toISOString(),
      attachments: files.map(presentFile),
    };
  }

  /** The target as a query on the tree, after checking the units and group it names exist. */
  private async recipients(version: string, t: TargetInput): Promise<RecipientQuery> {
    const tasks = this.store.repos.tasks;
    switch (t.kind) {
      case 'nation':
        return { kind: 'level', path: '/', level: t.level ?? 1 };
      case 'level': {
        if (!t.unit || t.level === undefined)
          throw invalidTarget(
            'Đối tượng theo cấp cần mã đơn vị (unit) và cấp (level)',
            'A level target needs a unit code (unit) and a level',
          );
        const unit = await tasks.unit(version, t.unit);
        if (!unit) throw errors.unknownUnit(t.unit, version);
        if (t.level <= unit.level)
          throw invalidTarget(
            `Cấp ${t.level} không nằm dưới ${unit.name} (cấp ${unit.level})`,
            `Level ${t.level} is not below ${unit.name} (level ${unit.level})`,
            { unit: t.unit, level: t.level },
          );
        return { kind: 'level', path: unit.path, level: t.level };
      }
      case 'units': {
        const codes = [...new Set(t.units ?? [])];
        if (!codes.length)
          throw invalidTarget(
            'Cần chọn ít nhất một đơn vị nhận',
            'Choose at least one recipient unit',
          );
        const found = await tasks.existing(version, codes);
        const unknown = codes.filter((c) => !found.has(c));
        if (unknown.length)
          throw new AppError(
            'unknown_unit',
            {
              vi: `Không có đơn vị mã ${unknown.slice(0, 10).join(', ')} trong cây ${version}`,
              en: `No unit with code ${unknown.slice(0, 10).join(', ')} in the ${version} tree`,
            },
            { codes: unknown, version },
          );
        return { kind: 'units', codes };
      }
      case 'group': {
        if (!t.group)
          throw invalidTarget('Cần mã nhóm đơn vị (group)', 'A group target needs a group code');
        const g = await this.store.repos.groups.byCode(version, t.group);
        if (!g)
          throw new AppError(
            'not_found',
            {
              vi: `Không có nhóm đơn vị mã "${t.group}" trong cây ${version}`,
              en: `No group of units "${t.group}" in the ${version} tree`,
            },
            { group: t.group, version },
          );
        return { kind: 'group', groupId: g.id };
      }
    }
  }

  /**
   * Issues a directive: one task per recipient unit, created in one transaction with a
   * set-based insert; one `directive` live event goes out after commit, from the issuer's
   * unit to the recipients (domain/audience.ts).
   */
  async issue(actor: Actor, input: IssueInput, ctx: Ctx = {}) {
    if (!allows(actor, 'directive.issue')) throw errors.forbidden('directive.issue');
    const today = this.today();
    if (!input.title.trim())
      throw invalidTarget('Cần có tiêu đề chỉ đạo', 'The directive needs a title');
    if (input.body.length > BODY_MAX)
      throw new AppError(
        'validation_failed',
        {
          vi: `Nội dung dài ${input.body.length.toLocaleString('vi-VN')} ký tự, vượt giới hạn ${BODY_MAX.toLocaleString('vi-VN')} ký tự`,
          en: `The body is ${input.body.length.toLocaleString('en')} characters long, over the ${BODY_MAX.toLocaleString('en')} limit`,
        },
        { length: input.body.length, max: BODY_MAX },
      );
    const late = dueDateProblem(input.dueDate, today);
    if (late) throw late;
    const root = isRootScope(actor.scope);
    const version = await this.hierarchy.versionFor(actor, input.target.version);
    if (!root && version !== actor.scope.version) throw errors.outOfScope(undefined, version);
    const query = await this.recipients(version, input.target);
    const scopePath = root ? '/' : actor.scope.path;
    const at = this.clock();
    const issuer = root
      ? { version, code: actor.scope.code, path: `/${actor.scope.code}/` }
      : { version: actor.scope.version, code: actor.scope.code, path: actor.scope.path };

    const { d, files, recipients } = await this.store.transaction(async (tx) => {
      const repo = tx.directives;
      const p = await repo.preview(version, query, scopePath);
      if (p.total === 0)
        throw new AppError(
          'no_recipients',
          {
            vi: 'Đối tượng nhận không có đơn vị nào: không có chỉ đạo nào được tạo',
            en: 'The target names no unit: no directive was created',
          },
          { target: input.target, version },
        );
      if (p.outside > 0)
        throw new AppError(
          'out_of_scope',
          {
            vi: `${p.outside.toLocaleString('vi-VN')} đơn vị nhận (ví dụ mã ${p.first_outside}) nằm ngoài phạm vi của bạn`,
            en: `${p.outside.toLocaleString('en')} recipient units (e.g. code ${p.first_outside}) are outside your scope`,
          },
          { outside: p.outside, example: p.first_outside, version },
        );
      const attachments = tx.attachments;
      const attachmentIds = await claimable(attachments, actor, input.attachmentIds);
      const directiveScope = commonAncestorPath(p.min_path!, p.max_path!);
      const id = await repo.insert({
        title: input.title.trim(),
        body: input.body,
        priority: input.priority,
        dueDate: input.dueDate,
        target: { ...input.target, version },
        version,
        scopePath: directiveScope,
        issuerId: actor.id,
        issuerName: actorLabel(actor),
        issuer,
        createdAt: at,
      });
      const recipients = await repo.fanOut(id, version, query, {
        title: input.title.trim(),
        dueDate: input.dueDate,
        at,
        by: actorLabel(actor),
      });
      const taskCount = recipients.length;
      await attachments.claim(attachmentIds, 'directive', id);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'directive.issue',
        entityType: 'directive',
        entityId: String(id),
        unit: { version: issuer.version, code: issuer.code },
        after: {
          title: input.title,
          priority: input.priority,
          dueDate: input.dueDate,
          target: input.target,
          taskCount,
          attachmentIds,
        },
        requestId: ctx.requestId,
      });
      const d = (await repo.byId(id))!;
      return { d, files: await attachments.list('directive', [id]), recipients };
    });
    const payload = {
      directiveId: d.id,
      title: d.title,
      priority: d.priority,
      dueDate: d.due_date,
      taskCount: d.task_count,
      issuerName: d.issuer_name,
    };
    const lost = (e: unknown) => {
      if (!this.live.isClosed) console.error('live directive event not stored', e);
    };
    // One event, whatever the number of recipients: it carries their paths, and the hub sends
    // it to the issuer's side and the recipients' (domain/audience.ts), no one else.
    await this.live
      .publish('directive', payload, { version: d.version, path: d.issuer_path, recipients })
      .catch(lost);
    return { directive: this.present(d, files), taskCount: d.task_count };
  }

  /**
   * The directive, if the actor sees it (domain/audience.ts: the issuer's side, or a recipient
   * in its scope), else 404 — the same for its board, reminders and files.
   */
  private async load(actor: Actor, id: number) {
    if (!allows(actor, 'task.read')) throw errors.forbidden('task.read');
    const repo = this.store.repos.directives;
    const d = await repo.byId(id);
    if (!d) throw errors.notFound(`directive ${id}`);
    // `sees` asks whether a recipient lies in the scope only when the rest of the rule does
    // not decide; only then is the task index probed (once).
    let probe = false;
    const addressed = { version: d.version, senderPath: d.issuer_path };
    if (sees(actor.scope, addressed, () => ((probe = true), false))) return d;
    if (probe && (await repo.recipientUnder(id, actor.scope.path))) return d;
    throw errors.notFound(`directive ${id}`);
  }

  /**
   * One page of the directives the actor sees (`sees`, in SQL), narrowed by the filters: whose
   * side issued it, its status over the tasks in the actor's scope, its due date, words of its
   * text; newest first, with the total over every page.
   */
  async list(actor: Actor, q: DirectiveListQuery) {
    if (!allows(actor, 'task.read')) throw errors.forbidden('task.read');
    const root = isRootScope(actor.scope);
    const today = this.today();
    const due = dueRange(q, today);
    const text = q.q?.trim() ?? '';
    // "12" finds directive 12 and the texts holding 12; "#12" directive 12 only.
    const number = /^(#?)(\d{1,15})$/.exec(text);
    const words = number?.[1] ? [] : text.split(/\s+/).filter(Boolean);
    if (words.length > 10)
      throw new AppError(
        'validation_failed',
        {
          vi: `q: tìm tối đa 10 từ, đã gửi ${words.length} từ`,
          en: `q: at most 10 words are searched, ${words.length} were sent`,
        },
        { issues: [{ path: 'q', words: words.length, max: 10 }] },
      );
    const { rows, total } = await this.store.repos.directives.list({
      version: root ? q.version : actor.scope.version,
      scopePath: root ? null : actor.scope.path,
      relation: q.relation ?? (q.issued ? 'issued' : 'all'),
      status: q.status,
      ...due,
      words,
      id: number ? Number(number[2]) : undefined,
      today,
      limit: q.limit,
      offset: q.offset,
    });
    return {
      items: rows.map((d) => ({
        ...this.present(d),
        relation: d.issued_side ? ('issued' as const) : ('received' as const),
        status: d.status,
        progress: { total: d.progress_total, done: d.progress_done, overdue: d.progress_overdue },
      })),
      total,
      offset: q.offset,
      limit: q.limit,
      today,
    };
  }

  async get(actor: Actor, id: number) {
    const d = await this.load(actor, id);
    const files = await this.store.repos.attachments.list('directive', [id]);
    return this.present(d, files);
  }

  /**
   * The unit a board is drawn for: the one asked, else the issuer's unit, or the actor's own
   * for a recipient's side that does not hold the issuer's unit.
   */
  private async boardUnit(actor: Actor, d: DirectiveRow, code?: string) {
    const issuerSide = can(actor, 'task.read', { version: d.version, path: d.issuer_path });
    const wanted =
      code ??
      (!issuerSide ? actor.scope.code : d.issuer_version === d.version ? d.issuer_code : 'VN');
    const unit = await this.store.repos.tasks.unit(d.version, wanted);
    if (!unit) throw errors.unknownUnit(wanted, d.version);
    if (!can(actor, 'task.read', unit)) throw errors.outOfScope(unit.code, d.version);
    return unit;
  }

  /** Counts per child unit, computed in SQL, and the laggards (not done, latest first). */
  async board(actor: Actor, id: number, q: { unit?: string; laggards?: number } = {}) {
    const d = await this.load(actor, id);
    const unit = await this.boardUnit(actor, d, q.unit);
    const today = this.today();
    const repo = this.store.repos.directives;
    const [counts, laggards, laggardCount] = await Promise.all([
      repo.board(id, unit, today),
      repo.laggards(id, unit.path, q.laggards ?? 100),
      repo.laggardCount(id, unit.path),
    ]);
    const zero = {
      total: 0,
      read: 0,
      acknowledged: 0,
      inProgress: 0,
      done: 0,
      blocked: 0,
      overdue: 0,
    };
    const rows = counts.map((c) => ({
      unit: { code: c.code, name: c.name ?? c.code, level: c.level ?? unit.level + 1 },
      total: c.total,
      read: c.read,
      acknowledged: c.acknowledged,
      inProgress: c.in_progress,
      done: c.done,
      blocked: c.blocked,
      overdue: c.overdue,
    }));
    const totals = rows.reduce(
      (s, r) => ({
        total: s.total + r.total,
        read: s.read + r.read,
        acknowledged: s.acknowledged + r.acknowledged,
        inProgress: s.inProgress + r.inProgress,
        done: s.done + r.done,
        blocked: s.blocked + r.blocked,
        overdue: s.overdue + r.overdue,
      }),
      zero,
    );
    return {
      directive: this.present(d),
      unit: {
        version: unit.version,
        code: unit.code,
        name: unit.name,
        level: unit.level,
        path: unit.path,
      },
      today,
      rows,
      totals,
      laggardCount,
      laggards: laggards.map((l) => ({
        taskId: l.id,
        unit: { code: l.unit_code, name: l.name, level: l.level, path: l.path, pathNames: l.names },
        status: l.status,
        dueDate: l.due_date,
        daysLate: daysLate(l.due_date, today),
        remindedAt: l.reminded_at ? new Date(l.reminded_at).toISOString() : null,
        escalatedAt: l.escalated_at ? new Date(l.escalated_at).toISOString() : null,
      })),
    };
  }

  /**
   * One reminder to every laggard under the unit; one `reminder` live event per province, to
   * the issuer's side and the reminded units (domain/audience.ts), not the whole province.
   */
  async remind(actor: Actor, id: number, q: { unit?: string } = {}, ctx: Ctx = {}) {
    if (!allows(actor, 'directive.issue')) throw errors.forbidden('directive.issue');
    const d = await this.load(actor, id);
    const unit = await this.boardUnit(actor, d, q.unit);
    const at = this.clock();
    const perProvince = await this.store.transaction(async (tx) => {
      const rows = await tx.directives.remind(id, unit.path, at, {
        id: actor.id,
        name: actorLabel(actor),
      });
      const n = rows.reduce((s, r) => s + r.paths.length, 0);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'directive.remind',
        entityType: 'directive',
        entityId: String(id),
        unit: { version: unit.version, code: unit.code },
        after: { reminded: n, unit: unit.code },
        requestId: ctx.requestId,
      });
      return rows;
    });
    const reminded = perProvince.reduce((s, r) => s + r.paths.length, 0);
    if (perProvince.length)
      await this.live
        .publishMany(
          perProvince.map((p) => ({
            topic: 'reminder',
            scope: { version: d.version, path: d.issuer_path, recipients: p.paths },
            payload: {
              directiveId: d.id,
              title: d.title,
              dueDate: d.due_date,
              province: p.province,
              count: p.paths.length,
              by: actorLabel(actor),
            },
          })),
        )
        .catch((e: unknown) => {
          if (!this.live.isClosed) console.error('live reminder events not stored', e);
        });
    return { reminded };
  }
}
