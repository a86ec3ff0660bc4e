import { z } from 'zod';
import type { ErrorCode } from '../errors/error-codes.js';
import type { ValidationIssue, ValidationResult } from './validation-result.js';
import { normalizeUserId } from './user-id.js';
import { type StandardTraits, validateStandardTraits } from './profile.js';
import { type PropertiesInput, validateProperties } from './properties.js';
import { type CompanyInput, type CompanyRequest, parseCompanies } from '../companies/company-input.js';

/**
 * What the browser sends to `identify`. Both client APIs of DESIGN.md map to
 * it: `hmac` is an alias of `signature`, and `profile: { …, traits }` is an
 * alias of the top-level traits and `properties`.
 */
export interface IdentifyRequest extends StandardTraits {
  userId?: string | number;
  signature?: string;
  hmac?: string;
  token?: string;
  properties?: PropertiesInput;
  traits?: PropertiesInput;
  profile?: StandardTraits & { traits?: PropertiesInput };
  /** The company the user belongs to (a claim unless a signed identity token carries it). */
  company?: CompanyRequest;
  /** Several companies, at most CompanyLimits.maxPerUser with `company`. */
  companies?: CompanyRequest[];
}

/** An identify request after validation and alias resolution. */
export interface IdentifyPayload {
  /** Absent only when a token carries the userId in `sub`. */
  userId?: string;
  signature?: string;
  token?: string;
  traits: StandardTraits;
  properties: PropertiesInput;
  /** The companies named in clear text (`company` and `companies`); absent when none or refused. */
  companies?: CompanyInput[];
  /**
   * Set when the profile part was invalid: identity and profile are separate
   * outcomes, so the identify still runs, but `traits` and `properties` are
   * then empty (the profile update is refused as a whole).
   */
  profileErrors?: ProfileFieldError[];
}

/** One bad profile field of an identify: `field` is e.g. `birthday` or `properties.plan`. */
export interface ProfileFieldError {
  field: string;
  code: ErrorCode;
  message: string;
}

/**
 * The profile half of a successful identify answer: `accepted: false` means
 * nothing of the profile sent was stored, `errors` lists every bad field.
 */
export interface ProfileOutcome {
  accepted: boolean;
  errors: ProfileFieldError[];
}

const MAX_SIGNATURE_LENGTH = 512;
const MAX_TOKEN_LENGTH = 16_384;

const profileShape = {
  name: z.unknown().optional(),
  email: z.unknown().optional(),
  birthday: z.unknown().optional(),
  gender: z.unknown().optional(),
};

const identifySchema = z.strictObject({
  userId: z.unknown().optional(),
  signature: z.string().min(1, 'must not be empty (omit it for an unsigned identify)').max(MAX_SIGNATURE_LENGTH).optional(),
  hmac: z.string().min(1, 'must not be empty (omit it for an unsigned identify)').max(MAX_SIGNATURE_LENGTH).optional(),
  token: z.string().min(1, 'must not be empty').max(MAX_TOKEN_LENGTH).optional(),
  properties: z.unknown().optional(),
  traits: z.unknown().optional(),
  profile: z.strictObject({ ...profileShape, traits: z.unknown().optional() }).optional(),
  company: z.unknown().optional(),
  companies: z.unknown().optional(),
  ...profileShape,
});

/**
 * Validates an identify body and resolves its aliases. Never throws.
 *
 * @example
 * parseIdentifyPayload({ userId: 42, hmac: 'ab…', profile: { email: 'a@b.co', traits: { plan: 'pro' } } })
 * // → { ok: true, value: { userId: '42', signature: 'ab…', traits: { email: 'a@b.co' }, properties: { plan: 'pro' } } }
 */
export function parseIdentifyPayload(input: unknown, now = new Date()): ValidationResult<IdentifyPayload> {
  const parsed = identifySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.') || 'body';
    return { ok: false, issue: { code: 'invalid_request', message: `${path}: ${issue.message}`, details: { field: path } } };
  }
  const body = parsed.data;
  if (body.signature !== undefined && body.hmac !== undefined && body.signature.toLowerCase() !== body.hmac.toLowerCase()) {
    return {
      ok: false,
      issue: { code: 'invalid_request', message: 'signature and hmac are the same field; send one.', details: { field: 'hmac' } },
    };
  }
  let userId: string | undefined;
  if (body.userId !== undefined) {
    const normalized = normalizeUserId(body.userId);
    if (!normalized.ok) return normalized;
    userId = normalized.value;
  } else if (body.token === undefined) {
    return {
      ok: false,
      issue: {
        code: 'invalid_user_id',
        message: 'userId is required (or a signed token whose sub is the userId).',
        details: { field: 'userId' },
      },
    };
  }

  // Top-level fields win over the `profile` alias when both are sent.
  const pick = <K extends keyof StandardTraits>(key: K) => (body[key] !== undefined ? body[key] : body.profile?.[key]);
  // Identity and profile are separate outcomes (docs/identify.md): a bad
  // profile field does not refuse the identify, it refuses the profile update
  // as a whole, and every bad field is listed so the integrator fixes them at once.
  const errors: ProfileFieldError[] = [];
  const standard = { name: pick('name'), email: pick('email'), birthday: pick('birthday'), gender: pick('gender') } as StandardTraits;
  for (const key of Object.keys(standard) as (keyof StandardTraits)[]) {
    if (standard[key] === undefined) continue;
    const one = validateStandardTraits({ [key]: standard[key] } as StandardTraits, now);
    if (!one.ok) errors.push(fieldError(one.issue, key));
  }
  const traits = validateStandardTraits(errors.length ? {} : standard, now);
  if (!traits.ok) return traits;

  const merged: Record<string, unknown> = {};
  for (const [source, field] of [
    [body.profile?.traits, 'profile.traits'],
    [body.traits, 'traits'],
    [body.properties, 'properties'],
  ] as const) {
    const checked = validateProperties(source, field);
    if (checked.ok) {
      Object.assign(merged, checked.value);
      continue;
    }
    const key = checked.issue.details?.['key'];
    if (key === undefined || typeof source !== 'object' || source === null) {
      errors.push(fieldError(checked.issue, field));
      continue;
    }
    // Check key by key so that every bad property is named, not only the first.
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
      const single = validateProperties({ [k]: v }, field);
      if (!single.ok) errors.push(fieldError(single.issue, `${field}.${k}`));
    }
  }
  const properties = validateProperties(errors.length ? {} : merged, 'properties');
  if (!properties.ok) errors.push(fieldError(properties.issue, 'properties'));
  // Companies are part of the profile: a bad one refuses the profile as a whole, like a bad property.
  const companies = parseCompanies(body);
  errors.push(...companies.errors);

  const value: IdentifyPayload = errors.length
    ? { traits: {}, properties: {}, profileErrors: errors }
    : { traits: traits.value, properties: properties.ok ? properties.value : {} };
  if (!errors.length && companies.companies.length) value.companies = companies.companies;
  if (userId !== undefined) value.userId = userId;
  const signature = body.signature ?? body.hmac;
  if (signature !== undefined) value.signature = signature;
  if (body.token !== undefined) value.token = body.token;
  return { ok: true, value };
}

function fieldError(issue: ValidationIssue, field: string): ProfileFieldError {
  return { field, code: issue.code, message: issue.message };
}
