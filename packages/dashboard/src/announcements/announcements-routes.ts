import type { RouteObject } from 'react-router';

/** The announcements pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const announcementsRoutes: RouteObject[] = [
  { path: 'announcements', lazy: async () => ({ Component: (await import('./announcements-page.js')).AnnouncementsPage }) },
  {
    path: 'announcements/new',
    lazy: async () => ({ Component: (await import('./announcement-editor-page.js')).AnnouncementEditorPage }),
  },
  {
    path: 'announcements/:announcementId',
    lazy: async () => ({ Component: (await import('./announcement-editor-page.js')).AnnouncementEditorPage }),
  },
];
