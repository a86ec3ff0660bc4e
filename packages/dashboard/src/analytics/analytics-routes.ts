import type { RouteObject } from 'react-router';

/** The analytics pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const analyticsRoutes: RouteObject[] = [
  { path: 'analytics', lazy: async () => ({ Component: (await import('./analytics-page.js')).AnalyticsPage }) },
];
