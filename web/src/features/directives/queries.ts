import { useQuery } from '@tanstack/react-query';
import { ApiError, client } from '../../shared/api/client.ts';

/**
 * Reads of the unit tree the directive, task and plan forms share (issue 15): one query per URL,
 * so a form opened twice, or the plan page after the task form, reads each answer once.
 */

/** An answer's body; an error answer has already thrown ApiError in the client. */
async function body<T>(call: Promise<{ data?: T }>): Promise<T> {
  const { data } = await call;
  if (data === undefined) throw new ApiError(0, 'network', '', undefined);
  return data;
}

/** `GET /api/orgunits/{code}?version=`: a unit, with how many units lie below it per level. */
export function useUnitDetail(version: string | undefined, code: string, enabled = true) {
  return useQuery({
    queryKey: ['orgunits', 'detail', version, code],
    queryFn: ({ signal }) =>
      body(
        client.GET('/api/orgunits/{code}', {
          params: { path: { code }, query: { version } },
          signal,
        }),
      ),
    enabled: enabled && version !== undefined,
  });
}

/** `GET /api/orgunits/{code}/children?version=`: the units right below a unit. */
export function useUnitChildren(version: string | undefined, code: string, enabled = true) {
  return useQuery({
    queryKey: ['orgunits', 'children', version, code],
    queryFn: ({ signal }) =>
      body(
        client.GET('/api/orgunits/{code}/children', {
          params: { path: { code }, query: { version, limit: 5000 } },
          signal,
        }),
      ),
    select: (r) => r.items,
    enabled,
  });
}

/**
 * `GET /api/groups?version=`: the groups of a tree within the caller's scope, each with its
 * name and number of members (a directive may be sent to one).
 */
export function useGroups(version: string | undefined) {
  return useQuery({
    queryKey: ['groups', version],
    queryFn: ({ signal }) =>
      body(client.GET('/api/groups', { params: { query: { version } }, signal })),
    select: (r) => r.items,
    enabled: version !== undefined,
  });
}
