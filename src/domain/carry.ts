/**
 * Carrying values stored on one administrative tree to the units of another (issue 16,
 * docs/decisions.md "carry map"). Pure: trees, links and weights in, the carry map out.
 *
 * A step map says where each unit of one tree goes in an adjacent tree: a leaf along its links
 * (full → share 1; split → the weights, by default equal shares; within → the unit it lies in),
 * a non-leaf as a whole to the deepest unit holding everything its subtree goes to. Steps
 * compose (shares multiply). `covers` turns a map into what each unit U of the asked tree is
 * made of: roll-up rows of stored units wholly inside U (`whole`), own values of the rest.
 */

export interface CarryUnit {
  id: number;
  code: string;
  parent: string | null;
  level: number;
  kind: string;
  /** Keeps roll-up rows (org_unit.rollup): a `whole` entry may read them. */
  rollup: boolean;
}
export interface CarryTree {
  version: string;
  validFrom: string;
  units: CarryUnit[];
}
export type LinkPart = 'full' | 'partial' | 'within';
export interface CarryLink {
  fromVersion: string;
  fromCode: string;
  toVersion: string;
  toCode: string;
  part: LinkPart;
}
export type DerivedLink = CarryLink & { basis: 'code' | 'province' };
/** `${fromVersion}|${fromCode}|${toVersion}|${toCode}` → share. */
export type Weights = Map<string, number>;
export interface WeightRow {
  fromVersion: string;
  fromCode: string;
  toVersion: string;
  toCode: string;
  share: number;
}
export interface WeightProblem {
  from: string;
  to?: string;
  problem:
    'no_link' | 'not_split' | 'negative' | 'above_one' | 'sum' | 'missing_links' | 'duplicate';
  sum?: number;
}
export interface Image {
  to: number;
  share: number;
  exact: boolean;
}
/** A unit id of one tree → its images in another tree; shares sum to 1. */
export type StepMap = Map<number, Image[]>;
export interface CoverEntry {
  askedId: number;
  storedId: number;
  whole: boolean;
  share: number;
  exact: boolean;
}
export interface Covers {
  cover: CoverEntry[];
  /** Asked units that may miss stored territory placed only above them. */
  gap: number[];
  /** Stored unit id → the deepest asked unit holding everything its subtree maps to. */
  span: Map<number, number>;
}

export const weightKey = (
  fromVersion: string,
  fromCode: string,
  toVersion: string,
  toCode: string,
) => `${fromVersion}|${fromCode}|${toVersion}|${toCode}`;

/** The sum check's tolerance; accepted shares are then normalised to sum exactly 1. */
export const WEIGHT_SUM_TOLERANCE = 1e-6;
const EPS = 1e-9;

// ---------------------------------------------------------------------------------------------
// An indexed tree

class Tree {
  readonly byId = new Map<number, CarryUnit>();
  readonly byCode = new Map<string, CarryUnit>();
  readonly parentOf = new Map<number, number>();
  readonly children = new Map<number, number[]>();
  readonly root: number;
  /** Leaves in depth-first order, and each unit's [first, end) range in it. */
  readonly leaves: number[] = [];
  readonly range = new Map<number, [number, number]>();
  /** Units, deepest first. */
  readonly bottomUp: CarryUnit[];

  constructor(readonly t: CarryTree) {
    for (const u of t.units) {
      this.byId.set(u.id, u);
      this.byCode.set(u.code, u);
    }
    // The root: the unit at level 0 (a unit whose parent is unknown hangs under it).
    const root = t.units.find((u) => u.level === 0 && u.parent === null)?.id;
    if (root === undefined) throw new Error(`tree ${t.version}: no root`);
    for (const u of t.units) {
      if (u.id === root) continue;
      const p = (u.parent === null ? undefined : this.byCode.get(u.parent))?.id ?? root;
      this.parentOf.set(u.id, p);
      const c = this.children.get(p);
      if (c) c.push(u.id);
      else this.children.set(p, [u.id]);
    }
    this.root = root;
    this.bottomUp = [...t.units].sort((a, b) => b.level - a.level);
    const stack: [number, boolean][] = [[root, false]];
    const start = new Map<number, number>();
    while (stack.length > 0) {
      const [id, done] = stack.pop()!;
      if (done) {
        this.range.set(id, [start.get(id)!, this.leaves.length]);
        continue;
      }
      start.set(id, this.leaves.length);
      const c = this.children.get(id);
      if (!c) {
        this.leaves.push(id);
        this.range.set(id, [this.leaves.length - 1, this.leaves.length]);
        continue;
      }
      stack.push([id, true]);
      for (const child of [...c].reverse()) stack.push([child, false]);
    }
  }

  level(id: number): number {
    return this.byId.get(id)!.level;
  }
  isLeaf(id: number): boolean {
    return !this.children.has(id);
  }
  /** Whether `a` lies in the subtree of `u` (a ⊑ u). */
  under(a: number, u: number): boolean {
    const lu = this.level(u);
    let x: number | undefined = a;
    while (x !== undefined && this.level(x) > lu) x = this.parentOf.get(x);
    return x === u;
  }
  lca(a: number, b: number): number {
    let x = a;
    let y = b;
    while (this.level(x) > this.level(y)) x = this.parentOf.get(x)!;
    while (this.level(y) > this.level(x)) y = this.parentOf.get(y)!;
    while (x !== y) {
      x = this.parentOf.get(x)!;
      y = this.parentOf.get(y)!;
    }
    return x;
  }
  lcaOf(ids: Iterable<number>): number | undefined {
    let r: number | undefined;
    for (const id of ids) r = r === undefined ? id : this.lca(r, id);
    return r;
  }
  /** The unit and every unit above it, the unit first. */
  upFrom(id: number): number[] {
    const out = [id];
    for (let x = this.parentOf.get(id); x !== undefined; x = this.parentOf.get(x)) out.push(x);
    return out;
  }
  subtree(id: number): number[] {
    const out: number[] = [];
    const stack = [id];
    while (stack.length > 0) {
      const x = stack.pop()!;
      out.push(x);
      for (const c of this.children.get(x) ?? []) stack.push(c);
    }
    return out;
  }
  provinceOf(u: CarryUnit): CarryUnit | undefined {
    let x: CarryUnit | undefined = u;
    while (x && x.level > 1) x = x.parent === null ? undefined : this.byCode.get(x.parent);
    return x?.level === 1 ? x : undefined;
  }
}

const indexed = new WeakMap<CarryTree, Tree>();
function tree(t: CarryTree): Tree {
  let x = indexed.get(t);
  if (!x) indexed.set(t, (x = new Tree(t)));
  return x;
}

// ---------------------------------------------------------------------------------------------
// Derived links

/**
 * Links between two trees that no file links, derived where they are exact: a province, and a
 * leaf of both trees of the same kind, with the same code → `full` (basis `code`); a commune gone
 * from the newer tree → `within` the newer province of its code (basis `province`). Nothing is
 * said of the newer tree's new units: they receive nothing from the older one.
 */
export function deriveLinks(older: CarryTree, newer: CarryTree): DerivedLink[] {
  const a = tree(older);
  const b = tree(newer);
  const out: DerivedLink[] = [];
  const link = (from: string, to: string, part: LinkPart, basis: DerivedLink['basis']) =>
    out.push({
      fromVersion: older.version,
      fromCode: from,
      toVersion: newer.version,
      toCode: to,
      part,
      basis,
    });
  for (const o of older.units) {
    if (o.level === 0) continue;
    const n = b.byCode.get(o.code);
    if (o.kind === 'province') {
      if (n?.kind === 'province') link(o.code, n.code, 'full', 'code');
      continue;
    }
    if (!a.isLeaf(o.id)) continue;
    if (n && n.kind === o.kind && b.isLeaf(n.id)) {
      link(o.code, n.code, 'full', 'code');
      continue;
    }
    const p = a.provinceOf(o);
    const np = p && b.byCode.get(p.code);
    if (np?.kind === 'province') link(o.code, np.code, 'within', 'province');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Step maps

/** Equal shares unless every target of the unit has a weight; normalised to sum 1. */
function shares(keys: string[], defaults: number[], w: Weights): number[] {
  const given = keys.map((k) => w.get(k));
  const s = given.every((x) => x !== undefined) ? given : defaults;
  const total = s.reduce((x, y) => x + y, 0);
  return total > 0 ? s.map((x) => x / total) : s.map(() => 1 / s.length);
}

/**
 * Where each unit of `a` goes in `b`, `a` and `b` adjacent trees, along `links` in either
 * direction. Forward (links a → b): a leaf's share per link is 1 for a single link, else its
 * weight (default 1/k). Reverse (links b → a): a leaf N goes back to its sources o with the
 * reverse weight, default f(o→N)/Σf where f is the forward share. A leaf without links goes
 * where its nearest linked ancestor goes. A non-leaf goes whole to the deepest unit of `b`
 * holding everything its subtree goes to.
 */
export function stepMap(a: CarryTree, b: CarryTree, links: CarryLink[], w: Weights): StepMap {
  const ta = tree(a);
  const tb = tree(b);
  const fwd = new Map<number, { to: CarryUnit; part: LinkPart }[]>();
  const rev = new Map<number, { from: CarryUnit; part: LinkPart }[]>();
  // Forward shares of b → a links, for the reverse defaults.
  const outOfB = new Map<string, { to: CarryUnit; part: LinkPart }[]>();
  for (const l of links) {
    if (l.fromVersion === a.version && l.toVersion === b.version) {
      const x = ta.byCode.get(l.fromCode);
      const y = tb.byCode.get(l.toCode);
      if (!x || !y) continue;
      const list = fwd.get(x.id);
      if (list) list.push({ to: y, part: l.part });
      else fwd.set(x.id, [{ to: y, part: l.part }]);
    } else if (l.fromVersion === b.version && l.toVersion === a.version) {
      const x = ta.byCode.get(l.toCode);
      const y = tb.byCode.get(l.fromCode);
      if (!x || !y) continue;
      const list = rev.get(x.id);
      if (list) list.push({ from: y, part: l.part });
      else rev.set(x.id, [{ from: y, part: l.part }]);
      const out = outOfB.get(y.code);
      if (out) out.push({ to: x, part: l.part });
      else outOfB.set(y.code, [{ to: x, part: l.part }]);
    }
  }
  const forwardShare = (o: CarryUnit, to: CarryUnit): number => {
    const out = outOfB.get(o.code)!;
    if (out.length === 1) return 1;
    const s = shares(
      out.map((t) => weightKey(b.version, o.code, a.version, t.to.code)),
      out.map(() => 1 / out.length),
      w,
    );
    return s[out.findIndex((t) => t.to.id === to.id)] ?? 0;
  };
  const leafImages = (x: CarryUnit): Image[] | undefined => {
    const f = fwd.get(x.id);
    if (f && f.length > 0) {
      if (f.length === 1) return [{ to: f[0]!.to.id, share: 1, exact: true }];
      const s = shares(
        f.map((t) => weightKey(a.version, x.code, b.version, t.to.code)),
        f.map(() => 1 / f.length),
        w,
      );
      return f.map((t, i) => ({ to: t.to.id, share: s[i]!, exact: false }));
    }
    const r = rev.get(x.id);
    if (r && r.length > 0) {
      if (r.length === 1) return [{ to: r[0]!.from.id, share: 1, exact: true }];
      const s = shares(
        r.map((o) => weightKey(a.version, x.code, b.version, o.from.code)),
        r.map((o) => forwardShare(o.from, x)),
        w,
      );
      return r.map((o, i) => ({ to: o.from.id, share: s[i]!, exact: false }));
    }
    return undefined;
  };
  // A unit's links as a whole: where all of them end (for leaves without links of their own).
  const linkedLca = (x: CarryUnit): number | undefined =>
    tb.lcaOf([
      ...(fwd.get(x.id) ?? []).map((t) => t.to.id),
      ...(rev.get(x.id) ?? []).map((o) => o.from.id),
    ]);
  const map: StepMap = new Map();
  const lcaSub = new Map<number, number>();
  for (const x of ta.bottomUp) {
    if (ta.isLeaf(x.id)) {
      let img = leafImages(x);
      if (!img) {
        let to: number | undefined;
        for (let p = ta.parentOf.get(x.id); p !== undefined && to === undefined;)
          if ((to = linkedLca(ta.byId.get(p)!)) === undefined) p = ta.parentOf.get(p);
        img = [{ to: to ?? tb.root, share: 1, exact: true }];
      }
      map.set(x.id, img);
      lcaSub.set(x.id, tb.lcaOf(img.map((i) => i.to))!);
    } else {
      const l = tb.lcaOf(ta.children.get(x.id)!.map((c) => lcaSub.get(c)!))!;
      lcaSub.set(x.id, l);
      map.set(x.id, [{ to: l, share: 1, exact: true }]);
    }
  }
  return map;
}

/** a → c through b: shares multiply, exactness is ANDed, images of one unit merged. */
export function compose(ab: StepMap, bc: StepMap): StepMap {
  const out: StepMap = new Map();
  for (const [x, imgs] of ab) {
    const acc = new Map<number, Image>();
    for (const i of imgs)
      for (const j of bc.get(i.to) ?? []) {
        const e = acc.get(j.to);
        if (e) {
          e.share += i.share * j.share;
          e.exact = false;
        } else acc.set(j.to, { to: j.to, share: i.share * j.share, exact: i.exact && j.exact });
      }
    const list = [...acc.values()];
    const only = list.length === 1 ? list[0] : undefined;
    if (only) only.exact = only.exact || Math.abs(only.share - 1) < EPS;
    out.set(x, list);
  }
  return out;
}

/** The identity map of a tree onto itself. */
export function identityMap(t: CarryTree): StepMap {
  return new Map(t.units.map((u) => [u.id, [{ to: u.id, share: 1, exact: true }]]));
}

// ---------------------------------------------------------------------------------------------
// Covers

/**
 * What each unit U of `asked` is made of in `stored`, given where stored units go (`map`):
 * - whole: every stored x with lcaSub(x) ⊑ U and lcaSub(parent x) ⋢ U (maximal, wholly
 *   inside U): its roll-up rows when it keeps them, else own entries for its whole subtree;
 * - own: every stored leaf with an image under U but not wholly inside, with the share of it
 *   under U (not exact);
 * - gap: U strictly below a non-leaf image of a stored leaf (`within`);
 * - span: lcaSub of every stored unit.
 * Checks (throws): each stored unit's shares sum to 1; at each level of `asked`, each stored
 * leaf is covered with total share 1, unless it lies only above that level.
 */
export function covers(asked: CarryTree, stored: CarryTree, map: StepMap | 'identity'): Covers {
  // A unit whose images share no unit of the asked tree (a second root, as a DHIS2 import may
  // add) cannot be carried: the pair fails whole (CarryService keeps its map empty).
  const placed = (x: CarryUnit, at: number | undefined): number => {
    if (at === undefined)
      throw new Error(`carry: ${stored.version} ${x.code} has no place in ${asked.version}`);
    return at;
  };
  const T = tree(asked);
  const S = tree(stored);
  const m = map === 'identity' ? identityMap(stored) : map;
  const lcaSub = new Map<number, number>();
  for (const x of S.bottomUp) {
    if (S.isLeaf(x.id)) {
      const img = m.get(x.id);
      if (!img || img.length === 0)
        throw new Error(`carry: no image for ${stored.version} ${x.code}`);
      const total = img.reduce((s, i) => s + i.share, 0);
      if (Math.abs(total - 1) > EPS)
        throw new Error(`carry: shares of ${stored.version} ${x.code} sum to ${total}`);
      lcaSub.set(x.id, placed(x, T.lcaOf(img.map((i) => i.to))));
    } else lcaSub.set(x.id, placed(x, T.lcaOf(S.children.get(x.id)!.map((c) => lcaSub.get(c)!))));
  }
  const cover: CoverEntry[] = [];
  for (const x of stored.units) {
    const p = S.parentOf.get(x.id);
    const stop = p === undefined ? undefined : lcaSub.get(p);
    const whole = x.rollup && !S.isLeaf(x.id);
    let own: number[] | undefined;
    for (
      let u: number | undefined = lcaSub.get(x.id);
      u !== undefined && u !== stop;
      u = T.parentOf.get(u)
    ) {
      if (whole) cover.push({ askedId: u, storedId: x.id, whole: true, share: 1, exact: true });
      else
        for (const y of (own ??= S.subtree(x.id)))
          cover.push({ askedId: u, storedId: y, whole: false, share: 1, exact: true });
    }
  }
  const gapAt = new Set<number>();
  for (const x of S.leaves) {
    const l = lcaSub.get(x)!;
    const acc = new Map<number, number>();
    for (const i of m.get(x)!) {
      if (!T.isLeaf(i.to)) gapAt.add(i.to);
      if (i.share <= 0) continue;
      for (const u of T.upFrom(i.to)) acc.set(u, (acc.get(u) ?? 0) + i.share);
    }
    for (const [u, share] of acc)
      if (!T.under(l, u))
        cover.push({ askedId: u, storedId: x, whole: false, share, exact: false });
  }
  const gap = new Set<number>();
  for (const t of gapAt) for (const u of T.subtree(t)) if (u !== t) gap.add(u);
  const result = { cover, gap: [...gap], span: lcaSub };
  check(T, S, m, result);
  return result;
}

/** At each level L of the asked tree (its units at L and its leaves above L). */
function check(T: Tree, S: Tree, m: StepMap, r: Covers): void {
  const maxLevel = Math.max(...T.t.units.map((u) => u.level));
  const position = new Map(S.leaves.map((x, i) => [x, i]));
  // The deepest level at which a stored leaf is placed at all: above it, its total is 1.
  const placed = new Map<number, number>();
  for (const x of S.leaves)
    placed.set(x, Math.min(...m.get(x)!.map((i) => (T.isLeaf(i.to) ? Infinity : T.level(i.to)))));
  for (let level = 0; level <= maxLevel; level++) {
    const diff = new Float64Array(S.leaves.length + 1);
    for (const e of r.cover) {
      const u = T.byId.get(e.askedId)!;
      if (!(u.level === level || (u.level < level && T.isLeaf(u.id)))) continue;
      if (e.whole || S.isLeaf(e.storedId)) {
        const [a, b] = e.whole
          ? S.range.get(e.storedId)!
          : [position.get(e.storedId)!, position.get(e.storedId)! + 1];
        diff[a] = diff[a]! + e.share;
        diff[b] = diff[b]! - e.share;
      }
    }
    let run = 0;
    for (let i = 0; i < S.leaves.length; i++) {
      run += diff[i]!;
      const x = S.leaves[i]!;
      const ok = placed.get(x)! < level ? run <= 1 + 1e-6 : Math.abs(run - 1) <= 1e-6;
      if (!ok)
        throw new Error(
          `carry ${S.t.version} → ${T.t.version}: ${S.byId.get(x)!.code} is covered ${run} times at level ${level}`,
        );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Every pair of trees

/** The trees, oldest first (by validFrom). */
export function byAge(trees: CarryTree[]): CarryTree[] {
  return [...trees].sort((a, b) =>
    a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0,
  );
}

/** Every (asked, stored) pair of the trees, identity included. */
export function allPairs(trees: CarryTree[]): [string, string][] {
  return trees.flatMap((a) => trees.map((s): [string, string] => [a.version, s.version]));
}

/**
 * The map from `stored` to `asked` through the trees between them (by age): adjacent steps,
 * composed; 'identity' when they are one tree. `steps` keeps adjacent steps between calls.
 */
export function mapBetween(
  trees: CarryTree[],
  links: CarryLink[],
  w: Weights,
  asked: string,
  stored: string,
  steps = new Map<string, StepMap>(),
): StepMap | 'identity' {
  if (asked === stored) return 'identity';
  const order = byAge(trees);
  const i = order.findIndex((t) => t.version === stored);
  const j = order.findIndex((t) => t.version === asked);
  if (i < 0 || j < 0) throw new Error(`carry: unknown tree ${i < 0 ? stored : asked}`);
  const dir = j > i ? 1 : -1;
  let m: StepMap | undefined;
  for (let k = i; k !== j; k += dir) {
    const [from, to] = [order[k]!, order[k + dir]!];
    const key = `${from.version}>${to.version}`;
    let step = steps.get(key);
    if (!step) steps.set(key, (step = stepMap(from, to, links, w)));
    m = m ? compose(m, step) : step;
  }
  return m!;
}

/** The covers of the asked pairs (every pair by default). */
export function carryAll(
  trees: CarryTree[],
  links: CarryLink[],
  w: Weights,
  pairs: [string, string][] = allPairs(trees),
): { asked: string; stored: string; covers: Covers }[] {
  const byVersion = new Map(trees.map((t) => [t.version, t]));
  const steps = new Map<string, StepMap>();
  return pairs.map(([asked, stored]) => {
    const a = byVersion.get(asked);
    const s = byVersion.get(stored);
    if (!a || !s) throw new Error(`carry: unknown tree ${a ? stored : asked}`);
    return {
      asked,
      stored,
      covers: covers(a, s, mapBetween(trees, links, w, asked, stored, steps)),
    };
  });
}

/** The pairs whose covers depend on links between trees `a` and `b` (a weight change). */
export function pairsCrossing(trees: CarryTree[], a: string, b: string): [string, string][] {
  const order = byAge(trees).map((t) => t.version);
  const i = Math.min(order.indexOf(a), order.indexOf(b));
  const j = Math.max(order.indexOf(a), order.indexOf(b));
  return allPairs(trees).filter(([x, y]) => {
    const p = Math.min(order.indexOf(x), order.indexOf(y));
    const q = Math.max(order.indexOf(x), order.indexOf(y));
    return p <= i && q >= j && p !== q;
  });
}

// ---------------------------------------------------------------------------------------------
// Weights

/**
 * Problems of weights given for split links (either direction along a stored link). Each unit
 * named must give every one of its links, shares in [0, 1] summing to 1 (± 1e-6).
 */
export function checkWeights(links: CarryLink[], given: WeightRow[]): WeightProblem[] {
  const problems: WeightProblem[] = [];
  // unit key `${v}|${code}|${otherV}` → its link targets (either direction).
  const targets = new Map<string, Set<string>>();
  const add = (k: string, code: string) => {
    const s = targets.get(k);
    if (s) s.add(code);
    else targets.set(k, new Set([code]));
  };
  const parts = new Map<string, LinkPart>();
  for (const l of links) {
    add(`${l.fromVersion}|${l.fromCode}|${l.toVersion}`, l.toCode);
    add(`${l.toVersion}|${l.toCode}|${l.fromVersion}`, l.fromCode);
    parts.set(weightKey(l.fromVersion, l.fromCode, l.toVersion, l.toCode), l.part);
    parts.set(weightKey(l.toVersion, l.toCode, l.fromVersion, l.fromCode), l.part);
  }
  const seen = new Set<string>();
  const units = new Map<string, { from: string; sum: number; codes: Set<string> }>();
  for (const g of given) {
    const key = weightKey(g.fromVersion, g.fromCode, g.toVersion, g.toCode);
    const unit = `${g.fromVersion}|${g.fromCode}|${g.toVersion}`;
    const p = { from: g.fromCode, to: g.toCode };
    if (seen.has(key)) {
      problems.push({ ...p, problem: 'duplicate' });
      continue;
    }
    seen.add(key);
    const part = parts.get(key);
    if (part === undefined) {
      problems.push({ ...p, problem: 'no_link' });
      continue;
    }
    if (part === 'within' || (targets.get(unit)?.size ?? 0) < 2) {
      problems.push({ ...p, problem: 'not_split' });
      continue;
    }
    if (!(g.share >= 0)) problems.push({ ...p, problem: 'negative' });
    else if (g.share > 1) problems.push({ ...p, problem: 'above_one' });
    const u = units.get(unit) ?? { from: g.fromCode, sum: 0, codes: new Set<string>() };
    u.sum += g.share;
    u.codes.add(g.toCode);
    units.set(unit, u);
  }
  for (const [unit, u] of units) {
    for (const code of targets.get(unit)!)
      if (!u.codes.has(code)) problems.push({ from: u.from, to: code, problem: 'missing_links' });
    if (Math.abs(u.sum - 1) > WEIGHT_SUM_TOLERANCE)
      problems.push({ from: u.from, problem: 'sum', sum: u.sum });
  }
  return problems;
}

/** Accepted weights, each unit's shares divided by their sum (so that they sum to exactly 1). */
export function normaliseWeights(rows: WeightRow[]): WeightRow[] {
  const sums = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.fromVersion}|${r.fromCode}|${r.toVersion}`;
    sums.set(k, (sums.get(k) ?? 0) + r.share);
  }
  return rows.map((r) => {
    const s = sums.get(`${r.fromVersion}|${r.fromCode}|${r.toVersion}`)!;
    return { ...r, share: s > 0 ? r.share / s : r.share };
  });
}

export function weightsOf(rows: WeightRow[]): Weights {
  return new Map(
    rows.map((r) => [weightKey(r.fromVersion, r.fromCode, r.toVersion, r.toCode), r.share]),
  );
}
