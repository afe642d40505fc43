import type { Store } from '../db/store.ts';
import type { AttachmentRepo } from '../db/attachment.repo.ts';
import type { TaskRow, UnitRow } from '../db/task.repo.ts';
import { actorLabel, allows, can, isRootScope, type Actor } from '../domain/access.ts';
import { vnDate, type Clock } from '../domain/dates.ts';
import { AppError, errors } from '../domain/errors.ts';
import { assertTransition, daysLate, parentPath, type TaskStatus } from '../domain/task.ts';
import type { LiveBus } from '../live/bus.ts';
import type { HierarchyService } from './hierarchy.service.ts';
import { auditActor } from './audit.ts';
import type { Attachment, Task } from '../contract/task.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** A task as the API shows it: the unit, the directive it answers, and its progress. */
export function presentTask(t: TaskRow, today: string): Task {
  return {
    id: t.id,
    directiveId: t.directive_id,
    reportId: t.report_id,
    title: t.title,
    status: t.status,
    dueDate: t.due_date,
    daysLate: t.status === 'done' ? 0 : daysLate(t.due_date, today),
    progress: t.progress,
    blockedReason: t.blocked_reason,
    lastReport: t.last_report,
    figures: t.figures,
    assigneeId: t.assignee_id,
    readAt: iso(t.read_at),
    acknowledgedAt: iso(t.acknowledged_at),
    doneAt: iso(t.done_at),
    remindedAt: iso(t.reminded_at),
    escalatedAt: iso(t.escalated_at),
    createdAt: iso(t.created_at)!,
    updatedAt: iso(t.updated_at)!,
    unit: {
      version: t.version,
      code: t.unit_code,
      name: t.unit_name,
      level: t.unit_level,
      path: t.path,
    },
    directive:
      t.directive_id === null
        ? null
        : {
            id: t.directive_id,
            title: t.d_title!,
            body: t.d_body!,
            priority: t.d_priority!,
            dueDate: t.d_due_date!,
            issuerName: t.d_issuer_name!,
            createdAt: iso(t.d_created_at)!,
          },
  };
}
export type TaskView = ReturnType<typeof presentTask>;

export const attachmentKey = (actor: Actor) => `${actor.kind}:${actor.id}`;

export function dueDateProblem(dueDate: string, today: string): AppError | null {
  if (dueDate >= today) return null;
  return new AppError(
    'validation_failed',
    {
      vi: `Hạn hoàn thành ${dueDate.split('-').reverse().join('/')} đã qua (hôm nay là ${today.split('-').reverse().join('/')})`,
      en: `The due date ${dueDate} is in the past (today is ${today})`,
    },
    { dueDate, today },
  );
}

/** Pending uploads of the actor, or a clear refusal naming the ids that are not. */
export async function claimable(repo: AttachmentRepo, actor: Actor, ids: number[] | undefined) {
  const wanted = [...new Set(ids ?? [])];
  const found = await repo.pending(wanted, attachmentKey(actor));
  const missing = wanted.filter((id) => !found.some((f) => f.id === id));
  if (missing.length)
    throw new AppError(
      'file_invalid',
      {
        vi: `Tệp đính kèm không hợp lệ hoặc đã được dùng: ${missing.join(', ')}. Hãy tải tệp lên lại`,
        en: `Attachments not found or already used: ${missing.join(', ')}. Upload the files again`,
      },
      { attachmentIds: missing },
    );
  return wanted;
}

export interface StatusInput {
  status: TaskStatus;
  reason?: string;
  note?: string;
  progress?: number;
  figures?: Record<string, number>;
  attachmentIds?: number[];
}

export interface StandaloneInput {
  title: string;
  unit: string;
  version?: string;
  assignee?: number;
  dueDate: string;
  milestones?: { title: string; due: string }[];
}

interface Ctx {
  requestId?: string;
}

/** A recipient is the unit's own account (or the assignee), not a superior looking at it. */
function isRecipient(actor: Actor, t: TaskRow): boolean {
  if (actor.kind === 'user' && t.assignee_id !== null && String(t.assignee_id) === actor.id)
    return true;
  return actor.scope.version === t.version && actor.scope.code === t.unit_code;
}

export class TaskService {
  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly live: LiveBus,
    private readonly clock: Clock,
  ) {}

  today() {
    return vnDate(this.clock());
  }

  /** Publishes after commit; a lost event must not undo what was stored. */
  private publish(topic: string, payload: unknown, scope?: { version: string; path: string }) {
    this.live.publish(topic, payload, scope).catch((e: unknown) => {
      if (!this.live.isClosed) console.error(`live ${topic} event not stored`, e);
    });
  }

  /** The task's live event, to its unit and the units above (after the commit). */
  taskEvent(t: TaskRow, extra: Record<string, unknown> = {}) {
    this.publish(
      'task',
      {
        taskId: t.id,
        directiveId: t.directive_id,
        ...(t.report_id !== null ? { reportId: t.report_id } : {}),
        status: t.status,
        unit: { version: t.version, code: t.unit_code, name: t.unit_name, path: t.path },
        ...extra,
      },
      { version: t.version, path: t.path },
    );
  }

  async inbox(actor: Actor, q: { status?: TaskStatus; limit: number; to?: 'scope' | 'unit' }) {
    if (!allows(actor, 'task.read')) throw errors.forbidden('task.read');
    const root = isRootScope(actor.scope);
    const rows = await this.store.repos.tasks.inbox({
      version: root ? null : actor.scope.version,
      path: root ? null : actor.scope.path,
      status: q.status,
      limit: q.limit,
      ownPath: q.to === 'unit' ? actor.scope.path : undefined,
    });
    const today = this.today();
    return rows.map((r) => presentTask(r, today));
  }

  /**
   * A task readable by the actor, or 404 / 403: its unit is in scope. That is the directive rule
   * (domain/audience.ts) for one recipient: the unit and the units above it, which include the
   * assigner's side — a directive's recipients lie in its issuer's scope, a task is assigned
   * in the assigner's scope. Its comments, history and files follow the task.
   */
  private async readable(actor: Actor, id: number, repos = this.store.repos, lock = false) {
    if (!allows(actor, 'task.read')) throw errors.forbidden('task.read');
    const t = await repos.tasks.byId(id, lock);
    if (!t) throw errors.notFound(`task ${id}`);
    if (!can(actor, 'task.read', t)) throw errors.outOfScope(t.unit_code, t.version);
    return t;
  }

  /** The task with its milestones and attachments; opening it as a recipient records read_at once. */
  async get(actor: Actor, id: number, ctx: Ctx = {}) {
    let t = await this.readable(actor, id);
    if (t.read_at === null && isRecipient(actor, t)) {
      const at = this.clock();
      const marked = await this.store.transaction(async (tx) => {
        const repo = tx.tasks;
        if (!(await repo.markRead(id, at))) return false;
        await repo.addEvent({ taskId: id, at, kind: 'read', ...who(actor) });
        await tx.audit.record({
          ...auditActor(actor),
          action: 'task.read',
          entityType: 'task',
          entityId: String(id),
          unit: { version: t.version, code: t.unit_code },
          after: { readAt: at.toISOString() },
          requestId: ctx.requestId,
        });
        return true;
      });
      if (marked) {
        t = (await this.store.repos.tasks.byId(id))!;
        this.taskEvent(t, { read: true });
      }
    }
    return this.detail(t);
  }

  private async detail(t: TaskRow) {
    const repo = this.store.repos.tasks;
    const files = this.store.repos.attachments;
    const events = await repo.events(t.id);
    const [milestones, own, reported, directiveFiles] = await Promise.all([
      repo.milestones(t.id),
      files.list('task', [t.id]),
      files.list(
        'task_event',
        events.map((e) => e.id),
      ),
      t.directive_id === null ? Promise.resolve([]) : files.list('directive', [t.directive_id]),
    ]);
    return {
      ...presentTask(t, this.today()),
      milestones: milestones.map((m) => ({
        id: m.id,
        title: m.title,
        dueDate: m.due_date,
        doneAt: iso(m.done_at),
      })),
      attachments: [...directiveFiles, ...own, ...reported].map(presentFile),
    };
  }

  /** A status change or progress report by the recipient, checked by the status machine. */
  async changeStatus(actor: Actor, id: number, input: StatusInput, ctx: Ctx = {}) {
    if (!allows(actor, 'task.report')) throw errors.forbidden('task.report');
    const at = this.clock();
    const t = await this.store.transaction(async (tx) => {
      const repo = tx.tasks;
      const t = await repo.byId(id, true);
      if (!t) throw errors.notFound(`task ${id}`);
      if (!isRecipient(actor, t)) throw notRecipient(t);
      if (t.report_id !== null) throw reportTask(t);
      assertTransition(t.status, input.status, input);
      const files = tx.attachments;
      const attachmentIds = await claimable(files, actor, input.attachmentIds);
      const progress =
        input.status === 'done'
          ? 100
          : (input.progress ?? (input.status === 'acknowledged' ? 0 : t.progress));
      await repo.update(id, {
        status: input.status,
        blocked_reason: input.status === 'blocked' ? input.reason!.trim() : null,
        progress,
        ...(input.note !== undefined ? { last_report: input.note } : {}),
        ...(input.figures !== undefined ? { figures: JSON.stringify(input.figures) } : {}),
        ...(input.status === 'acknowledged' ? { acknowledged_at: at } : {}),
        ...(input.status === 'done' ? { done_at: at } : {}),
        ...(t.read_at === null ? { read_at: at } : {}),
        updated_at: at,
      });
      const eventId = await repo.addEvent({
        taskId: id,
        at,
        kind: 'status',
        ...who(actor),
        from: t.status,
        to: input.status,
        note: input.status === 'blocked' ? input.reason!.trim() : (input.note ?? null),
        progress,
        figures: input.figures ?? null,
      });
      await files.claim(attachmentIds, 'task_event', eventId);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'task.status',
        entityType: 'task',
        entityId: String(id),
        unit: { version: t.version, code: t.unit_code },
        before: { status: t.status, progress: t.progress },
        after: {
          status: input.status,
          progress,
          reason: input.reason,
          note: input.note,
          figures: input.figures,
          attachmentIds,
        },
        requestId: ctx.requestId,
      });
      return (await repo.byId(id))!;
    });
    this.taskEvent(t);
    return this.detail(t);
  }

  /** A comment writes on the task: reading it is not enough (a viewer reads, does not write). */
  async comment(actor: Actor, id: number, body: string, ctx: Ctx = {}) {
    if (!allows(actor, 'task.report')) throw errors.forbidden('task.report');
    const text = body.trim();
    if (!text)
      throw new AppError('validation_failed', {
        vi: 'Nội dung ý kiến không được để trống',
        en: 'The comment is empty',
      });
    const at = this.clock();
    const { t, c } = await this.store.transaction(async (tx) => {
      const t = await this.readable(actor, id, tx);
      const repo = tx.tasks;
      const c = await repo.addComment({
        taskId: id,
        authorId: actor.id,
        authorName: actorLabel(actor),
        body: text,
        at,
      });
      await repo.addEvent({ taskId: id, at, kind: 'comment', ...who(actor), note: text });
      await tx.audit.record({
        ...auditActor(actor),
        action: 'task.comment',
        entityType: 'task',
        entityId: String(id),
        unit: { version: t.version, code: t.unit_code },
        after: { commentId: c.id, body: text },
        requestId: ctx.requestId,
      });
      return { t, c };
    });
    this.taskEvent(t, { comment: c.id });
    return {
      id: c.id,
      taskId: id,
      authorName: c.author_name,
      body: c.body,
      createdAt: iso(c.created_at)!,
    };
  }

  async history(actor: Actor, id: number) {
    const t = await this.readable(actor, id);
    const repo = this.store.repos.tasks;
    const [events, comments] = await Promise.all([repo.events(id), repo.comments(id)]);
    const files = await this.store.repos.attachments.list(
      'task_event',
      events.map((e) => e.id),
    );
    return {
      task: presentTask(t, this.today()),
      events: events.map((e) => ({
        id: e.id,
        at: iso(e.at)!,
        kind: e.kind,
        actor: { id: e.actor_id, name: e.actor_name },
        from: e.from_status,
        to: e.to_status,
        note: e.note,
        progress: e.progress,
        figures: e.figures,
        attachments: files.filter((f) => f.owner_id === e.id).map(presentFile),
      })),
      comments: comments.map((c) => ({
        id: c.id,
        taskId: id,
        authorName: c.author_name,
        body: c.body,
        createdAt: iso(c.created_at)!,
      })),
    };
  }

  /** Work assigned outside a directive: a unit (and optionally a person), a deadline, milestones. */
  async createStandalone(actor: Actor, input: StandaloneInput, ctx: Ctx = {}) {
    if (!allows(actor, 'task.assign')) throw errors.forbidden('task.assign');
    const version = await this.hierarchy.versionFor(actor, input.version);
    const repo = this.store.repos.tasks;
    const unit = await repo.unit(version, input.unit);
    if (!unit) throw errors.unknownUnit(input.unit, version);
    if (!can(actor, 'task.assign', unit)) throw errors.outOfScope(unit.code, version);
    const today = this.today();
    const late = dueDateProblem(input.dueDate, today);
    if (late) throw late;
    const badMilestone = (input.milestones ?? []).find(
      (m) => m.due < today || m.due > input.dueDate,
    );
    if (badMilestone)
      throw new AppError(
        'validation_failed',
        {
          vi: `Mốc "${badMilestone.title}" phải có hạn từ hôm nay đến hạn của nhiệm vụ`,
          en: `Milestone "${badMilestone.title}" must be due between today and the task's due date`,
        },
        { milestone: badMilestone },
      );
    if (input.assignee !== undefined && !(await repo.userExists(input.assignee)))
      throw errors.notFound(`user ${input.assignee}`);
    const at = this.clock();
    const t = await this.store.transaction(async (tx) => {
      const r = tx.tasks;
      const id = await r.insertStandalone({
        unitId: unit.id,
        version,
        code: unit.code,
        path: unit.path,
        assigneeId: input.assignee ?? null,
        title: input.title,
        dueDate: input.dueDate,
        by: actor.name,
        at,
      });
      await r.addMilestones(id, input.milestones ?? []);
      await r.addEvent({ taskId: id, at, kind: 'created', ...who(actor), to: 'received' });
      await tx.audit.record({
        ...auditActor(actor),
        action: 'task.create',
        entityType: 'task',
        entityId: String(id),
        unit: { version, code: unit.code },
        after: input,
        requestId: ctx.requestId,
      });
      return (await r.byId(id))!;
    });
    this.taskEvent(t, { created: true });
    return this.detail(t);
  }

  async completeMilestone(actor: Actor, id: number, milestoneId: number, ctx: Ctx = {}) {
    if (!allows(actor, 'task.report')) throw errors.forbidden('task.report');
    const at = this.clock();
    const t = await this.store.transaction(async (tx) => {
      const t = await this.readable(actor, id, tx, true);
      // A milestone is progress on the task: reported by its recipient, as a status is.
      if (!isRecipient(actor, t)) throw notRecipient(t);
      const repo = tx.tasks;
      const m = await repo.completeMilestone(id, milestoneId, at);
      if (!m) throw errors.notFound(`milestone ${milestoneId}`);
      await repo.addEvent({ taskId: id, at, kind: 'milestone', ...who(actor), note: m.title });
      await tx.audit.record({
        ...auditActor(actor),
        action: 'task.milestone',
        entityType: 'task',
        entityId: String(id),
        unit: { version: t.version, code: t.unit_code },
        after: { milestoneId, doneAt: at.toISOString() },
        requestId: ctx.requestId,
      });
      return t;
    });
    this.taskEvent(t, { milestone: milestoneId });
    return this.detail((await this.store.repos.tasks.byId(id))!);
  }

  /**
   * Escalation: every late task not done is escalated once to the unit above (history row,
   * audit row, then one live event per parent unit). Safe to run from several instances.
   */
  async escalateOverdue(): Promise<number> {
    const at = this.clock();
    const today = vnDate(at);
    const rows = await this.store.transaction(async (tx) => {
      const rows = await tx.tasks.escalate(today, at);
      // A citizen's report whose task went up a level says so in its public history.
      if (rows.length)
        await tx.citizenReports.escalated(
          rows.map((r) => r.id),
          at,
          'Quá hạn xử lý, đã báo cáo lên cấp trên / Overdue, escalated to the unit above',
        );
      if (rows.length)
        await tx.audit.record({
          ...auditActor('system'),
          action: 'task.escalate',
          entityType: 'task',
          entityId: rows.length === 1 ? String(rows[0]!.id) : `${rows.length} tasks`,
          after: { today, count: rows.length, taskIds: rows.slice(0, 1000).map((r) => r.id) },
        });
      return rows;
    });
    const byParent = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = `${r.version}|${parentPath(r.path)}`;
      const list = byParent.get(key) ?? [];
      list.push(r);
      byParent.set(key, list);
    }
    if (byParent.size)
      this.live
        .publishMany(
          [...byParent].map(([key, list]) => {
            const [version, path] = key.split('|') as [string, string];
            return {
              topic: 'escalation',
              scope: { version, path },
              payload: {
                parent: { version, code: path.split('/').at(-2)!, path },
                count: list.length,
                directiveIds: [...new Set(list.map((r) => r.directive_id))],
                tasks: list.slice(0, 50).map((r) => ({
                  taskId: r.id,
                  directiveId: r.directive_id,
                  unit: r.unit_code,
                  status: r.status,
                  dueDate: r.due_date,
                })),
              },
            };
          }),
        )
        .catch((e: unknown) => {
          if (!this.live.isClosed) console.error('live escalation events not stored', e);
        });
    return rows.length;
  }

  /** Stores an uploaded file (pending until a directive or report cites it). */
  /** A file for a directive or a report: writing, so a viewer (read only) may not upload. */
  async upload(actor: Actor, file: { name: string; type: string; bytes: Uint8Array }) {
    if (!allows(actor, 'task.report')) throw errors.forbidden('task.report');
    const contentType = fileType(file.name, file.bytes);
    const row = await this.store.transaction(async (tx) => {
      const row = await tx.attachments.insert({
        fileName: file.name.slice(0, 255),
        contentType,
        bytes: file.bytes,
        createdBy: attachmentKey(actor),
        at: this.clock(),
      });
      await tx.audit.record({
        ...auditActor(actor),
        action: 'attachment.upload',
        entityType: 'attachment',
        entityId: String(row.id),
        after: { fileName: row.file_name, contentType, size: row.size },
      });
      return row;
    });
    return presentFile(row);
  }

  /**
   * A file for download, if the actor may see what it is attached to. A directive's files
   * are checked by the caller (`directiveId` is returned for that).
   */
  async download(actor: Actor, id: number) {
    if (!allows(actor, 'task.read')) throw errors.forbidden('task.read');
    const f = await this.store.repos.attachments.byId(id);
    if (!f) throw errors.notFound(`attachment ${id}`);
    let directiveId: number | undefined;
    if (f.owner_kind === 'pending') {
      if (f.created_by !== attachmentKey(actor)) throw errors.notFound(`attachment ${id}`);
    } else if (f.owner_kind === 'directive') directiveId = f.owner_id!;
    else {
      const taskId =
        f.owner_kind === 'task' ? f.owner_id! : await this.store.repos.tasks.eventTask(f.owner_id!);
      if (taskId === undefined) throw errors.notFound(`attachment ${id}`);
      await this.readable(actor, taskId);
    }
    return { file: f, directiveId };
  }

  /** Unit lookup shared with the plan service. */
  unit(version: string, code: string): Promise<UnitRow | undefined> {
    return this.store.repos.tasks.unit(version, code);
  }
}

function who(actor: Actor) {
  return { actorId: actor.id, actorName: actorLabel(actor) };
}

function notRecipient(t: TaskRow) {
  return new AppError(
    'not_recipient',
    {
      vi: `Chỉ đơn vị nhận nhiệm vụ (${t.unit_name}) hoặc người được giao mới được báo cáo nhiệm vụ này`,
      en: `Only the recipient unit (${t.unit_name}) or the assignee may report on this task`,
    },
    { taskId: t.id, unit: t.unit_code, version: t.version },
  );
}

/** A report's task moves with its report: acknowledged, answered, closed there. */
function reportTask(t: TaskRow) {
  return new AppError(
    'invalid_transition',
    {
      vi: `Nhiệm vụ này xử lý phản ánh của người dân: hãy tiếp nhận, trả lời, kết thúc hoặc chuyển phản ánh tại /api/reports/${t.report_id}`,
      en: `This task handles a citizen's report: acknowledge, answer, close or transfer the report at /api/reports/${t.report_id}`,
    },
    { taskId: t.id, reportId: t.report_id },
  );
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const MIME = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

/**
 * The content type of an allowed file (pdf, docx, xlsx, png, jpeg) from its first bytes and,
 * for the zip-based Office files, its extension; anything else is refused.
 */
export function fileType(name: string, bytes: Uint8Array): string {
  if (bytes.byteLength > MAX_FILE_BYTES)
    throw new AppError(
      'payload_too_large',
      {
        vi: `Tệp "${name}" quá lớn (${(bytes.byteLength / 1048576).toFixed(1).replace('.', ',')} MB): tối đa 10 MB`,
        en: `The file "${name}" is too large (${(bytes.byteLength / 1048576).toFixed(1)} MB): at most 10 MB`,
      },
      { fileName: name, size: bytes.byteLength, max: MAX_FILE_BYTES },
    );
  const ext = name.toLowerCase().split('.').at(-1) ?? '';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return MIME.pdf;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return MIME.png;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return MIME.jpeg;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && (ext === 'docx' || ext === 'xlsx'))
    return MIME[ext];
  throw new AppError(
    'file_invalid',
    {
      vi: `Loại tệp của "${name}" không được phép: chỉ nhận PDF, Word (docx), Excel (xlsx), PNG, JPEG`,
      en: `The file type of "${name}" is not allowed: only PDF, Word (docx), Excel (xlsx), PNG and JPEG`,
    },
    { fileName: name },
  );
}

export function presentFile(f: {
  id: number;
  file_name: string;
  content_type: string;
  size: number;
}): Attachment {
  return { id: f.id, fileName: f.file_name, contentType: f.content_type, size: f.size };
}
