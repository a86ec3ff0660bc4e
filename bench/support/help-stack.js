// The widget's help-center read path as the server wires it (HelpCenterReader
// with search, audiences and per-viewer relevance), built on an open adapter
// for benchmarks that call it in-process (bench:search, bench:relevance).
// Imports packages/server/dist: npm run build first.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../packages/server/dist');
/** Imports a compiled module of the server. */
export const loadServer = (file) => import(path.join(dist, file));

const silent = { error() {}, warn() {}, info() {}, debug() {} };

/** The reader stack over `adapter`, with a fixed clock at `now`. */
export async function helpStack(adapter, now) {
  const [
    { AuditLog },
    { SegmentsService },
    { UsersStore },
    { ArticleSearch },
    { PeerSignals },
    { HelpRelevance },
    { InterestsReader },
    { HelpCenterReader },
  ] = await Promise.all([
    loadServer('audit/audit-log.js'),
    loadServer('segments/segments-service.js'),
    loadServer('users/users-store.js'),
    loadServer('help-center/search/article-search.js'),
    loadServer('relevance/peer-signals.js'),
    loadServer('relevance/help-relevance.js'),
    loadServer('interests/interests-reader.js'),
    loadServer('help-center/help-center-reader.js'),
  ]);
  const deps = { db: adapter.db, adapter, clock: { now: () => now }, logger: silent };
  const search = new ArticleSearch(deps);
  const peers = new PeerSignals(deps);
  const relevance = new HelpRelevance(deps, new InterestsReader(adapter.db), peers);
  const reader = new HelpCenterReader(
    deps,
    new UsersStore(deps),
    new SegmentsService(deps, new AuditLog(deps), async () => {}),
    search,
    relevance,
  );
  return { deps, search, peers, relevance, reader };
}

/** Opens a fresh, migrated database of `dialect` (SQLite in a temp dir, or a throwaway PostgreSQL schema); `close()` removes it. */
export async function openBenchDatabase(dialect, { pgUrl, prefix }) {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const crypto = await import('node:crypto');
  const { migrateToLatest } = await loadServer('db/migrate.js');
  let adapter;
  let cleanup;
  if (dialect === 'sqlite') {
    const { createSqliteAdapter } = await loadServer('db/dialects/sqlite-dialect.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    adapter = createSqliteAdapter(path.join(dir, 'lumio.db'));
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const { createPostgresAdapter } = await loadServer('db/dialects/postgres-dialect.js');
    const pg = (await import('pg')).default;
    const schema = `${prefix.replace(/-/g, '_')}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    adapter = createPostgresAdapter({ connectionString: pgUrl, schema, maxConnections: 4 });
    cleanup = async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    };
  }
  await migrateToLatest(adapter);
  return {
    adapter,
    async close() {
      await adapter.destroy();
      await cleanup();
    },
  };
}
