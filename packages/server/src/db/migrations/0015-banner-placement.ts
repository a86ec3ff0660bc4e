import type { Kysely } from 'kysely';

/**
 * A banner's placement on the host page (`overlay` or `push`). Nullable: null
 * follows the showing widget's default (`appearance.bannerPlacement`, itself
 * `overlay` until a team changes it), so every banner saved before this
 * migration keeps overlaying the page exactly as it did.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('announcements').addColumn('banner_placement', 'text').execute();
}
