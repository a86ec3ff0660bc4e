import crypto from 'node:crypto';

/** The custom properties every identify sends (the "verified, with properties" case). */
export const PROPERTIES = Object.freeze({ plan: 'pro', role: 'admin', seats: 12, beta: true });

/** Lowercase hex HMAC-SHA256 of the userId keyed with the secret, both UTF-8: what a host backend computes. */
export function signUserId(secret, userId) {
  return crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(userId, 'utf8').digest('hex');
}

/**
 * The JSON body of one identify call. The repeat case sends the same profile
 * every time; a first-time user gets a name and email of its own.
 */
export function identifyBody(secret, userId, profile = { name: 'Ada Lovelace', email: 'ada@example.com' }) {
  return JSON.stringify({
    userId,
    signature: signUserId(secret, userId),
    name: profile.name,
    email: profile.email,
    properties: PROPERTIES,
  });
}

/** The profile of the n-th first-time user. */
export function newUserProfile(userId) {
  return { name: `User ${userId}`, email: `${userId}@example.com` };
}

/**
 * A bearer token shaped like a real Lumio session token (`lst1.<claims>.<mac>`,
 * same length), for the floor server, which never checks it.
 */
const FAKE_MAC = crypto.randomBytes(32).toString('base64url');

export function fakeSessionToken(anonymousId) {
  const claims = {
    w: 'wgt_0000000000000000000000',
    s: 'wsp_0000000000000000000000',
    a: anonymousId,
    t: 'anonymous',
    i: Date.now(),
    e: Date.now() + 900_000,
  };
  const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `lst1.${body}.${FAKE_MAC}`;
}
