import { describe, expect, it } from 'vitest';
import { compileCondition } from './compile-condition.js';
import type { Attributes, Condition } from './condition.js';
import { COMPANIES_ATTRIBUTE, readsCompanies, type TargetedCompany } from './companies.js';
import { describeCondition } from './describe-condition.js';
import { validateCondition } from './validate-condition.js';

const issues = (condition: unknown) => {
  const result = validateCondition(condition);
  return result.ok ? [] : result.issues.map((i) => `${i.path} ${i.code}`);
};

const acme: TargetedCompany = { id: 'acme', name: 'Acme', properties: { plan: 'enterprise', seats: 250, tags: ['eu', 'beta'] } };
const tiny: TargetedCompany = { id: 'tiny', name: null, properties: { plan: 'free' } };
const user = (...companies: TargetedCompany[]): Attributes => ({ plan: 'pro', [COMPANIES_ATTRIBUTE]: companies });
const matches = (condition: Condition, attributes: Attributes) => compileCondition(condition)(attributes);

describe('company.<key>', () => {
  it('matches when any one of the user’s companies matches', () => {
    const condition = { 'company.plan': 'enterprise' };
    expect(matches(condition, user(acme))).toBe(true);
    expect(matches(condition, user(tiny, acme))).toBe(true);
    expect(matches(condition, user(tiny))).toBe(false);
    expect(matches({ 'company.seats': { $gte: 100 } }, user(tiny, acme))).toBe(true);
    expect(matches({ 'company.tags': { $in: ['beta'] } }, user(acme))).toBe(true);
    expect(matches({ 'company.tags.0': 'eu' }, user(acme))).toBe(true);
    expect(matches({ 'company.tags.length': 2 }, user(acme))).toBe(true);
  });

  it('reads id and name from the company itself, never a property of that name', () => {
    const spoof: TargetedCompany = { id: 'x', name: 'X', properties: { id: 'acme', name: 'Acme' } };
    expect(matches({ 'company.id': 'acme' }, user(acme))).toBe(true);
    expect(matches({ 'company.id': 'acme' }, user(spoof))).toBe(false);
    expect(matches({ 'company.name': 'Acme' }, user(spoof))).toBe(false);
    expect(matches({ 'company.name': { $exists: false } }, user(tiny))).toBe(true);
  });

  it('never matches a user without companies, whatever the operator; a top-level $not does', () => {
    for (const condition of [
      { 'company.plan': { $exists: false } },
      { 'company.plan': { $ne: 'enterprise' } },
      { 'company.plan': { $nin: ['enterprise'] } },
      { 'company.plan': null },
      { 'company.plan': { $not: { $eq: 'enterprise' } } },
    ] as Condition[]) {
      expect(matches(condition, user())).toBe(false);
      expect(matches(condition, { plan: 'pro' })).toBe(false);
    }
    // "No company of the user is on enterprise", companyless users included.
    expect(matches({ $not: { 'company.plan': 'enterprise' } }, user())).toBe(true);
    expect(matches({ $not: { 'company.plan': 'enterprise' } }, user(tiny))).toBe(true);
    expect(matches({ $not: { 'company.plan': 'enterprise' } }, user(tiny, acme))).toBe(false);
    // "In no company at all."
    expect(matches({ $not: { 'company.id': { $exists: true } } }, user())).toBe(true);
    expect(matches({ $not: { 'company.id': { $exists: true } } }, user(tiny))).toBe(false);
  });

  it('tests negations per company: $ne matches when some company differs', () => {
    expect(matches({ 'company.plan': { $ne: 'enterprise' } }, user(acme, tiny))).toBe(true);
    expect(matches({ 'company.plan': { $ne: 'enterprise' } }, user(acme))).toBe(false);
    expect(matches({ 'company.plan': { $exists: false } }, user({ id: 'bare', name: null, properties: {} }))).toBe(true);
  });

  it('tests each field on its own: two fields may be met by two companies', () => {
    expect(matches({ 'company.plan': 'free', 'company.seats': { $gt: 100 } }, user(acme, tiny))).toBe(true);
  });

  it('leaves a custom property named company alone, and never reads companies from a property', () => {
    expect(matches({ company: 'Acme' }, { company: 'Acme' })).toBe(true);
    expect(matches({ 'company.plan': 'enterprise' }, { company: { plan: 'enterprise' } })).toBe(false);
    expect(matches({ 'company.plan': 'enterprise' }, { [COMPANIES_ATTRIBUTE]: 'nonsense' })).toBe(false);
    const inherited = Object.create({ [COMPANIES_ATTRIBUTE]: [acme] }) as Attributes;
    expect(matches({ 'company.plan': 'enterprise' }, inherited)).toBe(false);
  });

  it('reads an element’s own company field inside $elemMatch, not the user’s companies', () => {
    const condition = { orders: { $elemMatch: { 'company.plan': 'x' } } } as Condition;
    expect(matches(condition, { orders: [{ company: { plan: 'x' } }], [COMPANIES_ATTRIBUTE]: [] })).toBe(true);
    expect(matches(condition, { orders: [{}], [COMPANIES_ATTRIBUTE]: [acme] })).toBe(false);
  });

  it('validates company paths and locates bad ones', () => {
    expect(issues({ 'company.plan': 'enterprise', 'company.id': 'acme', 'company.name': { $regex: '^A' } })).toEqual([]);
    expect(issues({ $or: [{ 'company.': 'x' }] })).toEqual(['$or[0].company. invalid_path']);
    expect(issues({ 'company.a/b': 'x' })).toEqual(['company.a/b invalid_path']);
    expect(issues({ [`company.${'k'.repeat(65)}`]: 'x' })).toEqual([`company.${'k'.repeat(65)} invalid_path`]);
    expect(issues({ 'company.__proto__': 'x' })).toEqual(['company.__proto__ invalid_path']);
    expect(issues({ 'company.plan': { $gtee: 5 } })).toEqual(['company.plan.$gtee unknown_operator']);
    const result = validateCondition({ 'company.': 'x' });
    expect(!result.ok && result.issues[0]!.message).toContain('company.plan');
  });

  it('says “some company” in words', () => {
    expect(describeCondition({ 'company.plan': 'enterprise' })).toBe("some company's plan is enterprise");
  });

  it('knows which conditions read companies, through segments', () => {
    expect(readsCompanies({ plan: 'pro' })).toBe(false);
    expect(readsCompanies({ company: 'Acme' })).toBe(false);
    expect(readsCompanies({ $or: [{ plan: 'x' }, { $not: { 'company.plan': 'x' } }] })).toBe(true);
    const segment = (id: string) => (id === 'seg_big' ? { 'company.seats': { $gt: 100 } } : undefined);
    expect(readsCompanies({ $segment: 'seg_big' }, { segment })).toBe(true);
    expect(readsCompanies({ $segment: 'seg_none' }, { segment })).toBe(false);
  });
});
