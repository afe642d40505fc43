import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, client, type Schemas } from '../../shared/api/client.ts';
import { errorText, fieldErrors, formatDateTime, uuid } from './api.ts';
import { useReportText, type ReportKey } from './messages.ts';

/**
 * `/phan-anh/tin-rac`: the 5656 line on the web (issue 20) — a spam message or call reported
 * without an account, as texting 5656 does: the number, SMS or call, the message, the
 * reporter's operator and when it came. "Tin rác" is what people call both; the page says
 * both. The server checks the number (one canonical form) and answers each problem by field.
 */

export const SPAM_PATH = '/phan-anh/tin-rac';

type Receipt = Schemas['SpamPublicReceipt'];
type Kind = 'sms' | 'call';
type Field = 'number' | 'kind' | 'content' | 'operator' | 'reportedAt' | 'form';

/** The operators as domain/spam.ts lists them, with their own spelling. */
const OPERATORS: readonly (readonly [string, string])[] = [
  ['viettel', 'Viettel'],
  ['vinaphone', 'VinaPhone'],
  ['mobifone', 'MobiFone'],
  ['vietnamobile', 'Vietnamobile'],
  ['gmobile', 'Gmobile'],
  ['itelecom', 'Itelecom'],
  ['reddi', 'Reddi'],
  ['other', 'spamOperatorOther'],
];
const CONTENT_MAX = 2000;

/** A time as a datetime-local input holds it, in the phone's own time zone, to the minute. */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** 84912345678 → 0912 345 678; a short code, a foreign number or a name as the server wrote it. */
export function shownNumber(n: string): string {
  const m = /^84(\d{9,10})$/.exec(n);
  if (!m) return n;
  const d = '0' + m[1];
  return d.length === 10
    ? `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}`
    : `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`;
}

/** A reason as the server words it ("số Việt Nam có…"), as a sentence by a field. */
const sentence = (s: string) =>
  s ? s[0]!.toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? '' : '.') : s;

export function SpamPage() {
  const { lang, t } = useReportText();
  const id = useId();
  const [kind, setKind] = useState<Kind>('sms');
  const [number, setNumber] = useState('');
  const [content, setContent] = useState('');
  const [operator, setOperator] = useState('');
  const [at, setAt] = useState(() => localInput(new Date()));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [errorCode, setErrorCode] = useState('');
  const [sending, setSending] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  // One key per report sent: a double tap or a retry after a lost answer stores it once; a
  // report changed after an error is another report, with a key of its own.
  const sent = useRef<{ body: string; key: string } | null>(null);
  const busy = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const head = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${t('spamTitle')} — ${t('brand')}`;
  }, [lang]);
  useEffect(() => {
    if (receipt) head.current?.focus();
  }, [receipt]);

  const clear = (f: Field) =>
    setErrors((e) => (e[f] || e.form ? { ...e, [f]: undefined, form: undefined } : e));

  if (receipt)
    return (
      <section className="pa-receipt" data-testid="spam-receipt">
        <h1 ref={head} tabIndex={-1}>
          <span aria-hidden="true" className="pa-ok">
            ✓{' '}
          </span>
          {t('spamReceiptTitle')}
        </h1>
        <dl className="pa-facts">
          <dt>{t('spamReceiptId')}</dt>
          <dd data-testid="spam-receipt-id">{receipt.id}</dd>
          <dt>{t('spamReceiptNumber')}</dt>
          <dd data-testid="spam-receipt-number">{shownNumber(receipt.number)}</dd>
          <dt>{t('spamReceiptKind')}</dt>
          <dd>{receipt.kind === 'sms' ? t('spamKindSms') : t('spamKindCall')}</dd>
          <dt>{t('spamReceiptAt')}</dt>
          <dd>{formatDateTime(lang, receipt.receivedAt)}</dd>
        </dl>
        <p className="pa-note">{t('spamReceiptNext')}</p>
        <button
          type="button"
          className="pa-btn pa-btn-primary"
          data-testid="spam-another"
          onClick={() => {
            sent.current = null;
            setReceipt(null);
            setNumber('');
            setContent('');
            setAt(localInput(new Date()));
          }}
        >
          {t('spamAnother')}
        </button>
      </section>
    );

  const focusFirstError = () =>
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .pa-error')?.focus(),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A second tap before the first answer: the button is not disabled yet on a slow phone.
    if (busy.current) return;
    const found: Partial<Record<Field, string>> = {};
    if (!number.trim()) found.number = t('spamNumberMissing');
    if (kind === 'sms' && !content.trim()) found.content = t('spamContentMissing');
    else if (content.trim().length > CONTENT_MAX)
      found.content = t('descriptionTooLong', { n: CONTENT_MAX.toLocaleString('de-DE') });
    if (!operator) found.operator = t('spamOperatorMissing');
    const when = at ? new Date(at) : undefined;
    if (!when || Number.isNaN(when.getTime())) found.reportedAt = t('spamTimeMissing');
    setErrors(found);
    setErrorCode('');
    if (Object.keys(found).length) {
      focusFirstError();
      return;
    }
    const body = {
      number: number.trim(),
      kind,
      ...(content.trim() ? { content: content.trim() } : {}),
      operator,
      reportedAt: when!.toISOString(),
    };
    const text = JSON.stringify(body);
    if (sent.current?.body !== text) sent.current = { body: text, key: uuid() };
    busy.current = true;
    setSending(true);
    try {
      const { data } = await client.POST('/api/public/spamReports', {
        params: { header: { 'Idempotency-Key': sent.current.key } },
        body,
      });
      if (!data) throw new ApiError(0, 'network', '', undefined);
      setReceipt(data);
      window.scrollTo(0, 0);
    } catch (err) {
      const next: Partial<Record<Field, string>> = {};
      const fields: Field[] = ['number', 'kind', 'content', 'operator', 'reportedAt'];
      const problems =
        err instanceof ApiError
          ? (err.details as { problems?: { field?: string; vi?: string; en?: string }[] })?.problems
          : undefined;
      for (const p of Array.isArray(problems) ? problems : []) {
        const f = fields.find((x) => x === p.field) ?? 'form';
        const text = sentence((lang === 'vi' ? p.vi : p.en) ?? p.en ?? '');
        next[f] = next[f] ? `${next[f]}; ${text}` : text;
      }
      for (const [path, text] of Object.entries(fieldErrors(lang, err))) {
        const f = fields.find((x) => path.startsWith(x)) ?? 'form';
        next[f] ??= text;
      }
      const code = err instanceof ApiError ? err.code : '';
      if (Object.keys(next).length === 0)
        next.form =
          code === 'rate_limited'
            ? t('spamTooMany', { msg: errorText(lang, err) })
            : errorText(lang, err);
      else if (!next.form) next.form = t('fixAbove');
      setErrors(next);
      setErrorCode(code);
      focusFirstError();
    } finally {
      busy.current = false;
      setSending(false);
    }
  };

  const err = (f: Field) =>
    errors[f] ? (
      <p
        className="pa-error"
        id={`${id}-${f}-error`}
        tabIndex={-1}
        data-testid={`spam-error-${f}`}
        {...(f === 'form' ? { role: 'alert', 'data-code': errorCode || undefined } : {})}
      >
        {errors[f]}
      </p>
    ) : null;
  const invalid = (f: Field) =>
    errors[f] ? { 'aria-invalid': true, 'aria-errormessage': `${id}-${f}-error` } : {};
  const count = content.trim().length;

  return (
    <form
      ref={formRef}
      className="pa-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="spam-form"
    >
      <h1>{t('spamTitle')}</h1>
      <p className="pa-muted">{t('spamIntro')}</p>

      <fieldset className="pa-step">
        <legend>{t('spamKindLegend')}</legend>
        <div className="pa-radios pa-radios-2" role="radiogroup">
          {(['sms', 'call'] as const).map((k) => (
            <label key={k} className="pa-radio">
              <input
                type="radio"
                name="kind"
                value={k}
                checked={kind === k}
                onChange={() => {
                  setKind(k);
                  clear('kind');
                  clear('content');
                }}
                data-testid={`spam-kind-${k}`}
              />
              <strong>{k === 'sms' ? t('spamKindSms') : t('spamKindCall')}</strong>
            </label>
          ))}
        </div>
        {err('kind')}
      </fieldset>

      <fieldset className="pa-step">
        <legend className="sr-only">{t('spamTitle')}</legend>
        <label htmlFor={`${id}-number`} className="pa-label">
          {t('spamNumberLabel')}
        </label>
        <p className="pa-muted pa-small" id={`${id}-number-hint`}>
          {t('spamNumberHint')}
        </p>
        <input
          id={`${id}-number`}
          className="pa-input pa-number-input"
          type="text"
          inputMode="tel"
          autoComplete="off"
          spellCheck={false}
          value={number}
          onChange={(e) => {
            setNumber(e.target.value);
            clear('number');
          }}
          aria-describedby={`${id}-number-hint`}
          {...invalid('number')}
          data-testid="spam-number"
        />
        {err('number')}

        <label htmlFor={`${id}-content`} className="pa-label">
          {kind === 'sms' ? t('spamContentLabel') : t('spamContentCallLabel')}
        </label>
        {kind === 'sms' && (
          <p className="pa-muted pa-small" id={`${id}-content-hint`}>
            {t('spamContentHint')}
          </p>
        )}
        <textarea
          id={`${id}-content`}
          className="pa-input"
          rows={kind === 'sms' ? 4 : 2}
          value={content}
          onChange={(e) => {
            setContent(e.target.value);
            clear('content');
          }}
          aria-describedby={`${kind === 'sms' ? `${id}-content-hint ` : ''}${id}-content-count`}
          {...invalid('content')}
          data-testid="spam-content"
        />
        <p
          className={`pa-count${count > CONTENT_MAX ? ' pa-over' : ''}`}
          id={`${id}-content-count`}
        >
          {t('descriptionCount', {
            n: count.toLocaleString('de-DE'),
            max: CONTENT_MAX.toLocaleString('de-DE'),
          })}
        </p>
        {err('content')}

        <label htmlFor={`${id}-operator`} className="pa-label">
          {t('spamOperatorLabel')}
        </label>
        <select
          id={`${id}-operator`}
          className="pa-input"
          value={operator}
          onChange={(e) => {
            setOperator(e.target.value);
            clear('operator');
          }}
          {...invalid('operator')}
          data-testid="spam-operator"
        >
          <option value="">{t('spamOperatorChoose')}</option>
          {OPERATORS.map(([code, name]) => (
            <option key={code} value={code}>
              {code === 'other' ? t(name as ReportKey) : name}
            </option>
          ))}
        </select>
        {err('operator')}

        <label htmlFor={`${id}-at`} className="pa-label">
          {t('spamTimeLabel')}
        </label>
        <p className="pa-muted pa-small" id={`${id}-at-hint`}>
          {t('spamTimeHint')}
        </p>
        <input
          id={`${id}-at`}
          className="pa-input"
          type="datetime-local"
          value={at}
          max={localInput(new Date())}
          onChange={(e) => {
            setAt(e.target.value);
            clear('reportedAt');
          }}
          aria-describedby={`${id}-at-hint`}
          {...invalid('reportedAt')}
          data-testid="spam-at"
        />
        {err('reportedAt')}
      </fieldset>

      {err('form')}
      <button
        type="submit"
        className="pa-btn pa-btn-primary pa-btn-block"
        disabled={sending}
        data-testid="spam-send"
      >
        {sending ? t('sending') : t('spamSend')}
      </button>
    </form>
  );
}
