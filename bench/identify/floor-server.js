// The floor: a bare node:http server doing only what no identify can avoid
// (read the body, JSON.parse it, check the HMAC of the userId), so the ratio
// Lumio / floor shows what everything else costs on the same machine.
//
// Usage: PORT=… FLOOR_SECRET=… node bench/identify/floor-server.js
import http from 'node:http';
import { floorSignatureValid } from './floor-work.js';

const port = Number(process.env.PORT ?? 0);
const secret = Buffer.from(process.env.FLOOR_SECRET ?? 'floor-secret', 'utf8');

const VERIFIED = JSON.stringify({ state: 'verified' });
const REFUSED = JSON.stringify({ error: { code: 'invalid_signature' } });

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/healthz') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let ok = false;
    try {
      ok = floorSignatureValid(JSON.parse(Buffer.concat(chunks).toString('utf8')), secret);
    } catch {
      ok = false;
    }
    const payload = ok ? VERIFIED : REFUSED;
    response
      .writeHead(ok ? 200 : 401, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) })
      .end(payload);
  });
});

server.keepAliveTimeout = 72_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`floor listening on ${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
