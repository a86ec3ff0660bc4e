import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { prepareQuery } from '../db/prepared-query.js';
import { BatchedQuery, rowsByKey } from '../db/batched-query.js';

type UserRow = Database['users'];

/** Every column of the users table (the prepared inserts, here and in the bulk import, bind each). */
// NOTE: users/import/import-batch-writer.ts params() binds values in this order.
export const USER_COLUMNS = [
  'workspace_id',
  'user_id',
  'name',
  'email',
  'birthday',
  'gender',
  'properties',
  'sources',
  'trust',
  'created_at',
  'updated_at',
  'last_seen_at',
] as const satisfies ReadonlyArray<keyof UserRow>;
const LINK_COLUMNS = ['workspace_id', 'anonymous_id', 'user_id', 'trust', 'widget_id', 'linked_at'] as const satisfies ReadonlyArray<
  keyof Database['anonymous_links']
>;

// In an insert's RETURNING: whether the new user's id is an alias (merged into another user).
const ALIASED =
  sql<boolean>`exists (select 1 from user_aliases where user_aliases.workspace_id = users.workspace_id and user_aliases.alias_id = users.user_id)`.as(
    'aliased',
  );

/** What inserting a user found: `inserted` false when the user existed already. */
export type NewUser = { inserted: boolean; aliased: boolean };

// The insert's RETURNING row, if it inserted one. SQLite answers 0/1, PostgreSQL a boolean.
function newUserOutcome(row: { aliased: unknown } | undefined): NewUser {
  return row ? { inserted: true, aliased: Boolean(row.aliased) } : { inserted: false, aliased: false };
}

/** Identify's statements (users-store.ts), built once per store. */
export type IdentifyStatements = ReturnType<typeof identifyStatements>;

/**
 * What identify runs: its two reads on every page load, compiled once
 * (`hot`), and the same reads and the first-time inserts as batched
 * statements, one for all the identifies of a group transaction (`batched`,
 * db/batched-query.ts). Each insert answers whether its row went in: another
 * writer may have created it since identify read none.
 */
export function identifyStatements(db: Kysely<Database>) {
  const hot = {
    userById: prepareQuery(
      db,
      (p) => db.selectFrom('users').selectAll().where('workspace_id', '=', p.workspaceId).where('user_id', '=', p.userId),
      ['workspaceId', 'userId'],
    ),
    linkByAnonymousId: prepareQuery(
      db,
      (p) =>
        db
          .selectFrom('anonymous_links')
          .select(['user_id', 'trust'])
          .where('workspace_id', '=', p.workspaceId)
          .where('anonymous_id', '=', p.anonymousId),
      ['workspaceId', 'anonymousId'],
    ),
    insertUser: prepareQuery(db, (p) => insertUsers(db, p), USER_COLUMNS),
    insertLink: prepareQuery(db, (p) => insertLinks(db, p), LINK_COLUMNS),
  };
  const batched = {
    userById: rowsByKey('users', 'user_id', (db, key) => hot.userById.run(db, { workspaceId: key.workspaceId, userId: key.value })),
    linkByAnonymousId: rowsByKey(
      'anonymous_links',
      'anonymous_id',
      async (db, key) =>
        (await hot.linkByAnonymousId.run(db, { workspaceId: key.workspaceId, anonymousId: key.value })) as Array<
          Database['anonymous_links']
        >,
    ),
    // Answers whether the row went in (another writer may have created the user since it was read) and,
    // in the same statement, whether the id is an old one merged into another (user_aliases).
    insertUser: new BatchedQuery<Record<(typeof USER_COLUMNS)[number], unknown>, NewUser>(
      async (db, values) => newUserOutcome((await hot.insertUser.run(db, values))[0]),
      async (db, rows) => {
        const inserted = await insertUsers(db, rows).execute();
        const byId = new Map(inserted.map((r) => [r.user_id, r]));
        return rows.map((row) => newUserOutcome(byId.get(row.user_id as string)));
      },
      'write',
    ),
    // Answers whether the row went in (another writer may have linked the id since it was read).
    insertLink: new BatchedQuery<Record<(typeof LINK_COLUMNS)[number], unknown>, boolean>(
      async (db, values) => (await hot.insertLink.run(db, values)).length > 0,
      async (db, rows) => {
        const inserted = await insertLinks(db, rows).execute();
        const ids = new Set(inserted.map((r) => r.anonymous_id));
        return rows.map((row) => ids.has(row.anonymous_id as string));
      },
      'write',
    ),
  };
  return { hot, batched };
}

// The first-time inserts, one row (the prepared statements bind its values) or many (a group
// transaction's): a row another writer created meanwhile is left as it is and not returned.
function insertUsers(db: Kysely<Database>, values: unknown) {
  return db
    .insertInto('users')
    .values(values as never)
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
    .returning(['user_id', ALIASED]);
}

function insertLinks(db: Kysely<Database>, values: unknown) {
  return db
    .insertInto('anonymous_links')
    .values(values as never)
    .onConflict((oc) => oc.columns(['workspace_id', 'anonymous_id']).doNothing())
    .returning('anonymous_id');
}
