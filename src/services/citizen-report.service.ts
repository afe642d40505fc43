import { createHash, randomBytes } from 'node:crypto';
import type { CitizenCategoryRow } from '../db/citizen-category.repo.ts';
import type {
  CitizenReportEventRow,
  CitizenReportListRow,
  CitizenReportRow,
} from '../db/citizen-report.repo.ts';
import type { Repos, Store } from '../db/store.ts';
import type { TaskRow, UnitRow } from '../db/task.repo.ts';
import { actorLabel, allows, can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import {
  REPORT_STATUS_LABELS,
  assertReportAction,
  infoPending,
  normalizeTrackingCode,
  publicEvent,
  reopenUntil,
  reportDeadlines,
  statusAfter,
  trackingCodeFrom,
  type ReportAction,
  type ReportSource,
} from '../domain/citizen-report.ts';
import { vnDate, type Clock } from '../domain/dates.ts';
import { AppError, errors } from '../domain/errors.ts';
import { parentPath } from '../domain/task.ts';
import type { WorkingCalendar } from '../domain/working-time.ts';
import type {
  OfficerReport,
  PublicReport,
  ReportIntake,
  ReportListItem,
  ReportReceipt,
} from '../contract/citizen-report.ts';
import type { CitizenReportStatusColumn } from '../db/schema.ts';
import {
  AUTO_FLAG_REASONS,
  HIDDEN_REASON,
  REPEAT_WINDOW_MS,
  autoFlag,
  comparedForRepeats,
  descriptionFingerprint,
} from '../domain/citizen-report-moderation.ts';
import type { ModerationQueueItem } from '../contract/citizen-report-moderation.ts';
import type { NotificationChannel, NotificationKind } from '../domain/citizen-notification.ts';
import { cleanPhoto } from './photo.ts';
import { auditActor } from './audit.ts';
import type { CitizenNotificationService } from './citizen-notification.service.ts';
import type { HierarchyService } from './hierarchy.service.ts';
import type { PlaceService } from './place.service.ts';
import { claimable, type TaskService } from './task.service.ts';

/**
 * The working calendar of the office handling a report (WorkingCalendarService). Inside a
 * transaction pass its repos: on PGlite's one connection a read outside it would wait for it.
 */
export interface Calendars {
  forUnit(version: string, code: string, repos?: Repos): Promise<WorkingCalendar>;
}

interface Ctx {
  requestId?: string;
}

/**
 * The public acting without an account, as the audit log and the Idempotency-Key middleware
 * name it (`citizen:public`): one caller, the tracking code is what tells citizens apart.
 */
export const CITIZEN_ACTOR = {
  actorKind: 'citizen',
  actorId: 'public',
  actorName: 'citizen',
} as const;
const CITIZEN_NAME = 'citizen';

/**
 * Who uploaded an anonymous photo: `citizen:` and the SHA-256 of the key its upload answered
 * (POST /api/public/photos). Only the holder of the key can cite the photo in a report.
 */
export const citizenUploadKey = (key: string) =>
  `citizen:${createHash('sha256').update(key).digest('hex')}`;

export const reportStatusUrl = (code: string) => `/api/public/reports/${code}`;
const photoUrl = (code: string, id: number) => `/api/public/reports/${code}/photos/${id}`;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const CLOSED: readonly CitizenReportStatusColumn[] = ['answered', 'closed', 'refused'];

const unknownCategory = (code: string) =>
  new AppError(
    'unknown_category',
    {
      vi: `Không có lĩnh vực phản ánh mã "${code}" đang được tiếp nhận; hãy chọn một lĩnh vực trong danh sách`,
      en: `No citizen report category "${code}" is open for reports; choose one from the list`,
    },
    { category: code },
  );

const unknownCode = (code: string) =>
  new AppError(
    'not_found',
    {
      vi: `Không có phản ánh nào mang mã theo dõi "${code.slice(0, 40)}"; hãy kiểm tra lại mã (dạng PA-7KQ2-M9XD)`,
      en: `No report has the tracking code "${code.slice(0, 40)}"; check the code (like PA-7KQ2-M9XD)`,
    },
    { code: code.slice(0, 40) },
  );

const badPhotos = (ids: number[]) =>
  new AppError(
    'file_invalid',
    {
      vi: `Ảnh không hợp lệ hoặc đã được dùng: ${ids.join(', ')}. Hãy tải ảnh lên lại`,
      en: `Photos not found or already used: ${ids.join(', ')}. Upload the photos again`,
    },
    { photos: ids },
  );

function proofRequired(what: 'photo' | 'note') {
  return new AppError(
    'proof_required',
    what === 'photo'
      ? {
          vi: 'Lĩnh vực này cần ít nhất một ảnh làm bằng chứng khi trả lời hoặc kết thúc phản ánh; hãy tải ảnh lên (POST /api/attachments) rồi gửi kèm',
          en: 'This category needs at least one photo as proof to answer or close a report; upload one (POST /api/attachments) and attach it',
        }
      : {
          vi: 'Kết thúc phản ánh chưa được trả lời cần ghi rõ kết quả xử lý (note) để người dân biết',
          en: 'Closing a report that was not answered needs a note of what was done, for the citizen',
        },
    { proof: what },
  );
}

/** A unit an actor may hand a report to: its own scope, or its parent unit's. */
function withinReach(actor: Actor, unit: UnitRow): boolean {
  if (isRootScope(actor.scope) || inScope(actor.scope, unit)) return true;
  return unit.version === actor.scope.version && unit.path.startsWith(parentPath(actor.scope.path));
}

/**
 * Citizens' reports (issue 20): received from the public, routed as a task to the unit that
 * must act, handled by its officers, followed by the citizen with a tracking code. Every write
 * is one transaction with its history row, its task's change and its audit row; the task's
 * live event goes out after the commit, as the task service's own.
 */
export class CitizenReportService {
  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly places: PlaceService,
    private readonly tasks: TaskService,
    private readonly calendars: Calendars,
    private readonly clock: Clock,
    private readonly notifications: CitizenNotificationService,
  ) {}

  // — The public

  /** A citizen's report, routed to its handling unit with a task; answers the tracking code. */
  async receive(
    input: ReportIntake,
    // client: the API token an app sent it with (Open311's api_key), for the audit log;
    // note: what came with it that is not the citizen's report (officers only).
    opts: Ctx & { source?: ReportSource; client?: string; note?: string } = {},
  ): Promise<ReportReceipt> {
    const repos = this.store.repos;
    const cat = await repos.citizenCategories.byCode(input.category);
    if (!cat || !cat.active) throw unknownCategory(input.category);
    const place =
      'lat' in input.place
        ? await this.places.locate({ lat: input.place.lat, lon: input.place.lon })
        : await this.places.commune(input.place.unit);
    const version = place.version;
    const handlerCode =
      cat.handler_level === 'commune'
        ? place.commune.code
        : cat.handler_level === 'province'
          ? place.province?.code
          : cat.handler_unit;
    const handler = handlerCode ? await repos.tasks.unit(version, handlerCode) : undefined;
    if (!handler) throw errors.unknownUnit(handlerCode ?? '(province)', version);
    const commune = await repos.tasks.unit(version, place.commune.code);
    if (!commune) throw errors.unknownUnit(place.commune.code, version);
    const calendar = await this.calendars.forUnit(version, handler.code);
    const at = this.clock();
    const due = reportDeadlines(calendar, at, {
      acknowledgeWithin: cat.acknowledge_within,
      answerWithin: cat.answer_within,
    });
    // Moderation at intake: flagged, never refused (a real report is never lost).
    const hash = comparedForRepeats(input.description)
      ? createHash('sha256').update(descriptionFingerprint(input.description)).digest('hex')
      : null;
    const { id, code, taskId } = await this.store.transaction(async (tx) => {
      const repeated =
        hash !== null &&
        (await tx.citizenReports.sameTextSince(hash, new Date(at.getTime() - REPEAT_WINDOW_MS)));
      const rule = autoFlag(input.description, repeated);
      const flag = rule ? { rule, reason: AUTO_FLAG_REASONS[rule].vi } : null;
      const photoIds: number[] = [];
      const missing: number[] = [];
      for (const p of input.photos) {
        const found = await tx.attachments.pending([p.id], citizenUploadKey(p.key));
        (found.length ? photoIds : missing).push(p.id);
      }
      if (missing.length) throw badPhotos(missing);
      let id: number | undefined;
      let code = '';
      for (let i = 0; id === undefined; i++) {
        if (i === 5) throw new Error('no free tracking code after 5 draws');
        code = newTrackingCode();
        id = await tx.citizenReports.insert({
          code,
          categoryCode: cat.code,
          description: input.description,
          lat: 'lat' in input.place ? input.place.lat : null,
          lon: 'lat' in input.place ? input.place.lon : null,
          place: { version, code: commune.code, path: commune.path },
          handler: { version, code: handler.code, path: handler.path },
          contactPhone: input.contact?.phone ?? null,
          contactEmail: input.contact?.email ?? null,
          source: opts.source ?? 'web',
          acknowledgeDue: due.acknowledgeDue,
          answerDue: due.answerDue,
          at,
          descriptionHash: hash,
          flag,
        });
      }
      const taskId = await this.openTask(tx, id, code, cat, handler, due.answerDue, at);
      await tx.citizenReports.update(id, { task_id: taskId });
      await tx.citizenReports.addEvent({
        reportId: id,
        at,
        kind: 'received',
        status: 'received',
        to: { code: handler.code, name: handler.name },
        internalNote: opts.note ?? null,
        actorName: CITIZEN_NAME,
      });
      await tx.attachments.claim(photoIds, 'citizen_report', id);
      await tx.audit.record({
        ...CITIZEN_ACTOR,
        action: 'citizen_report.receive',
        entityType: 'citizen_report',
        entityId: String(id),
        unit: { version, code: handler.code },
        // The contact stays out of the log: whether one was given is enough.
        after: {
          code,
          category: cat.code,
          commune: commune.code,
          handler: handler.code,
          source: opts.source ?? 'web',
          ...(opts.client ? { client: opts.client } : {}),
          taskId,
          photos: photoIds,
          contact: { phone: !!input.contact?.phone, email: !!input.contact?.email },
          acknowledgeDue: due.acknowledgeDue.toISOString(),
          answerDue: due.answerDue.toISOString(),
        },
        requestId: opts.requestId,
      });
      if (flag)
        await tx.audit.record({
          ...auditActor('system'),
          action: 'citizen_report.flag',
          entityType: 'citizen_report',
          entityId: String(id),
          unit: { version, code: handler.code },
          before: { moderation: 'none' },
          after: { moderation: 'flagged', rule: flag.rule, reason: flag.reason },
          requestId: opts.requestId,
        });
      return { id, code, taskId };
    });
    await this.announce(taskId, { created: true, reportId: id });
    return {
      code,
      status: 'received',
      receivedAt: at.toISOString(),
      handler: { code: handler.code, name: handler.name },
      acknowledgeDue: due.acknowledgeDue.toISOString(),
      answerDue: due.answerDue.toISOString(),
      statusUrl: reportStatusUrl(code),
    };
  }

  /** The public page of a report: no contact, no officer's name. */
  async publicView(code: string): Promise<PublicReport> {
    const r = await this.byCode(code);
    const v = await this.view(r);
    const history = v.events.map((e) => v.publicEvent(e));
    if (r.moderation !== 'hidden') return { ...v.base, history };
    // Hidden as abusive: the status and its times only, none of the citizen's words or photos.
    return {
      ...v.base,
      description: '',
      refusedReason: HIDDEN_REASON.vi,
      rating: null,
      photos: [],
      answerPhotos: [],
      history: history.map((e) => ({
        ...e,
        note: e.kind === 'refused' ? HIDDEN_REASON.vi : null,
        photos: [],
      })),
    };
  }

  /** A file of a report or of its history, for whoever holds its code. */
  async publicPhoto(code: string, id: number) {
    const r = await this.byCode(code);
    if (r.moderation === 'hidden') throw errors.notFound(`photo ${id}`);
    const f = await this.store.repos.attachments.byId(id);
    const owned =
      f &&
      ((f.owner_kind === 'citizen_report' && f.owner_id === r.id) ||
        (f.owner_kind === 'citizen_report_event' &&
          (await this.store.repos.citizenReports.events(r.id)).some((e) => e.id === f.owner_id)));
    if (!f || !owned) throw errors.notFound(`photo ${id}`);
    return f;
  }

  /** The citizen answers the unit's question. */
  addInfo(code: string, info: string, ctx: Ctx = {}): Promise<PublicReport> {
    return this.citizenAct(code, 'add_info', ctx, async (tx, r, at) => {
      const kinds = (await tx.citizenReports.events(r.id)).map((e) => e.kind);
      if (!infoPending(r.status, kinds))
        throw new AppError(
          'invalid_transition',
          {
            vi: 'Đơn vị xử lý không đề nghị bổ sung thông tin nào đang chờ trả lời',
            en: 'The handling unit has asked no question that waits for an answer',
          },
          { status: r.status },
        );
      await tx.citizenReports.addEvent({
        reportId: r.id,
        at,
        kind: 'info_added',
        status: r.status,
        publicNote: info,
        actorName: CITIZEN_NAME,
      });
      await tx.citizenReports.update(r.id, { updated_at: at });
      return { info };
    });
  }

  /** The citizen reopens an answered or closed report within its time: a new task. */
  reopen(code: string, reason: string, ctx: Ctx = {}): Promise<PublicReport> {
    return this.citizenAct(code, 'reopen', ctx, async (tx, r, at) => {
      if (!r.reopen_until || at > new Date(r.reopen_until))
        throw new AppError(
          'invalid_transition',
          {
            vi: `Đã hết thời hạn mở lại phản ánh${r.reopen_until ? ` (đến ${vnDate(new Date(r.reopen_until)).split('-').reverse().join('/')})` : ''}; hãy gửi một phản ánh mới`,
            en: `The time to reopen the report has passed${r.reopen_until ? ` (until ${iso(r.reopen_until)})` : ''}; send a new report`,
          },
          { reopenUntil: iso(r.reopen_until) },
        );
      const cat = (await tx.citizenCategories.byCode(r.category_code))!;
      const handler = await tx.tasks.unit(r.handler_version, r.handler_code);
      if (!handler) throw errors.unknownUnit(r.handler_code, r.handler_version);
      const due = reportDeadlines(
        await this.calendars.forUnit(handler.version, handler.code, tx),
        at,
        {
          acknowledgeWithin: cat.acknowledge_within,
          answerWithin: cat.answer_within,
        },
      );
      const taskId = await this.openTask(tx, r.id, r.code, cat, handler, due.answerDue, at);
      await tx.citizenReports.update(r.id, {
        status: 'reopened',
        task_id: taskId,
        acknowledge_due: due.acknowledgeDue,
        answer_due: due.answerDue,
        answer: null,
        answered_at: null,
        closed_at: null,
        reopen_until: null,
        overdue_at: null,
        updated_at: at,
      });
      await tx.citizenReports.addEvent({
        reportId: r.id,
        at,
        kind: 'reopened',
        status: 'reopened',
        publicNote: reason,
        to: { code: handler.code, name: handler.name },
        actorName: CITIZEN_NAME,
      });
      return { reason, taskId, answerDue: due.answerDue.toISOString() };
    });
  }

  /** The citizen rates the answer, once. */
  rate(code: string, stars: number, note: string | undefined, ctx: Ctx = {}) {
    return this.citizenAct(code, 'rate', ctx, async (tx, r, at) => {
      if (r.rating !== null)
        throw new AppError(
          'conflict',
          {
            vi: 'Phản ánh này đã được đánh giá; mỗi phản ánh chỉ đánh giá một lần',
            en: 'This report was rated already; a report is rated once',
          },
          { rating: r.rating },
        );
      await tx.citizenReports.update(r.id, {
        rating: stars,
        rating_note: note ?? null,
        updated_at: at,
      });
      await tx.citizenReports.addEvent({
        reportId: r.id,
        at,
        kind: 'rated',
        status: r.status,
        publicNote: note ?? null,
        actorName: CITIZEN_NAME,
      });
      return { stars, note };
    });
  }

  // — Officers

  /** Reports handled by units in the actor's scope, newest first, with the contact. */
  async list(
    actor: Actor,
    q: { status?: CitizenReportStatusColumn; category?: string; limit: number },
  ): Promise<ReportListItem[]> {
    if (!allows(actor, 'task.read')) throw errors.forbidden('task.read');
    const root = isRootScope(actor.scope);
    const rows = await this.store.repos.citizenReports.list({
      version: root ? null : actor.scope.version,
      path: root ? null : actor.scope.path,
      ...q,
    });
    const now = this.clock();
    return rows.map((r) => presentListItem(r, now));
  }

  async get(actor: Actor, id: number): Promise<OfficerReport> {
    return this.officerView(await this.handled(actor, id, this.store.repos, 'task.read'));
  }

  acknowledge(actor: Actor, id: number, ctx: Ctx = {}) {
    return this.officerAct(actor, id, 'acknowledge', ctx, async (tx, r, at) => {
      await tx.citizenReports.update(r.id, {
        status: 'in_progress',
        acknowledged_at: r.acknowledged_at ?? at,
        updated_at: at,
      });
      await this.addOfficerEvent(tx, actor, r, at, 'acknowledged', 'in_progress');
      await this.moveTask(tx, actor, r.task_id, 'acknowledged', at, null);
      return {};
    });
  }

  async transfer(
    actor: Actor,
    id: number,
    input: { unit: string; reason: string; internalNote?: string },
    ctx: Ctx = {},
  ) {
    const version = await this.hierarchy.resolveVersion();
    let moved: TaskRow | undefined;
    const view = await this.officerAct(actor, id, 'transfer', ctx, async (tx, r, at) => {
      const target = await tx.tasks.unit(version, input.unit);
      if (!target) throw errors.unknownUnit(input.unit, version);
      if (target.version === r.handler_version && target.code === r.handler_code)
        throw new AppError(
          'validation_failed',
          {
            vi: `Phản ánh đang do ${target.name} xử lý; hãy chọn đơn vị khác`,
            en: `The report is already handled by ${target.name}; choose another unit`,
          },
          { unit: target.code },
        );
      if (!withinReach(actor, target))
        throw new AppError(
          'out_of_scope',
          {
            vi: `Không thể chuyển phản ánh cho ${target.name}: đơn vị nhận phải thuộc phạm vi của bạn hoặc của đơn vị cấp trên trực tiếp`,
            en: `Cannot transfer the report to ${target.name}: the unit must lie within your scope or your parent unit's`,
          },
          { unit: target.code, version: target.version },
        );
      const from = await tx.tasks.unit(r.handler_version, r.handler_code);
      const fromRef = { code: r.handler_code, name: from?.name ?? r.handler_code };
      await tx.citizenReports.update(r.id, {
        status: 'forwarded',
        handler_version: target.version,
        handler_code: target.code,
        handler_path: target.path,
        updated_at: at,
      });
      await tx.citizenReports.addEvent({
        reportId: r.id,
        at,
        kind: 'forwarded',
        status: 'forwarded',
        publicNote: input.reason,
        internalNote: input.internalNote ?? null,
        from: fromRef,
        to: { code: target.code, name: target.name },
        actorName: actorLabel(actor),
      });
      if (r.task_id !== null) {
        moved = await tx.tasks.byId(r.task_id, true);
        await tx.tasks.moveTo(r.task_id, target, at);
        await tx.tasks.addEvent({
          taskId: r.task_id,
          at,
          kind: 'transferred',
          actorId: actor.id,
          actorName: actorLabel(actor),
          from: moved?.status ?? null,
          to: 'received',
          note: `${fromRef.name} → ${target.name}: ${input.reason}`,
        });
      }
      return { from: r.handler_code, to: target.code, reason: input.reason };
    });
    // The unit it left sees it leave its inbox.
    if (moved) this.tasks.taskEvent(moved, { transferred: true, reportId: id });
    return view;
  }

  requestInfo(actor: Actor, id: number, question: string, ctx: Ctx = {}) {
    return this.officerAct(actor, id, 'request_info', ctx, async (tx, r, at) => {
      await tx.citizenReports.update(r.id, { updated_at: at });
      const eventId = await this.addOfficerEvent(
        tx,
        actor,
        r,
        at,
        'info_requested',
        r.status,
        question,
      );
      const told = await this.tell(tx, r, eventId, 'info_requested', question, at);
      return { question, ...told };
    });
  }

  answer(
    actor: Actor,
    id: number,
    input: { answer: string; attachmentIds?: number[]; internalNote?: string },
    ctx: Ctx = {},
  ) {
    return this.officerAct(actor, id, 'answer', ctx, async (tx, r, at, cat) => {
      const files = await claimable(tx.attachments, actor, input.attachmentIds);
      if (cat.photo_required && !files.length) throw proofRequired('photo');
      await cleanAnswerPhotos(tx, files);
      await tx.citizenReports.update(r.id, {
        status: 'answered',
        answer: input.answer,
        answered_at: at,
        reopen_until: reopenUntil(at),
        updated_at: at,
      });
      const eventId = await this.addOfficerEvent(
        tx,
        actor,
        r,
        at,
        'answered',
        'answered',
        input.answer,
        input.internalNote,
      );
      await tx.attachments.claim(files, 'citizen_report_event', eventId);
      await this.moveTask(tx, actor, r.task_id, 'done', at, input.answer);
      const told = await this.tell(tx, r, eventId, 'answered', input.answer, at);
      return { answer: input.answer, attachmentIds: files, ...told };
    });
  }

  close(
    actor: Actor,
    id: number,
    input: { note?: string; attachmentIds?: number[] },
    ctx: Ctx = {},
  ) {
    return this.officerAct(actor, id, 'close', ctx, async (tx, r, at, cat) => {
      const files = await claimable(tx.attachments, actor, input.attachmentIds);
      await cleanAnswerPhotos(tx, files);
      const direct = r.status !== 'answered';
      if (direct) {
        // Closed without an answer first: the proof the category asks for, and what was done.
        if (cat.photo_required && !files.length) throw proofRequired('photo');
        if (!input.note) throw proofRequired('note');
      }
      await tx.citizenReports.update(r.id, {
        status: 'closed',
        closed_at: at,
        ...(direct ? { answer: input.note, answered_at: at, reopen_until: reopenUntil(at) } : {}),
        updated_at: at,
      });
      const eventId = await this.addOfficerEvent(tx, actor, r, at, 'closed', 'closed', input.note);
      await tx.attachments.claim(files, 'citizen_report_event', eventId);
      await this.moveTask(tx, actor, r.task_id, 'done', at, input.note ?? null);
      // After an answer the citizen knows; a close is news when it is the outcome or says more.
      const told =
        direct || input.note
          ? await this.tell(tx, r, eventId, 'closed', input.note ?? null, at)
          : {};
      return { note: input.note, attachmentIds: files, ...told };
    });
  }

  refuse(actor: Actor, id: number, reason: string, ctx: Ctx = {}) {
    return this.officerAct(actor, id, 'refuse', ctx, async (tx, r, at) => {
      await tx.citizenReports.update(r.id, {
        status: 'refused',
        refused_reason: reason,
        updated_at: at,
      });
      const eventId = await this.addOfficerEvent(tx, actor, r, at, 'refused', 'refused', reason);
      await this.moveTask(tx, actor, r.task_id, 'done', at, reason);
      const told = await this.tell(tx, r, eventId, 'refused', reason, at);
      return { reason, ...told };
    });
  }

  // — Moderation (issue 20, "Abuse")

  /** Flagged reports handled by units in the actor's scope, oldest flag first. */
  async moderationQueue(actor: Actor, q: { limit: number }): Promise<ModerationQueueItem[]> {
    if (!allows(actor, 'task.report')) throw errors.forbidden('task.report');
    const root = isRootScope(actor.scope);
    const rows = await this.store.repos.citizenReports.flagged({
      version: root ? null : actor.scope.version,
      path: root ? null : actor.scope.path,
      limit: q.limit,
    });
    const now = this.clock();
    return rows.map((r) => ({ ...presentListItem(r, now), moderation: moderationOf(r) }));
  }

  /** An officer of the handling unit flags a report as abusive: into the queue. */
  flag(actor: Actor, id: number, reason: string, ctx: Ctx = {}): Promise<OfficerReport> {
    return this.moderationAct(actor, id, 'flag', ctx, async (tx, r, at) => {
      if (r.moderation !== 'none') throw moderationMove(r.moderation, 'flag');
      await tx.citizenReports.update(r.id, {
        moderation: 'flagged',
        moderation_rule: 'officer',
        moderation_reason: reason,
        moderation_by: actorLabel(actor),
        moderation_at: at,
        updated_at: at,
      });
      return { before: { moderation: r.moderation }, after: { moderation: 'flagged', reason } };
    });
  }

  /**
   * The decision on a flagged report: release (back to normal), or hide (refused as abusive,
   * its task done; the public sees only that it was refused as abusive).
   */
  moderate(
    actor: Actor,
    id: number,
    input: { decision: 'release' | 'hide'; reason: string },
    ctx: Ctx = {},
  ): Promise<OfficerReport> {
    return this.moderationAct(actor, id, 'moderate', ctx, async (tx, r, at) => {
      if (r.moderation !== 'flagged') throw moderationMove(r.moderation, input.decision);
      const by = { moderation_by: actorLabel(actor), moderation_at: at, updated_at: at };
      if (input.decision === 'release') {
        await tx.citizenReports.update(r.id, {
          moderation: 'none',
          moderation_reason: input.reason,
          ...by,
        });
        return {
          before: { moderation: 'flagged', rule: r.moderation_rule },
          after: { moderation: 'none', decision: 'release', reason: input.reason },
        };
      }
      await tx.citizenReports.update(r.id, {
        moderation: 'hidden',
        moderation_reason: input.reason,
        status: 'refused',
        refused_reason: HIDDEN_REASON.vi,
        ...by,
      });
      await this.addOfficerEvent(
        tx,
        actor,
        r,
        at,
        'refused',
        'refused',
        HIDDEN_REASON.vi,
        input.reason,
      );
      await this.moveTask(tx, actor, r.task_id, 'done', at, HIDDEN_REASON.vi);
      return {
        before: { moderation: 'flagged', rule: r.moderation_rule, status: r.status },
        after: { moderation: 'hidden', decision: 'hide', status: 'refused', reason: input.reason },
      };
    });
  }

  private async moderationAct(
    actor: Actor,
    id: number,
    action: 'flag' | 'moderate',
    ctx: Ctx,
    run: (
      tx: Repos,
      r: CitizenReportRow,
      at: Date,
    ) => Promise<{ before: Record<string, unknown>; after: Record<string, unknown> }>,
  ): Promise<OfficerReport> {
    const at = this.clock();
    await this.store.transaction(async (tx) => {
      const r = await this.handled(actor, id, tx, 'task.report', true);
      const { before, after } = await run(tx, r, at);
      await tx.audit.record({
        ...auditActor(actor),
        action: `citizen_report.${action}`,
        entityType: 'citizen_report',
        entityId: String(id),
        unit: { version: r.handler_version, code: r.handler_code },
        before,
        after,
        requestId: ctx.requestId,
      });
    });
    const r = (await this.store.repos.citizenReports.byId(id))!;
    if (r.task_id !== null) await this.announce(r.task_id, { reportId: id, report: action });
    return this.officerView(r);
  }

  // — Inside

  private async byCode(given: string): Promise<CitizenReportRow> {
    const code = normalizeTrackingCode(given);
    const r = code ? await this.store.repos.citizenReports.byCode(code) : undefined;
    if (!r) throw unknownCode(given);
    return r;
  }

  /** A report whose handling unit lies in the actor's scope, for `action`; else 403/404. */
  private async handled(
    actor: Actor,
    id: number,
    repos: Repos,
    action: 'task.read' | 'task.report',
    lock = false,
  ): Promise<CitizenReportRow> {
    if (!allows(actor, action)) throw errors.forbidden(action);
    const r = await repos.citizenReports.byId(id, lock);
    if (!r) throw errors.notFound(`report ${id}`);
    if (!can(actor, action, { version: r.handler_version, path: r.handler_path }))
      throw errors.outOfScope(r.handler_code, r.handler_version);
    return r;
  }

  private async officerAct(
    actor: Actor,
    id: number,
    action: ReportAction,
    ctx: Ctx,
    run: (
      tx: Repos,
      r: CitizenReportRow,
      at: Date,
      cat: CitizenCategoryRow,
    ) => Promise<Record<string, unknown>>,
  ): Promise<OfficerReport> {
    const at = this.clock();
    await this.store.transaction(async (tx) => {
      const r = await this.handled(actor, id, tx, 'task.report', true);
      assertReportAction(r.status, action);
      const cat = (await tx.citizenCategories.byCode(r.category_code))!;
      const after = await run(tx, r, at, cat);
      await tx.audit.record({
        ...auditActor(actor),
        action: `citizen_report.${action}`,
        entityType: 'citizen_report',
        entityId: String(id),
        unit: { version: r.handler_version, code: r.handler_code },
        before: { status: r.status, handler: r.handler_code },
        after: { status: statusAfter(r.status, action), ...after },
        requestId: ctx.requestId,
      });
    });
    const r = (await this.store.repos.citizenReports.byId(id))!;
    if (r.task_id !== null) await this.announce(r.task_id, { reportId: id, report: action });
    return this.officerView(r);
  }

  private async citizenAct(
    code: string,
    action: ReportAction,
    ctx: Ctx,
    run: (tx: Repos, r: CitizenReportRow, at: Date) => Promise<Record<string, unknown>>,
  ): Promise<PublicReport> {
    const found = await this.byCode(code);
    const at = this.clock();
    await this.store.transaction(async (tx) => {
      const r = (await tx.citizenReports.byId(found.id, true))!;
      assertReportAction(r.status, action);
      const after = await run(tx, r, at);
      await tx.audit.record({
        ...CITIZEN_ACTOR,
        action: `citizen_report.${action}`,
        entityType: 'citizen_report',
        entityId: String(r.id),
        unit: { version: r.handler_version, code: r.handler_code },
        before: { status: r.status },
        after: { status: statusAfter(r.status, action), ...after },
        requestId: ctx.requestId,
      });
    });
    const r = (await this.store.repos.citizenReports.byId(found.id))!;
    if (r.task_id !== null) await this.announce(r.task_id, { reportId: r.id, report: action });
    return this.publicView(r.code);
  }

  private async openTask(
    tx: Repos,
    reportId: number,
    code: string,
    cat: CitizenCategoryRow,
    handler: UnitRow,
    answerDue: Date,
    at: Date,
  ): Promise<number> {
    const taskId = await tx.tasks.insertStandalone({
      unitId: handler.id,
      version: handler.version,
      code: handler.code,
      path: handler.path,
      assigneeId: null,
      title: `Phản ánh ${code}: ${cat.name_vi}`,
      dueDate: vnDate(answerDue),
      by: CITIZEN_NAME,
      at,
      reportId,
    });
    await tx.tasks.addEvent({
      taskId,
      at,
      kind: 'created',
      actorId: null,
      actorName: CITIZEN_NAME,
      to: 'received',
    });
    return taskId;
  }

  /** The report's task follows the report: acknowledged, or done when answered or closed. */
  private async moveTask(
    tx: Repos,
    actor: Actor,
    taskId: number | null,
    to: 'acknowledged' | 'done',
    at: Date,
    note: string | null | undefined,
  ): Promise<void> {
    if (taskId === null) return;
    const t = await tx.tasks.byId(taskId, true);
    if (!t || t.status === to || t.status === 'done') return;
    const progress = to === 'done' ? 100 : t.progress;
    await tx.tasks.update(taskId, {
      status: to,
      blocked_reason: null,
      progress,
      ...(note ? { last_report: note } : {}),
      ...(to === 'acknowledged' || t.acknowledged_at === null ? { acknowledged_at: at } : {}),
      ...(to === 'done' ? { done_at: at } : {}),
      ...(t.read_at === null ? { read_at: at } : {}),
      updated_at: at,
    });
    await tx.tasks.addEvent({
      taskId,
      at,
      kind: 'status',
      actorId: actor.id,
      actorName: actorLabel(actor),
      from: t.status,
      to,
      note: note ?? null,
      progress,
    });
  }

  private addOfficerEvent(
    tx: Repos,
    actor: Actor,
    r: CitizenReportRow,
    at: Date,
    kind: 'acknowledged' | 'info_requested' | 'answered' | 'closed' | 'refused',
    status: CitizenReportStatusColumn,
    publicNote?: string | null,
    internalNote?: string | null,
  ): Promise<number> {
    return tx.citizenReports.addEvent({
      reportId: r.id,
      at,
      kind,
      status,
      publicNote: publicNote ?? null,
      internalNote: internalNote ?? null,
      actorName: actorLabel(actor),
    });
  }

  /**
   * Queues the message telling the citizen of an event, in the action's transaction, to the
   * contacts they gave; for the audit row, the channels only (never the contact).
   */
  private async tell(
    tx: Repos,
    r: CitizenReportRow,
    eventId: number,
    kind: NotificationKind,
    note: string | null,
    at: Date,
  ): Promise<{ notify?: NotificationChannel[] }> {
    const channels = await this.notifications.queue(tx, r, { eventId, kind, note, at });
    return channels.length ? { notify: channels } : {};
  }

  private async announce(taskId: number, extra: Record<string, unknown>) {
    const t = await this.store.repos.tasks.byId(taskId);
    if (t) this.tasks.taskEvent(t, extra);
  }

  private async officerView(r: CitizenReportRow): Promise<OfficerReport> {
    const [v, notifications] = await Promise.all([
      this.view(r),
      this.notifications.forReport(r.id),
    ]);
    return {
      ...v.base,
      id: r.id,
      taskId: r.task_id,
      source: r.source,
      photoRequired: v.cat.photo_required,
      overdue: overdue(r, this.clock()),
      contact: { phone: r.contact_phone, email: r.contact_email },
      moderation: moderationOf(r),
      notifications,
      history: v.events.map((e) => ({
        ...v.publicEvent(e),
        id: e.id,
        actorName: e.actor_name,
        internalNote: e.internal_note,
      })),
    };
  }

  /** What the public and officers both see of a report, built from its rows. */
  private async view(r: CitizenReportRow) {
    const repos = this.store.repos;
    const provinceCode = r.place_path.split('/')[2];
    const [cat, events, placeUnits, handlerUnits] = await Promise.all([
      repos.citizenCategories.byCode(r.category_code),
      repos.citizenReports.events(r.id),
      this.hierarchy.publicUnits(r.place_version, [
        r.place_code,
        ...(provinceCode && provinceCode !== r.place_code ? [provinceCode] : []),
      ]),
      this.hierarchy.publicUnits(r.handler_version, [r.handler_code]),
    ]);
    const [own, ofEvents] = await Promise.all([
      repos.attachments.list('citizen_report', [r.id]),
      repos.attachments.list(
        'citizen_report_event',
        events.map((e) => e.id),
      ),
    ]);
    const photo = (f: { id: number; content_type: string; size: number }) => ({
      id: f.id,
      contentType: f.content_type,
      size: f.size,
      url: photoUrl(r.code, f.id),
    });
    const named = (code: string, units: { code: string; name: string; fullName: string }[]) => {
      const u = units.find((x) => x.code === code);
      return { code, name: u?.name ?? code, fullName: u?.fullName ?? code };
    };
    const answerEvents = new Set(
      events.filter((e) => e.kind === 'answered' || e.kind === 'closed').map((e) => e.id),
    );
    const photosOf = (e: CitizenReportEventRow) =>
      ofEvents.filter((f) => f.owner_id === e.id).map(photo);
    const base = {
      code: r.code,
      status: r.status,
      statusLabel: REPORT_STATUS_LABELS[r.status],
      category: {
        code: r.category_code,
        nameVi: cat?.name_vi ?? r.category_code,
        nameEn: cat?.name_en ?? r.category_code,
      },
      description: r.description,
      place: {
        lat: r.lat,
        lon: r.lon,
        commune: named(r.place_code, placeUnits),
        province:
          provinceCode && provinceCode !== r.place_code ? named(provinceCode, placeUnits) : null,
      },
      handler: named(r.handler_code, handlerUnits),
      receivedAt: iso(r.created_at)!,
      acknowledgeDue: iso(r.acknowledge_due)!,
      answerDue: iso(r.answer_due)!,
      acknowledgedAt: iso(r.acknowledged_at),
      answeredAt: iso(r.answered_at),
      closedAt: iso(r.closed_at),
      reopenUntil: iso(r.reopen_until),
      answer: r.answer,
      refusedReason: r.refused_reason,
      rating: r.rating === null ? null : { stars: r.rating, note: r.rating_note },
      infoRequested: infoPending(
        r.status,
        events.map((e) => e.kind),
      ),
      photos: own.map(photo),
      answerPhotos: ofEvents.filter((f) => answerEvents.has(f.owner_id!)).map(photo),
    };
    return {
      base,
      cat: cat ?? { photo_required: false },
      events,
      publicEvent: (e: CitizenReportEventRow) => ({ ...publicEvent(e), photos: photosOf(e) }),
    };
  }
}

function moderationOf(r: CitizenReportRow) {
  return {
    state: r.moderation,
    rule: r.moderation_rule,
    reason: r.moderation_reason,
    by: r.moderation_by,
    at: iso(r.moderation_at),
  };
}

const MODERATION_ACTIONS = {
  flag: { vi: 'gắn cờ', en: 'flag' },
  release: { vi: 'gỡ cờ', en: 'release' },
  hide: { vi: 'ẩn', en: 'hide' },
} as const;

function moderationMove(
  state: 'none' | 'flagged' | 'hidden',
  action: keyof typeof MODERATION_ACTIONS,
) {
  const label = {
    none: { vi: 'chưa bị gắn cờ', en: 'not flagged' },
    flagged: { vi: 'đang chờ kiểm duyệt', en: 'flagged, waiting in the queue' },
    hidden: { vi: 'đã bị ẩn do vi phạm', en: 'hidden as abusive' },
  }[state];
  const a = MODERATION_ACTIONS[action];
  return new AppError(
    'invalid_transition',
    {
      vi: `Không thể ${a.vi} phản ánh ${label.vi}`,
      en: `Cannot ${a.en} a report that is ${label.en}`,
    },
    { moderation: state, action },
  );
}

/**
 * Officers' answer photos go on the public page: each is re-encoded without its metadata (the
 * phone's GPS position above all), replacing the stored bytes, in the claim's transaction. A
 * file that is not a JPEG, PNG or WebP photo is refused: all of an answer is public.
 */
async function cleanAnswerPhotos(tx: Repos, ids: number[]): Promise<void> {
  for (const id of ids) {
    const f = (await tx.attachments.byId(id))!;
    const clean = await cleanPhoto(f.bytes, f.file_name).catch((e: unknown) => {
      if (!(e instanceof AppError)) throw e;
      throw new AppError(
        e.code,
        {
          vi: `Tệp đính kèm ${id} (${f.file_name}): ${e.messages.vi}. Câu trả lời được công khai nên chỉ nhận ảnh`,
          en: `Attachment ${id} (${f.file_name}): ${e.messages.en}. An answer is public, so only photos are attached`,
        },
        { attachmentId: id, ...(e.details as object | undefined) },
      );
    });
    await tx.attachments.replace(id, clean);
  }
}

/** A report in the officers' lists (their inbox of reports, the moderation queue). */
function presentListItem(r: CitizenReportListRow, now: Date): ReportListItem {
  return {
    id: r.id,
    code: r.code,
    status: r.status,
    category: { code: r.category_code, nameVi: r.category_name_vi, nameEn: r.category_name_en },
    description: r.description,
    handler: { code: r.handler_code, name: r.handler_name ?? r.handler_code },
    place: { code: r.place_code, name: r.place_name ?? r.place_code },
    receivedAt: iso(r.created_at)!,
    acknowledgeDue: iso(r.acknowledge_due)!,
    answerDue: iso(r.answer_due)!,
    answeredAt: iso(r.answered_at),
    overdue: overdue(r, now),
    taskId: r.task_id,
    contact: { phone: r.contact_phone, email: r.contact_email },
  };
}

function overdue(r: Pick<CitizenReportRow, 'status' | 'answer_due'>, now: Date): boolean {
  return !CLOSED.includes(r.status) && now > new Date(r.answer_due);
}

/** A fresh tracking code from the system's random source. */
function newTrackingCode(): string {
  for (;;) {
    const code = trackingCodeFrom(randomBytes(16));
    if (code) return code;
  }
}
