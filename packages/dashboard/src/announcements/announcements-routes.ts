import type { RouteObject } from 'react-router';

/** The announcements pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const announcementsRoutes: RouteObject[] = [];
