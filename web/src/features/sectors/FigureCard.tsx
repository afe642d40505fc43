import { lazy, Suspense } from 'react';
import {
  formatChange,
  formatDate,
  formatNumber,
  formatPercent,
  formatPeriod,
  unitLabel,
  type Lang,
} from '../../shared/format.ts';
import { Loading } from '../../shared/ui.tsx';
import {
  cellKey,
  changeToShow,
  type Cell,
  type Change,
  type SectorElement,
  type SectorFigure,
} from './data.ts';
import type { SectorT } from './messages.ts';

const BreakdownChart = lazy(() => import('./BreakdownChart.tsx'));

/** Slice colours, each at least 3:1 against the white card. */
const PALETTE = ['#0b57a4', '#b3131b', '#8a5a00', '#1f7a4d', '#5b3f99', '#0f6e7a'];

/** The ministry prints figures to at most two decimals: 91,32 triệu; 96,74%; 1.383. */
const DECIMALS = 2;

export function valueParts(
  lang: Lang,
  value: number,
  unit: string | null,
): { num: string; unit: string } {
  if (unit === '%') return { num: formatPercent(lang, value, DECIMALS), unit: '' };
  return { num: formatNumber(lang, value, { decimals: DECIMALS }), unit: unitLabel(lang, unit) };
}

const joined = (v: { num: string; unit: string }) => (v.unit ? `${v.num} ${v.unit}` : v.num);

/** How many decimals the source printed a change with (10,29%; 3%), at most two. */
function decimalsOf(pct: number): number {
  const s = String(Math.abs(pct));
  const i = s.indexOf('.');
  return i < 0 ? 0 : Math.min(2, s.length - i - 1);
}

/**
 * The demo's comments read `source: "the article's words" | a note`; the page shows the words.
 * Other comments are shown as they are.
 */
export function quoteOf(note: string): string {
  const first = note.split(' | ')[0]!.trim();
  const m = /^[\w.-]+:\s*"(.*)"$/s.exec(first);
  return m ? m[1]! : first;
}

function ChangeLine({
  change,
  printed,
  kind,
  lang,
  t,
  unit,
}: {
  change: Change;
  /** the change the source printed, if any: a computed one is written to its precision */
  printed: number | null;
  kind: 'yoy' | 'prev';
  lang: Lang;
  t: SectorT;
  unit: string | null;
}) {
  // 4.581.000 against 4.014.701 is the printed "14,1%", 1.690.000 against 1.578.959 "7,03%".
  const decimals =
    change.source === 'reported'
      ? decimalsOf(change.pct!)
      : printed !== null
        ? decimalsOf(printed)
        : 1;
  const c = formatChange(lang, change.pct!, decimals);
  const versus =
    kind === 'yoy'
      ? t('vsSamePeriod', { year: yearOf(change.period) })
      : t('vsPrevious', { period: formatPeriod(lang, change.period) });
  const title =
    change.source === 'reported'
      ? t('reportedTitle')
      : change.previous !== null
        ? t('computedTitle', { previous: joined(valueParts(lang, change.previous, unit)) })
        : undefined;
  return (
    <li className={`sector-change sector-change-${c.direction}`} data-testid={`change-${kind}`}>
      <span className="sector-arrow" aria-hidden="true">
        {c.arrow}
      </span>
      <span title={title}>
        {c.words} {versus}
      </span>
      {change.source === 'reported' && (
        <span className="sector-badge" title={t('reportedTitle')}>
          {t('reported')}
        </span>
      )}
    </li>
  );
}

/** A name inside a sentence: "Cơ cấu theo loại tấn công mạng". */
const midSentence = (name: string) => name.charAt(0).toLocaleLowerCase('vi') + name.slice(1);

/** The year a compared period ends in: "so với cùng kỳ 2021". */
function yearOf(periodId: string): string {
  const years = periodId.match(/\d{4}/g);
  return years?.at(-1) ?? periodId;
}

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

  const yoy = cell ? changeToShow(cell.yoy, figure.yoy) : null;
  const prev = cell ? changeToShow(cell.pop, figure.prev) : null;

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
      {(yoy || prev) && (
        <ul className="sector-changes">
          {yoy && yoy.pct !== null && (
            <ChangeLine
              change={yoy}
              printed={figure.yoy.reported}
              kind="yoy"
              lang={lang}
              t={t}
              unit={element.unit}
            />
          )}
          {prev && prev.pct !== null && (
            <ChangeLine
              change={prev}
              printed={figure.prev.reported}
              kind="prev"
              lang={lang}
              t={t}
              unit={element.unit}
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

function Breakdown({
  name,
  parts,
  total,
  unit,
  lang,
  t,
}: {
  name: string;
  parts: { code: string; name: string; value: number | null; colour: string }[];
  total: number | null;
  unit: string | null;
  lang: Lang;
  t: SectorT;
}) {
  const withValues = parts.filter((p) => p.value !== null) as {
    code: string;
    name: string;
    value: number;
    colour: string;
  }[];
  const bars = withValues.map((p) => ({
    name: p.name,
    value: p.value,
    label: valueParts(lang, p.value, unit).num,
    colour: p.colour,
  }));
  const summary = bars.map((b) => `${b.name} ${b.label}`).join('; ');
  return (
    <section className="sector-breakdown" aria-label={t('breakdown', { name })}>
      <h4>{t('breakdown', { name })}</h4>
      <div className="sector-breakdown-body">
        {bars.length > 0 && (
          <Suspense fallback={<Loading />}>
            <BreakdownChart bars={bars} label={t('breakdownChart', { name, items: summary })} />
          </Suspense>
        )}
        <ul className="sector-parts" data-testid="breakdown">
          {parts.map((p) => (
            <li key={p.code} data-testid={`part-${p.code}`}>
              <span className="sector-swatch" style={{ background: p.colour }} aria-hidden="true" />
              <span className="sector-part-name">{p.name}</span>
              <span className="sector-part-value">
                {p.value === null ? '–' : valueParts(lang, p.value, unit).num}
              </span>
              {p.value !== null && total ? (
                <span className="sector-part-share">
                  {t('share', { pct: formatPercent(lang, (p.value / total) * 100, 1) })}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
