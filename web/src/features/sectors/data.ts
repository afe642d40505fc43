import { api, query } from '../../api.ts';
import type { SectorCode } from './messages.ts';

/** The shapes of /api/sectors and /api/analytics/query (see /api/openapi.json). */

export interface PeriodInfo {
  id: string;
  type: 'day' | 'week' | 'month' | 'quarter' | 'half' | 'year' | 'range';
  start: string;
  end: string;
  labelVi: string;
  labelEn: string;
}

export interface SectorSummary {
  code: SectorCode;
  nameVi: string;
  nameEn: string;
  elements: number;
  latestMonth: string | null;
  months: number;
}

export interface Named {
  code: string;
  nameVi: string;
  nameEn: string;
}

export interface SectorElement extends Named {
  unit: string | null;
  valueType: string;
  aggTime: string;
  description: string | null;
  breakdown: (Named & { options: Named[] }) | null;
}

export interface Comparison {
  period: string;
  comparable: boolean;
  reported: number | null;
}

export interface SectorFigure {
  element: string;
  period: PeriodInfo;
  placement: 'month' | 'within' | 'span';
  through: string | null;
  options: string[];
  estimate: boolean;
  notes: string[];
  yoy: Comparison;
  prev: Comparison;
}

export interface SectorDetail {
  sector: Named;
  orgUnit: string;
  months: { id: string; labelVi: string; labelEn: string; figures: number }[];
  month: PeriodInfo | null;
  elements: SectorElement[];
  figures: SectorFigure[];
}

export interface Change {
  pct: number | null;
  previous: number | null;
  source: 'computed' | 'reported';
  period: string;
}

export interface Cell {
  dx: string;
  pe: string;
  ou: string;
  value: number | null;
  yoy?: Change;
  pop?: Change;
}

export const fetchSectors = (signal?: AbortSignal) =>
  api<{ items: SectorSummary[] }>('/api/sectors', { signal });

export const fetchSector = (code: string, month: string | undefined, signal?: AbortSignal) =>
  api<SectorDetail>(`/api/sectors/${encodeURIComponent(code)}${query({ month })}`, { signal });

/** The data items a figure needs: the element, and each part when it has more than one. */
export function itemsOf(f: SectorFigure): string[] {
  return f.options.length > 1
    ? [f.element, ...f.options.map((o) => `${f.element}.${o}`)]
    : [f.element];
}

/** Every value of the page in one analytics request: its items × its periods, at the nation. */
export async function fetchCells(
  detail: SectorDetail,
  signal?: AbortSignal,
): Promise<Map<string, Cell>> {
  const cells = new Map<string, Cell>();
  if (detail.figures.length === 0) return cells;
  const dx = [...new Set(detail.figures.flatMap(itemsOf))];
  const pe = [...new Set(detail.figures.map((f) => f.period.id))];
  const r = await api<{ items: Cell[] }>(
    `/api/analytics/query${query({ dx: dx.join(','), pe: pe.join(','), ou: detail.orgUnit })}`,
    { signal },
  );
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
