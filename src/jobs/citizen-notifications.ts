import type { Services } from '../services/index.ts';
import { repeatEvery } from './repeat.ts';

/** How often `serve` sends the messages to citizens that are due: within seconds of an answer. */
export const NOTIFY_INTERVAL_MS = 5_000;

/**
 * Sends the messages telling citizens of an answer, a question, a refusal or a close (issue 20,
 * migration 0041) now and then every `intervalMs`: those the officers' actions queued, those
 * due again after a failed try, and those a stopped job had claimed (at least once). Several
 * instances may run it: a message is claimed by one. Says at start which channels wait for
 * their settings. Stopped with the database.
 */
export function startCitizenNotifications(
  services: Services,
  opts: { intervalMs?: number; log?: (line: string) => void } = {},
): () => void {
  const log = opts.log ?? ((l: string) => console.log(l));
  const on = services.citizenNotifications.channels;
  const off = (['email', 'sms'] as const).filter((c) => !on.includes(c));
  if (off.length)
    log(
      `Tin báo người dân / citizen messages: ${off.join(', ')} not configured (${off.map((c) => (c === 'email' ? 'OPSROOM_SMTP_URL, OPSROOM_MAIL_FROM' : 'OPSROOM_SMS_URL')).join('; ')}); such messages wait until it is`,
    );
  return repeatEvery(services.database, {
    name: 'citizen messages',
    intervalMs: opts.intervalMs ?? NOTIFY_INTERVAL_MS,
    work: async () => {
      const r = await services.citizenNotifications.deliver();
      if (r.sent || r.retried || r.failed)
        log(
          `Tin báo người dân / citizen messages: ${r.sent} sent, ${r.retried} to try again, ${r.failed} given up`,
        );
    },
  });
}
