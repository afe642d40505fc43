import {
  changeDecimals,
  formatChange,
  formatDate,
  formatPercent,
  formatValue,
  printedDecimals,
  unitLabel,
  type FigureDirection,
  type Lang,
} from '../../shared/format.ts';
import type { Cell, Change, Item } from './data.ts';
import { CarriedMark } from './CarriedMark.tsx';
import { FlagMark } from '../../shared/FlagMark.tsx';
import { type OverviewT } from './messages.ts';

export function itemName(lang: Lang, item: Item | undefined, code: string): string {
  return item ? (lang === 'vi' ? item.nameVi : item.nameEn) : code;
}

export function valueText(
  lang: Lang,
  item: Item | undefined,
  v: number | null | undefined,
  compact = true,
): string {
  return formatValue(lang, v, item?.unit, { decimals: item?.decimals, compact });
}

/**
 * A change with its arrow, coloured by what it means for the figure (green good, red bad, blue
 * neither), with the word the colour stands for ("xấu", "tốt") and the whole in words for a
 * screen reader: colour is never the only sign.
 */
export function ChangeMark({
  lang,
  change,
  against,
  t,
  testId,
  direction,
}: {
  lang: Lang;
  change: Change | undefined;
  /** "so với cùng kỳ"; empty in a table whose column says it. */
  against: string;
  t: OverviewT;
  testId?: string;
  /** What a rise in the figure means; neutral when unknown. */
  direction: FigureDirection | undefined;
}) {
  if (!change || change.pct === null)
    return (
      <span className="change change-none" data-testid={testId}>
        {against ? `${against}: ${t('noComparison')}` : '–'}
      </span>
    );
  // As the briefing prints it: a computed change with one decimal, two where one would round
  // it off (7,03%, not 7%); a reported one with the decimals it was printed with.
  const c = formatChange(
    lang,
    change.pct,
    change.source === 'reported' ? printedDecimals(change.pct) : changeDecimals(change.pct),
    direction,
  );
  return (
    <span
      className={`change change-${c.direction} change-${c.judgement}`}
      data-testid={testId}
      data-judgement={c.judgement}
      title={against ? `${c.words} ${against}` : c.words}
    >
      <span className="change-arrow" aria-hidden="true">
        {c.arrow}
      </span>{' '}
      <span className="sr-only">{c.words}</span>
      <span aria-hidden="true">{c.text.slice(2)}</span>
      {c.verdict && (
        <span className="change-verdict" aria-hidden="true">
          {' '}
          {c.verdict}
        </span>
      )}
      {against && <span className="change-against"> {against}</span>}
      {change.source === 'reported' && (
        <span className="reported" title={t('reportedTitle')}>
          {' '}
          ({t('reported')})
        </span>
      )}
    </span>
  );
}

/** "10,9 triệu lượt": the number large, the counting word ("lượt") smaller after it. */
function ValueParts({ text, unit }: { text: string; unit: string }) {
  if (!unit || unit === '%' || !text.endsWith(' ' + unit)) return <>{text}</>;
  return (
    <>
      <span className="tile-num">{text.slice(0, -unit.length - 1)}</span>{' '}
      <span className="tile-unit">{unit}</span>
    </>
  );
}

export interface TileModel {
  code: string;
  item: Item | undefined;
  cell: Cell | undefined;
  alert: boolean;
}

export function Tiles({
  tiles,
  lang,
  t,
  periodLabel,
  previousLabel,
  mapCode,
  onShowOnMap,
  loading,
  compare = ['previous', 'last_year'],
}: {
  tiles: TileModel[];
  lang: Lang;
  t: OverviewT;
  periodLabel: string;
  previousLabel: string;
  /** The figure on the room's map; no map (a board's tiles): no "show on map" button. */
  mapCode?: string;
  onShowOnMap?: (code: string) => void;
  loading: boolean;
  /** The comparisons shown (a board's tile chooses them; the room shows both). */
  compare?: readonly ('previous' | 'last_year')[];
}) {
  return (
    <section className="tiles" aria-label={t('tilesLabel')} aria-busy={loading}>
      {tiles.map(({ code, item, cell, alert }) => {
        const name = itemName(lang, item, code);
        const value = cell?.value ?? null;
        const onMap = code === mapCode;
        const target = cell?.target;
        return (
          <article
            key={code}
            className={`tile${alert ? ' tile-alert' : ''}${onMap ? ' tile-on-map' : ''}`}
            data-testid={`tile-${code}`}
            aria-labelledby={`tile-name-${code}`}
          >
            <div className="tile-head">
              <h3 className="tile-name" id={`tile-name-${code}`}>
                {name}
              </h3>
              {alert && (
                <span className="tile-alert-mark" data-testid={`tile-alert-${code}`}>
                  <span aria-hidden="true">⚠ </span>
                  {t('alertMark')}
                </span>
              )}
            </div>
            <p className="tile-value" data-testid={`tile-value-${code}`}>
              {value === null ? (
                <span className="tile-empty">{t('noData')}</span>
              ) : (
                <ValueParts
                  text={valueText(lang, item, value)}
                  unit={unitLabel(lang, item?.unit)}
                />
              )}
            </p>
            {value !== null && cell?.carried && (
              <CarriedMark carried={cell.carried} lang={lang} t={t} />
            )}
            {value !== null && cell?.flags && <FlagMark flags={cell.flags} lang={lang} />}
            <p className="tile-period">{periodLabel}</p>
            <ul className="tile-changes">
              {compare.includes('previous') && (
                <li>
                  <ChangeMark
                    lang={lang}
                    change={cell?.pop}
                    against={previousLabel}
                    t={t}
                    testId={`tile-pop-${code}`}
                    direction={item?.direction}
                  />
                </li>
              )}
              {compare.includes('last_year') && (
                <li>
                  <ChangeMark
                    lang={lang}
                    change={cell?.yoy}
                    against={t('vsLastYear')}
                    t={t}
                    testId={`tile-yoy-${code}`}
                    direction={item?.direction}
                  />
                </li>
              )}
            </ul>
            {target && target.share !== null && (
              <div className="tile-target">
                <progress
                  max={100}
                  value={Math.max(0, Math.min(100, target.share))}
                  aria-label={t('targetLabel')}
                />
                <span>
                  {t('target', {
                    share: formatPercent(lang, target.share, 0),
                    target: valueText(lang, item, target.value),
                    due: formatDate(lang, target.due),
                  })}
                </span>
              </div>
            )}
            {onShowOnMap && (
              <button
                type="button"
                className="tile-map-btn"
                aria-pressed={onMap}
                onClick={() => onShowOnMap(code)}
              >
                {onMap ? t('onMap') : t('showOnMap')}
              </button>
            )}
          </article>
        );
      })}
    </section>
  );
}
