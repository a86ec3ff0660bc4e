import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/** The first schema: accounts, workspaces, widgets and secrets, users and the identity log. */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { jsonType: json, bigintType: big } = adapter;
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', big)
    .execute();

  await db.schema
    .createTable('auth_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_seen_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('reauth_at', big, (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('auth_sessions_account').on('auth_sessions').column('account_id').execute();

  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('members_pk', ['workspace_id', 'account_id'])
    .execute();
  await db.schema.createIndex('members_account').on('members').column('account_id').execute();

  await db.schema
    .createTable('invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('accepted_at', big)
    .addColumn('accepted_by', 'text')
    .execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('used_at', big)
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big)
    .addColumn('revoked_at', big)
    .execute();

  await adapter
    .addAutoIncrementId(db.schema.createTable('audit_log') as never)
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('details', json)
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_workspace').on('audit_log').columns(['workspace_id', 'id']).execute();

  await db.schema
    .createTable('widgets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('allowed_origins', json, (c) => c.notNull())
    .addColumn('verification_mode', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('widgets_workspace').on('widgets').column('workspace_id').execute();

  await db.schema
    .createTable('signing_secrets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big)
    .addColumn('expires_at', big)
    .addColumn('revoked_at', big)
    .execute();
  await db.schema.createIndex('signing_secrets_widget').on('signing_secrets').column('widget_id').execute();

  await db.schema
    .createTable('users')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('birthday', 'text')
    .addColumn('gender', 'text')
    .addColumn('properties', json, (c) => c.notNull())
    .addColumn('sources', json, (c) => c.notNull())
    .addColumn('trust', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('last_seen_at', big)
    .addPrimaryKeyConstraint('users_pk', ['workspace_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('anonymous_links')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('anonymous_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('trust', 'text', (c) => c.notNull())
    .addColumn('widget_id', 'text', (c) => c.notNull())
    .addColumn('linked_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('anonymous_links_pk', ['workspace_id', 'anonymous_id'])
    .execute();
  await db.schema.createIndex('anonymous_links_user').on('anonymous_links').columns(['workspace_id', 'user_id']).execute();

  await adapter
    .addAutoIncrementId(db.schema.createTable('identity_log') as never)
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('widget_id', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('diagnosis', 'text')
    .addColumn('user_id', 'text')
    .addColumn('anonymous_id', 'text')
    .addColumn('key_id', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('identity_log_widget').on('identity_log').columns(['widget_id', 'id']).execute();

  await db.schema
    .createTable('identity_stats')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('widget_id', 'text', (c) => c.notNull())
    .addColumn('hour', big, (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('count', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_stats_pk', ['widget_id', 'hour', 'outcome', 'reason'])
    .execute();
}
