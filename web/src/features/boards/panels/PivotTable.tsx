import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { formatPeriodShort } from '../../../shared/format.ts';
import type { PanelT } from './messages.ts';
import { headerSpans, valueOf } from './model.ts';
import type { ViewProps } from './views.tsx';

const DIM_KEYS = { dx: 'dimDx', pe: 'dimPe', ou: 'dimOu' } as const;

const dimName = (t: PanelT, d: 'dx' | 'pe' | 'ou') => t(DIM_KEYS[d]);

/** How long a wall shows one page of a pivot's rows. */
const WALL_PAGE_MS = 8_000;

/**
 * On a wall nobody scrolls: the rows that fit are shown a page at a time, turning by
 * themselves. How many fit is measured on all the rows drawn once (names wrap, so rows differ
 * in height), again when the box changes size, leaving a row's height for the page's number.
 */
function useWallPages(on: boolean, total: number) {
  const box = useRef<HTMLDivElement>(null);
  /** null: every row is drawn, to be measured. */
  const [perPage, setPerPage] = useState<number | null>(null);
  const [page, setPage] = useState(0);
  useEffect(() => {
    const el = box.current;
    if (!on || !el) return;
    let last = '';
    const ro = new ResizeObserver(() => {
      const now = `${el.clientWidth}x${el.clientHeight}`;
      if (now !== last) setPerPage(null);
      last = now;
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [on, total]);
  useLayoutEffect(() => {
    const el = box.current;
    if (!on || !el || perPage !== null) return;
    const rows = [...el.querySelectorAll('tbody tr')];
    const top = el.getBoundingClientRect().top;
    const bottom = top + el.clientHeight;
    const fits = (limit: number) => rows.filter((r) => r.getBoundingClientRect().bottom <= limit);
    let n = fits(bottom).length;
    if (n < rows.length) {
      const rowHeight = rows[0]?.getBoundingClientRect().height ?? 0;
      n = fits(bottom - rowHeight).length;
    }
    setPerPage(Math.max(1, n));
    setPage(0);
  }, [on, perPage]);
  const size = perPage ?? total;
  const pages = Math.max(1, Math.ceil(total / size));
  useEffect(() => {
    if (!on || pages <= 1) return;
    const timer = setInterval(() => setPage((p) => (p + 1) % pages), WALL_PAGE_MS);
    return () => clearInterval(timer);
  }, [on, pages]);
  const first = on ? Math.min(page, pages - 1) * size : 0;
  return { box, first, last: on ? Math.min(total, first + size) : total, paged: on && pages > 1 };
}

/**
 * The pivot the server laid out: row headers down the left (one column per dimension, a header
 * spanning the rows it groups), column headers across the top (one row per dimension, spanning
 * the columns it groups), each value written as its figure is (unit, decimals). The headers stay
 * in view while the table scrolls inside its panel.
 */
export function PivotTable({ data, items, lang, t, title, wall }: ViewProps) {
  const pivot = data.pivot;
  const { box, first, last, paged } = useWallPages(wall === true, pivot?.values.length ?? 0);
  const rowSpans = useMemo(() => headerSpans(pivot?.rowHeaders ?? []), [pivot]);
  const colSpans = useMemo(() => {
    // Spans across: the column headers read one column at a time.
    return headerSpans(pivot?.columnHeaders ?? []);
  }, [pivot]);
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
  const columnCount = Math.max(columnHeaders.length, 1);
  // A wall writes days and months short ("30/11"): seven of them fit beside a unit's name.
  const columnLabel = (dim: 'dx' | 'pe' | 'ou', item: { id: string; label: string } | undefined) =>
    wall && dim === 'pe' && item ? formatPeriodShort(lang, item.id) : (item?.label ?? '');
  return (
    <div
      ref={box}
      className={`bp-pivot-scroll${paged ? ' bp-pivot-paged' : ''}`}
      tabIndex={0}
      role="region"
      aria-label={t('pivotCaption', { title })}
    >
      <table className="bp-pivot" data-testid="pivot">
        <caption className="sr-only">{t('pivotCaption', { title })}</caption>
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
                {columnHeaders.map((h, c) => {
                  const span = colSpans[c]?.[level] ?? 1;
                  if (span === 0) return null;
                  const item = h[level];
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
                  // A page of rows names each row's groups: a span may start on another page.
                  const span = paged ? 1 : (rowSpans[r]?.[level] ?? 1);
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
                {Array.from({ length: columnCount }, (_, c) => {
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
      {paged && (
        <p className="bp-pivot-page" data-testid="pivot-page">
          {t('pivotRows', { from: first + 1, to: last, total: values.length })}
        </p>
      )}
    </div>
  );
}
