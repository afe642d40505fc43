import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { formatPeriodShort } from '../../../shared/format.ts';
import type { PanelT } from './messages.ts';
import { headerSpans, rowPageStarts, valueOf } from './model.ts';
import type { ViewProps } from './views.tsx';

const DIM_KEYS = { dx: 'dimDx', pe: 'dimPe', ou: 'dimOu' } as const;

const dimName = (t: PanelT, d: 'dx' | 'pe' | 'ou') => t(DIM_KEYS[d]);

/** How long a wall shows one page of a pivot. */
const WALL_PAGE_MS = 8_000;

/** A page's first and last (excluded) of `total`, `size` to a page. */
const slice = (index: number, size: number, total: number) => {
  const first = index * size;
  return { first, last: Math.min(total, first + size) };
};

/** How a wall's pivot is cut into pages, once measured. */
interface WallFit {
  /** Where each page of rows starts. */
  starts: number[];
  /** The row headers' widths (px) they were measured at, kept on every page. */
  widths: number[];
}

/**
 * On a wall nobody scrolls: the columns and rows that fit are shown a page at a time, turning
 * by themselves (each page of rows through its pages of columns). What fits is measured on the
 * drawn table, again when the box changes size or the figures change: first the columns, with
 * every one drawn (a portrait wall's narrow column does not hold seven days beside the names);
 * then the rows, with a page of columns drawn. Names wrap, so rows differ in height: a page holds
 * the rows whose heights add up to the box, less a line for the page's number, with the row
 * headers kept at the width they were measured at.
 */
function useWallPages(on: boolean, total: number, columns: number, content: unknown) {
  const box = useRef<HTMLDivElement>(null);
  /** null: not measured yet (every column, or every row, drawn). */
  const [perColumns, setPerColumns] = useState<number | null>(null);
  const [fit, setFit] = useState<WallFit | null>(null);
  const [page, setPage] = useState(0);
  // Before the browser paints: measuring draws every row once.
  useLayoutEffect(() => {
    setPerColumns(null);
    setFit(null);
  }, [on, content]);
  useEffect(() => {
    const el = box.current;
    if (!on || !el) return;
    let last = `${el.clientWidth}x${el.clientHeight}`;
    const ro = new ResizeObserver(() => {
      const now = `${el.clientWidth}x${el.clientHeight}`;
      if (now === last) return;
      last = now;
      setPerColumns(null);
      setFit(null);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [on, total, columns]);
  useLayoutEffect(() => {
    const el = box.current;
    if (!on || !el || fit !== null) return;
    if (perColumns === null) {
      // The first row's cells, one per column: those whose right edge is inside the box.
      const right = el.getBoundingClientRect().left + el.clientLeft + el.clientWidth;
      const cells = [...el.querySelectorAll('tbody tr:first-child td')];
      const fits = cells.filter((c) => c.getBoundingClientRect().right <= right + 0.5);
      setPerColumns(Math.max(1, fits.length));
      return;
    }
    const height = (e: Element | null) => e?.getBoundingClientRect().height ?? 0;
    const heights = [...el.querySelectorAll('tbody tr')].map(height);
    const room = el.clientHeight - height(el.querySelector('thead'));
    // The page's number: a line of 0.9 em, with its gap.
    const label = 1.5 * parseFloat(getComputedStyle(el).fontSize);
    const widths = [...el.querySelectorAll('tbody tr:first-child th')].map(
      (e) => e.getBoundingClientRect().width,
    );
    setFit({ starts: rowPageStarts(heights, room, label, perColumns < columns), widths });
  }, [on, perColumns, fit, columns, total, content]);
  const across = perColumns ?? columns;
  const starts = fit?.starts ?? [0];
  const columnPages = Math.max(1, Math.ceil(columns / across));
  const pages = starts.length * columnPages;
  useEffect(() => {
    if (!on || pages <= 1) return;
    const timer = setInterval(() => setPage((p) => p + 1), WALL_PAGE_MS);
    return () => clearInterval(timer);
  }, [on, pages]);
  if (!on || fit === null) {
    const all = {
      rows: slice(0, total, total),
      cols: on && perColumns !== null ? slice(0, perColumns, columns) : slice(0, columns, columns),
    };
    return { box, ...all, paged: false, rowsPaged: false, columnsPaged: false, widths: [] };
  }
  const at = page % pages;
  const r = Math.floor(at / columnPages);
  return {
    box,
    rows: { first: starts[r]!, last: starts[r + 1] ?? total },
    cols: slice(at % columnPages, across, columns),
    paged: pages > 1,
    rowsPaged: starts.length > 1,
    columnsPaged: columnPages > 1,
    widths: fit.widths,
  };
}

/**
 * The pivot the server laid out: row headers down the left (one column per dimension, a header
 * spanning the rows it groups), column headers across the top (one row per dimension, spanning
 * the columns it groups), each value written as its figure is (unit, decimals). The headers stay
 * in view while the table scrolls inside its panel.
 */
export function PivotTable({ data, items, lang, t, title, wall }: ViewProps) {
  const pivot = data.pivot;
  const columnCount = Math.max(pivot?.columnHeaders.length ?? 0, 1);
  const page = useWallPages(wall === true, pivot?.values.length ?? 0, columnCount, pivot);
  const { first, last } = page.rows;
  const shownColumns = useMemo(
    () => Array.from({ length: page.cols.last - page.cols.first }, (_, i) => page.cols.first + i),
    [page.cols.first, page.cols.last],
  );
  const rowSpans = useMemo(() => headerSpans(pivot?.rowHeaders ?? []), [pivot]);
  // Spans across, over the columns shown: the column headers read one column at a time.
  const colSpans = useMemo(
    () => headerSpans(shownColumns.map((c) => pivot?.columnHeaders[c] ?? [])),
    [pivot, shownColumns],
  );
  if (!pivot || pivot.values.length === 0) return <p className="bp-empty">{t('pivotEmpty')}</p>;
  const { rows, columns, rowHeaders, columnHeaders, values } = pivot;
  // Which figure a value is: named by its row or its column, else the panel's only one.
  const dxRow = rows.indexOf('dx');
  const dxCol = columns.indexOf('dx');
  const figureAt = (r: number, c: number) =>
    dxRow >= 0
      ? rowHeaders[r]?.[dxRow]?.id
      : dxCol >= 0
        ? columnHeaders[c]?.[dxCol]?.id
        : data.figures[0]?.code;
  // A wall writes days and months short ("30/11"): seven of them fit beside a unit's name.
  const columnLabel = (dim: 'dx' | 'pe' | 'ou', item: { id: string; label: string } | undefined) =>
    wall && dim === 'pe' && item ? formatPeriodShort(lang, item.id) : (item?.label ?? '');
  return (
    <div
      ref={page.box}
      className={`bp-pivot-scroll${wall ? ' bp-pivot-wall' : ''}`}
      tabIndex={0}
      role="region"
      aria-label={t('pivotCaption', { title })}
    >
      <table className="bp-pivot" data-testid="pivot">
        <caption className="sr-only">{t('pivotCaption', { title })}</caption>
        {page.widths.length > 0 && (
          <colgroup>
            {page.widths.map((w, i) => (
              <col key={i} style={{ width: w }} />
            ))}
          </colgroup>
        )}
        <thead>
          {columns.length === 0 ? (
            <tr>
              {rows.map((d) => (
                <th key={d} scope="col" className="bp-pivot-corner">
                  {dimName(t, d)}
                </th>
              ))}
              <th scope="col" className="num">
                {t('pivotValue')}
              </th>
            </tr>
          ) : (
            columns.map((dim, level) => (
              <tr key={dim}>
                {level < columns.length - 1 ? (
                  level === 0 ? (
                    <td
                      colSpan={rows.length}
                      rowSpan={columns.length - 1}
                      className="bp-pivot-corner"
                    />
                  ) : null
                ) : (
                  rows.map((d) => (
                    <th key={d} scope="col" className="bp-pivot-corner">
                      {dimName(t, d)}
                    </th>
                  ))
                )}
                {shownColumns.map((c, i) => {
                  const span = colSpans[i]?.[level] ?? 1;
                  if (span === 0) return null;
                  const item = columnHeaders[c]?.[level];
                  return (
                    <th
                      key={c}
                      colSpan={span > 1 ? span : undefined}
                      scope={span > 1 ? 'colgroup' : 'col'}
                      className="num"
                    >
                      {columnLabel(dim, item)}
                    </th>
                  );
                })}
              </tr>
            ))
          )}
        </thead>
        <tbody>
          {values.slice(first, last).map((row, i) => {
            const r = first + i;
            return (
              <tr key={r}>
                {rows.map((_, level) => {
                  // A wall's page of rows names each row's groups: a span may start on another
                  // page (and a row is measured as it is shown).
                  const span = wall ? 1 : (rowSpans[r]?.[level] ?? 1);
                  if (span === 0) return null;
                  return (
                    <th
                      key={level}
                      rowSpan={span > 1 ? span : undefined}
                      scope={span > 1 ? 'rowgroup' : 'row'}
                      className={level === 0 ? 'bp-pivot-first' : undefined}
                    >
                      {rowHeaders[r]?.[level]?.label ?? ''}
                    </th>
                  );
                })}
                {shownColumns.map((c) => {
                  const figure = figureAt(r, c);
                  return (
                    <td key={c} className="num">
                      {valueOf(lang, row[c], figure ? items.get(figure) : undefined)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {page.paged && (
        <p className="bp-pivot-page" data-testid="pivot-page">
          {page.rowsPaged && t('pivotRows', { from: first + 1, to: last, total: values.length })}
          {page.rowsPaged && page.columnsPaged && ' · '}
          {page.columnsPaged &&
            t('pivotColumns', {
              from: page.cols.first + 1,
              to: page.cols.last,
              total: columnCount,
            })}
        </p>
      )}
    </div>
  );
}
