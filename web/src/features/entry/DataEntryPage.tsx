import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useBlocker, useSearch } from '@tanstack/react-router';
import { checkValue } from '../../../../src/domain/data-value.ts';
import {
  formatPeriodEn,
  formatPeriodVi,
  nextPeriod,
  parsePeriod,
  periodContaining,
  previousPeriod,
  type Period,
} from '../../../../src/domain/period.ts';
import {
  api,
  ApiError,
  query,
  type Bilingual,
  type EntryDataSet,
  type EntryDataSets,
  type EntryField,
  type EntryFieldError,
  type EntryForm,
  type EntrySaved,
  type Me,
  type OrgUnitList,
  type PeriodType,
  type ValueType,
} from '../../api.ts';
import { formatDate, getLang, translate, useI18n, type MessageKey } from '../../shared/i18n.ts';
import { useGo } from '../../shared/nav.tsx';
import { ErrorBox, Loading } from '../../shared/ui.tsx';

/**
 * "Nhập số liệu": a commune officer enters the commune's data set for a period. The address
 * holds the choice (?ds=<data set>&u=<unit>&p=<period>); values are checked as they are typed
 * (the same rules as the server's), saved all or nothing, and the server's per-field problems
 * are shown next to their fields.
 */

export const DATA_ENTRY_PATH = '/nhap-lieu';

const SEARCH_DEBOUNCE_MS = 250;
const PERIOD_CHOICES = 24;

// How many fields differ from what is stored; the header's links and sign-out ask before leaving.
let unsavedChanges = 0;

/** True when there is nothing unsaved, or the user agrees to discard it. */
export function confirmLeave(): boolean {
  if (unsavedChanges === 0) return true;
  const ok = window.confirm(translate(getLang(), 'entryUnsaved'));
  if (ok) unsavedChanges = 0;
  return ok;
}

interface Choice {
  ds: string;
  u: string;
  p: string;
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Yesterday for a daily report; the last finished week, month… otherwise. */
function defaultPeriod(type: PeriodType, today: string): string {
  if (type === 'day') return addDays(today, -1);
  if (type === 'range') return today;
  return previousPeriod(periodContaining(today, type)).id;
}

function tryParse(id: string): Period | null {
  try {
    return parsePeriod(id);
  } catch {
    return null;
  }
}

const TYPE_HINT: Record<ValueType, MessageKey> = {
  integer: 'entryTypeInteger',
  number: 'entryTypeNumber',
  percentage: 'entryTypePercentage',
  boolean: 'entryTypeBoolean',
  true_only: 'entryTypeTrueOnly',
  date: 'entryTypeDate',
  text: 'entryTypeText',
};

const TYPE_ERROR: Record<ValueType, MessageKey> = {
  integer: 'errInteger',
  number: 'errNumber',
  percentage: 'errPercentage',
  boolean: 'errBoolean',
  true_only: 'errTrueOnly',
  date: 'errDate',
  text: 'errText',
};

const stored = (f: EntryField) => f.value ?? '';
const valuesOf = (form: EntryForm) =>
  Object.fromEntries(form.fields.map((f) => [f.key, stored(f)]));
const fieldId = (key: string) => `f-${key}`;

function dateTime(iso: string, lang: 'vi' | 'en'): string {
  return new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function DataEntryPage({ me }: { me: Me }) {
  const { lang, t } = useI18n();
  const wanted = useSearch({ from: '/nhap-lieu/$' });
  const wantedRef = useRef(wanted);
  const go = useGo();
  // Leaving the form (a link, Back, Forward) asks first; a new choice here asks in `change`.
  useBlocker({
    shouldBlockFn: ({ next }) => next.pathname !== DATA_ENTRY_PATH && !confirmLeave(),
    enableBeforeUnload: false,
  });
  const [sets, setSets] = useState<EntryDataSets | null>(null);
  const [setsError, setSetsError] = useState<unknown>(null);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [form, setForm] = useState<EntryForm | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, Bilingual>>({});
  const [saved, setSaved] = useState<Bilingual | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [focusRequest, setFocusRequest] = useState<{ key: string; n: number } | null>(null);
  const savedRef = useRef<HTMLDivElement>(null);

  // The data sets this account can enter, then the first choice (from the address or defaults).
  useEffect(() => {
    const ctl = new AbortController();
    api<EntryDataSets>('/api/dataEntry/dataSets', { signal: ctl.signal })
      .then((r) => {
        setSets(r);
        const first = r.items[0];
        if (!first) return;
        const wanted = wantedRef.current;
        const ds = r.items.find((d) => d.code === wanted.ds) ?? first;
        const fromUrl = ds.code === wanted.ds;
        setChoice({
          ds: ds.code,
          u: (fromUrl && wanted.u) || ds.units[0]!.code,
          p:
            (fromUrl && wanted.p && tryParse(wanted.p)?.id) ||
            defaultPeriod(ds.periodType, r.today),
        });
      })
      .catch((e) => {
        if ((e as Error).name !== 'AbortError') setSetsError(e);
      });
    return () => ctl.abort();
  }, [me.username]);

  // The form of the current choice; the address follows.
  useEffect(() => {
    if (!choice) return;
    go(DATA_ENTRY_PATH + query({ ds: choice.ds, u: choice.u, p: choice.p }), { replace: true });
    const ctl = new AbortController();
    setLoading(true);
    setFormError(null);
    api<EntryForm>(
      '/api/dataEntry/form' + query({ dataSet: choice.ds, orgUnit: choice.u, period: choice.p }),
      { signal: ctl.signal },
    )
      .then((f) => {
        setForm(f);
        setInputs(valuesOf(f));
        setLoading(false);
      })
      .catch((e) => {
        if ((e as Error).name === 'AbortError') return;
        setForm(null);
        setFormError(e);
        setLoading(false);
      });
    setTouched(new Set());
    setSubmitted(false);
    setServerErrors({});
    setSaveError(null);
    setNotice(null);
    return () => ctl.abort();
  }, [choice]);

  const dataSet = sets?.items.find((d) => d.code === choice?.ds);
  const fields = useMemo(() => form?.fields ?? [], [form]);
  const dirtyKeys = fields.filter((f) => (inputs[f.key] ?? '') !== stored(f)).map((f) => f.key);

  // Unsaved changes: a warning before the page is closed or reloaded, and before in-app moves.
  useEffect(() => {
    unsavedChanges = dirtyKeys.length;
  });
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (unsavedChanges === 0) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      unsavedChanges = 0;
    };
  }, []);

  useEffect(() => {
    if (!focusRequest) return;
    const el = document.getElementById(fieldId(focusRequest.key));
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  }, [focusRequest]);

  const clientError = (f: EntryField, raw: string): string | null => {
    if (raw.trim() === '') return null;
    const range = { element: f.dataElement, min: f.min, max: f.max };
    const checked = checkValue(f.valueType, raw, range);
    if (checked.ok) return null;
    // The right type but out of the element's range: the server's own sentence.
    if (checkValue(f.valueType, raw).ok) return checked.reason[lang];
    return t(TYPE_ERROR[f.valueType], { v: raw.trim() });
  };
  const errorOf = (f: EntryField): string | null => {
    const raw = inputs[f.key] ?? '';
    if (touched.has(f.key) || submitted) {
      const c = clientError(f, raw);
      if (c) return c;
    }
    const s = serverErrors[f.key];
    return s ? s[lang] : null;
  };
  const shownErrors = fields
    .map((f) => ({ f, msg: errorOf(f) }))
    .filter((x): x is { f: EntryField; msg: string } => x.msg !== null);

  const change = (next: Partial<Choice>) => {
    if (!choice) return;
    const c = { ...choice, ...next };
    if (c.ds === choice.ds && c.u === choice.u && c.p === choice.p) return;
    if (!confirmLeave()) return;
    setSaved(null);
    setChoice(c);
  };

  const chooseDataSet = (code: string) => {
    const ds = sets?.items.find((d) => d.code === code);
    if (!ds || !sets) return;
    const keepUnit = ds.version === dataSet?.version && ds.level === dataSet?.level;
    change({
      ds: ds.code,
      u: keepUnit && choice ? choice.u : ds.units[0]!.code,
      p:
        ds.periodType === dataSet?.periodType && choice
          ? choice.p
          : defaultPeriod(ds.periodType, sets.today),
    });
  };

  const setValue = (key: string, value: string) => {
    setInputs((prev) => ({ ...prev, [key]: value }));
    setSaved(null);
    setNotice(null);
    if (serverErrors[key]) {
      setServerErrors((prev) => {
        const next = { ...prev };
        delete next[key];
        return next;
      });
    }
  };

  const undo = () => {
    if (!form) return;
    setInputs(valuesOf(form));
    setTouched(new Set());
    setSubmitted(false);
    setServerErrors({});
    setNotice(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form || !choice || busy) return;
    setSaved(null);
    setNotice(null);
    setSaveError(null);
    setSubmitted(true);
    const bad = fields.find((f) => clientError(f, inputs[f.key] ?? '') !== null);
    if (bad) {
      setFocusRequest({ key: bad.key, n: Date.now() });
      return;
    }
    if (dirtyKeys.length === 0) {
      setNotice(t('entryNothingToSave'));
      return;
    }
    setBusy(true);
    try {
      const r = await api<EntrySaved>('/api/dataEntry/form', {
        method: 'POST',
        body: {
          dataSet: choice.ds,
          orgUnit: choice.u,
          period: choice.p,
          values: Object.fromEntries(dirtyKeys.map((k) => [k, inputs[k] ?? ''])),
        },
      });
      unsavedChanges = 0;
      setForm(r.form);
      setInputs(valuesOf(r.form));
      setTouched(new Set());
      setSubmitted(false);
      setServerErrors({});
      setSaved(r.message);
      requestAnimationFrame(() => savedRef.current?.focus());
    } catch (err) {
      const details =
        err instanceof ApiError ? (err.details as { fields?: EntryFieldError[] }) : null;
      if (err instanceof ApiError && err.code === 'import_conflicts' && details?.fields?.length) {
        const byKey: Record<string, Bilingual> = {};
        for (const f of details.fields) byKey[f.key] ??= { vi: f.vi, en: f.en };
        setServerErrors(byKey);
        const first = fields.find((f) => byKey[f.key]);
        if (first) setFocusRequest({ key: first.key, n: Date.now() });
        // a problem not tied to a field of this form (should not happen) is shown on top
        if (!first) setSaveError(err);
      } else {
        setSaveError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  if (setsError) {
    return (
      <div className="page">
        <PageHead />
        <ErrorBox error={setsError} />
      </div>
    );
  }
  if (!sets) {
    return (
      <div className="page">
        <PageHead />
        <Loading />
      </div>
    );
  }
  if (sets.items.length === 0 || !choice || !dataSet) {
    return (
      <div className="page">
        <PageHead />
        <p className="card empty-card" data-testid="entry-none">
          {t('entryNoDataSets')}
        </p>
      </div>
    );
  }

  const groups = groupFields(fields);
  const editable = form?.editable ?? false;
  const readOnly = !editable || busy;
  // One data set, one unit (a commune officer): no choice to make but the period.
  const fixed = sets.items.length === 1 && dataSet.unitsTotal === 1;

  return (
    <div className="page entry-page">
      <PageHead />
      <section
        className={'card entry-choice' + (fixed ? ' entry-choice-fixed' : '')}
        aria-label={t('entryChoose')}
      >
        {fixed ? (
          <div className="entry-context">
            <p className="entry-context-unit" data-testid="entry-unit">
              {dataSet.units[0]!.fullName}
            </p>
            <p className="muted">{lang === 'vi' ? dataSet.nameVi : dataSet.nameEn}</p>
          </div>
        ) : (
          <>
            <div className="field">
              <label htmlFor="entry-ds">{t('entryDataSet')}</label>
              {sets.items.length > 1 ? (
                <select
                  id="entry-ds"
                  value={choice.ds}
                  onChange={(e) => chooseDataSet(e.target.value)}
                >
                  {sets.items.map((d) => (
                    <option key={d.code} value={d.code}>
                      {lang === 'vi' ? d.nameVi : d.nameEn}
                    </option>
                  ))}
                </select>
              ) : (
                <output id="entry-ds" className="static-value">
                  {lang === 'vi' ? dataSet.nameVi : dataSet.nameEn}
                </output>
              )}
            </div>
            <UnitPicker
              dataSet={dataSet}
              value={choice.u}
              currentName={form?.orgUnit.code === choice.u ? form.orgUnit.fullName : undefined}
              onChange={(u) => change({ u })}
            />
          </>
        )}
        <PeriodPicker
          type={dataSet.periodType}
          today={sets.today}
          value={choice.p}
          onChange={(p) => change({ p })}
        />
      </section>

      {saved && (
        <div
          className="success"
          role="status"
          tabIndex={-1}
          ref={savedRef}
          data-testid="entry-saved"
        >
          <span className="success-icon" aria-hidden="true">
            ✓
          </span>
          <p>{saved[lang]}</p>
        </div>
      )}

      {formError ? (
        <ErrorBox error={formError} testId="entry-form-error" />
      ) : !form ? (
        <Loading />
      ) : (
        <form
          className="card entry-form"
          onSubmit={(e) => void submit(e)}
          noValidate
          aria-labelledby="entry-form-title"
          aria-busy={loading || busy}
          data-testid="entry-form"
        >
          <div className="entry-form-head">
            <h2 id="entry-form-title">
              {form.orgUnit.fullName}
              <span className="entry-period">
                {' '}
                · {lang === 'vi' ? form.period.labelVi : form.period.labelEn}
              </span>
            </h2>
            <p className="muted">
              {form.orgUnit.parents.map((p) => p.fullName).join(' › ')}
              {form.orgUnit.parents.length > 0 ? ' · ' : ''}
              {t('code')} {form.orgUnit.code}
            </p>
            <div className="entry-tags">
              <span className="tag" data-testid="entry-filled">
                {t('entryFilled', { n: form.filled, total: form.fields.length })}
              </span>
              {form.period.locked ? null : form.period.pastDue ? (
                <span className="tag tag-warn">
                  {t('entryPastDue', { date: formatDate(form.period.dueDate) })}
                </span>
              ) : (
                <span className="tag">
                  {t('entryDue', { date: formatDate(form.period.dueDate) })}
                </span>
              )}
            </div>
            {form.period.lockedReason && (
              <p className="note note-lock" data-testid="entry-locked">
                🔒 {form.period.lockedReason[lang]}
              </p>
            )}
            {!form.period.locked && !form.editable && (
              <p className="note note-lock">{t('entryReadOnly')}</p>
            )}
          </div>

          {submitted && shownErrors.length > 0 ? (
            <div className="alert" role="alert" data-testid="entry-errors">
              <span className="alert-icon" aria-hidden="true">
                !
              </span>
              <div className="alert-body">
                <p>
                  <strong>{t('entryErrorsTitle', { n: shownErrors.length })}</strong>
                </p>
                <p>{t('entryErrorsIntro')}</p>
                <ul className="error-list">
                  {shownErrors.map(({ f, msg }) => (
                    <li key={f.key}>
                      <a
                        href={'#' + fieldId(f.key)}
                        onClick={(e) => {
                          e.preventDefault();
                          setFocusRequest({ key: f.key, n: Date.now() });
                        }}
                      >
                        {fieldLabel(f, lang)}: {msg}
                      </a>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          ) : null}
          {saveError ? <ErrorBox error={saveError} testId="entry-save-error" /> : null}

          <div className="entry-fields">
            {groups.map((g) =>
              g.options ? (
                <fieldset key={g.element} className="entry-group">
                  <legend>
                    {lang === 'vi' ? g.fields[0]!.nameVi : g.fields[0]!.nameEn}
                    {g.fields[0]!.unit ? (
                      <span className="entry-unit-label"> ({g.fields[0]!.unit})</span>
                    ) : null}
                  </legend>
                  {g.fields.map((f) => (
                    <FieldInput
                      key={f.key}
                      field={f}
                      label={(lang === 'vi' ? f.optionVi : f.optionEn) ?? f.categoryOptionCombo}
                      value={inputs[f.key] ?? ''}
                      error={errorOf(f)}
                      dirty={dirtyKeys.includes(f.key)}
                      readOnly={readOnly}
                      onChange={(v) => setValue(f.key, v)}
                      onBlur={() => setTouched((s) => new Set(s).add(f.key))}
                    />
                  ))}
                </fieldset>
              ) : (
                <FieldInput
                  key={g.element}
                  field={g.fields[0]!}
                  label={lang === 'vi' ? g.fields[0]!.nameVi : g.fields[0]!.nameEn}
                  value={inputs[g.fields[0]!.key] ?? ''}
                  error={errorOf(g.fields[0]!)}
                  dirty={dirtyKeys.includes(g.fields[0]!.key)}
                  readOnly={readOnly}
                  onChange={(v) => setValue(g.fields[0]!.key, v)}
                  onBlur={() => setTouched((s) => new Set(s).add(g.fields[0]!.key))}
                />
              ),
            )}
          </div>

          {editable && (
            <div className="entry-actions">
              <p className="entry-changes" aria-live="polite" data-testid="entry-changes">
                {notice ??
                  (dirtyKeys.length
                    ? dirtyKeys.length === 1
                      ? t('entryChanges1')
                      : t('entryChanges', { n: dirtyKeys.length })
                    : t('entryNoChanges'))}
              </p>
              <div className="entry-buttons">
                {dirtyKeys.length > 0 && (
                  <button type="button" className="btn" onClick={undo} disabled={busy}>
                    {t('entryUndo')}
                  </button>
                )}
                <button type="submit" className="btn btn-primary" disabled={busy}>
                  {busy ? t('entrySaving') : t('entrySave')}
                </button>
              </div>
            </div>
          )}
        </form>
      )}
    </div>
  );
}

function PageHead() {
  const { t } = useI18n();
  return (
    <div className="page-head">
      <h1>{t('entryTitle')}</h1>
      <p className="muted">{t('entryIntro')}</p>
    </div>
  );
}

function fieldLabel(f: EntryField, lang: 'vi' | 'en'): string {
  const name = lang === 'vi' ? f.nameVi : f.nameEn;
  const option = lang === 'vi' ? f.optionVi : f.optionEn;
  return option ? `${name} — ${option}` : name;
}

function groupFields(fields: EntryField[]) {
  const groups: { element: string; options: boolean; fields: EntryField[] }[] = [];
  for (const f of fields) {
    const last = groups[groups.length - 1];
    if (last && last.element === f.dataElement) last.fields.push(f);
    else groups.push({ element: f.dataElement, options: f.optionVi !== null, fields: [f] });
  }
  return groups;
}

function FieldInput({
  field,
  label,
  value,
  error,
  dirty,
  readOnly,
  onChange,
  onBlur,
}: {
  field: EntryField;
  label: string;
  value: string;
  error: string | null;
  dirty: boolean;
  readOnly: boolean;
  onChange: (v: string) => void;
  onBlur: () => void;
}) {
  const { lang, t } = useI18n();
  const id = fieldId(field.key);
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const common = {
    id,
    name: field.key,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${errId} ${hintId}` : hintId,
    onBlur,
  } as const;
  let control;
  if (field.valueType === 'true_only') {
    // DHIS2's TRUE_ONLY: ticked is "true", left empty is no value at all.
    control = (
      <input
        {...common}
        type="checkbox"
        className="entry-check"
        checked={value === 'true'}
        disabled={readOnly}
        onChange={(e) => onChange(e.target.checked ? 'true' : '')}
      />
    );
  } else if (field.valueType === 'boolean') {
    control = (
      <select {...common} onChange={(e) => onChange(e.target.value)} disabled={readOnly}>
        <option value="">{t('entryNotSet')}</option>
        <option value="true">{t('entryYes')}</option>
        <option value="false">{t('entryNo')}</option>
      </select>
    );
  } else {
    const numeric = field.valueType === 'integer';
    const decimal = field.valueType === 'number' || field.valueType === 'percentage';
    control = (
      <input
        {...common}
        readOnly={readOnly}
        type={field.valueType === 'date' ? 'date' : 'text'}
        inputMode={numeric ? 'numeric' : decimal ? 'decimal' : undefined}
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="next"
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  const hint = [t(TYPE_HINT[field.valueType])];
  if (field.storedBy && field.lastUpdated)
    hint.push(t('entryStoredBy', { who: field.storedBy, when: dateTime(field.lastUpdated, lang) }));
  return (
    <div
      className={'entry-field' + (error ? ' has-error' : '') + (dirty ? ' is-dirty' : '')}
      data-testid={`field-${field.key}`}
    >
      <label htmlFor={id}>
        {label}
        {field.unit && !field.optionVi ? (
          <span className="entry-unit-label"> ({field.unit})</span>
        ) : null}
      </label>
      {error && (
        <p className="field-error" id={errId} data-testid={`error-${field.key}`}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
      {control}
      <p className="hint" id={hintId}>
        {hint.join(' · ')}
      </p>
    </div>
  );
}

function UnitPicker({
  dataSet,
  value,
  currentName,
  onChange,
}: {
  dataSet: EntryDataSet;
  value: string;
  /** The chosen unit's name when it is not among the listed ones (found by a search). */
  currentName?: string;
  onChange: (code: string) => void;
}) {
  const { t, n } = useI18n();
  const searchId = useId();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<{ code: string; fullName: string; parent: string }[]>([]);
  const listed = dataSet.units.length >= dataSet.unitsTotal;

  useEffect(() => {
    if (listed || q.trim().length < 2) {
      setHits([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api<OrgUnitList>(
        '/api/orgunits' +
          query({ version: dataSet.version, level: dataSet.level, q: q.trim(), limit: 10 }),
        { signal: ctl.signal },
      )
        .then((r) =>
          setHits(
            r.items.map((u) => ({
              code: u.code,
              fullName: u.fullName,
              parent: u.ancestors
                .filter((a) => a.level > 0)
                .map((a) => a.fullName)
                .join(', '),
            })),
          ),
        )
        .catch(() => setHits([]));
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [q, listed, dataSet.version, dataSet.level]);

  if (dataSet.unitsTotal === 1) {
    return (
      <div className="field">
        <span className="label" id="entry-unit-label">
          {t('entryUnit')}
        </span>
        <output
          className="static-value"
          aria-labelledby="entry-unit-label"
          data-testid="entry-unit"
        >
          {dataSet.units[0]!.fullName}
        </output>
      </div>
    );
  }
  const current = dataSet.units.find((u) => u.code === value);
  return (
    <div className="field">
      <label htmlFor="entry-unit">{t('entryUnit')}</label>
      <select id="entry-unit" value={value} onChange={(e) => onChange(e.target.value)}>
        {!current && <option value={value}>{currentName ?? value}</option>}
        {dataSet.units.map((u) => (
          <option key={u.code} value={u.code}>
            {u.fullName}
          </option>
        ))}
      </select>
      {!listed && (
        <div className="unit-search">
          <label htmlFor={searchId} className="sub-label">
            {t('entryUnitSearch')}
          </label>
          <input
            id={searchId}
            type="search"
            value={q}
            autoComplete="off"
            placeholder={t('searchPlaceholder')}
            aria-describedby={`${searchId}-hint`}
            onChange={(e) => setQ(e.target.value)}
          />
          <p className="hint" id={`${searchId}-hint`}>
            {t('entryUnitShown', { n: n(dataSet.unitsTotal) })} {t('entryUnitSearchHint')}
          </p>
          {hits.length > 0 && (
            <ul className="unit-hits">
              {hits.map((h) => (
                <li key={h.code}>
                  <button
                    type="button"
                    className="unit-hit"
                    onClick={() => {
                      setQ('');
                      onChange(h.code);
                    }}
                  >
                    <span>{h.fullName}</span>
                    <span className="muted">
                      {h.parent} · {h.code}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function PeriodPicker({
  type,
  today,
  value,
  onChange,
}: {
  type: PeriodType;
  today: string;
  value: string;
  onChange: (p: string) => void;
}) {
  const { lang, t } = useI18n();
  const current = tryParse(value);
  const label = (p: Period) => (lang === 'vi' ? formatPeriodVi(p) : formatPeriodEn(p));
  const prev = current && type !== 'range' ? previousPeriod(current) : null;
  const next = current && type !== 'range' ? nextPeriod(current) : null;
  const choices = useMemo(() => {
    if (type === 'day' || type === 'range') return [];
    const list: Period[] = [];
    let p = periodContaining(today, type);
    for (let i = 0; i < PERIOD_CHOICES; i++) {
      list.push(p);
      p = previousPeriod(p);
    }
    return list;
  }, [type, today]);
  const options =
    current && choices.length && !choices.some((c) => c.id === current.id)
      ? [...choices, current]
      : choices;

  return (
    <div className="field">
      <label htmlFor="entry-period">{type === 'day' ? t('entryDay') : t('entryPeriod')}</label>
      <div className="period-picker">
        <button
          type="button"
          className="btn btn-icon"
          aria-label={t('entryPrev')}
          title={t('entryPrev')}
          disabled={!prev}
          onClick={() => prev && onChange(prev.id)}
        >
          ‹
        </button>
        {type === 'day' ? (
          <input
            id="entry-period"
            type="date"
            value={value}
            max={today}
            aria-describedby="entry-period-label"
            onChange={(e) => {
              if (/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) onChange(e.target.value);
            }}
          />
        ) : (
          <select id="entry-period" value={value} onChange={(e) => onChange(e.target.value)}>
            {options.map((p) => (
              <option key={p.id} value={p.id}>
                {label(p)}
              </option>
            ))}
          </select>
        )}
        <button
          type="button"
          className="btn btn-icon"
          aria-label={t('entryNext')}
          title={t('entryNext')}
          disabled={!next || next.start > today}
          onClick={() => next && onChange(next.id)}
        >
          ›
        </button>
      </div>
      {type === 'day' && current && (
        <p className="hint" id="entry-period-label">
          {label(current)}
        </p>
      )}
    </div>
  );
}
