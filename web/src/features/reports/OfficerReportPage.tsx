import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, ApiError, client, csrfHeader } from '../../shared/api/client.ts';
import type { Me } from '../../shared/api/types.ts';
import { getLang } from '../../shared/i18n.ts';
import { useLiveInvalidate } from '../../shared/live.ts';
import { Loading } from '../../shared/ui.tsx';
import { DIRECTIVE_TOPICS } from '../directives/data.ts';
import { BackLink } from '../directives/parts.tsx';
import {
  errorText,
  fieldErrors,
  searchPlaces,
  uploadWithProgress,
  uuid,
  type OfficerReport,
} from './api.ts';
import { useReportText, type ReportKey } from './messages.ts';
import { CitizenMessages } from './CitizenMessages.tsx';
import { PhotoField } from './PhotoField.tsx';
import { History, Photos, ReportFacts, unitNames } from './ReportParts.tsx';
import './reports.css';

type Action = 'acknowledge' | 'transfer' | 'request-info' | 'answer' | 'close' | 'refuse';

/** Which action each status allows (src/domain/citizen-report.ts ALLOWED, the officers'). */
const ALLOWED: Record<Action, readonly string[]> = {
  acknowledge: ['received', 'forwarded', 'reopened'],
  transfer: ['received', 'forwarded', 'in_progress', 'reopened'],
  'request-info': ['in_progress'],
  answer: ['in_progress'],
  close: ['in_progress', 'answered'],
  refuse: ['received', 'forwarded', 'in_progress', 'reopened'],
};
const LABEL: Record<Action, ReportKey> = {
  acknowledge: 'offAcknowledge',
  transfer: 'offTransfer',
  'request-info': 'offAsk',
  answer: 'offAnswer',
  close: 'offClose',
  refuse: 'offRefuse',
};
const ACTIONS = Object.keys(ALLOWED) as Action[];

const reportKey = (id: string) => ['report', id] as const;

const uploadAttachment = (file: File, onProgress: (f: number) => void) => {
  const token = csrfHeader();
  return uploadWithProgress<{ id: number }>('/api/attachments', file, onProgress, {
    'Accept-Language': getLang(),
    Accept: 'application/json',
    ...(token ? { 'X-CSRF-Token': token } : {}),
  });
};

/**
 * `/phan-anh-xu-ly/:id`: a citizen's report for the officers who handle it: the citizen's
 * contact (never public), the full history with who acted, and the actions its status allows.
 */
export function OfficerReportPage({ id, me }: { id: string; me: Me }) {
  const { lang, t } = useReportText();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: reportKey(id),
    queryFn: ({ signal }) =>
      answer(client.GET('/api/reports/{id}', { params: { path: { id: Number(id) } }, signal })),
  });
  // Another officer acting on it (or the citizen adding to it) moves its task: read it again.
  useLiveInvalidate(
    DIRECTIVE_TOPICS,
    (topic, data) =>
      topic === 'task' && (data.reportId === Number(id) || data.reportId === id)
        ? [reportKey(id)]
        : [],
    [reportKey(id)],
  );
  const [open, setOpen] = useState<Exclude<Action, 'acknowledge'> | null>(null);
  const [saved, setSaved] = useState('');
  const head = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (q.data) head.current?.focus();
    // the title takes the focus once, when the report first shows
  }, [q.data === undefined]);

  if (q.error)
    return (
      <div className="page dir-page">
        <BackLink />
        <p className="pa-error" role="alert">
          {errorText(lang, q.error)}
        </p>
      </div>
    );
  const r = q.data;
  if (!r)
    return (
      <div className="page dir-page">
        <Loading />
      </div>
    );

  const mayAct = me.permissions.includes('task.report');
  const allowed = ACTIONS.filter((a) => ALLOWED[a].includes(r.status));
  const done = (next: OfficerReport) => {
    qc.setQueryData(reportKey(id), next);
    setOpen(null);
    setSaved(t('offDone'));
  };

  return (
    <div className="page dir-page pa-officer" data-testid="officer-report">
      <BackLink />
      <h1 ref={head} tabIndex={-1}>
        {t('offTitle', { code: r.code })}
        {r.overdue && <span className="pa-status pa-status-refused"> {t('offOverdue')}</span>}
      </h1>

      <ReportFacts r={r} />

      <section className="pa-card" aria-labelledby="pa-contact">
        <h2 id="pa-contact" className="pa-h2">
          {t('offContact')}
        </h2>
        {r.contact.phone || r.contact.email ? (
          <dl className="pa-facts" data-testid="contact">
            {r.contact.phone && (
              <>
                <dt>{t('offPhone')}</dt>
                <dd>
                  <a href={`tel:${r.contact.phone}`}>{r.contact.phone}</a>
                </dd>
              </>
            )}
            {r.contact.email && (
              <>
                <dt>{t('offEmail')}</dt>
                <dd>
                  <a href={`mailto:${r.contact.email}`}>{r.contact.email}</a>
                </dd>
              </>
            )}
          </dl>
        ) : (
          <p className="pa-muted">{t('offNoContact')}</p>
        )}
      </section>
      <CitizenMessages r={r} />

      {mayAct && (
        <section className="pa-card" aria-labelledby="pa-actions" data-testid="report-actions">
          <h2 id="pa-actions" className="pa-h2">
            {t('offActions')}
          </h2>
          {r.photoRequired && <p className="pa-note">{t('offPhotoRequired')}</p>}
          {saved && (
            <p className="pa-note" role="status" data-testid="action-saved">
              {saved}
            </p>
          )}
          {allowed.length === 0 ? (
            <p className="pa-muted">{t('offNoActions')}</p>
          ) : (
            <div className="pa-actions">
              {allowed.map((a) =>
                a === 'acknowledge' ? (
                  <Acknowledge key={a} id={r.id} onDone={done} />
                ) : (
                  <button
                    key={a}
                    type="button"
                    className={`pa-btn${open === a ? ' pa-btn-primary' : ''}`}
                    aria-expanded={open === a}
                    onClick={() => {
                      setSaved('');
                      setOpen(open === a ? null : a);
                    }}
                    data-testid={`action-${a}`}
                  >
                    {t(LABEL[a])}
                  </button>
                ),
              )}
            </div>
          )}
          {open && allowed.includes(open) && (
            <ActionForm
              key={open}
              action={open}
              report={r}
              onDone={done}
              onCancel={() => setOpen(null)}
            />
          )}
        </section>
      )}

      {r.answer && (
        <section className="pa-answer" data-testid="officer-answer">
          <h2 className="pa-h2">{t('answerTitle', { unit: r.handler.fullName })}</h2>
          <p className="pa-text">{r.answer}</p>
          <Photos photos={r.answerPhotos} />
        </section>
      )}
      <h2 className="pa-h2">{t('historyTitle')}</h2>
      <History events={r.history} names={unitNames(r)} />
    </div>
  );
}

/** The action's answer or its error, the same way for every action. */
function useSend(onDone: (r: OfficerReport) => void) {
  const { lang } = useReportText();
  const [error, setError] = useState<{
    text: string;
    code: string;
    fields: Record<string, string>;
  }>();
  const [busy, setBusy] = useState(false);
  const key = useRef(uuid());
  const send = async (call: (key: string) => Promise<{ data?: OfficerReport }>) => {
    setBusy(true);
    setError(undefined);
    try {
      const { data } = await call(key.current);
      if (!data) throw new ApiError(0, 'network', '', undefined);
      key.current = uuid();
      onDone(data);
    } catch (e) {
      setError({
        text: errorText(lang, e),
        code: e instanceof ApiError ? e.code : '',
        fields: fieldErrors(lang, e),
      });
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, send };
}

function Acknowledge({ id, onDone }: { id: number; onDone: (r: OfficerReport) => void }) {
  const { t } = useReportText();
  const { error, busy, send } = useSend(onDone);
  return (
    <>
      <button
        type="button"
        className="pa-btn pa-btn-primary"
        disabled={busy}
        onClick={() =>
          void send((key) =>
            client.POST('/api/reports/{id}/acknowledge', {
              params: { path: { id }, header: { 'Idempotency-Key': key } },
              body: {},
            }),
          )
        }
        data-testid="action-acknowledge"
      >
        {t('offAcknowledge')}
      </button>
      {error && <ActionError error={error} />}
    </>
  );
}

function ActionError({ error }: { error: { text: string; code: string } }) {
  const { t } = useReportText();
  return (
    <p className="pa-error" role="alert" data-testid="action-error" data-code={error.code}>
      {error.code === 'proof_required' ? t('offProof', { msg: error.text }) : error.text}
    </p>
  );
}

/** A unit to transfer to: communes anywhere by name, and the units of the officer's scope. */
function UnitSearch({ onPick }: { onPick: (u: { code: string; name: string } | null) => void }) {
  const { lang, t } = useReportText();
  const id = useId();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<{ code: string; name: string } | null>(null);
  useEffect(() => {
    const h = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(h);
  }, [typed]);
  const found = useQuery({
    queryKey: ['report-transfer-units', q],
    enabled: q.length >= 2 && !picked,
    queryFn: async ({ signal }) => {
      const [places, units] = await Promise.all([
        searchPlaces(q, signal).catch(() => ({ items: [] })),
        answer(client.GET('/api/orgunits', { params: { query: { q, limit: 8 } }, signal })).catch(
          () => ({ items: [] }),
        ),
      ]);
      const out = new Map<string, { code: string; name: string; detail: string }>();
      for (const p of places.items)
        out.set(p.commune.code, {
          code: p.commune.code,
          name: p.commune.fullName,
          detail: p.province?.fullName ?? '',
        });
      for (const u of units.items)
        if (!out.has(u.code))
          out.set(u.code, {
            code: u.code,
            name: u.fullName,
            detail: u.ancestors
              .filter((a) => a.level > 0)
              .map((a) => a.fullName)
              .join(', '),
          });
      return [...out.values()];
    },
  });
  if (picked)
    return (
      <div className="pa-place-chosen" data-testid="transfer-unit">
        <strong>{t('offUnitChosen', { name: picked.name })}</strong>
        <button
          type="button"
          className="pa-btn pa-btn-small"
          onClick={() => {
            setPicked(null);
            onPick(null);
          }}
        >
          {t('placeChange')}
        </button>
      </div>
    );
  return (
    <>
      <label htmlFor={id} className="pa-label">
        {t('offUnitSearch')}
      </label>
      <input
        id={id}
        type="search"
        className="pa-input"
        value={typed}
        placeholder={t('offUnitSearchHint')}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
        data-testid="transfer-search"
      />
      {found.error ? <p className="pa-error">{errorText(lang, found.error)}</p> : null}
      {found.data && (
        <ul className="pa-choices">
          {found.data.length === 0 && <li className="pa-choice">{t('placeNone', { q })}</li>}
          {found.data.map((u) => (
            <li key={u.code}>
              <button
                type="button"
                className="pa-choice"
                onClick={() => {
                  setPicked(u);
                  onPick(u);
                }}
              >
                <strong>{u.name}</strong>
                {u.detail && <span className="pa-muted">, {u.detail}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ActionForm({
  action,
  report,
  onDone,
  onCancel,
}: {
  action: Exclude<Action, 'acknowledge'>;
  report: OfficerReport;
  onDone: (r: OfficerReport) => void;
  onCancel: () => void;
}) {
  const { t } = useReportText();
  const id = useId();
  const { error, busy, send } = useSend(onDone);
  const [text, setText] = useState('');
  const [internal, setInternal] = useState('');
  const [unit, setUnit] = useState<{ code: string; name: string } | null>(null);
  const [photos, setPhotos] = useState<number[]>([]);
  const [photosBusy, setPhotosBusy] = useState(false);
  const [local, setLocal] = useState('');
  const textLabel: Record<typeof action, ReportKey> = {
    transfer: 'offReasonPublic',
    'request-info': 'offQuestion',
    answer: 'offAnswerText',
    close: 'offCloseNote',
    refuse: 'offReasonPublic',
  };
  const withPhotos = action === 'answer' || action === 'close';
  const withInternal = action === 'transfer' || action === 'answer';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setLocal('');
    if (action === 'transfer' && !unit) return setLocal(t('offUnitSearch'));
    if (photosBusy) return setLocal(t('waitPhotos'));
    // A close after an answer may say nothing more.
    if (!text.trim() && !(action === 'close' && report.answer)) return setLocal(t('fieldRequired'));
    const id = report.id;
    const note = internal.trim() ? { internalNote: internal } : {};
    const files = photos.length ? { attachmentIds: photos } : {};
    void send((key) => {
      const params = { path: { id }, header: { 'Idempotency-Key': key } };
      switch (action) {
        case 'transfer':
          return client.POST('/api/reports/{id}/transfer', {
            params,
            body: { unit: unit!.code, reason: text, ...note },
          });
        case 'request-info':
          return client.POST('/api/reports/{id}/request-info', {
            params,
            body: { question: text },
          });
        case 'answer':
          return client.POST('/api/reports/{id}/answer', {
            params,
            body: { answer: text, ...note, ...files },
          });
        case 'close':
          return client.POST('/api/reports/{id}/close', {
            params,
            body: { ...(text.trim() ? { note: text } : {}), ...files },
          });
        case 'refuse':
          return client.POST('/api/reports/{id}/refuse', { params, body: { reason: text } });
      }
    });
  };

  const field = (label: ReportKey, value: string, set: (s: string) => void, testId: string) => (
    <>
      <label htmlFor={`${id}-${testId}`} className="pa-label">
        {t(label)}
      </label>
      <textarea
        id={`${id}-${testId}`}
        className="pa-input"
        rows={testId === 'action-text' ? 4 : 2}
        value={value}
        onChange={(e) => set(e.target.value)}
        data-testid={testId}
      />
    </>
  );

  let body: ReactNode = null;
  if (action === 'transfer') body = <UnitSearch onPick={setUnit} />;
  return (
    <form className="pa-action-form" onSubmit={submit} noValidate data-testid={`form-${action}`}>
      <h3 className="pa-h2">{t(LABEL[action])}</h3>
      {body}
      {field(textLabel[action], text, setText, 'action-text')}
      {withInternal && field('offInternal', internal, setInternal, 'action-internal')}
      {withPhotos && (
        <PhotoField
          upload={uploadAttachment}
          max={10}
          legend={t('offPhotos')}
          testId="answer-photos"
          onChange={(done, busy) => {
            setPhotos(done.map((p) => p.id));
            setPhotosBusy(busy);
          }}
        />
      )}
      {local && (
        <p className="pa-error" role="alert">
          {local}
        </p>
      )}
      {error && <ActionError error={error} />}
      {error && Object.values(error.fields).length > 1 && (
        <ul className="pa-error">
          {Object.entries(error.fields).map(([k, v]) => (
            <li key={k}>{v}</li>
          ))}
        </ul>
      )}
      <div className="pa-actions">
        <button
          type="submit"
          className="pa-btn pa-btn-primary"
          disabled={busy}
          data-testid="action-submit"
        >
          {busy ? t('sendingShort') : t(LABEL[action])}
        </button>
        <button type="button" className="pa-btn" onClick={onCancel}>
          {t('offCancel')}
        </button>
      </div>
    </form>
  );
}
