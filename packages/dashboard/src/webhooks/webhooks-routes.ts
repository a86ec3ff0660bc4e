import type { RouteObject } from 'react-router';

/** The webhooks pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const webhooksRoutes: RouteObject[] = [
  { path: 'webhooks', lazy: async () => ({ Component: (await import('./webhooks-page.js')).WebhooksPage }) },
  { path: 'webhooks/:endpointId', lazy: async () => ({ Component: (await import('./webhook-endpoint-page.js')).WebhookEndpointPage }) },
];
