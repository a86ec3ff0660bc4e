import type { ValidationResult } from './validation-result.js';
import { codePointLength, describeType } from './user-id.js';

/** One custom property value; `null` in input means "unset". */
export type PropertyValue = string | number | boolean | string[];

/** Custom properties as sent: `null` unsets a key. */
export type PropertiesInput = Record<string, PropertyValue | null>;

/**
 * Bounds on custom properties. They keep a profile small enough to store in a
 * row and to snapshot on every analytics event.
 */
export const PropertyLimits = {
  maxKeys: 100,
  maxKeyLength: 64,
  maxStringLength: 1024,
  maxListLength: 100,
  maxListItemLength: 256,
} as const;

// Keys that would reach into the prototype chain when evaluated as paths.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// Letters, digits, and a few separators; no dots, because targeting reads dotted paths.
const KEY_PATTERN = /^[\p{L}\p{N}_$-][\p{L}\p{N}_$ :-]*$/u;

/** The words for a key {@link isPropertyKey} refuses (a settings form, a list of keys in a request). */
export const PROPERTY_KEY_RULE = `a property key: at most ${PropertyLimits.maxKeyLength} letters, digits, spaces, "_", "-", "$" or ":" (no dots), not __proto__/constructor/prototype`;

/** Whether `key` may name a custom property: the key rules of {@link validateProperties}, length included. */
export function isPropertyKey(key: string): boolean {
  return codePointLength(key) <= PropertyLimits.maxKeyLength && !FORBIDDEN_KEYS.has(key) && KEY_PATTERN.test(key);
}

/**
 * Checks custom properties against the types and {@link PropertyLimits}; each
 * failure names the key at fault.
 */
export function validateProperties(input: unknown, field = 'properties'): ValidationResult<PropertiesInput> {
  if (input === undefined || input === null) return { ok: true, value: {} };
  if (typeof input !== 'object' || Array.isArray(input) || !isPlainObject(input)) {
    return invalid(field, undefined, `${field} must be an object of key/value pairs, not ${describeType(input)}.`);
  }
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > PropertyLimits.maxKeys) {
    return limit(
      field,
      undefined,
      `${field} has ${entries.length} keys; at most ${PropertyLimits.maxKeys} are allowed.`,
      PropertyLimits.maxKeys,
      entries.length,
    );
  }
  const out: PropertiesInput = Object.create(null) as PropertiesInput;
  for (const [key, value] of entries) {
    const keyLength = codePointLength(key);
    if (keyLength > PropertyLimits.maxKeyLength) {
      const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
      return limit(
        field,
        shown,
        `Property key "${shown}" is ${keyLength} characters long; the limit is ${PropertyLimits.maxKeyLength}.`,
        PropertyLimits.maxKeyLength,
        keyLength,
      );
    }
    if (FORBIDDEN_KEYS.has(key) || !KEY_PATTERN.test(key)) {
      return invalid(
        field,
        key,
        `Property key "${key}" is not allowed: use letters, digits, spaces, "_", "-", "$" or ":" (no dots), and not __proto__/constructor/prototype.`,
      );
    }
    const checked = checkValue(field, key, value);
    if (checked) return checked;
    out[key] = value as PropertyValue | null;
  }
  return { ok: true, value: out };
}

function checkValue(field: string, key: string, value: unknown): ValidationResult<PropertiesInput> | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : invalid(field, key, `Property "${key}" must be a finite number.`);
  }
  if (typeof value === 'string') {
    const length = codePointLength(value);
    if (length > PropertyLimits.maxStringLength) {
      return limit(
        field,
        key,
        `Property "${key}" is ${length} characters long; the limit is ${PropertyLimits.maxStringLength}.`,
        PropertyLimits.maxStringLength,
        length,
      );
    }
    return value.isWellFormed()
      ? undefined
      : invalid(field, key, `Property "${key}" contains an unpaired surrogate; send valid Unicode text.`);
  }
  if (Array.isArray(value)) {
    if (value.length > PropertyLimits.maxListLength) {
      return limit(
        field,
        key,
        `Property "${key}" lists ${value.length} items; the limit is ${PropertyLimits.maxListLength}.`,
        PropertyLimits.maxListLength,
        value.length,
      );
    }
    for (const item of value) {
      if (typeof item !== 'string') {
        return invalid(field, key, `Property "${key}" is a list, and lists may hold only strings (found ${describeType(item)}).`);
      }
      const length = codePointLength(item);
      if (length > PropertyLimits.maxListItemLength) {
        return limit(
          field,
          key,
          `An item of property "${key}" is ${length} characters long; the limit is ${PropertyLimits.maxListItemLength}.`,
          PropertyLimits.maxListItemLength,
          length,
        );
      }
      if (!item.isWellFormed())
        return invalid(field, key, `An item of property "${key}" contains an unpaired surrogate; send valid Unicode text.`);
    }
    return undefined;
  }
  if (typeof value === 'object') {
    return invalid(field, key, `Property "${key}" is an object; nested objects are not allowed (flatten it, e.g. "${key}_name").`);
  }
  return invalid(
    field,
    key,
    `Property "${key}" is ${describeType(value)}, which is not a JSON value; send a string, number, boolean, list of strings or null.`,
  );
}

function invalid(field: string, key: string | undefined, message: string): ValidationResult<PropertiesInput> {
  return { ok: false, issue: { code: 'invalid_property', message, details: { field, ...(key === undefined ? {} : { key }) } } };
}

function limit(field: string, key: string | undefined, message: string, max: number, actual: number): ValidationResult<PropertiesInput> {
  return {
    ok: false,
    issue: { code: 'property_limit_exceeded', message, details: { field, ...(key === undefined ? {} : { key }), limit: max, actual } },
  };
}

/** Whether a value is a plain `{}` object (not a Map, Date or class instance). */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
