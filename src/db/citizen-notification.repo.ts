import { sql, type Selectable } from 'kysely';
import type { Db } from './client.ts';
import type { CitizenNotificationTable } from './schema.ts';

export type CitizenNotificationRow = Selectable<CitizenNotificationTable>;

export interface NewNotification {
  reportId: number;
  eventId: number;
  channel: 'sms' | 'email';
  destination: string;
  kind: CitizenNotificationTable['kind'];
  subject: string | null;
  body: string;
  at: Date;
}

/** The messages to citizens and their delivery (migration 0041). */
export class CitizenNotificationRepo {
  constructor(private readonly db: Db) {}

  /**
   * Queues messages, in the caller's transaction; one per event and channel: a message already
   * queued for the event is left as it is. Answers the channels queued now.
   */
  async queue(rows: NewNotification[]): Promise<('sms' | 'email')[]> {
    if (!rows.length) return [];
    const r = await this.db
      .insertInto('citizen_notification')
      .values(
        rows.map((n) => ({
          report_id: n.reportId,
          event_id: n.eventId,
          channel: n.channel,
          destination: n.destination,
          kind: n.kind,
          subject: n.subject,
          body: n.body,
          next_attempt_at: n.at,
          created_at: n.at,
        })),
      )
      .onConflict((oc) => oc.columns(['event_id', 'channel']).doNothing())
      .returning('channel')
      .execute();
    return r.map((x) => x.channel);
  }

  /** A unit's full name, for the message (read in the transaction that queues it). */
  async unitName(version: string, code: string): Promise<string | undefined> {
    const r = await this.db
      .selectFrom('org_unit')
      .select('full_name')
      .where('version', '=', version)
      .where('code', '=', code)
      .executeTakeFirst();
    return r?.full_name;
  }

  /**
   * Claims up to `limit` pending messages of these channels that are due at `now`, oldest
   * first, for one try: each counts the attempt and is held until `leaseUntil`. One statement;
   * rows another job is claiming at the same moment are skipped (SKIP LOCKED), so two jobs
   * never hold the same message. Messages that already had their last try are left out.
   */
  async claim(q: {
    channels: readonly ('sms' | 'email')[];
    now: Date;
    leaseUntil: Date;
    limit: number;
    maxAttempts: number;
  }): Promise<CitizenNotificationRow[]> {
    if (!q.channels.length) return [];
    const r = await sql<CitizenNotificationRow>`
      update citizen_notification n
      set attempts = n.attempts + 1, next_attempt_at = ${q.leaseUntil}
      from (
        select id from citizen_notification
        where status = 'pending' and next_attempt_at <= ${q.now}
          and channel = any(${[...q.channels]}::text[]) and attempts < ${q.maxAttempts}
        order by next_attempt_at, id
        limit ${q.limit}
        for update skip locked
      ) c
      where n.id = c.id
      returning n.*`.execute(this.db);
    return r.rows;
  }

  /**
   * Gives up the messages whose last try was claimed and never confirmed (the job stopped
   * while it held them): their lease passed, no try is left.
   */
  async expire(now: Date, maxAttempts: number, error: string): Promise<number> {
    const r = await this.db
      .updateTable('citizen_notification')
      .set({ status: 'failed', last_error: error })
      .where('status', '=', 'pending')
      .where('attempts', '>=', maxAttempts)
      .where('next_attempt_at', '<=', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Confirms a message sent (whichever try it was). */
  async sent(id: number, at: Date): Promise<void> {
    await this.db
      .updateTable('citizen_notification')
      .set({ status: 'sent', sent_at: at, last_error: null })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  /**
   * A try that failed: tried again at `retryAt`, or given up (`retryAt` null). Only the try
   * that holds the message (its attempt count) may say so.
   */
  async failedTry(id: number, attempts: number, error: string, retryAt: Date | null) {
    await this.db
      .updateTable('citizen_notification')
      .set(
        retryAt
          ? { last_error: error, next_attempt_at: retryAt }
          : { last_error: error, status: 'failed' },
      )
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('attempts', '=', attempts)
      .execute();
  }

  /** A report's messages, in the order they were queued. */
  forReport(reportId: number): Promise<CitizenNotificationRow[]> {
    return this.db
      .selectFrom('citizen_notification')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute();
  }
}
