import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * Profiles kept as promised, interest profiles and per-viewer relevance (issue 16).
 *
 * - `workspaces.browser_visible_keys`: the custom property keys whose
 *   server-set (trusted) values the browser may read back (null = none).
 * - `workspaces.interest_half_life_days`: how fast interest decays.
 * - `workspaces.personalised_help`: 1 = help search and lists rank per viewer,
 *   0 = the team's order and text relevance only.
 * - `articles.tags`: a JSON list of topic slugs (null = none).
 * - `collections.pinned`: 1 = keeps the team's position for every viewer.
 * - `interest_scores`: one row per (workspace, viewer, topic). `viewer` is the
 *   trust partition key of identity/viewer-key.ts (`v:`/`i:`/`a:`), so an
 *   unverified claimant's activity never shapes a verified user's profile.
 *   `score` is the decayed weight as of `updated_at` (interests/interest-math.ts
 *   turns it into the 0–1 level); the counters are the activity behind it, shown
 *   on the dashboard's user page.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { jsonType: json, bigintType: big } = adapter;
  await db.schema.alterTable('workspaces').addColumn('browser_visible_keys', json).execute();
  await db.schema
    .alterTable('workspaces')
    .addColumn('interest_half_life_days', 'integer', (c) => c.notNull().defaultTo(30))
    .execute();
  await db.schema
    .alterTable('workspaces')
    .addColumn('personalised_help', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('articles').addColumn('tags', json).execute();
  await db.schema
    .alterTable('collections')
    .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('interest_scores')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('viewer', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('saves', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('helpful_votes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('search_clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('announcement_clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('interest_scores_pk', ['workspace_id', 'viewer', 'topic'])
    .execute();
  // Demographics and segments ask "who is interested in <topic>".
  await db.schema.createIndex('interest_scores_topic').on('interest_scores').columns(['workspace_id', 'topic']).execute();
}
