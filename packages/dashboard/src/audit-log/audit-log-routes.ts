import type { RouteObject } from 'react-router';

/** The audit log pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const auditLogRoutes: RouteObject[] = [
  { path: 'audit-log', lazy: async () => ({ Component: (await import('./audit-log-page.js')).AuditLogPage }) },
];
