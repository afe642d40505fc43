import type { Lang } from '../../shared/format.ts';
import type { BriefingSection } from './data.ts';
import { roman } from './figureText.ts';
import { FiguresTable } from './FiguresTable.tsx';
import type { BriefingT } from './messages.ts';
import { ParagraphView } from './ParagraphView.tsx';

/** One section (a sector): "I. Bưu chính", its paragraphs, then its table if it has one. */
export function SectionView({
  briefingId,
  section,
  index,
  changed,
  editable,
  lang,
  t,
}: {
  briefingId: number;
  section: BriefingSection;
  index: number;
  changed: ReadonlySet<string>;
  editable: boolean;
  lang: Lang;
  t: BriefingT;
}) {
  const id = `brf-sec-${section.code}`;
  return (
    <section className="brf-section" aria-labelledby={id} data-testid={`section-${section.code}`}>
      <h2 id={id}>
        {roman(index + 1)}. {lang === 'vi' ? section.titleVi : section.titleEn}
      </h2>
      {section.paragraphs.map((p) => (
        <ParagraphView
          key={p.id}
          briefingId={briefingId}
          paragraph={p}
          changed={changed.has(p.id)}
          editable={editable}
          lang={lang}
          t={t}
        />
      ))}
      {section.table && <FiguresTable section={section} lang={lang} t={t} />}
    </section>
  );
}
