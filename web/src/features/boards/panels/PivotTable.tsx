import { useMemo } from 'react';
import type { PanelT } from './messages.ts';
import { headerSpans, valueOf } from './model.ts';
import type { ViewProps } from './views.tsx';

const DIM_KEYS = { dx: 'dimDx', pe: 'dimPe', ou: 'dimOu' } as const;

const dimName = (t: PanelT, d: 'dx' | 'pe' | 'ou') => t(DIM_KEYS[d]);

/**
 * The pivot the server laid out: row headers down the left (one column per dimension, a header
 * spanning the rows it groups), column headers across the top (one row per dimension, spanning
 * the columns it groups), each value written as its figure is (unit, decimals). The headers stay
 * in view while the table scrolls inside its panel.
 */
export function PivotTable({ data, items, lang, t, title }: ViewProps) {
  const pivot = data.pivot;
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
  return (
    <div
      className="bp-pivot-scroll"
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
                      {item?.label ?? ''}
                    </th>
                  );
                })}
              </tr>
            ))
          )}
        </thead>
        <tbody>
          {values.map((row, r) => (
            <tr key={r}>
              {rows.map((_, level) => {
                const span = rowSpans[r]?.[level] ?? 1;
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
          ))}
        </tbody>
      </table>
    </div>
  );
}
