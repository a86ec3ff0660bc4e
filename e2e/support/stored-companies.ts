import path from 'node:path';
import SQLite from 'better-sqlite3';

/** A company to write straight into a running server's SQLite file, with its people (userIds that exist) and their membership's source. */
export interface CompanyRow {
  id: string;
  name: string | null;
  properties: Record<string, unknown>;
  /** Each value's source, keyed `name` or `properties.<key>` (trusted when left out). */
  sources?: Record<string, 'trusted' | 'claimed' | 'unverified'>;
  people: Array<[userId: string, source: 'trusted' | 'claimed' | 'unverified']>;
}

/**
 * Writes companies and memberships into the data dir's `lumio.db` (the rows
 * CompaniesStore writes, migration 0020), for dashboard tests that need
 * companies whatever route creates them. The server reads them at once (WAL).
 */
export function storeCompanies(dataDir: string, workspaceId: string, companies: CompanyRow[], now = Date.now()): void {
  const db = new SQLite(path.join(dataDir, 'lumio.db'));
  try {
    db.pragma('busy_timeout = 10000');
    const company = db.prepare(
      'INSERT INTO companies (workspace_id, company_id, name, properties, sources, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const member = db.prepare(
      'INSERT INTO company_members (workspace_id, company_id, user_id, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const c of companies) {
        const sources = c.sources ?? {
          ...(c.name === null ? {} : { name: 'trusted' }),
          ...Object.fromEntries(Object.keys(c.properties).map((key) => [`properties.${key}`, 'trusted'])),
        };
        company.run(workspaceId, c.id, c.name, JSON.stringify(c.properties), JSON.stringify(sources), now, now);
        for (const [userId, source] of c.people) member.run(workspaceId, c.id, userId, source, now, now);
      }
    })();
  } finally {
    db.close();
  }
}
