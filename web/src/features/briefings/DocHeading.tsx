import type { Lang } from '../../shared/format.ts';
import type { BriefingDocument } from './data.ts';
import type { BriefingT } from './messages.ts';
import { placeDate } from './figureText.ts';

/**
 * The heading of an administrative document (Decree 30/2020/NĐ-CP): the issuing body and its
 * number on the left, the national heading and the place and date on the right, then the
 * document's kind and title. A draft is stamped and has no number yet.
 */
export function DocHeading({ doc, lang, t }: { doc: BriefingDocument; lang: Lang; t: BriefingT }) {
  return (
    <header className="brf-heading" data-testid="briefing-heading">
      {doc.status === 'draft' && (
        <p className="brf-stamp" data-testid="briefing-draft-stamp">
          <span>{t('draftStamp')}</span>
        </p>
      )}
      <div className="brf-heading-grid">
        <div className="brf-heading-body">
          {doc.parentBodyVi && <p className="brf-parent">{doc.parentBodyVi}</p>}
          <p className="brf-issuer brf-rule" lang="vi">
            {doc.bodyVi}
          </p>
          <p className="brf-number" data-testid="briefing-number">
            {t('numberLabel')} {doc.number ?? '…'}
          </p>
        </div>
        <div className="brf-heading-nation">
          <p className="brf-nation">{t('nation')}</p>
          <p className="brf-motto">{t('motto')}</p>
          <p className="brf-date" data-testid="briefing-date">
            {placeDate(t, doc.place, doc.date)}
          </p>
        </div>
      </div>
      <div className="brf-title">
        <p className="brf-kind">{t('kind')}</p>
        <h1 className="brf-summary" data-testid="briefing-title">
          {lang === 'vi' ? doc.titleVi : doc.titleEn}
        </h1>
      </div>
    </header>
  );
}
