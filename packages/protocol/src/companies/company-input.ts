import type { ProfileFieldError } from '../identity/identify-payload.js';
import { type PropertiesInput, validateProperties } from '../identity/properties.js';
import { codePointLength, describeType, normalizeUserId } from '../identity/user-id.js';
import type { ValidationIssue, ValidationResult } from '../identity/validation-result.js';

/** A company as identify, a signed identity token, the server API or an import hands it in. `name: null` unsets. */
export interface CompanyInput {
  id: string;
  name?: string | null;
  properties?: PropertiesInput;
}

/** A company as sent, before validation: the id may be a safe integer like a userId. */
export interface CompanyRequest {
  id: string | number;
  name?: string | null;
  properties?: PropertiesInput;
}

/** Bounds on companies; their properties follow {@link PropertyLimits} like a user's. */
export const CompanyLimits = {
  /** Companies one identify, token or user upsert may name. */
  maxPerUser: 20,
  maxNameLength: 255,
} as const;

const COMPANY_KEYS = new Set(['id', 'name', 'properties']);

/**
 * Turns a host-supplied company id into its canonical string, by the rules of
 * a userId (strings kept exactly, safe integers as decimal).
 */
export function normalizeCompanyId(input: unknown, field = 'company.id'): ValidationResult<string> {
  const checked = normalizeUserId(input);
  if (checked.ok) return checked;
  return invalid(field, checked.issue.message.replace(/^userId/, 'The company id'));
}

/**
 * Validates one company (`{ id, name?, properties? }`); `field` prefixes the
 * field named in a failure, e.g. `companies.2`.
 */
export function validateCompany(input: unknown, field = 'company'): ValidationResult<CompanyInput> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return invalid(field, `${field} must be an object { id, name, properties }, not ${describeType(input)}.`);
  }
  const body = input as Record<string, unknown>;
  const unknown = Object.keys(body).find((k) => !COMPANY_KEYS.has(k));
  if (unknown !== undefined) {
    return invalid(`${field}.${unknown}`, `${field} has an unknown field "${unknown}"; a company has only id, name and properties.`);
  }
  const id = normalizeCompanyId(body.id, `${field}.id`);
  if (!id.ok) return id;
  const company: CompanyInput = { id: id.value };
  if (body.name !== undefined) {
    const name = body.name;
    if (name !== null) {
      if (typeof name !== 'string') return invalid(`${field}.name`, `${field}.name must be a string or null, not ${describeType(name)}.`);
      const length = codePointLength(name);
      if (length > CompanyLimits.maxNameLength)
        return invalid(`${field}.name`, `${field}.name is ${length} characters long; the limit is ${CompanyLimits.maxNameLength}.`);
      if (!name.isWellFormed()) return invalid(`${field}.name`, `${field}.name contains an unpaired surrogate; send valid Unicode text.`);
    }
    company.name = name;
  }
  if (body.properties !== undefined) {
    const properties = validateProperties(body.properties, `${field}.properties`);
    if (!properties.ok) {
      const key = properties.issue.details?.['key'];
      return {
        ok: false,
        issue: withField(properties.issue, key === undefined ? `${field}.properties` : `${field}.properties.${String(key)}`),
      };
    }
    company.properties = properties.value;
  }
  return { ok: true, value: company };
}

/**
 * Reads the `company` and `companies` fields of an identify, a token or a user
 * upsert into one list (at most {@link CompanyLimits.maxPerUser}, an id named
 * twice is refused). Every bad company is listed, each naming its field.
 *
 * @example
 * parseCompanies({ company: { id: 'acme', name: 'Acme', properties: { plan: 'pro' } } })
 * // → { companies: [{ id: 'acme', name: 'Acme', properties: { plan: 'pro' } }], errors: [] }
 */
export function parseCompanies(
  input: { company?: unknown; companies?: unknown },
  prefix = '',
): {
  companies: CompanyInput[];
  errors: ProfileFieldError[];
} {
  const errors: ProfileFieldError[] = [];
  const companies: CompanyInput[] = [];
  const seen = new Set<string>();
  const add = (value: unknown, field: string) => {
    const checked = validateCompany(value, field);
    if (!checked.ok) return void errors.push(fieldError(checked.issue));
    if (seen.has(checked.value.id)) {
      return void errors.push({
        field: `${field}.id`,
        code: 'invalid_company',
        message: `The company "${checked.value.id}" is named twice.`,
      });
    }
    seen.add(checked.value.id);
    companies.push(checked.value);
  };
  if (input.company !== undefined && input.company !== null) add(input.company, `${prefix}company`);
  if (input.companies !== undefined && input.companies !== null) {
    const field = `${prefix}companies`;
    if (!Array.isArray(input.companies)) {
      errors.push({
        field,
        code: 'invalid_company',
        message: `${field} must be a list of companies, not ${describeType(input.companies)}.`,
      });
    } else if (input.companies.length + companies.length > CompanyLimits.maxPerUser) {
      errors.push({
        field,
        code: 'too_many_companies',
        message: `${field} names ${input.companies.length + companies.length} companies; at most ${CompanyLimits.maxPerUser} are allowed.`,
      });
    } else {
      input.companies.forEach((value, i) => add(value, `${field}.${i}`));
    }
  }
  return errors.length ? { companies: [], errors } : { companies, errors };
}

function invalid(field: string, message: string): ValidationResult<never> {
  return { ok: false, issue: { code: 'invalid_company', message, details: { field } } };
}

function withField(issue: ValidationIssue, field: string): ValidationIssue {
  return { ...issue, details: { ...issue.details, field } };
}

function fieldError(issue: ValidationIssue): ProfileFieldError {
  return { field: String(issue.details?.['field'] ?? 'company'), code: issue.code, message: issue.message };
}
