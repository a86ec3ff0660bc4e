// Writes a Population into a Lumio database through the compiled server's own
// services (packages/server/dist: npm run build first): the workspace, widget
// and announcements through their services, the users with the users table's
// columns, and every event through EventSnapshots.idFor + EventStore.insert
// inside transactions, with EventStore.attribute when a visitor identifies,
// so the events, snapshots and daily rollup are what ingestion would store.
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateAnalyticsEvent } from '@lumio/protocol';
import pg from 'pg';
import { Population } from './population.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../packages/server/dist');
/** Imports a module of the compiled server. */
export const load = (file) => import(path.join(dist, file));

const SYSTEM = { type: 'cli', id: null, ip: null };

/**
 * Opens (and migrates) the database to seed or measure: PostgreSQL at
 * `databaseUrl` in `schema` (created when missing), else SQLite in `dataDir`.
 * Returns the adapter and the deps the services need.
 */
export async function openDatabase({ dataDir, databaseUrl, schema, masterKey }) {
  const { loadConfig } = await load('config/config.js');
  const { resolveMasterKey } = await load('crypto/master-key.js');
  const { SecretBox } = await load('crypto/secret-box.js');
  const { migrateToLatest } = await load('db/migrate.js');
  const { MarkdownRenderer } = await load('content/markdown-renderer.js');
  const config = loadConfig(process.env, {
    ...(dataDir ? { dataDir } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(masterKey ? { masterKey } : {}),
    logLevel: 'warn',
  });
  let adapter;
  if (config.databaseUrl) {
    if (schema) {
      const admin = new pg.Client({ connectionString: config.databaseUrl });
      await admin.connect();
      await admin.query(`create schema if not exists ${quoteIdent(schema)}`);
      await admin.end();
    }
    const { createPostgresAdapter } = await load('db/dialects/postgres-dialect.js');
    adapter = createPostgresAdapter({ connectionString: config.databaseUrl, ...(schema ? { schema } : {}), maxConnections: 4 });
  } else {
    const { createSqliteAdapter } = await load('db/dialects/sqlite-dialect.js');
    adapter = createSqliteAdapter(path.join(config.dataDir, 'lumio.db'));
  }
  await migrateToLatest(adapter);
  const key = resolveMasterKey(config);
  // The services render Markdown through the worker pool (its workers are unref'd: they never hold the process open).
  const markdown = new MarkdownRenderer(config.markdown);
  const deps = {
    config,
    adapter,
    db: adapter.db,
    masterKey: key,
    secretBox: new SecretBox(key),
    clock: { now: () => Date.now() },
    markdown,
  };
  return { adapter, deps };
}

/**
 * Seeds `events` events over the 90 days ending `end` into a workspace (a new
 * one, or `workspaceId`). `log` gets progress lines. Returns what was written.
 */
export async function seedAnalytics(
  deps,
  { events, seed, workspaceId, end = Date.now(), batch = 10_000, streams: streamCount = 3, log = () => {} },
) {
  const { db, adapter } = deps;
  const { sql } = await import('kysely');
  const { AuditLog } = await load('audit/audit-log.js');
  const { WorkspacesService } = await load('workspaces/workspaces-service.js');
  const { SigningSecrets } = await load('widgets/signing-secrets.js');
  const { WidgetsService } = await load('widgets/widgets-service.js');
  const { SegmentsService } = await load('segments/segments-service.js');
  const { AnnouncementsService } = await load('announcements/announcements-service.js');
  const { EventStore, personOf } = await load('analytics/event-store.js');
  const { EventSnapshots, snapshotOf } = await load('analytics/event-snapshots.js');

  const started = performance.now();
  const population = new Population({ events, seed, end });
  log(`population: ${population.people.length.toLocaleString('en')} people, ${population.sessionCount.toLocaleString('en')} sessions`);

  const audit = new AuditLog(deps);
  const nothing = async () => {};
  let workspace = workspaceId;
  if (workspace) {
    const row = await db.selectFrom('workspaces').select('id').where('id', '=', workspace).executeTakeFirst();
    if (!row) throw new Error(`no workspace ${workspace} in this database`);
  } else {
    workspace = (await new WorkspacesService(deps, audit).create('Analytics benchmark', null, SYSTEM)).id;
  }
  const existing = await db
    .selectFrom('widgets')
    .select('id')
    .where('workspace_id', '=', workspace)
    .orderBy('created_at')
    .executeTakeFirst();
  const widgetId =
    existing?.id ??
    (
      await new WidgetsService(deps, audit, new SigningSecrets(deps, audit, nothing), nothing).create(
        workspace,
        { name: 'Web app' },
        SYSTEM,
      )
    ).id;
  const announcements = new AnnouncementsService(deps, audit, new SegmentsService(deps, audit, nothing), nothing);
  for (const a of population.announcements) {
    const created = await announcements.create(
      workspace,
      { kind: 'popup', title: a.title, body: `${a.title}.`, status: 'live', startsAt: a.startsAt, endsAt: a.endsAt, frequency: 'once' },
      SYSTEM,
    );
    a.id = created.id;
  }

  // Users, with their latest profile (what "current profile" filters read), and each browser's link.
  const users = [...population.users()];
  for (let i = 0; i < users.length; i += 500) {
    const chunk = users.slice(i, i + 500);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values(chunk.map((p) => userRow(adapter, workspace, p, population)))
        .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
        .execute();
      const known = chunk.filter((p) => !p.visitor);
      if (known.length > 0)
        await trx
          .insertInto('anonymous_links')
          .values(known.map((p) => linkRow(workspace, widgetId, p, p.firstSeen)))
          .onConflict((oc) => oc.columns(['workspace_id', 'anonymous_id']).doNothing())
          .execute();
    });
  }
  log(
    `workspace ${workspace}, widget ${widgetId}: ${users.length.toLocaleString('en')} users, ${population.announcements.length} announcements`,
  );

  if (adapter.name === 'postgres') {
    // Events are partitioned by month (migration 0027): the months seeded get their partitions
    // first, as a running server has them, so the rows never pile into the default partition.
    const { PostgresEventPartitions } = await load('db/dialects/postgres-event-partitions.js');
    await new PostgresEventPartitions(db).ensure(population.start, population.end);
  }
  const store = new EventStore(deps);
  const snapshots = new EventSnapshots(deps);
  let written = 0;
  let attributed = 0;
  let lastLog = performance.now();
  const eventsStarted = performance.now();
  const progress = () => {
    if (performance.now() - lastLog < 5_000) return;
    lastLog = performance.now();
    const rate = written / ((lastLog - eventsStarted) / 1000);
    log(`${written.toLocaleString('en')} / ${events.toLocaleString('en')} events, ${Math.round(rate).toLocaleString('en')} events/s`);
  };
  // PostgreSQL takes several writers at once. Each stream owns a disjoint set of
  // people, so no two transactions ever touch the same rollup row, snapshot or
  // anonymous id, and each person's events still arrive in time order.
  const streams = adapter.name === 'postgres' ? Math.max(1, streamCount) : 1;
  const stream = async (k) => {
    let n = 0;
    const next = () => {
      while (n < population.sessionCount && population.personIndexOf(n) % streams !== k) n++;
      return n < population.sessionCount ? n++ : -1;
    };
    let session = next();
    while (session !== -1) {
      const used = new Map();
      await db.transaction().execute(async (trx) => {
        // Ids found in this transaction (the snapshots' own cache only learns them after commit).
        const local = new Map();
        let rows = [];
        let lastAt = 0;
        let count = 0;
        const flush = async () => {
          if (rows.length === 0) return;
          // Not `written += await …`: that reads `written` before the await, and the streams run concurrently.
          const inserted = await store.insert(trx, rows, lastAt + 1_500);
          written += inserted.size;
          rows = [];
        };
        for (; session !== -1 && count < batch; session = next()) {
          const { person, events: wire, identifyAt, state } = population.session(session);
          let snapshotId = 0;
          let snapshot = null;
          if (state !== 'anonymous') {
            snapshot = snapshotFor(snapshotOf, person, population.profileAt(person, wire[0].at));
            snapshotId = local.get(snapshot) ?? (await snapshots.idFor(trx, workspace, snapshot)).id;
            local.set(snapshot, snapshotId);
            used.set(snapshotId, snapshot);
          }
          const identifiedFrom = state === 'identifying' ? identifyAt : state === 'anonymous' ? wire.length : 0;
          for (const [k, e] of wire.entries()) {
            if (k === identifiedFrom && state === 'identifying') {
              // The visitor identifies: what it did while anonymous becomes the user's (the identify hook's path).
              await flush();
              const moved = await store.attribute(trx, workspace, person.anonymousId, person.userId, person.trust);
              attributed += moved;
              await trx
                .insertInto('anonymous_links')
                .values(linkRow(workspace, widgetId, person, e.at))
                .onConflict((oc) => oc.columns(['workspace_id', 'anonymous_id']).doNothing())
                .execute();
            }
            const checked = validateAnalyticsEvent(e, e.at);
            if (!checked.ok) throw new Error(`generated an invalid event: ${checked.issue.message} ${JSON.stringify(e)}`);
            const identified = k >= identifiedFrom;
            rows.push({
              workspaceId: workspace,
              eventId: e.id,
              widgetId,
              name: e.name,
              at: e.at,
              person: personOf(identified ? person.userId : null, person.anonymousId),
              userId: identified ? person.userId : null,
              anonymousId: person.anonymousId,
              trust: identified ? person.trust : 'anonymous',
              snapshotId: identified ? snapshotId : 0,
              object: checked.value.object,
              props: checked.value.props,
            });
            lastAt = e.at;
          }
          count += wire.length;
        }
        await flush();
      });
      for (const [id, snapshot] of used) snapshots.remember(workspace, snapshot, id);
      progress();
    }
  };
  await Promise.all(Array.from({ length: streams }, (_, k) => stream(k)));
  const eventSeconds = (performance.now() - eventsStarted) / 1000;

  await seedIdentityStats(db, workspace);
  const analyzeStarted = performance.now();
  // As autovacuum would have it: index-only scans need the visibility map.
  if (adapter.name === 'postgres')
    await sql`vacuum analyze events, event_ids, event_person_days, event_daily, event_snapshots, users`.execute(db);
  else await sql`analyze`.execute(db);
  const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
  const snapshotCount = await db
    .selectFrom('event_snapshots')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('workspace_id', '=', workspace)
    .executeTakeFirstOrThrow();
  return {
    workspaceId: workspace,
    widgetId,
    events: written,
    attributed,
    seed,
    from: population.start,
    to: population.end,
    people: population.people.length,
    users: users.length,
    sessions: population.sessionCount,
    snapshots: Number(snapshotCount.n),
    identityStats: true,
    announcements: population.announcements.map((a) => a.id),
    eventSeconds,
    analyzeSeconds,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The identity log's hourly counts (`identity_stats`, what the identity health
 * report reads), as identify would have counted them: one identify where a
 * visitor identified (a `$identify` event) and one where a signed-in session
 * opened the widget (its first event, recorded with the user's trust). Its
 * outcome is the session's trust. Replaces what the workspace had, so a cached
 * database seeded before this existed gets it once (run.js).
 */
export async function seedIdentityStats(db, workspaceId) {
  const { sql } = await import('kysely');
  const hour = sql`e.at / 3600000 * 3600000`;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('identity_stats').where('workspace_id', '=', workspaceId).execute();
    await sql`insert into identity_stats (workspace_id, widget_id, hour, outcome, reason, count)
      select e.workspace_id, e.widget_id, ${hour}, e.trust, 'ok', count(*) from events e
      where e.workspace_id = ${workspaceId} and e.trust <> 'anonymous' and e.name in ('$identify', '$widget_opened')
      group by e.workspace_id, e.widget_id, ${hour}, e.trust`.execute(trx);
  });
}

/** Sources as identify would have stored them: a verified user's plan, role and seats from the host's backend. */
function sourcesOf(person, profile) {
  const sources = {};
  const set = (key, value, verifiedSource) => {
    if (value !== null && value !== undefined) sources[key] = person.trust === 'verified' ? verifiedSource : 'unverified';
  };
  for (const trait of ['name', 'email', 'birthday', 'gender']) set(trait, profile[trait], 'claimed');
  for (const [key, value] of Object.entries(profile.properties)) set(`properties.${key}`, value, key === 'region' ? 'claimed' : 'trusted');
  return sources;
}

function snapshotFor(snapshotOf, person, profile) {
  person.snapshots ??= new Map();
  let snapshot = person.snapshots.get(profile);
  if (!snapshot) {
    const view = { userId: person.userId, ...profile, sources: sourcesOf(person, profile) };
    snapshot = snapshotOf({ state: person.trust, userId: person.userId }, view);
    person.snapshots.set(profile, snapshot);
  }
  return snapshot;
}

function userRow(adapter, workspaceId, person, population) {
  const profile = person.profiles.at(-1);
  const createdAt = person.visitor ? population.sessionStart[person.identifySession] : person.firstSeen;
  return {
    workspace_id: workspaceId,
    user_id: person.userId,
    name: profile.name,
    email: profile.email,
    birthday: profile.birthday,
    gender: profile.gender,
    properties: adapter.json(profile.properties),
    sources: adapter.json(sourcesOf(person, profile)),
    trust: person.trust,
    created_at: createdAt,
    updated_at: person.planChangeAt ?? createdAt,
    last_seen_at: person.lastSeen,
  };
}

function linkRow(workspaceId, widgetId, person, at) {
  return {
    workspace_id: workspaceId,
    anonymous_id: person.anonymousId,
    user_id: person.userId,
    trust: person.trust,
    widget_id: widgetId,
    linked_at: at,
  };
}

function quoteIdent(name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`schema name ${name} must be lower-case letters, digits and _`);
  return name;
}

/** A new master key (PostgreSQL needs one in LUMIO_MASTER_KEY). */
export function newMasterKey() {
  return crypto.randomBytes(32).toString('base64');
}
