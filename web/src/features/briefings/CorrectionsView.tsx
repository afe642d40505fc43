import type { Lang } from '../../shared/format.ts';
import type { BriefingDocument } from './data.ts';
import { scaledNumber } from './figureText.ts';
import type { BriefingT } from './messages.ts';

/** A revision's "Số liệu điều chỉnh": each figure corrected since the previous issue. */
export function CorrectionsView({
  doc,
  lang,
  t,
}: {
  doc: BriefingDocument;
  lang: Lang;
  t: BriefingT;
}) {
  const rows = doc.corrections;
  if (rows.length === 0) return null;
  // Values are stored in units; printed in the figure's own scale, as its paragraph prints it.
  const scales = new Map(
    doc.sections.flatMap((s) => s.paragraphs.map((p) => [p.id, p.figure.scale] as const)),
  );
  const n = (id: string, v: number | null) =>
    v === null ? t('noData') : scaledNumber(lang, v, scales.get(id) ?? 1);
  return (
    <section
      className="brf-section brf-corrections"
      aria-labelledby="brf-corrections-title"
      data-testid="briefing-corrections"
    >
      <h2 id="brf-corrections-title">{t('correctionsTitle')}</h2>
      <p className="brf-text">{t('correctionsLead')}</p>
      <div
        className="brf-table-wrap"
        role="region"
        tabIndex={0}
        aria-labelledby="brf-corrections-title"
      >
        <table className="brf-figures">
          <thead>
            <tr>
              <th scope="col">{t('item')}</th>
              <th scope="col">{t('unitCol')}</th>
              <th scope="col">{t('before')}</th>
              <th scope="col">{t('after')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.lineId}>
                <th scope="row">{lang === 'vi' ? r.labelVi : r.labelEn}</th>
                <td className="brf-unit">{r.unitVi ?? ''}</td>
                <td className="n" data-label={t('before')}>
                  {n(r.lineId, r.before)}
                  {r.unitVi && <span className="brf-unit-inline"> {r.unitVi}</span>}
                </td>
                <td className="n" data-label={t('after')}>
                  {n(r.lineId, r.after)}
                  {r.unitVi && <span className="brf-unit-inline"> {r.unitVi}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
