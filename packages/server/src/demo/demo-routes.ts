import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleHostAppRequest } from '@lumio/example-host-app';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import { serverOrigin } from '../http/server-origin.js';
import type { WidgetScript } from '../widget-script/widget-script.js';
import type { DemoService } from './demo-service.js';

const BASE_PATH = '/demo';

/**
 * Demo mode's host page at /demo: `examples/host-app` served by Lumio itself,
 * signing its demo users with the demo widget's current secret on the server
 * side, exactly as a customer's backend does. Registered only in demo mode.
 */
export function registerDemoRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'config'>, demo: DemoService, script: WidgetScript): void {
  const route = { config: { lumio: { scope: 'public' as const } } };
  const originOf = serverOrigin(deps.config);

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = await demo.signingKey();
    if (!key) {
      return reply
        .status(404)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>No demo</title><p style="font: 16px system-ui; margin: 2rem">' +
            'This server has no demo widget: demo mode creates one on a fresh data directory only, and it may have been deleted or its ' +
            'signing secret revoked. Create a widget from the API instead (see the README).</p>',
        );
    }
    const loader = script.loader(originOf(request));
    if (!loader) throw new LumioError('widget_script_unavailable');
    const answer = handleHostAppRequest(
      { method: request.method, url: request.url, cookie: request.headers.cookie },
      { widgetId: key.widgetId, signingSecret: key.secret, loaderScript: loader.body.toString('utf8'), basePath: BASE_PATH, title: 'Acme' },
    );
    if (!answer) throw new LumioError('not_found');
    return reply.status(answer.status).headers(answer.headers).send(answer.body);
  };

  app.get(BASE_PATH, route, serve);
  app.get(`${BASE_PATH}/*`, route, serve);
}
