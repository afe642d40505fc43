import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client } from '../../shared/api/client.ts';

import {
  errorText,
  fieldErrors,
  formatDateTime,
  loadPublicReport,
  uuid,
  type PublicReport,
} from './api.ts';
import { useReportText } from './messages.ts';
import { History, Photos, ReportFacts, unitNames } from './ReportParts.tsx';
import { LookupForm } from './LookupPage.tsx';

const reportKey = (code: string) => ['public', 'report', code] as const;

/** `/phan-anh/:code`: the report, its handler, its public history and the citizen's actions. */
export function StatusPage({ code }: { code: string }) {
  const { lang, t } = useReportText();
  const q = useQuery({
    queryKey: reportKey(code),
    queryFn: ({ signal }) => loadPublicReport(code, signal),
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
    refetchOnWindowFocus: true,
  });
  const head = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${t('statusTitle', { code })} — ${t('brand')}`;
  }, [code, lang]);

  if (q.error && !q.data)
    return (
      <div className="pa-page">
        <p className="pa-error" role="alert" data-testid="status-error">
          {q.error instanceof ApiError && q.error.status === 404
            ? t('notFoundCode', { code })
            : errorText(lang, q.error)}
        </p>
        <LookupForm initial={code} />
      </div>
    );
  const r = q.data;
  if (!r)
    return (
      <p className="pa-muted" role="status">
        {t('loading')}
      </p>
    );

  const reopenOpen =
    (r.status === 'answered' || r.status === 'closed') &&
    r.reopenUntil !== null &&
    new Date(r.reopenUntil).getTime() > Date.now();
  const rateOpen = (r.status === 'answered' || r.status === 'closed') && r.rating === null;
  const answerEvent = [...r.history].reverse().find((e) => e.kind === 'answered');

  return (
    <article className="pa-page" data-testid="status-page">
      <div className="pa-title-row">
        <h1 ref={head} tabIndex={-1}>
          {t('statusTitle', { code: r.code })}
        </h1>
        <button
          type="button"
          className="pa-btn pa-btn-small"
          onClick={() => void q.refetch()}
          disabled={q.isFetching}
          data-testid="refresh"
        >
          <span aria-hidden="true">↻ </span>
          {t('refresh')}
        </button>
      </div>
      <p className="pa-small pa-muted" aria-live="polite">
        {t('refreshed', { t: formatDateTime(lang, new Date(q.dataUpdatedAt)) })}
      </p>

      {r.infoRequested && (
        <CitizenAction
          code={r.code}
          title={t('infoAskedTitle')}
          intro={
            [...r.history].reverse().find((e) => e.kind === 'info_requested')?.note ?? undefined
          }
          label={t('infoLabel')}
          send={t('infoSend')}
          path="/api/public/reports/{code}/info"
          testId="add-info"
          highlight
        />
      )}

      {r.answer && (
        <section className="pa-answer" data-testid="answer">
          <h2 className="pa-h2">{t('answerTitle', { unit: r.handler.fullName })}</h2>
          {r.answeredAt && (
            <p className="pa-small pa-muted">{formatDateTime(lang, r.answeredAt)}</p>
          )}
          <p className="pa-text">{r.answer}</p>
          <Photos photos={r.answerPhotos} testId="answer-photos" />
        </section>
      )}
      {!r.answer && answerEvent?.note && (
        <section className="pa-answer" data-testid="answer">
          <p className="pa-text">{answerEvent.note}</p>
        </section>
      )}
      {r.refusedReason && (
        <section className="pa-answer pa-refused">
          <h2 className="pa-h2">{t('refusedTitle')}</h2>
          <p className="pa-text">{r.refusedReason}</p>
        </section>
      )}

      {r.rating ? (
        <p className="pa-note" data-testid="rated">
          {'★'.repeat(r.rating.stars)}
          {'☆'.repeat(5 - r.rating.stars)} {t('rated', { n: r.rating.stars })}
        </p>
      ) : (
        rateOpen && <RateForm code={r.code} />
      )}
      {reopenOpen && (
        <CitizenAction
          code={r.code}
          title={t('reopenTitle')}
          intro={t('reopenIntro', { until: formatDateTime(lang, r.reopenUntil!) })}
          label={t('reopenLabel')}
          send={t('reopenSend')}
          path="/api/public/reports/{code}/reopen"
          testId="reopen"
          collapsed
        />
      )}

      <ReportFacts r={r} />

      <h2 className="pa-h2">{t('historyTitle')}</h2>
      <History events={r.history} names={unitNames(r)} />
    </article>
  );
}

/** The report as the server answered an action: shown at once. */
function useShowReport(code: string) {
  const qc = useQueryClient();
  return (r: PublicReport) => qc.setQueryData(reportKey(code), r);
}

/** One text sent by code: the information asked, or the reason to reopen. */
function CitizenAction({
  code,
  title,
  intro,
  label,
  send,
  path,
  testId,
  highlight,
  collapsed,
}: {
  code: string;
  title: string;
  intro?: string;
  label: string;
  send: string;
  path: '/api/public/reports/{code}/info' | '/api/public/reports/{code}/reopen';
  testId: string;
  highlight?: boolean;
  collapsed?: boolean;
}) {
  const { lang, t } = useReportText();
  const id = useId();
  const show = useShowReport(code);
  const [open, setOpen] = useState(!collapsed);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const key = useRef(uuid());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) {
      setError(t('fieldRequired'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const params = { path: { code }, header: { 'Idempotency-Key': key.current } };
      const { data } =
        path === '/api/public/reports/{code}/info'
          ? await client.POST(path, { params, body: { info: text } })
          : await client.POST(path, { params, body: { reason: text } });
      if (data) {
        key.current = uuid();
        setText('');
        show(data);
      }
    } catch (err) {
      setError(Object.values(fieldErrors(lang, err))[0] ?? errorText(lang, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={`pa-card${highlight ? ' pa-ask' : ''}`} data-testid={testId}>
      <h2 className="pa-h2">{title}</h2>
      {intro && <p className="pa-text">{intro}</p>}
      {!open ? (
        <button type="button" className="pa-btn" onClick={() => setOpen(true)}>
          {send}
        </button>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label htmlFor={id} className="pa-label">
            {label}
          </label>
          <textarea
            id={id}
            className="pa-input"
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={error ? true : undefined}
          />
          {error && (
            <p className="pa-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="pa-btn pa-btn-primary" disabled={busy}>
            {busy ? t('sendingShort') : send}
          </button>
        </form>
      )}
    </section>
  );
}

/** 1 to 5 stars, once, with an optional comment. */
function RateForm({ code }: { code: string }) {
  const { lang, t } = useReportText();
  const id = useId();
  const show = useShowReport(code);
  const [stars, setStars] = useState(0);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const key = useRef(uuid());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!stars) {
      setError(t('rateLegend'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const { data } = await client.POST('/api/public/reports/{code}/rating', {
        params: { path: { code }, header: { 'Idempotency-Key': key.current } },
        body: { stars, ...(note.trim() ? { note } : {}) },
      });
      if (data) show(data);
    } catch (err) {
      setError(Object.values(fieldErrors(lang, err))[0] ?? errorText(lang, err));
    } finally {
      setBusy(false);
    }
  };

  const star = (n: number): ReactNode => (
    <label key={n} className={`pa-star${n <= stars ? ' is-on' : ''}`}>
      <input
        type="radio"
        name={`${id}-stars`}
        value={n}
        checked={stars === n}
        onChange={() => setStars(n)}
        className="sr-only"
        data-testid={`star-${n}`}
      />
      <span aria-hidden="true">★</span>
      <span className="sr-only">{t('rateStar', { n })}</span>
    </label>
  );

  return (
    <section className="pa-card" data-testid="rate">
      <h2 className="pa-h2">{t('rateTitle')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="pa-stars">
          <legend className="pa-label">{t('rateLegend')}</legend>
          {[1, 2, 3, 4, 5].map(star)}
        </fieldset>
        <label htmlFor={`${id}-note`} className="pa-label">
          {t('rateNote')}
        </label>
        <textarea
          id={`${id}-note`}
          className="pa-input"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        {error && (
          <p className="pa-error" role="alert">
            {error}
          </p>
        )}
        <button
          type="submit"
          className="pa-btn pa-btn-primary"
          disabled={busy}
          data-testid="rate-send"
        >
          {busy ? t('sendingShort') : t('rateSend')}
        </button>
      </form>
    </section>
  );
}
