import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
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
  ['companies', 'Companies'],
  ['analytics', 'Analytics'],
  // Every member reads the workspace settings; owners and admins change them.
  ['settings', 'Workspace settings'],
] as const;
const ADMIN = [
  ['team', 'Team'],
  ['api-keys', 'API keys'],
  ['webhooks', 'Webhooks'],
  ['audit-log', 'Audit log'],
] as const;

/**
 * The frame of every workspace page: navigation (team controls for owners and
 * admins only), switcher, account. On a narrow screen they fold behind a Menu
 * button (app.css decides the width).
 */
export function WorkspaceLayout() {
  const { workspaceId } = useParams();
  const session = useSession().data!;
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const main = useMoveFocusOnNavigation();
  const menu = useMenuDisclosure();
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
      <aside className="sidebar" onKeyDown={menu.onKeyDown}>
        <p className="brand">Lumio</p>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menu.open}
          aria-controls="workspace-menu"
          ref={menu.button}
          onClick={menu.toggle}
        >
          Menu
        </button>
        <div id="workspace-menu" className="sidebar-menu" data-open={menu.open}>
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

/**
 * The narrow screen's Menu button (a disclosure): Escape closes it and gives
 * the focus back to the button; following a link closes it, and the page
 * change then moves the focus to the new content (useMoveFocusOnNavigation).
 * On a wide screen the button is hidden and the state has no effect.
 */
function useMenuDisclosure() {
  const { pathname } = useLocation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => setOpen(false), [pathname]);
  const onKeyDown = (event: KeyboardEvent) => {
    // The switcher's dropdown is portalled elsewhere in the DOM; its Escape closes only itself.
    if (event.key !== 'Escape' || !open || !event.currentTarget.contains(event.target as Node)) return;
    setOpen(false);
    button.current?.focus();
  };
  return { open, button, onKeyDown, toggle: () => setOpen((was) => !was) };
}
