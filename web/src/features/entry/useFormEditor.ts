import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, type Schemas } from '../../shared/api/client.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { Choice } from './choice.ts';
import {
  fieldId,
  fieldName,
  valuesOf,
  type Bilingual,
  type EntryForm,
  type FormValues,
} from './fields.ts';
import { clearUnsaved, useLeaveGuard } from './leaveGuard.ts';
import { formKey, saveForm, useEntryForm } from './queries.ts';

/** One problem of a refused save (409 import_conflicts, details.fields). */
type FieldProblem = Schemas['EntryFieldProblem'];
type ConflictDetails = NonNullable<Schemas['DataEntryConflict']['error']['details']>;

/** The details of a save's 409 (an error's details vary with its code). */
const isConflictDetails = (d: unknown): d is ConflictDetails =>
  typeof d === 'object' && d !== null && (!('fields' in d) || Array.isArray(d.fields));

/** The per-field problems of a refused save; none for any other error. */
function fieldProblems(err: unknown): FieldProblem[] {
  if (!(err instanceof ApiError) || err.code !== 'import_conflicts') return [];
  return isConflictDetails(err.details) ? (err.details.fields ?? []) : [];
}

/**
 * The form of a choice as it is edited (react-hook-form): typed values, checked on leaving a
 * field and as they are typed once a field was left or a save tried (with the same rules as the
 * server's, the `validate` of each field in FieldInput), the server's per-field problems
 * (`setError`, type 'server'), and the all-or-nothing save of the fields that changed.
 */
export function useFormEditor(choice: Choice | null) {
  const { lang, t } = useI18n();
  const queryClient = useQueryClient();
  const formQ = useEntryForm(choice);
  const form = formQ.error ? undefined : formQ.data;
  const {
    control,
    formState,
    getFieldState,
    handleSubmit,
    reset: resetValues,
    setError,
    clearErrors,
    subscribe,
    trigger,
  } = useForm<FormValues>({
    mode: 'onTouched',
    reValidateMode: 'onChange',
    shouldFocusError: false,
  });
  const [saved, setSaved] = useState<Bilingual | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [focusRequest, setFocusRequest] = useState<{ key: string; n: number } | null>(null);
  const savedRef = useRef<HTMLDivElement>(null);

  // A form read or saved: its stored values are what the fields show (before the screen is drawn).
  const applied = useRef<EntryForm | undefined>(undefined);
  const apply = (f: EntryForm) => {
    applied.current = f;
    resetValues(valuesOf(f));
  };
  const loaded = formQ.isPlaceholderData ? undefined : form;
  useLayoutEffect(() => {
    if (loaded && loaded !== applied.current) apply(loaded);
  });

  const fields = form?.fields ?? [];
  const { dirtyFields, errors, isSubmitted, isSubmitting } = formState;
  const dirtyKeys = fields.filter((f) => dirtyFields[fieldName(f.key)]).map((f) => f.key);
  useLeaveGuard(dirtyKeys.length);

  // A value typed: the last save's message and notice go.
  useEffect(
    () =>
      subscribe({
        formState: { values: true },
        callback: ({ type }) => {
          if (type !== 'change') return;
          setSaved(null);
          setNotice(null);
        },
      }),
    [subscribe],
  );

  // The problems shown follow a language switch.
  useEffect(() => {
    const shown = fields.map((f) => fieldName(f.key));
    const client = shown.filter((n) => {
      const e = getFieldState(n).error;
      if (e?.type !== 'server') return e !== undefined;
      const message = e.types?.[lang];
      if (typeof message === 'string') setError(n, { type: 'server', message, types: e.types });
      return false;
    });
    if (client.length) void trigger(client);
  }, [lang]); // on a language switch only

  useEffect(() => {
    if (!focusRequest) return;
    const el = document.getElementById(fieldId(focusRequest.key));
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  }, [focusRequest]);
  const focusField = (key: string) => setFocusRequest({ key, n: Date.now() });

  const save = useMutation({
    mutationFn: (v: { choice: Choice; values: Record<string, string> }) =>
      saveForm(v.choice, v.values),
    onSuccess: (r, v) => {
      clearUnsaved();
      // the form as the cache holds it (shared with the one read), so it is applied once
      apply(queryClient.setQueryData<EntryForm>(formKey(v.choice), r.form) ?? r.form);
      setSaved(r.message);
      requestAnimationFrame(() => savedRef.current?.focus());
    },
    onError: (err) => {
      const problems = fieldProblems(err);
      if (problems.length === 0) {
        setSaveError(err);
        return;
      }
      // the server's problems replace the ones it gave before
      const byKey = new Map<string, FieldProblem>();
      for (const p of problems) if (!byKey.has(p.key)) byKey.set(p.key, p);
      for (const f of fields) {
        const name = fieldName(f.key);
        const p = byKey.get(f.key);
        if (p) setError(name, { type: 'server', message: p[lang], types: { vi: p.vi, en: p.en } });
        else if (getFieldState(name).error?.type === 'server') clearErrors(name);
      }
      const first = fields.find((f) => byKey.has(f.key));
      // a problem not tied to a field of this form (should not happen) is shown on top
      if (first) focusField(first.key);
      else setSaveError(err);
    },
  });
  const busy = save.isPending;

  /** A new choice: what was typed stays until its form has come; problems and messages go. */
  const newChoice = () => {
    resetValues(undefined, { keepValues: true, keepDefaultValues: true, keepDirty: true });
    setNotice(null);
    setSaved(null);
    setSaveError(null);
  };

  const undo = () => {
    if (!form) return;
    resetValues(valuesOf(form));
    setNotice(null);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form || !choice || busy || isSubmitting) return;
    setSaved(null);
    setNotice(null);
    setSaveError(null);
    // The server's problems stay until their value changes (a change checks the field again),
    // though checking every field before a save clears them.
    const server = fields.flatMap((f) => {
      const name = fieldName(f.key);
      const e = getFieldState(name).error;
      return e?.type === 'server' ? [{ name, e }] : [];
    });
    const keepServer = () => {
      for (const { name, e } of server)
        setError(name, { type: 'server', message: e.message, types: e.types });
    };
    void handleSubmit(
      (values) => {
        keepServer();
        if (dirtyKeys.length === 0) {
          setNotice(t('entryNothingToSave'));
          return;
        }
        const sent = dirtyKeys.map((k): [string, string] => [k, values[fieldName(k)] ?? '']);
        save.mutate({ choice, values: Object.fromEntries(sent) });
      },
      (problems) => {
        keepServer();
        const bad = fields.find((f) => problems[fieldName(f.key)]);
        if (bad) focusField(bad.key);
      },
    )(e);
  };

  /** The problem a field shows, if any. */
  const errorOf = (key: string): string | null => errors[fieldName(key)]?.message ?? null;

  return {
    form,
    formError: formQ.error,
    loading: formQ.isFetching,
    fields,
    control,
    dirtyKeys,
    errorOf,
    submitted: isSubmitted,
    saved,
    savedRef,
    notice,
    saveError,
    busy,
    newChoice,
    undo,
    submit,
    focusField,
  };
}

export type FormEditor = ReturnType<typeof useFormEditor>;
