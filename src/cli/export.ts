import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Actor } from '../domain/access.ts';
import type { DataValueFormat } from '../domain/data-value-set.ts';
import {
  checkExportFormat,
  dataValueSetChunks,
  type ExportQuery,
} from '../services/data-value.export.ts';
import type { Services } from '../services/index.ts';

export interface ExportResult {
  count: number;
  limit?: number;
  truncated: boolean;
}

/** Resolves when `out` can take more, rejects if it fails meanwhile. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', ok);
      out.off('error', done);
      out.off('close', closed);
      if (err) reject(err);
      else resolve();
    };
    const ok = () => done();
    const closed = () => done(new Error('output closed'));
    out.on('drain', ok);
    out.on('error', done);
    out.on('close', closed);
  });
}

/**
 * `opsroom export`: the values written to `out` page by page as they are read, waiting when
 * `out` is full (a file or a pipe that reads slowly), so memory stays that of one page. `end`
 * ends `out` afterwards (a file; not standard output).
 */
export async function exportToStream(
  s: Services,
  actor: Actor,
  q: ExportQuery & { format: DataValueFormat },
  out: Writable,
  opts: { end?: boolean } = { end: true },
): Promise<ExportResult> {
  checkExportFormat(q.format, q.includeDeleted ?? false);
  const run = await s.dataValues.openExport(actor, q);
  for await (const chunk of dataValueSetChunks(run, q.format)) {
    if (!out.write(chunk)) await drained(out);
  }
  if (opts.end !== false) {
    out.end();
    await once(out, 'finish');
  }
  return { count: run.count(), limit: run.limit, truncated: run.truncated() };
}

/** What the command says when it is done (to standard error). */
export function exportMessage(r: ExportResult, where: string): string {
  const cut =
    r.limit === undefined
      ? ''
      : r.truncated
        ? ` (giới hạn ${r.limit}: còn giá trị khác / limit ${r.limit} reached: more values match)`
        : ` (giới hạn ${r.limit} / limit ${r.limit}: all values)`;
  return `${r.count} values → ${where}${cut}`;
}
