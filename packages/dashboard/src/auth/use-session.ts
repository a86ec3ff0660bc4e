import type { SessionView } from '@lumio/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/api-client.js';
import { isUnauthenticated } from '../api/api-error.js';

/** The query key of the signed-in session; invalidated on sign-in, sign-out and workspace changes. */
export const SESSION_KEY = ['session'] as const;

/** The session query: the signed-in account and its workspaces, `null` when nobody is signed in. */
export const sessionQuery = {
  queryKey: SESSION_KEY,
  queryFn: async (): Promise<SessionView | null> => {
    try {
      return await api<SessionView>('/auth/me');
    } catch (error) {
      if (isUnauthenticated(error)) return null;
      throw error;
    }
  },
  staleTime: 60_000,
};

/** The signed-in account and its workspaces; `null` when nobody is signed in. */
export function useSession() {
  return useQuery(sessionQuery);
}

/** Forgets every cached answer and reloads the session: after sign-in, sign-out or a password reset. */
export function useResetSession(): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    client.removeQueries();
    await client.fetchQuery({ queryKey: SESSION_KEY, queryFn: () => api<SessionView>('/auth/me').catch(() => null) });
  };
}
