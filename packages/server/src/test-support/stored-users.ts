import type { DialectAdapter } from '../db/dialects/dialect-adapter.js';
import type { TargetedUser } from '../targeting/user-attributes.js';

/** Inserts users straight into the users table (targeting tests: profiles with any sources, no identify needed). */
export async function insertStoredUsers(adapter: DialectAdapter, workspaceId: string, users: TargetedUser[], at: number): Promise<void> {
  if (users.length === 0) return;
  await adapter.db
    .insertInto('users')
    .values(
      users.map((u) => ({
        workspace_id: workspaceId,
        user_id: u.userId,
        name: u.name,
        email: u.email,
        birthday: u.birthday,
        gender: u.gender,
        properties: adapter.json(u.properties),
        sources: adapter.json(u.sources),
        trust: u.trust,
        created_at: at,
        updated_at: at,
        last_seen_at: at,
      })),
    )
    .execute();
}
