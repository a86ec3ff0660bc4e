import type { RouteObject } from 'react-router';

/** The widgets pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const widgetsRoutes: RouteObject[] = [
  { path: 'widgets', lazy: async () => ({ Component: (await import('./widgets-page.js')).WidgetsPage }) },
  { path: 'widgets/:widgetId', lazy: async () => ({ Component: (await import('./widget-page.js')).WidgetPage }) },
];
