import { createBrowserRouter, Navigate, Outlet, type RouteObject } from 'react-router';
import { RequireSession } from '../auth/require-session.js';
import { analyticsRoutes } from '../analytics/analytics-routes.js';
import { announcementsRoutes } from '../announcements/announcements-routes.js';
import { apiKeysRoutes } from '../api-keys/api-keys-routes.js';
import { auditLogRoutes } from '../audit-log/audit-log-routes.js';
import { companiesRoutes } from '../companies/companies-routes.js';
import { helpCenterRoutes } from '../help-center/help-center-routes.js';
import { segmentsRoutes } from '../segments/segments-routes.js';
import { teamRoutes } from '../team/team-routes.js';
import { usersRoutes } from '../users/users-routes.js';
import { webhooksRoutes } from '../webhooks/webhooks-routes.js';
import { widgetsRoutes } from '../widgets/widgets-routes.js';
import { workspaceSettingsRoutes } from '../workspace-settings/workspace-settings-routes.js';
import { HomeRedirect } from './home-redirect.js';
import { NotFoundPage } from './not-found-page.js';
import { WorkspaceLayout } from './workspace-layout.js';

// The pages before sign-in are small and come with the shell; each workspace
// page is a chunk of its own (see each area's *-routes.ts).
const lazyPage = (load: () => Promise<{ default: React.ComponentType }>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

const pages: RouteObject[] = [
  { path: 'setup', ...lazyPage(() => import('../auth/setup-page.js').then((m) => ({ default: m.SetupPage }))) },
  { path: 'sign-in', ...lazyPage(() => import('../auth/sign-in-page.js').then((m) => ({ default: m.SignInPage }))) },
  { path: 'invite', ...lazyPage(() => import('../auth/invite-page.js').then((m) => ({ default: m.InvitePage }))) },
  { path: 'reset-password', ...lazyPage(() => import('../auth/reset-password-page.js').then((m) => ({ default: m.ResetPasswordPage }))) },
  {
    path: 'forgot-password',
    ...lazyPage(() => import('../auth/forgot-password-page.js').then((m) => ({ default: m.ForgotPasswordPage }))),
  },
  {
    element: (
      <RequireSession>
        <Outlet />
      </RequireSession>
    ),
    children: [
      { index: true, element: <HomeRedirect /> },
      {
        path: 'workspaces/new',
        ...lazyPage(() => import('../workspaces/new-workspace-page.js').then((m) => ({ default: m.NewWorkspacePage }))),
      },
      { path: 'account', ...lazyPage(() => import('../account/account-page.js').then((m) => ({ default: m.AccountPage }))) },
      {
        path: 'instance/email',
        ...lazyPage(() => import('../instance/instance-email-page.js').then((m) => ({ default: m.InstanceEmailPage }))),
      },
      {
        path: 'w/:workspaceId',
        element: <WorkspaceLayout />,
        children: [
          { index: true, element: <Navigate to="widgets" replace /> },
          ...widgetsRoutes,
          ...announcementsRoutes,
          ...segmentsRoutes,
          ...helpCenterRoutes,
          ...usersRoutes,
          ...companiesRoutes,
          ...analyticsRoutes,
          ...teamRoutes,
          ...apiKeysRoutes,
          ...webhooksRoutes,
          ...auditLogRoutes,
          ...workspaceSettingsRoutes,
          // Signed in, but no such page: say so inside the shell.
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
  { path: '*', element: <NotFoundPage standalone /> },
];

// One root, so the first load of a lazy page shows a line rather than nothing.
const routes: RouteObject[] = [{ HydrateFallback: Loading, children: pages }];

function Loading() {
  return (
    <p className="muted page-loading" role="status">
      Loading…
    </p>
  );
}

/** The dashboard's routes under /app. */
export function createDashboardRouter() {
  return createBrowserRouter(routes, { basename: '/app' });
}
