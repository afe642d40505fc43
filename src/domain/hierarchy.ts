import { z } from 'zod';
import { AppError } from './errors.ts';

/** Version ids name a tree by the year (and month) it came into force: 2022, 2025-03, 2025. */
export const VERSION_ID = /^\d{4}(-\d{2})?$/;

/** The nation stands above the provinces in every version. */
export const ROOT_CODE = 'VN';
export const ROOT_NAME = 'Việt Nam';

export const UnitKind = z.enum(['province', 'district', 'commune']);

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
