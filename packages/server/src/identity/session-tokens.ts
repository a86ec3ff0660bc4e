import crypto from 'node:crypto';
import type { IdentityState } from '@lumio/protocol';
import { deriveKey } from '../crypto/master-key.js';

/** What a widget session token asserts. Any server process can check it without a database read. */
export interface SessionClaims {
  /** Widget public id. */
  widgetId: string;
  workspaceId: string;
  anonymousId: string;
  state: IdentityState;
  userId?: string;
  /** The signing key that verified the user, so revoking it can end the session. */
  keyId?: string;
  issuedAt: number;
  expiresAt: number;
}

const VERSION = 'lst1';
// Token bodies remembered with their MAC and claims (about 1 KB each).
const REMEMBERED_BODIES = 10_000;

/**
 * Issues and checks widget session tokens: `lst1.<claims>.<mac>`, an
 * HMAC-SHA256 (key derived from the master key) over base64url JSON claims.
 * A compact signed token rather than a JWT: it never leaves Lumio, and the
 * identify path checks one on every call, so a synchronous HMAC matters.
 */
export class SessionTokens {
  readonly #key: Buffer;
  // A widget sends the same token on every call of a session: the bodies that verified, with their MAC
  // and claims, spare the HMAC and the decoding the next time. Keyed by the body (the claims, which the
  // token shows anyway), so the given MAC is still compared in constant time on every call. The oldest
  // go first past the bound.
  readonly #verified = new Map<string, { mac: Buffer; claims: SessionClaims }>();

  constructor(masterKey: Buffer) {
    this.#key = deriveKey(masterKey, 'widget-session-token');
  }

  /** Signs claims into a token. */
  sign(claims: SessionClaims): string {
    const body = Buffer.from(
      JSON.stringify({
        w: claims.widgetId,
        s: claims.workspaceId,
        a: claims.anonymousId,
        t: claims.state,
        u: claims.userId,
        k: claims.keyId,
        i: claims.issuedAt,
        e: claims.expiresAt,
      }),
      'utf8',
    ).toString('base64url');
    return `${VERSION}.${body}.${this.mac(body)}`;
  }

  /** Verifies a token's MAC and expiry; null when it is not valid now. The claims returned are frozen. */
  verify(token: string, now: number): SessionClaims | null {
    if (typeof token !== 'string' || token.length > 4096) return null;
    const [version, body, mac] = token.split('.');
    if (version !== VERSION || !body || !mac) return null;
    const given = Buffer.from(mac, 'base64url');
    const known = this.#verified.get(body);
    if (known) return sameMac(given, known.mac) && known.claims.expiresAt > now ? known.claims : null;
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (!sameMac(given, expected)) return null;
    const claims = parseClaims(body);
    if (!claims) return null;
    if (this.#verified.size >= REMEMBERED_BODIES) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(body, { mac: expected, claims });
    return claims.expiresAt > now ? claims : null;
  }

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}

function sameMac(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

// The claims of a body whose MAC verified; null when they are not a token's claims.
function parseClaims(body: string): SessionClaims | null {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== 'object' || typeof raw.e !== 'number') return null;
  const claims: SessionClaims = {
    widgetId: String(raw.w),
    workspaceId: String(raw.s),
    anonymousId: String(raw.a),
    state: raw.t as IdentityState,
    issuedAt: Number(raw.i),
    expiresAt: raw.e,
  };
  if (typeof raw.u === 'string') claims.userId = raw.u;
  if (typeof raw.k === 'string') claims.keyId = raw.k;
  return Object.freeze(claims);
}

/**
 * Who owns private data (saved articles, announcement state) written by a
 * session: verified users across devices, unverified claims of a userId in
 * their own partition, anonymous visitors per anonymous id. An unverified
 * session can therefore never read what a verified session wrote.
 */
export function privateDataOwner(claims: Pick<SessionClaims, 'state' | 'userId' | 'anonymousId'>): string {
  if (claims.state === 'verified' && claims.userId !== undefined) return `verified:${claims.userId}`;
  if (claims.state === 'identified' && claims.userId !== undefined) return `unverified:${claims.userId}`;
  return `anonymous:${claims.anonymousId}`;
}
