import { formatDateTime, statusLabel, type PublicEvent, type PublicReport } from './api.ts';
import { useReportText, type ReportKey } from './messages.ts';

type Photo = PublicReport['photos'][number];

/** Photos as thumbnails, each opening the full image. */
export function Photos({ photos, testId }: { photos: Photo[]; testId?: string }) {
  const { t } = useReportText();
  if (!photos.length) return null;
  return (
    <ul className="pa-thumbs" data-testid={testId}>
      {photos.map((p, i) => (
        <li key={p.id} className="pa-thumb">
          <a href={p.url} target="_blank" rel="noreferrer">
            <img src={p.url} alt={t('photoN', { n: i + 1 })} loading="lazy" />
          </a>
        </li>
      ))}
    </ul>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { lang } = useReportText();
  return (
    <span className={`pa-status pa-status-${status}`} data-testid="report-status">
      {statusLabel(lang, status)}
    </span>
  );
}

/** How the server names the citizen as the actor of their own events. */
const CITIZEN = 'citizen';

/** The public history, oldest first, each with its time; officers see who and internal notes. */
export function History({
  events,
  names = {},
}: {
  events: (PublicEvent & { actorName?: string; internalNote?: string | null })[];
  /** Units' full names by code (Phường Sài Gòn, not Sài Gòn), as far as the report knows them. */
  names?: Record<string, string>;
}) {
  const full = (u: { code: string; name: string } | null) => (u ? (names[u.code] ?? u.name) : '');
  const { lang, t } = useReportText();
  // Officers' events name no unit: the one holding the report then (the last it was sent to).
  let holder = '';
  return (
    <ol className="pa-history" data-testid="history">
      {events.map((e, i) => {
        if (e.toUnit) holder = full(e.toUnit);
        const unit = holder || full(e.fromUnit);
        const text = t(`ev_${e.kind}` as ReportKey, {
          unit,
          to: full(e.toUnit),
          from: full(e.fromUnit),
        });
        const reasoned = e.kind === 'forwarded' || e.kind === 'refused' || e.kind === 'reopened';
        return (
          <li key={i} data-kind={e.kind} className={`pa-ev pa-ev-${e.kind}`}>
            <time dateTime={e.at} className="pa-small pa-muted">
              {formatDateTime(lang, e.at)}
            </time>
            <div>
              <strong>{text}</strong>
              {e.actorName && e.actorName !== CITIZEN && (
                <span className="pa-small pa-muted"> — {t('offBy', { name: e.actorName })}</span>
              )}
            </div>
            {e.note && (
              <p className="pa-ev-note">{reasoned ? t('reason', { r: e.note }) : e.note}</p>
            )}
            {e.internalNote && (
              <p className="pa-ev-note pa-internal">
                {t('offInternalNote', { n: e.internalNote })}
              </p>
            )}
            <Photos photos={e.photos} />
          </li>
        );
      })}
    </ol>
  );
}

/** What the report says, where, who handles it and by when. */
export function ReportFacts({ r }: { r: PublicReport }) {
  const { lang, t } = useReportText();
  return (
    <>
      <dl className="pa-facts">
        <dt>{t('statusNow')}</dt>
        <dd>
          <StatusBadge status={r.status} />
        </dd>
        <dt>{t('category')}</dt>
        <dd>{lang === 'vi' ? r.category.nameVi : r.category.nameEn}</dd>
        <dt>{t('place')}</dt>
        <dd>
          {r.place.commune.fullName}
          {r.place.province ? `, ${r.place.province.fullName}` : ''}
        </dd>
        <dt>{t('handler')}</dt>
        <dd data-testid="report-handler">{r.handler.fullName}</dd>
        <dt>{t('receivedAt')}</dt>
        <dd>{formatDateTime(lang, r.receivedAt)}</dd>
        {!r.answeredAt && r.status !== 'refused' && r.status !== 'closed' && (
          <>
            <dt>{t('answerDue')}</dt>
            <dd>{formatDateTime(lang, r.answerDue)}</dd>
          </>
        )}
      </dl>
      <h2 className="pa-h2">{t('description')}</h2>
      <p className="pa-text" data-testid="report-description">
        {r.description}
      </p>
      <Photos photos={r.photos} testId="report-photos" />
    </>
  );
}

/** The full names of the units a report names, by code. */
export function unitNames(r: PublicReport): Record<string, string> {
  const out: Record<string, string> = {
    [r.place.commune.code]: r.place.commune.fullName,
    [r.handler.code]: r.handler.fullName,
  };
  if (r.place.province) out[r.place.province.code] = r.place.province.fullName;
  return out;
}
