import type { RouteObject } from 'react-router';

/** The workspace settings page, under /w/:workspaceId/. Its own chunk (lazy). */
export const workspaceSettingsRoutes: RouteObject[] = [
  { path: 'settings', lazy: async () => ({ Component: (await import('./workspace-settings-page.js')).WorkspaceSettingsPage }) },
];
