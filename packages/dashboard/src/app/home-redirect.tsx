import { Navigate } from 'react-router';
import { useSession } from '../auth/use-session.js';

/** `/app`: the first workspace's widgets, or creating a workspace when the account has none. */
export function HomeRedirect() {
  const session = useSession().data!;
  const first = session.workspaces[0];
  return <Navigate to={first ? `/w/${first.id}/widgets` : '/workspaces/new'} replace />;
}
