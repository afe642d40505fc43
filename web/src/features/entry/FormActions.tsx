import { useI18n } from '../../shared/i18n.ts';
import type { FormEditor } from './useFormEditor.ts';

/** How many changes are unsaved, undo and save. */
export function FormActions({ editor }: { editor: FormEditor }) {
  const { t } = useI18n();
  const { notice, dirtyKeys, undo, busy } = editor;
  return (
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
  );
}
