import { z } from 'zod';
import { AppError } from './errors.ts';

/** Version ids name a tree by the year (and month) it came into force: 2022, 2025-03, 2025. */
export const VERSION_ID = /^\d{4}(-\d{2})?$/;

/** The nation stands above the provinces in every version. */
export const ROOT_CODE = 'VN';
export const ROOT_NAME = 'Việt Nam';

export const UnitKind = z.enum(['province', 'district', 'commune']);

/**
 * Two kinds of units share a tree (docs/decisions.md, "Units below the official tree"):
 * - `official`: the nation and the units of the official files, whose 2–5 digit codes are how
 *   the official data names them; at most three levels under the nation; changed only by
 *   importing an official file.
 * - `added`: units a metadata import adds — a DHIS2 tree with its own root, or health
 *   stations and schools under a commune — at any depth. Their key within a version is their
 *   DHIS2 uid; the code they have in their source (free text, may be absent) is kept beside it.
 */
export type UnitOrigin = 'official' | 'added';
/** The codes of official units (the nation is `VN`). */
export const OFFICIAL_CODE = /^\d{2,5}$/;
/** A DHIS2 uid: a letter, then 10 letters or digits. */
export const UID_PATTERN = /^[A-Za-z][A-Za-z0-9]{10}$/;
/** DHIS2 keeps codes of at most 50 characters. */
export const MAX_SOURCE_CODE = 50;
/** The kind and type given to added units (the official kinds are nation … commune). */
export const ADDED_KIND = 'unit';

export function isOfficialCode(code: string): boolean {
  return code === ROOT_CODE || OFFICIAL_CODE.test(code);
}

export const UnitRecord = z.object({
  code: z.string().regex(/^\d{2,5}$/, 'code must be 2 to 5 digits, as a string'),
  kind: UnitKind,
  level: z.number().int().min(1).max(3),
  parent: z.string().nullable(),
  type: z.string().min(1),
  name: z.string().min(1),
  fullName: z.string().min(1),
  nameEn: z.string().optional(),
  region: z.number().int().optional(),
  uid: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{10}$/, 'a DHIS2 uid: a letter then 10 letters or digits')
    .optional(),
});
export type UnitRecord = z.infer<typeof UnitRecord>;

export const UnitsFileHeader = z.object({
  dataset: z.string().optional(),
  validFrom: z.iso.date(),
  validUntil: z.iso.date().nullable().optional(),
  types: z.record(z.string(), z.object({ vi: z.string(), en: z.string() })).optional(),
});

export interface ParsedUnit extends UnitRecord {
  line: number;
  path: string;
}

export interface UnitsFile {
  validFrom: string;
  validUntil: string | null;
  dataset?: string;
  units: ParsedUnit[];
}

export interface Problem {
  line?: number;
  code?: string;
  vi: string;
  en: string;
}

const MAX_PROBLEMS = 50;

function invalid(fileName: string, problems: Problem[]): AppError {
  return new AppError(
    'units_file_invalid',
    {
      vi: `Tệp đơn vị hành chính ${fileName} không hợp lệ (${problems.length} lỗi); không có gì thay đổi`,
      en: `Units file ${fileName} is invalid (${problems.length} problem(s)); nothing was changed`,
    },
    { file: fileName, problems: problems.slice(0, MAX_PROBLEMS) },
  );
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Without a position in the parser's message: the first one-unit line that does not parse. */
function firstBadLine(text: string): number | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim().replace(/,$/, '');
    if (!l.startsWith('{"')) continue;
    try {
      JSON.parse(l);
    } catch {
      return i + 1;
    }
  }
  return undefined;
}

/** Line of each unit object: the files hold one unit a line, so the n-th `{"code"` is unit n. */
function unitLines(text: string): number[] {
  const lines: number[] = [];
  const re = /\{\s*"code"\s*:/g;
  let m: RegExpExecArray | null;
  let line = 1;
  let last = 0;
  while ((m = re.exec(text))) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    lines.push(line);
  }
  return lines;
}

/**
 * Reads a units file (the format of data/vn-admin/units-*.json) and checks it whole:
 * shape, duplicate codes, unknown parents, cycles and levels. Throws one error listing
 * every problem with its line; never returns a partial tree.
 */
export function parseUnitsFile(text: string, fileName = 'units file'): UnitsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? lineOfOffset(text, Number(pos[1])) : firstBadLine(text);
    throw invalid(fileName, [
      { line, vi: `JSON sai cú pháp: ${msg}`, en: `Malformed JSON: ${msg}` },
    ]);
  }
  const header = UnitsFileHeader.safeParse(raw);
  const units = (raw as { units?: unknown })?.units;
  if (!header.success || !Array.isArray(units)) {
    throw invalid(fileName, [
      {
        line: 1,
        vi: 'Thiếu "validFrom" (ngày YYYY-MM-DD) hoặc danh sách "units"',
        en: 'Missing "validFrom" (a YYYY-MM-DD date) or the "units" list',
      },
    ]);
  }
  const lines = unitLines(text);
  const problems: Problem[] = [];
  const parsed: ParsedUnit[] = [];
  const firstLine = new Map<string, number>();
  units.forEach((u, i) => {
    const line = lines[i] ?? i + 1;
    const r = UnitRecord.safeParse(u);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = issue?.path.join('.') || 'unit';
      problems.push({
        line,
        code:
          typeof (u as { code?: unknown })?.code === 'string'
            ? (u as { code: string }).code
            : undefined,
        vi: `Trường "${where}" không hợp lệ: ${issue?.message}`,
        en: `Field "${where}" is invalid: ${issue?.message}`,
      });
      return;
    }
    const seen = firstLine.get(r.data.code);
    if (seen !== undefined) {
      problems.push({
        line,
        code: r.data.code,
        vi: `Mã ${r.data.code} trùng với dòng ${seen}`,
        en: `Code ${r.data.code} duplicates line ${seen}`,
      });
      return;
    }
    firstLine.set(r.data.code, line);
    parsed.push({ ...r.data, line, path: '' });
  });

  const byCode = new Map(parsed.map((u) => [u.code, u]));
  for (const u of parsed) {
    if (u.parent === null) continue;
    const parent = byCode.get(u.parent);
    if (!parent) {
      problems.push({
        line: u.line,
        code: u.code,
        vi: `Đơn vị cha "${u.parent}" không có trong tệp`,
        en: `Unknown parent code "${u.parent}"`,
      });
    }
  }
  // A cycle never reaches a root; walk up from each unit with a step limit.
  for (const u of parsed) {
    const visited = new Set<string>([u.code]);
    let cur: ParsedUnit | undefined = u;
    while (cur?.parent) {
      const next = byCode.get(cur.parent);
      if (!next) break;
      if (visited.has(next.code)) {
        problems.push({
          line: u.line,
          code: u.code,
          vi: `Vòng lặp trong quan hệ cha-con: ${[...visited, next.code].join(' → ')}`,
          en: `Cycle in the parent chain: ${[...visited, next.code].join(' → ')}`,
        });
        break;
      }
      visited.add(next.code);
      cur = next;
    }
  }
  for (const u of parsed) {
    const parent = u.parent === null ? undefined : byCode.get(u.parent);
    const expected = parent ? parent.level + 1 : 1;
    if (u.parent === null ? u.level !== 1 : parent && u.level !== expected) {
      problems.push({
        line: u.line,
        code: u.code,
        vi: `Cấp ${u.level} không khớp: phải là cấp ${expected}`,
        en: `Level ${u.level} does not fit: it must be level ${expected}`,
      });
    }
  }
  if (problems.length > 0) throw invalid(fileName, problems);

  const pathOf = (u: ParsedUnit): string => {
    if (u.path) return u.path;
    const parent = u.parent === null ? undefined : byCode.get(u.parent);
    u.path = (parent ? pathOf(parent) : `/${ROOT_CODE}/`) + u.code + '/';
    return u.path;
  };
  parsed.forEach(pathOf);
  return {
    validFrom: header.data.validFrom,
    validUntil: header.data.validUntil ?? null,
    dataset: header.data.dataset,
    units: parsed,
  };
}

export interface VersionSpan {
  id: string;
  validFrom: string;
  validUntil: string | null;
}

/**
 * The tree in force on a date: the newest version that started on or before it. Dates before
 * the oldest tree use the oldest tree, the closest we have.
 */
export function versionAt<T extends VersionSpan>(versions: T[], date: string): T | undefined {
  const sorted = [...versions].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  let chosen = sorted[0];
  for (const v of sorted) if (v.validFrom <= date) chosen = v;
  return chosen;
}

/** A unit of a tree, as placing units needs it. */
export interface TreeUnit {
  code: string;
  parent: string | null;
  origin: UnitOrigin;
}

/** A unit to place: its key (the uid of an added unit) and its parent's key, or none for a root. */
export interface UnitPlacement {
  code: string;
  parent: string | null;
}

export interface PlacedUnit {
  code: string;
  parent: string | null;
  /** 0 for a root (as the nation); DHIS2's level is one more. */
  level: number;
  path: string;
}

export type PlacementProblem =
  | { code: string; kind: 'unknown_parent'; parent: string }
  | { code: string; kind: 'cycle'; chain: string[] }
  | {
      code: string;
      kind: 'official_parent_changed';
      parent: string | null;
      official: string | null;
    };

/**
 * Places units in a tree: each unit's parent is another unit being placed (in any order) or a
 * unit of the tree, at any depth; a unit without a parent is the root of a tree of its own.
 * Units already in the tree may move (their descendants follow). Official units keep their
 * place: one named again must name its official parent (and so is never under an added
 * unit). Returns the level and path of every unit placed, or the problems —
 * never a partial answer: a cycle (through units of the tree too) or an unknown parent.
 */
export function placeUnits(
  units: readonly UnitPlacement[],
  tree: ReadonlyMap<string, TreeUnit>,
): { placed: PlacedUnit[]; problems: PlacementProblem[] } {
  const problems: PlacementProblem[] = [];
  const parentOf = new Map<string, string | null>();
  for (const [code, u] of tree) parentOf.set(code, u.parent);
  const moving = new Map<string, UnitPlacement>();
  for (const u of units) {
    const existing = tree.get(u.code);
    if (existing?.origin === 'official') {
      // The official tree is the official files' to change.
      if (existing.parent !== u.parent)
        problems.push({
          code: u.code,
          kind: 'official_parent_changed',
          parent: u.parent,
          official: existing.parent,
        });
      continue;
    }
    moving.set(u.code, u);
    parentOf.set(u.code, u.parent);
  }
  for (const u of moving.values()) {
    if (u.parent === null) continue;
    if (!parentOf.has(u.parent)) {
      problems.push({ code: u.code, kind: 'unknown_parent', parent: u.parent });
    }
  }
  // A cycle never reaches a root: walk up from each unit placed.
  for (const u of moving.values()) {
    const seen = new Set<string>([u.code]);
    let cur = parentOf.get(u.code) ?? null;
    while (cur !== null && parentOf.has(cur)) {
      if (seen.has(cur)) {
        problems.push({ code: u.code, kind: 'cycle', chain: [...seen, cur] });
        break;
      }
      seen.add(cur);
      cur = parentOf.get(cur) ?? null;
    }
  }
  if (problems.length > 0) return { placed: [], problems };

  const paths = new Map<string, string>();
  const pathOf = (code: string): string => {
    const known = paths.get(code);
    if (known !== undefined) return known;
    // Iteratively: a chain may be long, and the call stack is not.
    const chain: string[] = [];
    let cur: string | null = code;
    let base = '/';
    while (cur !== null) {
      const p = paths.get(cur);
      if (p !== undefined) {
        base = p;
        break;
      }
      chain.push(cur);
      cur = parentOf.get(cur) ?? null;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      base = `${base}${chain[i]}/`;
      paths.set(chain[i]!, base);
    }
    return paths.get(code)!;
  };
  const placed = [...moving.values()].map((u) => {
    const path = pathOf(u.code);
    return { code: u.code, parent: u.parent, path, level: pathCodes(path).length - 1 };
  });
  return { placed, problems };
}

export function isUnder(path: string, scopePath: string): boolean {
  return path.startsWith(scopePath);
}

/** A unit as the rest of the system sees it: a code within a version, with today's name. */
export interface OrgUnit {
  version: string;
  code: string;
  level: number;
  kind: string;
  type: string;
  name: string;
  fullName: string;
  nameEn: string | null;
  parentCode: string | null;
  path: string;
  /** A DHIS2 uid, when the unit has one (an added unit's code is its uid). */
  uid?: string;
  /** Only on units a metadata import added (official units leave it out). */
  origin?: 'added';
  /** An added unit's code in its source (DHIS2's free-text code), when it has one. */
  sourceCode?: string;
  /** The decree that gave the unit its current name or type, when it changed after the tree began. */
  renamedBy?: { decree: string; effective: string };
}

export interface HierarchyVersion {
  id: string;
  name: string;
  validFrom: string;
  validUntil: string | null;
  counts: Record<string, number>;
}

/** "Phường 01" and "Phường 1", "Hòa" and "Hoà", whatever the source's tone placement. */
export function pathCodes(path: string): string[] {
  return path.split('/').filter(Boolean);
}
