import { createHash } from 'node:crypto';
import type { Store } from '../db/store.ts';
import { keyTaken } from '../db/idempotency.repo.ts';
import { AppError } from '../domain/errors.ts';

/** How long a key answers a retry: a day, then it is pruned and may be used again. */
export const IDEMPOTENCY_KEEP_HOURS = 24;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** Visible ASCII, 1–255 characters: a UUID, a ULID or any client's own scheme fits. */
const KEY = /^[\x21-\x7e]{1,255}$/;

export const badKey = () =>
  new AppError('validation_failed', {
    vi: 'Idempotency-Key phải gồm 1–255 ký tự ASCII nhìn thấy được (ví dụ một UUID)',
    en: 'Idempotency-Key must be 1–255 visible ASCII characters (a UUID, for example)',
  });

export const keyReused = (first: { method: string; path: string }) =>
  new AppError(
    'idempotency_key_reused',
    {
      vi: 'Idempotency-Key này đã được dùng cho một yêu cầu khác (nội dung hoặc đường dẫn khác); hãy dùng khóa mới cho yêu cầu mới',
      en: 'This Idempotency-Key was used for a different request (another body or path); use a new key for a new request',
    },
    { method: first.method, path: first.path },
  );

export { keyTaken };

/**
 * sha-256 of a body as its bytes pass (never buffered), with the media type first. In a
 * multipart body the boundary (random per send) is left out, so a retried upload with a new
 * boundary has the same fingerprint.
 */
export class BodyFingerprint {
  private readonly hash = createHash('sha256');
  private readonly boundary?: Buffer;
  private tail = Buffer.alloc(0);
  private result?: string;
  bytes = 0;

  constructor(contentType: string | undefined) {
    const type = (contentType ?? '').toLowerCase();
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
    if (type.startsWith('multipart/') && boundary) this.boundary = Buffer.from(boundary);
    this.hash.update(type.replace(/;\s*boundary=[^;]*/, '').trim() + '\n');
  }

  get finished(): boolean {
    return this.result !== undefined;
  }

  update(chunk: Uint8Array): void {
    this.bytes += chunk.byteLength;
    if (!this.boundary) {
      this.hash.update(chunk);
      return;
    }
    // Each boundary becomes a fixed mark; a boundary cut between chunks is kept for the next.
    const b = this.boundary;
    const buf = Buffer.concat([this.tail, chunk]);
    let pos = 0;
    for (let i = buf.indexOf(b, pos); i !== -1; i = buf.indexOf(b, pos)) {
      this.hash.update(buf.subarray(pos, i)).update('\0boundary\0');
      pos = i + b.length;
    }
    const keep = Math.max(pos, buf.length - (b.length - 1));
    this.hash.update(buf.subarray(pos, keep));
    this.tail = Buffer.from(buf.subarray(keep));
  }

  finish(): string {
    if (this.result === undefined) {
      this.hash.update(this.tail);
      this.result = this.hash.digest('hex');
    }
    return this.result;
  }

  /** What passed so far, for a body its reader stopped reading: never equal to a whole one. */
  partial(): string {
    return `partial:${this.hash.copy().digest('hex')}:${this.bytes}`;
  }
}

/** Keys in use on this instance, pruning, and the stored answers. */
export class IdempotencyService {
  private readonly running = new Set<string>();
  private lastPrune = 0;

  constructor(
    private readonly data: Store,
    readonly keepSeconds = IDEMPOTENCY_KEEP_HOURS * 3600,
  ) {}

  checkKey(key: string): void {
    if (!KEY.test(key)) throw badKey();
  }

  /** Claims the key on this instance; false while another request with it is being served. */
  begin(actor: string, key: string): boolean {
    const k = `${actor}\n${key}`;
    if (this.running.has(k)) return false;
    this.running.add(k);
    return true;
  }

  end(actor: string, key: string): void {
    this.running.delete(`${actor}\n${key}`);
  }

  /** The key's row if it was applied and has not expired; an expired row is freed. */
  async find(actor: string, key: string) {
    const repo = this.data.repos.idempotency;
    const row = await repo.find(actor, key);
    if (!row) await repo.dropExpired(actor, key);
    return row;
  }

  /** The same request (method, path, body) as the one that applied the key? */
  matches(
    row: { method: string; path: string; fingerprint: string },
    req: { method: string; path: string; fingerprint: string },
  ): boolean {
    return (
      row.method === req.method && row.path === req.path && row.fingerprint === req.fingerprint
    );
  }

  store(
    actor: string,
    key: string,
    attempt: string,
    res: { status: number; contentType: string | null; body: Uint8Array },
  ): Promise<boolean> {
    return this.data.repos.idempotency.storeResponse(actor, key, attempt, res);
  }

  /** Deletes expired keys at most once an hour (called before a keyed request runs). */
  async pruneIfDue(now = Date.now()): Promise<number> {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return 0;
    this.lastPrune = now;
    return this.data.repos.idempotency.prune();
  }
}
