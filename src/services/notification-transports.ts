import nodemailer from 'nodemailer';

/**
 * How messages to citizens leave (issue 20), without a third-party service: email through the
 * SMTP server the operator names (OPSROOM_SMTP_URL), SMS through an HTTP gateway
 * (OPSROOM_SMS_URL), the way Vietnamese SMS brandname gateways are called.
 */

export interface OutgoingMessage {
  /** The phone (0912345678) or email address. */
  to: string;
  /** The email's subject; null for an SMS. */
  subject: string | null;
  text: string;
}

export interface Transport {
  send(m: OutgoingMessage): Promise<void>;
  close(): void;
}

/** A try that failed; `permanent` when trying again cannot help (a refused recipient). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/** Time-outs well within the claim's lease (CLAIM_LEASE_MS), so a stuck try ends first. */
const CONNECT_MS = 30_000;
const SOCKET_MS = 60_000;

/**
 * Email over SMTP with nodemailer: `url` is smtp://user:password@host:587 (STARTTLS when the
 * server offers it) or smtps://…:465; `from` is the sender, `Name <address>` or an address.
 */
export function smtpTransport(url: string, from: string): Transport {
  const mailer = nodemailer.createTransport({
    url,
    connectionTimeout: CONNECT_MS,
    greetingTimeout: CONNECT_MS,
    socketTimeout: SOCKET_MS,
  });
  return {
    async send(m) {
      try {
        await mailer.sendMail({
          from,
          to: m.to,
          subject: m.subject ?? '',
          text: m.text,
          // RFC 3834: an automatic message, so that out-of-office replies do not answer it.
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      } catch (e) {
        const err = e as { message?: string; responseCode?: number; code?: string };
        // 5xx is the server's final word (no such mailbox); EENVELOPE a recipient it refused.
        const permanent =
          (typeof err.responseCode === 'number' && err.responseCode >= 500) ||
          err.code === 'EENVELOPE';
        throw new DeliveryError(`SMTP: ${err.message ?? String(e)}`, permanent);
      }
    },
    close: () => mailer.close(),
  };
}

/**
 * SMS through an HTTP gateway: `POST url` with `{"to": "84912345678", "text": "…"}` as JSON and,
 * when a token is set, `Authorization: Bearer <token>`; any 2xx answer is sent. The number goes
 * in its international form without "+" (the MSISDN operators' brandname APIs take); the text
 * is plain letters without diacritics (one 160-character GSM segment). A 4xx other than 408
 * and 429 is final; anything else is tried again.
 */
export function smsGateway(url: string, token?: string): Transport {
  return {
    async send(m) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify({ to: msisdn(m.to), text: m.text }),
          signal: AbortSignal.timeout(SOCKET_MS),
        });
      } catch (e) {
        throw new DeliveryError(`SMS gateway: ${(e as Error).message}`);
      }
      if (res.ok) {
        await res.body?.cancel();
        return;
      }
      const said = (await res.text().catch(() => '')).slice(0, 200);
      const permanent = res.status >= 400 && res.status < 500 && ![408, 429].includes(res.status);
      throw new DeliveryError(
        `SMS gateway answered ${res.status}${said ? `: ${said}` : ''}`,
        permanent,
      );
    },
    close: () => {},
  };
}

/** 0912345678 → 84912345678. */
export function msisdn(phone: string): string {
  return phone.startsWith('0') ? `84${phone.slice(1)}` : phone.replace(/^\+/, '');
}
