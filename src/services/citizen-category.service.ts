import type { CitizenCategoryRow, CitizenCategoryValues } from '../db/citizen-category.repo.ts';
import type { Repos, Store } from '../db/store.ts';
import { can, isRootScope, type Actor } from '../domain/access.ts';
import { vnDate, type Clock } from '../domain/dates.ts';
import type { z } from 'zod';
import { AppError, errors, schemaProblems } from '../domain/errors.ts';
import { versionAt } from '../domain/hierarchy.ts';
import { addWorkingTime, workingCalendar, type WorkingCalendar } from '../domain/working-time.ts';
import {
  CitizenCategoryInput,
  CitizenCategoryUpdate,
  type CitizenCategory,
  type CitizenCategoryData,
  type WorkingDeadline,
} from '../contract/citizen.ts';
import type { CitizenCategoryData as DocumentCategory } from '../domain/citizen-category.ts';
import { auditActor } from './audit.ts';
import { SHIPPED_CITIZEN_CATEGORIES } from './citizen-category.shipped.ts';

type Ctx = { requestId?: string };

/** A deadline longer than this is refused: no citizen waits a year for an answer. */
const MAX_DEADLINE = { hours: 8 * 250, days: 250 } as const;

/** The working-time rule checks amounts from a fixed instant on the civil service's week. */
const CHECK_FROM = new Date('2026-01-05T01:00:00Z');
let civilService: WorkingCalendar | undefined;

/**
 * A deadline checked by the working-time rule (domain/working-time.ts): a negative, non-finite
 * or fractional-day amount, or one beyond its horizon, is its `working_time_invalid`; zero and
 * more than a working year are refused here with the same code.
 */
export function checkDeadline(field: string, amount: WorkingDeadline): WorkingDeadline {
  civilService ??= workingCalendar();
  try {
    addWorkingTime(civilService, CHECK_FROM, amount);
  } catch (e) {
    if (e instanceof AppError) throw new AppError(e.code, e.messages, { field, ...detailsOf(e) });
    throw e;
  }
  const [unit, n] = 'hours' in amount ? ['hours', amount.hours] : ['days', amount.days];
  const max = MAX_DEADLINE[unit as 'hours' | 'days'];
  if (n <= 0 || n > max)
    throw new AppError(
      'working_time_invalid',
      n <= 0
        ? {
            vi: `Lịch làm việc hoặc thời hạn không hợp lệ: thời hạn ${field} phải lớn hơn 0`,
            en: `Invalid working calendar or deadline: the ${field} deadline must be more than zero`,
          }
        : {
            vi: `Lịch làm việc hoặc thời hạn không hợp lệ: thời hạn ${field} dài quá ${max} ${unit === 'hours' ? 'giờ' : 'ngày'} làm việc`,
            en: `Invalid working calendar or deadline: the ${field} deadline is longer than ${max} working ${unit}`,
          },
      { field, problem: n <= 0 ? 'not_positive' : 'too_long', amount },
    );
  return amount;
}

/** `input` read by `schema`, or `validation_failed` with every problem (vi/en), as routes say. */
function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = schemaProblems(r.error);
  const first = issues[0]!;
  throw new AppError(
    'validation_failed',
    {
      vi: `Dữ liệu gửi lên không hợp lệ: ${first.path || 'body'} — ${first.vi}`,
      en: `Invalid request: ${first.path || 'body'} — ${first.en}`,
    },
    { issues },
  );
}

const detailsOf = (e: AppError) =>
  typeof e.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : {};

function present(r: CitizenCategoryRow): CitizenCategory {
  return {
    code: r.code,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    descriptionVi: r.description_vi,
    descriptionEn: r.description_en,
    groupVi: r.group_vi,
    groupEn: r.group_en,
    keywords: r.keywords,
    handledBy:
      r.handler_level === 'unit'
        ? { level: 'unit', unit: r.handler_unit ?? '' }
        : { level: r.handler_level },
    acknowledgeWithin: r.acknowledge_within,
    answerWithin: r.answer_within,
    photoRequired: r.photo_required,
    active: r.active,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const values = (d: CitizenCategoryData): CitizenCategoryValues => ({
  code: d.code,
  nameVi: d.nameVi,
  nameEn: d.nameEn,
  descriptionVi: d.descriptionVi,
  descriptionEn: d.descriptionEn,
  groupVi: d.groupVi,
  groupEn: d.groupEn,
  keywords: d.keywords,
  handlerLevel: d.handledBy.level,
  handlerUnit: d.handledBy.level === 'unit' ? (d.handledBy.unit ?? null) : null,
  acknowledgeWithin: d.acknowledgeWithin,
  answerWithin: d.answerWithin,
  photoRequired: d.photoRequired,
  active: d.active,
});

/** What the audit log keeps of a category: everything but its times. */
const audited = (c: CitizenCategory) => {
  const { createdAt: _c, updatedAt: _u, ...rest } = c;
  return rest;
};

const unknownCategory = (code: string) =>
  new AppError(
    'not_found',
    {
      vi: `Không có lĩnh vực phản ánh mã "${code}"`,
      en: `No citizen report category with code "${code}"`,
    },
    { code },
  );

/** Categories are national metadata: changed by those who manage metadata, at the nation. */
function write(actor: Actor | 'system') {
  if (actor === 'system') return;
  if (!can(actor, 'metadata.manage')) throw errors.forbidden('metadata.manage');
  if (!isRootScope(actor.scope)) throw errors.outOfScope();
}

/**
 * Citizens' report categories (issue 20), Open311's services: national metadata, read by any
 * signed-in caller and in public through Open311; written by metadata managers at the nation,
 * each write audited in its transaction.
 */
export class CitizenCategoryService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async list(opts: { activeOnly?: boolean } = {}): Promise<CitizenCategory[]> {
    return (await this.store.repos.citizenCategories.list(opts)).map(present);
  }

  async get(code: string): Promise<CitizenCategory> {
    const r = await this.store.repos.citizenCategories.byCode(code);
    if (!r) throw unknownCategory(code);
    return present(r);
  }

  /** An active category, or undefined (Open311 answers 404 for the rest). */
  async offered(code: string): Promise<CitizenCategory | undefined> {
    const r = await this.store.repos.citizenCategories.byCode(code);
    return r?.active ? present(r) : undefined;
  }

  /** When the categories last changed (Open311 discovery's changeset). */
  changedAt(): Promise<Date | null> {
    return this.store.repos.citizenCategories.changedAt();
  }

  async create(actor: Actor | 'system', input: unknown, ctx: Ctx = {}): Promise<CitizenCategory> {
    write(actor);
    const d = await this.check(parse(CitizenCategoryInput, input));
    return this.store.transaction(async (tx) => {
      if (!(await tx.citizenCategories.insert(values(d), this.clock())))
        throw new AppError(
          'conflict',
          {
            vi: `Đã có lĩnh vực phản ánh mã "${d.code}"`,
            en: `A citizen report category with code "${d.code}" already exists`,
          },
          { code: d.code },
        );
      return this.audit(tx, actor, 'create', d.code, undefined, ctx);
    });
  }

  /** Replaces the category `code` (its code stays; a body naming another code is refused). */
  async update(
    actor: Actor | 'system',
    code: string,
    input: unknown,
    ctx: Ctx = {},
  ): Promise<CitizenCategory> {
    write(actor);
    const body = parse(CitizenCategoryUpdate, input);
    if (body.code !== undefined && body.code !== code)
      throw new AppError(
        'bad_request',
        {
          vi: `Mã của lĩnh vực không đổi được: đường dẫn là "${code}", nội dung gửi lên là "${body.code}"`,
          en: `A category's code cannot change: the path names "${code}", the body "${body.code}"`,
        },
        { code, given: body.code },
      );
    const d = await this.check({ ...body, code });
    return this.store.transaction(async (tx) => {
      const before = await tx.citizenCategories.byCode(code);
      if (!before) throw unknownCategory(code);
      await tx.citizenCategories.update(values(d), this.clock());
      return this.audit(tx, actor, 'update', code, present(before), ctx);
    });
  }

  async remove(actor: Actor | 'system', code: string, ctx: Ctx = {}): Promise<void> {
    write(actor);
    await this.store.transaction(async (tx) => {
      const before = await tx.citizenCategories.byCode(code);
      if (!before) throw unknownCategory(code);
      await tx.citizenCategories.remove(code);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'citizen_category.delete',
        entityType: 'citizen_category',
        entityId: code,
        before: audited(present(before)),
        requestId: ctx.requestId,
      });
    });
  }

  /**
   * The shipped categories (citizen-category.shipped.ts), installed once: on a database where
   * no category was ever written. Deleting them later does not bring them back.
   */
  async installShipped(): Promise<number> {
    if (await this.store.repos.citizenCategories.everWritten()) return 0;
    for (const c of SHIPPED_CITIZEN_CATEGORIES) await this.create('system', c);
    return SHIPPED_CITIZEN_CATEGORIES.length;
  }

  /** What the schema cannot say: the deadlines by the working-time rule, the unit exists. */
  private async check(d: CitizenCategoryData): Promise<CitizenCategoryData> {
    checkDeadline('acknowledgeWithin', d.acknowledgeWithin);
    checkDeadline('answerWithin', d.answerWithin);
    const unit = await this.unitProblem(this.store.repos, d);
    if (unit) throw unit;
    return d;
  }

  /** A handling unit that is not in the tree in force today, as its error. */
  private async unitProblem(repos: Repos, d: DocumentCategory): Promise<AppError | undefined> {
    if (d.handledBy.level !== 'unit' || d.handledBy.unit === undefined) return undefined;
    // The tree in force read through `repos`: inside an import's transaction on PGlite (one
    // connection) a read outside it would wait for the transaction to end.
    const today = vnDate(this.clock());
    const spans = await repos.orgUnits.versionSpans();
    const version = versionAt(
      spans.map((v) => ({ id: v.id, validFrom: v.valid_from, validUntil: v.valid_until })),
      today,
    )?.id;
    if (!version) return errors.unknownVersion('(none loaded)');
    const unit = await repos.orgUnits.get(version, d.handledBy.unit, today);
    return unit ? undefined : errors.unknownUnit(d.handledBy.unit, version);
  }

  /**
   * The categories in the metadata document's shape (`citizenCategories`): what POST takes, so
   * an export imports back unchanged.
   */
  async exported(): Promise<DocumentCategory[]> {
    return (await this.list()).map(audited);
  }

  /**
   * What the API would refuse in the categories of a metadata document, each with the path of
   * its field (`citizenCategories.1.answerWithin.days`): the same rules as `check`, collected
   * instead of thrown so that the document is refused whole with every problem.
   */
  async problems(
    repos: Repos,
    items: readonly DocumentCategory[],
    kind = 'citizenCategories',
  ): Promise<{ path: string; vi: string; en: string }[]> {
    const out: { path: string; vi: string; en: string }[] = [];
    for (const [i, d] of items.entries()) {
      for (const field of ['acknowledgeWithin', 'answerWithin'] as const) {
        try {
          checkDeadline(field, d[field]);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          const unit = 'hours' in d[field] ? 'hours' : 'days';
          out.push({ path: `${kind}.${i}.${field}.${unit}`, ...e.messages });
        }
      }
      const unit = await this.unitProblem(repos, d);
      if (unit) out.push({ path: `${kind}.${i}.handledBy.unit`, ...unit.messages });
    }
    return out;
  }

  /**
   * Creates or replaces one category of a metadata document inside its transaction (checked
   * by `problems` first), audited as the API's writes are; the same category again is
   * `unchanged` and writes nothing.
   */
  async upsert(
    tx: Repos,
    actor: Actor | 'system',
    d: DocumentCategory,
  ): Promise<'created' | 'updated' | 'unchanged'> {
    write(actor);
    const before = await tx.citizenCategories.byCode(d.code);
    if (!before) {
      await tx.citizenCategories.insert(values(d), this.clock());
      await this.audit(tx, actor, 'create', d.code, undefined, {});
      return 'created';
    }
    const was = present(before);
    if (JSON.stringify(values(audited(was))) === JSON.stringify(values(d))) return 'unchanged';
    await tx.citizenCategories.update(values(d), this.clock());
    await this.audit(tx, actor, 'update', d.code, was, {});
    return 'updated';
  }

  private async audit(
    tx: Repos,
    actor: Actor | 'system',
    verb: 'create' | 'update',
    code: string,
    before: CitizenCategory | undefined,
    ctx: Ctx,
  ): Promise<CitizenCategory> {
    const after = present((await tx.citizenCategories.byCode(code))!);
    await tx.audit.record({
      ...auditActor(actor),
      action: `citizen_category.${verb}`,
      entityType: 'citizen_category',
      entityId: code,
      ...(before ? { before: audited(before) } : {}),
      after: audited(after),
      requestId: ctx.requestId,
    });
    return after;
  }
}
