import type { RouteObject } from 'react-router';

/** The help center pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const helpCenterRoutes: RouteObject[] = [];
