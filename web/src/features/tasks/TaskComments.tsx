import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { formatDateTime } from '../../shared/format.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { addComment, type Comment } from '../directives/data.ts';
import { useDirText } from '../directives/messages.ts';

/** The task's comments and, for those who may report, the form to add one. */
export function TaskComments({
  id,
  comments,
  mayComment,
  onSent,
}: {
  id: string;
  comments: Comment[] | undefined;
  mayComment: boolean;
  onSent: (c: Comment) => void;
}) {
  const { lang, t } = useDirText();
  const {
    register,
    handleSubmit,
    setValue,
    formState: { isSubmitting: busy },
  } = useForm<{ text: string }>({ defaultValues: { text: '' } });
  const [error, setError] = useState<unknown>(null);

  const send = async ({ text }: { text: string }) => {
    setError(null);
    const body = text.trim();
    if (!body) {
      setError(new Error(t('commentEmpty')));
      return;
    }
    try {
      onSent(await addComment(id, body));
      setValue('text', '');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="card" aria-labelledby="task-comments">
      <h2 id="task-comments" className="section-title">
        {t('comments')}
        {comments && comments.length > 0 && <span className="count-pill">{comments.length}</span>}
      </h2>
      <div className="dir-report-body">
        {!comments ? (
          <Loading />
        ) : comments.length === 0 ? (
          <p className="empty">{t('commentsEmpty')}</p>
        ) : (
          <ol className="dir-comments" data-testid="comments">
            {comments.map((c) => (
              <li key={c.id} data-testid="comment">
                <span className="dir-comment-head">
                  <strong>{c.authorName}</strong>
                  <span className="muted"> · {formatDateTime(lang, c.createdAt)}</span>
                </span>
                <span className="dir-comment-body">{c.body}</span>
              </li>
            ))}
          </ol>
        )}
        {mayComment && (
          <form onSubmit={(e) => void handleSubmit(send)(e)} noValidate data-testid="comment-form">
            {error ? <ErrorBox error={error} testId="comment-error" /> : null}
            <div className="field">
              <label htmlFor="task-comment">{t('comment')}</label>
              <textarea id="task-comment" rows={2} maxLength={5000} {...register('text')} />
            </div>
            <div className="dir-actions">
              <button type="submit" className="btn" disabled={busy}>
                {busy ? t('sending') : t('commentSend')}
              </button>
            </div>
          </form>
        )}
      </div>
    </section>
  );
}
