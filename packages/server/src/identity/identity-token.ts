import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import {
  normalizeUserId,
  parseCompanies,
  type CompanyInput,
  validateProperties,
  validateStandardTraits,
  type ProfileFieldError,
  type PropertiesInput,
  type StandardTraits,
  type ValidationIssue,
} from '@lumio/protocol';
import { LumioError } from '../errors/lumio-error.js';

/** The trusted identity carried by a host-signed token. */
export interface IdentityTokenClaims {
  userId: string;
  traits: StandardTraits;
  properties: PropertiesInput;
  /** The `company` / `companies` claims: trusted values and trusted membership. */
  companies: CompanyInput[];
  /** Bad profile claims: the token still proves who the user is, but none of its profile is applied. */
  profileErrors: ProfileFieldError[];
}

/** The `kid` of a token's header, or throws `invalid_identity_token`. */
export function identityTokenKeyId(token: string): string {
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new LumioError('invalid_identity_token', 'The identity token is not a JWT.');
  }
  if (header.alg !== 'HS256') throw new LumioError('invalid_identity_token', 'The identity token must be signed with HS256.');
  if (typeof header.kid !== 'string')
    throw new LumioError('invalid_identity_token', 'The identity token has no kid header naming the signing key.');
  return header.kid;
}

/** Clock skew allowed between the host's signing server and Lumio, for `exp` and `iat` alike. */
export const TOKEN_CLOCK_LEEWAY_SECONDS = 30;

/**
 * Verifies a host-signed identity token (JWT HS256 with the widget secret,
 * `exp` required, `sub` = userId) and validates its claims like any identify.
 * A token whose `exp` lies more than `maxLifetimeSeconds` ahead, or whose
 * `iat` lies in the future, is refused even when its signature is good: a
 * long-lived token that leaks (logs, a cached page) would sign its holder in
 * as the user until it expires, and a future `iat` means the signer's clock
 * (and so its `exp`) cannot be trusted.
 */
export async function verifyIdentityToken(
  token: string,
  secret: string,
  now: number,
  maxLifetimeSeconds: number,
): Promise<IdentityTokenClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
      currentDate: new Date(now),
      clockTolerance: TOKEN_CLOCK_LEEWAY_SECONDS,
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new LumioError('identity_token_expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed)
      throw new LumioError('invalid_identity_token', `The identity token's ${error.claim} claim is missing or invalid.`);
    throw new LumioError('invalid_identity_token');
  }
  const nowSeconds = now / 1000;
  // jose checks that exp is a number and not past; the distance ahead is ours to bound.
  if (payload.exp! - nowSeconds > maxLifetimeSeconds + TOKEN_CLOCK_LEEWAY_SECONDS) {
    throw new LumioError(
      'identity_token_lifetime_too_long',
      `The identity token's exp is ${Math.round(payload.exp! - nowSeconds)} s ahead; this server accepts at most ${maxLifetimeSeconds} s.`,
    );
  }
  if (payload.iat !== undefined && payload.iat > nowSeconds + TOKEN_CLOCK_LEEWAY_SECONDS) {
    throw new LumioError(
      'identity_token_issued_in_future',
      `The identity token's iat is ${Math.round(payload.iat - nowSeconds)} s in the future (${TOKEN_CLOCK_LEEWAY_SECONDS} s of clock skew are allowed).`,
    );
  }
  const userId = normalizeUserId(payload.sub);
  if (!userId.ok) throw new LumioError('invalid_identity_token', `The token's sub claim is not a valid userId: ${userId.issue.message}`);
  const claims = payload as Record<string, unknown>;
  const traits = validateStandardTraits({
    name: claims.name as string | undefined,
    email: claims.email as string | undefined,
    birthday: claims.birthday as string | undefined,
    gender: claims.gender as StandardTraits['gender'],
  });
  // Identity and profile are separate outcomes (docs/identify.md): a bad claim refuses the profile, not the token.
  const properties = validateProperties(claims.properties, 'token.properties');
  const profileErrors: ProfileFieldError[] = [];
  if (!traits.ok) profileErrors.push(claimError(traits.issue, 'token'));
  if (!properties.ok) profileErrors.push(claimError(properties.issue, 'token.properties'));
  const companies = parseCompanies({ company: claims.company, companies: claims.companies }, 'token.');
  profileErrors.push(...companies.errors);
  const accepted = profileErrors.length === 0;
  return {
    userId: userId.value,
    traits: accepted && traits.ok ? traits.value : {},
    properties: accepted && properties.ok ? properties.value : {},
    companies: accepted ? companies.companies : [],
    profileErrors,
  };
}

function claimError(issue: ValidationIssue, prefix: string): ProfileFieldError {
  const { field, key } = (issue.details ?? {}) as { field?: string; key?: string };
  const name = key !== undefined ? `${prefix}.${key}` : prefix === 'token' && field ? `token.${field}` : prefix;
  return { field: name, code: issue.code, message: issue.message };
}
