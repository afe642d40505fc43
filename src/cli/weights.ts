import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from '@hono/zod-openapi';
import { WeightRow, type LinkWeightList, type LinkWeightsResult } from '../contract/carry.ts';
import { byAge } from '../domain/carry.ts';
import { fileInvalid, CsvReader } from '../domain/data-value-set.ts';
import { AppError, schemaProblems } from '../domain/errors.ts';
import { safeCell } from '../domain/spreadsheet.ts';
import type { Services } from '../services/index.ts';

/**
 * `opsroom weights export | import | reset` (issue 16): the shares of split links as a CSV file
 * people fill in (population or area shares), read back and applied all or nothing.
 */

export const WEIGHTS_HEADER = ['from_version', 'from_code', 'to_version', 'to_code', 'share'];

/** A row read from a file, with the line it came from (CSV) or its index (JSON). */
export type FileWeightRow = WeightRow & { line: number };

/** The pair of trees a command means: as given, else the two newest trees (the last reform). */
export async function pairOf(
  s: Services,
  o: { from?: string; to?: string },
): Promise<{ from: string; to: string }> {
  if (o.from && o.to) return { from: o.from, to: o.to };
  const trees = byAge(await s.store.repos.carry.trees());
  const [older, newer] = trees.slice(-2).map((t) => t.version);
  if (!older || !newer)
    throw new AppError('bad_request', {
      vi: 'Cần ít nhất hai cây đơn vị hành chính: hãy nêu --from và --to',
      en: 'At least two trees of units are needed: give --from and --to',
    });
  return { from: o.from ?? older, to: o.to ?? newer };
}

/** The split links with their current shares, as CSV (set or default, a file to fill in). */
export function weightsCsv(list: LinkWeightList): string {
  const lines = [WEIGHTS_HEADER.join(',')];
  for (const w of list.items)
    lines.push(
      [w.fromVersion, w.fromCode, w.toVersion, w.toCode, String(w.share)]
        .map((c) => csvCell(safeCell(c)))
        .join(','),
    );
  return lines.join('\n') + '\n';
}

const csvCell = (c: string) => (/[",\n\r]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);

const rowsInvalid = (line: number, vi: string, en: string) =>
  fileInvalid(`dòng ${line}: ${vi}`, `line ${line}: ${en}`, { line });

/** Reads CSV (header `from_version,from_code,to_version,to_code,share`, any column order). */
export function parseWeightsCsv(text: string): FileWeightRow[] {
  const rows: FileWeightRow[] = [];
  let columns: number[] | undefined;
  const reader = new CsvReader((cells, line) => {
    if (!columns) {
      const names = cells.map((c) => c.trim().toLowerCase());
      columns = WEIGHTS_HEADER.map((h) => names.indexOf(h));
      const missing = WEIGHTS_HEADER.filter((_, i) => columns![i]! < 0);
      if (missing.length)
        throw rowsInvalid(
          line,
          `thiếu cột ${missing.join(', ')}; dòng đầu phải là ${WEIGHTS_HEADER.join(',')}`,
          `missing column ${missing.join(', ')}; the first line must be ${WEIGHTS_HEADER.join(',')}`,
        );
      return;
    }
    const at = (i: number) => cells[columns![i]!]?.trim() ?? '';
    const shareText = at(4);
    const share = Number(shareText);
    if (shareText === '' || !Number.isFinite(share))
      throw rowsInvalid(
        line,
        `tỷ lệ "${shareText}" không phải là số`,
        `the share "${shareText}" is not a number`,
      );
    const row = { fromVersion: at(0), fromCode: at(1), toVersion: at(2), toCode: at(3), share };
    const checked = WeightRow.safeParse(row);
    if (!checked.success) {
      const p = schemaProblems(checked.error)[0]!;
      throw rowsInvalid(line, `${p.path}: ${p.vi}`, `${p.path}: ${p.en}`);
    }
    rows.push({ ...checked.data, line });
  });
  reader.push(text);
  reader.end();
  return rows;
}

/** JSON: an array of rows, or an object with `weights` (the PUT body) or `items` (the list). */
export function parseWeightsJson(text: string): FileWeightRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw fileInvalid('không phải JSON hợp lệ', `it is not valid JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(doc)
    ? doc
    : ((doc as { weights?: unknown; items?: unknown } | null)?.weights ??
      (doc as { items?: unknown } | null)?.items);
  const parsed = z.array(WeightRow).safeParse(list);
  if (!parsed.success) {
    const p = schemaProblems(parsed.error)[0]!;
    throw fileInvalid(`${p.path}: ${p.vi}`, `${p.path}: ${p.en}`);
  }
  return parsed.data.map((r, i) => ({ ...r, line: i + 1 }));
}

export function readWeightsFile(file: string): FileWeightRow[] {
  const text = readFileSync(file, 'utf8');
  const rows =
    extname(file).toLowerCase() === '.json' ? parseWeightsJson(text) : parseWeightsCsv(text);
  if (rows.length === 0) throw fileInvalid('tệp không có tỷ lệ nào', 'the file holds no weights');
  return rows;
}

/** The export: every split link of the pair with its share now. */
export async function exportWeights(
  s: Services,
  q: { from: string; to: string; code?: string },
): Promise<{ csv: string; list: LinkWeightList }> {
  const list = await s.carry.list('system', q);
  return { csv: weightsCsv(list), list };
}

/**
 * Applies a file's weights (all or nothing). A refusal names the file's lines: each problem
 * of `link_weights_invalid` with the line of its link.
 */
export async function importWeights(
  s: Services,
  rows: FileWeightRow[],
  basis: string,
): Promise<LinkWeightsResult> {
  try {
    return await s.carry.set('system', {
      basis,
      weights: rows.map((r) => ({
        fromVersion: r.fromVersion,
        fromCode: r.fromCode,
        toVersion: r.toVersion,
        toCode: r.toCode,
        share: r.share,
      })),
    });
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'link_weights_invalid') throw e;
    const d = e.details as {
      problems: { from: string; to?: string; vi: string; en: string }[];
      total: number;
    };
    const lineOf = (p: { from: string; to?: string }) =>
      rows.find((r) => r.fromCode === p.from && (p.to === undefined || r.toCode === p.to))?.line;
    throw new AppError(e.code, e.messages, {
      ...d,
      problems: d.problems.map((p) => ({
        ...p,
        line: lineOf(p),
        path: p.to === undefined ? p.from : `${p.from}→${p.to}`,
      })),
    });
  }
}

export function resetWeights(s: Services, q: { from: string; to: string; code?: string }) {
  return s.carry.reset('system', q);
}

const secs = (ms: number) => (ms / 1000).toFixed(1);

/** The result line of `weights import` and `weights reset`, in Vietnamese and English. */
export function weightsMessage(kind: 'set' | 'reset', r: LinkWeightsResult): string {
  const pairs = r.pairs.map(([a, b]) => `${b}→${a}`).join(', ') || '—';
  return kind === 'set'
    ? `Đã đặt ${r.weights} tỷ lệ; dựng lại bảng chuyển đổi (${pairs}): ${r.rows} dòng, ${secs(r.ms)} giây\n` +
        `Set ${r.weights} shares; carry map rebuilt (${pairs}): ${r.rows} rows in ${secs(r.ms)} s`
    : r.weights === 0
      ? 'Không có tỷ lệ nào được đặt: không có gì thay đổi\nNo shares were set: nothing changed'
      : `Đã xóa ${r.weights} tỷ lệ, trở về mặc định; dựng lại bảng chuyển đổi (${pairs}): ${r.rows} dòng, ${secs(r.ms)} giây\n` +
        `Removed ${r.weights} shares, back to the defaults; carry map rebuilt (${pairs}): ${r.rows} rows in ${secs(r.ms)} s`;
}

/** The result line of `weights export` (to standard error). */
export function exportWeightsMessage(list: LinkWeightList, where: string): string {
  return (
    `${list.items.length} liên kết của ${list.units} đơn vị bị chia tách (${list.set} đã đặt tỷ lệ) ${list.from}→${list.to} → ${where}\n` +
    `${list.items.length} links of ${list.units} split units (${list.set} with shares set) ${list.from}→${list.to} → ${where}`
  );
}
