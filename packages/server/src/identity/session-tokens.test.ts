import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { SessionTokens, type SessionClaims } from './session-tokens.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const claims: SessionClaims = {
  widgetId: 'wgt_tokens',
  workspaceId: 'ws_tokens',
  anonymousId: 'anon_tokens_1',
  state: 'verified',
  userId: 'user_1',
  keyId: 'key_1',
  issuedAt: NOW,
  expiresAt: NOW + 60_000,
};

// Another MAC of the same length: the last character of the token changed.
function withOtherMac(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

describe('session tokens', () => {
  it('verifies a token it signed, every time, with the same claims', () => {
    const tokens = new SessionTokens(randomBytes(32));
    const token = tokens.sign(claims);
    expect(tokens.verify(token, NOW)).toEqual(claims);
    expect(tokens.verify(token, NOW + 1)).toEqual(claims);
  });

  it('refuses a forged MAC on a body it verified before, and still verifies the real token after', () => {
    const tokens = new SessionTokens(randomBytes(32));
    const token = tokens.sign(claims);
    expect(tokens.verify(token, NOW)).not.toBeNull();
    expect(tokens.verify(withOtherMac(token), NOW)).toBeNull();
    expect(tokens.verify(token.slice(0, -2), NOW)).toBeNull();
    expect(tokens.verify(`${token.split('.').slice(0, 2).join('.')}.`, NOW)).toBeNull();
    expect(tokens.verify(token, NOW)).toEqual(claims);
  });

  it('refuses a remembered token once it has expired', () => {
    const tokens = new SessionTokens(randomBytes(32));
    const token = tokens.sign(claims);
    expect(tokens.verify(token, NOW)).not.toBeNull();
    expect(tokens.verify(token, claims.expiresAt)).toBeNull();
    expect(tokens.verify(token, NOW)).not.toBeNull();
  });

  it('refuses a token signed with another key, even with a body this one verified', () => {
    const ours = new SessionTokens(randomBytes(32));
    const theirs = new SessionTokens(randomBytes(32));
    expect(ours.verify(ours.sign(claims), NOW)).not.toBeNull();
    expect(ours.verify(theirs.sign(claims), NOW)).toBeNull();
  });

  it('answers claims no caller can change for the next one', () => {
    const tokens = new SessionTokens(randomBytes(32));
    const token = tokens.sign(claims);
    const first = tokens.verify(token, NOW)!;
    expect(() => {
      (first as { userId?: string }).userId = 'someone_else';
    }).toThrow(TypeError);
    expect(tokens.verify(token, NOW)?.userId).toBe('user_1');
  });
});
