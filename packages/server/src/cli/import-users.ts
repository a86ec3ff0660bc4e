import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { ConfigError } from '../config/config.js';

/** Errors printed after the summary; the rest are counted. */
const SHOWN_ERRORS = 20;
const PROGRESS_EVERY_MS = 250;
const PLAIN_PROGRESS_EVERY_MS = 5000;

interface ImportAnswer {
  imported: number;
  created: number;
  updated: number;
  failed: number;
  errors: Array<{ line: number; code: string; message: string }>;
}

/**
 * `lumio import users FILE`: streams a CSV or NDJSON file (by extension:
 * .csv, or .ndjson/.jsonl) to POST /server/v1/users/import, showing bytes
 * sent, the share of the file and the rate on stderr (a bar on a terminal,
 * a line every few seconds otherwise), then prints the summary and the first
 * errors. Resolves to the exit code: 0 when every row was stored, 1 otherwise.
 */
export async function importUsersCommand(
  file: string,
  options: { url?: string; apiKey?: string; format?: string },
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream | NodeJS.WritableStream } = process,
): Promise<number> {
  if (!options.url) throw new ConfigError('Pass the server with --url or LUMIO_URL (e.g. https://lumio.example.com).');
  if (!options.apiKey) throw new ConfigError('Pass a workspace API key with --api-key or LUMIO_API_KEY.');
  const format = options.format ?? formatOf(file);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new ConfigError(`Cannot read ${file}.`);
  }
  const target = new URL('/server/v1/users/import', options.url);
  const started = Date.now();
  const progress = new Progress(size, started, io.stderr);
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = (target.protocol === 'https:' ? https : http).request(target, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson',
        'content-length': String(size),
      },
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
    stream.on('data', (chunk) => progress.sent(chunk as Buffer));
    stream.on('error', reject);
    stream.pipe(request);
  }).finally(() => progress.done());
  let body: { error?: { code: string; message: string; details?: Partial<ImportAnswer> & { line?: number } } } & Partial<ImportAnswer>;
  try {
    body = JSON.parse(answer.body);
  } catch {
    throw new ConfigError(`The server answered ${answer.status} with no JSON; is ${options.url} a Lumio server?`);
  }
  const seconds = (Date.now() - started) / 1000;
  const out = (line: string) => io.stdout.write(`${line}\n`);
  if (body.error) {
    out(`Import stopped: ${body.error.message} (${body.error.code})`);
    if (body.error.details?.imported !== undefined) printSummary(out, body.error.details as ImportAnswer, seconds);
    return 1;
  }
  printSummary(out, body as ImportAnswer, seconds);
  return body.failed ? 1 : 0;
}

function printSummary(out: (line: string) => void, summary: ImportAnswer, seconds: number): void {
  const rate = Math.round(summary.imported / Math.max(seconds, 0.001));
  out(
    `Imported ${summary.imported} rows in ${seconds.toFixed(1)} s (${rate} rows/s): ${summary.created} created, ${summary.updated} updated, ${summary.failed} failed.`,
  );
  const errors = summary.errors ?? [];
  for (const error of errors.slice(0, SHOWN_ERRORS)) out(`  line ${error.line}: ${error.message} (${error.code})`);
  if (summary.failed > Math.min(errors.length, SHOWN_ERRORS)) out(`  … and ${summary.failed - Math.min(errors.length, SHOWN_ERRORS)} more`);
}

function formatOf(file: string): 'csv' | 'ndjson' {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  throw new ConfigError(`Cannot tell the format of ${file} from its name: use .csv, .ndjson or .jsonl, or pass --format csv|ndjson.`);
}

// Bytes sent of the file, its share, and rows (lines) sent per second: the server reads as fast as it stores.
class Progress {
  private bytes = 0;
  // Lines sent: rows, give or take a header and quoted line breaks.
  private lines = 0;
  private shownAt = 0;
  private readonly tty: boolean;

  constructor(
    private readonly size: number,
    private readonly started: number,
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  sent(chunk: Buffer): void {
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.lines++;
    const now = Date.now();
    if (now - this.shownAt < (this.tty ? PROGRESS_EVERY_MS : PLAIN_PROGRESS_EVERY_MS) && this.bytes < this.size) return;
    this.shownAt = now;
    this.show(now);
  }

  done(): void {
    if (this.tty) this.stream.write('\n');
  }

  private show(now: number): void {
    const share = this.size ? this.bytes / this.size : 1;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const text = `${mib(this.bytes)} / ${mib(this.size)} MiB (${Math.floor(share * 100)}%), ${Math.round(this.lines / seconds)} rows/s`;
    if (!this.tty) {
      this.stream.write(`sent ${text}\n`);
      return;
    }
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - text.length - 4));
    const filled = Math.round(share * width);
    this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
  }
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
