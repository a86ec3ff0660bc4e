// What the benchmarks share about the PostgreSQL they may use.
import pg from 'pg';

/** Whether PostgreSQL answers at `url` (within 3 s). */
export async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** The URL with its password hidden, for printing. */
export function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
