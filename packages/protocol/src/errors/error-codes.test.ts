import { describe, expect, it } from 'vitest';
import { type ErrorCode, ErrorCodes, isErrorCode } from './error-codes.js';
import { MAX_USER_ID_LENGTH } from '../identity/user-id.js';
import { parseIdentifyPayload } from '../identity/identify-payload.js';

const entries = Object.entries(ErrorCodes) as Array<[ErrorCode, { status: number; message: string }]>;

// NOTE: codes are public API (never renamed, only added); clients branch on
// them and on their status. New codes may be added without touching this list.
const PUBLISHED: Record<string, number> = {
  invalid_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  storage_unavailable: 503,
  conflict: 409,
  unauthenticated: 401,
  invalid_credentials: 401,
  reauthentication_required: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  invalid_setup_token: 403,
  invalid_invite: 400,
  invalid_reset_token: 400,
  weak_password: 400,
  email_taken: 409,
  last_owner: 409,
  invalid_api_key: 401,
  widget_not_found: 404,
  widget_origin_not_allowed: 403,
  secret_not_found: 404,
  invalid_session: 401,
  invalid_user_id: 400,
  invalid_signature: 401,
  signature_required: 401,
  invalid_identity_token: 401,
  identity_token_expired: 401,
  invalid_profile: 400,
  invalid_property: 400,
  property_limit_exceeded: 400,
};

describe('ErrorCodes', () => {
  it('has codes', () => {
    expect(entries.length).toBeGreaterThanOrEqual(Object.keys(PUBLISHED).length);
  });

  for (const [code, status] of Object.entries(PUBLISHED)) {
    it(`keeps the published code ${code} with status ${status}`, () => {
      expect(isErrorCode(code)).toBe(true);
      expect(ErrorCodes[code as ErrorCode].status).toBe(status);
    });
  }

  for (const [code, { status, message }] of entries) {
    describe(code, () => {
      it('is a snake_case name', () => {
        expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      });

      it('has an HTTP error status (4xx or 5xx)', () => {
        expect(Number.isInteger(status)).toBe(true);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThanOrEqual(599);
      });

      it('has a full-sentence message', () => {
        expect(typeof message).toBe('string');
        expect(message.trim()).toBe(message);
        expect(message.length).toBeGreaterThanOrEqual(20);
        expect(message).toMatch(/^([A-Z]|userId\b)/);
        expect(message).toMatch(/\.$/);
      });

      it('does not just repeat its code or leak internals', () => {
        expect(message.toLowerCase()).not.toContain(code);
        expect(message).not.toMatch(/undefined|\[object|stack|TODO/i);
      });
    });
  }

  it('gives each code its own message', () => {
    const messages = entries.map(([, entry]) => entry.message);
    expect(new Set(messages).size).toBe(messages.length);
  });

  it('keeps 5xx for server faults only; everything a caller can fix is 4xx', () => {
    const serverSide = entries.filter(([, entry]) => entry.status >= 500).map(([code]) => code);
    expect(serverSide.sort()).toEqual([
      'dashboard_unavailable',
      // The SMTP server (an upstream) refused or timed out: 502, nothing the caller can fix.
      'email_send_failed',
      'internal_error',
      'rendering_busy',
      'service_unavailable',
      'storage_unavailable',
      'widget_script_unavailable',
    ]);
  });

  it('registers every code the protocol validators return', () => {
    const emitted: ErrorCode[] = ['invalid_request', 'invalid_user_id', 'invalid_profile', 'invalid_property', 'property_limit_exceeded'];
    for (const code of emitted) expect(isErrorCode(code)).toBe(true);
    const samples: unknown[] = [
      null,
      {},
      { userId: '' },
      { userId: 'u', foo: 1 },
      { userId: 'u', email: 'x' },
      { userId: 'u', properties: { a: {} } },
      { userId: 'u', properties: { a: 'x'.repeat(5000) } },
    ];
    for (const sample of samples) {
      const result = parseIdentifyPayload(sample);
      // A bad profile field refuses the profile, not the identify: its codes are listed per field.
      const codes = result.ok ? (result.value.profileErrors ?? []).map((e) => e.code) : [result.issue.code];
      expect(codes.length, JSON.stringify(sample)).toBeGreaterThan(0);
      for (const code of codes) expect(isErrorCode(code), code).toBe(true);
    }
  });

  describe('messages tell the user what to do', () => {
    const guidance: Array<[ErrorCode, RegExp[]]> = [
      ['invalid_user_id', [/non-empty string/, new RegExp(`at most ${MAX_USER_ID_LENGTH}\\b`), /safe integer/]],
      ['invalid_signature', [/HMAC-SHA256/, /exact userId/, /signing secret/, /hex/]],
      ['signature_required', [/on your server/, /userId/]],
      ['identity_token_expired', [/fresh one/]],
      ['invalid_session', [/start a new session/]],
      ['rate_limited', [/Retry-After/]],
      ['internal_error', [/request id/]],
      ['unsupported_media_type', [/application\/json/]],
      ['property_limit_exceeded', [/details/, /key/, /limit/]],
      ['invalid_property', [/strings/, /numbers/, /booleans/, /ISO dates/, /lists of strings/, /null/]],
      ['invalid_request', [/details/]],
      ['weak_password', [/at least 10 characters/]],
      ['widget_not_found', [/widgetId/, /init/]],
      ['widget_origin_not_allowed', [/allowed origins/, /widget settings/]],
      ['invalid_api_key', [/create one/]],
      ['last_owner', [/owner first/]],
      ['email_taken', [/sign in/]],
      ['invalid_invite', [/ask for a new one/]],
      ['invalid_reset_token', [/ask for a new one/]],
    ];
    for (const [code, patterns] of guidance) {
      it(`${code}: ${ErrorCodes[code].message}`, () => {
        for (const pattern of patterns) expect(ErrorCodes[code].message).toMatch(pattern);
      });
    }
  });
});

describe('isErrorCode', () => {
  it('is true for every registered code', () => {
    for (const [code] of entries) expect(isErrorCode(code)).toBe(true);
  });

  const notCodes: Array<[string, unknown]> = [
    ['an unknown code', 'invalid_everything'],
    ['the empty string', ''],
    ['an upper-case code', 'INVALID_REQUEST'],
    ['a kebab-case code', 'invalid-request'],
    ['a code with spaces', ' invalid_request'],
    ['toString', 'toString'],
    ['hasOwnProperty', 'hasOwnProperty'],
    ['constructor', 'constructor'],
    ['__proto__', '__proto__'],
    ['a status number', 400],
    ['null', null],
    ['undefined', undefined],
    ['an object', { code: 'invalid_request' }],
    ['an array', ['invalid_request']],
    ['a String object', new String('invalid_request')],
  ];
  for (const [label, value] of notCodes) {
    it(`is false for ${label}`, () => {
      expect(isErrorCode(value)).toBe(false);
    });
  }
});
