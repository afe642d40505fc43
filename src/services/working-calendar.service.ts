import type { Repos, Store } from '../db/store.ts';
import { EVERY_VERSION, type WorkingCalendarRow } from '../db/working-calendar.repo.ts';
import { can, type Actor } from '../domain/access.ts';
import type { Clock } from '../domain/dates.ts';
import { AppError, errors } from '../domain/errors.ts';
import { pathCodes, ROOT_CODE } from '../domain/hierarchy.ts';
import { checkedCalendarSpec, NATIONAL_WORKING_CALENDAR } from '../domain/working-calendar.ts';
import {
  workingCalendar,
  type WorkingCalendar,
  type WorkingCalendarSpec,
} from '../domain/working-time.ts';
import type { WorkingCalendarView } from '../contract/working-calendar.ts';
import { auditActor } from './audit.ts';
import type { HierarchyService } from './hierarchy.service.ts';

type Ctx = { requestId?: string };

/** How long a tree's calendars are used before they are read again (other instances' writes). */
const MAX_AGE_MS = 60_000;

interface Resolved {
  /** The unit whose row applies: the unit itself, an ancestor, or the nation. */
  owner: string;
  row: WorkingCalendarRow | undefined;
  calendar: WorkingCalendar;
}

interface Entry {
  at: number;
  /** The tree's rows and the nation's, by unit code, each with its calendar built once. */
  rows: Promise<Map<string, { row: WorkingCalendarRow; calendar: WorkingCalendar }>>;
}

/** The row's key in the audit log and the table: the nation's is in every tree. */
const rowVersion = (version: string, code: string) =>
  code === ROOT_CODE ? EVERY_VERSION : version;

/**
 * Offices' working calendars (issue 20): the hours, holidays and compensating working days a
 * unit counts deadlines in. A unit sets its own (metadata.manage within the actor's scope,
 * audited) or inherits the nearest ancestor's; the nation's, installed at start, is the default.
 * `forUnit` is what deadlines use; it is cached per tree and forgotten on every write here.
 */
export class WorkingCalendarService {
  private readonly cache = new Map<string, Entry>();
  private national?: WorkingCalendar;

  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly clock: Clock,
  ) {}

  /**
   * The calendar deadlines of unit `code` of tree `version` are counted in: its own, else its
   * nearest ancestor's, else the nation's. Throws `unknown_version` / `unknown_unit`. Inside a
   * transaction on PGlite (one connection) pass the transaction's `repos`: a read outside it
   * would wait for it to end.
   */
  async forUnit(version: string, code: string, repos?: Repos): Promise<WorkingCalendar> {
    return (await this.resolve(version, code, repos)).calendar;
  }

  /** The calendar of a unit as the API shows it: its own, or whose it inherits. */
  async get(actor: Actor, code: string, version?: string): Promise<WorkingCalendarView> {
    if (!can(actor, 'unit.read')) throw errors.forbidden('unit.read');
    const unit = await this.unitOf(actor, code, version);
    if (!can(actor, 'unit.read', unit)) throw errors.outOfScope(unit.code, unit.version);
    return this.view(unit);
  }

  /**
   * Sets the unit's own calendar (a PUT: the same spec again writes nothing). Bad input is
   * `validation_failed` or `working_time_invalid`, and nothing is stored.
   */
  async set(
    actor: Actor | 'system',
    code: string,
    input: unknown,
    opts: { version?: string } & Ctx = {},
  ): Promise<WorkingCalendarView> {
    const unit = await this.writable(actor, code, opts.version);
    const spec = checkedCalendarSpec(input);
    const version = rowVersion(unit.version, unit.code);
    await this.store.transaction(async (tx) => {
      const before = await tx.workingCalendars.get(version, unit.code);
      if (before && sameSpec(before.spec, spec)) return;
      await tx.workingCalendars.put(
        { version, code: unit.code, path: unit.path, spec, by: byName(actor) },
        this.clock(),
      );
      await tx.audit.record({
        ...auditActor(actor),
        action: 'working_calendar.set',
        entityType: 'working_calendar',
        entityId: `${version}/${unit.code}`,
        unit: { version: unit.version, code: unit.code },
        ...(before ? { before: before.spec } : {}),
        after: spec,
        requestId: opts.requestId,
      });
    });
    this.forget();
    return this.view(unit);
  }

  /**
   * Removes the unit's own calendar: it inherits again. Nothing to remove is not an error (a
   * retried DELETE). The nation's cannot be removed, only set.
   */
  async clear(
    actor: Actor | 'system',
    code: string,
    opts: { version?: string } & Ctx = {},
  ): Promise<WorkingCalendarView> {
    const unit = await this.writable(actor, code, opts.version);
    if (unit.code === ROOT_CODE)
      throw new AppError(
        'bad_request',
        {
          vi: 'Không xóa được lịch làm việc của cả nước, vì mọi đơn vị dùng nó khi không có lịch riêng; hãy sửa lịch đó',
          en: "The nation's working calendar cannot be removed, as every unit without its own uses it; set it instead",
        },
        { code: unit.code },
      );
    await this.store.transaction(async (tx) => {
      const before = await tx.workingCalendars.get(unit.version, unit.code);
      if (!before) return;
      await tx.workingCalendars.remove(unit.version, unit.code);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'working_calendar.clear',
        entityType: 'working_calendar',
        entityId: `${unit.version}/${unit.code}`,
        unit: { version: unit.version, code: unit.code },
        before: before.spec,
        requestId: opts.requestId,
      });
    });
    this.forget();
    return this.view(unit);
  }

  /**
   * The nation's calendar (the civil-service week and 2026's days off), installed when there
   * is none: on first start, and never over one an admin set.
   */
  async installNational(): Promise<boolean> {
    const done = await this.store.repos.workingCalendars.insertMissing(
      {
        version: EVERY_VERSION,
        code: ROOT_CODE,
        path: `/${ROOT_CODE}/`,
        spec: NATIONAL_WORKING_CALENDAR,
      },
      this.clock(),
    );
    if (done) this.forget();
    return done;
  }

  /** Forgets every tree's calendars: the next `forUnit` reads them again. */
  forget(): void {
    this.cache.clear();
  }

  // -------------------------------------------------------------------------------------------

  private async resolve(version: string, code: string, repos?: Repos): Promise<Resolved> {
    const unit = await this.unitIn(version, code, repos);
    const rows = await this.rowsOf(unit.version, repos);
    // Nearest first: the unit, then its parent, up to the nation.
    for (const c of pathCodes(unit.path).reverse()) {
      const hit = rows.get(c);
      if (hit) return { owner: c, ...hit };
    }
    this.national ??= workingCalendar(NATIONAL_WORKING_CALENDAR);
    return { owner: ROOT_CODE, row: undefined, calendar: this.national };
  }

  private rowsOf(version: string, repos?: Repos) {
    const hit = this.cache.get(version);
    if (hit && Date.now() - hit.at < MAX_AGE_MS) return hit.rows;
    const rows = (async () => {
      const list = await (repos ?? this.store.repos).workingCalendars.list(version);
      return new Map(
        list.map((row) => [row.unit_code, { row, calendar: workingCalendar(row.spec) }]),
      );
    })();
    // Inside a caller's transaction the read is its own: not kept for others.
    if (!repos) {
      this.cache.set(version, { at: Date.now(), rows });
      rows.catch(() => this.cache.delete(version));
    }
    return rows;
  }

  /** A unit of tree `version` by code (a DHIS2 uid finds it too), or `unknown_unit`. */
  private async unitIn(version: string, code: string, repos?: Repos) {
    const v = await this.hierarchy.resolveVersion(version);
    const u = (await this.hierarchy.unitMap(v, false, repos?.dataValues)).byKey.get(code);
    if (!u) throw errors.unknownUnit(code, v);
    return { version: v, code: u.code, path: u.path, name: u.full_name };
  }

  /** The unit a request names, on the tree it names or the actor's own. */
  private async unitOf(actor: Actor | 'system', code: string, version?: string) {
    const v =
      actor === 'system'
        ? await this.hierarchy.resolveVersion(version)
        : await this.hierarchy.versionFor(actor, version);
    return this.unitIn(v, code);
  }

  private async writable(actor: Actor | 'system', code: string, version?: string) {
    if (actor !== 'system' && !can(actor, 'metadata.manage'))
      throw errors.forbidden('metadata.manage');
    const unit = await this.unitOf(actor, code, version);
    if (actor !== 'system' && !can(actor, 'metadata.manage', unit))
      throw errors.outOfScope(unit.code, unit.version);
    return unit;
  }

  private async view(unit: {
    version: string;
    code: string;
    name: string;
  }): Promise<WorkingCalendarView> {
    const r = await this.resolve(unit.version, unit.code);
    const owner =
      r.owner === unit.code
        ? null
        : {
            code: r.owner,
            name:
              (await this.hierarchy.unitMap(unit.version)).byKey.get(r.owner)?.full_name ?? r.owner,
          };
    return {
      version: unit.version,
      unit: { code: unit.code, name: unit.name },
      inheritedFrom: owner,
      spec: shown(r.calendar.spec),
      updatedBy: r.row?.updated_by ?? null,
      updatedAt: r.row ? new Date(r.row.updated_at).toISOString() : null,
    };
  }
}

const hours = (spans: readonly (readonly [string, string])[]) =>
  spans.map(([a, b]): [string, string] => [a, b]);

/** The spec as the API shows it: every weekday, in order. */
function shown(s: WorkingCalendarSpec): WorkingCalendarView['spec'] {
  return {
    week: Object.fromEntries(WEEKDAYS.map((d) => [d, hours(s.week[d] ?? [])])),
    holidays: [...s.holidays],
    extraWorkingDays: [...s.extraWorkingDays],
    ...(s.extraDayHours ? { extraDayHours: hours(s.extraDayHours) } : {}),
  };
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const byName = (actor: Actor | 'system') => (actor === 'system' ? 'system' : actor.name);

/** Specs compared as stored (holidays sorted, keys in the schema's order). */
function sameSpec(a: WorkingCalendarSpec, b: WorkingCalendarSpec): boolean {
  const norm = (s: WorkingCalendarSpec) =>
    JSON.stringify({
      week: WEEKDAYS.map((d) => s.week[d]),
      holidays: s.holidays,
      extraWorkingDays: s.extraWorkingDays,
      extraDayHours: s.extraDayHours ?? null,
    });
  return norm(a) === norm(b);
}
