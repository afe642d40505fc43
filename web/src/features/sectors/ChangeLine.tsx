import {
  formatChange,
  formatPeriod,
  type FigureDirection,
  type Lang,
} from '../../shared/format.ts';
import type { Change } from './data.ts';
import { joined, QUALIFIER_WORDS, valueParts, type Qualifier } from './figureText.ts';
import type { SectorT } from './messages.ts';

/** How many decimals the source printed a change with (10,29%; 3%), at most two. */
function decimalsOf(pct: number): number {
  const s = String(Math.abs(pct));
  const i = s.indexOf('.');
  return i < 0 ? 0 : Math.min(2, s.length - i - 1);
}

/** The year a compared period ends in: "so với cùng kỳ 2021". */
function yearOf(periodId: string): string {
  const years = periodId.match(/\d{4}/g);
  return years?.at(-1) ?? periodId;
}

/**
 * A change against an earlier period, as the card writes it: "▲ tăng 10,29% so với cùng kỳ 2021",
 * the arrow coloured by what the change means for the figure and the meaning said in a word
 * after it ("· xấu"), so that colour is never the only sign.
 */
export function ChangeLine({
  change,
  printed,
  qualifier = null,
  kind,
  lang,
  t,
  unit,
  direction,
}: {
  change: Change;
  /** the change the source printed, if any: a computed one is written to its precision */
  printed: number | null;
  /** how the source qualified the change it printed ("khoảng 23%"), kept with it */
  qualifier?: Qualifier | null;
  kind: 'yoy' | 'prev';
  lang: Lang;
  t: SectorT;
  unit: string | null;
  /** What a rise in the figure means. */
  direction: FigureDirection;
}) {
  // 4.581.000 against 4.014.701 is the printed "14,1%", 1.690.000 against 1.578.959 "7,03%".
  const decimals =
    change.source === 'reported'
      ? decimalsOf(change.pct!)
      : printed !== null
        ? decimalsOf(printed)
        : 1;
  const c = formatChange(lang, change.pct!, decimals, direction);
  // "giảm khoảng 23%": the qualifier stays with a reported change. The verdict ("xấu") is
  // written apart, after the comparison, where it reads as a judgement of the whole line.
  const words =
    qualifier && change.source === 'reported' && c.direction !== 'flat'
      ? c.move.replace(' ', ` ${QUALIFIER_WORDS[lang][qualifier]} `)
      : c.move;
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
    <li
      className={`sector-change sector-change-${c.direction} sector-change-${c.judgement}`}
      data-testid={`change-${kind}`}
      data-judgement={c.judgement}
    >
      <span className="sector-arrow" aria-hidden="true">
        {c.arrow}
      </span>
      <span className="sector-change-text" title={title}>
        {words} {versus}
        {c.verdict && <span className="sector-verdict">, {c.verdict}</span>}
      </span>
      {change.source === 'reported' && (
        <span className="sector-badge" title={t('reportedTitle')}>
          {t('reported')}
        </span>
      )}
    </li>
  );
}
