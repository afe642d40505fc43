import { useRef, useState } from 'react';
import { newIdempotencyKey } from '../../shared/api/client.ts';
import { useGo } from '../../shared/nav.tsx';
import { ErrorBox } from '../../shared/ui.tsx';
import type { BriefingDetail } from './data.ts';
import type { BriefingT } from './messages.ts';
import { briefingPath, exportUrl, type ExportFormat } from './paths.ts';
import { useIssue, useRevise } from './queries.ts';

const FORMATS: ExportFormat[] = ['docx', 'xlsx', 'pdf', 'csv'];

/**
 * The briefing's buttons (never printed): the exports as plain download links, print, and for
 * those who may issue: Issue a draft (after a confirmation in the page), Make a revision of an
 * issued one (which opens the new draft).
 */
export function BriefingActions({
  b,
  mayIssue,
  t,
}: {
  b: BriefingDetail;
  mayIssue: boolean;
  t: BriefingT;
}) {
  const issue = useIssue(b.id);
  const revise = useRevise(b.id);
  const go = useGo();
  const [confirming, setConfirming] = useState(false);
  // One key per briefing and action: a repeated click issues (or revises) once.
  const keys = useRef({ issue: newIdempotencyKey(), revise: newIdempotencyKey() });
  const error = issue.error ?? revise.error;

  return (
    <div className="brf-actions brf-no-print" aria-label={t('actions')} role="group">
      <div className="brf-downloads" data-testid="briefing-downloads">
        <span className="brf-actions-label">{t('downloads')}:</span>
        {FORMATS.map((f) => (
          <a
            key={f}
            className="btn"
            href={exportUrl(b.id, f)}
            download
            aria-label={t('downloadAs', { format: f.toUpperCase() })}
            data-testid={`export-${f}`}
          >
            {f.toUpperCase()}
          </a>
        ))}
        <button type="button" className="btn" onClick={() => window.print()}>
          {t('print')}
        </button>
      </div>
      {mayIssue && (
        <div className="brf-writes">
          {b.status === 'draft' && !confirming && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setConfirming(true)}
              data-testid="briefing-issue"
            >
              {t('issue')}
            </button>
          )}
          {b.status === 'issued' && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={revise.isPending}
              data-testid="briefing-revise"
              onClick={() =>
                revise.mutate(keys.current.revise, {
                  onSuccess: (d) => go(briefingPath(d.id), { focusMain: true }),
                })
              }
            >
              {revise.isPending ? t('revising') : t('revise')}
            </button>
          )}
        </div>
      )}
      {confirming && b.status === 'draft' && (
        <div className="brf-confirm" role="alertdialog" aria-labelledby="brf-confirm-text">
          <p id="brf-confirm-text">{t('issueConfirm')}</p>
          <div className="brf-confirm-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={issue.isPending}
              data-testid="briefing-issue-confirm"
              onClick={() =>
                issue.mutate(keys.current.issue, { onSettled: () => setConfirming(false) })
              }
            >
              {issue.isPending ? t('issuing') : t('issue')}
            </button>
            <button
              type="button"
              className="btn"
              disabled={issue.isPending}
              onClick={() => setConfirming(false)}
            >
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {error ? <ErrorBox error={error} testId="briefing-action-error" /> : null}
    </div>
  );
}
