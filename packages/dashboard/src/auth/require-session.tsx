import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorMessage } from '../ui/error-message.js';
import { useSession } from './use-session.js';

/** Renders its children for a signed-in account; sends anyone else to sign in (and back afterwards). */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending)
    return (
      <p className="muted page-loading" role="status">
        Loading…
      </p>
    );
  if (session.isError) return <ErrorMessage error={session.error} />;
  if (!session.data) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}
