import type { Lang } from '../../shared/format.ts';
import type { BriefingFigure, BriefingSection } from './data.ts';
import { changeCell, qualified, scaledNumber, unitOf } from './figureText.ts';
import type { BriefingT } from './messages.ts';

/**
 * A section's figures as a table (where the template asks for one): the value in its unit and
 * scale, the changes, and the year to date and target share only when some line has them. On a
 * phone the table scrolls sideways inside its frame, never the page.
 */
export function FiguresTable({
  section,
  lang,
  t,
}: {
  section: BriefingSection;
  lang: Lang;
  t: BriefingT;
}) {
  const figures = section.paragraphs.map((p) => p.figure);
  const withYtd = figures.some((f) => f.ytd !== null);
  const withTarget = figures.some((f) => f.target !== null);
  const title = lang === 'vi' ? section.titleVi : section.titleEn;

  // On a phone the unit column folds into the value ("11.496 tỷ đồng"), briefings.css.
  const inline = (unit: string) => unit && <span className="brf-unit-inline"> {unit}</span>;
  const value = (f: BriefingFigure) =>
    f.value === null ? (
      <span className="muted">{t('noData')}</span>
    ) : (
      <>
        {qualified(t, f.qualifier, scaledNumber(lang, f.value, f.scale))}
        {inline(unitOf(lang, f))}
        {f.estimate && <span className="brf-est"> ({t('estimate')})</span>}
      </>
    );
  /** A change's cell; one with nothing to say is left out on a phone. */
  const change = (c: BriefingFigure['yoy'], label: string) => {
    const text = changeCell(lang, c);
    return (
      <td className={`n${text === '–' ? ' brf-nil' : ''}`} data-label={label}>
        {text}
        {c?.source === 'reported' && c.pct !== null && (
          <sup className="brf-rep" title={t('reportedTitle')}>
            *
          </sup>
        )}
      </td>
    );
  };
  const reportedAny = figures.some(
    (f) => f.yoy?.source === 'reported' || f.prev?.source === 'reported',
  );

  return (
    <div
      className="brf-table-wrap"
      role="region"
      tabIndex={0}
      aria-label={t('figuresTable', { section: title })}
      data-testid={`table-${section.code}`}
    >
      <table className="brf-figures">
        <thead>
          <tr>
            <th scope="col">{t('item')}</th>
            <th scope="col">{t('unitCol')}</th>
            <th scope="col">{t('value')}</th>
            <th scope="col">{t('vsYoy')}</th>
            <th scope="col">{t('vsPrev')}</th>
            {withYtd && <th scope="col">{t('ytd')}</th>}
            {withTarget && <th scope="col">{t('target')}</th>}
          </tr>
        </thead>
        <tbody>
          {figures.flatMap((f) => [
            <tr key={f.lineId}>
              <th scope="row">{lang === 'vi' ? f.labelVi : f.labelEn}</th>
              <td className="brf-unit">{unitOf(lang, f)}</td>
              <td className="n" data-label={t('value')}>
                {value(f)}
              </td>
              {change(f.yoy, t('vsYoy'))}
              {change(f.prev, t('vsPrev'))}
              {withYtd && (
                <td className={`n${f.ytd?.value == null ? ' brf-nil' : ''}`} data-label={t('ytd')}>
                  {f.ytd?.value != null ? scaledNumber(lang, f.ytd.value, f.scale) : '–'}
                </td>
              )}
              {withTarget && (
                <td
                  className={`n${f.target?.share == null ? ' brf-nil' : ''}`}
                  data-label={t('target')}
                >
                  {f.target?.share != null
                    ? `${scaledNumber(lang, Math.round(f.target.share * 10) / 10, 1)}%`
                    : '–'}
                </td>
              )}
            </tr>,
            // The parts with a value, under their total ("trong đó").
            ...f.options
              .filter((o) => o.value !== null)
              .map((o) => (
                <tr key={`${f.lineId}.${o.code}`} className="brf-opt">
                  <th scope="row">{lang === 'vi' ? o.labelVi : o.labelEn}</th>
                  <td className="brf-unit">{unitOf(lang, f)}</td>
                  <td className="n" data-label={t('value')}>
                    {qualified(t, o.qualifier, scaledNumber(lang, o.value!, f.scale))}
                    {inline(unitOf(lang, f))}
                  </td>
                  {change(o.yoy, t('vsYoy'))}
                  {change(o.prev, t('vsPrev'))}
                  {withYtd && <td />}
                  {withTarget && <td />}
                </tr>
              )),
          ])}
        </tbody>
      </table>
      {reportedAny && (
        <p className="brf-table-note">
          <sup>*</sup> {t('reported')}
        </p>
      )}
    </div>
  );
}
