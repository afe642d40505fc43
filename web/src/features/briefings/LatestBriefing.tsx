import './briefings.css';
import { formatDateTime } from '../../shared/format.ts';
import { useLiveInvalidate } from '../../shared/live.ts';
import { AppLink } from '../../shared/nav.tsx';
import { useBriefingText } from './messages.ts';
import { briefingPath } from './paths.ts';
import { useBriefingList } from './queries.ts';

const LIST_KEY = ['briefings'] as const;

/**
 * The operations room's line for the newest issued briefing of the user's scope (issue 18):
 * issuing publishes a `briefing` live event to the units of its scope, which asks the list again.
 */
export function LatestBriefing() {
  const { lang, t } = useBriefingText();
  const list = useBriefingList();
  useLiveInvalidate(['briefing'], () => [LIST_KEY], [LIST_KEY]);
  const latest = list.data
    ?.filter((b) => b.status === 'issued' && b.issuedAt)
    .sort((a, b) => (a.issuedAt! < b.issuedAt! ? 1 : -1))[0];
  if (!latest) return null;
  return (
    <p className="ov-latest-briefing" data-testid="room-latest-briefing">
      <strong>{t('latestIssued')}:</strong>{' '}
      <AppLink to={briefingPath(latest.id)}>{latest.titleVi}</AppLink>{' '}
      <span>
        (
        {t('latestNumber', {
          number: latest.number ?? '',
          date: formatDateTime(lang, latest.issuedAt!),
        })}
        )
      </span>
    </p>
  );
}
