import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { checkValue } from '../../../../src/domain/data-value.ts';
import { ApiError, type Bilingual, type EntryField, type EntryFieldError } from '../../api.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { Choice } from './choice.ts';
import { fieldId, stored, TYPE_ERROR, valuesOf } from './fields.ts';
import { clearUnsaved, useLeaveGuard } from './leaveGuard.ts';
import { formKey, saveForm, useEntryForm } from './queries.ts';

/**
 * The form of a choice as it is edited: typed values (checked as they are typed, with the same
 * rules as the server's), the server's per-field problems, and the all-or-nothing save.
 */
export function useFormEditor(choice: Choice | null) {
  const { lang, t } = useI18n();
  const queryClient = useQueryClient();
  const formQ = useEntryForm(choice);
  const form = formQ.error ? undefined : formQ.data;
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [inputsOf, setInputsOf] = useState<typeof form>(undefined);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, Bilingual>>({});
  const [saved, setSaved] = useState<Bilingual | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [focusRequest, setFocusRequest] = useState<{ key: string; n: number } | null>(null);
  const savedRef = useRef<HTMLDivElement>(null);

  // A form read or saved: its stored values are what the fields show.
  const loaded = formQ.isPlaceholderData ? undefined : form;
  if (loaded && loaded !== inputsOf) {
    setInputsOf(loaded);
    setInputs(valuesOf(loaded));
  }

  const fields = form?.fields ?? [];
  const dirtyKeys = fields.filter((f) => (inputs[f.key] ?? '') !== stored(f)).map((f) => f.key);
  useLeaveGuard(dirtyKeys.length);

  useEffect(() => {
    if (!focusRequest) return;
    const el = document.getElementById(fieldId(focusRequest.key));
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  }, [focusRequest]);
  const focusField = (key: string) => setFocusRequest({ key, n: Date.now() });

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

  /** A new choice: what was typed for the previous one goes with it. */
  const reset = (keepSaved: boolean) => {
    setTouched(new Set());
    setSubmitted(false);
    setServerErrors({});
    setNotice(null);
    if (!keepSaved) {
      setSaved(null);
      setSaveError(null);
    }
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

  const touch = (key: string) => setTouched((s) => new Set(s).add(key));

  const undo = () => {
    if (!form) return;
    setInputs(valuesOf(form));
    reset(true);
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
      focusField(bad.key);
      return;
    }
    if (dirtyKeys.length === 0) {
      setNotice(t('entryNothingToSave'));
      return;
    }
    setBusy(true);
    try {
      const r = await saveForm(
        choice,
        Object.fromEntries(dirtyKeys.map((k) => [k, inputs[k] ?? ''])),
      );
      clearUnsaved();
      queryClient.setQueryData(formKey(choice), r.form);
      setInputsOf(r.form);
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
        if (first) focusField(first.key);
        // a problem not tied to a field of this form (should not happen) is shown on top
        if (!first) setSaveError(err);
      } else {
        setSaveError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return {
    form,
    formError: formQ.error,
    loading: formQ.isFetching,
    fields,
    inputs,
    dirtyKeys,
    errorOf,
    submitted,
    saved,
    savedRef,
    notice,
    saveError,
    busy,
    reset,
    setValue,
    touch,
    undo,
    submit,
    focusField,
  };
}

export type FormEditor = ReturnType<typeof useFormEditor>;
