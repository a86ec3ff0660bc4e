import { describe, expect, it } from 'vitest';
import { keyFlags, valueFlags } from './value-flags.js';

describe('value flags', () => {
  it('recognises emails, URLs, phone numbers and secrets', () => {
    expect(valueFlags('ada@example.com')).toEqual(['email']);
    expect(valueFlags('https://example.com/x?y=1')).toEqual(['url']);
    expect(valueFlags('www.example.com')).toEqual(['url']);
    for (const phone of ['+1 415 555 0100', '(415) 555-0100', '+442079460958', '020 7946 0958'])
      expect(valueFlags(phone)).toEqual(['phone']);
    for (const secret of [
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc',
      'sk_live_abcdefghijklmnop',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'xoxb-1234-5678-abcdef',
      'AKIAIOSFODNN7EXAMPLE',
      '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'Zk3pQ9sLx2VbN7tRw4YcH8mJd6FgA1eU',
    ]) {
      expect(valueFlags(secret), secret).toContain('token');
    }
  });

  it('leaves ordinary values alone', () => {
    for (const value of [
      'pro',
      'Enterprise plan',
      '2026-11-21',
      '2026-11-21T10:00:00Z',
      '1.2.3',
      '192.168.1.20',
      '12345678',
      'enterprise_annual_subscription_2024_v2',
      'usr_8f3a2b',
      '550e8400-e29b-41d4-a716-446655440000',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      '',
    ]) {
      expect(valueFlags(value), value).toEqual([]);
    }
  });

  it('flags keys naming personal data, as whole words', () => {
    for (const key of ['ssn', 'user_SSN', 'passportNumber', 'password', 'Credit Card', 'creditCard', 'card-number', 'iban']) {
      expect(keyFlags(key), key).toEqual(['personal']);
    }
    for (const key of ['businessName', 'plan', 'passes', 'cardinality', 'compass']) expect(keyFlags(key), key).toEqual([]);
  });
});
