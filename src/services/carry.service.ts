import type { CarryRepo } from '../db/carry.repo.ts';
import {
  allPairs,
  byAge,
  covers,
  deriveLinks,
  mapBetween,
  pairsCrossing,
  weightsOf,
  type Covers,
  type StepMap,
} from '../domain/carry.ts';

/**
 * What the carry service needs of the Store: the carry repository, for reads and in a
 * transaction (db/store.ts `Repos.carry`).
 */
export interface CarryStore {
  readonly repos: { readonly carry: CarryRepo };
  transaction<T>(fn: (repos: { readonly carry: CarryRepo }) => Promise<T>): Promise<T>;
}

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
  return { rows, failed };
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
  constructor(private readonly store: CarryStore) {}

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

  /** The deepest unit of `otherVersion` holding everything unit `unitId` maps to. */
  span(unitId: number, otherVersion: string): Promise<number | undefined> {
    return this.store.repos.carry.span(unitId, otherVersion);
  }

  /** Of the asked units, those that may miss stored territory placed only above them. */
  gapOf(askedIds: number[], storedVersion?: string) {
    return this.store.repos.carry.gapOf(askedIds, storedVersion);
  }
}
