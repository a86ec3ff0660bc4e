import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PropertyCatalogueEntry } from '@lumio/protocol';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, otherWorkspaceOwner, setupOwner, type Session } from '../test-support/api-helpers.js';
import { CompaniesStore } from '../companies/companies-store.js';
import { COMPANY_CATALOGUE_SAMPLE } from './property-catalogue.js';

// Company attributes in the property catalogue (GET …/analytics/properties), which the
// dashboard's rule builder and analytics filter bar suggest from.
for (const dialect of DIALECTS) {
  describe(`property catalogue: companies [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let store: CompaniesStore;

    const catalogue = async (s: Session) => {
      const res = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${s.workspaceId}/analytics/properties`, cookie: s.cookie });
      expect(res.status).toBe(200);
      return res.body.properties as PropertyCatalogueEntry[];
    };
    const upsert = (
      workspaceId: string,
      id: string,
      name: string | null,
      properties: Record<string, string | number | boolean>,
      at = t.clock.now(),
    ) => t.adapter.db.transaction().execute((trx) => store.upsert(trx, workspaceId, { id, name, properties }, 'trusted', at));

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      store = new CompaniesStore({ adapter: t.adapter });
    });
    afterAll(async () => t?.close());

    it('lists company.id, company.name and each company property key, after the users’ own keys', async () => {
      expect((await catalogue(owner)).filter((e) => e.kind === 'company')).toEqual([]);
      const start = t.clock.now();
      await upsert(owner.workspaceId, 'acme', 'Acme', { plan: 'enterprise', seats: 250, contact: 'ada@acme.com' }, start);
      await upsert(owner.workspaceId, 'tiny', null, { plan: 'free', beta: true, id: 'spoof' }, start + 1000);
      const entries = (await catalogue(owner)).filter((e) => e.kind === 'company');
      expect(entries.map((e) => e.key)).toEqual([
        'company.id',
        'company.name',
        'company.beta',
        'company.contact',
        'company.plan',
        'company.seats',
      ]);
      const byKey = new Map(entries.map((e) => [e.key, e]));
      expect(byKey.get('company.plan')).toMatchObject({
        types: ['string'],
        distinctEstimate: 2,
        highCardinality: false,
        firstSeenAt: start,
        lastSeenAt: start + 1000,
      });
      expect(byKey.get('company.seats')!.types).toEqual(['number']);
      expect(byKey.get('company.contact')!.flags).toEqual(['email']);
      expect(byKey.get('company.id')!.distinctEstimate).toBe(2);
    });

    it('never lists another workspace’s companies', async () => {
      const other = await otherWorkspaceOwner(t);
      await upsert(other.workspaceId, 'secret', 'Secret', { codename: 'x' });
      expect((await catalogue(owner)).map((e) => e.key)).not.toContain('company.codename');
      expect((await catalogue(other)).filter((e) => e.kind === 'company').map((e) => e.key)).toEqual([
        'company.id',
        'company.name',
        'company.codename',
      ]);
    });

    it('reads a bounded sample: the most recently updated companies', async () => {
      expect(COMPANY_CATALOGUE_SAMPLE).toBe(1000);
      const ws = owner.workspaceId;
      const base = t.clock.now() + 10_000;
      // One old company holds a key no recent one has: past the sample, it is not listed.
      await upsert(ws, 'old', null, { legacy: 'yes' }, 0);
      await t.adapter.db
        .insertInto('companies')
        .values(
          Array.from({ length: COMPANY_CATALOGUE_SAMPLE }, (_, i) => ({
            workspace_id: ws,
            company_id: `bulk_${i}`,
            name: null,
            properties: t.adapter.json({ tier: `t${i}` }) as string,
            sources: t.adapter.json({ 'properties.tier': 'trusted' }) as string,
            created_at: base + i,
            updated_at: base + i,
          })),
        )
        .execute();
      const keys = (await catalogue(owner)).map((e) => e.key);
      expect(keys).toContain('company.tier');
      expect(keys).not.toContain('company.legacy');
    });
  });
}
