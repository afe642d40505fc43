import type { BriefingSummary } from './data.ts';
import type { BriefingT } from './messages.ts';

/** Draft or issued, in words and colour. */
export function StatusTag({ status, t }: { status: BriefingSummary['status']; t: BriefingT }) {
  return (
    <span className={`brf-status brf-status-${status}`} data-testid="briefing-status">
      {t(status)}
    </span>
  );
}
