/**
 * A board's pivot panel laid out (issue 19), as DHIS2's Data Visualizer lays out a pivot
 * table: the dimensions in rows, those in columns, one header list per row (and per column)
 * with one item per dimension, outer dimension first. Dimensions in neither are filters: the
 * caller has already counted their items as one. Pure: the server lays it out, the web draws it.
 */

export type PivotDimension = 'dx' | 'pe' | 'ou';

export interface PivotItem {
  id: string;
  label: string;
}

export interface PivotLayout {
  rows: PivotDimension[];
  columns: PivotDimension[];
  rowHeaders: PivotItem[][];
  columnHeaders: PivotItem[][];
  values: (number | null)[][];
}

/** Every combination of the dimensions' items, the first dimension varying slowest. */
function combinations(
  dims: readonly PivotDimension[],
  items: Record<PivotDimension, readonly PivotItem[]>,
): PivotItem[][] {
  let out: PivotItem[][] = [[]];
  for (const d of dims) out = out.flatMap((prefix) => items[d].map((i) => [...prefix, i]));
  return out;
}

/**
 * The pivot of `valueAt`: `valueAt(dx, pe, ou)` is read with the row's and column's items for
 * their dimensions and `undefined` for a filter dimension. No columns: one column of values.
 */
export function layoutPivot(
  rows: readonly PivotDimension[],
  columns: readonly PivotDimension[],
  items: Record<PivotDimension, readonly PivotItem[]>,
  valueAt: (at: Partial<Record<PivotDimension, string>>) => number | null,
): PivotLayout {
  const rowHeaders = combinations(rows, items);
  const columnHeaders = combinations(columns, items);
  const values = rowHeaders.map((r) =>
    columnHeaders.map((c) => {
      const at: Partial<Record<PivotDimension, string>> = {};
      rows.forEach((d, i) => (at[d] = r[i]!.id));
      columns.forEach((d, i) => (at[d] = c[i]!.id));
      return valueAt(at);
    }),
  );
  return { rows: [...rows], columns: [...columns], rowHeaders, columnHeaders, values };
}
