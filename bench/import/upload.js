// The load side of bench:import, pinned to its own core: streams one CSV file
// to POST /server/v1/users/import and prints { ms, status, summary } as JSON.
import fs from 'node:fs';
import http from 'node:http';

const [origin, apiKey, file] = process.argv.slice(2);
const size = fs.statSync(file).size;
const started = performance.now();
const request = http.request(`${origin}/server/v1/users/import`, {
  method: 'POST',
  headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv', 'content-length': String(size) },
});
request.on('response', (response) => {
  const chunks = [];
  response.on('data', (chunk) => chunks.push(chunk));
  response.on('end', () => {
    const ms = performance.now() - started;
    const text = Buffer.concat(chunks).toString('utf8');
    let summary;
    try {
      summary = JSON.parse(text);
    } catch {
      summary = { unreadable: text.slice(0, 500) };
    }
    const { user, system } = process.cpuUsage();
    // The benchmark counts this process's CPU as its own, not as another process's.
    process.stdout.write(`${JSON.stringify({ ms, status: response.statusCode, cpuMs: (user + system) / 1000, summary })}\n`);
  });
});
request.on('error', (error) => {
  process.stdout.write(`${JSON.stringify({ error: error.message })}\n`);
  process.exitCode = 1;
});
fs.createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(request);
