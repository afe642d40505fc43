/**
 * One briefing (`/bao-cao/12`), laid out as the document it prints as: the national heading,
 * the sections with their sentences and tables, reporting completeness, the corrections of a
 * revision. Around it, never printed: the "changed since issue" banner, the exports, Issue or
 * Make a revision for those who may (`briefing.issue`), and each draft paragraph's edit view.
 */
import { useMemo } from 'react';
import { usePageTitle } from '../../shared/title.ts';
import { ApiError } from '../../shared/api/client.ts';
import { formatDateTime } from '../../shared/format.ts';
import { can, type Me } from '../../shared/me.tsx';
import { AppLink } from '../../shared/nav.tsx';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { BriefingActions } from './BriefingActions.tsx';
import { scopeName } from './BriefingTable.tsx';
import { ChangedBanner } from './ChangedBanner.tsx';
import { CompletenessView } from './CompletenessView.tsx';
import { ClosingView } from './ClosingView.tsx';
import { CorrectionsView } from './CorrectionsView.tsx';
import { DocHeading } from './DocHeading.tsx';
import { useBriefingText } from './messages.ts';
import { briefingPath, BRIEFINGS_PATH } from './paths.ts';
import { useBriefing } from './queries.ts';
import { RevisionList } from './RevisionList.tsx';
import { SectionView } from './SectionView.tsx';
import { StatusTag } from './StatusTag.tsx';
import './briefings.css';

export function BriefingPage({ idText, me }: { idText: string; me: Me }) {
  const { lang, t } = useBriefingText();
  const id = /^\d+$/.test(idText) ? Number(idText) : NaN;
  const q = useBriefing(id);
  const b = q.data;
  const changed = useMemo(() => new Set(b?.changedSinceIssue.map((c) => c.lineId)), [b]);
  const title = b ? (lang === 'vi' ? b.document.titleVi : b.document.titleEn) : '';

  usePageTitle(title);

  const crumbs = (
    <p className="brf-crumbs brf-no-print">
      <AppLink to={BRIEFINGS_PATH}>← {t('allBriefings')}</AppLink>
    </p>
  );

  if (Number.isNaN(id) || (q.error instanceof ApiError && q.error.status === 404))
    return (
      <div className="page brf-page">
        {crumbs}
        <div className="alert" role="alert" data-testid="briefing-unknown">
          <span className="alert-icon" aria-hidden="true">
            !
          </span>
          <div className="alert-body">
            <p>{t('badId', { id: idText })}</p>
          </div>
        </div>
      </div>
    );
  if (q.error)
    return (
      <div className="page brf-page">
        {crumbs}
        <ErrorBox error={q.error} testId="briefing-error">
          <div className="alert-actions">
            <button type="button" className="btn" onClick={() => void q.refetch()}>
              {t('retry')}
            </button>
          </div>
        </ErrorBox>
      </div>
    );
  if (!b)
    return (
      <div className="page brf-page">
        {crumbs}
        <Loading />
      </div>
    );

  const doc = b.document;
  // An older revision says that a newer one exists, and links to it.
  const newest = b.revisions.reduce<(typeof b.revisions)[number] | null>(
    (n, r) => (r.revision > (n?.revision ?? -1) ? r : n),
    null,
  );
  const mayIssue = can(me, 'briefing.issue');
  const editable = mayIssue && b.status === 'draft';
  return (
    <div
      className="page brf-page"
      data-testid="briefing-page"
      data-status={b.status}
      data-revision={b.revision}
    >
      {crumbs}
      <div className="brf-meta brf-no-print">
        <StatusTag status={b.status} t={t} />
        {b.revision > 0 && <span>{t('revisionN', { n: b.revision })}</span>}
        <span className="muted">
          {t('scopeLine', {
            scope: doc.scope.code === 'VN' ? scopeName(lang, 'VN') : doc.scope.nameVi,
            version: doc.scope.version,
          })}
        </span>
        {b.issuedBy && b.issuedAt && (
          <span className="muted" data-testid="briefing-issued-by">
            {t('issuedBy', {
              name: doc.issuer ?? b.issuedBy,
              at: formatDateTime(lang, b.issuedAt),
            })}
          </span>
        )}
      </div>
      {newest && newest.id !== b.id && newest.revision > b.revision && (
        <p className="brf-newer brf-no-print" role="note" data-testid="briefing-newer">
          {t('newer')}{' '}
          <AppLink to={briefingPath(newest.id)}>{t('revisionN', { n: newest.revision })}</AppLink> (
          {t(newest.status)})
        </p>
      )}
      {b.changedSinceIssue.length > 0 && (
        <ChangedBanner changes={b.changedSinceIssue} doc={doc} lang={lang} t={t} />
      )}
      <BriefingActions b={b} mayIssue={mayIssue} t={t} />
      <article className="card brf-doc" data-testid="briefing-doc" lang={lang}>
        <DocHeading doc={doc} lang={lang} t={t} />
        {doc.sections.map((s, i) => (
          <SectionView
            key={s.code}
            briefingId={b.id}
            section={s}
            index={i}
            changed={changed}
            editable={editable}
            lang={lang}
            t={t}
          />
        ))}
        <CompletenessView rows={doc.completeness} lang={lang} t={t} />
        <CorrectionsView doc={doc} lang={lang} t={t} />
        <ClosingView doc={doc} t={t} />
      </article>
      <RevisionList items={b.revisions} current={b.id} lang={lang} t={t} />
    </div>
  );
}
