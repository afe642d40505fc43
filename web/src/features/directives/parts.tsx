import { useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { ErrorBox } from '../../shared/ui.tsx';
import { formatDate, formatDateTime } from '../../shared/format.ts';
import {
  DIRECTIVE_TOPICS,
  fileName,
  uploadAttachment,
  vnToday,
  type Attachment,
  type Priority,
} from './data.ts';
import { useLiveStatus } from '../../shared/live.ts';
import { dirLabel, useDirText } from './messages.ts';
import { DIRECTIVES_PATH, DirLink } from './nav.tsx';
// The directive, task and plan screens share these parts and their styles.
import './directives.css';

export function PriorityTag({ priority }: { priority: Priority }) {
  const { lang } = useDirText();
  return (
    <span className={`tag prio prio-${priority}`} data-testid="priority">
      {dirLabel(lang, 'priority', priority)}
    </span>
  );
}

export function StatusTag({ status }: { status: string }) {
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

/** Files attached to a form: uploaded as they are chosen, removable until it is sent. */
export function useAttachments(onError: (e: unknown) => void) {
  const [files, setFiles] = useState<Attachment[]>([]);
  const [uploading, setUploading] = useState(false);
  const add = async (list: FileList | null) => {
    if (!list?.length) return;
    setUploading(true);
    onError(null);
    try {
      const added: Attachment[] = [];
      for (const f of Array.from(list)) added.push(await uploadAttachment(f));
      setFiles((old) => [...old, ...added]);
    } catch (e) {
      onError(e);
    } finally {
      setUploading(false);
    }
  };
  const remove = (id: Attachment['id']) => setFiles((old) => old.filter((x) => x.id !== id));
  return { files, uploading, add, remove, clear: () => setFiles([]) };
}

/** The file field of a form, with its hint (or "uploading…"). */
export function AttachInput({
  id,
  label,
  attachments,
}: {
  id: string;
  label: string;
  attachments: ReturnType<typeof useAttachments>;
}) {
  const { t } = useDirText();
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        multiple
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          void attachments.add(e.target.files);
          e.target.value = '';
        }}
      />
      <span id={`${id}-hint`} className="hint">
        {attachments.uploading ? t('uploading') : t('attachHint')}
      </span>
    </>
  );
}

/** The files attached so far, each with a button to take it off. */
export function AttachedFiles({ attachments }: { attachments: ReturnType<typeof useAttachments> }) {
  const { t } = useDirText();
  if (attachments.files.length === 0) return null;
  return (
    <ul className="dir-files">
      {attachments.files.map((f) => (
        <li key={String(f.id)}>
          {fileName(f)}{' '}
          <button
            type="button"
            className="btn btn-small"
            aria-label={t('removeFile', { name: fileName(f) })}
            onClick={() => attachments.remove(f.id)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Back to the list of directives and tasks. */
export function BackLink() {
  const { t } = useDirText();
  return (
    <DirLink to={DIRECTIVES_PATH} className="back-link">
      ← {t('backToInbox')}
    </DirLink>
  );
}

/**
 * The page of a directive or task form: back link, heading, the form, and above its fields the
 * error box that takes the focus when a send is refused.
 */
export function FormPage({
  title,
  intro,
  testId,
  errorTestId,
  error,
  errorRef,
  onSubmit,
  children,
}: {
  title: string;
  intro: string;
  testId: string;
  errorTestId: string;
  error: unknown;
  errorRef: RefObject<HTMLDivElement | null>;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <div className="page dir-page">
      <BackLink />
      <div className="page-head">
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
      </div>
      <form className="card dir-form" onSubmit={onSubmit} noValidate data-testid={testId}>
        <div ref={errorRef} tabIndex={-1}>
          {error ? <ErrorBox error={error} testId={errorTestId} /> : null}
        </div>
        {children}
      </form>
    </div>
  );
}

/** The due date of a directive or task: today or later, shown the Vietnamese way beneath. */
export function DueDateField({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const { lang, t } = useDirText();
  return (
    <div className="field">
      <label htmlFor={id}>{t('dueLabel')}</label>
      <input
        id={id}
        type="date"
        required
        min={vnToday()}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={`${id}-shown`}
      />
      <span id={`${id}-shown`} className="hint">
        {value ? t('dueShown', { date: formatDate(lang, value) }) : ''}
      </span>
    </div>
  );
}
