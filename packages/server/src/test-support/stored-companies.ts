import type { ValueSource } from '@lumio/protocol';
import type { LumioApp } from '../app/create-app.js';
import { CompaniesStore, type CompanyInput } from '../companies/companies-store.js';

/**
 * Stores a company and its people the way identify and the server API do
 * (CompaniesStore, in one transaction), for tests of what reads companies.
 * The users must exist already.
 */
export async function storeCompany(
  t: Pick<LumioApp, 'deps'>,
  workspaceId: string,
  company: CompanyInput,
  people: Array<string | [userId: string, source: ValueSource]> = [],
  options: { source?: ValueSource; now?: number } = {},
): Promise<void> {
  const store = new CompaniesStore(t.deps);
  const now = options.now ?? t.deps.clock.now();
  await t.deps.db.transaction().execute(async (trx) => {
    await store.upsert(trx, workspaceId, company, options.source ?? 'trusted', now);
    for (const person of people) {
      const [userId, source] = typeof person === 'string' ? [person, 'trusted' as const] : person;
      await store.join(trx, workspaceId, userId, company.id, source, now);
    }
  });
}
