import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/** The help center: collections, articles, and each viewer's saved articles and feedback. */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { jsonType: json, bigintType: big } = adapter;

  await db.schema
    .createTable('collections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collections_workspace_slug').on('collections').columns(['workspace_id', 'slug']).unique().execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('collection_id', 'text', (c) => c.references('collections.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    // Rendered and sanitised when saved, like announcements.
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('excerpt', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    // draft | published
    .addColumn('status', 'text', (c) => c.notNull())
    // { condition, properties } or null for everyone.
    .addColumn('audience', json)
    .addColumn('author_id', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('published_at', big)
    .execute();
  await db.schema.createIndex('articles_workspace_slug').on('articles').columns(['workspace_id', 'slug']).unique().execute();
  await db.schema.createIndex('articles_workspace_collection').on('articles').columns(['workspace_id', 'collection_id']).execute();

  // Keyed by viewer like announcement state: `v:<userId>`, `i:<userId>`, `a:<anonymousId>`.
  await db.schema
    .createTable('article_saves')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('viewer', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('saved_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('article_saves_pk', ['workspace_id', 'viewer', 'article_id'])
    .execute();
  await db.schema.createIndex('article_saves_article').on('article_saves').column('article_id').execute();

  await db.schema
    .createTable('article_feedback')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('viewer', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('helpful', 'integer', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('article_feedback_pk', ['workspace_id', 'viewer', 'article_id'])
    .execute();
  await db.schema.createIndex('article_feedback_article').on('article_feedback').column('article_id').execute();
}
