import { describe, expect, it } from 'vitest';
import { profileForBrowser, type StoredProfile } from './profile-merge.js';

const stored: StoredProfile = {
  name: 'Server Name',
  email: 'claimed@example.com',
  birthday: '1968-04-03',
  gender: 'Female',
  properties: { theme: 'dark', nickname: 'kay', internal_risk_score: 87, plan: 'pro', legacy: 'x' },
  sources: {
    name: 'trusted',
    email: 'claimed',
    birthday: 'trusted',
    gender: 'unverified',
    'properties.theme': 'claimed',
    'properties.nickname': 'unverified',
    'properties.internal_risk_score': 'trusted',
    'properties.plan': 'trusted',
    // properties.legacy: no recorded source
  },
};

describe('profileForBrowser', () => {
  it('gives a verified session every standard trait and the claimed properties, not the trusted ones nor one of no known source', () => {
    expect(profileForBrowser(stored, 'verified', new Set())).toEqual({
      name: 'Server Name',
      email: 'claimed@example.com',
      birthday: '1968-04-03',
      gender: 'Female',
      properties: { theme: 'dark', nickname: 'kay' },
    });
  });

  it('adds the trusted values of the browser-visible keys, for a verified session only', () => {
    const visible = new Set(['plan', 'not_stored']);
    expect(profileForBrowser(stored, 'verified', visible).properties).toEqual({ theme: 'dark', nickname: 'kay', plan: 'pro' });
    // An unverified claimant reads only what unverified sessions wrote, whatever the list says.
    expect(profileForBrowser(stored, 'identified', visible)).toEqual({
      name: null,
      email: null,
      birthday: null,
      gender: 'Female',
      properties: { nickname: 'kay' },
    });
  });

  it('never hands back the sources, nor changes the stored profile', () => {
    const before = structuredClone(stored);
    expect(profileForBrowser(stored, 'verified', new Set(['plan']))).not.toHaveProperty('sources');
    expect(stored).toEqual(before);
  });
});
