import type { RouteObject } from 'react-router';

/** The segments pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const segmentsRoutes: RouteObject[] = [];
