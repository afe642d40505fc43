import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { CompiledQuery } from 'kysely';
import { COPY_SIGNATURE } from './session.ts';

/**
 * `COPY (query) TO STDOUT` on the server, for output PostgreSQL writes whole (the CSV export):
 * the bytes come through untouched, with no row object made per row.
 */

/** A compiled query with its parameters written in as literals: COPY takes no parameters. */
export function inlineParameters(q: CompiledQuery): string {
  return q.sql.replace(/\$(\d+)/g, (_, n: string) => literal(q.parameters[Number(n) - 1]));
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return pg.escapeLiteral(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return v.length ? `array[${v.map(literal).join(',')}]` : `'{}'`;
  throw new Error(`no literal for ${typeof v}`);
}

/**
 * Joins the text of a query's one column, row after row, from COPY's binary format (each
 * field is its bytes, unescaped, where the text format would escape line breaks).
 */
class TextColumn {
  private rest: Buffer = Buffer.alloc(0);
  private header = true;
  done = false;

  /** The texts whole in `chunk` (and what was left of the last one). */
  take(chunk: Buffer): Buffer {
    let b = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let at = 0;
    if (this.header) {
      if (b.length < 19) return this.keep(b, 0);
      if (!b.subarray(0, 11).equals(COPY_SIGNATURE)) throw new Error('not a binary COPY');
      const ext = b.readUInt32BE(15);
      if (b.length < 19 + ext) return this.keep(b, 0);
      at = 19 + ext;
      this.header = false;
    }
    const out = Buffer.allocUnsafe(b.length - at);
    let n = 0;
    while (b.length - at >= 2) {
      const fields = b.readInt16BE(at);
      if (fields === -1) {
        this.done = true;
        at += 2;
        break;
      }
      if (fields !== 1) throw new Error(`COPY row of ${fields} fields`);
      if (b.length - at < 6) break;
      const len = b.readInt32BE(at + 2);
      if (len < 0) throw new Error('null line in COPY');
      if (b.length - at < 6 + len) break;
      n += b.copy(out, n, at + 6, at + 6 + len);
      at += 6 + len;
    }
    this.keep(b, at);
    b = out;
    return b.subarray(0, n);
  }

  private keep(b: Buffer, at: number): Buffer {
    // A copy: the part left must not hold on to the whole chunk.
    this.rest = at < b.length ? Buffer.from(b.subarray(at)) : Buffer.alloc(0);
    return Buffer.alloc(0);
  }
}

/**
 * The texts of `query`'s one column joined, in pieces as they arrive; `rows(n)` is told how
 * many rows the COPY sent, once it is done. A caller that stops early must release the client
 * as broken (it is left mid-COPY).
 */
export async function* copyTextColumn(
  client: pg.PoolClient,
  query: string,
  rows: (n: number) => void,
): AsyncGenerator<Buffer> {
  const stream = copyTo(`copy (${query}) to stdout (format binary)`);
  // The row count comes with the command's end, which may arrive after the stream's last byte.
  const settled = new Promise<void>((resolve, reject) => {
    // pg calls this (pg-copy-streams has it, untyped) once the command is over.
    const hook = stream as unknown as { handleReadyForQuery(): void };
    const ready = hook.handleReadyForQuery.bind(stream);
    hook.handleReadyForQuery = () => {
      ready();
      resolve();
    };
    stream.on('error', reject);
  });
  settled.catch(() => {}); // also thrown by the stream's iteration
  client.query(stream);
  const column = new TextColumn();
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = column.take(chunk);
    if (text.length) yield text;
  }
  await settled;
  if (!column.done) throw new Error('COPY ended without its trailer');
  rows(stream.rowCount);
}
