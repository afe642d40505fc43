import { ApiError, client, type Schemas } from '../../shared/api/client.ts';

/** The shapes of /api/sectors and /api/analytics/query, as the server's contract declares them. */

export type SectorSummary = Schemas['SectorList']['items'][number];
export type SectorDetail = Schemas['SectorDetail'];
export type SectorElement = SectorDetail['elements'][number];
export type SectorFigure = SectorDetail['figures'][number];
export type SectorMonth = SectorDetail['months'][number];
export type SectorPeriod = Schemas['SectorPeriod'];
export type Comparison = Schemas['SectorComparison'];
export type Change = Schemas['Change'];
export type Cell = Schemas['AnalyticsCell'];

/** An answer's body; an error answer has already thrown ApiError in the client. */
async function body<T>(call: Promise<{ data?: T }>): Promise<T> {
  const { data } = await call;
  if (data === undefined) throw new ApiError(0, 'network', '', undefined);
  return data;
}

export const fetchSectors = (signal?: AbortSignal) =>
  body(client.GET('/api/sectors', { signal })).then((r) => r.items);

export const fetchSector = (code: string, month: string | undefined, signal?: AbortSignal) =>
  body(
    client.GET('/api/sectors/{sector}', {
      params: { path: { sector: code }, query: { month } },
      signal,
    }),
  );

/** The data items a figure needs: the element, and each part when it has more than one. */
export function itemsOf(f: SectorFigure): string[] {
  return f.options.length > 1
    ? [f.element, ...f.options.map((o) => `${f.element}.${o}`)]
    : [f.element];
}

/** The one analytics request of a page: its items × its periods, at its unit (none: no figures). */
export interface CellsRequest {
  dx: string;
  pe: string;
  ou: string;
}

export function cellsRequestOf(detail: SectorDetail): CellsRequest | null {
  if (detail.figures.length === 0) return null;
  return {
    dx: [...new Set(detail.figures.flatMap(itemsOf))].join(','),
    pe: [...new Set(detail.figures.map((f) => f.period.id))].join(','),
    ou: detail.orgUnit,
  };
}

/** Every value of the page in one analytics request, by `cellKey`. */
export async function fetchCells(
  req: CellsRequest | null,
  signal?: AbortSignal,
): Promise<Map<string, Cell>> {
  const cells = new Map<string, Cell>();
  if (!req) return cells;
  const r = await body(client.GET('/api/analytics/query', { params: { query: req }, signal }));
  for (const c of r.items) cells.set(cellKey(c.dx, c.pe), c);
  return cells;
}

export const cellKey = (dx: string, pe: string) => `${dx}|${pe}`;

/**
 * The change to show against an earlier period: analytics' computed one where it compares like
 * with like, else the change the source printed (analytics' or the figure's own), else none.
 */
export function changeToShow(change: Change | undefined, cmp: Comparison): Change | null {
  if (change && change.pct !== null) {
    if (change.source === 'reported' || cmp.comparable) return change;
  }
  if (cmp.reported !== null)
    return { pct: cmp.reported, previous: null, source: 'reported', period: cmp.period };
  return null;
}
