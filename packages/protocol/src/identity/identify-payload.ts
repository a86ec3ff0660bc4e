import { z } from 'zod';
import type { ValidationResult } from './validation-result.js';
import { normalizeUserId } from './user-id.js';
import { type StandardTraits, validateStandardTraits } from './profile.js';
import { type PropertiesInput, validateProperties } from './properties.js';

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
}

/** An identify request after validation and alias resolution. */
export interface IdentifyPayload {
  /** Absent only when a token carries the userId in `sub`. */
  userId?: string;
  signature?: string;
  token?: string;
  traits: StandardTraits;
  properties: PropertiesInput;
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
  const traits = validateStandardTraits(
    { name: pick('name'), email: pick('email'), birthday: pick('birthday'), gender: pick('gender') } as StandardTraits,
    now,
  );
  if (!traits.ok) return traits;

  const merged: Record<string, unknown> = {};
  for (const [source, field] of [
    [body.profile?.traits, 'profile.traits'],
    [body.traits, 'traits'],
    [body.properties, 'properties'],
  ] as const) {
    const checked = validateProperties(source, field);
    if (!checked.ok) return checked;
    Object.assign(merged, checked.value);
  }
  const properties = validateProperties(merged, 'properties');
  if (!properties.ok) return properties;

  const value: IdentifyPayload = { traits: traits.value, properties: properties.value };
  if (userId !== undefined) value.userId = userId;
  const signature = body.signature ?? body.hmac;
  if (signature !== undefined) value.signature = signature;
  if (body.token !== undefined) value.token = body.token;
  return { ok: true, value };
}
