import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, client } from '../../../shared/api/client.ts';
import type { Lang } from '../../../shared/format.ts';
import { loadCatalogue } from '../../room/data.ts';
import { BOOT_KEY } from '../../room/useRoomData.ts';
import { batchFor, earlyGeoIndex, useBatchScope } from './boardData.ts';
import type { BoardPanel, PanelData } from './model.ts';

/** Every panel's figures are under this key: the board page invalidates ['board'] on live events. */
export const PANEL_KEY = ['board', 'panel'] as const;

export interface PanelVariables {
  unit?: string;
  period?: string;
}

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
  if (boardId)
    return answer(
      client.GET('/api/boards/{id}/panels/{panel}/data', {
        params: { path: { id: boardId, panel: panel.id }, query: vars },
        signal,
      }),
    );
  return answer(
    client.POST('/api/boards/panel-data', {
      body: { panel, variables: vars, ...(version ? { version } : {}) },
      signal,
    }),
  );
}

/**
 * A panel's query key: ['board', 'panel', kind, board id, panel id, {…}]. A saved board's stream
 * (useBoardLive) puts the figures it is pushed under the same key.
 */
export function panelQueryKey(
  panel: BoardPanel,
  variables: PanelVariables,
  version: string | undefined,
  boardId: number | undefined,
  lang: Lang,
) {
  return [
    ...PANEL_KEY,
    panel.kind,
    boardId ?? null,
    panel.id,
    { panel, unit: variables.unit, period: variables.period, version, lang },
  ] as const;
}

/**
 * The panel's figures under ['board', 'panel', kind, …]; the language is in the key (the server
 * names figures and units in it). A new period or unit keeps the last figures on screen until
 * the new ones come, and so does a failed refresh (see shownError). A read that comes back
 * older than figures pushed meanwhile (useBoardLive) leaves the pushed ones. On a saved board's
 * page the first read of each variables takes the panel's line of the board's one answer
 * (boardData.ts), when it brings it.
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
  const client = useQueryClient();
  const scope = useBatchScope();
  const queryKey = panelQueryKey(panel, variables, version, boardId, lang);
  const batched =
    !!boardId &&
    scope?.id === boardId &&
    scope.unit === variables.unit &&
    scope.period === variables.period &&
    scope.lang === lang
      ? scope
      : undefined;
  return useQuery({
    queryKey,
    queryFn: async ({ signal }) => {
      const fromBoard = batched ? await batchFor(batched).take(panel.id) : undefined;
      const read =
        fromBoard?.kind === panel.kind
          ? fromBoard
          : await fetchPanelData(panel, variables, version, boardId, signal);
      const pushed = client.getQueryData<PanelData>(queryKey);
      return pushed && pushed.asOf > read.asOf ? pushed : read;
    },
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
    queryFn: earlyGeoIndex,
    staleTime: Infinity,
  });
}
