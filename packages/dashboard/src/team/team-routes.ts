import type { RouteObject } from 'react-router';

/** The team pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const teamRoutes: RouteObject[] = [];
