import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * The "people like you" aggregates of help relevance (relevance/peer-signals.ts).
 *
 * `peer_helpful`: per workspace, trait (key and value of a verified person's
 * profile, or `$all` / `` for everyone) and article, how many distinct
 * verified people with that trait marked the article helpful or saved it.
 * Rebuilt in the background from article_feedback and article_saves; only
 * counts of at least k people are stored (k = PEERS_MIN_PEOPLE), so no row
 * ever describes one person's activity.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('peer_helpful')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('trait_key', 'text', (c) => c.notNull())
    .addColumn('trait_value', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('people', 'integer', (c) => c.notNull())
    .addColumn('refreshed_at', adapter.bigintType, (c) => c.notNull())
    .addPrimaryKeyConstraint('peer_helpful_pk', ['workspace_id', 'trait_key', 'trait_value', 'article_id'])
    .execute();
}
