import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { compileCondition, dateValue, type Condition } from '@lumio/targeting';
import {
  COMPANY_ATTRIBUTES,
  COMPANY_IDS,
  randomAttributes,
  randomCompanyValues,
  randomCondition,
  randomInterestRows,
  seededRandom,
} from '@lumio/targeting/test-support';
import type { TrustLevel, ValueSource } from '@lumio/protocol';
import { DIALECTS, createMigratedDatabase } from '../test-support/test-app.js';
import { insertStoredUsers } from '../test-support/stored-users.js';
import type { DialectAdapter } from '../db/dialects/dialect-adapter.js';
import { parseJson } from '../db/schema.js';
import { conditionToSql } from './condition-sql.js';
import { interestPartition, userAttributes, type AttributesView, type TargetedMembership, type TargetedUser } from './user-attributes.js';
import { readUserCompanies } from './user-companies.js';
import { levelAt } from '../interests/interest-math.js';

// SQL against the JavaScript predicate: random stored users with random
// interest profiles and 0, 1 or 2 companies (random values, sources and
// membership sources), random conditions, every view; the set of matching
// users must be the same. Replay a failure with LUMIO_DIFFERENTIAL_SEED=<seed printed>.
const SEED = Number(process.env.LUMIO_DIFFERENTIAL_SEED ?? 20261121);
const USERS = 300;
const CONDITIONS = 1200;
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const WORKSPACE = 'ws_diff';
const VIEWS: AttributesView[] = ['all', 'trusted', 'unverified'];
const SOURCES: ValueSource[] = ['unverified', 'claimed', 'trusted'];
const TRAITS = ['name', 'email', 'birthday', 'gender'] as const;
// Not the default (30): the SQL must use the workspace's own half-life.
const HALF_LIFE_DAYS = 14;
// Interest levels are read at another moment than relative dates (reports read current interests).
const INTERESTS_NOW = NOW + 3 * 86_400_000;

/** A random user as the users store could hold it: random attributes mapped onto traits and storable properties. */
function randomUser(random: () => number, index: number): TargetedUser {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const attributes = randomAttributes(random, 'lumio');
  const user: TargetedUser = {
    userId: `u${String(index).padStart(3, '0')}`,
    name: typeof attributes.name === 'string' ? attributes.name : null,
    email: random() < 0.5 ? pick(['ada@acme.com', 'GRACE@ACME.COM', 'bot@example.org']) : null,
    // A stored birthday is a real calendar day.
    birthday: typeof attributes.birthday === 'string' && !Number.isNaN(dateValue(attributes.birthday)) ? attributes.birthday : null,
    gender: random() < 0.5 ? pick(['female', 'male', 'other']) : null,
    properties: {},
    sources: {},
    trust: pick<TrustLevel>(['identified', 'verified']),
  };
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'name' || key === 'birthday' || !storable(value)) continue;
    user.properties[key] = value;
  }
  // Properties named like traits or userId are stored, but never attributes.
  if (random() < 0.2) user.properties[pick(['name', 'email', 'userId', 'trust', 'interests'])] = pick(['shadow', 'u000', 'verified']);
  for (const key of [...TRAITS.filter((t) => user[t] !== null), ...Object.keys(user.properties).map((k) => `properties.${k}`)]) {
    // Now and then a value without a source: only the 'all' view counts it.
    if (random() < 0.95) user.sources[key] = pick(SOURCES);
  }
  return user;
}

/** A random company of the pool: values drawn like a user's, each with a random source (or none now and then). */
function randomCompany(random: () => number, id: string): Omit<TargetedMembership, 'membership'> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const { name, properties: drawn } = randomCompanyValues(random);
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(drawn)) if (storable(value)) properties[key] = value;
  // A property named like the company's own id or name: stored, never read as them.
  if (random() < 0.3) properties[pick(['id', 'name'])] = pick(['acme', 'Ada']);
  const sources: Record<string, ValueSource> = {};
  for (const key of [...(name === null ? [] : ['name']), ...Object.keys(properties).map((k) => `properties.${k}`)])
    if (random() < 0.95) sources[key] = pick(SOURCES);
  return { companyId: id, name, properties, sources };
}

// What validateProperties lets through: text, finite numbers, booleans, lists of text.
function storable(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (Array.isArray(value) && value.every((item) => typeof item === 'string'))
  );
}

for (const dialect of DIALECTS) {
  describe(`conditionToSql against the JavaScript predicate on ${dialect}`, () => {
    let adapter: DialectAdapter;
    let close: (() => Promise<void>) | undefined;
    let stored: TargetedUser[];
    let interestRows: Array<{ workspace: string; viewer: string; topic: string; score: number; updatedAt: number }>;

    /** The user's levels in the partition a view reads, as interests-reader.ts computes them. */
    const levelsOf = (user: TargetedUser, view: AttributesView): Record<string, number> => {
      const viewer = `${interestPartition(view)}${user.userId}`;
      const levels: Record<string, number> = {};
      for (const row of interestRows)
        if (row.workspace === WORKSPACE && row.viewer === viewer)
          levels[row.topic] = levelAt(row.score, row.updatedAt, INTERESTS_NOW, HALF_LIFE_DAYS);
      return levels;
    };

    beforeAll(async () => {
      ({ adapter, close } = await createMigratedDatabase(dialect));
      await adapter.db.insertInto('workspaces').values({ id: WORKSPACE, name: 'Differential', created_at: NOW }).execute();
      const random = seededRandom(SEED);
      const users = Array.from({ length: USERS }, (_, i) => randomUser(random, i));
      await insertStoredUsers(adapter, WORKSPACE, users, NOW);
      // Companies: each user in 0, 1 or 2 of them, each membership of a random source.
      const companies = COMPANY_IDS.map((id) => randomCompany(random, id));
      const json = (v: unknown) => adapter.json(v) as string;
      await adapter.db
        .insertInto('companies')
        .values(
          companies.map((c) => ({
            workspace_id: WORKSPACE,
            company_id: c.companyId,
            name: c.name,
            properties: json(c.properties),
            sources: json(c.sources),
            created_at: NOW,
            updated_at: NOW,
          })),
        )
        .execute();
      const members: Array<{
        workspace_id: string;
        company_id: string;
        user_id: string;
        source: string;
        created_at: number;
        updated_at: number;
      }> = [];
      for (const user of users) {
        const count = Math.floor(random() * 3);
        const ids = new Set(Array.from({ length: count }, () => COMPANY_IDS[Math.floor(random() * COMPANY_IDS.length)]!));
        for (const id of ids)
          members.push({
            workspace_id: WORKSPACE,
            company_id: id,
            user_id: user.userId,
            source: SOURCES[Math.floor(random() * 3)]!,
            created_at: NOW,
            updated_at: NOW,
          });
      }
      for (let i = 0; i < members.length; i += 200)
        await adapter.db
          .insertInto('company_members')
          .values(members.slice(i, i + 200))
          .execute();
      await adapter.db.updateTable('workspaces').set({ interest_half_life_days: HALF_LIFE_DAYS }).where('id', '=', WORKSPACE).execute();
      // Each user's partitions get their own profile; another workspace holds profiles under the same keys, never to be read.
      await adapter.db.insertInto('workspaces').values({ id: 'ws_other', name: 'Other', created_at: NOW }).execute();
      // The other workspace has the same users in every company of the same ids, all trusted, never to be read.
      await insertStoredUsers(adapter, 'ws_other', users, NOW);
      const everything = { plan: 'enterprise', seats: 500, tags: ['a', 'beta'], beta: true };
      await adapter.db
        .insertInto('companies')
        .values(
          COMPANY_IDS.map((id) => ({
            workspace_id: 'ws_other',
            company_id: id,
            name: 'Ada',
            properties: json(everything),
            sources: json({ name: 'trusted', 'properties.plan': 'trusted', 'properties.seats': 'trusted' }),
            created_at: NOW,
            updated_at: NOW,
          })),
        )
        .execute();
      const otherMembers = users.flatMap((u) =>
        COMPANY_IDS.map((id) => ({
          workspace_id: 'ws_other',
          company_id: id,
          user_id: u.userId,
          source: 'trusted',
          created_at: NOW,
          updated_at: NOW,
        })),
      );
      for (let i = 0; i < otherMembers.length; i += 200)
        await adapter.db
          .insertInto('company_members')
          .values(otherMembers.slice(i, i + 200))
          .execute();
      interestRows = [];
      for (const user of users) {
        for (const [workspace, prefix] of [
          [WORKSPACE, 'v:'],
          [WORKSPACE, 'i:'],
          [WORKSPACE, 'a:'],
          ['ws_other', 'v:'],
        ] as const) {
          for (const row of randomInterestRows(random, NOW)) interestRows.push({ workspace, viewer: `${prefix}${user.userId}`, ...row });
        }
      }
      for (let i = 0; i < interestRows.length; i += 200) {
        await adapter.db
          .insertInto('interest_scores')
          .values(
            interestRows.slice(i, i + 200).map((r) => ({
              workspace_id: r.workspace,
              viewer: r.viewer,
              topic: r.topic,
              score: r.score,
              updated_at: r.updatedAt,
            })),
          )
          .execute();
      }
      // The JavaScript side reads the users back, as delivery code would.
      const rows = await adapter.db.selectFrom('users').selectAll().where('workspace_id', '=', WORKSPACE).orderBy('user_id').execute();
      stored = [];
      for (const row of rows)
        stored.push({
          userId: row.user_id,
          name: row.name,
          email: row.email,
          birthday: row.birthday,
          gender: row.gender,
          properties: parseJson(row.properties, {}),
          sources: parseJson(row.sources, {}),
          trust: row.trust as TrustLevel,
          companies: await readUserCompanies(adapter.db, WORKSPACE, row.user_id),
        });
      const sizes = new Set(stored.map((u) => u.companies!.length));
      expect([...sizes].sort()).toEqual([0, 1, 2]);
    });
    afterAll(async () => close?.());

    it(`matches the same users for ${CONDITIONS} random conditions × ${USERS} users × ${VIEWS.length} views`, async () => {
      const random = seededRandom(SEED + 1);
      const attributes = VIEWS.map((view) => stored.map((user) => userAttributes(user, view, levelsOf(user, view))));
      let matches = 0;
      let compared = 0;
      let interestMatches = 0;
      let interestCompared = 0;
      let companyMatches = 0;
      let companyCompared = 0;
      for (let c = 0; c < CONDITIONS; c++) {
        const condition: Condition = randomCondition(random, 'lumio', 0, COMPANY_ATTRIBUTES);
        const predicate = compileCondition(condition);
        const columns = VIEWS.map((view, v) =>
          sql<number>`CASE WHEN ${conditionToSql(condition, { dialect, now: NOW, view, interests: { halfLifeDays: HALF_LIFE_DAYS, now: INTERESTS_NOW } })} THEN 1 ELSE 0 END`.as(
            `v${v}`,
          ),
        );
        const rows = await adapter.db
          .selectFrom('users')
          .select(['user_id', ...columns])
          .where('workspace_id', '=', WORKSPACE)
          .orderBy('user_id')
          .execute();
        VIEWS.forEach((view, v) => {
          const inSql = rows.filter((row) => Number((row as Record<string, unknown>)[`v${v}`]) === 1).map((row) => row.user_id);
          const inJs = stored.filter((_, u) => predicate(attributes[v]![u]!, NOW)).map((user) => user.userId);
          if (inSql.join() !== inJs.join()) {
            const differing = stored.filter((user) => inSql.includes(user.userId) !== inJs.includes(user.userId)).slice(0, 3);
            throw new Error(
              `SQL and JavaScript disagree (seed ${SEED}, condition #${c}, view ${view}): ${JSON.stringify(condition)}\n` +
                differing
                  .map(
                    (user) =>
                      `${user.userId}: SQL ${inSql.includes(user.userId)}, attributes ${JSON.stringify(attributes[v]![stored.indexOf(user)])}`,
                  )
                  .join('\n'),
            );
          }
          matches += inJs.length;
          compared += stored.length;
          if (JSON.stringify(condition).includes('"interests.')) {
            interestMatches += inJs.length;
            interestCompared += stored.length;
          }
          if (JSON.stringify(condition).includes('"company.')) {
            companyMatches += inJs.length;
            companyCompared += stored.length;
          }
        });
      }
      // Both outcomes must be common, or the comparison proves little.
      expect(matches / compared).toBeGreaterThan(0.2);
      expect(matches / compared).toBeLessThan(0.8);
      // Conditions on interests came up, and split the users too.
      expect(interestCompared).toBeGreaterThan(compared / 10);
      expect(interestMatches / interestCompared).toBeGreaterThan(0.2);
      expect(interestMatches / interestCompared).toBeLessThan(0.8);
      // So did conditions on companies.
      expect(companyCompared).toBeGreaterThan(compared / 10);
      expect(companyMatches / companyCompared).toBeGreaterThan(0.15);
      expect(companyMatches / companyCompared).toBeLessThan(0.85);
    }, 240_000);
  });
}
