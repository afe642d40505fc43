import { useEffect, useRef, useState } from 'react';
import { ErrorBox } from '../../shared/ui.tsx';
import type { BriefingParagraph } from './data.ts';
import type { BriefingT } from './messages.ts';
import { useEditParagraph } from './queries.ts';

/**
 * The edit view of one draft paragraph: its Vietnamese and English text, saved with PUT; the
 * server's refusal (an issued briefing, an empty text) is shown as it words it.
 */
export function ParagraphEditor({
  briefingId,
  paragraph,
  label,
  onDone,
  t,
}: {
  briefingId: number;
  paragraph: BriefingParagraph;
  label: string;
  onDone: () => void;
  t: BriefingT;
}) {
  const [vi, setVi] = useState(paragraph.vi);
  const [en, setEn] = useState(paragraph.en);
  const save = useEditParagraph(briefingId);
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);
  const idVi = `brf-edit-vi-${paragraph.id}`;
  const idEn = `brf-edit-en-${paragraph.id}`;

  return (
    <form
      className="brf-editor"
      data-testid={`editor-${paragraph.id}`}
      aria-label={t('editTitle', { label })}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          { line: paragraph.id, vi, ...(en.trim() ? { en } : {}) },
          { onSuccess: onDone },
        );
      }}
    >
      {save.error ? <ErrorBox error={save.error} testId="editor-error" /> : null}
      <div className="field">
        <label htmlFor={idVi}>{t('editVi')}</label>
        <textarea
          id={idVi}
          ref={first}
          rows={4}
          lang="vi"
          value={vi}
          onChange={(e) => setVi(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={idEn}>{t('editEn')}</label>
        <textarea id={idEn} rows={3} lang="en" value={en} onChange={(e) => setEn(e.target.value)} />
      </div>
      <div className="brf-editor-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('saving') : t('save')}
        </button>
        <button type="button" className="btn" onClick={onDone} disabled={save.isPending}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
