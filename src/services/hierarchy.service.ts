import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { DataValueRepo } from '../db/data-value.repo.ts';
import type { ScopeFilter, UnitQuery } from '../db/org-unit.repo.ts';
import type { Store } from '../db/store.ts';
import type { OrgUnitChange, OrgUnitDetail } from '../contract/org-unit.ts';
import { can, inScope, isRootScope, type Actor } from '../domain/access.ts';
import { vnDate, viDate, type Clock } from '../domain/dates.ts';
import { AppError, errors } from '../domain/errors.ts';
import {
  parseUnitsFile,
  VERSION_ID,
  versionAt,
  type OrgUnit,
  type VersionSpan,
} from '../domain/hierarchy.ts';
import { searchWords } from '../domain/text.ts';
import { auditActor } from './audit.ts';
import { refreshCarry } from './carry.service.ts';
import { UnitCache, type UnitMap } from './unit-cache.ts';

export { unitsChanged, type UnitMap } from './unit-cache.ts';

interface VersionSpanRow {
  id: string;
  valid_from: string;
  valid_until: string | null;
}

export interface UnitWithPath extends OrgUnit {
  /** From the nation down to the unit's parent. */
  ancestors: Pick<OrgUnit, 'code' | 'level' | 'name' | 'fullName' | 'type'>[];
}

export interface ListParams {
  version?: string;
  level?: number;
  parent?: string;
  q?: string;
  at?: string;
  limit: number;
  offset: number;
}

const brief = (u: OrgUnit) => ({
  code: u.code,
  level: u.level,
  name: u.name,
  fullName: u.fullName,
  type: u.type,
});

export class HierarchyService {
  /** The one cache of the units of each tree (data imports, analytics and alerts read it). */
  private readonly units: UnitCache;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.units = new UnitCache(store);
  }

  private repo() {
    return this.store.repos.orgUnits;
  }

  today(): string {
    return vnDate(this.clock());
  }

  async versions() {
    return this.repo().versions();
  }

  private spans?: { at: number; rows: Promise<VersionSpanRow[]> };

  /** Versions change only by import: read them at most once a minute, or when one is missing. */
  async versionSpans(refresh = false): Promise<VersionSpanRow[]> {
    if (refresh || !this.spans || Date.now() - this.spans.at > 60_000) {
      const rows = this.store.repos.orgUnits.versionSpans();
      this.spans = { at: Date.now(), rows };
      rows.catch(() => (this.spans = undefined));
    }
    return this.spans.rows;
  }

  /**
   * Every unit of a tree by code (and DHIS2 uid), cached for a minute like the versions:
   * analytics and imports resolve many codes per request. Inside a transaction on PGlite (one
   * connection) `repo` must be the transaction's.
   */
  unitMap(version: string, refresh = false, repo?: DataValueRepo): Promise<UnitMap> {
    return this.units.get(version, refresh, repo);
  }

  /** A named version, or the tree in force today. */
  /**
   * The tree a request of `actor` means: the one it names, else the actor's own (for a
   * national actor, the tree in force today).
   */
  versionFor(actor: Actor, version?: string): Promise<string> {
    return this.resolveVersion(
      version ?? (isRootScope(actor.scope) ? undefined : actor.scope.version),
    );
  }

  /** Each version's dates, as `versionAt` reads them. */
  async versionDates(): Promise<VersionSpan[]> {
    return (await this.versionSpans()).map((s) => ({
      id: s.id,
      validFrom: s.valid_from,
      validUntil: s.valid_until,
    }));
  }

  async resolveVersion(version?: string, at?: string): Promise<string> {
    let spans = await this.versionSpans();
    if (version) {
      if (!spans.some((s) => s.id === version)) spans = await this.versionSpans(true);
      if (!spans.some((s) => s.id === version)) throw errors.unknownVersion(version);
      return version;
    }
    const chosen = versionAt(
      spans.map((s) => ({ id: s.id, validFrom: s.valid_from, validUntil: s.valid_until })),
      at ?? this.today(),
    );
    if (!chosen) throw errors.unknownVersion('(none loaded)');
    return chosen.id;
  }

  private scopeFor(actor: Actor, version: string): ScopeFilter {
    if (isRootScope(actor.scope)) return { all: true, path: '/' };
    if (actor.scope.version !== version) {
      throw new AppError(
        'out_of_scope',
        {
          vi: `Cây ${version} nằm ngoài phạm vi của bạn (phạm vi của bạn thuộc cây ${actor.scope.version})`,
          en: `The ${version} tree is outside your scope (your scope belongs to the ${actor.scope.version} tree)`,
        },
        { version, scopeVersion: actor.scope.version },
      );
    }
    return { all: false, path: actor.scope.path };
  }

  private requireRead(actor: Actor) {
    if (!can(actor, 'unit.read')) throw errors.forbidden('unit.read');
  }

  async withAncestors(version: string, units: OrgUnit[], asOf: string): Promise<UnitWithPath[]> {
    const byCode = await this.repo().byPaths(
      version,
      units.map((u) => u.path),
      asOf,
    );
    return units.map((u) => ({
      ...u,
      ancestors: u.path
        .split('/')
        .filter((c) => c && c !== u.code)
        .map((c) => byCode.get(c))
        .filter((a): a is OrgUnit => a !== undefined)
        .map(brief),
    }));
  }

  /** One unit with its path to the nation, counts below it, and its links across reforms. */
  async get(actor: Actor, code: string, version?: string, at?: string): Promise<OrgUnitDetail> {
    this.requireRead(actor);
    const v = await this.resolveVersion(version);
    const asOf = at ?? this.today();
    this.scopeFor(actor, v); // a scope of another tree is refused with the clearer message
    const unit = await this.repo().get(v, code, asOf);
    if (!unit) throw errors.unknownUnit(code, v);
    if (!can(actor, 'unit.read', unit)) throw errors.outOfScope(code, v);
    const [withPath] = await this.withAncestors(v, [unit], asOf);
    const [countsBelow, links] = await Promise.all([
      this.repo().countsUnder(v, unit.path),
      this.repo().links(v, code),
    ]);
    return { ...withPath!, countsBelow, ...links };
  }

  async children(
    actor: Actor,
    code: string,
    version?: string,
    at?: string,
    limit = 1000,
    offset = 0,
  ) {
    return this.list(actor, { version, parent: code, at, limit, offset });
  }

  /**
   * Lists units: by level, by parent (children, or with a level, all descendants at that
   * level), or by a search. A parent above the caller's scope lists only what is in scope;
   * a parent beside it is refused.
   */
  async list(actor: Actor, p: ListParams) {
    this.requireRead(actor);
    const version = await this.resolveVersion(p.version);
    const asOf = p.at ?? this.today();
    const scope = this.scopeFor(actor, version);
    let underPath: string | undefined;
    let parentCode: string | undefined;
    if (p.parent !== undefined) {
      const parent = await this.repo().get(version, p.parent, asOf);
      if (!parent) throw errors.unknownUnit(p.parent, version);
      const aboveScope = !scope.all && scope.path.startsWith(parent.path);
      if (!inScope(actor.scope, parent) && !aboveScope) throw errors.outOfScope(p.parent, version);
      if (p.level === undefined && !p.q) parentCode = parent.code;
      else underPath = parent.path;
    }
    const base = {
      version,
      asOf,
      scope,
      level: p.level,
      underPath,
      parentCode,
      limit: p.limit,
      offset: p.offset,
    };
    const words = p.q ? searchWords(p.q) : [];
    if (p.q !== undefined && words.length > 0) return this.searchIn(base, words);
    const found = await this.repo().list(base);
    return {
      version,
      total: found.total,
      items: await this.withAncestors(version, found.items, asOf),
    };
  }

  /** The units whose names hold the typed words (own, later official or former names). */
  private async searchIn(base: UnitQuery, words: string[]) {
    const { version, asOf } = base;
    const found = await this.repo().search({ ...base, words });
    const units = await this.withAncestors(
      version,
      found.items.map((h) => h.unit),
      asOf,
    );
    return {
      version,
      total: found.total,
      items: units.map((u, i) => {
        const m = found.items[i]!.matched;
        return m.source === 'own'
          ? u
          : {
              ...u,
              matchedName: {
                name: m.name,
                source: m.source,
                code: m.formerCode,
                version: m.formerVersion,
              },
            };
      }),
    };
  }

  /**
   * A search by name for a caller without an account (placing a citizen's report, issue 20):
   * the whole tree, the same search as `list`.
   */
  async searchPublic(p: {
    version: string;
    q: string;
    level?: number;
    at?: string;
    limit: number;
  }) {
    return this.searchIn(
      {
        version: p.version,
        asOf: p.at ?? this.today(),
        scope: { all: true, path: '/' },
        level: p.level,
        limit: p.limit,
        offset: 0,
      },
      searchWords(p.q),
    );
  }

  /** Units of a tree by code with their ancestors, for a caller without an account (issue 20). */
  async publicUnits(version: string, codes: string[], at?: string): Promise<UnitWithPath[]> {
    const asOf = at ?? this.today();
    const found = await this.repo().byCodes(version, codes, asOf);
    const units = codes.map((c) => found.get(c)).filter((u): u is OrgUnit => u !== undefined);
    return this.withAncestors(version, units, asOf);
  }

  /**
   * Imports a units file as a version of the hierarchy, all or nothing: the file is checked
   * whole first, then written in one transaction with its audit record.
   */
  async importUnitsFile(
    actor: Actor | 'system',
    text: string,
    opts: {
      fileName: string;
      versionId?: string;
      onProgress?: (done: number, total: number) => void;
      /** Rebuild the carry map in the same transaction (false: the caller does it once after). */
      carry?: boolean;
    },
  ) {
    if (actor !== 'system' && !can(actor, 'unit.manage')) throw errors.forbidden('unit.manage');
    if (actor !== 'system' && !isRootScope(actor.scope)) throw errors.outOfScope();
    const file = parseUnitsFile(text, opts.fileName);
    const versionId =
      opts.versionId ?? versionIdFromFileName(opts.fileName) ?? file.validFrom.slice(0, 7);
    if (!VERSION_ID.test(versionId)) {
      throw new AppError(
        'validation_failed',
        {
          vi: `Mã phiên bản "${versionId}" không hợp lệ: dùng năm hoặc năm-tháng hiệu lực, ví dụ 2025 hoặc 2025-03`,
          en: `Version id "${versionId}" is invalid: use the year or year-month it takes effect, e.g. 2025 or 2025-03`,
        },
        { versionId },
      );
    }
    const total = file.units.length + 1;
    const imported = await this.store.transaction(async (tx) => {
      const result = await tx.orgUnits.replaceTree(
        {
          id: versionId,
          name: `Cây đơn vị hành chính từ ${viDate(file.validFrom)}`,
          validFrom: file.validFrom,
          validUntil: file.validUntil,
          source: file.dataset ?? opts.fileName,
        },
        file.units,
        (done) => opts.onProgress?.(done, total),
      );
      await tx.audit.record({
        ...auditActor(actor),
        action: 'hierarchy.import',
        entityType: 'hierarchy_version',
        entityId: versionId,
        after: { file: opts.fileName, validFrom: file.validFrom, units: total, ...result },
      });
      if (opts.carry !== false) await refreshCarry(tx.carry);
      return { version: versionId, units: total, ...result };
    });
    this.spans = undefined;
    this.units.invalidate(versionId);
    return imported;
  }

  async importChanges(actor: Actor | 'system', version: string, text: string) {
    const file = JSON.parse(text) as {
      changes: {
        effective: string | null;
        decree: string;
        code: string;
        type: [string, string];
        fullName: [string, string];
      }[];
    };
    await this.store.transaction(async (tx) => {
      await tx.orgUnits.replaceChanges(
        version,
        file.changes.map((c) => ({
          code: c.code,
          effective: c.effective,
          decree: c.decree,
          typeBefore: c.type[0],
          typeAfter: c.type[1],
          fullNameBefore: c.fullName[0],
          fullNameAfter: c.fullName[1],
        })),
      );
      await tx.audit.record({
        ...auditActor(actor),
        action: 'hierarchy.changes.import',
        entityType: 'hierarchy_version',
        entityId: version,
        after: { changes: file.changes.length },
      });
    });
  }

  /** Old → new links across a reform (the format of data/vn-admin/mapping-2025.json). */
  async importMapping(
    actor: Actor | 'system',
    fromVersion: string,
    toVersion: string,
    text: string,
    opts: { carry?: boolean } = {},
  ) {
    type Row = { old: string; new: string; part?: 'full' | 'partial'; oldName?: string };
    const file = JSON.parse(text) as {
      provinces: Row[];
      districts: Row[];
      communes: Row[];
      staleOld: Row[];
    };
    const names = await this.store.repos.orgUnits.fullNames(fromVersion);
    const links = [
      ...file.provinces.map((r) => ({ ...r, part: 'full' as const, stale: false })),
      ...file.districts.map((r) => ({ ...r, part: r.part ?? 'full', stale: false })),
      ...file.communes.map((r) => ({ ...r, part: r.part ?? 'full', stale: false })),
      ...file.staleOld.map((r) => ({ ...r, part: r.part ?? 'full', stale: true })),
    ].map((r) => ({
      fromCode: r.old,
      fromName: r.oldName ?? names.get(r.old) ?? r.old,
      toCode: r.new,
      part: r.part,
      stale: r.stale,
    }));
    await this.store.transaction(async (tx) => {
      await tx.orgUnits.replaceLinks(fromVersion, toVersion, links);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'hierarchy.mapping.import',
        entityType: 'hierarchy_version',
        entityId: toVersion,
        after: { from: fromVersion, links: links.length },
      });
      if (opts.carry !== false) await refreshCarry(tx.carry);
    });
  }

  async changes(actor: Actor, version?: string): Promise<OrgUnitChange[]> {
    this.requireRead(actor);
    const v = await this.resolveVersion(version);
    const today = this.today();
    const rows = await this.repo().changes(v);
    return rows.map((c) => ({
      id: c.id,
      version: c.version,
      code: c.code,
      decree: c.decree,
      effective: c.effective,
      status: c.effective === null ? 'announced' : c.effective <= today ? 'in_force' : 'scheduled',
      type: [c.type_before, c.type_after],
      fullName: [c.full_name_before, c.full_name_after],
    }));
  }

  /** An admin dates an announced change; it applies from that date. */
  async dateChange(actor: Actor, id: number, effective: string) {
    if (!can(actor, 'unit.manage')) throw errors.forbidden('unit.manage');
    return this.store.transaction(async (tx) => {
      const repo = tx.orgUnits;
      const before = await repo.getChange(id);
      if (!before) throw errors.notFound(`change ${id}`);
      const unit = await repo.get(before.version, before.code, effective);
      if (!unit || !can(actor, 'unit.manage', unit))
        throw errors.outOfScope(before.code, before.version);
      const after = await repo.setChangeDate(id, effective);
      await tx.audit.record({
        ...auditActor(actor),
        action: 'hierarchy.change.date',
        entityType: 'org_unit_change',
        entityId: String(id),
        unit: { version: before.version, code: before.code },
        before: { effective: before.effective },
        after: { effective: after?.effective },
      });
      return after;
    });
  }

  async unitCount(version: string): Promise<number> {
    return this.store.repos.orgUnits.unitCount(version);
  }
}

export function versionIdFromFileName(fileName: string): string | undefined {
  return /^units-(.+)\.json$/.exec(basename(fileName))?.[1];
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
