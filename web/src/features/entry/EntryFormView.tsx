import { useI18n } from '../../shared/i18n.ts';
import { ErrorBox, Loading } from '../../shared/ui.tsx';
import { ErrorSummary } from './ErrorSummary.tsx';
import type { EntryField } from './fields.ts';
import { FormActions } from './FormActions.tsx';
import { FormFields } from './FormFields.tsx';
import { FormHead } from './FormHead.tsx';
import { RuleWarnings } from './RuleWarnings.tsx';
import type { FormEditor } from './useFormEditor.ts';

/** The saved message, then the form of the choice (or why it cannot be shown). */
export function EntryFormView({ editor }: { editor: FormEditor }) {
  const { lang } = useI18n();
  const { form, formError, saved, savedRef, busy, submitted, saveError } = editor;
  const shownErrors = editor.fields
    .map((f) => ({ f, msg: editor.errorOf(f.key) }))
    .filter((x): x is { f: EntryField; msg: string } => x.msg !== null);
  const editable = form?.editable ?? false;

  return (
    <>
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
          onSubmit={(e) => void editor.submit(e)}
          noValidate
          aria-labelledby="entry-form-title"
          aria-busy={editor.loading || busy}
          data-testid="entry-form"
        >
          <FormHead form={form} />
          {submitted ? (
            <ErrorSummary shownErrors={shownErrors} onFocus={editor.focusField} />
          ) : null}
          {saveError ? <ErrorBox error={saveError} testId="entry-save-error" /> : null}
          <FormFields editor={editor} readOnly={!editable || busy} />
          {editable && <RuleWarnings form={form} control={editor.control} />}
          {editable && <FormActions editor={editor} />}
        </form>
      )}
    </>
  );
}
