import { formatDate, type Lang } from '../../shared/format.ts';
import { FlagMark } from '../../shared/FlagMark.tsx';
import { Breakdown } from './Breakdown.tsx';
import { ChangeLine } from './ChangeLine.tsx';
import { cellKey, changeToShow, type Cell, type SectorElement, type SectorFigure } from './data.ts';
import { midSentence, QUALIFIER_WORDS, quoteOf, valueParts } from './figureText.ts';
import type { SectorT } from './messages.ts';

/** Slice colours, each at least 3:1 against the white card. */
const PALETTE = ['#0b57a4', '#b3131b', '#8a5a00', '#1f7a4d', '#5b3f99', '#0f6e7a'];

/** One figure of the month: its value, its changes, its parts and the source's words. */
export function FigureCard({
  figure,
  element,
  cells,
  cellsLoading,
  lang,
  t,
}: {
  figure: SectorFigure;
  element: SectorElement;
  cells: Map<string, Cell> | undefined;
  cellsLoading: boolean;
  lang: Lang;
  t: SectorT;
}) {
  const cell = cells?.get(cellKey(figure.element, figure.period.id));
  const value = cell?.value ?? null;
  const name = lang === 'vi' ? element.nameVi : element.nameEn;
  const periodLabel = lang === 'vi' ? figure.period.labelVi : figure.period.labelEn;

  let caption: string | null = null;
  if (figure.placement === 'span') caption = periodLabel;
  else if (figure.placement === 'within')
    caption =
      element.aggTime === 'last'
        ? t('asOf', { date: formatDate(lang, figure.period.end) })
        : periodLabel;
  else if (figure.through)
    caption = t('monthThrough', {
      month: periodLabel,
      date: formatDate(lang, figure.through),
    });

  // A change printed with no value (postal, January 2022: "khoảng 30%") is shown all the same.
  const yoy = cellsLoading ? null : changeToShow(cell?.yoy, figure.yoy);
  const prev = cellsLoading ? null : changeToShow(cell?.pop, figure.prev);

  const options =
    figure.options.length > 1 && element.breakdown
      ? element.breakdown.options.filter((o) => figure.options.includes(o.code))
      : [];
  const parts = options.map((o, i) => ({
    code: o.code,
    name: lang === 'vi' ? o.nameVi : o.nameEn,
    value: cells?.get(cellKey(`${figure.element}.${o.code}`, figure.period.id))?.value ?? null,
    colour: PALETTE[i % PALETTE.length]!,
  }));
  const quotes = [...new Set(figure.notes.map(quoteOf))];
  const shown = value === null ? null : valueParts(lang, value, element.unit);

  return (
    <article
      className={`card sector-figure${parts.length ? ' sector-figure-wide' : ''}`}
      data-testid={`figure-${figure.element}`}
      data-period={figure.period.id}
      aria-labelledby={`fig-${figure.element}-${figure.period.id}`}
    >
      <h3 id={`fig-${figure.element}-${figure.period.id}`}>{name}</h3>
      {caption && <p className="sector-caption">{caption}</p>}
      <p className="sector-value" data-testid="figure-value">
        {figure.estimate && <span className="sector-estimate">{t('estimate')}</span>}
        {figure.estimate && ' '}
        {shown ? (
          <>
            {figure.qualifier && (
              <span className="sector-qualifier">{QUALIFIER_WORDS[lang][figure.qualifier]} </span>
            )}
            <span className="sector-num">{shown.num}</span>
            {shown.unit && ' '}
            {shown.unit && <span className="sector-unit">{shown.unit}</span>}
          </>
        ) : cellsLoading ? (
          <span className="sector-num sector-pending" aria-label={t('valueMissing')}>
            …
          </span>
        ) : (
          <span className="sector-num sector-pending">
            –<span className="sr-only"> {t('valueMissing')}</span>
          </span>
        )}
      </p>
      {value === null && (yoy?.source === 'reported' || prev?.source === 'reported') && (
        <p className="sector-caption" data-testid="change-only">
          {t('changeOnly')}
        </p>
      )}
      {value !== null && cell?.flags && <FlagMark flags={cell.flags} lang={lang} />}
      {(yoy || prev) && (
        <ul className="sector-changes">
          {yoy && yoy.pct !== null && (
            <ChangeLine
              change={yoy}
              printed={figure.yoy.reported}
              qualifier={figure.yoy.qualifier}
              kind="yoy"
              lang={lang}
              t={t}
              unit={element.unit}
              direction={element.direction}
            />
          )}
          {prev && prev.pct !== null && (
            <ChangeLine
              change={prev}
              printed={figure.prev.reported}
              qualifier={figure.prev.qualifier}
              kind="prev"
              lang={lang}
              t={t}
              unit={element.unit}
              direction={element.direction}
            />
          )}
        </ul>
      )}
      {parts.length > 0 && element.breakdown && (
        <Breakdown
          name={midSentence(lang === 'vi' ? element.breakdown.nameVi : element.breakdown.nameEn)}
          parts={parts}
          total={value}
          unit={element.unit}
          lang={lang}
          t={t}
        />
      )}
      {quotes.length > 0 && (
        <div className="sector-quotes">
          {quotes.map((q) => (
            <blockquote key={q} className="sector-quote" lang="vi">
              <span className="sector-quote-label">{t('quote')}: </span>“{q}”
            </blockquote>
          ))}
        </div>
      )}
    </article>
  );
}
