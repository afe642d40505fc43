import { useQuery } from '@tanstack/react-query';
import { cellsRequestOf, fetchCells, fetchSector, fetchSectors } from './data.ts';
import type { SectorCode } from './messages.ts';

/** The sectors change only with the metadata: asked once per page load (again after a failure). */
export function useSectorList() {
  return useQuery({
    queryKey: ['sectors'],
    queryFn: ({ signal }) => fetchSectors(signal),
    staleTime: Infinity,
  });
}

/**
 * One sector's page for a month (none: the newest with values), then, in one analytics request,
 * the values its figures show (keyed by that request, so a page read again asks again).
 */
export function useSectorPage(code: SectorCode | undefined, month: string | null) {
  const detailQ = useQuery({
    queryKey: ['sector', code, month],
    queryFn: ({ signal }) => fetchSector(code!, month ?? undefined, signal),
    enabled: !!code,
  });
  const req = detailQ.data ? cellsRequestOf(detailQ.data) : undefined;
  const cellsQ = useQuery({
    queryKey: ['sector-cells', req],
    queryFn: ({ signal }) => fetchCells(req ?? null, signal),
    enabled: req !== undefined,
  });
  // A retry shows the spinner again, as a first load does.
  const retrying = detailQ.isFetching && !detailQ.data;
  return {
    detail: retrying ? undefined : detailQ.data,
    error: retrying ? null : detailQ.error,
    retry: () => void detailQ.refetch(),
    cells: cellsQ.data,
    cellsLoading: cellsQ.isPending,
    cellsError: cellsQ.isPending ? null : cellsQ.error,
  };
}
