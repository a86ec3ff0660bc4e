import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/** Segments, announcements and each viewer's seen / clicked / dismissed state; widget appearance. */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { jsonType: json, bigintType: big } = adapter;

  // Colour and launcher position of the widget UI; null means the defaults.
  await db.schema.alterTable('widgets').addColumn('appearance', json).execute();

  await db.schema
    .createTable('segments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('condition', json, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('segments_workspace_name').on('segments').columns(['workspace_id', 'name']).unique().execute();

  await db.schema
    .createTable('announcements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    // Rendered and sanitised when saved, so delivery never parses Markdown.
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('cta', json)
    .addColumn('banner_position', 'text', (c) => c.notNull())
    .addColumn('audience', json, (c) => c.notNull())
    .addColumn('starts_at', big)
    .addColumn('ends_at', big)
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    // draft | published | ended; "scheduled" and "live" are published before and after starts_at.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('published_at', big)
    .addColumn('created_by', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('announcements_workspace_state').on('announcements').columns(['workspace_id', 'state']).execute();

  // One row per announcement and viewer: `v:<userId>` verified, `i:<userId>`
  // identified but unverified, `a:<anonymousId>` anonymous.
  await db.schema
    .createTable('announcement_states')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('announcement_id', 'text', (c) => c.notNull().references('announcements.id').onDelete('cascade'))
    .addColumn('viewer', 'text', (c) => c.notNull())
    .addColumn('seen_at', big)
    .addColumn('clicked_at', big)
    .addColumn('dismissed_at', big)
    .addPrimaryKeyConstraint('announcement_states_pk', ['workspace_id', 'viewer', 'announcement_id'])
    .execute();
  await db.schema.createIndex('announcement_states_announcement').on('announcement_states').column('announcement_id').execute();
}
