import { useState } from 'react';
import type { Lang } from '../../shared/format.ts';
import type { BriefingParagraph } from './data.ts';
import { hasReported } from './figureText.ts';
import { Mark } from './Marks.tsx';
import type { BriefingT } from './messages.ts';
import { ParagraphEditor } from './ParagraphEditor.tsx';

/** One paragraph: its sentence in the page's language, its marks, and (drafts) its edit view. */
export function ParagraphView({
  briefingId,
  paragraph: p,
  changed,
  editable,
  lang,
  t,
}: {
  briefingId: number;
  paragraph: BriefingParagraph;
  changed: boolean;
  editable: boolean;
  lang: Lang;
  t: BriefingT;
}) {
  const [editing, setEditing] = useState(false);
  const label = lang === 'vi' ? p.figure.labelVi : p.figure.labelEn;
  const marks = [
    changed && <Mark key="changed" kind="changed" t={t} />,
    p.needsReview && <Mark key="needsReview" kind="needsReview" t={t} />,
    p.edited && <Mark key="edited" kind="edited" t={t} />,
    hasReported(p.figure) && <Mark key="reported" kind="reported" t={t} />,
  ].filter(Boolean);

  return (
    <div
      className={`brf-para${changed ? ' brf-para-changed' : ''}${p.needsReview ? ' brf-para-review' : ''}`}
      data-testid={`para-${p.id}`}
      id={`line-${p.id}`}
    >
      {editing ? (
        <ParagraphEditor
          briefingId={briefingId}
          paragraph={p}
          label={label}
          onDone={() => setEditing(false)}
          t={t}
        />
      ) : (
        <>
          <p className="brf-text" lang={lang} data-testid="para-text">
            {lang === 'vi' ? p.vi : p.en}
          </p>
          {(marks.length > 0 || editable) && (
            <div className="brf-para-foot">
              {marks}
              {editable && (
                <button
                  type="button"
                  className="btn brf-edit-btn"
                  onClick={() => setEditing(true)}
                  aria-label={t('editTitle', { label })}
                  data-testid="para-edit"
                >
                  {t('edit')}
                </button>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
