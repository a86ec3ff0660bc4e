import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import { serverOrigin } from '../http/server-origin.js';
import type { ScriptFile, WidgetScript } from './widget-script.js';

// The loader and the unversioned widget.js may change with a deploy: short
// cache, revalidated by ETag. A hashed widget.js never changes: cached for good.
const SHORT_CACHE = 'public, max-age=300, stale-while-revalidate=86400';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Serves the snippet (`/sdk/v1/loader.js`) and widget.js (`/sdk/v1/widget.js`, `/sdk/v1/widget.<hash>.js`) to host pages. */
export function registerWidgetScriptRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'config'>, script: WidgetScript): void {
  const route = { config: { lumio: { scope: 'public' as const } }, logLevel: 'warn' as const };
  const originOf = serverOrigin(deps.config);

  app.get('/sdk/v1/loader.js', route, async (request, reply) => {
    return sendScript(request, reply, script.loader(originOf(request)), SHORT_CACHE);
  });

  app.get('/sdk/v1/widget.js', route, async (request, reply) => sendScript(request, reply, script.widget, SHORT_CACHE));

  app.get('/sdk/v1/widget.:hash.js', route, async (request, reply) => {
    const { hash } = request.params as { hash: string };
    // An old hash after a deploy: 404, so a CDN never caches new bytes under an old name.
    if (script.widget && hash !== script.widget.hash)
      throw new LumioError('not_found', 'No widget.js with this content hash on this server.');
    return sendScript(request, reply, script.widget, IMMUTABLE);
  });
}

function sendScript(request: FastifyRequest, reply: FastifyReply, file: ScriptFile | null, cacheControl: string) {
  if (!file) throw new LumioError('widget_script_unavailable');
  const etag = `"${file.hash}"`;
  void reply.header('cache-control', cacheControl).header('etag', etag).header('access-control-allow-origin', '*');
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.type('text/javascript; charset=utf-8').send(file.body);
}
