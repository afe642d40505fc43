import type { BriefingDocument } from './data.ts';
import type { BriefingT } from './messages.ts';

/** The end of the document: "Nơi nhận" and the signer, as the DOCX and PDF print them. */
export function ClosingView({ doc, t }: { doc: BriefingDocument; t: BriefingT }) {
  const c = doc.closing;
  if (!c) return null;
  return (
    <footer className="brf-closing" data-testid="briefing-closing" lang="vi">
      <div className="brf-closing-to">
        {c.recipients.length > 0 && <p className="brf-closing-head">{t('recipients')}</p>}
        <ul>
          {c.recipients.map((r) => (
            <li key={r}>- {r}</li>
          ))}
        </ul>
      </div>
      <div className="brf-closing-signer">
        {c.authorityVi && <p>{c.authorityVi}</p>}
        <p>{c.titleVi}</p>
        <p className="brf-closing-name">{c.name ?? t('signerPending')}</p>
      </div>
    </footer>
  );
}
