import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createWidget, identify, otherWorkspaceOwner, setupOwner, sign, startSession } from '../test-support/api-helpers.js';
import type { ProfileSnapshot } from './event-snapshots.js';
import { HIGH_CARDINALITY_THRESHOLD, PropertyCatalogue } from './property-catalogue.js';

const at = (iso: string) => Date.parse(`${iso}Z`);
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const STRIPE = 'sk_live_51HxQ2bC3dE4fG5hJ6kL7mN8p';

function snapshot(properties: Record<string, unknown>, traits: Partial<ProfileSnapshot> = {}): ProfileSnapshot {
  return { userId: 'u1', trust: 'verified', name: null, email: null, birthday: null, gender: null, properties, sources: {}, ...traits };
}

for (const dialect of DIALECTS) {
  describe(`property catalogue [${dialect}]`, () => {
    let t: TestApp;
    let n = 0;
    // Each test its own workspace: the catalogue keeps no other state.
    const workspace = () => `ws_catalogue_${n++}`;

    beforeAll(async () => {
      t = await createTestApp(dialect);
    });
    afterAll(async () => t?.close());

    it('lists traits and properties with their types, first and last seen, and exact distinct counts below k', async () => {
      const ws = workspace();
      const catalogue = t.services.catalogue;
      catalogue.observe(
        ws,
        snapshot(
          { plan: 'pro', seats: 5, beta: true, renewsOn: '2027-01-31', tags: ['a', 'b'], mixed: 1 },
          { email: 'ada@example.com', birthday: '1990-01-02', gender: 'Female' },
        ),
        at('2026-11-01T10:00:00'),
      );
      catalogue.observe(ws, snapshot({ plan: 'free', seats: 5, mixed: 'one', tags: ['b', 'a'] }), at('2026-11-03T10:00:00'));
      catalogue.observe(ws, snapshot({ plan: 'pro' }), at('2026-10-30T10:00:00'));
      const entries = await catalogue.list(ws);
      const byKey = Object.fromEntries(entries.map((e) => [`${e.kind}:${e.key}`, e]));
      expect(entries.map((e) => `${e.kind}:${e.key}`)).toEqual([
        'trait:email',
        'trait:birthday',
        'trait:gender',
        'property:beta',
        'property:mixed',
        'property:plan',
        'property:renewsOn',
        'property:seats',
        'property:tags',
      ]);
      expect(byKey['property:plan']).toEqual({
        key: 'plan',
        kind: 'property',
        types: ['string'],
        firstSeenAt: at('2026-10-30T10:00:00'),
        lastSeenAt: at('2026-11-03T10:00:00'),
        distinctEstimate: 2,
        highCardinality: false,
        flags: [],
      });
      expect(byKey['property:mixed']!.types).toEqual(['number', 'string']);
      expect(byKey['property:renewsOn']!.types).toEqual(['date']);
      expect(byKey['property:beta']!.types).toEqual(['boolean']);
      expect(byKey['property:seats']).toMatchObject({ types: ['number'], distinctEstimate: 1 });
      // A list is one value: ['a','b'] and ['b','a'] are two.
      expect(byKey['property:tags']).toMatchObject({ types: ['list'], distinctEstimate: 2 });
      expect(byKey['trait:birthday']).toMatchObject({ types: ['date'], distinctEstimate: 1 });
      // Traits hold what they are for: an email trait is not flagged.
      expect(byKey['trait:email']).toMatchObject({ types: ['string'], flags: [] });
    });

    it('flags custom properties that look like emails, secrets, phones, URLs or personal data, and stores no value', async () => {
      const ws = workspace();
      const catalogue = t.services.catalogue;
      catalogue.observe(
        ws,
        snapshot(
          {
            contact: 'grace.hopper@example.org',
            apiKey: STRIPE,
            session: JWT,
            mobile: '+44 20 7946 0958',
            homepage: 'https://grace.example.org/about',
            ssn: '078-05-1120',
            email: 'someone@example.net',
            plan: 'enterprise',
            aliases: ['ok', 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
          },
          { email: 'trait@example.com' },
        ),
        at('2026-11-01T10:00:00'),
      );
      const entries = await catalogue.list(ws);
      const flags = Object.fromEntries(entries.map((e) => [`${e.kind}:${e.key}`, e.flags]));
      expect(flags).toEqual({
        'trait:email': [],
        'property:aliases': ['token'],
        'property:apiKey': ['token'],
        'property:contact': ['email'],
        // A property named like a trait has its own entry.
        'property:email': ['email'],
        'property:homepage': ['url'],
        'property:mobile': ['phone'],
        'property:plan': [],
        'property:session': ['token'],
        'property:ssn': ['personal', 'phone'],
      });
      const stored = JSON.stringify(await t.deps.db.selectFrom('property_catalogue').selectAll().where('workspace_id', '=', ws).execute());
      for (const value of ['grace.hopper', 'example', STRIPE, JWT.slice(0, 20), '7946', 'enterprise', '078-05', 'ghp_']) {
        expect(stored).not.toContain(value);
      }
    });

    it('estimates 5,000 distinct values within 20 % across flushes and processes, and marks them high-cardinality', async () => {
      const ws = workspace();
      const other = new PropertyCatalogue(t.deps);
      const base = at('2026-11-01T00:00:00');
      for (let i = 0; i < 5000; i++) {
        // Two catalogues (two processes) see halves, one value in ten seen by both.
        const target = i % 2 === 0 ? t.services.catalogue : other;
        target.observe(ws, snapshot({ ref: `order-${i}`, kind: i % 3 }), base + i);
        if (i % 10 === 0) (target === other ? t.services.catalogue : other).observe(ws, snapshot({ ref: `order-${i}` }), base + i);
        if (i === 2500) await Promise.all([t.services.catalogue.flush(), other.flush()]);
      }
      await Promise.all([t.services.catalogue.flush(), other.flush()]);
      const [kind, ref] = await t.services.catalogue.list(ws);
      expect(kind).toMatchObject({ key: 'kind', distinctEstimate: 3, highCardinality: false });
      expect(ref).toMatchObject({ key: 'ref', firstSeenAt: base, lastSeenAt: base + 4999, highCardinality: true });
      expect(ref!.distinctEstimate).toBeGreaterThan(HIGH_CARDINALITY_THRESHOLD);
      expect(Math.abs(ref!.distinctEstimate - 5000)).toBeLessThanOrEqual(1000);
    });

    it('merges into stored rows: types and flags add up, times widen', async () => {
      const ws = workspace();
      const catalogue = t.services.catalogue;
      catalogue.observe(ws, snapshot({ note: 'hello' }), at('2026-11-05T00:00:00'));
      await catalogue.flush();
      catalogue.observe(ws, snapshot({ note: 42 }), at('2026-11-01T00:00:00'));
      catalogue.observe(ws, snapshot({ note: 'see https://example.com' }), at('2026-11-02T00:00:00'));
      catalogue.observe(ws, snapshot({ note: 'https://example.com' }), at('2026-11-09T00:00:00'));
      const [note] = await catalogue.list(ws);
      expect(note).toEqual({
        key: 'note',
        kind: 'property',
        types: ['number', 'string'],
        firstSeenAt: at('2026-11-01T00:00:00'),
        lastSeenAt: at('2026-11-09T00:00:00'),
        distinctEstimate: 4,
        highCardinality: false,
        flags: ['url'],
      });
      expect(await catalogue.list('ws_nothing')).toEqual([]);
    });

    it('learns from the snapshots ingestion records', async () => {
      const owner = await setupOwner(t);
      const { widgetId, secret } = await createWidget(t, owner);
      const session = await startSession(t, widgetId);
      const identified = await identify(t, widgetId, session.token, {
        userId: 'u_1',
        signature: sign('u_1', secret),
        properties: { plan: 'pro', seats: 3 },
      });
      const events = [{ id: 'evt_catalogue01', name: '$widget_opened', at: t.clock.now() }];
      const sent = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${widgetId}/events`,
        bearer: identified.body.token,
        payload: { events },
      });
      expect(sent.body).toMatchObject({ accepted: 1 });
      const entries = await t.services.catalogue.list(owner.workspaceId);
      expect(entries.map((e) => [e.key, e.types, e.firstSeenAt])).toEqual([
        ['plan', ['string'], t.clock.now()],
        ['seats', ['number'], t.clock.now()],
      ]);
    });

    it('lists a property on the dashboard route as soon as an event carries it, also one the user gained later', async () => {
      const owner = await otherWorkspaceOwner(t);
      const { widgetId, secret } = await createWidget(t, owner);
      const properties = async () => {
        const res = await call(t.app, {
          method: 'GET',
          url: `/api/v1/workspaces/${owner.workspaceId}/analytics/properties`,
          cookie: owner.cookie,
        });
        expect(res.status).toBe(200);
        return (res.body.properties as Array<{ key: string }>).map((p) => p.key);
      };
      const sendAs = async (properties: Record<string, unknown>, id: string) => {
        const session = await startSession(t, widgetId);
        const identified = await identify(t, widgetId, session.token, { userId: 'u_2', signature: sign('u_2', secret), properties });
        const sent = await call(t.app, {
          method: 'POST',
          url: `/widget/v1/${widgetId}/events`,
          bearer: identified.body.token,
          payload: { events: [{ id, name: 'Report Exported', at: t.clock.now() }] },
        });
        expect(sent.body).toMatchObject({ accepted: 1 });
      };
      // Identify alone records no event: nothing to break down yet.
      await sendAs({ plan: 'pro' }, 'evt_catalogue02');
      expect(await properties()).toEqual(['plan']);
      // The same user later gains a property: the next event's snapshot carries it, and the list has it at once.
      await sendAs({ plan: 'pro', team_size: 'large' }, 'evt_catalogue03');
      expect(await properties()).toEqual(['plan', 'team_size']);
    });
  });
}
