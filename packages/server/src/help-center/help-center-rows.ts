import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';
import { slugify } from './help-center-content.js';

/**
 * A slug not yet taken in the workspace: a chosen one must be free
 * (`conflict` naming `slug`); a derived one gets -2, -3… appended. `self` is
 * the row being changed, whose own slug does not count as taken.
 */
export async function freeSlug(
  db: Kysely<Database>,
  table: 'articles' | 'collections',
  workspaceId: string,
  wanted: string,
  self: string | null,
  chosen: boolean,
): Promise<string> {
  const base = slugify(wanted);
  const taken = new Set(
    (await db.selectFrom(table).select(['id', 'slug']).where('workspace_id', '=', workspaceId).where('slug', 'like', `${base}%`).execute())
      .filter((r) => r.id !== self)
      .map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  if (chosen) throw new LumioError('conflict', `The slug "${base}" is already used in this workspace.`, { field: 'slug' });
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * A collection of the workspace: `not_found` when there is none, or, when
 * the id came in a field of the request (`field`), `invalid_request` naming it.
 */
export async function collectionRow(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  field?: string,
): Promise<Database['collections']> {
  const row = await db
    .selectFrom('collections')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) {
    if (field) throw new LumioError('invalid_request', `There is no collection ${id} in this workspace.`, { field });
    throw new LumioError('not_found', 'No such collection in this workspace.');
  }
  return row;
}

/** An article of the workspace, draft or not; `not_found` when there is none. */
export async function articleRow(db: Kysely<Database>, workspaceId: string, id: string): Promise<Database['articles']> {
  const row = await db.selectFrom('articles').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new LumioError('not_found', 'No such article in this workspace.');
  return row;
}
