import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** The rows of one page of the audit log, as far as naming them needs. */
export interface NameableRow {
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
}

/** Names by `type:id` ("widget:wid_1" → "Main site"); a missing key means the thing is gone. */
export type AuditNames = Map<string, string>;

type Lookup = (db: Kysely<Database>, workspaceId: string, ids: string[]) => Promise<Array<{ id: string; name: string }>>;

// One query per kind of thing, always inside the workspace: an id that belongs
// to another workspace finds nothing here and stays unnamed.
const LOOKUPS: Record<string, Lookup> = {
  widget: (db, ws, ids) => db.selectFrom('widgets').select(['id', 'name']).where('workspace_id', '=', ws).where('id', 'in', ids).execute(),
  segment: (db, ws, ids) =>
    db.selectFrom('segments').select(['id', 'name']).where('workspace_id', '=', ws).where('id', 'in', ids).execute(),
  api_key: (db, ws, ids) =>
    db.selectFrom('api_keys').select(['id', 'name']).where('workspace_id', '=', ws).where('id', 'in', ids).execute(),
  collection: (db, ws, ids) =>
    db.selectFrom('collections').select(['id', 'name']).where('workspace_id', '=', ws).where('id', 'in', ids).execute(),
  announcement: (db, ws, ids) =>
    db.selectFrom('announcements').select(['id', 'title as name']).where('workspace_id', '=', ws).where('id', 'in', ids).execute(),
  article: (db, ws, ids) =>
    db.selectFrom('articles').select(['id', 'title as name']).where('workspace_id', '=', ws).where('id', 'in', ids).execute(),
  // An endpoint is told by its URL (its description is optional).
  webhook: (db, ws, ids) =>
    db.selectFrom('webhook_endpoints').select(['id', 'url as name']).where('workspace_id', '=', ws).where('id', 'in', ids).execute(),
  workspace: (db, ws, ids) => db.selectFrom('workspaces').select(['id', 'name']).where('id', '=', ws).where('id', 'in', ids).execute(),
  // Accounts belong to no workspace: the ids asked for come only from this
  // workspace's own entries (someone who acted here, or was acted upon here),
  // so a removed member's entries still say who it was.
  account: async (db, _ws, ids) =>
    (await db.selectFrom('accounts').select(['id', 'name', 'email']).where('id', 'in', ids).execute()).map((a) => ({
      id: a.id,
      name: a.name ? `${a.name} (${a.email})` : a.email,
    })),
};

/** Whether targets of this kind have a name to look up (an invite or an erased user has none). */
export function isNameable(type: string | null): type is string {
  return type !== null && Object.prototype.hasOwnProperty.call(LOOKUPS, type);
}

/**
 * Looks up the current names of the actors and targets of a page of audit
 * entries: one query per kind present on the page (never one per row), each
 * limited to the workspace.
 */
export async function resolveAuditNames(db: Kysely<Database>, workspaceId: string, rows: NameableRow[]): Promise<AuditNames> {
  const wanted = new Map<string, Set<string>>();
  const want = (type: string | null, id: string | null) => {
    if (id === null || !isNameable(type)) return;
    let ids = wanted.get(type);
    if (!ids) wanted.set(type, (ids = new Set()));
    ids.add(id);
  };
  for (const row of rows) {
    want(row.actor_type === 'account' || row.actor_type === 'api_key' ? row.actor_type : null, row.actor_id);
    want(row.target_type, row.target_id);
  }
  const names: AuditNames = new Map();
  for (const [type, ids] of wanted) {
    for (const found of await LOOKUPS[type]!(db, workspaceId, [...ids])) names.set(`${type}:${found.id}`, found.name);
  }
  return names;
}
