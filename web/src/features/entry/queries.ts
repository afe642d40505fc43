import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { answer, client, type Schemas } from '../../shared/api/client.ts';
import type { Choice } from './choice.ts';

/** The data sets this account can enter, with the units of its scope. */
export function useEntryDataSets(username: string) {
  return useQuery({
    queryKey: ['dataEntry', 'dataSets', username],
    queryFn: ({ signal }) => answer(client.GET('/api/dataEntry/dataSets', { signal })),
  });
}

export const formKey = (c: Choice) => ['dataEntry', 'form', c.ds, c.u, c.p] as const;

/**
 * The form of a choice. The previous form stays (busy) while the next one comes; nothing is kept
 * once the page is left, so coming back reads the stored values afresh.
 */
export function useEntryForm(choice: Choice | null) {
  return useQuery({
    queryKey: choice ? formKey(choice) : ['dataEntry', 'form'],
    queryFn: ({ signal }) =>
      answer(
        client.GET('/api/dataEntry/form', {
          params: { query: { dataSet: choice!.ds, orgUnit: choice!.u, period: choice!.p } },
          signal,
        }),
      ),
    enabled: choice !== null,
    placeholderData: keepPreviousData,
    gcTime: 0,
  });
}

export function saveForm(
  choice: Choice,
  values: Record<string, string>,
): Promise<Schemas['DataEntrySaved']> {
  return answer(
    client.POST('/api/dataEntry/form', {
      body: { dataSet: choice.ds, orgUnit: choice.u, period: choice.p, values },
    }),
  );
}

export interface UnitHit {
  code: string;
  fullName: string;
  parent: string;
}

/** Units of a data set's level whose name matches, for the unit picker's search. */
export async function searchUnits(
  version: string,
  level: number,
  q: string,
  signal: AbortSignal,
): Promise<UnitHit[]> {
  const r = await answer(
    client.GET('/api/orgunits', { params: { query: { version, level, q, limit: 10 } }, signal }),
  );
  return r.items.map((u) => ({
    code: u.code,
    fullName: u.fullName,
    parent: u.ancestors
      .filter((a) => a.level > 0)
      .map((a) => a.fullName)
      .join(', '),
  }));
}
