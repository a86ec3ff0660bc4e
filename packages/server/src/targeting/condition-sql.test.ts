import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ageAt, compileCondition, ConditionError, dateValue, paddedVersion, type Condition } from '@lumio/targeting';
import { DIALECTS, createMigratedDatabase } from '../test-support/test-app.js';
import { insertStoredUsers } from '../test-support/stored-users.js';
import type { DialectAdapter } from '../db/dialects/dialect-adapter.js';
import { conditionToSql, type ConditionSqlOptions } from './condition-sql.js';
import { userAttributes, type AttributesView, type TargetedUser } from './user-attributes.js';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const WORKSPACE = 'ws_a';

type Seed = Partial<TargetedUser> & { userId: string };

// One user per situation the operators must tell apart: missing, text, numbers, numeric text, booleans, lists.
const USERS: Seed[] = [
  { userId: 'none', properties: {} },
  { userId: 'free', properties: { plan: 'free', seats: 5, role: 'admin', tags: ['beta', 'vip'], beta: true } },
  { userId: 'pro', properties: { plan: 'pro', seats: 50, role: 'owner', tags: [], beta: false } },
  { userId: 'text5', properties: { plan: 'Free', seats: '5', role: 'ADMIN', tags: ['Beta'], beta: 'true' } },
  { userId: 'odd', properties: { plan: '', seats: ' 7 ', role: 'member', tags: ['a', 'b', 'c'], beta: 0, version: 'v2.0.0' } },
  { userId: 'sci', properties: { seats: '1e2', score: 2.5, version: '1.10.0', signedUpAt: '2026-11-20T10:00:00Z' } },
  {
    userId: 'weird',
    properties: { seats: 'abc', score: '0x1A', tags: ['1', '2'], version: '2.0.0-beta.1', signedUpAt: 1_700_000_000_000 },
  },
  { userId: 'born', birthday: '2000-11-21', name: 'Ada', email: 'ada@acme.com', gender: 'female', properties: { name: 'shadow' } },
  { userId: 'young', birthday: '2010-02-28', name: 'GRACE HOPPER', properties: { signedUpAt: '2025-01-01' } },
];

function stored(seed: Seed): TargetedUser {
  return {
    name: null,
    email: null,
    birthday: null,
    gender: null,
    sources: {},
    trust: 'identified',
    ...seed,
    properties: seed.properties ?? {},
  };
}

// The SQL functions conditions compile to, value by value against the JavaScript
// they stand for: the corners of each coercion.
const NUMERIC_TEXT = [
  '',
  ' ',
  '5',
  ' 7 ',
  '\t8\n',
  '\u00a09\u3000',
  '\ufeff1',
  '1e2',
  '1E+2',
  '.5',
  '5.',
  '-0',
  '+3',
  '-.5e-3',
  'Infinity',
  '-Infinity',
  '+Infinity',
];
const NOT_NUMBERS = ['infinity', 'NaN', '1_000', '0x', '0x1G', '-0x10', '1e', 'e5', '..5', '5..', '1 2', 'abc'];
const RADIX = ['0x1A', '0XfF', '0o17', '0b101', '0B11', '0x' + 'f'.repeat(300)];
const EXTREME = [
  '1e400',
  '-1e400',
  '1e-400',
  '9'.repeat(400),
  '0.' + '0'.repeat(400) + '1',
  '1.7976931348623159e308',
  '2.4703282292062328e-324',
  '5e-324',
];
const NUMBER_VALUES = [0, 1, -3, 2.5, 0.1, 1e21, 1e-7, 1.5e-7, 123456789012, 0.000001, 1e300, -1e-300, 2 ** 60, 5e-324, Number.MAX_VALUE];
const DATES = [
  '2026-11-22',
  '2026-02-29',
  '2028-02-29',
  '0000-01-01',
  '9999-12-31',
  '2026-11-22T10:30:00+01:00',
  '2026-11-22T10:30Z',
  '2026-11-22T10:30:00.1Z',
  '2026-11-22T10:30:00.123456789-05:30',
  '2026-11-22T24:00:00Z',
  '2026-11-22T24:00:00.001Z',
  '2026-11-22T23:60:00Z',
  '2026-11-22T10:00+23:59',
  '2026-11-22T10:00+24:00',
  '2026-11-22T10:30:00',
  '2026-13-01',
  '1969-12-31T23:59:59.999Z',
];
const VERSIONS = ['1.2.3', 'v1.2.3+build', '1.0.0-beta.2', '', 'v', '1..2', '1.2.3.4.5', '123456.1', 'a-b.c', '1.0+x\ny', '+1', 'v+'];
const TEXTS = ['ÉVA', 'straße', 'İstanbul', 'ΟΔΟΣ', 'ΟΔΟΣ.', 'Σ', 'ΑΣ ΒΣΓ', 'ǅ', 'ÅNGSTRÖM', 'abc'];

for (const dialect of DIALECTS) {
  describe(`conditionToSql on ${dialect}`, () => {
    let adapter: DialectAdapter;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ adapter, close } = await createMigratedDatabase(dialect));
      await adapter.db
        .insertInto('workspaces')
        .values([
          { id: WORKSPACE, name: 'A', created_at: NOW },
          { id: 'ws_b', name: 'B', created_at: NOW },
        ])
        .execute();
      await insert(USERS.map(stored), WORKSPACE);
    });
    afterAll(async () => close?.());

    const insert = (users: TargetedUser[], workspaceId: string) => insertStoredUsers(adapter, workspaceId, users, NOW);

    async function matching(condition: unknown, options: Partial<ConditionSqlOptions> = {}, workspaceId = WORKSPACE): Promise<string[]> {
      const rows = await adapter.db
        .selectFrom('users')
        .select('user_id')
        .where('workspace_id', '=', workspaceId)
        .where(conditionToSql(condition, { dialect, now: NOW, ...options }))
        .execute();
      return rows.map((r) => r.user_id).sort();
    }

    /** The users SQL matches, checked against the JavaScript predicate over the same users. */
    async function expectMatches(condition: Condition, expected: string[], view: AttributesView = 'all') {
      const predicate = compileCondition(condition);
      const inJs = USERS.map(stored)
        .filter((u) => predicate(userAttributes(u, view), NOW))
        .map((u) => u.userId)
        .sort();
      expect(inJs, `JavaScript, ${JSON.stringify(condition)}`).toEqual([...expected].sort());
      expect(await matching(condition, { view }), `SQL, ${JSON.stringify(condition)}`).toEqual([...expected].sort());
    }

    it('compares plain values loosely, $eq and $ne strictly', async () => {
      await expectMatches({ plan: 'free' }, ['free']);
      await expectMatches({ seats: 5 }, ['free', 'text5']);
      await expectMatches({ seats: 100 }, ['sci']);
      await expectMatches({ seats: 7 }, ['odd']);
      await expectMatches({ seats: { $eq: 5 } }, ['free']);
      await expectMatches({ seats: { $eq: '5' } }, ['text5']);
      await expectMatches({ plan: null }, ['none', 'sci', 'weird', 'born', 'young']);
      await expectMatches({ plan: 'null' }, ['none', 'sci', 'weird', 'born', 'young']);
      await expectMatches({ plan: { $ne: 'free' } }, ['none', 'pro', 'text5', 'odd', 'sci', 'weird', 'born', 'young']);
      await expectMatches({ beta: true }, ['free', 'text5']);
      await expectMatches({ beta: false }, ['pro', 'odd']);
      await expectMatches({ beta: 'true' }, ['free', 'text5']);
      await expectMatches({ tags: 'beta,vip' }, ['free']);
      await expectMatches({ tags: ['beta', 'vip'] }, ['free']);
      await expectMatches({ tags: [] }, ['pro']);
      await expectMatches({ tags: '' }, ['pro']);
    });

    it('orders with JavaScript rules: numeric text as numbers, text as text, missing as 0', async () => {
      await expectMatches({ seats: { $gte: 5, $lt: 100 } }, ['free', 'pro', 'text5', 'odd']);
      await expectMatches({ seats: { $lt: 1 } }, ['none', 'born', 'young']);
      await expectMatches({ plan: { $gt: 'Z' } }, ['free', 'pro']);
      await expectMatches({ plan: { $lt: 'a' } }, ['text5', 'odd']);
      await expectMatches({ score: { $gt: 20 } }, ['weird']);
      await expectMatches({ tags: { $gt: 'a,' } }, ['free', 'odd']);
      await expectMatches({ seats: { $gt: 'abc' } }, []);
    });

    it('tests membership strictly, and any element of a list', async () => {
      await expectMatches({ role: { $in: ['admin', 'owner'] } }, ['free', 'pro']);
      await expectMatches({ seats: { $in: [5] } }, ['free']);
      await expectMatches({ seats: { $in: ['5'] } }, ['text5']);
      await expectMatches({ tags: { $in: ['vip', 'c'] } }, ['free', 'odd']);
      await expectMatches({ role: { $in: [null] } }, ['none', 'sci', 'weird', 'born', 'young']);
      await expectMatches({ role: { $in: [] } }, []);
      await expectMatches({ role: { $nin: ['admin'] } }, ['none', 'pro', 'text5', 'odd', 'sci', 'weird', 'born', 'young']);
      await expectMatches({ role: { $ini: ['Admin'] } }, ['free', 'text5']);
      await expectMatches({ tags: { $ini: ['BETA'] } }, ['free', 'text5']);
      await expectMatches({ tags: { $all: ['beta', 'vip'] } }, ['free']);
      await expectMatches({ tags: { $alli: ['beta'] } }, ['free', 'text5']);
      await expectMatches({ tags: { $all: [] } }, ['free', 'pro', 'text5', 'odd', 'weird']);
      await expectMatches({ tags: { $elemMatch: { $regex: '^[0-9]$' } } }, ['weird']);
      await expectMatches({ tags: { $size: 3 } }, ['odd']);
      await expectMatches({ tags: { $size: { $gt: 1 } } }, ['free', 'odd', 'weird']);
      await expectMatches({ 'tags.length': 2 }, ['free', 'weird']);
      await expectMatches({ 'tags.0': 'beta' }, ['free']);
    });

    it('checks presence and type', async () => {
      await expectMatches({ plan: { $exists: true } }, ['free', 'pro', 'text5', 'odd']);
      await expectMatches({ beta: { $type: 'boolean' } }, ['free', 'pro']);
      await expectMatches({ seats: { $type: 'number' } }, ['free', 'pro']);
      await expectMatches({ tags: { $type: 'array' } }, ['free', 'pro', 'text5', 'odd', 'weird']);
      await expectMatches({ plan: { $type: 'null' } }, ['none', 'sci', 'weird', 'born', 'young']);
    });

    it('matches patterns against the text of the value, missing as "null"', async () => {
      await expectMatches({ email: { $regexi: '@ACME\\.com$' } }, ['born']);
      await expectMatches({ name: { $regex: 'ul' } }, ['none', 'free', 'pro', 'text5', 'odd', 'sci', 'weird']);
      await expectMatches({ seats: { $regex: '^\\d+$' } }, ['free', 'pro', 'text5']);
      await expectMatches({ name: { $regex: '\\bHOP' } }, ['young']);
      await expectMatches({ tags: { $regex: '^a,b' } }, ['odd']);
      await expectMatches({ name: { $regexi: '^gr.ce h' } }, ['young']);
    });

    it('compares versions, dates and ages', async () => {
      await expectMatches({ version: { $vgte: '1.2.0' } }, ['odd', 'sci', 'weird']);
      await expectMatches({ version: { $vlt: '2.0.0' } }, ['none', 'free', 'pro', 'text5', 'sci', 'weird', 'born', 'young']);
      await expectMatches({ signedUpAt: { $after: '-30d' } }, ['sci']);
      await expectMatches({ signedUpAt: { $before: '2024-01-01' } }, ['weird']);
      await expectMatches({ birthday: { $age: { $gte: 18 } } }, ['born']);
      await expectMatches({ birthday: { $age: 16 } }, ['young']);
      await expectMatches({ birthday: { $age: { $lt: 100 } } }, ['born', 'young']);
    });

    it('reads traits from their columns only, and userId and trust', async () => {
      await expectMatches({ name: 'shadow' }, []);
      await expectMatches({ name: 'Ada', gender: 'female' }, ['born']);
      await expectMatches({ userId: { $in: ['free', 'pro'] } }, ['free', 'pro']);
      await expectMatches({ trust: 'identified', plan: 'pro' }, ['pro']);
    });

    it('combines with $and, $or, $nor and $not without NULL leaking into NOT', async () => {
      await expectMatches({ $or: [{ plan: 'free' }, { seats: { $gt: 10 } }] }, ['free', 'pro', 'sci']);
      await expectMatches({ $nor: [{ plan: { $exists: true } }, { seats: { $exists: true } }] }, ['none', 'born', 'young']);
      await expectMatches(
        { $not: { seats: { $gt: 'abc' } } },
        USERS.map((u) => u.userId),
      );
      await expectMatches(
        { $and: [] },
        USERS.map((u) => u.userId),
      );
      await expectMatches(
        { $or: [] },
        USERS.map((u) => u.userId),
      );
      await expectMatches({ $nor: [] }, []);
      await expectMatches({ $not: { score: { $lt: 3 } } }, ['weird']);
    });

    it('runs the widest conditions the validator allows: long lists of keys, $and and $or stay within SQLite depth limits', async () => {
      // 999 keys of one object (or 450 items of an $and) were one left-deep chain, past SQLite's 1000 levels: a 500.
      const keys = Object.fromEntries(Array.from({ length: 999 }, (_, i) => [`p${i}`, { $exists: false }]));
      expect(await matching(keys)).toEqual(USERS.map((u) => u.userId).sort());
      const and = { $and: Array.from({ length: 450 }, (_, i) => ({ [`p${i}`]: { $exists: false } })) };
      expect(await matching(and)).toEqual(USERS.map((u) => u.userId).sort());
      const or = { $or: [...Array.from({ length: 449 }, (_, i) => ({ [`p${i}`]: 'x' })), { plan: 'pro' }] };
      expect(await matching(or)).toEqual(['pro']);
      const ops = { seats: { $gt: 1, $lt: 100, $ne: 7, $exists: true, $type: 'number', $nin: [3] } };
      expect(await matching(ops)).toEqual(['free', 'pro']);
    });

    it('binds values as parameters: SQL in a condition is only text', async () => {
      const hostile = "'); drop table users; --";
      const compiled = conditionToSql({ plan: hostile, [hostile.replace(/[^a-z ]/g, '')]: { $in: [hostile] } }, { dialect, now: NOW });
      const text = compiled.compile(adapter.db).sql;
      expect(text).not.toContain('drop table');
      expect(await matching({ plan: hostile })).toEqual([]);
      expect(await matching({ plan: { $regex: hostile.replace(/[()]/g, '') } })).toEqual([]);
      const count = await adapter.db
        .selectFrom('users')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(USERS.length);
    });

    it('shows a view only the values its sources wrote', async () => {
      await insert(
        [
          stored({
            userId: 'mixed',
            name: 'Mixed',
            email: 'm@example.com',
            properties: { plan: 'pro', seats: 9 },
            sources: { name: 'trusted', email: 'unverified', 'properties.plan': 'trusted', 'properties.seats': 'claimed' },
          }),
        ],
        'ws_b',
      );
      const ids = (condition: Condition, view: AttributesView) => matching(condition, { view }, 'ws_b');
      expect(await ids({ plan: 'pro' }, 'trusted')).toEqual(['mixed']);
      expect(await ids({ plan: 'pro' }, 'unverified')).toEqual([]);
      expect(await ids({ seats: 9 }, 'all')).toEqual(['mixed']);
      expect(await ids({ seats: 9 }, 'trusted')).toEqual([]);
      expect(await ids({ seats: { $exists: false } }, 'trusted')).toEqual(['mixed']);
      expect(await ids({ email: { $exists: true } }, 'trusted')).toEqual([]);
      expect(await ids({ email: 'm@example.com' }, 'unverified')).toEqual(['mixed']);
      expect(await ids({ name: 'Mixed', userId: 'mixed', trust: 'identified' }, 'trusted')).toEqual(['mixed']);
    });

    it('keeps to the workspace it is combined with, even around an $or', async () => {
      await insert([stored({ userId: 'free', properties: { plan: 'free' } })], 'ws_b');
      const rows = await adapter.db
        .selectFrom('users as u')
        .select(['u.workspace_id', 'u.user_id'])
        .where('u.workspace_id', '=', WORKSPACE)
        .where(conditionToSql({ $or: [{ plan: 'free' }, { plan: 'pro' }] }, { dialect, now: NOW, table: 'u' }))
        .execute();
      expect(rows.map((r) => `${r.workspace_id}/${r.user_id}`).sort()).toEqual(['ws_a/free', 'ws_a/pro']);
    });

    it('inlines segments; refuses cycles, unknown segments and invalid conditions', async () => {
      const segments: Record<string, Condition> = {
        seg_paid: { plan: { $in: ['pro', 'team'] } },
        seg_admins: { $or: [{ $segment: 'seg_paid' }, { role: 'admin' }] },
        seg_loop: { $segment: 'seg_loop2' },
        seg_loop2: { $not: { $segment: 'seg_loop' } },
      };
      const segment = (id: string) => segments[id];
      expect(await matching({ $segment: 'seg_admins' }, { segment })).toEqual(['free', 'pro']);
      expect(await matching({ tags: { $elemMatch: { length: { $gt: 0 }, $segment: 'seg_paid' } } }, { segment })).toEqual([]);
      const error = (condition: unknown) => {
        try {
          conditionToSql(condition, { dialect, now: NOW, segment });
        } catch (e) {
          expect(e).toBeInstanceOf(ConditionError);
          return (e as ConditionError).issues[0]!.code;
        }
        return 'none';
      };
      expect(error({ $segment: 'seg_loop' })).toBe('segment_cycle');
      expect(error({ $segment: 'seg_nope' })).toBe('unknown_segment');
      expect(error({ plan: { $where: 'x' } })).toBe('unknown_operator');
      // GrowthBook's saved groups are refused on the SQL path with the validator's message (docs/targeting.md, "What is refused").
      for (const op of ['$inGroup', '$notInGroup']) {
        expect(error({ userId: { [op]: 'grp_beta' } })).toBe('unknown_operator');
        expect(() => conditionToSql({ userId: { [op]: 'grp_beta' } }, { dialect, now: NOW, segment })).toThrow(
          /saved groups are not supported; use \{ "(\$not": \{ ")?\$segment"/,
        );
      }
      expect(error({ plan: { $regex: '(a)\\1' } })).toBe('invalid_regex');
      expect(() => conditionToSql({ plan: 'x' }, { dialect, now: NOW, table: 'users; drop' })).toThrow(/table/);
    });

    /** Calls a function on one JSON value, as condition-sql.ts passes values on this dialect. */
    async function call(fn: string, value: unknown, ...extra: number[]): Promise<unknown> {
      const json = JSON.stringify(value);
      const more = extra.map((x) => (dialect === 'postgres' ? sql`, ${x}::float8` : sql`, ${x}`));
      const args = dialect === 'postgres' ? sql`${json}::jsonb` : sql`json_type(${json}), (${json} ->> '$')`;
      const { rows } = await sql<{ r: unknown }>`SELECT ${sql.raw(fn)}(${args}${sql.join(more, sql``)}) AS r`.execute(adapter.db);
      return rows[0]!.r;
    }

    it('Number(value): trimmed decimal, Infinity, 0x/0o/0b, out-of-range values, lists; NULL for NaN', async () => {
      const values: unknown[] = [
        ...NUMERIC_TEXT,
        ...NOT_NUMBERS,
        ...RADIX,
        ...EXTREME,
        ...NUMBER_VALUES,
        true,
        false,
        [],
        ['5'],
        ['1', '2'],
        null,
      ];
      for (const value of values) {
        const expected = Number(value);
        const actual = await call('lumio_number', value);
        expect(actual === null ? NaN : Number(actual), JSON.stringify(value)).toBe(Number.isNaN(expected) ? NaN : expected);
      }
    });

    it('String(value): numbers as JavaScript writes them, lists joined, missing as "null"', async () => {
      for (const value of [...NUMBER_VALUES, -0.5, 'é', true, [], ['a', 'b'], ['a,b', ''], null])
        expect(await call('lumio_text', value), JSON.stringify(value)).toBe(String(value));
    });

    it('dates and ages as the targeting package reads them', async () => {
      for (const value of [...DATES, 1_700_000_000_000, -8.7e15, 'x', true]) {
        const expected = dateValue(value);
        const actual = await call('lumio_date', value);
        expect(actual === null ? NaN : Number(actual), String(value)).toBe(expected);
        const age = ageAt(value, NOW);
        expect(await call('lumio_age', value, NOW), String(value)).toBe(age === null || Number.isNaN(age) ? null : age);
      }
    });

    it('padded versions', async () => {
      for (const value of [...VERSIONS, 2, 1.5, null, true])
        expect(await call('lumio_version', value), String(value)).toBe(paddedVersion(value));
    });

    it('lower-cases as toLowerCase does, final sigma and dotted capital I included', async () => {
      for (const text of TEXTS) {
        const { rows } = await sql<{ r: string }>`SELECT lumio_lower(${text}) AS r`.execute(adapter.db);
        expect(rows[0]!.r, text).toBe(text.toLowerCase());
      }
    });

    if (dialect === 'postgres')
      it('refuses patterns PostgreSQL cannot run exactly, with a clear error', () => {
        expect(() => conditionToSql({ plan: { $regex: '[\\ud800-\\udbff]' } }, { dialect, now: NOW })).toThrow(/cannot run in SQL/);
        expect(() => conditionToSql({ plan: { $regex: '\\ud800' } }, { dialect, now: NOW })).toThrow(/cannot run in SQL/);
      });
  });
}
