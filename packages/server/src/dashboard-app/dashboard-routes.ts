import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LumioError } from '../errors/lumio-error.js';
import type { DashboardApp } from './dashboard-app.js';

// What the dashboard's page may load and where it may send things: its own
// scripts and API only. Inline styles are allowed for the component library's
// positioning (Radix sets them); inline scripts are not.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves the dashboard at /app: index.html for every page of the app, the hashed assets under /app/assets/. */
export async function registerDashboardRoutes(app: FastifyInstance, dashboard: DashboardApp): Promise<void> {
  const route = { config: { lumio: { scope: 'public' as const } } };
  const sendPage = (reply: FastifyReply) => {
    const html = dashboard.indexHtml();
    if (!html) throw new LumioError('dashboard_unavailable');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('referrer-policy', 'no-referrer')
      .send(html);
  };
  app.get('/app', route, async (_request, reply) => sendPage(reply));
  // Pages of the app (its router decides what each shows); links carry tokens in the #fragment.
  app.get('/app/*', route, async (_request, reply) => sendPage(reply));

  const assets = dashboard.assetsDir;
  if (assets)
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/app/assets/',
      decorateReply: false,
      index: false,
      // Hashed names: a file never changes under its name.
      immutable: true,
      maxAge: '365d',
    });
  else
    app.get('/app/assets/*', route, async () => {
      throw new LumioError('dashboard_unavailable');
    });
}
