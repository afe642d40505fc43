import { sql } from 'kysely';
import type { Db } from './client.ts';

/** A report ready to store (checked and normalised by the service). */
export interface SpamReportRow {
  number: string;
  kind: string;
  content: string;
  operator: string;
  reported_at: string;
  received_at: string;
  received_day: string;
  source: 'api' | 'web';
  token_id: string | null;
  client_hash: string | null;
  reporter_hash: string | null;
  external_id: string | null;
}

export interface SpamTopRow {
  number: string;
  reports: number;
  sms: number;
  calls: number;
  reporters: number;
  operators: number;
  first_seen: Date;
  last_seen: Date;
}

/** The 5656 line's reports, blocks and the days whose counts are due (migration 0037). */
export class SpamRepo {
  constructor(private readonly db: Db) {}

  /**
   * Stores reports in one statement; a report whose (token, externalId) is stored already is
   * skipped. Answers, in the input's order, the id each report got, or null for one skipped.
   */
  async insertReports(rows: SpamReportRow[]): Promise<(number | null)[]> {
    if (rows.length === 0) return [];
    const col = <K extends keyof SpamReportRow>(k: K) => rows.map((r) => r[k]);
    // One array per column (unnest): half the work of a JSON document of rows on PGlite. Ids
    // are drawn first (the CTE is materialised: nextval is volatile), so that each input row
    // knows whether it was inserted.
    const r = await sql<{ id: number | null }>`
      with input as (
        select u.*, nextval('spam_report_id_seq') as id
        from unnest(${col('number')}::text[], ${col('kind')}::text[], ${col('content')}::text[],
          ${col('operator')}::text[], ${col('reported_at')}::timestamptz[],
          ${col('received_at')}::timestamptz[], ${col('received_day')}::date[],
          ${col('source')}::text[], ${col('token_id')}::text[], ${col('client_hash')}::text[],
          ${col('reporter_hash')}::text[], ${col('external_id')}::text[])
          with ordinality as u(number, kind, content, operator, reported_at, received_at,
            received_day, source, token_id, client_hash, reporter_hash, external_id, ord)
      ), ins as (
        insert into spam_report (id, number, kind, content, operator, reported_at, received_at,
          received_day, source, token_id, client_hash, reporter_hash, external_id)
        select id, number, kind, content, operator, reported_at, received_at, received_day,
          source, token_id, client_hash, reporter_hash, external_id
        from input order by ord
        on conflict (token_id, external_id) where external_id is not null do nothing
        returning id
      )
      select ins.id from input left join ins on ins.id = input.id
      order by input.ord`.execute(this.db);
    return r.rows.map((x) => (x.id === null ? null : Number(x.id)));
  }

  /** The day's counts are to be computed again (in the writer's transaction). */
  async markDue(days: string[]): Promise<void> {
    if (days.length === 0) return;
    await this.db
      .insertInto('spam_count_due')
      .values([...new Set(days)].map((day) => ({ day })))
      .execute();
  }

  /** Rows of days due, oldest first. */
  async due(limit: number): Promise<{ id: number; day: string }[]> {
    const rows = await this.db
      .selectFrom('spam_count_due')
      .select(['id', 'day'])
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), day: String(r.day) }));
  }

  /** Deletes exactly the rows read (a row written meanwhile stays for the next run). */
  async doneDue(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('spam_count_due').where('id', 'in', ids).execute();
  }

  /** One day's counts: reports received, distinct numbers reported, numbers blocked. */
  async dayCounts(day: string): Promise<{ reports: number; numbers: number; blocked: number }> {
    const r = await sql<{ reports: number; numbers: number; blocked: number }>`
      select
        (select count(*) from spam_report where received_day = ${day}::date)::int as reports,
        (select count(distinct number) from spam_report where received_day = ${day}::date)::int
          as numbers,
        (select count(distinct number) from spam_block where blocked_day = ${day}::date)::int
          as blocked`.execute(this.db);
    return r.rows[0]!;
  }

  /** The most reported numbers of the days from..to, most reports first. */
  async top(from: string, to: string, limit: number): Promise<SpamTopRow[]> {
    const r = await sql<SpamTopRow>`
      select number, count(*)::int as reports,
        (count(*) filter (where kind = 'sms'))::int as sms,
        (count(*) filter (where kind = 'call'))::int as calls,
        count(distinct coalesce(reporter_hash, token_id, client_hash))::int as reporters,
        count(distinct operator)::int as operators,
        min(reported_at) as first_seen, max(reported_at) as last_seen
      from spam_report
      where received_day between ${from}::date and ${to}::date
      group by number
      order by count(*) desc, number
      limit ${limit}`.execute(this.db);
    return r.rows;
  }

  async totals(from: string, to: string): Promise<{ reports: number; numbers: number }> {
    const r = await sql<{ reports: number; numbers: number }>`
      select count(*)::int as reports, count(distinct number)::int as numbers
      from spam_report where received_day between ${from}::date and ${to}::date`.execute(this.db);
    return r.rows[0]!;
  }

  /** The operators that confirmed each of these numbers blocked. */
  async blockedBy(numbers: string[]): Promise<Map<string, string[]>> {
    if (numbers.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('spam_block')
      .select(['number', 'operator'])
      .where('number', 'in', numbers)
      .orderBy('operator')
      .execute();
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.number, [...(out.get(r.number) ?? []), r.operator]);
    return out;
  }

  /** Stores blocks; a number this operator confirmed before is kept as it was. Answers how many are new. */
  async insertBlocks(
    rows: {
      number: string;
      operator: string;
      blocked_at: Date;
      blocked_day: string;
      confirmed_by: string;
    }[],
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const r = await this.db
      .insertInto('spam_block')
      .values(rows)
      .onConflict((oc) => oc.columns(['number', 'operator']).doNothing())
      .returning('id')
      .execute();
    return r.length;
  }

  /** Which of these data element codes exist. */
  async elementCodes(codes: string[]): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('data_element')
      .select('code')
      .where('code', 'in', codes)
      .execute();
    return new Set(rows.map((r) => r.code));
  }

  async reportCount(): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from spam_report`.execute(this.db);
    return r.rows[0]!.n;
  }
}
