import type { RouteObject } from 'react-router';

/** The widgets pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const widgetsRoutes: RouteObject[] = [];
