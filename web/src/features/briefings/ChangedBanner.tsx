import type { Lang } from '../../shared/format.ts';
import type { BriefingDifference, BriefingDocument, BriefingFigure } from './data.ts';
import { scaledNumber, unitOf } from './figureText.ts';
import type { BriefingT } from './messages.ts';

/**
 * An issued briefing whose figures the data now gives differently: which, issued and now, each
 * a link to its paragraph (which carries a mark too). The issued text itself never changes.
 */
export function ChangedBanner({
  changes,
  doc,
  lang,
  t,
}: {
  changes: BriefingDifference[];
  doc: BriefingDocument;
  lang: Lang;
  t: BriefingT;
}) {
  const figures = new Map<string, BriefingFigure>(
    doc.sections.flatMap((s) => s.paragraphs.map((p) => [p.id, p.figure] as const)),
  );
  const shown = (f: BriefingFigure | undefined, v: number | null) => {
    if (v === null) return t('noData');
    const unit = f ? unitOf(lang, f) : '';
    return `${scaledNumber(lang, v, f?.scale ?? 1)}${unit ? ` ${unit}` : ''}`;
  };
  return (
    <section
      className="brf-changed"
      role="status"
      aria-labelledby="brf-changed-title"
      data-testid="changed-since-issue"
    >
      <h2 id="brf-changed-title">
        <span aria-hidden="true">⚠ </span>
        {t('changedTitle')}
      </h2>
      <p>{t('changedIntro')}</p>
      <ul>
        {changes.map((c) => {
          const f = figures.get(c.lineId);
          const option = c.option ? f?.options.find((o) => o.code === c.option) : undefined;
          const part = option ? (lang === 'vi' ? option.labelVi : option.labelEn) : c.option;
          const label = [lang === 'vi' ? c.labelVi : c.labelEn, part].filter(Boolean).join(' — ');
          return (
            <li key={`${c.lineId}|${c.option ?? ''}`} data-testid={`changed-${c.lineId}`}>
              <a href={`#line-${c.lineId}`}>
                {t('changedRow', {
                  label,
                  issued: shown(f, c.issued),
                  now: shown(f, c.now),
                })}
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
