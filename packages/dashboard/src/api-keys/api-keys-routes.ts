import type { RouteObject } from 'react-router';

/** The API keys pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const apiKeysRoutes: RouteObject[] = [
  { path: 'api-keys', lazy: async () => ({ Component: (await import('./api-keys-page.js')).ApiKeysPage }) },
];
