import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  answer,
  ApiError,
  client,
  QUIET_401,
  setCsrfToken,
  setUnauthenticatedHandler,
  type Permission,
} from './api/client.ts';
import type { Me } from './api/types.ts';

export type { Me, Permission };

/**
 * The signed-in user: asked once (`GET /api/auth/me`), set by the login form, cleared on sign-out
 * or when any request answers 401. One provider at the top; screens read it with `useMe()`.
 */
export const ME_KEY = ['me'] as const;

interface Session {
  /** undefined: still asking the server who we are; null: not signed in. */
  me: Me | null | undefined;
  /** The first question failed for another reason than "not signed in". */
  error: unknown;
  signedIn: (me: Me) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

async function whoAmI(): Promise<Me | null> {
  try {
    // Not signed in is an answer here, not a session that ended.
    const who = await answer(client.GET('/api/auth/me', { headers: { [QUIET_401]: '1' } }));
    setCsrfToken(who.csrfToken);
    return who;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function MeProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: ME_KEY, queryFn: whoAmI, staleTime: Infinity, gcTime: Infinity });

  const session = useMemo<Session>(() => {
    // Another account's screens must not show from the cache: everything but `me` goes.
    const setMe = (me: Me | null) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, me);
    };
    return {
      me: q.data,
      error: q.error,
      signedIn: (me) => {
        setCsrfToken(me.csrfToken);
        setMe(me);
      },
      signOut: async () => {
        try {
          await client.POST('/api/auth/logout');
        } finally {
          setCsrfToken(undefined);
          setMe(null);
        }
      },
    };
  }, [queryClient, q.data, q.error]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(undefined);
      queryClient.setQueryData(ME_KEY, null);
    });
  }, [queryClient]);

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside <MeProvider>');
  return s;
}

/** The signed-in user, for screens shown only after sign-in. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe before sign-in');
  return me;
}

/**
 * Whether the signed-in user may do something (the server checks again, with the unit): the
 * name is one of the API's permission names, a misspelt one does not compile.
 */
export function can(me: Pick<Me, 'permissions'>, permission: Permission): boolean {
  return me.permissions.includes(permission);
}
