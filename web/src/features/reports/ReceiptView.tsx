import { useEffect, useRef, useState } from 'react';

import { formatDateTime, statusPath, type Receipt } from './api.ts';
import { useReportText } from './messages.ts';
import { AppLink } from '../../shared/nav.tsx';

/** After sending: the tracking code, large and copyable, who handles it and by when. */
export function ReceiptView({
  receipt,
  onAnother,
  place,
}: {
  receipt: Receipt;
  onAnother: () => void;
  /** The commune chosen, for its full name when it handles the report (Phường Sài Gòn). */
  place?: { code: string; fullName: string };
}) {
  const { lang, t } = useReportText();
  const [copied, setCopied] = useState(false);
  const head = useRef<HTMLHeadingElement>(null);
  useEffect(() => head.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(receipt.code);
      setCopied(true);
    } catch {
      // no clipboard (an old browser, not https): the code is selected to copy by hand
      const el = document.getElementById('pa-receipt-code');
      if (el) window.getSelection()?.selectAllChildren(el);
    }
  };

  return (
    <section className="pa-receipt" data-testid="receipt">
      <h1 ref={head} tabIndex={-1}>
        <span aria-hidden="true" className="pa-ok">
          ✓{' '}
        </span>
        {t('receiptTitle')}
      </h1>
      <div className="pa-code-box">
        <div className="pa-muted">{t('receiptCodeLabel')}</div>
        <div className="pa-code" id="pa-receipt-code" data-testid="tracking-code">
          {receipt.code}
        </div>
        <button type="button" className="pa-btn" onClick={() => void copy()}>
          {copied ? t('copied') : t('copy')}
        </button>
        <p className="pa-small pa-muted">{t('receiptKeep')}</p>
      </div>
      <dl className="pa-facts">
        <dt>{t('receiptHandler')}</dt>
        <dd data-testid="receipt-handler">
          {place?.code === receipt.handler.code ? place.fullName : receipt.handler.name}
        </dd>
        <dt>{t('receiptAckDue')}</dt>
        <dd>{formatDateTime(lang, receipt.acknowledgeDue)}</dd>
        <dt>{t('receiptAnswerDue')}</dt>
        <dd>{formatDateTime(lang, receipt.answerDue)}</dd>
      </dl>
      <div className="pa-actions">
        <AppLink
          to={statusPath(receipt.code)}
          className="pa-btn pa-btn-primary"
          data-testid="receipt-status-link"
        >
          {t('receiptStatus')}
        </AppLink>
        <button type="button" className="pa-btn" onClick={onAnother}>
          {t('receiptAnother')}
        </button>
      </div>
    </section>
  );
}
