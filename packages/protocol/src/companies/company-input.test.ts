import { describe, expect, it } from 'vitest';
import { parseIdentifyPayload } from '../identity/identify-payload.js';
import { CompanyLimits, parseCompanies, validateCompany } from './company-input.js';

describe('validateCompany', () => {
  it('accepts an id like a userId, a name and flat properties', () => {
    expect(validateCompany({ id: 42, name: 'Acme', properties: { plan: 'pro', tags: ['a'] } })).toEqual({
      ok: true,
      value: { id: '42', name: 'Acme', properties: { plan: 'pro', tags: ['a'] } },
    });
    expect(validateCompany({ id: ' acme ', name: null })).toEqual({ ok: true, value: { id: ' acme ', name: null } });
  });

  it('names the field at fault with a stable code', () => {
    const cases: Array<[unknown, string, string]> = [
      [{ id: '' }, 'company.id', 'invalid_company'],
      [{ id: 1.5 }, 'company.id', 'invalid_company'],
      [{ id: 'x'.repeat(256) }, 'company.id', 'invalid_company'],
      [{}, 'company.id', 'invalid_company'],
      [{ id: 'a', name: 'n'.repeat(256) }, 'company.name', 'invalid_company'],
      [{ id: 'a', name: '\ud800' }, 'company.name', 'invalid_company'],
      [{ id: 'a', __proto__x: 1 }, 'company.__proto__x', 'invalid_company'],
      [{ id: 'a', properties: { 'a.b': 1 } }, 'company.properties.a.b', 'invalid_property'],
      [{ id: 'a', properties: 'x' }, 'company.properties', 'invalid_property'],
      [['a'], 'company', 'invalid_company'],
    ];
    for (const [input, field, code] of cases) {
      const result = validateCompany(input);
      expect(result.ok, field).toBe(false);
      if (!result.ok) expect(result.issue, JSON.stringify(input)).toMatchObject({ code, details: { field } });
    }
  });
});

describe('parseCompanies', () => {
  it('reads company and companies into one list, bounded, without duplicates', () => {
    expect(parseCompanies({ company: { id: 'a' }, companies: [{ id: 'b' }] }).companies).toEqual([{ id: 'a' }, { id: 'b' }]);
    const max = Array.from({ length: CompanyLimits.maxPerUser }, (_, i) => ({ id: `c${i}` }));
    expect(parseCompanies({ companies: max }).errors).toEqual([]);
    expect(parseCompanies({ company: { id: 'x' }, companies: max }).errors).toEqual([
      expect.objectContaining({ field: 'companies', code: 'too_many_companies' }),
    ]);
    expect(parseCompanies({ company: { id: 'a' }, companies: [{ id: 'a' }] }).errors).toEqual([
      expect.objectContaining({ field: 'companies.0.id', code: 'invalid_company' }),
    ]);
    // Every bad one is listed; nothing is kept when one is bad.
    const bad = parseCompanies({ companies: [{ id: '' }, { id: 'ok' }, { id: 'z', name: 1 }] }, 'token.');
    expect(bad.companies).toEqual([]);
    expect(bad.errors.map((e) => e.field)).toEqual(['token.companies.0.id', 'token.companies.2.name']);
  });
});

describe('parseIdentifyPayload with companies', () => {
  it('carries the companies, and a bad one refuses the profile as a whole (not the identify)', () => {
    const ok = parseIdentifyPayload({ userId: 'u', company: { id: 'acme', properties: { plan: 'pro' } } });
    expect(ok).toEqual({
      ok: true,
      value: { userId: 'u', traits: {}, properties: {}, companies: [{ id: 'acme', properties: { plan: 'pro' } }] },
    });
    const bad = parseIdentifyPayload({ userId: 'u', properties: { plan: 'pro' }, company: { id: 'acme', properties: { o: { a: 1 } } } });
    expect(bad).toEqual({
      ok: true,
      value: {
        userId: 'u',
        traits: {},
        properties: {},
        profileErrors: [expect.objectContaining({ field: 'company.properties.o', code: 'invalid_property' })],
      },
    });
  });
});
