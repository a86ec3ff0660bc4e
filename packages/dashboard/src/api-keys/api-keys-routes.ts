import type { RouteObject } from 'react-router';

/** The api keys pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const apiKeysRoutes: RouteObject[] = [];
