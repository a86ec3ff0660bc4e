import type { Kysely } from 'kysely';
import type { ValueSource } from '@lumio/protocol';
import { parseJson, type Database } from '../db/schema.js';
import type { TargetedMembership } from './user-attributes.js';

/**
 * The companies a user belongs to, with each value's source and the
 * membership's, for evaluating `company.<key>` in JavaScript (the SQL path
 * reads the same tables inside its query). Read straight from the tables: one
 * query by the `company_members_user` index.
 */
export async function readUserCompanies(db: Kysely<Database>, workspaceId: string, userId: string): Promise<TargetedMembership[]> {
  const rows = await db
    .selectFrom('company_members as m')
    .innerJoin('companies as c', (join) => join.onRef('c.workspace_id', '=', 'm.workspace_id').onRef('c.company_id', '=', 'm.company_id'))
    .select(['c.company_id', 'c.name', 'c.properties', 'c.sources', 'm.source'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.user_id', '=', userId)
    .orderBy('c.company_id')
    .execute();
  return rows.map((row) => ({
    companyId: row.company_id,
    name: row.name,
    properties: parseJson(row.properties, {}),
    sources: parseJson(row.sources, {}),
    membership: row.source as ValueSource,
  }));
}
