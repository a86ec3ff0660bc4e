import type { RouteObject } from 'react-router';

/** The users pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const usersRoutes: RouteObject[] = [];
