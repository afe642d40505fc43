import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import { AppError } from '../domain/errors.ts';
import type { Db } from './client.ts';

/**
 * The Idempotency-Key of the request being served, set by the API middleware. The audit row
 * every write records in its transaction also records this key in the same transaction
 * (`markWriteKey`), so a write and its key commit together or not at all.
 */
export interface WriteKey {
  /** 'user:<id>' or 'token:<id>'. */
  actor: string;
  key: string;
  /** This request's own id: tells its row from another request's with the same key. */
  attempt: string;
  method: string;
  path: string;
  keepSeconds: number;
  /** The body's fingerprint; reads the rest of the body if the handler left some. */
  fingerprint(): Promise<string>;
  /** Only while the handler runs: work it leaves running afterwards is not this request's. */
  open: boolean;
  /** The first write recorded under the key (from its audit row). */
  applied?: { action: string; entityType: string; entityId: string };
  /** Another request holds the key: this one's transaction was rolled back. */
  lost?: boolean;
  /** Transactions that already recorded the key (a service may audit many rows in one). */
  marked: WeakSet<object>;
}

export const writeKeys = new AsyncLocalStorage<WriteKey>();

export type IdempotencyRow = Awaited<ReturnType<IdempotencyRepo['find']>>;

export const keyTaken = () =>
  new AppError('idempotency_in_progress', {
    vi: 'Một yêu cầu khác với cùng Idempotency-Key đang được xử lý; hãy thử lại sau giây lát',
    en: 'Another request with the same Idempotency-Key is being processed; retry in a moment',
  });

export class IdempotencyRepo {
  constructor(private readonly db: Db) {}

  /** The key's row, if it has not expired. */
  async find(actor: string, key: string) {
    return this.db
      .selectFrom('idempotency_key')
      .selectAll()
      .where('actor', '=', actor)
      .where('key', '=', key)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
  }

  /** Frees an expired key before it is used again (the prune may not have run yet). */
  async dropExpired(actor: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_key')
      .where('actor', '=', actor)
      .where('key', '=', key)
      .where('expires_at', '<=', sql<Date>`now()`)
      .execute();
  }

  /**
   * Records the key as applied, inside the write's transaction. A row of another attempt
   * (a concurrent request, possibly on another instance: the insert waits for its commit)
   * makes this return false; the caller then rolls its transaction back.
   */
  async markApplied(
    k: WriteKey,
    fingerprint: string,
    e: { action: string; entityType: string; entityId: string },
  ): Promise<boolean> {
    const r = await sql<{ attempt: string }>`
      insert into idempotency_key
        (actor, key, attempt, method, path, fingerprint, action, entity_type, entity_id, expires_at)
      values (${k.actor}, ${k.key}, ${k.attempt}, ${k.method}, ${k.path}, ${fingerprint},
        ${e.action}, ${e.entityType}, ${e.entityId},
        now() + ${k.keepSeconds}::int * interval '1 second')
      on conflict (actor, key) do update set attempt = idempotency_key.attempt
        where idempotency_key.attempt = excluded.attempt
      returning attempt`.execute(this.db);
    return r.rows.length > 0;
  }

  /** Stores the answer of the attempt that applied the key; false if it did not commit. */
  async storeResponse(
    actor: string,
    key: string,
    attempt: string,
    res: { status: number; contentType: string | null; body: Uint8Array },
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('idempotency_key')
      .set({ status: res.status, content_type: res.contentType, response: res.body })
      .where('actor', '=', actor)
      .where('key', '=', key)
      .where('attempt', '=', attempt)
      .where('status', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Deletes expired keys; returns how many. */
  async prune(): Promise<number> {
    const r = await this.db
      .deleteFrom('idempotency_key')
      .where('expires_at', '<=', sql<Date>`now()`)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/**
 * Called by `AuditRepo.record` with the transaction it writes in: records the request's key
 * as applied by this write (once per transaction). Only the request's own actor counts, and
 * only while its handler runs.
 */
export async function markWriteKey(
  db: Db,
  e: {
    actorKind: string;
    actorId: string | null;
    action: string;
    entityType: string;
    entityId: string;
  },
): Promise<void> {
  const k = writeKeys.getStore();
  if (!k || !k.open || `${e.actorKind}:${e.actorId}` !== k.actor || k.marked.has(db)) return;
  const ok = await new IdempotencyRepo(db).markApplied(k, await k.fingerprint(), e);
  if (!ok) {
    k.lost = true;
    throw keyTaken();
  }
  k.marked.add(db);
  k.applied ??= { action: e.action, entityType: e.entityType, entityId: e.entityId };
}
