import { sql } from 'kysely';
import type { Db } from './client.ts';

/** The notification channel; a notification carries only the new event's id. */
export const LIVE_CHANNEL = 'opsroom_live';
// Publishers on every instance take it in turn, so ids commit in order and a reader that
// asks for `id > last seen` never skips a row committed late.
const PUBLISH_LOCK = 7_420_005;

export interface NewLiveEvent {
  topic: string;
  version: string | null;
  path: string | null;
  /**
   * For an event sent to chosen units (a directive, a reminder): their paths. It then reaches
   * the scopes that hold `path` (the sender's unit) or one of these (domain/audience.ts).
   */
  recipients: readonly string[] | null;
  /** The payload as JSON text. */
  json: string;
}

export interface LiveEventRow extends NewLiveEvent {
  id: number;
  at: string;
}

/** Which events a reader may get: topics (null = all) and a scope (null = everything). */
export interface LiveFilter {
  topics: readonly string[] | null;
  scope: { version: string; path: string } | null;
}

const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

export class LiveRepo {
  constructor(private readonly db: Db) {}

  /**
   * Stores events in one statement, in the order given. With `notify`, under the publish lock,
   * and `pg_notify` with the last id, delivered when the transaction commits.
   */
  async insert(events: NewLiveEvent[], notify: boolean): Promise<{ id: number; at: string }[]> {
    if (events.length === 0) return [];
    const write = async (tx: Db) => {
      // Recipients travel as one string (paths hold digits and slashes only): a JSON array of
      // 10,599 paths costs PostgreSQL three times as much to read.
      const rows = await sql<{ id: number; created_at: Date | string; ord: number }>`
        insert into live_event (topic, version, path, recipients, payload)
        select e.topic, e.version, e.path, string_to_array(e.recipients, ','), e.payload::jsonb
        from json_to_recordset(${JSON.stringify(
          events.map((e, ord) => ({
            ...e,
            recipients: e.recipients?.join(',') ?? null,
            payload: e.json,
            json: undefined,
            ord,
          })),
        )}::json) as e (ord int, topic text, version text, path text, recipients text,
          payload text)
        order by e.ord
        returning id, created_at`.execute(tx);
      const out = rows.rows
        .map((r) => ({ id: Number(r.id), at: iso(r.created_at) }))
        .sort((a, b) => a.id - b.id);
      if (notify)
        await sql`select pg_notify(${LIVE_CHANNEL}, ${String(out.at(-1)!.id)})`.execute(tx);
      return out;
    };
    if (!notify) return write(this.db);
    return this.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${PUBLISH_LOCK})`.execute(tx);
      return write(tx);
    });
  }

  /**
   * Events after `afterId` (up to `upTo`), oldest first, that the filter lets through. Without
   * a filter (the bus reading rows for its hub, which applies the rules itself) their recipients
   * come too; a replay has the rules applied here and gets none (a directive to every commune
   * carries 10,599 paths).
   */
  async after(
    afterId: number,
    limit: number,
    filter?: LiveFilter,
    upTo?: number,
  ): Promise<LiveEventRow[]> {
    const { topics, scope } = filter ?? { topics: null, scope: null };
    const rows = await sql<{
      id: number;
      topic: string;
      version: string | null;
      path: string | null;
      recipients: string[] | null;
      json: string;
      created_at: Date | string;
    }>`
      select id, topic, version, path, payload::text as json, created_at,
        ${filter ? sql`null::text[]` : sql`recipients`} as recipients
      from live_event
      where id > ${afterId}
        ${upTo === undefined ? sql`` : sql`and id <= ${upTo}`}
        ${topics ? sql`and topic in (${sql.join(topics.length ? topics : [''])})` : sql``}
        ${
          scope
            ? // domain/audience.ts: the event's unit in scope, or (sent to chosen units) one of
              // its recipients in scope.
              sql`and (path is null or (version = ${scope.version} and (path like ${scope.path + '%'}
                or (recipients is not null and exists (select 1 from unnest(recipients) r
                  where r like ${scope.path + '%'})))))`
            : sql``
        }
      order by id
      limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => ({
      id: Number(r.id),
      topic: r.topic,
      version: r.version,
      path: r.path,
      recipients: r.recipients,
      json: r.json,
      at: iso(r.created_at),
    }));
  }

  /** The oldest and newest stored ids (null when there are none). */
  async bounds(): Promise<{ min: number | null; max: number | null }> {
    const r = await sql<{ min: number | null; max: number | null }>`
      select min(id) as min, max(id) as max from live_event`.execute(this.db);
    const row = r.rows[0];
    return {
      min: row?.min == null ? null : Number(row.min),
      max: row?.max == null ? null : Number(row.max),
    };
  }

  /** Deletes events older than `days`; returns how many. */
  async prune(days: number): Promise<number> {
    const r = await sql`
      delete from live_event where created_at < now() - make_interval(days => ${days})`.execute(
      this.db,
    );
    return Number(r.numAffectedRows ?? 0);
  }
}
