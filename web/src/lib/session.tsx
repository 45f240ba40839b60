/** Who is signed in (GET /api/auth/me), shared with every page; a 401 anywhere signs the app out. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthenticated, type Me, type Session } from '../api';

type State = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; me: Me } | { status: 'error'; error: string };

interface SessionValue {
  state: State;
  /** Reload who is signed in (after sign-up, log-in). */
  refresh(): Promise<void>;
  signedIn(session: Session): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      setState({ status: 'signed-in', me: await api.me() });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setState({ status: 'signed-out' });
      else setState({ status: 'error', error: err instanceof Error ? err.message : String(err) });
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onUnauthenticated(() => setState({ status: 'signed-out' }));
  }, [refresh]);

  const value = useMemo<SessionValue>(
    () => ({
      state,
      refresh,
      signedIn(session) {
        setState({
          status: 'signed-in',
          me: {
            user: { id: session.user.id, email: session.user.email },
            organization: session.organization,
            role: session.role,
            via: 'session',
            csrfToken: session.csrfToken,
            organizations: [{ ...session.organization, role: session.role }],
          },
        });
      },
      async signOut() {
        try {
          await api.logout();
        } finally {
          setState({ status: 'signed-out' });
        }
      },
    }),
    [state, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user (pages under the dashboard layout only). */
export function useMe(): Me & { canManage: boolean } {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe outside a signed-in page');
  return { ...state.me, canManage: state.me.role === 'OWNER' || state.me.role === 'ADMIN' };
}
