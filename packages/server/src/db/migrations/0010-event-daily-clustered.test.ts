import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { up } from './0010-event-daily-clustered.js';

// SQLite only: on PostgreSQL the migration does nothing.
describe('migration 0010: the daily rollup clustered on its key [sqlite]', () => {
  let t: TestApp;
  const rows = async () =>
    (await sql<{ c: number; s: number }>`select count(*) as c, sum(events) as s from event_daily`.execute(t.adapter.db)).rows[0];
  const tableSql = async () =>
    (await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'event_daily'`.execute(t.adapter.db)).rows[0]
      ?.sql;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const values = Array.from(
      { length: 300 },
      (_, i) => sql`(${'ws_a'}, ${i % 3 ? '$widget_opened' : 'custom'}, ${i * 1000}, ${i % 7}, ${'verified'}, ${`u:${i % 11}`}, ${i + 1})`,
    );
    await sql`insert into event_daily (workspace_id, name, at, snapshot_id, trust, person, events) values ${sql.join(values)}`.execute(
      t.adapter.db,
    );
  });
  afterAll(async () => t?.close());

  it('leaves a WITHOUT ROWID table with its person index', async () => {
    expect(await tableSql()).toMatch(/without rowid/i);
    const indexes = await sql<{ name: string }>`select name from pragma_index_list('event_daily')`.execute(t.adapter.db);
    expect(indexes.rows.map((r) => r.name)).toContain('event_daily_person');
  });

  it('keeps every row when it runs again (a crash after its commit, before it was recorded)', async () => {
    const before = await rows();
    expect(before).toEqual({ c: 300, s: (300 * 301) / 2 });
    await up(t.adapter.db as Kysely<unknown>, t.adapter);
    expect(await rows()).toEqual(before);
    expect(await tableSql()).toMatch(/without rowid/i);
  });

  it('rolls back whole when its last step fails: the old table back, the rollup untouched and writable', async () => {
    const before = await rows();
    const rootPage = async () =>
      (await sql<{ rootpage: number }>`select rootpage from sqlite_master where name = 'event_daily'`.execute(t.adapter.db)).rows[0]
        ?.rootpage;
    const page = await rootPage();
    // The last step, the person index, fails: a table holds its name.
    await sql`drop index event_daily_person`.execute(t.adapter.db);
    await sql`create table event_daily_person (x integer)`.execute(t.adapter.db);
    await expect(up(t.adapter.db as Kysely<unknown>, t.adapter)).rejects.toThrow(/event_daily_person/);
    // The table dropped and the copy renamed in between are undone: the same table, not a copy.
    expect(await rootPage()).toBe(page);
    expect(await rows()).toEqual(before);
    await sql`drop table event_daily_person`.execute(t.adapter.db);
    await sql`create index event_daily_person on event_daily (workspace_id, person)`.execute(t.adapter.db);
    // No transaction was left open: an ordinary write goes through.
    await sql`insert into event_daily (workspace_id, name, at, snapshot_id, trust, person, events) values ('ws_a', 'late', 0, 0, 'verified', 'u:1', 1)`.execute(
      t.adapter.db,
    );
    expect((await rows())!.c).toBe(301);
  });
});
