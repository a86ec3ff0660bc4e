import type { RouteObject } from 'react-router';

/** The users pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const usersRoutes: RouteObject[] = [
  { path: 'users', lazy: async () => ({ Component: (await import('./users-page.js')).UsersPage }) },
  { path: 'users/:userId', lazy: async () => ({ Component: (await import('./user-page.js')).UserPage }) },
];
