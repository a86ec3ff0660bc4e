import { SignJWT, type JWTPayload } from 'jose';
import { normalizeUserId, parseCompanies, validateProperties, validateStandardTraits } from '@lumio/protocol';
import type { CompanyRequest, Gender, PropertiesInput } from '@lumio/protocol';
import { assertSecret } from './assert-secret.js';
import { parseExpiresIn } from './parse-expires-in.js';

/** What a signed identity token asserts about the user; every value is trusted by Lumio. */
export interface IdentityTokenClaims {
  /** Becomes the `sub` claim; a number must be a safe integer and is sent as its decimal string. */
  userId: string | number;
  name?: string;
  email?: string;
  /** Calendar date, `YYYY-MM-DD`. */
  birthday?: string;
  gender?: Gender;
  /** Custom properties; `null` unsets a key. */
  properties?: PropertiesInput;
  /** The user's company: trusted values and a trusted membership (docs/companies.md). */
  company?: CompanyRequest;
  /** Several companies (with `company`, at most 20). */
  companies?: CompanyRequest[];
}

/** Options of {@link signIdentityToken}. */
export interface SignIdentityTokenOptions {
  /** Lifetime in seconds, or a duration like `'10m'` or `'1h'`. Defaults to `'10m'`. */
  expiresIn?: string | number;
}

const DEFAULT_EXPIRES_IN = '10m';

/**
 * Signs an identity token: a JWT (HS256, `kid` header) whose `sub`, profile and
 * properties the Lumio server trusts, unlike values claimed by the browser.
 *
 * Issue a fresh token for each page load; it expires after ten minutes unless
 * `expiresIn` says otherwise.
 *
 * @example
 * import { signIdentityToken } from '@lumio/node';
 * const token = await signIdentityToken(
 *   { userId: user.id, email: user.email, properties: { plan: 'pro' } },
 *   process.env.LUMIO_SIGNING_SECRET!,
 *   process.env.LUMIO_SIGNING_KEY_ID!,
 * );
 */
export async function signIdentityToken(
  claims: IdentityTokenClaims,
  secret: string,
  keyId: string,
  options: SignIdentityTokenOptions = {},
): Promise<string> {
  const userId = normalizeUserId(claims.userId);
  if (!userId.ok) throw new TypeError(userId.issue.message);
  assertSecret(secret);
  if (typeof keyId !== 'string' || keyId.length === 0) {
    throw new TypeError('keyId must be the id of the signing secret as a non-empty string; it goes in the token header as "kid".');
  }
  const lifetime = parseExpiresIn(options.expiresIn ?? DEFAULT_EXPIRES_IN);

  // Checking here turns a token the server would refuse into an error at the call site.
  const traits = validateStandardTraits({ name: claims.name, email: claims.email, birthday: claims.birthday, gender: claims.gender });
  if (!traits.ok) throw new TypeError(traits.issue.message);
  const payload: JWTPayload = { ...traits.value };
  if (claims.properties !== undefined) {
    const properties = validateProperties(claims.properties);
    if (!properties.ok) throw new TypeError(properties.issue.message);
    payload['properties'] = properties.value;
  }
  if (claims.company !== undefined || claims.companies !== undefined) {
    const companies = parseCompanies({ company: claims.company, companies: claims.companies });
    const bad = companies.errors[0];
    if (bad) throw new TypeError(`${bad.field}: ${bad.message}`);
    payload['companies'] = companies.companies;
  }

  // One clock reading, so exp - iat is exactly the requested lifetime.
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', kid: keyId, typ: 'JWT' })
    .setSubject(userId.value)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(new TextEncoder().encode(secret));
}
