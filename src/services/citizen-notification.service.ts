import type { CitizenReportRow } from '../db/citizen-report.repo.ts';
import type { CitizenNotificationRow } from '../db/citizen-notification.repo.ts';
import type { Repos, Store } from '../db/store.ts';
import {
  CLAIM_LEASE_MS,
  MAX_ATTEMPTS,
  NOTIFICATION_CHANNELS,
  maskDestination,
  notificationText,
  publicStatusUrl,
  retryDelayMs,
  scrubContact,
  type NotificationChannel,
  type NotificationKind,
} from '../domain/citizen-notification.ts';
import type { Clock } from '../domain/dates.ts';
import type { ReportNotification } from '../contract/citizen-report.ts';
import {
  DeliveryError,
  smsGateway,
  smtpTransport,
  type Transport,
} from './notification-transports.ts';

/** The settings of the messages to citizens (config.ts: OPSROOM_SMTP_URL and the others). */
export interface NotifySettings {
  /** The address citizens reach Opsroom at (https://phananh.example.gov.vn), for the links. */
  publicUrl?: string;
  smtpUrl?: string;
  mailFrom?: string;
  smsUrl?: string;
  smsToken?: string;
}

/** The transports the settings configure; a channel without one waits. */
export function transportsFrom(s: NotifySettings): Partial<Record<NotificationChannel, Transport>> {
  return {
    ...(s.smtpUrl && s.mailFrom ? { email: smtpTransport(s.smtpUrl, s.mailFrom) } : {}),
    ...(s.smsUrl ? { sms: smsGateway(s.smsUrl, s.smsToken) } : {}),
  };
}

/** How many messages one claim takes; a pass claims again while claims come back full. */
const BATCH = 20;

export interface DeliveryPass {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Telling the citizen (issue 20): an officer's answer, question, refusal or close is queued in
 * the officer's transaction, one message per contact channel (`queue`); the delivery job sends
 * the messages after the commit (`deliver`). A channel this server cannot send on keeps its
 * messages pending, never lost: they go once it is configured. The contact is masked in
 * everything shown to officers and in the logs; the audit names the channels only.
 */
export class CitizenNotificationService {
  private readonly transports: Partial<Record<NotificationChannel, Transport>>;
  private readonly log: (line: string) => void;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: NotifySettings = {},
    opts: {
      transports?: Partial<Record<NotificationChannel, Transport>>;
      log?: (line: string) => void;
    } = {},
  ) {
    this.transports = opts.transports ?? transportsFrom(settings);
    this.log = opts.log ?? ((l) => console.log(l));
  }

  /** The channels this server sends on. */
  get channels(): NotificationChannel[] {
    return NOTIFICATION_CHANNELS.filter((c) => this.transports[c] !== undefined);
  }

  /**
   * Queues the message of a report's event to each contact the citizen gave, in the caller's
   * transaction (`tx`); nothing without a contact. One message per event and channel: queuing
   * the same event again adds nothing. Answers the channels queued.
   */
  async queue(
    tx: Repos,
    r: CitizenReportRow,
    e: { eventId: number; kind: NotificationKind; note: string | null; at: Date },
  ): Promise<NotificationChannel[]> {
    const to: [NotificationChannel, string][] = [];
    if (r.contact_phone) to.push(['sms', r.contact_phone]);
    if (r.contact_email) to.push(['email', r.contact_email]);
    if (!to.length) return [];
    const repo = tx.citizenNotifications;
    const unit = (await repo.unitName(r.handler_version, r.handler_code)) ?? r.handler_code;
    const text = notificationText({
      kind: e.kind,
      code: r.code,
      unit,
      note: e.note,
      url: publicStatusUrl(r.code, this.settings.publicUrl),
    });
    return repo.queue(
      to.map(([channel, destination]) => ({
        reportId: r.id,
        eventId: e.eventId,
        channel,
        destination,
        kind: e.kind,
        subject: channel === 'email' ? text.subject : null,
        body: channel === 'email' ? text.email : text.sms,
        at: e.at,
      })),
    );
  }

  /**
   * One pass of the delivery job: claims the messages that are due on the configured channels,
   * sends each, and marks it sent, or tries it again later (1, 2, 4 … minutes) until
   * MAX_ATTEMPTS, then `failed`. A refusal that cannot change (no such mailbox, a 4xx of the
   * gateway) fails at once. A message claimed by a job that stopped before confirming is
   * claimed again when its lease ends: it may go twice, never zero times.
   */
  async deliver(): Promise<DeliveryPass> {
    const pass: DeliveryPass = { sent: 0, retried: 0, failed: 0 };
    const channels = this.channels;
    if (!channels.length) return pass;
    const repo = this.store.repos.citizenNotifications;
    pass.failed += await repo.expire(
      this.clock(),
      MAX_ATTEMPTS,
      `no confirmation after ${MAX_ATTEMPTS} tries`,
    );
    for (;;) {
      const now = this.clock();
      const claimed = await repo.claim({
        channels,
        now,
        leaseUntil: new Date(now.getTime() + CLAIM_LEASE_MS),
        limit: BATCH,
        maxAttempts: MAX_ATTEMPTS,
      });
      for (const n of claimed) {
        const outcome = await this.sendOne(n);
        pass[outcome]++;
      }
      if (claimed.length < BATCH) return pass;
    }
  }

  private async sendOne(n: CitizenNotificationRow): Promise<keyof DeliveryPass> {
    const repo = this.store.repos.citizenNotifications;
    const failure = await this.transports[n.channel]!.send({
      to: n.destination,
      subject: n.subject,
      text: n.body,
    }).then(
      () => undefined,
      (e: unknown) => (e instanceof DeliveryError ? e : new DeliveryError(String(e))),
    );
    // Recording it is the database's part: if that fails the pass stops, the lease brings the
    // message back, and it may go twice.
    if (!failure) {
      await repo.sent(n.id, this.clock());
      return 'sent';
    }
    const error = scrubContact(failure.message, n.channel, n.destination);
    const last = failure.permanent || n.attempts >= MAX_ATTEMPTS;
    const retryAt = last ? null : new Date(this.clock().getTime() + retryDelayMs(n.attempts));
    await repo.failedTry(n.id, n.attempts, error, retryAt);
    this.log(
      `Tin báo người dân / citizen message ${n.id} (${n.channel} ${maskDestination(n.channel, n.destination)}), try ${n.attempts}: ${error}; ${retryAt ? `again at ${retryAt.toISOString()}` : 'given up'}`,
    );
    return last ? 'failed' : 'retried';
  }

  /** A report's messages as officers see them: the contact masked, whether it can go. */
  async forReport(reportId: number): Promise<ReportNotification[]> {
    const rows = await this.store.repos.citizenNotifications.forReport(reportId);
    const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
    return rows.map((n) => ({
      channel: n.channel,
      to: maskDestination(n.channel, n.destination),
      kind: n.kind,
      status: n.status,
      configured: this.transports[n.channel] !== undefined,
      attempts: n.attempts,
      queuedAt: iso(n.created_at)!,
      sentAt: iso(n.sent_at),
      nextAttemptAt: n.status === 'pending' ? iso(n.next_attempt_at) : null,
      lastError: n.last_error,
    }));
  }

  /** Closes the transports' connections (with the database). */
  close(): void {
    for (const t of Object.values(this.transports)) t?.close();
  }
}
