import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken, setUnauthenticatedHandler, type Me } from '../api.ts';

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
    const who = await api<Me>('/api/auth/me', { quiet401: true });
    setCsrfToken(who.csrfToken);
    return who;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function MeProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const q = useQuery({ queryKey: ME_KEY, queryFn: whoAmI, staleTime: Infinity, gcTime: Infinity });

  const session = useMemo<Session>(() => {
    // Another account's screens must not show from the cache: everything but `me` goes.
    const setMe = (me: Me | null) => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
      client.setQueryData(ME_KEY, me);
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
          await api('/api/auth/logout', { method: 'POST' });
        } finally {
          setCsrfToken(undefined);
          setMe(null);
        }
      },
    };
  }, [client, q.data, q.error]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(undefined);
      client.setQueryData(ME_KEY, null);
    });
  }, [client]);

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
