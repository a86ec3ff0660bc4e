// Fastify references for the floor's work (read the body, JSON.parse it, check
// the HMAC of the userId), measured beside the floor so the report shows what
// the framework and the route stack the issue asks for cost before Lumio's own
// identify does anything:
//
//   STACK=bare         Fastify with one async route, nothing registered.
//   STACK=lumio-stack  Fastify set up as Lumio's identify route is: pino logger
//                      (level warn) with request ids, helmet registered (off on
//                      this route), @fastify/rate-limit per IP on the route and
//                      a second limiter per widget in a preHandler, the
//                      x-request-id hook and the prom-client request histogram.
//
// The same package versions as the server: they are resolved from packages/server.
// Usage: PORT=… FLOOR_SECRET=… STACK=bare|lumio-stack node bench/identify/fastify-reference-server.js
import { createRequire } from 'node:module';
import { floorSignatureValid } from './floor-work.js';

const require = createRequire(new URL('../../packages/server/package.json', import.meta.url));
const Fastify = require('fastify');

const port = Number(process.env.PORT ?? 0);
const secret = Buffer.from(process.env.FLOOR_SECRET ?? 'floor-secret', 'utf8');
const stack = process.env.STACK ?? 'bare';
const LIMIT = 100_000_000; // as the benchmark's Lumio: counted, never reached

let counter = 0;
const app = Fastify(
  stack === 'bare' ? {} : { loggerInstance: require('pino')({ level: 'warn' }), genReqId: () => `req_bench${(counter++).toString(36)}` },
);
const route = { config: {}, preHandler: [] };
if (stack === 'lumio-stack') {
  await app.register(require('@fastify/helmet'), { global: true, contentSecurityPolicy: false });
  await app.register(require('@fastify/rate-limit'), { global: false, skipOnError: true });
  const { Histogram } = require('prom-client');
  const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'h', labelNames: ['method', 'route', 'status'] });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  route.helmet = false;
  route.config.rateLimit = { max: LIMIT, timeWindow: 60_000, keyGenerator: (r) => `identify-ip:${r.ip}` };
  const perWidget = app.createRateLimit({ max: LIMIT, timeWindow: 60_000, keyGenerator: (r) => `identify-widget:${r.params.widgetId}` });
  route.preHandler.push(async (request) => {
    const result = await perWidget(request);
    if (!result.isAllowed && result.isExceeded) throw new Error('rate limited');
  });
} else if (stack !== 'bare') {
  throw new Error(`unknown STACK ${stack}`);
}

app.get('/healthz', async () => ({ status: 'ok' }));
app.post('/widget/v1/:widgetId/identify', route, async (request, reply) => {
  if (!floorSignatureValid(request.body, secret)) return reply.status(401).send({ error: { code: 'invalid_signature' } });
  return { state: 'verified' };
});

await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`fastify reference (${stack}) listening on ${app.server.address().port}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
