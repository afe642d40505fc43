import type { CreatedGroup } from '../contract/admin.ts';
import type { Repos, Store } from '../db/store.ts';
import type { GroupDefinition } from '../db/schema.ts';
import { can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import { AppError, errors } from '../domain/errors.ts';
import { auditActor } from './audit.ts';

export interface NewGroup {
  version: string;
  code: string;
  name: string;
  description?: string;
  /** The unit the group belongs to; the caller needs group.write there. */
  owner: string;
  definition: GroupDefinition;
}

export class GroupService {
  constructor(private readonly store: Store) {}

  /**
   * A named group of units of one version, built from codes, a level under a unit and other
   * groups. Every member must lie under the owner unit; nothing is written otherwise.
   */
  async create(actor: Actor | 'system', input: NewGroup) {
    return this.store.transaction((tx) => this.save(tx, actor, input, false));
  }

  /**
   * Creates the group, or replaces its name, definition and members when it exists; in the
   * caller's transaction `tx` when given (a metadata document writes all or nothing).
   */
  async upsert(actor: Actor | 'system', input: NewGroup, tx?: Repos) {
    return tx
      ? this.save(tx, actor, input, true)
      : this.store.transaction((r) => this.save(r, actor, input, true));
  }

  private async save(tx: Repos, actor: Actor | 'system', input: NewGroup, replace: boolean) {
    const owner = await tx.orgUnits.get(input.version, input.owner, '9999-12-31');
    if (!owner) throw errors.unknownUnit(input.owner, input.version);
    if (actor !== 'system' && !can(actor, 'group.write', owner)) {
      throw can(actor, 'group.write')
        ? errors.outOfScope(owner.code, owner.version)
        : errors.forbidden('group.write');
    }
    const repo = tx.groups;
    const existing = await repo.byCode(input.version, input.code);
    if (existing && !replace) {
      throw new AppError('conflict', {
        vi: `Nhóm "${input.code}" đã có`,
        en: `Group "${input.code}" already exists`,
      });
    }
    const { units, unknown } = await repo.resolve(input.version, input.definition);
    if (unknown.length > 0) {
      throw new AppError(
        'validation_failed',
        {
          vi: `Không có đơn vị: ${unknown.join(', ')}`,
          en: `Unknown units: ${unknown.join(', ')}`,
        },
        { unknown },
      );
    }
    const outside = units.filter((u) => !u.path.startsWith(owner.path)).map((u) => u.code);
    if (outside.length > 0) {
      throw new AppError(
        'out_of_scope',
        {
          vi: `Các đơn vị không thuộc ${owner.fullName}: ${outside.slice(0, 10).join(', ')}`,
          en: `Units not under ${owner.fullName}: ${outside.slice(0, 10).join(', ')}`,
        },
        { outside },
      );
    }
    if (units.length === 0) {
      throw new AppError('validation_failed', {
        vi: 'Nhóm không có đơn vị nào',
        en: 'The group has no units',
      });
    }
    const row = {
      version: input.version,
      code: input.code,
      name: input.name,
      description: input.description ?? null,
      definition: input.definition,
      owner_code: owner.code,
      created_by: actor === 'system' ? 'system' : actor.name,
    };
    const members = units.map((u) => u.code);
    /** The group as saved, as `POST /api/groups` answers it. */
    const saved = (id: number, change: CreatedGroup['change']): CreatedGroup => ({
      id,
      version: input.version,
      code: input.code,
      name: input.name,
      members: members.length,
      change,
    });
    if (existing) {
      const before = await repo.memberCodes(existing.id);
      const same =
        existing.name === row.name &&
        existing.description === row.description &&
        existing.owner_code === row.owner_code &&
        canonical(existing.definition) === canonical(row.definition) &&
        JSON.stringify(before) === JSON.stringify([...members].sort());
      if (same) return saved(existing.id, 'unchanged');
      await repo.replace(existing.id, row, members);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'group.update',
        entityType: 'unit_group',
        entityId: String(existing.id),
        unit: { version: owner.version, code: owner.code },
        before: { name: existing.name, members: before.length, definition: existing.definition },
        after: {
          code: input.code,
          name: input.name,
          members: members.length,
          definition: input.definition,
        },
      });
      return saved(existing.id, 'updated');
    }
    const id = await repo.insert(row, members);
    await tx.audit.record({
      ...auditActor(actor),
      action: 'group.create',
      entityType: 'unit_group',
      entityId: String(id),
      unit: { version: owner.version, code: owner.code },
      after: {
        code: input.code,
        name: input.name,
        members: units.length,
        definition: input.definition,
      },
    });
    return saved(id, 'created');
  }

  async list(actor: Actor, version: string) {
    if (!can(actor, 'group.read')) throw errors.forbidden('group.read');
    const root = isRootScope(actor.scope);
    if (!root && actor.scope.version !== version) throw errors.outOfScope(undefined, version);
    return this.store.repos.groups.list(version, root ? null : actor.scope.path);
  }

  async get(actor: Actor, version: string, code: string, limit: number, offset: number) {
    if (!can(actor, 'group.read')) throw errors.forbidden('group.read');
    const group = await this.store.repos.groups.byCode(version, code);
    if (!group) throw errors.notFound(`group ${code}`);
    const owner = await this.store.repos.orgUnits.get(version, group.owner_code, '9999-12-31');
    if (!owner || !inScope(actor.scope, owner)) throw errors.outOfScope(group.owner_code, version);
    const members = await this.store.repos.groups.members(group.id, limit, offset);
    return {
      id: group.id,
      version,
      code: group.code,
      name: group.name,
      description: group.description,
      owner: group.owner_code,
      definition: group.definition,
      total: members[0]?.total ?? 0,
      members: members.map((m) => ({ code: m.code, fullName: m.full_name, level: m.level })),
    };
  }
}

/** JSON with keys sorted: jsonb does not keep the order they were written in. */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
