/**
 * Telling the citizen (issue 20), pure: which officer's actions a citizen is told of, the
 * messages in Vietnamese (an email with diacritics, an SMS without), how a contact is masked
 * wherever it is shown or logged, and the delivery's retry schedule.
 */

export const NOTIFICATION_CHANNELS = ['sms', 'email'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * What a citizen is told of: the answer, a question waiting for them, a refusal, and a close
 * that carries news (closed without an answer first, or with a closing note). Not the steps
 * in between (acknowledged, forwarded): the status page shows those, and an SMS costs money.
 */
export const NOTIFICATION_KINDS = ['answered', 'info_requested', 'refused', 'closed'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** Tries before a message is given up (`failed`): some 8.5 hours of retries. */
export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 6 * 3600_000;

/** How long after its `attempts`-th failed try a message is tried again: 1, 2, 4 … min, ≤ 6 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}

/**
 * How long a job holds the messages it claimed: one not confirmed sent or failed by then (the
 * job stopped in between) is claimed again. Longer than a transport's own time-outs.
 */
export const CLAIM_LEASE_MS = 5 * 60_000;

/** The public status page of a report, under the address citizens reach Opsroom at. */
export function publicStatusUrl(code: string, publicUrl?: string): string {
  return `${(publicUrl ?? '').replace(/\/+$/, '')}/phan-anh/${code}`;
}

// — Masking

/** 0912345678 → 091****678. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 6)}${phone.slice(-3)}`;
}

/** dan.pho@example.vn → d***@example.vn. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export function maskDestination(channel: NotificationChannel, destination: string): string {
  return channel === 'sms' ? maskPhone(destination) : maskEmail(destination);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A transport's error text with the contact masked wherever it appears (a gateway or a mail
 * server often repeats the recipient): what may be stored, shown to officers and logged.
 */
export function scrubContact(
  text: string,
  channel: NotificationChannel,
  destination: string,
): string {
  const masked = maskDestination(channel, destination);
  const forms =
    channel === 'sms' && destination.startsWith('0')
      ? [destination, `84${destination.slice(1)}`]
      : [destination];
  let out = text;
  for (const f of forms) out = out.replace(new RegExp(escapeRe(f), 'gi'), masked);
  return out.slice(0, 500);
}

// — The messages

export interface NotificationFacts {
  kind: NotificationKind;
  code: string;
  /** The handling unit's full name (Phường Bến Thành): never an officer's. */
  unit: string;
  /** What the citizen is told on the public page: the answer, question, reason or note. */
  note: string | null;
  /** The public status page (publicStatusUrl). */
  url: string;
}

export interface NotificationText {
  subject: string;
  email: string;
  sms: string;
}

const SIGNATURE =
  'Thư này được gửi tự động từ hệ thống tiếp nhận phản ánh, kiến nghị; xin không trả lời thư này.';

/**
 * The email (subject and text) and the SMS of an event. The email quotes what the public page
 * shows (the answer, the question, the reason); the SMS says what happened and where to read
 * it, in plain letters, one segment with the address.
 */
export function notificationText(f: NotificationFacts): NotificationText {
  const quoted = f.note ? `\n\n${f.note}\n` : '\n';
  const lines = (head: string, see: string) =>
    `Kính gửi ông/bà,\n\n${head}${quoted}\n${see}:\n${f.url}\n\n${SIGNATURE}\n`;
  switch (f.kind) {
    case 'answered':
      return {
        subject: `Phản ánh ${f.code} đã được trả lời`,
        email: lines(
          `${f.unit} đã trả lời phản ánh ${f.code} của ông/bà:`,
          'Xem trả lời và ảnh kèm theo, đánh giá hoặc mở lại phản ánh (trong 7 ngày) tại',
        ),
        sms: `Phan anh ${f.code} da duoc tra loi. Xem tai ${f.url}`,
      };
    case 'info_requested':
      return {
        subject: `Phản ánh ${f.code}: đề nghị bổ sung thông tin`,
        email: lines(
          `${f.unit} đề nghị ông/bà bổ sung thông tin cho phản ánh ${f.code}:`,
          'Gửi thông tin bổ sung tại',
        ),
        sms: `Phan anh ${f.code}: co quan xu ly de nghi bo sung thong tin. Gui tai ${f.url}`,
      };
    case 'refused':
      return {
        subject: `Phản ánh ${f.code} bị từ chối xử lý`,
        email: lines(`${f.unit} từ chối xử lý phản ánh ${f.code}. Lý do:`, 'Xem chi tiết tại'),
        sms: `Phan anh ${f.code} bi tu choi xu ly. Xem ly do tai ${f.url}`,
      };
    case 'closed':
      return {
        subject: `Phản ánh ${f.code} đã kết thúc xử lý`,
        email: lines(
          `${f.unit} đã kết thúc xử lý phản ánh ${f.code}${f.note ? ':' : '.'}`,
          'Xem chi tiết, đánh giá hoặc mở lại phản ánh (trong 7 ngày) tại',
        ),
        sms: `Phan anh ${f.code} da ket thuc xu ly. Xem tai ${f.url}`,
      };
  }
}
