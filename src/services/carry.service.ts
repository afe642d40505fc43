import type { AuditRepo } from '../db/audit.repo.ts';
import type { CarryRepo, CodedUnit, StoredWeight } from '../db/carry.repo.ts';
import { can, isRootScope, type Actor } from '../domain/access.ts';
import {
  allPairs,
  byAge,
  checkWeights,
  covers,
  deriveLinks,
  mapBetween,
  normaliseWeights,
  pairsCrossing,
  stepMap,
  weightKey,
  weightsOf,
  type CarryLink,
  type CarryTree,
  type Covers,
  type Image,
  type StepMap,
  type WeightProblem,
  type WeightRow,
} from '../domain/carry.ts';
import { AppError, describeWeightProblem, errors } from '../domain/errors.ts';
import type { LinkWeight, LinkWeightList, LinkWeightsResult } from '../contract/carry.ts';
import type { LiveWeightsEvent } from '../contract/live.ts';
import type { LiveBus } from '../live/bus.ts';
import { auditActor } from './audit.ts';

/**
 * What the carry service needs of the Store: the carry repository, for reads and in a
 * transaction (db/store.ts `Repos.carry`), and the audit log for changes of weights (a store
 * that only rebuilds may leave it out).
 */
export interface CarryStore {
  readonly repos: { readonly carry: CarryRepo };
  transaction<T>(
    fn: (repos: { readonly carry: CarryRepo; readonly audit?: AuditRepo }) => Promise<T>,
  ): Promise<T>;
}

/** Where a change of weights is told to open screens: the live bus, as much of it as is used. */
type LivePublisher = Pick<LiveBus, 'publish' | 'isClosed'>;

/** A write's context: the request it came in (audited with it). */
export interface WeightsContext {
  requestId?: string;
}

/** Problems listed in a refusal's details; the message says how many there are in all. */
const MAX_PROBLEMS = 100;

interface Derived {
  from: string;
  to: string;
  links: number;
}

async function derive(repo: CarryRepo): Promise<Derived[]> {
  const order = byAge(await repo.trees());
  const done: Derived[] = [];
  for (const [i, a] of order.entries()) {
    const b = order[i + 1];
    if (!b) break;
    if ((await repo.fileLinkCount(a.version, b.version)) > 0) continue;
    const links = deriveLinks(a, b);
    await repo.replaceDerivedLinks(a.version, b.version, links);
    done.push({ from: a.version, to: b.version, links: links.length });
  }
  return done;
}

/** A pair of trees whose map could not be built (its links leave a unit with nowhere to go). */
export interface CarryFailure {
  asked: string;
  stored: string;
  reason: string;
}

async function rebuild(
  repo: CarryRepo,
  pairs?: [string, string][],
): Promise<{ rows: number; failed: CarryFailure[] }> {
  await repo.refreshRollupFlags();
  const trees = await repo.trees();
  const known = new Set(trees.map((t) => t.version));
  const asked = (pairs ?? allPairs(trees)).filter(([a, s]) => known.has(a) && known.has(s));
  const links = await repo.links();
  const weights = weightsOf(await repo.weights());
  let rows = 0;
  const failed: CarryFailure[] = [];
  const byVersion = new Map(trees.map((t) => [t.version, t]));
  const steps = new Map<string, StepMap>();
  for (const [a, s] of asked) {
    // One pair at a time: links that leave a unit of one tree nowhere (an incomplete mapping)
    // empty that pair's map, and the others still carry. An empty map carries nothing.
    let c: Covers;
    try {
      const map = mapBetween(trees, links, weights, a, s, steps);
      c = covers(byVersion.get(a)!, byVersion.get(s)!, map);
    } catch (e) {
      failed.push({ asked: a, stored: s, reason: e instanceof Error ? e.message : String(e) });
      await repo.replacePair(a, s, { cover: [], gap: [], span: new Map() });
      continue;
    }
    rows += await repo.replacePair(a, s, c);
  }
  // Fresh statistics, or every analytics read plans its carry_cover join blind: measured on
  // PostgreSQL 0.4–4 s per question before, 7–30 ms after (PGlite has no autovacuum at all).
  await repo.analyze();
  return { rows, failed };
}

// ---------------------------------------------------------------------------------------------
// Weights of split links

/** Who may change weights: as for a units file, 'unit.manage' at the national scope. */
function mayManage(actor: Actor | 'system'): void {
  if (actor === 'system') return;
  if (!can(actor, 'unit.manage')) throw errors.forbidden('unit.manage');
  if (!isRootScope(actor.scope)) throw errors.outOfScope();
}

const byName = (actor: Actor | 'system') => (actor === 'system' ? 'system' : actor.name);

/** `link_weights_invalid` with the first problems described in both languages, and how many. */
function weightsRefused(problems: WeightProblem[]): AppError {
  const e = errors.linkWeightsInvalid(problems);
  return new AppError(e.code, e.messages, {
    problems: problems.slice(0, MAX_PROBLEMS).map((p) => ({
      ...p,
      vi: describeWeightProblem(p, 'vi'),
      en: describeWeightProblem(p, 'en'),
    })),
    total: problems.length,
  });
}

async function requireVersions(repo: CarryRepo, versions: Iterable<string>): Promise<void> {
  const known = new Set(await repo.versions());
  for (const v of versions) if (!known.has(v)) throw errors.unknownVersion(v);
}

/** Each (version, code) must be a unit of that tree: else of another tree, or of none. */
async function requireUnits(
  repo: CarryRepo,
  wanted: { version: string; code: string }[],
): Promise<Map<string, CodedUnit>> {
  const found = await repo.unitsByCode([...new Set(wanted.map((w) => w.code))]);
  const byKey = new Map(found.map((u) => [`${u.version}|${u.code}`, u]));
  for (const w of wanted) {
    if (byKey.has(`${w.version}|${w.code}`)) continue;
    const trees = [...new Set(found.filter((u) => u.code === w.code).map((u) => u.version))];
    throw trees.length
      ? errors.unitInOtherTree(w.code, w.version, trees)
      : errors.unknownUnit(w.code, w.version);
  }
  return byKey;
}

/** Links between two trees, seen from `from` (a link stored the other way round reversed). */
function linksFrom(links: CarryLink[], from: string, to: string): CarryLink[] {
  const out: CarryLink[] = [];
  for (const l of links)
    if (l.fromVersion === from && l.toVersion === to) out.push(l);
    else if (l.fromVersion === to && l.toVersion === from)
      out.push({
        fromVersion: from,
        fromCode: l.toCode,
        toVersion: to,
        toCode: l.fromCode,
        part: l.part,
      });
  return out;
}

/**
 * The split units of `from` toward `to`: leaves whose links there are two or more, none of them
 * `within` (the units whose shares the weights decide), each with its links, by code.
 */
function splitUnits(
  links: CarryLink[],
  isLeaf: (code: string) => boolean,
): Map<string, CarryLink[]> {
  const byUnit = new Map<string, CarryLink[]>();
  for (const l of links) {
    const list = byUnit.get(l.fromCode);
    if (list) list.push(l);
    else byUnit.set(l.fromCode, [l]);
  }
  const out = new Map<string, CarryLink[]>();
  for (const [code, list] of [...byUnit].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (list.length >= 2 && isLeaf(code) && list.every((l) => l.part !== 'within'))
      out.set(
        code,
        list.sort((a, b) => (a.toCode < b.toCode ? -1 : a.toCode > b.toCode ? 1 : 0)),
      );
  return out;
}

/** A tree of only these units, each a leaf under a root: enough for their step map. */
function flatTree(version: string, units: CodedUnit[]): CarryTree {
  const root = '(root)';
  return {
    version,
    validFrom: '',
    units: [
      { id: 0, code: root, parent: null, level: 0, kind: 'nation', rollup: true },
      ...units.map((u, i) => ({
        id: i + 1,
        code: u.code,
        parent: root,
        level: 1,
        kind: 'commune',
        rollup: false,
      })),
    ],
  };
}

/** Before and after a change, for the audit record: how many units and links, and on what basis. */
function summary(rows: StoredWeight[]) {
  return {
    units: new Set(rows.map((r) => `${r.fromVersion}|${r.fromCode}|${r.toVersion}`)).size,
    links: rows.length,
    basis: [...new Set(rows.map((r) => r.basis))],
  };
}

/** The pairs of trees whose maps depend on the links between each (from, to) pair given. */
function crossing(trees: CarryTree[], pairs: [string, string][]): [string, string][] {
  const out = new Map<string, [string, string]>();
  for (const [a, b] of pairs)
    for (const p of pairsCrossing(trees, a, b)) out.set(`${p[0]}|${p[1]}`, p);
  return [...out.values()];
}

function requireAudit(audit: AuditRepo | undefined): AuditRepo {
  if (!audit) throw new Error('a change of weights needs the audit log (db/store.ts Store)');
  return audit;
}

function tell(live: LivePublisher | undefined, events: LiveWeightsEvent[]): Promise<void> {
  if (!live) return Promise.resolve();
  const lost = (e: unknown) => {
    if (!live.isClosed) console.error('live weights event not stored', e);
  };
  return Promise.all(events.map((e) => live.publish('weights', e).catch(lost))).then(() => {});
}

/**
 * Derived links and the whole carry map, on a transaction's repository: what a change of a tree
 * or of the links between trees calls in its own transaction (hierarchy.service.ts), so that a
 * crash leaves the map as consistent as the trees.
 */
export async function refreshCarry(repo: CarryRepo, onlyVersion?: string) {
  const derived = await derive(repo);
  // A change of one tree touches the pairs it is part of (unknown trees are skipped).
  const pairs =
    onlyVersion === undefined
      ? undefined
      : (await repo.versions()).flatMap((v): [string, string][] =>
          v === onlyVersion
            ? [[v, v]]
            : [
                [v, onlyVersion],
                [onlyVersion, v],
              ],
        );
  return { derived, ...(await rebuild(repo, pairs)) };
}

/**
 * The carry map (issue 16, docs/decisions.md "carry map"): what each unit of an asked tree is
 * made of in every stored tree, rebuilt from the trees, the links and the weights whenever one
 * of them changes. It does not depend on stored values, so a rebuild costs the same whatever
 * the amount of data.
 */
export class CarryService {
  constructor(
    private readonly store: CarryStore,
    /** Open screens are told of a change of weights (none in the pure map tests). */
    private readonly live?: LivePublisher,
  ) {}

  /**
   * Derives the links between adjacent trees (by age) that no file links: same code → full,
   * a gone commune → within its province (domain/carry.ts `deriveLinks`). Returns what it wrote.
   */
  deriveLinks(): Promise<Derived[]> {
    return this.store.transaction((tx) => derive(tx.carry));
  }

  /**
   * Recomputes the carry map of the given (asked, stored) pairs, every pair by default, and
   * replaces them in one transaction. Keeps org_unit.rollup true first (a `whole` entry reads
   * roll-up rows only at roll-up units).
   */
  async rebuild(
    pairs?: [asked: string, stored: string][],
  ): Promise<{ rows: number; failed: CarryFailure[]; ms: number }> {
    const started = performance.now();
    const r = await this.store.transaction((tx) => rebuild(tx.carry, pairs));
    return { ...r, ms: Math.round(performance.now() - started) };
  }

  /**
   * After a tree or the links between trees changed (a units file, a mapping, added units): the
   * derived links and the whole carry map, in one transaction.
   */
  async refresh(): Promise<{
    derived: Derived[];
    rows: number;
    failed: CarryFailure[];
    ms: number;
  }> {
    const started = performance.now();
    const r = await this.store.transaction((tx) => refreshCarry(tx.carry));
    return { ...r, ms: Math.round(performance.now() - started) };
  }

  /**
   * Whether every pair of trees has a carry map (a database migrated to 0018 has none; a pair
   * whose map could not be built has none either, and is tried again).
   */
  async built(): Promise<boolean> {
    const repo = this.store.repos.carry;
    const have = new Set((await repo.pairCounts()).map((p) => `${p.asked}|${p.stored}`));
    return (await repo.versions()).every((a, _, all) => all.every((s) => have.has(`${a}|${s}`)));
  }

  /** The pairs a change of the links (or weights) between trees `a` and `b` touches. */
  async pairsCrossing(a: string, b: string): Promise<[string, string][]> {
    return pairsCrossing(await this.store.repos.carry.trees(), a, b);
  }

  /**
   * The split links from tree `from` to tree `to` (of one unit with `code`), each with the
   * share it carries now: the one set, or the default (equal shares of an old unit; back along
   * the links, the forward shares normalised, as domain/carry.ts `stepMap` computes them).
   */
  async list(
    actor: Actor | 'system',
    q: { from: string; to: string; code?: string },
  ): Promise<LinkWeightList> {
    if (actor !== 'system' && !can(actor, 'unit.read')) throw errors.forbidden('unit.read');
    const repo = this.store.repos.carry;
    await requireVersions(repo, [q.from, q.to]);
    if (q.code !== undefined) await requireUnits(repo, [{ version: q.from, code: q.code }]);
    const [between, stored] = await Promise.all([repo.linksBetween(q.from, q.to), repo.weights()]);
    // The links that decide the listed units' shares: their own, and (back along the links)
    // every link of the units they lead to, whose forward shares are the defaults.
    const sides = (l: CarryLink) =>
      l.fromVersion === q.from ? [l.fromCode, l.toCode] : [l.toCode, l.fromCode];
    const listed = (code: string) => q.code === undefined || code === q.code;
    const reached = new Set(between.filter((l) => listed(sides(l)[0]!)).map((l) => sides(l)[1]!));
    const links = between.filter((l) => reached.has(sides(l)[1]!));
    const found = await repo.unitsByCode([...new Set(links.flatMap(sides))], [q.from, q.to]);
    const unit = new Map(found.map((u) => [`${u.version}|${u.code}`, u]));
    const held = (version: string, code: string) => unit.has(`${version}|${code}`);
    const oriented = linksFrom(links, q.from, q.to).filter(
      (l) => listed(l.fromCode) && held(q.from, l.fromCode) && held(q.to, l.toCode),
    );
    const units = splitUnits(oriented, (code) => unit.get(`${q.from}|${code}`)!.leaf);
    // The step map of these units alone: each tree reduced to the units the links name (a
    // leaf's images depend on its links and the weights only, domain/carry.ts `stepMap`).
    const a = flatTree(
      q.from,
      [...found].filter((u) => u.version === q.from),
    );
    const b = flatTree(
      q.to,
      [...found].filter((u) => u.version === q.to),
    );
    const map: StepMap =
      q.from === q.to ? new Map<number, Image[]>() : stepMap(a, b, links, weightsOf(stored));
    const idOf = (t: CarryTree) => new Map(t.units.map((u) => [u.code, u.id]));
    const [aId, bId] = [idOf(a), idOf(b)];
    const set = new Map(
      stored.map((w) => [weightKey(w.fromVersion, w.fromCode, w.toVersion, w.toCode), w]),
    );
    const items: LinkWeight[] = [];
    let setUnits = 0;
    for (const [code, list] of units) {
      const own = list.map((l) => set.get(weightKey(l.fromVersion, code, l.toVersion, l.toCode)));
      // The map takes a unit's shares only when every one of its links has one.
      const isDefault = own.some((w) => w === undefined);
      if (!isDefault) setUnits++;
      const images = map.get(aId.get(code)!) ?? [];
      list.forEach((l, i) => {
        const w = isDefault ? undefined : own[i];
        items.push({
          fromVersion: q.from,
          fromCode: code,
          toVersion: q.to,
          toCode: l.toCode,
          share: images.find((x) => x.to === bId.get(l.toCode))?.share ?? 0,
          fromName: unit.get(`${q.from}|${code}`)!.fullName,
          toName: unit.get(`${q.to}|${l.toCode}`)!.fullName,
          default: isDefault,
          basis: w?.basis ?? null,
          setBy: w?.setBy ?? null,
          setAt: w ? new Date(w.setAt).toISOString() : null,
        });
      });
    }
    return { from: q.from, to: q.to, units: units.size, set: setUnits, items };
  }

  /**
   * Replaces the shares of every unit named (each gives all of its split links), all or
   * nothing: checked, normalised to sum exactly 1, written, the carry map of the pairs of trees
   * crossing them rebuilt and the change audited in one transaction; a `weights` live event per
   * pair of trees goes out after the commit.
   */
  async set(
    actor: Actor | 'system',
    input: { basis: string; weights: WeightRow[] },
    ctx: WeightsContext = {},
  ): Promise<LinkWeightsResult> {
    mayManage(actor);
    const started = performance.now();
    const given = input.weights;
    const r = await this.store.transaction(async (tx) => {
      const repo = tx.carry;
      await repo.lockWeights();
      await requireVersions(repo, new Set(given.flatMap((g) => [g.fromVersion, g.toVersion])));
      const units = await requireUnits(repo, [
        ...given.map((g) => ({ version: g.fromVersion, code: g.fromCode })),
        ...given.map((g) => ({ version: g.toVersion, code: g.toCode })),
      ]);
      const problems = checkWeights(await repo.links(), given);
      // A unit with units under it is carried whole: its links are not split.
      const named = new Map(given.map((g) => [`${g.fromVersion}|${g.fromCode}`, g]));
      for (const [key, g] of named)
        if (!units.get(key)!.leaf) problems.push({ from: g.fromCode, problem: 'not_split' });
      if (problems.length > 0) throw weightsRefused(problems);
      const unitKey = (w: WeightRow) => `${w.fromVersion}|${w.fromCode}|${w.toVersion}`;
      const touched = new Set(given.map(unitKey));
      const before = (await repo.weights()).filter((w) => touched.has(unitKey(w)));
      const rows = normaliseWeights(given);
      await repo.setWeights(rows, byName(actor), input.basis);
      const pairs = [...new Map(given.map((g) => [`${g.fromVersion}|${g.toVersion}`, g])).values()];
      const asked = crossing(
        await repo.trees(),
        pairs.map((p): [string, string] => [p.fromVersion, p.toVersion]),
      );
      const built = await rebuild(repo, asked);
      const events = pairs.map((p) => ({
        from: p.fromVersion,
        to: p.toVersion,
        units: [
          ...new Set(
            given
              .filter((g) => g.fromVersion === p.fromVersion && g.toVersion === p.toVersion)
              .map((g) => g.fromCode),
          ),
        ],
      }));
      await requireAudit(tx.audit).record({
        ...auditActor(actor),
        action: 'carry.weights.set',
        entityType: 'link_weights',
        entityId: events.map((e) => `${e.from}>${e.to}`).join(','),
        before: summary(before),
        after: {
          units: touched.size,
          links: rows.length,
          basis: [input.basis],
          codes: events.map((e) => ({ from: e.from, to: e.to, units: e.units.slice(0, 50) })),
          pairs: asked,
          rows: built.rows,
          ...(built.failed.length ? { failed: built.failed } : {}),
        },
        requestId: ctx.requestId,
      });
      return { weights: rows.length, pairs: asked, rows: built.rows, events };
    });
    return this.told(r, started);
  }

  /**
   * Back to the default shares: every unit of `from` toward `to`, or the one with `code`. In
   * one transaction with the rebuild of the map and the audit record; nothing to remove changes
   * nothing.
   */
  async reset(
    actor: Actor | 'system',
    q: { from: string; to: string; code?: string },
    ctx: WeightsContext = {},
  ): Promise<LinkWeightsResult> {
    mayManage(actor);
    const started = performance.now();
    const r = await this.store.transaction(async (tx) => {
      const repo = tx.carry;
      await repo.lockWeights();
      await requireVersions(repo, [q.from, q.to]);
      if (q.code !== undefined) await requireUnits(repo, [{ version: q.from, code: q.code }]);
      const before = (await repo.weights()).filter(
        (w) =>
          w.fromVersion === q.from &&
          w.toVersion === q.to &&
          (q.code === undefined || w.fromCode === q.code),
      );
      if (before.length === 0) return { weights: 0, pairs: [], rows: 0, events: [] };
      const removed = await repo.resetWeights({
        fromVersion: q.from,
        toVersion: q.to,
        code: q.code,
      });
      const asked = crossing(await repo.trees(), [[q.from, q.to]]);
      const built = await rebuild(repo, asked);
      const units = [...new Set(before.map((w) => w.fromCode))];
      await requireAudit(tx.audit).record({
        ...auditActor(actor),
        action: 'carry.weights.reset',
        entityType: 'link_weights',
        entityId: `${q.from}>${q.to}`,
        before: { ...summary(before), codes: units.slice(0, 50) },
        after: {
          units: 0,
          links: 0,
          ...(q.code === undefined ? {} : { code: q.code }),
          pairs: asked,
          rows: built.rows,
          ...(built.failed.length ? { failed: built.failed } : {}),
        },
        requestId: ctx.requestId,
      });
      return {
        weights: removed,
        pairs: asked,
        rows: built.rows,
        events: [{ from: q.from, to: q.to, units }],
      };
    });
    return this.told(r, started);
  }

  /** After a committed change of weights: open screens told, the answer with its time. */
  private async told(
    r: { weights: number; pairs: [string, string][]; rows: number; events: LiveWeightsEvent[] },
    started: number,
  ): Promise<LinkWeightsResult> {
    await tell(this.live, r.events);
    const { weights, pairs, rows } = r;
    return { weights, pairs, rows, ms: Math.round(performance.now() - started) };
  }

  /** The deepest unit of `otherVersion` holding everything unit `unitId` maps to. */
  span(unitId: number, otherVersion: string): Promise<number | undefined> {
    return this.store.repos.carry.span(unitId, otherVersion);
  }

  /** Of the asked units, those that may miss stored territory placed only above them. */
  gapOf(askedIds: number[], storedVersion?: string) {
    return this.store.repos.carry.gapOf(askedIds, storedVersion);
  }
}
