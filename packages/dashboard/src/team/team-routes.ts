import type { RouteObject } from 'react-router';

/** The team pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const teamRoutes: RouteObject[] = [{ path: 'team', lazy: async () => ({ Component: (await import('./team-page.js')).TeamPage }) }];
