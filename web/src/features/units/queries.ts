import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { answer, client } from '../../shared/api/client.ts';

const SEARCH_LIMIT = 50;

/** The versions of the unit tree: they change only with a new tree. */
export function useVersions() {
  return useQuery({
    queryKey: ['versions'],
    queryFn: ({ signal }) => answer(client.GET('/api/versions', { signal })),
    select: (r) => r.items,
    staleTime: Infinity,
  });
}

/** Units of a version matching a search; the last answer stays while the next one comes. */
export function useUnitSearch(version: string, q: string) {
  return useQuery({
    queryKey: ['orgunits', 'search', version, q],
    queryFn: ({ signal }) =>
      answer(
        client.GET('/api/orgunits', {
          params: { query: { version, q, limit: SEARCH_LIMIT } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** A unit and its children; the unit shown stays until the next one has come. */
export function useUnitWithChildren(version: string, code: string) {
  return useQuery({
    queryKey: ['orgunits', 'browse', version, code],
    queryFn: ({ signal }) => {
      const params = { path: { code }, query: { version } };
      return Promise.all([
        answer(client.GET('/api/orgunits/{code}', { params, signal })),
        answer(
          client.GET('/api/orgunits/{code}/children', {
            params: { path: { code }, query: { version, limit: 1000 } },
            signal,
          }),
        ),
      ]);
    },
    placeholderData: keepPreviousData,
  });
}
