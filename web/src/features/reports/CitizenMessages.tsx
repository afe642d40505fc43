import { formatDateTime, type OfficerReport } from './api.ts';
import { useReportText, type ReportKey } from './messages.ts';

type Message = OfficerReport['notifications'][number];

const STATUS_CLASS: Record<Message['status'], string> = {
  pending: 'pa-status-forwarded',
  sent: 'pa-status-answered',
  failed: 'pa-status-refused',
};

/**
 * The messages telling the citizen of the unit's answer, question, refusal or close (SMS and
 * email, the contact masked), on the officers' report screen: whether the citizen was told,
 * and why not yet. Nothing when the citizen left no contact.
 */
export function CitizenMessages({ r }: { r: OfficerReport }) {
  const { lang, t } = useReportText();
  const channel = (c: Message['channel']) => t(`ntChannel_${c}` as ReportKey);
  const given = [r.contact.phone && 'sms', r.contact.email && 'email'].filter(
    (c): c is Message['channel'] => !!c,
  );
  if (!given.length && !r.notifications.length) return null;
  const waiting = [
    ...new Set(
      r.notifications.filter((n) => n.status === 'pending' && !n.configured).map((n) => n.channel),
    ),
  ];
  return (
    <section className="pa-card" aria-labelledby="pa-messages" data-testid="citizen-messages">
      <h2 id="pa-messages" className="pa-h2">
        {t('ntTitle')}
      </h2>
      {waiting.map((c) => (
        <p key={c} className="pa-note pa-warn" role="note">
          {t('ntNotConfigured', { channel: channel(c) })}
        </p>
      ))}
      {r.notifications.length === 0 ? (
        <p className="pa-muted">{t('ntNone', { channels: given.map(channel).join(', ') })}</p>
      ) : (
        <ul className="pa-messages">
          {r.notifications.map((n, i) => (
            <li key={i} data-channel={n.channel} data-status={n.status}>
              <span className={`pa-status ${STATUS_CLASS[n.status]}`}>
                {t(`ntStatus_${n.status}` as ReportKey)}
              </span>{' '}
              <strong>{t(`ntKind_${n.kind}` as ReportKey)}</strong> · {channel(n.channel)}{' '}
              <span className="pa-nowrap">{n.to}</span>{' '}
              <time className="pa-small pa-muted" dateTime={n.sentAt ?? n.queuedAt}>
                {formatDateTime(lang, n.sentAt ?? n.queuedAt)}
              </time>
              {n.status === 'pending' && n.lastError && n.nextAttemptAt && (
                <div className="pa-small pa-muted">
                  {t('ntRetry', { n: n.attempts, t: formatDateTime(lang, n.nextAttemptAt) })}
                </div>
              )}
              {n.status !== 'sent' && n.lastError && (
                <div className="pa-small pa-muted">{n.lastError}</div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
