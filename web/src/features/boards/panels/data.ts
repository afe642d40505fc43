import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { answer, client } from '../../../shared/api/client.ts';
import type { Lang } from '../../../shared/format.ts';
import { loadCatalogue, loadGeoIndex, type GeoEntry } from '../../room/data.ts';
import { BOOT_KEY } from '../../room/useRoomData.ts';
import type { BoardPanel, PanelData } from './model.ts';

/** Every panel's figures are under this key: the board page invalidates ['board'] on live events. */
export const PANEL_KEY = ['board', 'panel'] as const;

export interface PanelVariables {
  unit?: string;
  period?: string;
}

/** The route's shape until the typed client has it (`npm run contract` after the server's merge). */
type Loose = {
  GET(
    url: string,
    init: {
      params: { path: Record<string, string | number>; query: Record<string, string> };
      signal?: AbortSignal;
    },
  ): Promise<{ data?: unknown }>;
  POST(url: string, init: { body: unknown; signal?: AbortSignal }): Promise<{ data?: unknown }>;
};
const loose = client as unknown as Loose;

/**
 * One panel's figures: a saved board's panel by its address (the server reads the panel it
 * keeps), a panel being built by its content.
 */
export async function fetchPanelData(
  panel: BoardPanel,
  variables: PanelVariables,
  version: string | undefined,
  boardId: number | undefined,
  signal?: AbortSignal,
): Promise<PanelData> {
  const vars: Record<string, string> = {};
  if (variables.unit) vars.unit = variables.unit;
  if (variables.period) vars.period = variables.period;
  const call = boardId
    ? loose.GET('/api/boards/{id}/panels/{panel}/data', {
        params: { path: { id: boardId, panel: panel.id }, query: vars },
        signal,
      })
    : loose.POST('/api/boards/panel-data', {
        body: { panel, variables: vars, ...(version ? { version } : {}) },
        signal,
      });
  return (await answer(call)) as PanelData;
}

/**
 * The panel's figures under ['board', 'panel', kind, …]; the language is in the key (the server
 * names figures and units in it). A new period or unit keeps the last figures on screen until
 * the new ones come, and so does a failed refresh (see shownError).
 */
export function usePanelData({
  panel,
  variables,
  version,
  boardId,
  lang,
  enabled,
}: {
  panel: BoardPanel;
  variables: PanelVariables;
  version: string | undefined;
  boardId: number | undefined;
  lang: Lang;
  enabled: boolean;
}) {
  return useQuery({
    queryKey: [
      ...PANEL_KEY,
      panel.kind,
      boardId ?? null,
      panel.id,
      { panel, unit: variables.unit, period: variables.period, version, lang },
    ],
    queryFn: ({ signal }) => fetchPanelData(panel, variables, version, boardId, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** The catalogue (units and decimals of the figures), shared with the room: read once. */
export function useCatalogue() {
  return useQuery({
    queryKey: [...BOOT_KEY, 'catalogue'],
    queryFn: () => loadCatalogue(),
    staleTime: Infinity,
  });
}

/** The boundary maps there are, shared with the room: read once. */
export function useGeoIndex() {
  return useQuery({
    queryKey: [...BOOT_KEY, 'geo'],
    queryFn: () => loadGeoIndex().catch((): GeoEntry[] => []),
    staleTime: Infinity,
  });
}
