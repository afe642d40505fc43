import type { Store } from '../db/store.ts';
import { can, type Action, type Actor } from '../domain/access.ts';
import { CONFLICT, type ImportSummary, type RowConflict } from '../domain/data-value.ts';
import type { DataValueOut, RawDataValue } from '../domain/data-value-set.ts';
import { AppError, errors } from '../domain/errors.ts';
import { versionAt } from '../domain/hierarchy.ts';
import { parsePeriod } from '../domain/period.ts';
import type { DataValueService } from './data-value.service.ts';
import type { HierarchyService } from './hierarchy.service.ts';

/**
 * DHIS2's single data value (`/api/dataValues`): one value read, saved, deleted or marked for
 * follow-up. Writes go through the data value import (`DataValueService.import`, all or
 * nothing), so a single value obeys the same rules as a file — scope, locks and expiry, value
 * types, zero significance, history, roll-ups, the audit in the transaction — and a refused
 * row becomes DHIS2's answer: 403 outside the caller's scope, 409 with the conflict otherwise.
 */

/** Which value: DHIS2's `de`, `pe`, `ou`, `co`, and `aoc` or `cc` with `cp`. */
export interface ValueKey {
  de: string;
  pe: string;
  ou: string;
  co?: string;
  aoc?: string;
  /** DHIS2's attribute as a category combo and its options (`cc`, `cp`). */
  cc?: string;
  cp?: string[];
}

export interface ValueChange {
  value?: string;
  comment?: string;
  followUp?: boolean;
}

/** A refused row as DHIS2's single-value routes answer it. */
function refusal(c: RowConflict): AppError {
  if (c.errorCode === CONFLICT.outOfScope) return errors.outOfScope(c.value);
  const details = { errorCode: c.errorCode, [c.property]: c.value };
  if (c.errorCode === CONFLICT.locked || c.errorCode === CONFLICT.expired)
    return new AppError('period_locked', c.reason, details);
  return new AppError('conflict', c.reason, details);
}

const doesNotExist = (deleting: boolean) =>
  new AppError(
    'conflict',
    deleting
      ? {
          vi: 'Không xoá được giá trị vì giá trị không tồn tại',
          en: 'Data value cannot be deleted because it does not exist',
        }
      : { vi: 'Giá trị không tồn tại', en: 'Data value does not exist' },
  );

export class SingleValueService {
  constructor(
    private readonly store: Store,
    private readonly hierarchy: HierarchyService,
    private readonly values: DataValueService,
  ) {}

  /**
   * The unit named, in the tree in force at the period (as an import reads it), checked
   * against the caller's scope for `action` before anything else is read.
   */
  private async place(actor: Actor, action: Action, key: ValueKey) {
    if (!can(actor, action)) throw errors.forbidden(action);
    let period;
    try {
      period = parsePeriod(key.pe);
    } catch {
      throw new AppError(
        'conflict',
        { vi: `Kỳ không hợp lệ: "${key.pe}"`, en: `Illegal period identifier: ${key.pe}` },
        { errorCode: CONFLICT.badPeriod, period: key.pe },
      );
    }
    const spans = await this.hierarchy.versionDates();
    const version = versionAt(spans, period.start)?.id;
    const unit = (await this.store.repos.dataValues.unitsNamed([key.ou])).find(
      (u) => u.version === version,
    );
    if (!version || !unit) {
      throw new AppError(
        'conflict',
        {
          vi: `Không có đơn vị "${key.ou}" trong cây áp dụng cho kỳ ${period.id}`,
          en: `Illegal organisation unit identifier: ${key.ou}`,
        },
        { errorCode: CONFLICT.unknownUnit, orgUnit: key.ou },
      );
    }
    if (!can(actor, action, { version, path: unit.path })) throw errors.outOfScope(key.ou, version);
    return { version, unit };
  }

  /** The attribute option asked for: `aoc`, or `cc` with `cp`, or none (the default). */
  private async attribute(key: ValueKey): Promise<string | undefined> {
    if (key.cc && key.cp?.length) {
      const a = await this.store.repos.registrations.attributeByOptions(key.cc, key.cp);
      if (!a)
        throw new AppError(
          'conflict',
          {
            vi: `Không có tổ hợp thuộc tính của ${key.cc} gồm ${key.cp.join(';')}`,
            en: `Illegal attribute option combo identifier: ${key.cc} ${key.cp.join(';')}`,
          },
          { errorCode: CONFLICT.unknownAttribute },
        );
      return a.uid ?? a.code;
    }
    return key.aoc;
  }

  /** The stored value, or undefined; the place is already checked. */
  private async stored(actor: Actor, key: ValueKey, version: string, aoc: string | undefined) {
    const lookups = await this.store.repos.dataValues.lookups();
    if (!lookups.elements.get(key.de))
      throw new AppError(
        'conflict',
        {
          vi: `Không có chỉ tiêu "${key.de}"`,
          en: `Illegal data element identifier: ${key.de}`,
        },
        { errorCode: CONFLICT.unknownElement, dataElement: key.de },
      );
    const option = lookups.options.get(key.co ?? 'default');
    const attribute = lookups.attributes.get(aoc ?? 'default');
    if (!option || !attribute) return undefined;
    // A caller who may write this value may read it back (a write-only token too): the place
    // was checked for the action asked.
    const reader = actor.permissions.includes('data.read')
      ? actor
      : { ...actor, permissions: [...actor.permissions, 'data.read' as const] };
    const rows = await this.values.export(reader, {
      dataElements: [key.de],
      periods: [key.pe],
      orgUnits: [key.ou],
      version,
      idScheme: 'uid',
    });
    const is = (given: string, x: { code: string; uid: string | null }) =>
      given === x.code || given === x.uid;
    return rows.find(
      (r) => is(r.categoryOptionCombo, option) && is(r.attributeOptionCombo, attribute),
    );
  }

  /** One value, as DHIS2 answers it. */
  async get(actor: Actor, key: ValueKey): Promise<DataValueOut> {
    const { version } = await this.place(actor, 'data.read', key);
    const found = await this.stored(actor, key, version, await this.attribute(key));
    if (!found) throw doesNotExist(false);
    return found;
  }

  private async write(actor: Actor, raw: Omit<RawDataValue, 'index'>, deleting = false) {
    const summary: ImportSummary = await this.values.import(
      actor,
      { values: [{ index: 0, ...raw }] },
      { atomic: true, strategy: deleting ? 'DELETE' : 'CREATE_AND_UPDATE' },
    );
    const first = summary.conflicts[0];
    if (first) throw refusal(first);
    return summary;
  }

  /**
   * Saves one value. As DHIS2 does, what is not given is kept: a comment alone leaves the value,
   * a value alone leaves the comment; an empty value without a comment removes the value.
   */
  async save(actor: Actor, key: ValueKey, change: ValueChange): Promise<void> {
    const { version } = await this.place(actor, 'data.write', key);
    const aoc = await this.attribute(key);
    if (change.value === undefined && change.comment === undefined && change.followUp === undefined)
      throw new AppError('conflict', {
        vi: 'Cần giá trị hoặc ghi chú',
        en: 'A value or a comment is required',
      });
    const before = await this.stored(actor, key, version, aoc);
    await this.write(actor, {
      ...rowKey(key, aoc),
      value: change.value ?? before?.value,
      comment: change.comment ?? before?.comment,
      followup: String(change.followUp ?? before?.followup ?? false),
    });
  }

  /** Deletes one value (its history kept, roll-ups moved), as an import with DELETE does. */
  async remove(actor: Actor, key: ValueKey): Promise<void> {
    const { version } = await this.place(actor, 'data.write', key);
    const aoc = await this.attribute(key);
    if (!(await this.stored(actor, key, version, aoc))) throw doesNotExist(true);
    await this.write(actor, rowKey(key, aoc), true);
  }

  /** Marks a stored value for follow-up, or unmarks it. */
  async followUp(actor: Actor, key: ValueKey, followup: boolean): Promise<void> {
    const { version } = await this.place(actor, 'data.write', key);
    const aoc = await this.attribute(key);
    const before = await this.stored(actor, key, version, aoc);
    if (!before) throw doesNotExist(false);
    if (before.followup === followup) return;
    await this.write(actor, {
      ...rowKey(key, aoc),
      value: before.value,
      comment: before.comment,
      followup: String(followup),
    });
  }
}

/** A value's key as an import row names it. */
function rowKey(key: ValueKey, aoc: string | undefined) {
  return {
    dataElement: key.de,
    period: key.pe,
    orgUnit: key.ou,
    categoryOptionCombo: key.co,
    attributeOptionCombo: aoc,
  };
}
