import { formatDateTime } from '../format.ts';
import { DIRECTIVE_TOPICS, type Priority, type TaskStatus } from './data.ts';
import { useLiveStatus } from '../live.ts';
import { dirLabel, useDirText } from './messages.ts';

export function PriorityTag({ priority }: { priority: Priority }) {
  const { lang } = useDirText();
  return (
    <span className={`tag prio prio-${priority}`} data-testid="priority">
      {dirLabel(lang, 'priority', priority)}
    </span>
  );
}

export function StatusTag({ status }: { status: TaskStatus | string }) {
  const { lang } = useDirText();
  return (
    <span className={`tag st st-${status}`} data-testid="status">
      {dirLabel(lang, 'status', status)}
    </span>
  );
}

/** "Trực tiếp" while the event stream is open, with the time of the last change. */
export function LiveMark({ updatedAt }: { updatedAt?: Date }) {
  const { lang, t } = useDirText();
  const status = useLiveStatus(DIRECTIVE_TOPICS);
  return (
    <span className={`live-mark live-${status}`} data-testid="live-mark">
      <span className="live-dot" aria-hidden="true" />
      {status === 'open' ? t('live') : status === 'lost' ? t('liveLost') : t('liveConnecting')}
      {updatedAt && status === 'open' && (
        <span className="muted"> · {t('updated', { time: formatDateTime(lang, updatedAt) })}</span>
      )}
    </span>
  );
}
