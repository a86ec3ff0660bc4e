import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../api/api-client.js';
import { useResetSession, useSession } from '../auth/use-session.js';
import { canManage } from '../workspaces/use-workspace.js';
import { WorkspaceSwitcher } from '../workspaces/workspace-switcher.js';

const CONTENT = [
  ['widgets', 'Widgets'],
  ['announcements', 'Announcements'],
  ['segments', 'Segments'],
  ['help', 'Help center'],
  ['users', 'Users'],
  ['analytics', 'Analytics'],
  // Every member reads the workspace settings; owners and admins change them.
  ['settings', 'Workspace settings'],
] as const;
const ADMIN = [
  ['team', 'Team'],
  ['api-keys', 'API keys'],
  ['audit-log', 'Audit log'],
] as const;

/** The frame of every workspace page: navigation (team controls for owners and admins only), switcher, account. */
export function WorkspaceLayout() {
  const { workspaceId } = useParams();
  const session = useSession().data!;
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const main = useMoveFocusOnNavigation();
  const signOut = useMutation({
    mutationFn: () => api('/auth/logout', { method: 'POST', body: {} }),
    onSettled: async () => {
      await resetSession();
      navigate('/sign-in', { replace: true });
    },
  });
  const workspace = session.workspaces.find((w) => w.id === workspaceId);
  if (!workspace) return <Navigate to="/" replace />;
  const items = canManage(workspace.role) ? [...CONTENT, ...ADMIN] : CONTENT;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <p className="brand">Lumio</p>
        <WorkspaceSwitcher current={workspace} workspaces={session.workspaces} />
        <nav aria-label="Workspace">
          <ul>
            {items.map(([path, label]) => (
              <li key={path}>
                <NavLink to={`/w/${workspace.id}/${path}`}>{label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          <NavLink to="/account">{session.account.name || session.account.email}</NavLink>
          <button type="button" className="link-button" onClick={() => signOut.mutate()}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" className="content" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </div>
  );
}

/**
 * After a move to another page, puts the focus at the start of its content
 * (the link or button that led there is gone, or is in the sidebar): a
 * keyboard user goes on from the new page, a screen reader says where they are.
 */
function useMoveFocusOnNavigation() {
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    if (main.current && !main.current.contains(document.activeElement)) main.current.focus();
  }, [pathname]);
  return main;
}
